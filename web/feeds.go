package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

// Feeds out: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of every tag, section,
// source, story and search, at the page's path plus ".rss", ".atom" or
// ".json". Written with encoding/xml and encoding/json: the formats are
// small, and the generator libraries at hand stop at JSON Feed 1.0.

// FeedSize is how many entries a feed carries, newest first, with their
// full clean text.
const FeedSize = 50

var feedTypes = map[string]string{
	"rss":  "application/rss+xml; charset=utf-8",
	"atom": "application/atom+xml; charset=utf-8",
	"json": "application/feed+json; charset=utf-8",
}

// feedSuffix splits "UkrainianConflict.rss" into the name and the feed
// format; a name without a feed suffix has format "".
func feedSuffix(s string) (name, format string) {
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		if _, ok := feedTypes[s[i+1:]]; ok {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

type feedLink struct {
	Type, Label, Title, Href string
}

// feedLinks are the feeds of a page at path (a search's with its query),
// for <link rel="alternate"> and the page's footer.
func feedLinks(title, path string) []feedLink {
	p, q, _ := strings.Cut(path, "?")
	if q != "" {
		q = "?" + q
	}
	var out []feedLink
	for _, f := range []struct{ ext, typ, label string }{
		{"rss", "application/rss+xml", "RSS"}, {"atom", "application/atom+xml", "Atom"}, {"json", "application/feed+json", "JSON Feed"},
	} {
		out = append(out, feedLink{Type: f.typ, Label: f.label, Title: title + " (" + f.label + ")", Href: p + "." + f.ext + q})
	}
	return out
}

// feedMeta names a feed: its title, the page it mirrors and its own path
// (without the format suffix; a search's carries its query).
type feedMeta struct {
	Title string
	Page  string
	Path  string
	// Missing, if set, answers an empty feed with this 404 text: a
	// story or section exists only through its articles.
	Missing    string
	MissingArg string
}

// feed answers a feed of the newest FeedSize entries of q.
func (h *handler) feed(w http.ResponseWriter, r *http.Request, format string, m feedMeta, q taglines.ArticleQuery) {
	q.Limit = FeedSize
	arts, err := h.store.Articles(r.Context(), q)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if len(arts) == 0 && m.Missing != "" {
		if m.MissingArg != "" {
			h.fail(w, r, http.StatusNotFound, m.Missing, nil, m.MissingArg)
		} else {
			h.fail(w, r, http.StatusNotFound, m.Missing, nil)
		}
		return
	}
	h.writeFeed(w, r, format, m, arts)
}

// searchFeed serves /search.rss?q= (and .atom, .json): the newest matches.
func (h *handler) searchFeed(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		text := strings.TrimSpace(r.URL.Query().Get("q"))
		res, err := h.store.Search(r.Context(), taglines.SearchQuery{Text: text, Newest: true, Limit: FeedSize, Now: h.now()})
		var se *query.SyntaxError
		if errors.As(err, &se) {
			http.Error(w, fmt.Sprintf("malformed search at character %d: %s", se.Pos+1, se.Msg), http.StatusBadRequest)
			return
		}
		if err != nil {
			h.storeError(w, r, err)
			return
		}
		arts := make([]*taglines.Article, len(res.Hits))
		for i, hit := range res.Hits {
			arts[i] = hit.Article
		}
		title := "Search"
		if text != "" {
			title = "Search: " + text
		}
		qs := "?q=" + url.QueryEscape(text)
		h.writeFeed(w, r, format, feedMeta{Title: title, Page: "/search" + qs, Path: "/search" + qs}, arts)
	}
}

func (h *handler) writeFeed(w http.ResponseWriter, r *http.Request, format string, m feedMeta, arts []*taglines.Article) {
	base := h.baseURL(r)
	self := m.Path
	if i := strings.IndexByte(self, '?'); i >= 0 {
		self = self[:i] + "." + format + self[i:]
	} else {
		self += "." + format
	}
	f := feedData{Title: m.Title + " · " + h.site, Home: base + m.Page, Self: base + self, Site: h.site}
	var updated time.Time
	for _, a := range arts {
		updated = maxTime(updated, maxTime(a.PublishedAt, a.FetchedAt))
		f.Items = append(f.Items, feedItem{a: a, ID: base + articleHref(a.ID)})
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	f.Updated = updated.UTC()
	var (
		body []byte
		err  error
	)
	switch format {
	case "rss":
		body, err = f.rss()
	case "atom":
		body, err = f.atom()
	default:
		body, err = f.jsonFeed()
	}
	if err != nil {
		h.fail(w, r, http.StatusInternalServerError, "The feed could not be written.", err)
		return
	}
	sum := sha256.Sum256(body)
	hd := w.Header()
	hd.Set("Content-Type", feedTypes[format])
	hd.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	hd.Set("Cache-Control", "public, max-age=60")
	// ServeContent answers If-None-Match and If-Modified-Since with 304.
	http.ServeContent(w, r, "", f.Updated, bytes.NewReader(body))
}

// baseURL is the scheme and host the request came to, for the absolute
// links feeds need.
func (h *handler) baseURL(r *http.Request) string {
	if h.baseOverride != "" {
		return h.baseOverride
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

type feedData struct {
	Title, Home, Self, Site string
	Updated                 time.Time
	Items                   []feedItem
}

type feedItem struct {
	a  *taglines.Article
	ID string // the article's page on this site: a stable GUID
}

func (it feedItem) title() string {
	if it.a.Title == "" {
		return it.a.URL
	}
	return it.a.Title
}

// contentHTML is the full clean text as escaped paragraphs.
func (it feedItem) contentHTML() string {
	var b strings.Builder
	for p := range strings.SplitSeq(it.a.Text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
		}
	}
	return b.String()
}

func (f *feedData) rss() ([]byte, error) {
	type guid struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	}
	type cdata struct {
		Value string `xml:",cdata"`
	}
	type item struct {
		Title       string   `xml:"title"`
		Link        string   `xml:"link"`
		GUID        guid     `xml:"guid"`
		PubDate     string   `xml:"pubDate"`
		Creator     string   `xml:"dc:creator,omitempty"`
		Categories  []string `xml:"category"`
		Description string   `xml:"description"`
		Content     cdata    `xml:"content:encoded"`
	}
	type atomLink struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	}
	type channel struct {
		Title         string   `xml:"title"`
		Link          string   `xml:"link"`
		Description   string   `xml:"description"`
		Self          atomLink `xml:"atom:link"`
		LastBuildDate string   `xml:"lastBuildDate"`
		Generator     string   `xml:"generator"`
		Items         []item   `xml:"item"`
	}
	type rss struct {
		XMLName xml.Name `xml:"rss"`
		Version string   `xml:"version,attr"`
		Atom    string   `xml:"xmlns:atom,attr"`
		Content string   `xml:"xmlns:content,attr"`
		DC      string   `xml:"xmlns:dc,attr"`
		Channel channel  `xml:"channel"`
	}
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/",
		DC: "http://purl.org/dc/elements/1.1/", Channel: channel{
			Title: f.Title, Link: f.Home, Description: f.Title,
			Self:          atomLink{Href: f.Self, Rel: "self", Type: "application/rss+xml"},
			LastBuildDate: f.Updated.Format(time.RFC1123Z), Generator: "taglines",
		}}
	for _, it := range f.Items {
		x := item{Title: it.title(), Link: it.a.URL, GUID: guid{"true", it.ID}, PubDate: it.a.PublishedAt.UTC().Format(time.RFC1123Z),
			Creator: it.a.Author, Description: it.a.Excerpt(DefaultExcerptLen), Content: cdata{it.contentHTML()}}
		for _, t := range it.a.Tags {
			x.Categories = append(x.Categories, t.Name)
		}
		doc.Channel.Items = append(doc.Channel.Items, x)
	}
	return marshalXML(doc)
}

