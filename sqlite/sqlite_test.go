package sqlite_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqlite"
	"github.com/taglines/taglines/storetest"
)

func open(t *testing.T) taglines.Store {
	t.Helper()
	return openStore(t)
}

func TestStore(t *testing.T) {
	storetest.Run(t, open)
}

func TestSearch(t *testing.T) {
	storetest.RunSearch(t, open)
}

// TestSearchNewestWalk runs the search suite with newest-first searches
// past their first window at once, through the walk of the articles.
func TestSearchNewestWalk(t *testing.T) {
	t.Cleanup(sqlite.SetNewestWindow(2)) // after the parallel subtests
	storetest.RunSearch(t, open)
}

// TestOpenConcurrent opens one new file from several stores at once, as
// several processes would, and writes through all of them together.
func TestOpenConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "taglines.db")
	stores := make([]*sqlite.Store, 4)
	errs := make([]error, len(stores))
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = sqlite.Open(t.Context(), path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Open %d = %v", i, err)
		}
		defer stores[i].Close()
	}
	for i, st := range stores {
		wg.Go(func() {
			for j := range 20 {
				src := &taglines.Source{URL: fmt.Sprintf("https://s%d-%d.example/feed", i, j)}
				if err := st.AddSource(t.Context(), src); err != nil {
					t.Errorf("store %d: AddSource = %v", i, err)
					return
				}
				if _, err := st.ClaimDueSources(t.Context(), fmt.Sprint(i), time.Now(), 5, time.Minute); err != nil {
					t.Errorf("store %d: ClaimDueSources = %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	stats, err := stores[0].Stats(t.Context())
	if err != nil || stats.Sources != 80 {
		t.Errorf("Stats = %+v, %v, want 80 sources", stats, err)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "taglines.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	src := &taglines.Source{URL: "https://news.example/feed"}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	st, err = sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen = %v", err)
	}
	defer st.Close()
	if got, err := st.SourceByURL(t.Context(), src.URL); err != nil || got.ID != src.ID {
		t.Errorf("after reopen SourceByURL = %+v, %v", got, err)
	}
}

func TestOpenInvalid(t *testing.T) {
	for _, path := range []string{"", ":memory:", "file:x.db", "x.db?mode=ro"} {
		if _, err := sqlite.Open(t.Context(), path); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Open(%q) = %v, want ErrInvalid", path, err)
		}
	}
}

// BenchmarkAddArticles stores batches of 50 new articles of realistic size
// (a few KB of text, three tags each, from a pool of 200 tags), the
// poller's unit of work. The figure is per batch.
func BenchmarkAddArticles(b *testing.B) {
	st, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "taglines.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	src := &taglines.Source{URL: "https://news.example/feed"}
	if err := st.AddSource(b.Context(), src); err != nil {
		b.Fatal(err)
	}
	paragraph := strings.Repeat("Officials said on Monday that the talks would continue next week, ", 8)
	text := strings.Repeat(paragraph+"\n\n", 6) // about 3 KB
	const batch = 50
	n := 0
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		articles := make([]*taglines.Article, batch)
		for i := range articles {
			n++
			articles[i] = &taglines.Article{
				SourceID:    src.ID,
				URL:         fmt.Sprintf("https://news.example/2026/11/23/world/story-%d.html", n),
				GUID:        fmt.Sprintf("urn:news:%d", n),
				Title:       fmt.Sprintf("Talks resume as leaders meet in Geneva, part %d", n),
				Text:        text,
				Author:      "Jane Reporter",
				Language:    "en",
				ImageURL:    fmt.Sprintf("https://cdn.news.example/img/%d.jpg", n),
				SiteName:    "Example News",
				Section:     "World",
				PublishedAt: at.Add(time.Duration(n) * time.Second),
				FetchedAt:   at.Add(time.Duration(n)*time.Second + time.Minute),
				Tags: []taglines.Tag{
					{Slug: fmt.Sprintf("topic%d", n%200), Name: fmt.Sprintf("Topic%d", n%200)},
					{Slug: fmt.Sprintf("topic%d", (n*7)%200), Name: fmt.Sprintf("Topic%d", (n*7)%200)},
					{Slug: "geneva", Name: "Geneva"},
				},
			}
		}
		if got, err := st.AddArticles(b.Context(), articles); err != nil || got != batch {
			b.Fatalf("AddArticles = %d, %v", got, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/article")
}
