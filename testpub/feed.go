package testpub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// feedItems returns the items a feed lists: newest first, at most
// Options.FeedItems.
func (n *Network) feedItems(s *site) []*Article {
	items := s.items
	if k := n.opts.FeedItems; k > 0 && k < len(items) {
		items = items[:k]
	}
	return items
}

// renderFeed renders s's feed once; the bytes are cached for the life of
// the network.
func (n *Network) renderFeed(s *site) {
	items := n.feedItems(s)
	var b bytes.Buffer
	b.Grow(1024 + 1200*len(items))
	switch s.pub.Format {
	case Atom:
		n.atom(&b, s, items)
	case RSS1:
		n.rss1(&b, s, items)
	case JSONFeed:
		n.jsonFeed(&b, s, items)
	default:
		n.rss2(&b, s, items)
	}
	s.feed = b.Bytes()
	s.feedETag = fmt.Sprintf(`"f%016x"`, hash64(string(s.feed)))
	if len(items) > 0 {
		s.feedMod = items[0].Published
	}
}

// guid is an item's stable identifier: a tag URI that does not depend on
// the network's port.
func guid(p *Publisher, a *Article) string {
	return "tag:" + p.Host + ",2025:" + a.Path
}

func (n *Network) rss2(b *bytes.Buffer, s *site, items []*Article) {
	p := s.pub
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n<channel>\n")
	fmt.Fprintf(b, "<title>%s</title>\n<link>%s</link>\n<description>%s</description>\n<language>en</language>\n",
		escape(p.Name), escape(n.HomeURL(p)), escape("Latest news from "+p.Name))
	fmt.Fprintf(b, "<atom:link href=\"%s\" rel=\"self\" type=\"application/rss+xml\"/>\n", escape(n.FeedURL(p)))
	if len(items) > 0 {
		fmt.Fprintf(b, "<lastBuildDate>%s</lastBuildDate>\n", items[0].Published.UTC().Format(time.RFC1123Z))
	}
	for _, a := range items {
		b.WriteString("<item>\n")
		fmt.Fprintf(b, "<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"false\">%s</guid>\n<pubDate>%s</pubDate>\n",
			escape(a.Title), escape(n.ArticleURL(p, a)), escape(guid(p, a)), a.Published.UTC().Format(time.RFC1123Z))
		if a.Author != "" {
			fmt.Fprintf(b, "<dc:creator>%s</dc:creator>\n", escape(a.Author))
		}
		for _, c := range a.Categories {
			fmt.Fprintf(b, "<category>%s</category>\n", escape(c))
		}
		fmt.Fprintf(b, "<description>%s</description>\n</item>\n", escape(a.Summary()))
	}
	b.WriteString("</channel>\n</rss>\n")
}

func (n *Network) atom(b *bytes.Buffer, s *site, items []*Article) {
	p := s.pub
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">` + "\n")
	fmt.Fprintf(b, "<id>tag:%s,2025:feed</id>\n<title>%s</title>\n<subtitle>%s</subtitle>\n",
		escape(p.Host), escape(p.Name), escape("Latest news from "+p.Name))
	fmt.Fprintf(b, "<link rel=\"self\" type=\"application/atom+xml\" href=\"%s\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>\n",
		escape(n.FeedURL(p)), escape(n.HomeURL(p)))
	updated := time.Unix(0, 0)
	if len(items) > 0 {
		updated = items[0].Published
	}
	fmt.Fprintf(b, "<updated>%s</updated>\n", updated.UTC().Format(time.RFC3339))
	for _, a := range items {
		ts := a.Published.UTC().Format(time.RFC3339)
		b.WriteString("<entry>\n")
		fmt.Fprintf(b, "<id>%s</id>\n<title type=\"text\">%s</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"%s\"/>\n<published>%s</published>\n<updated>%s</updated>\n",
			escape(guid(p, a)), escape(a.Title), escape(n.ArticleURL(p, a)), ts, ts)
		author := a.Author
		if author == "" {
			author = p.Name
		}
		fmt.Fprintf(b, "<author><name>%s</name></author>\n", escape(author))
		for _, c := range a.Categories {
			fmt.Fprintf(b, "<category term=\"%s\" label=\"%s\"/>\n", escape(c), escape(c))
		}
		fmt.Fprintf(b, "<summary type=\"text\">%s</summary>\n</entry>\n", escape(a.Summary()))
	}
	b.WriteString("</feed>\n")
}

