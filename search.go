package taglines

import (
	"fmt"
	"strconv"
	"time"
)

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

// Next returns the token that continues the listing after r (for
// ParseSearchCursor), or "" on the last page.
func (r SearchResult) Next() string {
	switch {
	case r.Ranked && r.NextOffset > 0:
		return "o" + strconv.Itoa(r.NextOffset)
	case !r.Ranked && r.NextBefore != nil:
		return "n" + r.NextBefore.String()
	}
	return ""
}

// ParseSearchCursor sets the position of q from a token made by
// SearchResult.Next; errors wrap ErrInvalid.
func ParseSearchCursor(s string, q *SearchQuery) error {
	if len(s) < 2 {
		return fmt.Errorf("search cursor %q: %w", s, ErrInvalid)
	}
	switch s[0] {
	case 'o':
		n, err := strconv.Atoi(s[1:])
		if err != nil || n <= 0 || strconv.Itoa(n) != s[1:] {
			return fmt.Errorf("search cursor %q: %w", s, ErrInvalid)
		}
		q.Offset = n
		return nil
	case 'n':
		c, err := ParseCursor(s[1:])
		if err != nil {
			return err
		}
		q.Before = c
		return nil
	}
	return fmt.Errorf("search cursor %q: %w", s, ErrInvalid)
}
