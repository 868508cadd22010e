// Package feed turns feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into
// items, and reads and writes OPML subscription lists. It is pure: bytes in,
// values out.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Feed is a parsed feed.
type Feed struct {
	Title    string
	SiteURL  string
	Language string
	// TTL is how long the publisher says the feed may be cached (RSS
	// <ttl>); zero if it says nothing.
	TTL   time.Duration
	Items []Item
	// Sitemaps are the child sitemaps of a sitemap index, newest first;
	// empty for feeds.
	Sitemaps []string
	// Refused are the entries that could not become items, in order.
	Refused []Refused
}

// Refused is a feed entry that is not an Item, and why.
type Refused struct {
	Title  string // the entry's title, if any
	Link   string // the link as written, if any
	Reason string // ReasonNoLink, ReasonJavaScript, ReasonBadLink or ReasonEmpty
}

// Reasons of Refused.
const (
	ReasonNoLink     = "no link"
	ReasonJavaScript = "javascript: link"
	ReasonBadLink    = "unusable link"
	ReasonEmpty      = "no title and no text"
)

// refusal says why link, written in a feed, resolved to no usable URL.
func refusal(title, link string) Refused {
	reason := ReasonBadLink
	switch l := strings.ToLower(strings.TrimSpace(link)); {
	case l == "":
		reason = ReasonNoLink
	case strings.HasPrefix(l, "javascript:"):
		reason = ReasonJavaScript
	}
	return Refused{Title: title, Link: link, Reason: reason}
}

// Item is one entry of a feed. URL is absolute; times are zero when the feed
// gave none or gave one that could not be read.
type Item struct {
	GUID       string
	URL        string
	Title      string
	Summary    string // the description or summary, HTML as published
	Content    string // full content when the feed carries it
	Author     string
	Published  time.Time
	Updated    time.Time
	Categories []string
	Image      string
}

// Parse reads a feed of any supported format, in any charset (see
// ToUTF8; contentType is the HTTP header, or empty). base is the URL the
// feed was fetched from; relative links are resolved against the feed's own
// link or, failing that, base. Entries without a usable link (an article
// is identified by its address) or with no title and no text are not items
// but Feed.Refused, with the reason. A document cut off in the
// middle yields its complete items.
func Parse(data []byte, base, contentType string) (f *Feed, err error) {
	data = ToUTF8(data, contentType)
	if isSitemap(data) {
		return parseSitemap(data, base)
	}
	f, err = parse(data, base)
	if err != nil {
		if fixed := repairTruncated(data); fixed != nil {
			if f2, err2 := parse(fixed, base); err2 == nil && len(f2.Items) > 0 {
				return f2, nil
			}
		}
	}
	return f, err
}

