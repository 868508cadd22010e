// Package extract finds the main text and the metadata of an article page.
//
// It starts from readeck's go-readability (a faithful port of Mozilla's
// Readability.js, chosen for its speed and memory; see DEPENDENCIES.md) and
// adds what a news aggregator needs on top: input in any charset with the
// work bounded, plain text in paragraphs that keeps headings, lists and
// quotes in order, a fallback when readability finds too little, the removal
// of boilerplate lines that page-level extraction leaves in (link lists,
// share and subscribe prompts, "Advertisement", photo credits), metadata
// from JSON-LD, OpenGraph, meta names, <time>, the URL and the visible text,
// sanitised HTML, per-source rules (Rules) and per-source learnt
// boilerplate (Boilerplate).
//
// Every function of the package is safe for concurrent use; Boilerplate
// documents its own locking.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// MaxInput bounds the bytes of a page that are read; the rest is ignored,
// so a huge page costs bounded work.
const MaxInput = 4 << 20

// Bounds on the parsed tree: elements nested deeper than maxDepth are
// lifted to that depth, and parsing stops adding elements after maxNodes,
// so hostile markup costs linear work.
const (
	maxDepth = 256
	maxNodes = 30_000
)

// ErrNoContent is returned when no article text could be found.
var ErrNoContent = errors.New("no article content found")

// ErrNotHTML is returned for input that is binary rather than text.
var ErrNotHTML = errors.New("input is not HTML or text")

// Source values of Result.SourceUsed.
const (
	SourcePage = "page"
	SourceFeed = "feed"
)

// Result is what extraction learnt about a page. Its JSON form is the public
// output of `taglines extract`; times are written by the command, with the
// page's own UTC offset.
type Result struct {
	URL          string    `json:"url"`
	Title        string    `json:"title"`
	Text         string    `json:"text"`
	Published    time.Time `json:"-"`
	Modified     time.Time `json:"-"`
	Author       string    `json:"author"` // the first of Authors, kept for compatibility
	Authors      []string  `json:"authors"`
	Language     string    `json:"language"`
	Image        string    `json:"image"`
	SiteName     string    `json:"site_name"`
	CanonicalURL string    `json:"canonical_url"`
	Description  string    `json:"description"`
	SourceUsed   string    `json:"source_used"`
	// HTML is the main content as sanitised HTML; only filled when
	// Options.HTML is set.
	HTML string `json:"html,omitempty"`
}

// Options tunes PageWith. The zero value is what Page uses.
type Options struct {
	// Rules are the page's source's rules, applied before extraction.
	Rules *Rules
	// Boilerplate, if not nil, drops the lines learnt as recurring in
	// the source's articles. It is only read; call Boilerplate.Learn to
	// teach it.
	Boilerplate *Boilerplate
	// HTML asks for Result.HTML.
	HTML bool
}

// Page extracts the article of one HTML page. page is the raw bytes as
// fetched, in whatever charset the document declares or implies;
// contentType is the HTTP Content-Type header, if known, and pageURL the
// page's address (nil if unknown), used to resolve links. Returns
// ErrNoContent, with the metadata found, if the page holds no readable
// text, and ErrNotHTML if it is binary.
func Page(page []byte, contentType string, pageURL *url.URL) (*Result, error) {
	return PageWith(page, contentType, pageURL, Options{})
}

// PageWith is Page with per-source options.
func PageWith(page []byte, contentType string, pageURL *url.URL, opts Options) (*Result, error) {
	if len(page) > MaxInput {
		page = page[:MaxInput]
	}
	if isBinary(page) {
		return nil, ErrNotHTML
	}
	if opts.Rules != nil && !opts.Rules.compiled() {
		return nil, fmt.Errorf("%w: not compiled", ErrInvalidRules)
	}
	doc, err := parseHTML(page, contentType)
	if err != nil {
		return nil, err
	}
	r := &Result{SourceUsed: SourcePage}
	if pageURL != nil {
		r.URL = pageURL.String()
	}
	m := readMeta(doc, pageURL)
	opts.Rules.drop(doc)

	var paras []para
	byline := ""
	content := opts.Rules.keep(doc)
	var fallback *html.Node
	if content != nil {
		paras = walkParas(content, true)
	} else {
		fallback = bestFallback(doc)
		// Readability mutates what it is given; the fallback candidate is
		// a subtree of doc, so it gets its own copy.
		if fallback != nil {
			fallback = cloneNode(fallback, 0)
		}
		parser := readability.NewParser()
		parser.DisableJSONLD = true // readMeta has read it
		parser.KeepClasses = true   // for chrome() on its output
		art, err := parser.ParseAndMutate(doc, pageURL)
		if err == nil {
			content, byline = art.Node, art.Byline()
		}
		paras = walkParas(content, false)
		if fallback != nil {
			if fp := walkParas(fallback, true); better(fp, paras) {
				paras, content = fp, fallback
			}
		}
	}
	paras = trimEdges(dropBoilerplateLines(paras))
	lines := texts(paras)
	if opts.Boilerplate != nil {
		lines = opts.Boilerplate.Filter(lines)
	}
	text := Clean(lines)
	text = opts.Rules.strip(text)
	r.Text = text

	m.fill(r, byline, text, pageURL)
	if opts.HTML && content != nil {
		r.HTML = SanitizeNode(content, pageURL)
	}
	if r.Text == "" {
		return r, ErrNoContent
	}
	return r, nil
}

// isBinary reports whether b looks like a binary file rather than markup
// or text: NUL bytes or a large share of control characters in its start.
func isBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	if len(head) == 0 {
		return false
	}
	// A BOM of UTF-16 explains NUL bytes.
	if bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		return false
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return true
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*10 > len(head)
}

// parseHTML decodes page to UTF-8 and parses it. A page that is valid
// UTF-8 is taken as UTF-8 whatever it declares (a declaration of Latin-1
// on UTF-8 bytes is a common server mistake, the reverse almost never
// validates); otherwise the BOM, Content-Type, <meta> and content sniffing
// decide, in that order, as browsers do.
func parseHTML(page []byte, contentType string) (*html.Node, error) {
	if !utf8.Valid(page) {
		enc, _, _ := charset.DetermineEncoding(page, contentType)
		if decoded, err := enc.NewDecoder().Bytes(page); err == nil {
			page = decoded
		}
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		// x/net/html refuses more than 512 open elements; the page is
		// still worth reading with its deepest tags dropped.
		doc, err = html.Parse(bytes.NewReader(flatten(page, maxDepth)))
	}
	if err != nil {
		return nil, fmt.Errorf("extract: parse html: %w", err)
	}
	bound(doc)
	return doc, nil
}
