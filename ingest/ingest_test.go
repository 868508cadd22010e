package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/ingest"
	"github.com/taglines/taglines/sqlite"
)

// publisher is a small httptest site: an RSS feed of three items, their
// pages, a robots.txt that forbids one page, and a page that is gone.
func publisher(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var pages atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>The Daily Example</title><link>%[1]s/</link>
<item><title>Kept page</title><link>%[1]s/news/1?utm_source=rss</link><pubDate>Sun, 22 Nov 2026 10:00:00 GMT</pubDate><category>Politics</category><category>Vladimir Putin</category><description>Feed summary one.</description></item>
<item><title>Forbidden page</title><link>%[1]s/private/2</link><pubDate>Sun, 22 Nov 2026 09:00:00 GMT</pubDate><description>&lt;p&gt;Feed summary two, used because robots.txt forbids the page.&lt;/p&gt;</description></item>
<item><title>Gone page</title><link>%[1]s/news/3</link><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate><description>Feed summary three.</description></item>
<item><title>Duplicate link</title><link>%[1]s/news/1</link></item>
<item><title>No link at all</title><description>Text.</description></item>
<item><title>Script link</title><link>javascript:void(0)</link><description>Text.</description></item>
<item><link>%[1]s/news/empty</link></item>
</channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/news/1", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		fmt.Fprint(w, `<html><head><title>Kept page | The Daily Example</title></head><body><nav><a href="/">Home</a></nav><article><h1>Kept page</h1>`+
			strings.Repeat(`<p>The president spoke at length about the economy, the war and the talks that are to follow next week in the capital.</p>`, 6)+
			`<div class="ad">Advertisement</div></article><footer>© The Daily Example</footer></body></html>`)
	})
	mux.HandleFunc("/news/3", func(w http.ResponseWriter, r *http.Request) {
		pages.Add(1)
		http.Error(w, "gone", http.StatusGone)
	})
	mux.HandleFunc("/private/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("page %s fetched although robots.txt forbids it", r.URL)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &pages
}

