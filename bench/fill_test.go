package bench

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqlite"
)

func openSQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "fill.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestFill(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var calls int
	res, err := Fill(ctx, st, FillOptions{Articles: 1500, Sources: 40, Batch: 500, Now: now, Seed: 7,
		Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 1500 || res.Sources != 40 || calls != 3 {
		t.Errorf("Fill = %+v after %d progress calls, want 1500 articles, 40 sources, 3 calls", res, calls)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Articles != 1500 || stats.Sources != 40 {
		t.Errorf("stored %d articles from %d sources, want 1500 from 40", stats.Articles, stats.Sources)
	}
	if res.Versions < 30 || res.Versions > 150 || res.StoryMembers < 60 {
		t.Errorf("%d versions and %d story members of 1500: want about 5%% and 10%%", res.Versions, res.StoryMembers)
	}
	// One entry per version group: the latest list holds fewer entries
	// than articles, and nothing is newer than Now or older than a year.
	all, err := st.Articles(ctx, taglines.ArticleQuery{Collapse: true, Limit: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) >= 1500 || len(all) < 1500-res.Versions-10 {
		t.Errorf("%d entries listed for 1500 articles with %d versions", len(all), res.Versions)
	}
	for _, a := range all {
		if a.PublishedAt.After(now) || a.PublishedAt.Before(now.AddDate(-1, 0, -1)) {
			t.Fatalf("article %d published %s, outside the year before %s", a.ID, a.PublishedAt, now)
		}
	}
	// The rare word the load benchmark searches for is a generated one;
	// the generated words are distinct.
	seen := map[string]bool{}
	for i := range 5000 {
		w := PseudoWord(i)
		if seen[w] {
			t.Fatalf("PseudoWord(%d) = %q repeats an earlier word", i, w)
		}
		seen[w] = true
	}
	if _, err := Fill(ctx, st, FillOptions{}); err == nil {
		t.Error("Fill of 0 articles: no error")
	}
}

func TestCheckLoopback(t *testing.T) {
	for base, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://127.3.4.5:1": true, "http://[::1]:80": true, "http://localhost:9": true,
		"http://10.0.0.1:80": false, "http://example.com": false, "https://127.0.0.1:1": false, "127.0.0.1:80": false,
	} {
		if err := CheckLoopback(base); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v, want ok %v", base, err, ok)
		}
	}
}

func BenchmarkFill(b *testing.B) {
	st := openSQLite(b)
	b.ResetTimer()
	if _, err := Fill(context.Background(), st, FillOptions{Articles: b.N, Seed: 1}); err != nil {
		b.Fatal(err)
	}
}
