package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
)

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// counting counts the reads that reach the real store and can hold them
// at a gate or fail them.
type counting struct {
	taglines.Store
	top  atomic.Int32
	gate chan struct{}
	fail atomic.Bool
}

func (c *counting) TopTags(ctx context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	c.top.Add(1)
	if c.gate != nil {
		<-c.gate
	}
	if c.fail.Load() {
		return nil, errors.New("injected failure")
	}
	return c.Store.TopTags(ctx, since, limit)
}

var day = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// store returns a real SQLite store with one source, and a function that
// adds an article tagged tag at the given time through w.
func store(t *testing.T) (taglines.Store, func(w taglines.Store, tag string, at time.Time)) {
	t.Helper()
	st := dbtest.SQLite(t)
	ctx := context.Background()
	src := &taglines.Source{URL: "https://pub.example/feed", Title: "Pub"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	n := 0
	return st, func(w taglines.Store, tag string, at time.Time) {
		t.Helper()
		n++
		a := &taglines.Article{SourceID: src.ID, URL: fmt.Sprintf("https://pub.example/a/%d", n), Title: "Title " + tag,
			Text: "Some text.", PublishedAt: at, FetchedAt: at, Tags: []taglines.Tag{{Slug: taglines.TagSlug(tag), Name: tag}}}
		if _, err := w.AddArticles(ctx, []*taglines.Article{a}); err != nil {
			t.Fatal(err)
		}
	}
}

func topNames(t *testing.T, s taglines.Store, since time.Time) []string {
	t.Helper()
	top, err := s.TopTags(context.Background(), since, 10)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tc := range top {
		out = append(out, fmt.Sprintf("%s:%d", tc.Name, tc.Count))
	}
	return out
}

func TestFreshnessAndInvalidation(t *testing.T) {
	raw, add := store(t)
	clk := &clock{t: day}
	c := New(raw, Options{Now: clk.now})
	since := day.Add(-24 * time.Hour)
	add(raw, "Alpha", day.Add(-time.Hour))
	if got := topNames(t, c, since); fmt.Sprint(got) != "[Alpha:1]" {
		t.Fatalf("top tags = %v, want [Alpha:1]", got)
	}

	// A write by another process (straight to the store) is not seen
	// before the maximum age...
	add(raw, "Beta", day.Add(-time.Hour))
	clk.add(DefaultCountMaxAge - time.Second)
	if got := topNames(t, c, since); fmt.Sprint(got) != "[Alpha:1]" {
		t.Errorf("top tags before the maximum age = %v, want the cached [Alpha:1]", got)
	}
	// ...and is, long after it.
	clk.add(2 * DefaultCountMaxAge)
	if got := topNames(t, c, since); fmt.Sprint(got) != "[Alpha:1 Beta:1]" {
		t.Errorf("top tags long after the maximum age = %v, want [Alpha:1 Beta:1]", got)
	}

	// A write through the cache: still the old answer within the
	// minimum age, then (past it) the old one once while the new is
	// computed in the background, then the new one.
	add(c, "Gamma", day.Add(-time.Hour))
	if got := topNames(t, c, since); fmt.Sprint(got) != "[Alpha:1 Beta:1]" {
		t.Errorf("top tags within the minimum age = %v, want the cached answer", got)
	}
	clk.add(DefaultCountMinAge)
	want := "[Alpha:1 Beta:1 Gamma:1]"
	deadline := time.Now().Add(10 * time.Second)
	for fmt.Sprint(topNames(t, c, since)) != want {
		if time.Now().After(deadline) {
			t.Fatalf("top tags never became %s after a write through the cache", want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestOneComputationForConcurrentReaders(t *testing.T) {
	raw, add := store(t)
	add(raw, "Alpha", day)
	cnt := &counting{Store: raw, gate: make(chan struct{})}
	c := New(cnt, Options{Now: func() time.Time { return day }})
	var wg sync.WaitGroup
	results := make([][]taglines.TagCount, 16)
	for i := range results {
		wg.Go(func() {
			var err error
			if results[i], err = c.TopTags(context.Background(), day.Add(-time.Hour), 5); err != nil {
				t.Error(err)
			}
		})
	}
	// Let the readers pile up on the one computation, then release it.
	for cnt.top.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(cnt.gate)
	wg.Wait()
	if n := cnt.top.Load(); n != 1 {
		t.Errorf("16 concurrent readers made %d computations, want 1", n)
	}
	for i, r := range results {
		if len(r) != 1 || r[0].Name != "Alpha" {
			t.Errorf("reader %d got %v", i, r)
		}
	}
}

func TestFailuresAreNotKept(t *testing.T) {
	raw, add := store(t)
	add(raw, "Alpha", day)
	cnt := &counting{Store: raw}
	c := New(cnt, Options{Now: func() time.Time { return day }})
	cnt.fail.Store(true)
	if _, err := c.TopTags(context.Background(), day.Add(-time.Hour), 5); err == nil {
		t.Fatal("an injected failure was not returned")
	}
	cnt.fail.Store(false)
	top, err := c.TopTags(context.Background(), day.Add(-time.Hour), 5)
	if err != nil || len(top) != 1 {
		t.Errorf("after a failure: %v, %v; want the answer, computed again", top, err)
	}
	if n := cnt.top.Load(); n != 2 {
		t.Errorf("%d computations, want 2 (the failure is not cached)", n)
	}
}

func TestArticles(t *testing.T) {
	raw, add := store(t)
	clk := &clock{t: day}
	c := New(raw, Options{Now: clk.now})
	ctx := context.Background()
	add(raw, "Alpha", day.Add(-2*time.Hour))
	add(raw, "Alpha", day.Add(-time.Hour))
	first, err := c.Articles(ctx, taglines.ArticleQuery{Tag: "Alpha", Limit: 1})
	if err != nil || len(first) != 1 {
		t.Fatal(first, err)
	}
	// The first page is kept; a page after a cursor is read each time.
	add(raw, "Alpha", day.Add(-30*time.Minute))
	again, _ := c.Articles(ctx, taglines.ArticleQuery{Tag: "Alpha", Limit: 1})
	if again[0].ID != first[0].ID {
		t.Errorf("first page within its minimum age: article %d, want the cached %d", again[0].ID, first[0].ID)
	}
	deep, err := c.Articles(ctx, taglines.ArticleQuery{Tag: "Alpha", Limit: 5, Before: taglines.CursorAfter(first[0])})
	if err != nil || len(deep) != 1 {
		t.Errorf("page after the cursor: %d articles (%v), want 1 read from the store", len(deep), err)
	}
	clk.add(3 * DefaultListMaxAge)
	now, _ := c.Articles(ctx, taglines.ArticleQuery{Tag: "Alpha", Limit: 1})
	if now[0].ID == first[0].ID {
		t.Errorf("first page long after its maximum age still shows article %d", first[0].ID)
	}
}

func TestEntriesAreBounded(t *testing.T) {
	raw, add := store(t)
	add(raw, "Alpha", day)
	c := New(raw, Options{Entries: 8, Now: func() time.Time { return day }})
	for i := range 40 {
		if _, err := c.TopTags(context.Background(), day.Add(-time.Duration(i)*time.Hour), 5); err != nil {
			t.Fatal(err)
		}
	}
	c.mu.Lock()
	n := len(c.entries)
	c.mu.Unlock()
	if n > 8 {
		t.Errorf("%d entries kept, want at most 8", n)
	}
}