func parse(data []byte, base string) (f *Feed, err error) {
	// gofeed panics on some malformed JSON feeds ({"items":[null]}); a feed
	// is untrusted input, so a panic is just a parse error.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("parse feed %s: malformed feed (%v)", base, r)
		}
	}()
	gf, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	baseURL, _ := url.Parse(base)
	f = &Feed{
		Title:    clean(gf.Title),
		Language: gf.Language,
		SiteURL:  resolve(baseURL, gf.Link),
		TTL:      ttl(data),
	}
	// RSS says nothing about relative links; readers resolve them against
	// the channel's link, the site. Atom and JSON Feed links are relative
	// to the document itself.
	if site, err := url.Parse(f.SiteURL); err == nil && site.IsAbs() && (baseURL == nil || gf.FeedType == "rss") {
		baseURL = site
	}
	for _, gi := range gf.Items {
		if gi == nil {
			continue
		}
		it := Item{
			GUID:    strings.TrimSpace(gi.GUID),
			URL:     resolve(baseURL, firstNonEmpty(gi.Link, linkFromGUID(gi.GUID))),
			Title:   clean(gi.Title),
			Summary: gi.Description,
			Content: gi.Content,
		}
		if it.URL == "" {
			f.Refused = append(f.Refused, refusal(it.Title, firstNonEmpty(gi.Link, linkFromGUID(gi.GUID))))
			continue
		}
		if it.Title == "" && strings.TrimSpace(it.Summary) == "" && strings.TrimSpace(it.Content) == "" {
			f.Refused = append(f.Refused, Refused{Link: it.URL, Reason: ReasonEmpty})
			continue
		}
		if gi.PublishedParsed != nil {
			it.Published = *gi.PublishedParsed
		} else if t, ok := ParseDate(gi.Published); ok {
			it.Published = t
		}
		if gi.UpdatedParsed != nil {
			it.Updated = *gi.UpdatedParsed
		} else if t, ok := ParseDate(gi.Updated); ok {
			it.Updated = t
		}
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		for _, a := range gi.Authors {
			if a != nil && a.Name != "" {
				it.Author = clean(a.Name)
				break
			}
		}
		if it.Author == "" && gi.DublinCoreExt != nil && len(gi.DublinCoreExt.Creator) > 0 {
			it.Author = clean(gi.DublinCoreExt.Creator[0])
		}
		for _, c := range gi.Categories {
			// Some publishers pack several labels into one field.
			for _, part := range strings.Split(c, ",") {
				if part = clean(part); part != "" {
					it.Categories = append(it.Categories, part)
				}
			}
		}
		if gi.Image != nil {
			it.Image = resolve(baseURL, gi.Image.URL)
		}
		for _, e := range gi.Enclosures {
			if it.Image == "" && e != nil && strings.HasPrefix(e.Type, "image/") {
				it.Image = resolve(baseURL, e.URL)
			}
		}
		f.Items = append(f.Items, it)
	}
	if len(f.Items) == 0 && len(gf.Items) == 0 {
		// gofeed's reader is lenient and can return an empty feed for a
		// document that is broken, not empty; say what is broken.
		if err := xmlSyntaxError(data); err != nil {
			return nil, fmt.Errorf("parse feed %s: malformed XML: %w", base, err)
		}
	}
	return f, nil
}

// xmlSyntaxError returns the first well-formedness error of an XML document,
// or nil for a well-formed one or a document that is not XML (JSON Feed).
func xmlSyntaxError(data []byte) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] == '{' {
		return nil
	}
	dec := xml.NewDecoder(bytes.NewReader(trimmed))
	dec.Strict = true
	dec.CharsetReader = func(string, io.Reader) (io.Reader, error) {
		return nil, errCharsetSkipped
	}
	for {
		_, err := dec.Token()
		switch {
		case err == io.EOF:
			return nil
		case errors.Is(err, errCharsetSkipped):
			return nil // a non-UTF-8 declaration: well-formedness is not the question
		case err != nil:
			return err
		}
	}
}

var errCharsetSkipped = errors.New("charset not checked")

// ttlPattern finds RSS's channel-level <ttl> (minutes), which gofeed does
// not carry over to its universal Feed.
var ttlPattern = lazyRegexp(`<ttl>\s*(\d{1,6})\s*</ttl>`)

// ttl reads <ttl> from the head of the document, where the channel's
// elements come before its items.
func ttl(data []byte) time.Duration {
	head := data[:min(len(data), 64<<10)]
	m := ttlPattern().FindSubmatch(head)
	if m == nil {
		return 0
	}
	minutes, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return 0
	}
	return time.Duration(minutes) * time.Minute
}

// clean unescapes entities left in text fields and collapses whitespace.
func clean(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// linkFromGUID uses a GUID as the link when it is itself a URL, as RSS
// permalinks are.
func linkFromGUID(guid string) string {
	if strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://") {
		return guid
	}
	return ""
}

func parseURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}

// resolve makes ref absolute against base; it returns "" for anything that
// is not an http(s) URL.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}
