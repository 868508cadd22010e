package taglines

import "time"

// SearchQuery is a search in the rule language of topics (package query).
// The zero value lists the latest articles.
type SearchQuery struct {
	Text string // the rule; empty lists the latest articles
	// Newest orders by publication time instead of relevance.
	Newest bool
	// AllVersions lists every version instead of one entry per version
	// group.
	AllVersions bool
	Before      *Cursor // Newest: resume after this position
	Offset      int     // by relevance: skip this many ranked entries
	Limit       int     // at most this many; <= 0 means 20
	Now         time.Time
}

// SearchHit is one entry of a search: the article (with its group's
// Versions and StorySources, as Store.Articles fills them) and HTML (escaped,
// matched terms in <mark>) of its title and of a passage of its text.
type SearchHit struct {
	Article *Article
	Score   float64 // 0 when not ranked
	Title   string
	Snippet string
}

// SearchResult is a page of a search.
type SearchResult struct {
	Hits []SearchHit
	// Ranked is true when the hits are ordered by relevance; then
	// NextOffset, if above 0, continues the listing; otherwise NextBefore
	// does.
	Ranked     bool
	NextOffset int
	NextBefore *Cursor
}
