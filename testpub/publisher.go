package testpub

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FeedFormat is the syndication format of a publisher's feed.
type FeedFormat string

// The feed formats a Network serves, each at its usual path.
const (
	RSS2     FeedFormat = "rss2" // RSS 2.0 at /feed.xml
	Atom     FeedFormat = "atom" // Atom 1.0 at /atom.xml
	RSS1     FeedFormat = "rss1" // RSS 1.0 (RDF) at /index.rdf
	JSONFeed FeedFormat = "json" // JSON Feed 1.1 at /feed.json
)

// FeedFormats lists every FeedFormat; Demo and Synthetic rotate through it.
var FeedFormats = []FeedFormat{RSS2, Atom, RSS1, JSONFeed}

// Path returns the feed's path on the publisher's host, "" for an unknown
// format.
func (f FeedFormat) Path() string {
	switch f {
	case RSS2:
		return "/feed.xml"
	case Atom:
		return "/atom.xml"
	case RSS1:
		return "/index.rdf"
	case JSONFeed:
		return "/feed.json"
	}
	return ""
}

// ContentType returns the media type the feed is served with.
func (f FeedFormat) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case RSS1:
		return "application/rdf+xml; charset=utf-8"
	case JSONFeed:
		return "application/feed+json; charset=utf-8"
	}
	return "application/rss+xml; charset=utf-8"
}

// Layout is the page template of a publisher's site. The layouts differ in
// markup, class names and where the boilerplate sits, so that extraction
// is not tuned to one of them.
type Layout int

// The page layouts.
const (
	// LayoutNewsroom is a modern news site: semantic <article>, lead
	// <figure>, inline advertisements, a sidebar of most-read links.
	LayoutNewsroom Layout = iota
	// LayoutMagazine is a WordPress-style magazine: entry-content, a
	// newsletter form, Jetpack-like sharing and related posts, comments.
	LayoutMagazine
	// LayoutWire is an older table-based portal: left menu column,
	// breadcrumbs, "Read more:" paragraphs within the text.
	LayoutWire
)

// Layouts lists every Layout; Demo and Synthetic rotate through it.
var Layouts = []Layout{LayoutNewsroom, LayoutMagazine, LayoutWire}

// String returns the layout's name.
func (l Layout) String() string {
	switch l {
	case LayoutNewsroom:
		return "newsroom"
	case LayoutMagazine:
		return "magazine"
	case LayoutWire:
		return "wire"
	}
	return "layout(" + strconv.Itoa(int(l)) + ")"
}

// articlePath returns the path style of layout l for article a, the idx-th
// of its publisher.
func (l Layout) articlePath(a *Article, idx int) string {
	s := slug(a.Title, 8)
	switch l {
	case LayoutMagazine:
		t := a.Published.UTC()
		return fmt.Sprintf("/%04d/%02d/%02d/%s-%d/", t.Year(), t.Month(), t.Day(), s, idx)
	case LayoutWire:
		return fmt.Sprintf("/stories/%d-%s.html", idx, s)
	}
	return fmt.Sprintf("/%s/%s-%d", slug(a.Section, 3), s, idx)
}

// Publisher is one simulated news site.
//
// Fill it before Start and do not modify it while its Network runs: Start
// fills in an empty Host (from Name) and empty Article paths, and the
// network reads the rest without locks. Faults change at run time through
// Network.SetFault only.
type Publisher struct {
	// Name is the site's display name, e.g. "Russia Today"; required.
	Name string
	// Host is the site's host name without port, e.g.
	// "russia-today.localhost"; unique within a Network. Start derives it
	// from Name when empty.
	Host string
	// Format is the feed's format; empty means RSS2.
	Format FeedFormat
	// Layout is the article page template.
	Layout Layout
	// Articles are the site's articles in any order; feeds list them newest
	// first by Published. Each Path must be unique within the publisher
	// (Start fills empty ones in the layout's style).
	Articles []Article
	// Fault is the fault in force when the network starts.
	Fault Fault
}

