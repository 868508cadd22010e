// Package extract finds the main text and the metadata of an article page.
//
// It starts from readeck's go-readability (a faithful port of Mozilla's
// Readability.js, chosen for its speed and memory; see DEPENDENCIES.md) and
// adds what a news aggregator needs on top: plain text in paragraphs, input in
// any charset, and the removal of boilerplate lines that page-level
// extraction leaves in ("Advertisement", photo credits, subscription pitches).
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// MaxInput bounds the bytes of a page that are read; the rest is ignored,
// so a huge page costs bounded work.
const MaxInput = 4 << 20

// ErrNoContent is returned when no article text could be found.
var ErrNoContent = errors.New("no article content found")

// Result is what extraction learnt about a page. Its JSON form is the public
// output of `taglines extract`.
type Result struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Published time.Time `json:"-"`
	Author    string    `json:"author"`
	Language  string    `json:"language"`
	Image     string    `json:"image"`
	SiteName  string    `json:"site_name"`
}

// Page extracts the article of one HTML page. page is the raw bytes as
// fetched, in whatever charset the document declares or implies;
// contentType is the HTTP Content-Type header, if known, and pageURL the
// page's address (nil if unknown), used to resolve links. Returns
// ErrNoContent if the page holds no readable text.
func Page(page []byte, contentType string, pageURL *url.URL) (*Result, error) {
	if len(page) > MaxInput {
		page = page[:MaxInput]
	}
	doc, err := parseHTML(page, contentType)
	if err != nil {
		return nil, err
	}
	art, err := readability.FromDocument(doc, pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	r := &Result{
		Title:    strings.Join(strings.Fields(art.Title()), " "),
		Author:   strings.Join(strings.Fields(art.Byline()), " "),
		Language: art.Language(),
		Image:    art.ImageURL(),
		SiteName: strings.TrimSpace(art.SiteName()),
	}
	if pageURL != nil {
		r.URL = pageURL.String()
	}
	if t, err := art.PublishedTime(); err == nil {
		r.Published = t
	}
	if art.Node != nil {
		r.Text = Clean(paragraphs(art.Node))
	}
	if r.Text == "" {
		return r, ErrNoContent
	}
	return r, nil
}

// parseHTML decodes page to UTF-8 (from its BOM, Content-Type, <meta> or
// content sniffing, in that order, as browsers do) and parses it.
func parseHTML(page []byte, contentType string) (*html.Node, error) {
	if !utf8.Valid(page) || !strings.Contains(strings.ToLower(contentType), "utf-8") {
		enc, _, _ := charset.DetermineEncoding(page, contentType)
		if decoded, err := enc.NewDecoder().Bytes(page); err == nil {
			page = decoded
		}
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	return doc, nil
}

// blocks are the elements whose text forms a paragraph of its own.
var blocks = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "blockquote": true, "pre": true, "dt": true, "dd": true, "figcaption": true,
	"tr": true, "div": true, "section": true, "article": true, "ul": true, "ol": true,
	"table": true, "figure": true, "header": true, "footer": true, "aside": true,
}

// paragraphs flattens the readable node into paragraphs of plain text: each
// block element ends the paragraph being built, so nested blocks never run
// together, and inline text is joined with single spaces.
func paragraphs(n *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(cur.String()), " "); p != "" {
			out = append(out, p)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "svg", "button", "figcaption":
				// Captions are credits and descriptions of photos, not article text.
				return
			case "br":
				cur.WriteByte(' ')
				return
			}
		}
		isBlock := n.Type == html.ElementNode && blocks[n.Data]
		if isBlock {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if isBlock {
			flush()
		}
	}
	walk(n)
	flush()
	return out
}
