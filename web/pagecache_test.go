package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
	"github.com/taglines/taglines/web"
)

// TestPageCache: a page or feed asked for again is served as rendered,
// until a write (the generation) or its age ends it; locales and hosts
// are kept apart, and neither failures nor responses that set a cookie
// are kept.
func TestPageCache(t *testing.T) {
	st := referenceStore(t, dbtest.SQLite)
	var gen atomic.Uint64
	const age = 300 * time.Millisecond
	h, _ := newHandler(t, st, web.Options{PageCache: age, Generation: gen.Load})
	src := st.SourceIDs[st.Written[0].SourceID]
	fresh := &taglines.Article{SourceID: src, URL: "https://news.example/cache-test", Title: "Harbour reopens after the storm",
		Text: "The harbour reopened.", PublishedAt: now().Add(-time.Minute), FetchedAt: now(),
		Tags: []taglines.Tag{{Slug: "harbour", Name: "Harbour"}}}

	before := get(t, h, "/")
	feed := get(t, h, "/tag/Harbour.rss")
	add(t, st, fresh)
	if again := get(t, h, "/"); again.body != before.body || strings.Contains(again.body, fresh.Title) {
		t.Errorf("the front page asked again within its age was rendered anew")
	}
	if feed.status != http.StatusNotFound {
		t.Fatalf("feed of a tag no article carried: %d", feed.status)
	}
	// A 404 was not kept: the tag's feed exists now.
	if f := get(t, h, "/tag/Harbour.rss"); f.status != http.StatusOK || !strings.Contains(f.body, fresh.Title) {
		t.Errorf("feed after the write: %d, new article shown: %v", f.status, strings.Contains(f.body, fresh.Title))
	}
	// A kept feed still answers a reader's If-None-Match with a 304.
	f := get(t, h, "/tag/Harbour.rss")
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/tag/Harbour.rss", nil)
	req.Header.Set("If-None-Match", f.header.Get("ETag"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if f.header.Get("ETag") == "" || rec.Code != http.StatusNotModified {
		t.Errorf("kept feed with If-None-Match %q: %d, want 304", f.header.Get("ETag"), rec.Code)
	}
	// Another locale and another host are other pages.
	req = httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/", nil)
	req.Header.Set("Accept-Language", "ru")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), fresh.Title) {
		t.Errorf("the Russian front page was served from the English one's cache")
	}
	req = httptest.NewRequestWithContext(context.Background(), http.MethodGet, "http://other.example/", nil)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), fresh.Title) {
		t.Errorf("another host's front page was served from this one's cache")
	}
	// A write (a new generation) ends the kept page at once...
	gen.Add(1)
	if p := get(t, h, "/"); !strings.Contains(p.body, fresh.Title) {
		t.Errorf("front page after a new generation does not show the new article")
	}
	// ...and so does its age.
	second := &taglines.Article{SourceID: src, URL: "https://news.example/cache-test-2", Title: "Ferries resume their timetable",
		Text: "Ferries run.", PublishedAt: now().Add(-30 * time.Second), FetchedAt: now()}
	add(t, st, second)
	if p := get(t, h, "/"); strings.Contains(p.body, second.Title) {
		t.Errorf("front page within its age was rendered anew")
	}
	time.Sleep(age)
	if p := get(t, h, "/"); !strings.Contains(p.body, second.Title) {
		t.Errorf("front page past its age still served from the cache")
	}
	// The language switch sets a cookie: that answer is not kept.
	if r := get(t, h, "/?lang=ru"); r.header.Get("Set-Cookie") == "" {
		t.Fatalf("the language switch set no cookie")
	}
	third := &taglines.Article{SourceID: src, URL: "https://news.example/cache-test-3", Title: "Lighthouse keeper retires",
		Text: "He retired.", PublishedAt: now().Add(50 * time.Second), FetchedAt: now()}
	add(t, st, third)
	if r := get(t, h, "/?lang=ru"); !strings.Contains(r.body, third.Title) {
		t.Errorf("a response that set a cookie was kept and served again")
	}
}

// TestPageETag: a rendered page names its content, and a reader coming
// back with it gets a 304 and no body.
func TestPageETag(t *testing.T) {
	h, _ := newHandler(t, referenceStore(t, dbtest.SQLite), web.Options{})
	first := get(t, h, "/")
	etag := first.header.Get("ETag")
	if first.status != http.StatusOK || etag == "" || first.header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("front page: %d, ETag %q, Cache-Control %q", first.status, etag, first.header.Get("Cache-Control"))
	}
	req := httptest.NewRequestWithContext(context.Background(), http.MethodGet, "/", nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("front page with its ETag: %d and %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
	if nf := get(t, h, "/tag/NoSuchTag"); nf.header.Get("ETag") != "" {
		t.Errorf("a 404 page carries an ETag")
	}
}