func (n *Network) rss1(b *bytes.Buffer, s *site, items []*Article) {
	p := s.pub
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">` + "\n")
	fmt.Fprintf(b, "<channel rdf:about=\"%s\">\n<title>%s</title>\n<link>%s</link>\n<description>%s</description>\n<dc:language>en</dc:language>\n",
		escape(n.FeedURL(p)), escape(p.Name), escape(n.HomeURL(p)), escape("Latest news from "+p.Name))
	if len(items) > 0 {
		fmt.Fprintf(b, "<dc:date>%s</dc:date>\n", items[0].Published.UTC().Format(time.RFC3339))
	}
	b.WriteString("<items>\n<rdf:Seq>\n")
	for _, a := range items {
		fmt.Fprintf(b, "<rdf:li rdf:resource=\"%s\"/>\n", escape(n.ArticleURL(p, a)))
	}
	b.WriteString("</rdf:Seq>\n</items>\n</channel>\n")
	for _, a := range items {
		u := escape(n.ArticleURL(p, a))
		fmt.Fprintf(b, "<item rdf:about=\"%s\">\n<title>%s</title>\n<link>%s</link>\n<description>%s</description>\n<dc:date>%s</dc:date>\n",
			u, escape(a.Title), u, escape(a.Summary()), a.Published.UTC().Format(time.RFC3339))
		if a.Author != "" {
			fmt.Fprintf(b, "<dc:creator>%s</dc:creator>\n", escape(a.Author))
		}
		for _, c := range a.Categories {
			fmt.Fprintf(b, "<dc:subject>%s</dc:subject>\n", escape(c))
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</rdf:RDF>\n")
}

// jsonFeedDoc is a JSON Feed 1.1 document.
type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary"`
	ContentText   string           `json:"content_text"`
	DatePublished string           `json:"date_published"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

func (n *Network) jsonFeed(b *bytes.Buffer, s *site, items []*Article) {
	p := s.pub
	doc := jsonFeedDoc{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       p.Name,
		HomePageURL: n.HomeURL(p),
		FeedURL:     n.FeedURL(p),
		Description: "Latest news from " + p.Name,
		Language:    "en",
		Items:       make([]jsonFeedItem, 0, len(items)),
	}
	for _, a := range items {
		it := jsonFeedItem{
			ID:            guid(p, a),
			URL:           n.ArticleURL(p, a),
			Title:         a.Title,
			Summary:       a.Summary(),
			ContentText:   a.Summary(), // JSON Feed requires content; the full text is on the page
			DatePublished: a.Published.UTC().Format(time.RFC3339),
			Tags:          a.Categories,
		}
		if a.Author != "" {
			it.Authors = []jsonFeedAuthor{{Name: a.Author}}
		}
		doc.Items = append(doc.Items, it)
	}
	enc := json.NewEncoder(b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&doc); err != nil {
		panic(err) // strings and slices always encode
	}
}

// escape escapes s for XML and HTML text and attribute values, dropping
// characters XML 1.0 does not allow.
func escape(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '&', c == '<', c == '>', c == '"', c == '\'', c < 0x20 && c != '\t' && c != '\n' && c != '\r', c >= utf8.RuneSelf:
			clean = false
		}
		if !clean {
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 && r <= 0x10FFFF:
			if r == utf8.RuneError {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
