package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"time"
)

// sitemapDoc covers <urlset> (with the Google News extension) and
// <sitemapindex>.
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapURL   `xml:"url"`
	Sitemaps []sitemapChild `xml:"sitemap"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
	News    struct {
		Title           string `xml:"title"`
		PublicationDate string `xml:"publication_date"`
		Keywords        string `xml:"keywords"`
		Publication     struct {
			Name     string `xml:"name"`
			Language string `xml:"language"`
		} `xml:"publication"`
	} `xml:"news"`
	Image struct {
		Loc string `xml:"loc"`
	} `xml:"image"`
}

type sitemapChild struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod"`
}

// maxSitemapItems bounds the items taken from one sitemap: a news sitemap
// lists the last two days (at most 1,000 URLs); a full-site sitemap has
// tens of thousands of old pages that are not news.
const maxSitemapItems = 1000

// isSitemap reports whether data's root element is a sitemap.
func isSitemap(data []byte) bool {
	head := data[:min(len(data), 2048)]
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}

// parseSitemap reads a sitemap as a feed: each <url> is an item, titled and
// dated by its <news:news> element when it has one, else by <lastmod>;
// <news:keywords> become categories. A sitemap index yields no items but
// its child sitemaps, newest first, in Feed.Sitemaps.
func parseSitemap(data []byte, base string) (*Feed, error) {
	var doc sitemapDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse sitemap %s: %w", base, err)
	}
	f := &Feed{}
	baseURL := parseURL(base)
	for _, u := range doc.URLs {
		if len(f.Items) == maxSitemapItems {
			break
		}
		it := Item{URL: resolve(baseURL, u.Loc), Title: clean(u.News.Title), Image: resolve(baseURL, u.Image.Loc)}
		if it.URL == "" {
			f.Refused = append(f.Refused, refusal(it.Title, u.Loc))
			continue
		}
		it.Published, _ = parseW3CDate(u.News.PublicationDate)
		it.Updated, _ = parseW3CDate(u.LastMod)
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		for _, k := range strings.Split(u.News.Keywords, ",") {
			if k = clean(k); k != "" {
				it.Categories = append(it.Categories, k)
			}
		}
		if f.Title == "" {
			f.Title = clean(u.News.Publication.Name)
			f.Language = u.News.Publication.Language
		}
		f.Items = append(f.Items, it)
	}
	type child struct {
		url string
		mod time.Time
	}
	var children []child
	for _, s := range doc.Sitemaps {
		if u := resolve(baseURL, s.Loc); u != "" {
			mod, _ := parseW3CDate(s.LastMod)
			children = append(children, child{u, mod})
		}
	}
	sort.SliceStable(children, func(i, j int) bool { return children[i].mod.After(children[j].mod) })
	for _, c := range children {
		f.Sitemaps = append(f.Sitemaps, c.url)
	}
	return f, nil
}

// parseW3CDate reads the W3C datetime profile of ISO 8601 that sitemaps use.
func parseW3CDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return ParseDate(s)
}
