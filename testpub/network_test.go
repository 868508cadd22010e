package testpub

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var testNow = time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)

// startDemo runs the demo network for one test.
func startDemo(t testing.TB, opts Options) (*Network, []*Publisher) {
	t.Helper()
	pubs := Demo(testNow)
	n, err := Start(pubs, opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n, pubs
}

func pubNamed(t testing.TB, pubs []*Publisher, name string) *Publisher {
	t.Helper()
	for _, p := range pubs {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no publisher %q", name)
	return nil
}

func pubWith(t testing.TB, pubs []*Publisher, match func(*Publisher) bool) *Publisher {
	t.Helper()
	for _, p := range pubs {
		if match(p) {
			return p
		}
	}
	t.Fatal("no matching publisher")
	return nil
}

func get(t testing.TB, c *http.Client, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", url, err)
	}
	return resp, b
}

// feedItem is what the tests need of an item in any format.
type feedItem struct {
	Link, ID, Title, Summary, Author string
	Published                        time.Time
	Categories                       []string
}

func parseFeed(format FeedFormat, b []byte) ([]feedItem, error) {
	var items []feedItem
	switch format {
	case RSS2:
		var doc struct {
			XMLName xml.Name `xml:"rss"`
			Items   []struct {
				Title       string   `xml:"title"`
				Link        string   `xml:"link"`
				GUID        string   `xml:"guid"`
				PubDate     string   `xml:"pubDate"`
				Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Categories  []string `xml:"category"`
				Description string   `xml:"description"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		for _, it := range doc.Items {
			ts, err := time.Parse(time.RFC1123Z, it.PubDate)
			if err != nil {
				return nil, err
			}
			items = append(items, feedItem{it.Link, it.GUID, it.Title, it.Description, it.Creator, ts, it.Categories})
		}
	case Atom:
		var doc struct {
			XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
			Entries []struct {
				ID    string `xml:"id"`
				Title string `xml:"title"`
				Link  struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Published string `xml:"published"`
				Author    string `xml:"author>name"`
				Category  []struct {
					Term string `xml:"term,attr"`
				} `xml:"category"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		for _, e := range doc.Entries {
			ts, err := time.Parse(time.RFC3339, e.Published)
			if err != nil {
				return nil, err
			}
			var cats []string
			for _, c := range e.Category {
				cats = append(cats, c.Term)
			}
			items = append(items, feedItem{e.Link.Href, e.ID, e.Title, e.Summary, e.Author, ts, cats})
		}
	case RSS1:
		var doc struct {
			XMLName xml.Name `xml:"http://www.w3.org/1999/02/22-rdf-syntax-ns# RDF"`
			Channel struct {
				Seq []struct {
					Resource string `xml:"http://www.w3.org/1999/02/22-rdf-syntax-ns# resource,attr"`
				} `xml:"items>Seq>li"`
			} `xml:"http://purl.org/rss/1.0/ channel"`
			Items []struct {
				About       string   `xml:"http://www.w3.org/1999/02/22-rdf-syntax-ns# about,attr"`
				Title       string   `xml:"http://purl.org/rss/1.0/ title"`
				Link        string   `xml:"http://purl.org/rss/1.0/ link"`
				Description string   `xml:"http://purl.org/rss/1.0/ description"`
				Date        string   `xml:"http://purl.org/dc/elements/1.1/ date"`
				Creator     string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
				Subjects    []string `xml:"http://purl.org/dc/elements/1.1/ subject"`
			} `xml:"http://purl.org/rss/1.0/ item"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		if len(doc.Channel.Seq) != len(doc.Items) {
			return nil, fmt.Errorf("rdf:Seq lists %d items, feed has %d", len(doc.Channel.Seq), len(doc.Items))
		}
		for _, it := range doc.Items {
			ts, err := time.Parse(time.RFC3339, it.Date)
			if err != nil {
				return nil, err
			}
			items = append(items, feedItem{it.Link, it.About, it.Title, it.Description, it.Creator, ts, it.Subjects})
		}
	case JSONFeed:
		var doc jsonFeedDoc
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		if doc.Version != "https://jsonfeed.org/version/1.1" {
			return nil, fmt.Errorf("version %q", doc.Version)
		}
		for _, it := range doc.Items {
			ts, err := time.Parse(time.RFC3339, it.DatePublished)
			if err != nil {
				return nil, err
			}
			author := ""
			if len(it.Authors) > 0 {
				author = it.Authors[0].Name
			}
			if it.ContentText == "" {
				return nil, fmt.Errorf("item %s has no content", it.ID)
			}
			items = append(items, feedItem{it.URL, it.ID, it.Title, it.Summary, author, ts, it.Tags})
		}
	default:
		return nil, fmt.Errorf("unknown format %q", format)
	}
	return items, nil
}

func TestFeeds(t *testing.T) {
	const maxItems = 12
	n, pubs := startDemo(t, Options{FeedItems: maxItems})
	c := n.Client()
	for _, tt := range []struct {
		format      FeedFormat
		contentType string
	}{
		{RSS2, "application/rss+xml"},
		{Atom, "application/atom+xml"},
		{RSS1, "application/rdf+xml"},
		{JSONFeed, "application/feed+json"},
	} {
		t.Run(string(tt.format), func(t *testing.T) {
			// The largest publisher of the format, so the cap applies.
			var p *Publisher
			for _, q := range pubs {
				if q.Format == tt.format && (p == nil || len(q.Articles) > len(p.Articles)) {
					p = q
				}
			}
			resp, body := get(t, c, n.FeedURL(p))
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("GET %s = %s %q, want 200 %s", n.FeedURL(p), resp.Status, resp.Header.Get("Content-Type"), tt.contentType)
			}
			items, err := parseFeed(tt.format, body)
			if err != nil {
				t.Fatalf("parse %s feed of %s: %v", tt.format, p.Name, err)
			}
			if want := min(maxItems, len(p.Articles)); len(items) != want {
				t.Fatalf("%s feed of %s has %d items, want %d", tt.format, p.Name, len(items), want)
			}
			if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err != nil || !lm.Equal(items[0].Published) {
				t.Errorf("Last-Modified = %q, want newest item %v", resp.Header.Get("Last-Modified"), items[0].Published)
			}
			byURL := map[string]*Article{}
			for i := range p.Articles {
				byURL[n.ArticleURL(p, &p.Articles[i])] = &p.Articles[i]
			}
			seen := map[string]bool{}
			for i, it := range items {
				if i > 0 && !it.Published.Before(items[i-1].Published) {
					t.Errorf("item %d (%v) is not older than item %d (%v)", i, it.Published, i-1, items[i-1].Published)
				}
				a := byURL[it.Link]
				if a == nil {
					t.Fatalf("item %d link %q is no article of %s", i, it.Link, p.Name)
				}
				if it.Title != a.Title || !it.Published.Equal(a.Published) || it.Summary != a.Summary() {
					t.Errorf("item %d = %q %v, want %q %v", i, it.Title, it.Published, a.Title, a.Published)
				}
				if len(it.Categories) == 0 || it.Categories[0] != a.Section {
					t.Errorf("item %d categories %q, want section %q first", i, it.Categories, a.Section)
				}
				if it.ID == "" || seen[it.ID] {
					t.Errorf("item %d id %q empty or repeated", i, it.ID)
				}
				seen[it.ID] = true
				if a.Author != "" && it.Author != a.Author {
					t.Errorf("item %d author %q, want %q", i, it.Author, a.Author)
				}
			}
			// The newest item's page exists.
			if resp, _ := get(t, c, items[0].Link); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %s, want 200", items[0].Link, resp.Status)
			}
		})
	}
}

func TestFeedEscaping(t *testing.T) {
	for _, f := range FeedFormats {
		t.Run(string(f), func(t *testing.T) {
			p := &Publisher{Name: "Tricky & Sons <News>", Format: f, Articles: []Article{{
				Title: `Q&A: "5 < 6" & 'more'`, Section: "World", Categories: []string{"World", "A&B"},
				Paragraphs: []string{"Text with <tags> & ampersands \x01 and a control character."},
				Published:  testNow,
			}}}
			n, err := Start([]*Publisher{p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer n.Close()
			if p.Host != "tricky-sons-news.localhost" || p.Articles[0].Path == "" {
				t.Errorf("Start filled host %q, path %q; want tricky-sons-news.localhost and a path", p.Host, p.Articles[0].Path)
			}
			_, body := get(t, n.Client(), n.FeedURL(p))
			items, err := parseFeed(f, body)
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, body)
			}
			if len(items) != 1 || items[0].Title != p.Articles[0].Title || items[0].Categories[1] != "A&B" {
				t.Errorf("items = %+v", items)
			}
			if !strings.Contains(items[0].Summary, "<tags> & ampersands") {
				t.Errorf("summary %q lost its text", items[0].Summary)
			}
		})
	}
}

func TestConditionalGET(t *testing.T) {
	n, pubs := startDemo(t, Options{})
	c := n.Client()
	p := pubNamed(t, pubs, "BBC Sport")
	for _, tt := range []struct {
		name string
		url  string
	}{
		{"feed", n.FeedURL(p)},
		{"page", n.ArticleURL(p, &p.Articles[3])},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, tt.url)
			etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if resp.StatusCode != http.StatusOK || etag == "" || lm == "" || len(body) == 0 {
				t.Fatalf("GET %s = %s, ETag %q, Last-Modified %q", tt.url, resp.Status, etag, lm)
			}
			lmTime, _ := http.ParseTime(lm)
			for _, c2 := range []struct {
				name   string
				header []string
				want   int
			}{
				{"matching etag", []string{"If-None-Match", etag}, http.StatusNotModified},
				{"etag in list", []string{"If-None-Match", `"other", ` + etag}, http.StatusNotModified},
				{"weak etag", []string{"If-None-Match", "W/" + etag}, http.StatusNotModified},
				{"other etag", []string{"If-None-Match", `"other"`}, http.StatusOK},
				{"etag wins over date", []string{"If-None-Match", `"other"`, "If-Modified-Since", lm}, http.StatusOK},
				{"same date", []string{"If-Modified-Since", lm}, http.StatusNotModified},
				{"later date", []string{"If-Modified-Since", lmTime.Add(time.Hour).Format(http.TimeFormat)}, http.StatusNotModified},
				{"earlier date", []string{"If-Modified-Since", lmTime.Add(-time.Second).Format(http.TimeFormat)}, http.StatusOK},
				{"bad date", []string{"If-Modified-Since", "yesterday"}, http.StatusOK},
			} {
				resp, body := get(t, c, tt.url, c2.header...)
				if resp.StatusCode != c2.want {
					t.Errorf("%s: GET with %q = %s, want %d", c2.name, c2.header, resp.Status, c2.want)
				}
				if resp.StatusCode == http.StatusNotModified && (len(body) != 0 || resp.Header.Get("ETag") != etag) {
					t.Errorf("%s: 304 with %d body bytes, ETag %q", c2.name, len(body), resp.Header.Get("ETag"))
				}
			}
		})
	}
	got := n.Requests()
	want := Requests{FeedOK: 5, FeedNotModified: 5, PageOK: 5, PageNotModified: 5}
	if got != want {
		t.Errorf("Requests() = %+v, want %+v", got, want)
	}
}

func TestFaults(t *testing.T) {
	n, pubs := startDemo(t, Options{})
	rt := pubNamed(t, pubs, "Russia Today") // RSS 2.0 with non-ASCII text
	jf := pubWith(t, pubs, func(p *Publisher) bool { return p.Format == JSONFeed })
	noRedirect := n.Client()
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := n.Client()

	tests := []struct {
		name  string
		p     *Publisher
		fault Fault
		check func(t *testing.T, url string)
	}{
		{"slow answers late", rt, Fault{Kind: FaultSlow, Delay: 30 * time.Millisecond}, func(t *testing.T, url string) {
			start := time.Now()
			resp, _ := get(t, c, url)
			if resp.StatusCode != http.StatusOK || time.Since(start) < 30*time.Millisecond {
				t.Errorf("GET = %s after %v, want 200 after >= 30ms", resp.Status, time.Since(start))
			}
		}},
		{"slow honours context", rt, Fault{Kind: FaultSlow, Delay: time.Hour}, func(t *testing.T, url string) {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			start := time.Now()
			_, err := c.Do(req)
			if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
				t.Errorf("GET = %v after %v, want deadline exceeded soon", err, time.Since(start))
			}
		}},
		{"status default", rt, Fault{Kind: FaultStatus}, wantStatus(c, http.StatusServiceUnavailable)},
		{"status 502", rt, Fault{Kind: FaultStatus, Status: 502}, wantStatus(c, http.StatusBadGateway)},
		{"429 retry-after", rt, Fault{Kind: FaultTooManyRequests, RetryAfter: 90 * time.Second}, func(t *testing.T, url string) {
			resp, _ := get(t, c, url)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "90" {
				t.Errorf("GET = %s, Retry-After %q; want 429, 90", resp.Status, resp.Header.Get("Retry-After"))
			}
		}},
		{"429 default", rt, Fault{Kind: FaultTooManyRequests}, func(t *testing.T, url string) {
			if resp, _ := get(t, c, url); resp.Header.Get("Retry-After") != "120" {
				t.Errorf("Retry-After = %q, want 120", resp.Header.Get("Retry-After"))
			}
		}},
		{"malformed xml", rt, Fault{Kind: FaultMalformed}, func(t *testing.T, url string) {
			resp, body := get(t, c, url)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET = %s, want 200", resp.Status)
			}
			if _, err := parseFeed(RSS2, body); err == nil {
				t.Errorf("malformed RSS parsed without error")
			}
		}},
		{"malformed json", jf, Fault{Kind: FaultMalformed}, func(t *testing.T, url string) {
			_, body := get(t, c, url)
			if _, err := parseFeed(JSONFeed, body); err == nil {
				t.Errorf("malformed JSON Feed parsed without error")
			}
		}},
		{"windows-1251 declared utf-8", rt, Fault{Kind: FaultWrongEncoding}, func(t *testing.T, url string) {
			resp, body := get(t, c, url)
			if !strings.Contains(resp.Header.Get("Content-Type"), "utf-8") || !bytes.Contains(body, []byte(`encoding="UTF-8"`)) {
				t.Errorf("Content-Type %q: want UTF-8 declared", resp.Header.Get("Content-Type"))
			}
			if utf8.Valid(body) {
				t.Errorf("body is valid UTF-8, want windows-1251 bytes")
			}
		}},
		{"utf-8 declared windows-1251", rt, Fault{Kind: FaultWrongEncoding, Reverse: true}, func(t *testing.T, url string) {
			resp, body := get(t, c, url)
			if !strings.Contains(resp.Header.Get("Content-Type"), "windows-1251") || !bytes.Contains(body, []byte(`encoding="windows-1251"`)) {
				t.Errorf("Content-Type %q: want windows-1251 declared", resp.Header.Get("Content-Type"))
			}
			if !utf8.Valid(body) || !bytes.Contains(body, []byte("‘")) {
				t.Errorf("body is not UTF-8 with non-ASCII text")
			}
		}},
		{"huge body", rt, Fault{Kind: FaultHuge, Size: 3 << 20}, func(t *testing.T, url string) {
			resp, err := c.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			nb, err := io.Copy(io.Discard, resp.Body)
			if err != nil || nb != 3<<20 || resp.ContentLength != -1 {
				t.Errorf("huge body: %d bytes (Content-Length %d), %v; want %d, unknown", nb, resp.ContentLength, err, 3<<20)
			}
		}},
		{"huge body, client stops", rt, Fault{Kind: FaultHuge}, func(t *testing.T, url string) {
			resp, err := c.Get(url)
			if err != nil {
				t.Fatal(err)
			}
			nb, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if nb != 1<<20 {
				t.Errorf("read %d bytes, want %d", nb, 1<<20)
			}
		}},
		{"redirect loop", rt, Fault{Kind: FaultRedirectLoop}, func(t *testing.T, url string) {
			resp, _ := get(t, noRedirect, url)
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != url {
				t.Errorf("GET = %s, Location %q; want 302 to %s", resp.Status, resp.Header.Get("Location"), url)
			}
			if _, err := c.Get(url); err == nil || !strings.Contains(err.Error(), "redirects") {
				t.Errorf("following redirects: err = %v, want too many redirects", err)
			}
		}},
		{"gone default", rt, Fault{Kind: FaultGone}, wantStatus(c, http.StatusGone)},
		{"gone 404", rt, Fault{Kind: FaultGone, Status: 404}, wantStatus(c, http.StatusNotFound)},
		{"none again", rt, Fault{}, wantStatus(c, http.StatusOK)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := n.SetFault(tt.p, tt.fault); err != nil {
				t.Fatalf("SetFault(%s, %+v): %v", tt.p.Name, tt.fault, err)
			}
			defer n.SetFault(tt.p, Fault{})
			tt.check(t, n.FeedURL(tt.p))
		})
	}

	t.Run("applies to pages", func(t *testing.T) {
		n.SetFault(rt, Fault{Kind: FaultStatus, Status: 500})
		defer n.SetFault(rt, Fault{})
		wantStatus(c, 500)(t, n.ArticleURL(rt, &rt.Articles[0]))
		// Other publishers are unaffected.
		wantStatus(c, 200)(t, n.FeedURL(jf))
	})
	t.Run("invalid", func(t *testing.T) {
		for _, f := range []Fault{{Kind: FaultStatus, Status: 200}, {Kind: FaultGone, Status: 500}, {Kind: "nonsense"}, {Kind: FaultHuge, Size: -1}} {
			if err := n.SetFault(rt, f); err == nil {
				t.Errorf("SetFault(%+v) = nil, want error", f)
			}
		}
		if err := n.SetFault(&Publisher{Name: "stranger"}, Fault{}); err == nil {
			t.Errorf("SetFault(stranger) = nil, want error")
		}
	})
	if r := n.Requests(); r.Errors < int64(len(tests)) {
		t.Errorf("Requests().Errors = %d, want >= %d", r.Errors, len(tests))
	}
}

func wantStatus(c *http.Client, code int) func(t *testing.T, url string) {
	return func(t *testing.T, url string) {
		t.Helper()
		if resp, _ := get(t, c, url); resp.StatusCode != code {
			t.Errorf("GET %s = %s, want %d", url, resp.Status, code)
		}
	}
}

func TestHostDispatch(t *testing.T) {
	n, pubs := startDemo(t, Options{})
	plain := &http.Client{Transport: &http.Transport{Proxy: nil}}
	defer plain.CloseIdleConnections()
	for _, tt := range []struct {
		name, host, path string
		want             int
	}{
		{"publisher feed", pubs[0].Host, pubs[0].Format.Path(), 200},
		{"publisher with port", pubs[0].Host + ":" + strings.Split(n.Addr(), ":")[1], pubs[0].Format.Path(), 200},
		{"upper-case host", strings.ToUpper(pubs[1].Host), pubs[1].Format.Path(), 200},
		{"home page", pubs[2].Host, "/", 200},
		{"robots.txt", pubs[2].Host, "/robots.txt", 200},
		{"unknown host", "nowhere.localhost", "/feed.xml", 404},
		{"bare address", n.Addr(), "/feed.xml", 404},
		{"unknown path", pubs[0].Host, "/no/such/page", 404},
		{"other publisher's feed path", pubs[0].Host, pubs[1].Format.Path(), 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, "http://"+n.Addr()+tt.path, nil)
			req.Host = tt.host
			resp, err := plain.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("GET %s with Host %s = %s, want %d", tt.path, tt.host, resp.Status, tt.want)
			}
		})
	}
	for _, addr := range []string{"example.com:80", "127.0.0.2:80", "localhost:1"} {
		if conn, err := n.DialContext(context.Background(), "tcp", addr); err == nil {
			conn.Close()
			t.Errorf("DialContext(%s) succeeded, want error", addr)
		}
	}
	if _, err := n.Client().Get("http://example.com/"); err == nil {
		t.Errorf("Client().Get(example.com) succeeded, want error")
	}
}

func TestStartErrors(t *testing.T) {
	ok := func() *Publisher { return &Publisher{Name: "A"} }
	for _, tt := range []struct {
		name string
		pubs []*Publisher
		opts Options
	}{
		{"no name", []*Publisher{{}}, Options{}},
		{"duplicate host", []*Publisher{{Name: "A"}, {Name: "a"}}, Options{}},
		{"bad format", []*Publisher{{Name: "A", Format: "csv"}}, Options{}},
		{"bad layout", []*Publisher{{Name: "A", Layout: 7}}, Options{}},
		{"bad fault", []*Publisher{{Name: "A", Fault: Fault{Kind: FaultStatus, Status: 302}}}, Options{}},
		{"duplicate path", []*Publisher{{Name: "A", Articles: []Article{{Title: "x", Path: "/a"}, {Title: "y", Path: "/a"}}}}, Options{}},
		{"public address", []*Publisher{ok()}, Options{Addr: "0.0.0.0:0"}},
		{"bad address", []*Publisher{ok()}, Options{Addr: "127.0.0.1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if n, err := Start(tt.pubs, tt.opts); err == nil {
				n.Close()
				t.Errorf("Start(%s) succeeded, want error", tt.name)
			}
		})
	}
}

// textOf returns the whitespace-normalised text of an HTML document.
func textOf(t *testing.T, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "script" && n.Parent.Data != "style") {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestPages(t *testing.T) {
	n, pubs := startDemo(t, Options{})
	c := n.Client()
	for _, layout := range Layouts {
		t.Run(layout.String(), func(t *testing.T) {
			p := pubWith(t, pubs, func(p *Publisher) bool { return p.Layout == layout && len(p.Articles) > 10 })
			for _, a := range []*Article{&p.Articles[0], &p.Articles[len(p.Articles)/2]} {
				url := n.ArticleURL(p, a)
				resp, page := get(t, c, url)
				if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					t.Fatalf("GET %s = %s %s", url, resp.Status, resp.Header.Get("Content-Type"))
				}
				src := string(page)
				for _, want := range []string{
					`<html lang="en">`,
					"<title>" + escape(a.Title) + " | " + escape(p.Name) + "</title>",
					`<meta property="og:title" content="` + escape(a.Title) + `">`,
					`<meta property="og:site_name" content="` + escape(p.Name) + `">`,
					`<meta property="article:published_time" content="` + a.Published.UTC().Format(time.RFC3339) + `">`,
					`<time `, `datetime="` + a.Published.UTC().Format(time.RFC3339) + `"`,
					`<script type="application/ld+json">`, `<figure`, `<figcaption`, "<nav", "<footer",
				} {
					if !strings.Contains(src, want) {
						t.Errorf("%s: page lacks %q", url, want)
					}
				}
				text := textOf(t, page)
				for _, want := range []string{BoilerAdvertisement, BoilerReadMore, BoilerCookies, BoilerNewsletter, BoilerTelegraph, "Share", caption(p, a)} {
					if !strings.Contains(text, want) {
						t.Errorf("%s: page text lacks boilerplate %q", url, want)
					}
				}
				for i, para := range a.Paragraphs {
					if !strings.Contains(text, strings.Join(strings.Fields(para), " ")) {
						t.Errorf("%s: page text lacks paragraph %d %q", url, i, para)
					}
				}
				if a.Author != "" && !strings.Contains(text, a.Author) {
					t.Errorf("%s: page lacks byline %q", url, a.Author)
				}
				checkJSONLD(t, src, a)
			}
		})
	}
	if r := n.Requests(); r.PageOK != int64(2*len(Layouts)) {
		t.Errorf("Requests().PageOK = %d, want %d", r.PageOK, 2*len(Layouts))
	}
}

func checkJSONLD(t *testing.T, src string, a *Article) {
	t.Helper()
	const open = `<script type="application/ld+json">`
	i := strings.Index(src, open)
	j := strings.Index(src[i:], "</script>")
	var ld struct {
		Type          string `json:"@type"`
		Headline      string `json:"headline"`
		DatePublished string `json:"datePublished"`
		Author        []struct {
			Type, Name string
		} `json:"author"`
	}
	if err := json.Unmarshal([]byte(src[i+len(open):i+j]), &ld); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	if ld.Type != "NewsArticle" || ld.Headline != a.Title || ld.DatePublished != a.Published.UTC().Format(time.RFC3339) || len(ld.Author) != 1 {
		t.Errorf("JSON-LD = %+v, want NewsArticle %q %v", ld, a.Title, a.Published)
	}
	if a.Author != "" && ld.Author[0].Name != a.Author {
		t.Errorf("JSON-LD author = %q, want %q", ld.Author[0].Name, a.Author)
	}
}

func TestDemo(t *testing.T) {
	pubs := Demo(testNow)
	arts, _ := Corpus()
	total := 0
	hosts := map[string]bool{}
	formats := map[FeedFormat]bool{}
	layouts := map[Layout]bool{}
	var newest, oldest time.Time
	for _, p := range pubs {
		total += len(p.Articles)
		if hosts[p.Host] || !strings.HasSuffix(p.Host, ".localhost") {
			t.Errorf("publisher %s: host %q repeated or not .localhost", p.Name, p.Host)
		}
		hosts[p.Host] = true
		formats[p.Format] = true
		layouts[p.Layout] = true
		times := map[time.Time]bool{}
		paths := map[string]bool{}
		for _, a := range p.Articles {
			if times[a.Published] || paths[a.Path] {
				t.Errorf("publisher %s: time %v or path %s repeated", p.Name, a.Published, a.Path)
			}
			times[a.Published], paths[a.Path] = true, true
			if a.Published.After(testNow) {
				t.Errorf("%s: published %v after now", a.ID, a.Published)
			}
			if a.Origin == OriginReference {
				if !a.Published.Equal(testNow.Add(-a.Age)) {
					t.Errorf("%s: published %v, want now - %v", a.ID, a.Published, a.Age)
				}
				continue
			}
			if newest.IsZero() || a.Published.After(newest) {
				newest = a.Published
			}
			if oldest.IsZero() || a.Published.Before(oldest) {
				oldest = a.Published
			}
		}
	}
	if total != len(arts) {
		t.Errorf("Demo has %d articles, corpus %d", total, len(arts))
	}
	if len(formats) != len(FeedFormats) || len(layouts) != len(Layouts) {
		t.Errorf("Demo uses %d formats and %d layouts, want all", len(formats), len(layouts))
	}
	if age := testNow.Sub(newest); age > 15*time.Minute {
		t.Errorf("newest article is %v old, want < 15m", age)
	}
	if age := testNow.Sub(oldest); age < 9*24*time.Hour || age > 11*24*time.Hour {
		t.Errorf("oldest article is %v old, want about ten days", age)
	}
	// Several an hour recently.
	recent := 0
	for _, p := range pubs {
		for _, a := range p.Articles {
			if a.Origin != OriginReference && testNow.Sub(a.Published) <= 3*time.Hour {
				recent++
			}
		}
	}
	if recent < 9 {
		t.Errorf("%d articles in the last 3 hours, want several an hour", recent)
	}
	rt := pubs[0]
	if rt.Name != "Russia Today" || rt.Host != "russia-today.localhost" {
		t.Errorf("first publisher = %s at %s, want Russia Today at russia-today.localhost", rt.Name, rt.Host)
	}
}

func TestSynthetic(t *testing.T) {
	const nPubs, nItems = 200, 20
	pubs := Synthetic(nPubs, nItems, testNow)
	if len(pubs) != nPubs {
		t.Fatalf("Synthetic(%d, %d) made %d publishers", nPubs, nItems, len(pubs))
	}
	formats := map[FeedFormat]int{}
	for _, p := range pubs {
		formats[p.Format]++
		if len(p.Articles) != nItems {
			t.Fatalf("%s has %d articles, want %d", p.Name, len(p.Articles), nItems)
		}
		paths := map[string]bool{}
		for j, a := range p.Articles {
			if paths[a.Path] {
				t.Errorf("%s: path %s repeated", p.Name, a.Path)
			}
			paths[a.Path] = true
			if j > 0 && !a.Published.Before(p.Articles[j-1].Published) {
				t.Errorf("%s: article %d not older than %d", p.Name, j, j-1)
			}
		}
	}
	if len(formats) != len(FeedFormats) {
		t.Errorf("formats used: %v, want all", formats)
	}
	// Deterministic.
	again := Synthetic(nPubs, nItems, testNow)
	if again[7].Articles[5].Path != pubs[7].Articles[5].Path || !again[7].Articles[5].Published.Equal(pubs[7].Articles[5].Published) {
		t.Errorf("Synthetic is not deterministic")
	}

	n, err := Start(pubs, Options{FeedItems: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	c := n.Client()
	for _, p := range pubs[:8] {
		_, body := get(t, c, n.FeedURL(p))
		items, err := parseFeed(p.Format, body)
		if err != nil || len(items) != 10 {
			t.Errorf("%s feed: %d items, %v; want 10", p.Name, len(items), err)
		}
	}
	// More items than the corpus holds: texts repeat, URLs do not.
	big := Synthetic(1, 1000, testNow)
	if _, err := Start(big, Options{}); err != nil {
		t.Errorf("Start(Synthetic(1, 1000)): %v", err)
	}
}

// TestConcurrent runs requests while faults switch; run with -race.
func TestConcurrent(t *testing.T) {
	n, pubs := startDemo(t, Options{FeedItems: 20})
	c := n.Client()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		kinds := []Fault{{}, {Kind: FaultStatus}, {Kind: FaultMalformed}, {Kind: FaultWrongEncoding}, {Kind: FaultGone}}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			n.SetFault(pubs[i%len(pubs)], kinds[i%len(kinds)])
			time.Sleep(time.Millisecond)
		}
	}()
	var reqs sync.WaitGroup
	for w := 0; w < 8; w++ {
		reqs.Add(1)
		go func() {
			defer reqs.Done()
			for i := 0; i < 40; i++ {
				p := pubs[(w*7+i)%len(pubs)]
				url := n.FeedURL(p)
				if i%2 == 1 {
					url = n.ArticleURL(p, &p.Articles[i%len(p.Articles)])
				}
				resp, err := c.Get(url)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	reqs.Wait()
	close(stop)
	wg.Wait()
	if r := n.Requests(); r.Total() != 8*40 {
		t.Errorf("Requests().Total() = %d, want %d", r.Total(), 8*40)
	}
	n.ResetRequests()
	if r := n.Requests(); r.Total() != 0 {
		t.Errorf("after ResetRequests, Total() = %d", r.Total())
	}
}

func BenchmarkFeed(b *testing.B) {
	pubs := Synthetic(1000, 20, testNow)
	n, err := Start(pubs, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	c := n.Client()
	i := 0
	for b.Loop() {
		p := pubs[i%len(pubs)]
		i++
		resp, err := c.Get(n.FeedURL(p))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkPage(b *testing.B) {
	pubs := Synthetic(100, 20, testNow)
	n, err := Start(pubs, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close()
	c := n.Client()
	i := 0
	for b.Loop() {
		p := pubs[i%len(pubs)]
		a := &p.Articles[(i/len(pubs))%len(p.Articles)]
		i++
		resp, err := c.Get(n.ArticleURL(p, a))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
