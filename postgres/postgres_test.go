package postgres_test

import (
	"fmt"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/postgres"
	"github.com/taglines/taglines/storetest"
	"github.com/taglines/taglines/storetest/dbtest"
)

// server returns the URL of the test server and a pool on it for creating
// schemas (dbtest.Server).
func server(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	return dbtest.Server(t)
}

// schema creates a schema of its own for t, dropped when t ends, and
// returns serverURL with search_path set to it.
func schema(t *testing.T, serverURL string, admin *pgxpool.Pool) string {
	t.Helper()
	return dbtest.Schema(t, serverURL, admin)
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
