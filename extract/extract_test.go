package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPage is one page of testdata/pages.json: what the evaluation set
// expects of it.
type testPage struct {
	URL     string   `json:"url"`
	With    []string `json:"with"`
	Without []string `json:"without"`
	Title   string   `json:"title"`
	Date    string   `json:"date"`
}

func loadPages(tb testing.TB) map[string]testPage {
	tb.Helper()
	b, err := os.ReadFile("testdata/pages.json")
	if err != nil {
		tb.Fatal(err)
	}
	var pages map[string]testPage
	if err := json.Unmarshal(b, &pages); err != nil {
		tb.Fatal(err)
	}
	return pages
}

func readPage(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestPageRealPages(t *testing.T) {
	for name, want := range loadPages(t) {
		t.Run(name, func(t *testing.T) {
			u, _ := url.Parse(want.URL)
			r, err := Page(readPage(t, name), "text/html", u)
			if err != nil {
				t.Fatalf("Page(%s) error %v", want.URL, err)
			}
			text := norm(r.Text)
			for _, s := range want.With {
				if !strings.Contains(text, norm(s)) {
					t.Errorf("Page(%s) text misses %q", want.URL, s)
				}
			}
			for _, s := range want.Without {
				if strings.Contains(text, norm(s)) {
					t.Errorf("Page(%s) text keeps boilerplate %q", want.URL, s)
				}
			}
			// The set cuts some titles short; the title must start with its.
			if want.Title != "" && !strings.HasPrefix(r.Title, norm(want.Title)) {
				t.Errorf("Page(%s) title = %q, want %q", want.URL, r.Title, want.Title)
			}
			if want.Date != "" && r.Published.Format("2006-01-02") != want.Date {
				t.Errorf("Page(%s) published = %v, want %s", want.URL, r.Published, want.Date)
			}
			if r.SourceUsed != SourcePage || r.Language == "" || r.SiteName == "" {
				t.Errorf("Page(%s) source %q language %q site %q, want all set", want.URL, r.SourceUsed, r.Language, r.SiteName)
			}
		})
	}
}

func TestPageMetadata(t *testing.T) {
	const page = `<!doctype html><html lang="en-GB"><head>
<title>Storm closes the harbour | The Coast Courier</title>
<meta property="og:site_name" content="The Coast Courier">
<meta property="og:title" content="Storm closes the harbour - The Coast Courier">
<meta name="description" content="Ferries stay in port.">
<meta property="og:image" content="/img/storm.jpg">
<link rel="canonical" href="/news/storm-closes-harbour">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","datePublished":"2020-01-01T00:00:00Z"},
 {"@type":"NewsArticle","headline":"Storm closes the harbour","datePublished":"2025-07-16T08:15:00+02:00",
  "dateModified":"2025-07-16T10:00:00+02:00","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}]}]}</script>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Storm closes the harbour</h1><p class="byline">By Ann Lee and Bo Chen</p>
<p>The harbour of the town was closed on Wednesday morning as a storm with gusts of up to 120 kilometres an hour swept along the coast, the port authority said.</p>
<h2>Ferries stay in port</h2>
<p>All ferries to the islands stayed in port, and the operators said they would not sail before Thursday afternoon at the earliest, when the wind is forecast to drop.</p>
<ul><li>Route A: cancelled until Thursday evening at the earliest.</li><li>Route B: cancelled until Friday morning at the earliest.</li></ul>
<blockquote>We have not seen a storm like this in ten years, said the harbour master of the town.</blockquote>
<p>Share this article</p><p><a href="https://x.example/">Twitter</a></p>
</article><footer>© 2025 The Coast Courier. All rights reserved.</footer></body></html>`
	u, _ := url.Parse("https://courier.example/news/storm-closes-harbour?utm_source=x")
	r, err := PageWith([]byte(page), "", u, Options{HTML: true})
	if err != nil {
		t.Fatal(err)
	}
	want := &Result{
		Title:        "Storm closes the harbour",
		Authors:      []string{"Ann Lee", "Bo Chen"},
		Author:       "Ann Lee",
		Language:     "en",
		Image:        "https://courier.example/img/storm.jpg",
		SiteName:     "The Coast Courier",
		CanonicalURL: "https://courier.example/news/storm-closes-harbour",
		Description:  "Ferries stay in port.",
	}
	if r.Title != want.Title || strings.Join(r.Authors, "|") != strings.Join(want.Authors, "|") || r.Author != want.Author ||
		r.Language != want.Language || r.Image != want.Image || r.SiteName != want.SiteName ||
		r.CanonicalURL != want.CanonicalURL || r.Description != want.Description {
		t.Errorf("Page metadata = %+v\nwant %+v", r, want)
	}
	if got := r.Published.Format(time.RFC3339); got != "2025-07-16T08:15:00+02:00" {
		t.Errorf("Published = %s, want the page's own offset 2025-07-16T08:15:00+02:00", got)
	}
	if got := r.Modified.Format(time.RFC3339); got != "2025-07-16T10:00:00+02:00" {
		t.Errorf("Modified = %s, want 2025-07-16T10:00:00+02:00", got)
	}
	// Order kept: heading, list and quote between the paragraphs.
	order := []string{"harbour of the town was closed", "Ferries stay in port", "Route A", "Route B", "not seen a storm", "wind is forecast"}
	order = []string{order[0], order[1], order[5], order[2], order[3], order[4]}
	last := -1
	for _, s := range order {
		i := strings.Index(r.Text, s)
		if i < 0 || i < last {
			t.Errorf("text has %q at %d after %d; text:\n%s", s, i, last, r.Text)
		}
		last = i
	}
	for _, junk := range []string{"Share this article", "Twitter", "All rights reserved", "Home"} {
		if strings.Contains(r.Text, junk) {
			t.Errorf("text keeps %q", junk)
		}
	}
	if !strings.Contains(r.HTML, "<h2>Ferries stay in port</h2>") || strings.Contains(r.HTML, "<script") {
		t.Errorf("HTML = %s", r.HTML)
	}
}

func TestTitle(t *testing.T) {
	u, _ := url.Parse("https://www.example-news.com/a/b")
	tests := []struct {
		name string
		m    meta
		site string
		want string
	}{
		{"site suffix after pipe", meta{titleTag: "Rates rise again | Example News"}, "Example News", "Rates rise again"},
		{"site prefix", meta{titleTag: "Example News - Rates rise again"}, "Example News", "Rates rise again"},
		{"host suffix", meta{titleTag: "Rates rise again – example-news.com"}, "", "Rates rise again"},
		{"h1 contained in og:title", meta{ogTitle: "Rates rise again, says bank - Example News", h1: []string{"Rates rise again, says bank"}}, "Example News", "Rates rise again, says bank"},
		{"logo h1 ignored", meta{titleTag: "Rates rise again | Example News", h1: []string{"Example News"}}, "Example News", "Rates rise again"},
		{"colon kept", meta{titleTag: "Brexit: the next round"}, "", "Brexit: the next round"},
		{"dash inside headline kept", meta{titleTag: "Mother-in-law wins the lottery - twice"}, "", "Mother-in-law wins the lottery - twice"},
		{"short unknown suffix", meta{titleTag: "Rates rise again as inflation bites | Courier"}, "", "Rates rise again as inflation bites"},
		{"no title, h1", meta{h1: []string{"Only a heading"}}, "", "Only a heading"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.title(tt.site, u); got != tt.want {
				t.Errorf("title(%+v, %q) = %q, want %q", tt.m, tt.site, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want string // want in RFC 3339, "" for none
	}{
		{"2025-07-16T08:15:00+02:00", "2025-07-16T08:15:00+02:00"},
		{"2025-07-16T08:15:00.123-05:00", "2025-07-16T08:15:00-05:00"},
		{"2025-07-16", "2025-07-16T00:00:00Z"},
		{"Wed, 16 Jul 2025 08:15:00 +0200", "2025-07-16T08:15:00+02:00"},
		{"16.07.2025", "2025-07-16T00:00:00Z"},
		{"Veröffentlicht am 16. Juli 2025, 08:15 Uhr", "2025-07-16T00:00:00Z"},
		{"Publié le 3 mars 2024", "2024-03-03T00:00:00Z"},
		{"July 16, 2025", "2025-07-16T00:00:00Z"},
		{"16 de julio de 2025", "2025-07-16T00:00:00Z"},
		{"2025年7月16日", "2025-07-16T00:00:00Z"},
		{"1752646500", "2025-07-16T06:15:00Z"},
		{"31.02.2025", ""},
		{"1850-01-01", ""},
		{"no date here", ""},
	}
	for _, tt := range tests {
		got := parseDate(tt.in)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339)
		}
		if s != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestURLDate(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/2025/07/16/storm-closes-harbour/", "2025-07-16"},
		{"/news/2025-07-16-storm", "2025-07-16"},
		{"/jmcs/detail/20200102/1000200033.html", "2020-01-02"},
		{"/2025/07/storm", ""},
		{"/2025/13/40/x", ""},
	}
	for _, tt := range tests {
		got := urlDate(tt.path)
		s := ""
		if !got.IsZero() {
			s = got.Format("2006-01-02")
		}
		if s != tt.want {
			t.Errorf("urlDate(%q) = %q, want %q", tt.path, s, tt.want)
		}
	}
}

func TestCleanAuthors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"By Jane Doe", []string{"Jane Doe"}},
		{"By Jane Doe and John Roe", []string{"Jane Doe", "John Roe"}},
		{"Von Max Muster | 16.07.2025", []string{"Max Muster"}},
		{"Jane Doe, John Roe; Ann Lee", []string{"Jane Doe", "John Roe", "Ann Lee"}},
		{"jane@example.com", nil},
		{"https://facebook.com/jane", nil},
		{"admin", nil},
		{"16.07.2025 08:15", nil},
	}
	for _, tt := range tests {
		if got := cleanAuthors(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("cleanAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPageBadInput(t *testing.T) {
	tests := []struct {
		name    string
		page    []byte
		wantErr error // nil: any outcome but a panic or a hang
	}{
		{"empty", nil, ErrNoContent},
		{"binary", append([]byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d}, bytes.Repeat([]byte{0, 1, 2}, 1000)...), ErrNotHTML},
		{"deeply nested divs", []byte(strings.Repeat("<div>", 100_000) + "<p>" + strings.Repeat("deep text ", 40) + "</p>"), nil},
		{"deeply nested inline", []byte(strings.Repeat("<a><b><i>", 50_000) + "x"), nil},
		{"huge", bytes.Repeat([]byte("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"), 6<<20/64), nil},
		{"plain text", []byte(strings.Repeat("Just some text without any markup at all. ", 30)), nil},
		{"json", []byte(`{"not":"html","items":[1,2,3]}`), nil},
		{"latin-1 declared", []byte("<html><head><meta charset=\"iso-8859-1\"></head><body><p>" + strings.Repeat("Gr\xfc\xdfe aus M\xfcnchen, sch\xf6ne Stra\xdfe. ", 20) + "</p></body></html>"), nil},
		{"utf-16 with BOM", utf16le("<html><body><p>" + strings.Repeat("Hello world in UTF-16. ", 20) + "</p></body></html>"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r, err := Page(tt.page, "", nil)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Page(%s) error = %v, want %v", tt.name, err, tt.wantErr)
			}
			if err == nil && r == nil {
				t.Errorf("Page(%s) = nil, nil", tt.name)
			}
			// A hang guard, not a speed check (that is bench extract's job):
			// bounded work finishes in seconds even under -race on a
			// loaded machine; unbounded work would not finish at all.
			if d := time.Since(start); d > time.Minute {
				t.Errorf("Page(%s) took %v", tt.name, d)
			}
		})
	}
	r, err := Page([]byte("<html><head><meta charset=\"iso-8859-1\"></head><body><p>"+strings.Repeat("Gr\xfc\xdfe aus M\xfcnchen. ", 30)+"</p></body></html>"), "", nil)
	if err != nil || !strings.Contains(r.Text, "Grüße aus München") {
		t.Errorf("latin-1 page: text %q, error %v; want decoded", r.Text[:min(len(r.Text), 40)], err)
	}
}

func utf16le(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func FuzzPage(f *testing.F) {
	// Whole pages make the instrumented fuzzer crawl; their heads carry
	// the metadata and the first paragraphs.
	for name := range loadPages(f) {
		p := readPage(f, name)
		f.Add(p[:min(len(p), 16<<10)])
	}
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":{"name":[1]}}]}</script></head></html>`))
	f.Add([]byte(strings.Repeat("<div>", 600)))
	f.Fuzz(func(t *testing.T, page []byte) {
		r, err := PageWith(page, "", &url.URL{Scheme: "https", Host: "example.com", Path: "/a"}, Options{HTML: true})
		if err == nil && r.Text == "" {
			t.Errorf("no error and no text")
		}
		if r != nil {
			if bad := unsafeHTML(r.HTML); bad != "" {
				t.Errorf("HTML %q: %s", r.HTML, bad)
			}
		}
	})
}

func BenchmarkPage(b *testing.B) {
	var pages [][]byte
	for name := range loadPages(b) {
		pages = append(pages, readPage(b, name))
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			_, _ = Page(p, "", nil)
		}
	}
}