func TestIngest(t *testing.T) {
	ctx := context.Background()
	srv, pages := publisher(t)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ingest.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := &taglines.Source{URL: srv.URL + "/feed.xml"}
	if err := store.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	in := ingest.New(store, fetch.New(srv.Client(), fetch.Options{Now: func() time.Time { return now }}), ingest.Options{Now: func() time.Time { return now }})

	out := in.Ingest(ctx, src)
	if out.Result.Status != taglines.FetchOK || out.New != 3 || out.Items != 4 || out.PageErrors != 2 {
		t.Fatalf("first Ingest = %+v, want ok, 4 items, 3 new, 2 page fallbacks", out)
	}
	if out.Result.ETag != `"v1"` || out.Result.Title != "The Daily Example" {
		t.Errorf("result validators/title = %+v", out.Result)
	}
	if out.ItemsPerDay <= 0 {
		t.Errorf("ItemsPerDay = %v, want a positive rate from three dated items", out.ItemsPerDay)
	}
	// Nothing is dropped silently: the refused entries are counted, with why.
	if w := out.Result.Warning; out.Result.RefusedItems != 3 || !strings.HasPrefix(w, "3 feed items refused: ") ||
		!strings.Contains(w, "1 no link") || !strings.Contains(w, "1 javascript: link") || !strings.Contains(w, "1 no title and no text") ||
		!strings.Contains(w, `(first: "No link at all")`) {
		t.Errorf("refused %d, warning %q; want the 3 refused entries and their reasons", out.Result.RefusedItems, w)
	}
	if err := store.RecordFetch(ctx, src.ID, out.Result); err != nil {
		t.Fatal(err)
	}
	if got, err := store.Source(ctx, src.ID); err != nil || got.RefusedItems != 3 || got.Warning != out.Result.Warning {
		t.Errorf("stored source = %+v, %v; want the refused items in its health", got, err)
	}
	arts, err := store.Articles(ctx, taglines.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*taglines.Article{}
	for _, a := range arts {
		byTitle[a.Title] = a
	}
	kept := byTitle["Kept page"]
	if kept == nil || !strings.Contains(kept.Text, "The president spoke") || strings.Contains(kept.Text, "Advertisement") {
		t.Fatalf("kept page article = %+v", kept)
	}
	if kept.URL != srv.URL+"/news/1" {
		t.Errorf("kept URL = %q, want the canonical form without utm_source", kept.URL)
	}
	if kept.Section != "Politics" || len(kept.Tags) != 1 || kept.Tags[0].Name != "VladimirPutin" {
		t.Errorf("kept section %q tags %+v, want Politics and #VladimirPutin", kept.Section, kept.Tags)
	}
	if a := byTitle["Forbidden page"]; a == nil || a.Text != "Feed summary two, used because robots.txt forbids the page." {
		t.Errorf("robots-forbidden article = %+v, want the feed's text", a)
	}
	if a := byTitle["Gone page"]; a == nil || a.Text != "Feed summary three." || a.Section != taglines.DefaultSection {
		t.Errorf("gone-page article = %+v, want the feed's text and the default section", a)
	}

	// A second poll with the validators is a 304 and touches nothing.
	src.ETag = out.Result.ETag
	before := pages.Load()
	out = in.Ingest(ctx, src)
	if out.Result.Status != taglines.FetchNotModified || out.New != 0 || pages.Load() != before {
		t.Errorf("second Ingest = %+v (pages %d → %d), want a 304 and no page fetched", out, before, pages.Load())
	}
	// Without validators the feed is parsed again, but known articles are
	// neither fetched nor stored again.
	src.ETag = ""
	out = in.Ingest(ctx, src)
	if out.Result.Status != taglines.FetchOK || out.New != 0 || pages.Load() != before {
		t.Errorf("third Ingest = %+v (pages %d → %d), want no new article and no page fetched", out, before, pages.Load())
	}
}

func TestIngestFailures(t *testing.T) {
	ctx := context.Background()
	mux := http.NewServeMux()
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html><body>not a feed</body></html>") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ingest.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	in := ingest.New(store, fetch.New(srv.Client(), fetch.Options{Now: clock}), ingest.Options{Now: clock})
	tests := []struct {
		path       string
		httpStatus int
		retryAfter time.Duration
		errText    string
	}{
		{"/html", 200, 0, "parse feed"},
		{"/busy", 429, 10 * time.Minute, "429"},
		// The host said wait: the next source on it is not even asked.
		{"/html", 0, 10 * time.Minute, "asked to wait"},
	}
	for _, tt := range tests {
		out := in.Ingest(ctx, &taglines.Source{ID: 1, URL: srv.URL + tt.path})
		if out.Result.Status != taglines.FetchFailed || out.Result.HTTPStatus != tt.httpStatus ||
			out.RetryAfter != tt.retryAfter || !strings.Contains(out.Result.Err, tt.errText) || out.Interrupted {
			t.Errorf("Ingest(%s) = %+v, want failed with HTTP %d, Retry-After %v, error containing %q", tt.path, out, tt.httpStatus, tt.retryAfter, tt.errText)
		}
	}
}

// Refine records in the store where the dedup stage's second look moved
// articles: an article decided before its own story formed leaves the
// story it first joined.
func TestIngestRefine(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "refine.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &taglines.Source{URL: "https://news.example/feed.xml"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var articles []*taglines.Article
	add := func(text string, minute int) *taglines.Article {
		n := len(articles)
		a := &taglines.Article{SourceID: src.ID, URL: fmt.Sprintf("https://news.example/%d", n), GUID: fmt.Sprint(n),
			Title: text, Text: text, Section: taglines.DefaultSection, PublishedAt: t0.Add(time.Duration(minute) * time.Minute)}
		articles = append(articles, a)
		return a
	}
	for i := range 50 {
		add(fmt.Sprintf("filler%d other%d", i, i), 0)
	}
	for i := range 10 {
		add("alpha bravo charlie delta echo foxtrot", 1+i)
	}
	early := add("alpha bravo charlie golf hotel india juliet kilo lima", 30)
	var bs []*taglines.Article
	for i := range 3 {
		bs = append(bs, add("golf hotel india juliet kilo", 31+i))
	}
	if _, err := st.AddArticles(ctx, articles); err != nil {
		t.Fatal(err)
	}
	d := dedup.New(st.DedupIndex(), dedup.Options{})
	docs := make([]dedup.Document, len(articles))
	for i, a := range articles {
		docs[i] = dedup.Document{ID: a.ID, Title: a.Title, Text: a.Text, Published: a.PublishedAt}
	}
	results, err := d.ProcessAll(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	var groups []taglines.Group
	for _, r := range results {
		groups = append(groups, taglines.Group{ArticleID: r.ID, DuplicateOf: r.DuplicateOf, Cluster: r.Cluster})
	}
	if err := st.SetGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	cluster := func(a *taglines.Article) int64 {
		t.Helper()
		got, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Cluster
	}
	if cluster(early) != articles[50].ID || cluster(bs[2]) != bs[0].ID {
		t.Fatalf("setup: early article in story %d, B articles in %d; want %d and %d", cluster(early), cluster(bs[2]), articles[50].ID, bs[0].ID)
	}

	in := ingest.New(st, fetch.New(http.DefaultClient, fetch.Options{}), ingest.Options{Dedup: d, Now: func() time.Time { return t0.Add(time.Hour) }})
	n, err := in.Refine(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Refine = %d, %v; want 1 moved", n, err)
	}
	if got := cluster(early); got != bs[0].ID {
		t.Errorf("after Refine the early article is stored in story %d, want %d", got, bs[0].ID)
	}
	// Outside the window nothing moves.
	late := ingest.New(st, fetch.New(http.DefaultClient, fetch.Options{}), ingest.Options{Dedup: d, Now: func() time.Time { return t0.Add(30 * 24 * time.Hour) }})
	if n, err := late.Refine(ctx); err != nil || n != 0 {
		t.Errorf("Refine a month later = %d, %v; want nothing", n, err)
	}
}