// Demo returns every corpus article grouped into its publishers, re-dated
// into a stream ending near now: reference articles keep their ages
// (now - Age, so "a day ago" is a day before now and the page's order in
// time holds); BBC and Reuters articles are interleaved deterministically
// and spread over the last ten days, several an hour near now and sparser
// further back. Publishers come in corpus order (the reference sources,
// "BBC Business" and the other BBC sections, the four "Reuters ..." desks)
// with formats and layouts rotating. Times are distinct within a publisher.
// Demo panics if the embedded corpus is corrupt (the package tests load it).
func Demo(now time.Time) []*Publisher {
	arts := mustCorpus()
	var rest []int
	for i := range arts {
		if arts[i].Origin == OriginReference {
			arts[i].Published = now.Add(-arts[i].Age)
		} else {
			rest = append(rest, i)
		}
	}
	// Interleave sources with a stable pseudo-random order.
	sort.SliceStable(rest, func(x, y int) bool { return hash64(arts[rest[x]].ID) < hash64(arts[rest[y]].ID) })
	const (
		first = 2 * time.Minute
		step  = 12 * time.Minute
		span  = 10 * 24 * time.Hour
	)
	n := time.Duration(len(rest))
	var quad time.Duration // the k² coefficient that makes the stream span ten days
	if n > 0 && span > step*n {
		quad = (span - step*n) / (n * n)
	}
	for k, i := range rest {
		kk := time.Duration(k)
		jitter := time.Duration(hash64(arts[i].ID)%300) * time.Second // < step/2 keeps order
		arts[i].Published = now.Add(-(first + step*kk + quad*kk*kk + jitter)).Truncate(time.Second)
	}

	var pubs []*Publisher
	bySource := map[string]*Publisher{}
	for _, a := range arts {
		p := bySource[a.Source]
		if p == nil {
			i := len(pubs)
			p = &Publisher{
				Name:   a.Source,
				Host:   slug(a.Source, 6) + ".localhost",
				Format: FeedFormats[i%len(FeedFormats)],
				Layout: Layouts[i%len(Layouts)],
			}
			bySource[a.Source] = p
			pubs = append(pubs, p)
		}
		a.Path = p.Layout.articlePath(&a, len(p.Articles)+1)
		p.Articles = append(p.Articles, a)
	}
	return pubs
}

// Synthetic returns nPubs publishers of nItems articles each for load tests:
// "Publisher 00001" at pub-00001.localhost and so on, formats rotating by
// publisher and layouts by groups of four (so every format meets every
// layout). Article texts come from the corpus round-robin, reused when
// nPubs*nItems exceeds it, but each article has its own path, and times are
// deterministic, strictly decreasing within a publisher (47 minutes apart)
// and staggered across publishers. Synthetic panics if the embedded corpus
// is corrupt.
func Synthetic(nPubs, nItems int, now time.Time) []*Publisher {
	corpus := mustCorpus()
	pubs := make([]*Publisher, 0, max(nPubs, 0))
	for i := 0; i < nPubs; i++ {
		p := &Publisher{
			Name:     fmt.Sprintf("Publisher %05d", i+1),
			Host:     fmt.Sprintf("pub-%05d.localhost", i+1),
			Format:   FeedFormats[i%len(FeedFormats)],
			Layout:   Layouts[(i/len(FeedFormats))%len(Layouts)],
			Articles: make([]Article, 0, max(nItems, 0)),
		}
		offset := time.Duration((i*7919)%3600) * time.Second
		for j := 0; j < nItems; j++ {
			a := corpus[(i*nItems+j)%len(corpus)]
			a.Source = p.Name
			a.Published = now.Add(-offset - time.Duration(j)*47*time.Minute).Truncate(time.Second)
			a.Path = fmt.Sprintf("/news/%d-%s", j+1, slug(a.Title, 6))
			p.Articles = append(p.Articles, a)
		}
		pubs = append(pubs, p)
	}
	return pubs
}

// slug returns at most maxWords lower-case ASCII words of s joined by "-".
func slug(s string, maxWords int) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			w.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "Trump's" → "trumps"
		default:
			flush()
		}
		if len(words) >= maxWords {
			break
		}
	}
	flush()
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	if len(words) == 0 {
		return "item"
	}
	return strings.Join(words, "-")
}

// cut returns s cut at a word boundary to at most max bytes plus "…".
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > max/2 {
		i = j
	}
	return strings.TrimRight(s[:i], " ,;:") + "…"
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
