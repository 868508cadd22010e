package feed

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	tests := []struct {
		file       string
		base       string
		title      string
		items      int
		first      Item // fields compared when set
		firstCats  []string
		published0 string
	}{
		{"rss2.xml", "https://www.rt.com/rss/", "RT - Daily news", 2,
			Item{URL: "https://www.rt.com/russia/621789-lavrov-trump-eu-ukraine/?utm_source=rss", Title: "Moscow hopes ‘reasonable’ Trump will influence EU", Author: "RT", Image: "https://mf.b37mrtl.ru/files/2025.07/l/687773f320302758f72c0f3a.jpg"},
			[]string{"Russia", "Ukrainian conflict", "Sergey Lavrov"}, "2025-07-16T11:26:10Z"},
		{"atom.xml", "https://www.abc.net.au/news/feed.atom", "ABC News", 1,
			Item{URL: "https://www.abc.net.au/news/2025-04-26/russian-general-killed-car-bomb/105221234", Author: "Reuters"},
			[]string{"World Politics", "Russian Federation"}, "2025-04-25T21:45:00Z"},
		{"rdf.xml", "https://www.memri.org/rss.xml", "MEMRI", 1,
			Item{URL: "https://www.memri.org/reports/kremlins-influence-iran", Author: "MEMRI"},
			nil, "2025-07-17T13:30:00Z"},
		{"jsonfeed.json", "https://www.scmp.com/feed.json", "South China Morning Post", 1,
			Item{GUID: "3316211", Author: "Kyle Chan", Image: "https://cdn.i-scmp.com/sites/default/files/image.jpg"},
			[]string{"Russia", "Iran"}, "2025-06-29T22:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := Parse(readFile(t, tt.file), tt.base, "")
			if err != nil {
				t.Fatalf("Parse(%s) error: %v", tt.file, err)
			}
			if f.Title != tt.title || len(f.Items) != tt.items {
				t.Fatalf("Parse(%s) = title %q, %d items; want %q, %d", tt.file, f.Title, len(f.Items), tt.title, tt.items)
			}
			got := f.Items[0]
			for name, pair := range map[string][2]string{
				"URL": {got.URL, tt.first.URL}, "Title": {got.Title, tt.first.Title}, "Author": {got.Author, tt.first.Author},
				"GUID": {got.GUID, tt.first.GUID}, "Image": {got.Image, tt.first.Image},
			} {
				if pair[1] != "" && pair[0] != pair[1] {
					t.Errorf("item %s = %q, want %q", name, pair[0], pair[1])
				}
			}
			if tt.firstCats != nil && !reflect.DeepEqual(got.Categories, tt.firstCats) {
				t.Errorf("categories = %q, want %q", got.Categories, tt.firstCats)
			}
			want, _ := time.Parse(time.RFC3339, tt.published0)
			if !got.Published.Equal(want) {
				t.Errorf("published = %v, want %v", got.Published, want)
			}
		})
	}
}

