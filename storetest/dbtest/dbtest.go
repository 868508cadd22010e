// Package dbtest opens real, empty stores for the tests of the packages
// above the stores (web, api, commands): SQLite in t.TempDir, and
// PostgreSQL in a schema of its own on the test server. Tests that see
// what users see run on both. Fill writes a Fixture into a store through
// the public write path; Failing wraps a store to inject a failure.
package dbtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/postgres"
	"github.com/taglines/taglines/sqlite"
)

// DefaultPostgres is the local test server: trust authentication.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Store is a way of opening one.
type Store struct {
	Name string
	Open func(t testing.TB) taglines.Store
}

// Stores are SQLite and PostgreSQL.
var Stores = []Store{{"sqlite", SQLite}, {"postgres", Postgres}}

// SQLite opens a new SQLite store in t.TempDir, closed when t ends.
func SQLite(t testing.TB) taglines.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Postgres opens a store in a new schema on $TAGLINES_TEST_POSTGRES (or
// DefaultPostgres), dropped when t ends. Without a server it skips t, or
// fails it when $CI is set.
func Postgres(t testing.TB) taglines.Store {
	t.Helper()
	u, admin := Server(t)
	st, err := postgres.Open(context.Background(), Schema(t, u, admin))
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the schema's cleanup, so it runs first.
	t.Cleanup(func() { st.Close() })
	return st
}

// Schema creates a schema of its own for t on the server at serverURL,
// through admin, dropped when t ends, and returns serverURL with
// search_path set to it.
func Schema(t testing.TB, serverURL string, admin *pgxpool.Pool) string {
	t.Helper()
	// Lower case: search_path folds unquoted names.
	name := "taglines_test_" + strings.ToLower(rand.Text()[:16])
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := admin.Exec(context.Background(), "CREATE SCHEMA "+ident); err != nil {
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

// Server returns the URL of the test server, $TAGLINES_TEST_POSTGRES or
// DefaultPostgres, and a pool on it for creating schemas, closed when t
// ends. Without a server it skips t, or fails it when $CI is set: CI must
// run the suites against both databases.
func Server(t testing.TB) (string, *pgxpool.Pool) {
	t.Helper()
	u := os.Getenv("TAGLINES_TEST_POSTGRES")
	if u == "" {
		u = DefaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := pgxpool.New(ctx, u)
	if err == nil {
		if err = admin.Ping(ctx); err != nil {
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

// redact is u without its password, for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "the configured URL"
	}
	return p.Redacted()
}
