package feed

import (
	"reflect"
	"testing"
	"time"
)

func TestDiscover(t *testing.T) {
	got := Discover(readFile(t, "site-home.html"), "https://www.example-times.com/")
	want := []string{"https://www.example-times.com/rss/top.xml", "https://feeds.example-times.com/atom"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Discover = %q, want %q", got, want)
	}
	if got := Discover([]byte("<html><head></head><body>no feeds</body></html>"), "https://e.com/"); len(got) != 0 {
		t.Errorf("Discover(page without feeds) = %q", got)
	}
}

func TestSitemap(t *testing.T) {
	f, err := Parse(readFile(t, "news-sitemap.xml"), "https://www.scmp.com/sitemap_news.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "South China Morning Post" || len(f.Items) != 2 {
		t.Fatalf("Parse(news sitemap) = %q with %d items", f.Title, len(f.Items))
	}
	first := f.Items[0]
	want, _ := time.Parse(time.RFC3339, "2025-06-30T06:00:00+08:00")
	if first.Title != "As attacks on Iran show, Russia can now do very little for its allies" || !first.Published.Equal(want) ||
		!reflect.DeepEqual(first.Categories, []string{"Russia", "Iran", "Vladimir Putin"}) || first.Image == "" {
		t.Errorf("first sitemap item = %+v", first)
	}
	if second := f.Items[1]; second.URL != "https://www.scmp.com/news/china/article/3316100/other" || second.Published.IsZero() {
		t.Errorf("second sitemap item (relative, lastmod only) = %+v", second)
	}

	idx, err := Parse(readFile(t, "sitemap-index.xml"), "https://www.example-news.com/sitemap.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	wantChildren := []string{"https://www.example-news.com/sitemaps/2025-07.xml", "https://www.example-news.com/sitemaps/2025-06.xml"}
	if len(idx.Items) != 0 || !reflect.DeepEqual(idx.Sitemaps, wantChildren) {
		t.Errorf("sitemap index = %d items, children %q; want none and %q", len(idx.Items), idx.Sitemaps, wantChildren)
	}
}