func TestParseResolvesRelativeLinks(t *testing.T) {
	f, err := Parse(readFile(t, "rss2.xml"), "https://www.rt.com/rss/", "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Items[1].URL, "https://www.rt.com/russia/621500-putin-erdogan-call/"; got != want {
		t.Errorf("relative link resolved to %q, want %q", got, want)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, name := range []string{"null-items.json", "truncated.xml", "mismatched.xml"} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(readFile(t, name), "https://example.com/feed", "")
			if err == nil && (f == nil || len(f.Items) != 0) {
				t.Errorf("Parse(%s) = %+v, nil; want an error or no items", name, f)
			}
		})
	}
	if _, err := Parse([]byte("<html><body>not a feed</body></html>"), "https://example.com/", ""); err == nil {
		t.Error("Parse(html page) succeeded, want an error")
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	subs, err := ParseOPML(readFile(t, "subscriptions.opml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Outline{
		{Title: "RT - Daily news", FeedURL: "https://www.rt.com/rss/", SiteURL: "https://www.rt.com", Folder: "World"},
		{Title: "ABC News", FeedURL: "https://www.abc.net.au/news/feed/51120/rss.xml", Folder: "World"},
		{Title: "MEMRI", FeedURL: "https://www.memri.org/rss.xml", SiteURL: "https://www.memri.org/"},
	}
	if !reflect.DeepEqual(subs, want) {
		t.Fatalf("ParseOPML = %+v, want %+v", subs, want)
	}
	out, err := WriteOPML("taglines", subs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseOPML(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, want) {
		t.Fatalf("round trip = %+v, want %+v", again, want)
	}
}

func TestBillionLaughs(t *testing.T) {
	// encoding/xml does not expand entities declared in a DTD, so the
	// document costs what its bytes cost; it must not blow up either way.
	f, err := Parse(readFile(t, "billion-laughs.xml"), "https://e.com/feed", "")
	if err != nil {
		return
	}
	for _, it := range f.Items {
		if len(it.Title) > 1000 {
			t.Fatalf("entity expanded into a %d-byte title", len(it.Title))
		}
	}
	if len(f.Title) > 1000 {
		t.Fatalf("entity expanded into a %d-byte feed title", len(f.Title))
	}
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		f.Add(readFile(f, filepath.Base(name)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://example.com/feed", "")
		if err == nil && feed == nil {
			t.Fatal("Parse returned neither a feed nor an error")
		}
		if err != nil {
			return
		}
		for _, it := range feed.Items {
			if it.URL == "" {
				t.Errorf("item without URL survived: %+v", it)
			}
		}
	})
}

func TestTTL(t *testing.T) {
	tests := []struct {
		doc  string
		want time.Duration
	}{
		{`<rss version="2.0"><channel><title>t</title><ttl>60</ttl><item><link>https://e.com/1</link></item></channel></rss>`, time.Hour},
		{`<rss version="2.0"><channel><title>t</title><item><link>https://e.com/1</link></item></channel></rss>`, 0},
	}
	for _, tt := range tests {
		f, err := Parse([]byte(tt.doc), "https://e.com/feed", "")
		if err != nil {
			t.Fatal(err)
		}
		if f.TTL != tt.want {
			t.Errorf("Parse(%q).TTL = %v, want %v", tt.doc, f.TTL, tt.want)
		}
	}
}

// Entries that cannot be articles are not items, and each says why.
func TestParseRefused(t *testing.T) {
	doc := `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://news.example/</link>
<item><title>Good</title><link>/a/1</link></item>
<item><title>No link</title><description>Text.</description></item>
<item><title>Script</title><link> JavaScript:alert(1)</link></item>
<item><title>Mail</title><link>mailto:desk@news.example</link></item>
<item><link>https://news.example/a/2</link><description>  </description></item>
</channel></rss>`
	f, err := Parse([]byte(doc), "https://news.example/feed.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 1 || f.Items[0].URL != "https://news.example/a/1" {
		t.Errorf("items = %+v, want the good one", f.Items)
	}
	want := []Refused{
		{Title: "No link", Reason: ReasonNoLink},
		{Title: "Script", Link: "JavaScript:alert(1)", Reason: ReasonJavaScript},
		{Title: "Mail", Link: "mailto:desk@news.example", Reason: ReasonBadLink},
		{Link: "https://news.example/a/2", Reason: ReasonEmpty},
	}
	if !reflect.DeepEqual(f.Refused, want) {
		t.Errorf("refused = %+v\nwant %+v", f.Refused, want)
	}
	sm := `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/b</loc></url><url><loc>javascript:x()</loc></url></urlset>`
	f, err = Parse([]byte(sm), "https://news.example/sitemap.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 1 || len(f.Refused) != 1 || f.Refused[0].Reason != ReasonJavaScript {
		t.Errorf("sitemap items %+v refused %+v, want one of each", f.Items, f.Refused)
	}
}
