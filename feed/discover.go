package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CommonPaths are where sites that do not announce their feed usually
// keep it, most common first.
var CommonPaths = []string{"/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml", "/feed.json", "/feeds/posts/default", "/sitemap_news.xml", "/news-sitemap.xml"}

// feedTypes are the <link type> values that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml": true, "application/atom+xml": true, "application/feed+json": true,
	"application/json": true, "application/rdf+xml": true, "text/xml": true, "application/xml": true,
}

// Discover returns the feed URLs an HTML page announces with
// <link rel="alternate" type="application/rss+xml" href="...">, absolute,
// in page order, without duplicates. base is the page's URL.
func Discover(page []byte, base string) []string {
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil
	}
	z := html.NewTokenizer(bytes.NewReader(page[:min(len(page), 1<<20)]))
	var out []string
	seen := map[string]bool{}
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Base:
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						if b, err := baseURL.Parse(strings.TrimSpace(string(v))); err == nil {
							baseURL = b
						}
					}
				}
			case atom.Link:
				var rel, typ, href string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "rel":
						rel = strings.ToLower(string(v))
					case "type":
						typ = strings.ToLower(strings.TrimSpace(string(v)))
					case "href":
						href = strings.TrimSpace(string(v))
					}
				}
				if !strings.Contains(" "+rel+" ", " alternate ") || !feedTypes[typ] || href == "" {
					continue
				}
				if strings.Contains(strings.ToLower(href), "/comments/feed") {
					continue // WordPress announces its comment feed too
				}
				if u := resolve(baseURL, href); u != "" && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			case atom.Body:
				return out // feeds are announced in the head
			}
		}
	}
}
