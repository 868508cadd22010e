package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/storetest/dbtest"
)

func newHandler(store taglines.Store, opts api.Options) (http.Handler, *bytes.Buffer) {
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	if opts.Now == nil {
		opts.Now = now
	}
	return api.New(store, opts), &logs
}

// getJSON requests target and decodes the body into a generic value, so the
// tests check the wire format and not the package's own types.
func getJSON(t *testing.T, h http.Handler, method, target string) (int, http.Header, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), method, target, nil))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type = %q, want application/json", method, target, ct)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, target, err, rec.Body)
	}
	return rec.Code, rec.Header(), body
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestTagArticlesShape(t *testing.T) { forEachStore(t, testTagArticlesShape) }

func testTagArticlesShape(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(fill(t, open, reference()), api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/tags/Kremlin.ru/articles")
	if code != http.StatusOK {
		t.Fatalf("GET = %d, %v", code, body)
	}
	if got, want := keys(body), []string{"articles", "next_cursor", "tag"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if got, want := body["tag"], map[string]any{"name": "Kremlin.ru", "slug": "kremlin.ru"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tag = %v, want %v", got, want)
	}
	if body["next_cursor"] != nil {
		t.Errorf("next_cursor = %v, want null when everything fits", body["next_cursor"])
	}
	arts := body["articles"].([]any)
	if len(arts) != 4 {
		t.Fatalf("got %d articles, want 4", len(arts))
	}
	first := arts[0].(map[string]any)
	want := map[string]any{
		"id":        float64(6),
		"url":       "https://news.example/6",
		"title":     "The Kremlin's Political Influence In Iran <Is> Reaching Zero",
		"source":    map[string]any{"id": float64(3), "name": "Memri"},
		"section":   "Politics",
		"published": "2025-07-16T08:00:00Z",
		"author":    "Desk",
		"language":  "en",
		"image":     "https://news.example/6.jpg",
		"excerpt":   "Text of The Kremlin's Political Influence In Iran <Is> Reaching Zero. Second paragraph.",
		"text":      "Text of The Kremlin's Political Influence In Iran <Is> Reaching Zero.\n\nSecond paragraph.",
		"tags": []any{
			map[string]any{"name": "Kremlin.ru", "slug": "kremlin.ru"},
			map[string]any{"name": "VladimirPutin", "slug": "vladimirputin"},
		},
		"duplicate_of": nil, "story": nil, "versions": float64(0), "story_sources": float64(0),
	}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first article =\n%v\nwant\n%v", first, want)
	}
	var ids []float64
	for _, a := range arts {
		ids = append(ids, a.(map[string]any)["id"].(float64))
	}
	if want := []float64{6, 3, 2, 1}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want newest first %v", ids, want)
	}
	if s := arts[2].(map[string]any)["section"]; s != taglines.DefaultSection {
		t.Errorf("empty section = %v, want %q", s, taglines.DefaultSection)
	}
}

func TestArticlesShape(t *testing.T) { forEachStore(t, testArticlesShape) }