func (f *feedData) atom() ([]byte, error) {
	type link struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
		Type string `xml:"type,attr,omitempty"`
	}
	type text struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	}
	type person struct {
		Name string `xml:"name"`
	}
	type category struct {
		Term string `xml:"term,attr"`
	}
	type entry struct {
		ID         string     `xml:"id"`
		Title      text       `xml:"title"`
		Links      []link     `xml:"link"`
		Published  string     `xml:"published"`
		Updated    string     `xml:"updated"`
		Authors    []person   `xml:"author"`
		Categories []category `xml:"category"`
		Summary    text       `xml:"summary"`
		Content    text       `xml:"content"`
	}
	type feed struct {
		XMLName   xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID        string   `xml:"id"`
		Title     text     `xml:"title"`
		Updated   string   `xml:"updated"`
		Links     []link   `xml:"link"`
		Author    person   `xml:"author"`
		Generator string   `xml:"generator"`
		Entries   []entry  `xml:"entry"`
	}
	doc := feed{ID: f.Self, Title: text{"text", f.Title}, Updated: f.Updated.Format(time.RFC3339),
		Links:  []link{{Href: f.Self, Rel: "self", Type: "application/atom+xml"}, {Href: f.Home, Rel: "alternate", Type: "text/html"}},
		Author: person{f.Site}, Generator: "taglines"}
	for _, it := range f.Items {
		e := entry{ID: it.ID, Title: text{"text", it.title()},
			Links:     []link{{Href: it.a.URL, Rel: "alternate", Type: "text/html"}, {Href: it.ID, Rel: "related", Type: "text/html"}},
			Published: it.a.PublishedAt.UTC().Format(time.RFC3339), Updated: maxTime(it.a.PublishedAt, it.a.FetchedAt).UTC().Format(time.RFC3339),
			Summary: text{"text", it.a.Excerpt(DefaultExcerptLen)}, Content: text{"html", it.contentHTML()}}
		if it.a.Author != "" {
			e.Authors = []person{{it.a.Author}}
		}
		for _, t := range it.a.Tags {
			e.Categories = append(e.Categories, category{t.Name})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}

func (f *feedData) jsonFeed() ([]byte, error) {
	type author struct {
		Name string `json:"name"`
	}
	type item struct {
		ID            string   `json:"id"`
		URL           string   `json:"url"`
		Title         string   `json:"title"`
		ContentHTML   string   `json:"content_html"`
		Summary       string   `json:"summary,omitempty"`
		Image         string   `json:"image,omitempty"`
		DatePublished string   `json:"date_published"`
		DateModified  string   `json:"date_modified,omitempty"`
		Authors       []author `json:"authors,omitempty"`
		Tags          []string `json:"tags,omitempty"`
		Language      string   `json:"language,omitempty"`
	}
	type feed struct {
		Version     string   `json:"version"`
		Title       string   `json:"title"`
		HomePageURL string   `json:"home_page_url"`
		FeedURL     string   `json:"feed_url"`
		Authors     []author `json:"authors"`
		Items       []item   `json:"items"`
	}
	doc := feed{Version: "https://jsonfeed.org/version/1.1", Title: f.Title, HomePageURL: f.Home, FeedURL: f.Self,
		Authors: []author{{f.Site}}, Items: []item{}}
	for _, it := range f.Items {
		x := item{ID: it.ID, URL: it.a.URL, Title: it.title(), ContentHTML: it.contentHTML(), Summary: it.a.Excerpt(DefaultExcerptLen),
			Image: it.a.ImageURL, DatePublished: it.a.PublishedAt.UTC().Format(time.RFC3339), Language: it.a.Language}
		if !it.a.FetchedAt.IsZero() && it.a.FetchedAt.After(it.a.PublishedAt) {
			x.DateModified = it.a.FetchedAt.UTC().Format(time.RFC3339)
		}
		if it.a.Author != "" {
			x.Authors = []author{{it.a.Author}}
		}
		for _, t := range it.a.Tags {
			x.Tags = append(x.Tags, t.Name)
		}
		doc.Items = append(doc.Items, x)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	err := enc.Encode(doc)
	return buf.Bytes(), err
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
