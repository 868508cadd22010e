package taglines

import (
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultSection is the section of an article that nothing has classified.
const DefaultSection = "News"

// Article is one stored news article.
//
// URL is the canonical address; (SourceID, URL) is unique in a Store, so
// storing the same article twice is a no-op. Text is plain text with
// paragraphs separated by blank lines.
type Article struct {
	ID         int64
	SourceID   int64
	SourceName string // filled on reads: the source's display name
	URL        string
	GUID       string // the feed item's id, if it had one
	Title      string
	Text       string
	Author     string
	Language   string
	ImageURL   string
	SiteName   string
	Section    string
	// SectionConfidence is 1 when the publisher named the section, the
	// classifier's probability otherwise, 0 for DefaultSection.
	SectionConfidence float64
	SourceUsed        string    // which text was kept: "page" or "feed"
	PublishedAt       time.Time // the publisher's time; the fetch time if it gave none
	FetchedAt         time.Time
	Tags              []Tag

	// The dedup stage's decisions (Store.SetGroups): the first article of
	// this article's version group, 0 if it is not a version of an earlier
	// one; and its story, named after one of its articles (at first the
	// one that started it), 0 until decided.
	DuplicateOf int64
	Cluster     int64
	// Filled by Store.Articles: how many other versions this article's
	// group has, and the sources covering its story.
	Versions     int
	StorySources int
}

// Group is the dedup decision about one article, written by
// Store.SetGroups.
type Group struct {
	ArticleID   int64
	DuplicateOf int64 // 0: not a version of an earlier article
	Cluster     int64
}

// Excerpt returns at most max bytes of the article's text, cut at a word
// boundary, with paragraphs joined by spaces and "…" appended when cut.
func (a *Article) Excerpt(max int) string {
	// Only the words that reach past max are joined: a page shows twenty
	// excerpts of texts a hundred times longer.
	var b strings.Builder
	b.Grow(min(len(a.Text), max+1))
	for f := range strings.FieldsSeq(a.Text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
		if b.Len() > max {
			break
		}
	}
	text := b.String()
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(text[:cut], ' '); i > max/2 {
		cut = i
	}
	return strings.TrimRight(text[:cut], " ,;:") + "…"
}

// ArticleQuery selects articles newest first. The zero value lists all
// articles from the newest.
type ArticleQuery struct {
	Tag string // a tag slug or name (case-insensitive); empty for all articles
	// Collapse lists one entry per version group: its newest version, at
	// its own time.
	Collapse bool
	// Cluster, if not 0, lists the articles of one story, versions
	// included.
	Cluster int64
	// Section, if not empty, lists one section's articles (its exact name,
	// as SectionCounts returns it); SourceID, if not 0, one source's.
	Section  string
	SourceID int64
	Before   *Cursor // resume after this position; nil starts at the newest
	Limit    int     // at most this many; <= 0 means a store default of 50
}

// Cursor is a position in the newest-first order of articles: the
// (PublishedAt, ID) of the last article of the previous page.
type Cursor struct {
	PublishedAt time.Time
	ID          int64
}

// CursorAfter returns the cursor that continues a listing after a.
func CursorAfter(a *Article) *Cursor { return &Cursor{PublishedAt: a.PublishedAt, ID: a.ID} }

// SectionCount is a section with how many articles it holds.
type SectionCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Stats are the counts shown by `taglines stats`.
type Stats struct {
	Sources        int `json:"sources"`
	Articles       int `json:"articles"`
	Tags           int `json:"tags"`
	FailingSources int `json:"failing_sources"`
}