func testArticlesShape(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(fill(t, open, reference()), api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/articles")
	if code != http.StatusOK {
		t.Fatalf("GET = %d, %v", code, body)
	}
	if got, want := keys(body), []string{"articles", "next_cursor"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v (no tag)", got, want)
	}
	if n := len(body["articles"].([]any)); n != 8 {
		t.Errorf("got %d articles, want 8", n)
	}
}

// TestPaging follows next_cursor to the end for every page size and checks
// that each article comes exactly once, newest first, and that the last
// page says null.
func TestPaging(t *testing.T) { forEachStore(t, testPaging) }

func testPaging(t *testing.T, open func(testing.TB) taglines.Store) {
	store := fill(t, open, reference())
	h, _ := newHandler(store, api.Options{})
	for _, path := range []string{"/api/v1/articles", "/api/v1/tags/kremlin.ru/articles", "/api/v1/tags/UkrainianConflict/articles"} {
		tag := ""
		if strings.HasPrefix(path, "/api/v1/tags/") {
			tag = strings.Split(path, "/")[4]
		}
		all, _ := store.Articles(context.Background(), taglines.ArticleQuery{Tag: tag, Limit: 100})
		var want []float64
		for _, a := range all {
			want = append(want, float64(a.ID))
		}
		for limit := 1; limit <= len(want)+1; limit++ {
			var got []float64
			cursor := ""
			for page := 0; ; page++ {
				target := path + "?limit=" + strconv.Itoa(limit)
				if cursor != "" {
					target += "&cursor=" + url.QueryEscape(cursor)
				}
				code, _, body := getJSON(t, h, "GET", target)
				if code != http.StatusOK {
					t.Fatalf("GET %s = %d %v", target, code, body)
				}
				arts := body["articles"].([]any)
				if len(arts) == 0 || len(arts) > limit {
					t.Fatalf("GET %s: %d articles, want 1..%d", target, len(arts), limit)
				}
				for _, a := range arts {
					got = append(got, a.(map[string]any)["id"].(float64))
				}
				if body["next_cursor"] == nil {
					break
				}
				cursor = body["next_cursor"].(string)
				if page > 100 {
					t.Fatalf("paging %s does not end", path)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("paging %s by %d = %v, want %v", path, limit, got, want)
			}
		}
	}
}

func TestPageSize(t *testing.T) { forEachStore(t, testPageSize) }

func testPageSize(t *testing.T, open func(testing.TB) taglines.Store) {
	fx := dbtest.Fixture{Sources: []*taglines.Source{{ID: 1, URL: "https://news.example/feed"}}}
	for i := range 300 {
		fx.Articles = append(fx.Articles, &taglines.Article{ID: int64(i + 1), SourceID: 1, URL: fmt.Sprintf("https://news.example/%d", i+1), PublishedAt: now()})
	}
	store := fill(t, open, fx)
	for _, tt := range []struct {
		opt  int
		want int
	}{{0, api.DefaultPageSize}, {7, 7}, {500, api.MaxLimit}} {
		h, _ := newHandler(store, api.Options{PageSize: tt.opt})
		_, _, body := getJSON(t, h, "GET", "/api/v1/articles")
		if n := len(body["articles"].([]any)); n != tt.want {
			t.Errorf("Options{PageSize: %d}: %d articles, want %d", tt.opt, n, tt.want)
		}
	}
}

func TestBadRequests(t *testing.T) { forEachStore(t, testBadRequests) }

func testBadRequests(t *testing.T, open func(testing.TB) taglines.Store) {
	h, logs := newHandler(fill(t, open, reference()), api.Options{})
	for _, tt := range []struct {
		target string
		code   int
	}{
		{"/api/v1/articles?cursor=junk", 400},
		{"/api/v1/tags/kremlin.ru/articles?cursor=MTIz", 400},
		{"/api/v1/articles?limit=0", 400},
		{"/api/v1/articles?limit=-1", 400},
		{"/api/v1/articles?limit=201", 400},
		{"/api/v1/articles?limit=ten", 400},
		{"/api/v1/tags?limit=1000", 400},
		{"/api/v1/tags/nosuchtag/articles", 404},
		{"/api/v1/nope", 404},
		{"/api/v2/articles", 404},
	} {
		code, _, body := getJSON(t, h, "GET", tt.target)
		if code != tt.code {
			t.Errorf("GET %s = %d, want %d", tt.target, code, tt.code)
		}
		if msg, ok := body["error"].(string); !ok || msg == "" || len(body) != 1 {
			t.Errorf("GET %s body = %v, want {\"error\": \"...\"}", tt.target, body)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("client errors were logged: %s", logs)
	}
	code, hdr, _ := getJSON(t, h, "POST", "/api/v1/articles")
	if code != http.StatusMethodNotAllowed || hdr.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /api/v1/articles = %d Allow %q, want 405 GET, HEAD", code, hdr.Get("Allow"))
	}
}

func TestStoreError(t *testing.T) { forEachStore(t, testStoreError) }

func testStoreError(t *testing.T, open func(testing.TB) taglines.Store) {
	store := dbtest.Failing{Store: fill(t, open, reference()), Err: errors.New("disk on fire")}
	h, logs := newHandler(store, api.Options{})
	targets := []string{"/api/v1/articles", "/api/v1/tags/kremlin.ru/articles", "/api/v1/tags", "/api/v1/sources"}
	for i, target := range targets {
		code, _, body := getJSON(t, h, "GET", target)
		if code != http.StatusInternalServerError || body["error"] != "internal error" {
			t.Errorf("GET %s = %d %v, want 500 internal error", target, code, body)
		}
		if n := strings.Count(logs.String(), "\n"); n != i+1 {
			t.Errorf("after GET %s: %d log records, want one per failed request", target, n)
		}
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("log lacks the cause: %s", logs)
	}
}

func TestTopTags(t *testing.T) { forEachStore(t, testTopTags) }

func testTopTags(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(fill(t, open, reference()), api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/tags?limit=2")
	if code != http.StatusOK {
		t.Fatalf("GET = %d %v", code, body)
	}
	want := map[string]any{
		"since": "2025-07-15T12:00:00Z",
		"tags": []any{
			map[string]any{"name": "UkrainianConflict", "slug": "ukrainianconflict", "count": float64(3)},
			map[string]any{"name": "VladimirPutin", "slug": "vladimirputin", "count": float64(3)},
		},
	}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("GET /api/v1/tags?limit=2 =\n%v\nwant\n%v", body, want)
	}
}

func TestSources(t *testing.T) { forEachStore(t, testSources) }

func testSources(t *testing.T, open func(testing.TB) taglines.Store) {
	st := fill(t, open, reference())
	h, _ := newHandler(st, api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/sources")
	if code != http.StatusOK {
		t.Fatalf("GET = %d %v", code, body)
	}
	// Every source of the fixture's articles is listed: a real store holds
	// no article of a source it does not list.
	srcs := body["sources"].([]any)
	if len(srcs) != 6 {
		t.Fatalf("%d sources, want 6", len(srcs))
	}
	// The store stamps CreatedAt with its own clock.
	yahoo, err := st.Source(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	failing := srcs[4].(map[string]any)
	wantFailing := map[string]any{
		"id": float64(5), "name": "Yahoo", "url": "https://www.yahoo.com/news/rss", "title": "Yahoo", "site_url": "",
		"created_at": yahoo.CreatedAt.UTC().Format(time.RFC3339), "last_attempt_at": "2025-07-22T08:40:00Z", "last_success_at": "2025-07-21T08:00:00Z",
		"status": "failed", "http_status": float64(503), "last_error": "503 Service Unavailable",
		"consecutive_failures": float64(3), "failing": true, "next_poll_at": "2025-07-22T12:40:00Z", "article_count": float64(0), "items_per_day": float64(0),
		"refused_items": float64(0), "warning": "",
	}
	if !reflect.DeepEqual(failing, wantFailing) {
		t.Errorf("failing source =\n%v\nwant\n%v", failing, wantFailing)
	}
	never := srcs[5].(map[string]any)
	for _, k := range []string{"last_attempt_at", "last_success_at", "http_status"} {
		if v, ok := never[k]; !ok || v != nil {
			t.Errorf("never-polled source %s = %v (present %v), want null", k, v, ok)
		}
	}
	// A store schedules every source it adds: the first poll is due at once.
	if never["next_poll_at"] != "2025-07-22T11:58:00Z" {
		t.Errorf("never-polled source next_poll_at = %v, want the time it was added for", never["next_poll_at"])
	}
	if never["status"] != "never" || never["name"] != "https://feeds.example.org/world.xml" {
		t.Errorf("never-polled source = %v, want status never and the URL as name", never)
	}
}
