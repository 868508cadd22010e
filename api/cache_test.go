package api_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/storetest/dbtest"
)

// TestResponseCache: a public read asked for again is answered as it was,
// until a write (the generation) ends it.
func TestResponseCache(t *testing.T) {
	st := fill(t, func(tb testing.TB) taglines.Store { return dbtest.SQLite(tb) }, reference())
	var gen atomic.Uint64
	h, _ := newHandler(st, api.Options{ResponseCache: time.Minute, Generation: gen.Load})
	count := func() int {
		_, _, body := getJSON(t, h, "GET", "/api/v1/articles?limit=200")
		return len(body["articles"].([]any))
	}
	before := count()
	a := &taglines.Article{SourceID: 1, URL: "https://news.example/cache", Title: "Harbour reopens", Text: "It reopened.",
		PublishedAt: now().Add(-time.Minute), FetchedAt: now()}
	if _, err := st.AddArticles(context.Background(), []*taglines.Article{a}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != before {
		t.Errorf("asked again within its age: %d articles, want the kept %d", n, before)
	}
	gen.Add(1)
	if n := count(); n != before+1 {
		t.Errorf("after a write: %d articles, want %d", n, before+1)
	}
}
