package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/postgres"
	"github.com/taglines/taglines/storetest"
)

// defaultURL is the local test server: trust authentication, role postgres.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// server returns the URL of the test server and a pool on it for creating
// schemas. Without a server it skips the test, or fails it when $CI is set:
// CI must run the suite against both databases.
func server(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	u := os.Getenv("TAGLINES_TEST_POSTGRES")
	if u == "" {
		u = defaultURL
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	admin, err := pgxpool.New(ctx, u)
	if err == nil {
		err = admin.Ping(ctx)
		if err != nil {
			admin.Close()
		}
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no PostgreSQL at %s (set TAGLINES_TEST_POSTGRES): %v", redact(u), err)
		}
		t.Skipf("no PostgreSQL at %s (set TAGLINES_TEST_POSTGRES): %v", redact(u), err)
	}
	t.Cleanup(admin.Close)
	return u, admin
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the configured URL"
	}
	return p.Redacted()
}

// schema creates a schema of its own for t, dropped when t ends, and
// returns serverURL with search_path set to it.
func schema(t *testing.T, serverURL string, admin *pgxpool.Pool) string {
	t.Helper()
	// Lower case: search_path folds unquoted names.
	name := "taglines_test_" + strings.ToLower(rand.Text()[:16])
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(t.Context(), "CREATE SCHEMA "+ident); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(serverURL)
	if err != nil {
		t.Fatalf("TAGLINES_TEST_POSTGRES must be a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func openIn(t *testing.T, u string) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close = %v", err)
		}
	})
	return st
}

func TestStore(t *testing.T) {
	u, admin := server(t)
	storetest.Run(t, func(t *testing.T) taglines.Store {
		return openIn(t, schema(t, u, admin))
	})
}

func TestSearch(t *testing.T) {
	u, admin := server(t)
	storetest.RunSearch(t, func(t *testing.T) taglines.Store {
		return openIn(t, schema(t, u, admin))
	})
}

// TestSearchWindows runs the search suite with ranked searches past their
// first window at once.
func TestSearchWindows(t *testing.T) {
	u, admin := server(t)
	t.Cleanup(postgres.SetFirstWindow(2)) // after the parallel subtests
	storetest.RunSearch(t, func(t *testing.T) taglines.Store {
		return openIn(t, schema(t, u, admin))
	})
}

// TestOpenConcurrent starts several stores on one new schema at once, as
// several processes would: the migration lock lets each migration run once.
func TestOpenConcurrent(t *testing.T) {
	u, admin := server(t)
	su := schema(t, u, admin)
	var wg sync.WaitGroup
	stores := make([]*postgres.Store, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), su) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d = %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	src := &taglines.Source{URL: "https://news.example/feed"}
	if err := stores[0].AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[3].Source(t.Context(), src.ID); err != nil {
		t.Errorf("a source added through one store is not seen through another: %v", err)
	}
	var applied, distinct int
	if err := admin.QueryRow(t.Context(), fmt.Sprintf(
		"SELECT count(*), count(DISTINCT version_id) FROM %s.goose_db_version WHERE version_id > 0", pgx.Identifier{mustSchema(t, su)}.Sanitize())).
		Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != distinct || distinct < 2 {
		t.Errorf("%d migrations recorded for %d versions, want each of at least 2 once", applied, distinct)
	}
}

func mustSchema(t *testing.T, u string) string {
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Query().Get("search_path")
}

func TestOpenBadURL(t *testing.T) {
	if _, err := postgres.Open(t.Context(), "postgres://%zz"); err == nil {
		t.Error("Open(malformed URL) succeeded")
	}
}
