package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines/testpub"
)

// databases are the stores the fault tests run on: SQLite always,
// PostgreSQL when a server answers (required when CI is set).
func databases(t *testing.T) map[string]func(t *testing.T) string {
	dbs := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "faults.db") },
	}
	base := os.Getenv("TAGLINES_TEST_POSTGRES")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s: %v (required in CI)", base, err)
		}
		t.Logf("PostgreSQL not reachable, fault tests run on SQLite only: %v", err)
		return dbs
	}
	conn.Close(context.Background())
	dbs["postgres"] = func(t *testing.T) string { return pgSchema(t, base) }
	return dbs
}

// pgSchema creates a fresh schema for one test and returns a URL whose
// search_path selects it; the schema is dropped when the test ends.
func pgSchema(t *testing.T, base string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "taglines_cmd_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestFaults turns on every fault testpub can make, after the sources'
// articles are stored: each faulty source gets a clear error, the healthy
// one is unaffected, and nothing already stored is lost.
func TestFaults(t *testing.T) {
	for name, newDB := range databases(t) {
		t.Run(name, func(t *testing.T) { testFaults(t, newDB(t)) })
	}
}

func testFaults(t *testing.T, db string) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clk := &clock{t: now}
	pubs := testpub.Synthetic(9, 5, now)
	network, err := testpub.Start(pubs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: db, clock: clk, hc: network.Client()}
	for _, p := range pubs {
		h.run("sources", "add", network.FeedURL(p))
	}
	var round struct {
		OK, Failed int
		New        int `json:"new_articles"`
	}
	decode(t, h.run("poll", "--once"), &round)
	if round.OK != 9 || round.New != 45 {
		t.Fatalf("healthy round = %+v, want 9 ok, 45 new", round)
	}

	faults := []struct {
		fault   testpub.Fault
		errText string // in the source's error; "" means it may still read
	}{
		{testpub.Fault{Kind: testpub.FaultSlow, Delay: 5 * time.Second}, "deadline exceeded"},
		{testpub.Fault{Kind: testpub.FaultStatus, Status: 503}, "503"},
		{testpub.Fault{Kind: testpub.FaultTooManyRequests, RetryAfter: time.Hour}, "429"},
		{testpub.Fault{Kind: testpub.FaultMalformed}, "malformed"},
		{testpub.Fault{Kind: testpub.FaultWrongEncoding}, ""},
		{testpub.Fault{Kind: testpub.FaultHuge, Size: 12 << 20}, "too large"},
		{testpub.Fault{Kind: testpub.FaultRedirectLoop}, "redirect"},
		{testpub.Fault{Kind: testpub.FaultGone}, "410"},
	}
	for i, f := range faults {
		if err := network.SetFault(pubs[i+1], f.fault); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(25 * time.Hour)
	var out, errOut strings.Builder
	args := []string{"--db", db, "--log-level", "warn", "poll", "--once", "--host-rate", "1000", "--timeout", "1s"}
	if err := h.main(&out, &errOut).Run(context.Background(), args); err != nil {
		t.Fatalf("poll with faults: %v\n%s", err, errOut.String())
	}

	var list []sourceJSON
	decode(t, h.run("sources", "list", "--json"), &list)
	byURL := map[string]sourceJSON{}
	for _, s := range list {
		byURL[s.URL] = s
	}
	if s := byURL[network.FeedURL(pubs[0])]; s.Status != "not_modified" || s.Articles != 5 {
		t.Errorf("healthy source = %+v, want a 304 and its 5 articles", s)
	}
	for i, f := range faults {
		s := byURL[network.FeedURL(pubs[i+1])]
		if s.Articles != 5 {
			t.Errorf("%s: source has %d articles, want its 5 kept", f.fault.Kind, s.Articles)
		}
		if f.errText == "" {
			continue
		}
		if s.Status != "failing" || !strings.Contains(strings.ToLower(s.Error), f.errText) {
			t.Errorf("%s: source = status %q error %q, want failing with %q", f.fault.Kind, s.Status, s.Error, f.errText)
		}
	}
	var stats struct{ Articles int }
	decode(t, h.run("stats"), &stats)
	if stats.Articles != 45 {
		t.Errorf("articles after the faulty round = %d, want 45", stats.Articles)
	}
	// A source that said "429, retry in an hour" is not asked again before.
	s := byURL[network.FeedURL(pubs[3])]
	if next := s.NextPollAt; next == nil || next.Before(clk.Now().Add(59*time.Minute)) {
		t.Errorf("429 source next poll = %v, want at least an hour after %v", next, clk.Now())
	}
}

// TestPrivateAddressRefused: without --allow-private-networks a source on
// a loopback address fails with a clear error and nothing is fetched.
func TestPrivateAddressRefused(t *testing.T) {
	now := time.Now().UTC()
	pubs := testpub.Synthetic(1, 2, now)
	network, err := testpub.Start(pubs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: filepath.Join(t.TempDir(), "ssrf.db"), clock: &clock{t: now}} // no hc: the real, guarded transport
	feedURL := "http://" + network.Addr() + "/feed.xml"
	var out, errOut strings.Builder
	err = h.main(&out, &errOut).Run(context.Background(), []string{"--db", h.db, "sources", "add", feedURL})
	if err == nil || !strings.Contains(err.Error(), "prohibited") {
		t.Fatalf("sources add %s = %v, want a prohibited-address error", feedURL, err)
	}
	h.run("sources", "add", "--force", feedURL)
	h.run("poll", "--once")
	var list []sourceJSON
	decode(t, h.run("sources", "list", "--json"), &list)
	if len(list) != 1 || list[0].Status != "failing" || !strings.Contains(list[0].Error, "prohibited") {
		t.Errorf("loopback source = %+v, want failing with a prohibited-address error", list)
	}
	if r := network.Requests(); r.Total() != 0 {
		t.Errorf("testpub saw %d requests, want none", r.Total())
	}
}
