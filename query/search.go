package query

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/taglines/taglines"
)

// Limits of a search. A topic rule is bounded by MaxLen and nesting only;
// a search, typed by anyone, must also stay cheap to compile and to run:
// PostgreSQL has no NEAR, so NEAR/n becomes 2(n+1) phrase alternatives.
const (
	MaxSearchTerms = 64
	MaxSearchNear  = 50
)

// RankWindow is how many of the newest matching articles a search ranks
// by relevance. Recency weighs so much in the ranking that an older match
// rarely outranks the newest few hundred, and the window keeps a common
// word as cheap as a rare one. Sorting by newest pages through all matches.
const RankWindow = 500

// defaultSearchLimit is the page size of a search that gives none.
const defaultSearchLimit = 20

// ParseSearch parses a search: a rule (Parse) within the search limits.
func ParseSearch(s string) (*Query, error) {
	q, err := Parse(s)
	if err != nil {
		return nil, err
	}
	terms := 0
	var err2 error
	walk(q.root, func(n Node) {
		switch n := n.(type) {
		case *Term:
			terms++
			if terms == MaxSearchTerms+1 && err2 == nil {
				err2 = &SyntaxError{n.pos, "a search holds at most " + strconv.Itoa(MaxSearchTerms) + " terms"}
			}
		case *Near:
			if n.N > MaxSearchNear && err2 == nil {
				err2 = &SyntaxError{n.pos, "a search's NEAR/n is at most NEAR/" + strconv.Itoa(MaxSearchNear)}
			}
		}
	})
	if err2 != nil {
		return nil, err2
	}
	return q, nil
}

// walk calls fn on every node of the tree, parents first.
func walk(n Node, fn func(Node)) {
	fn(n)
	switch n := n.(type) {
	case *And:
		walk(n.L, fn)
		walk(n.R, fn)
	case *Or:
		walk(n.L, fn)
		walk(n.R, fn)
	case *Not:
		walk(n.X, fn)
	case *Near:
		walk(n.L, fn)
		walk(n.R, fn)
	}
}

// Positive returns the textual terms of q that a match can contain (those
// not under NOT), Near operands included: what ranking and highlighting
// look for.
func (q *Query) Positive() []*Term {
	var out []*Term
	var visit func(n Node)
	visit = func(n Node) {
		switch n := n.(type) {
		case *And:
			visit(n.L)
			visit(n.R)
		case *Or:
			visit(n.L)
			visit(n.R)
		case *Near:
			if n.L.Textual() {
				out = append(out, n.L, n.R)
			}
		case *Term:
			if n.Textual() {
				out = append(out, n)
			}
		}
	}
	visit(q.root)
	return out
}

// Candidate is an article a store found for a search, with the index
// terms of its title and text when asked for.
type Candidate struct {
	ID        int64
	Published time.Time
	// The index terms of the title and the text, joined by single
	// spaces, as the stores keep them: ranking counts in them without
	// splitting.
	Title, Body string
}

// CandidateQuery says which matches of a rule a Backend returns.
type CandidateQuery struct {
	Now      time.Time // what relative dates count back from
	Collapse bool      // leave out articles superseded by a newer version
	// Newest: by (published, id) descending, after Before if set.
	// Otherwise by ID descending (the newest stored first), with Terms.
	Newest bool
	Before *taglines.Cursor
	Limit  int
}

// Backend is what a store provides for Search.
type Backend interface {
	// SearchCandidates returns up to c.Limit articles matching q (nil
	// matches all), in the order c asks for.
	SearchCandidates(ctx context.Context, q *Query, c CandidateQuery) ([]Candidate, error)
	// ArticlesByID returns the articles with the given IDs, in that
	// order, as Store.Articles fills them (tags, SourceName, Versions,
	// StorySources); unknown IDs are left out.
	ArticlesByID(ctx context.Context, ids []int64) ([]*taglines.Article, error)
}

// Search answers sq from a store: both stores call it, so that ranking,
// paging and snippets are one code. Errors of the rule are *SyntaxError
// (wrapping taglines.ErrInvalid).
func Search(ctx context.Context, b Backend, sq taglines.SearchQuery) (taglines.SearchResult, error) {
	limit := sq.Limit
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	now := sq.Now
	if now.IsZero() {
		now = time.Now()
	}
	var q *Query
	if sq.Text != "" {
		var err error
		if q, err = ParseSearch(sq.Text); err != nil {
			return taglines.SearchResult{}, err
		}
	}
	if sq.Offset < 0 {
		return taglines.SearchResult{}, fmt.Errorf("search offset %d: %w", sq.Offset, taglines.ErrInvalid)
	}
	cq := CandidateQuery{Now: now, Collapse: !sq.AllVersions, Limit: limit + 1}
	var res taglines.SearchResult
	var positive []*Term
	if q != nil {
		positive = q.Positive()
	}
	var cands []Candidate
	var scores []float64
	if sq.Newest || len(positive) == 0 {
		cq.Newest, cq.Before = true, sq.Before
		var err error
		if cands, err = b.SearchCandidates(ctx, q, cq); err != nil {
			return res, fmt.Errorf("search: %w", err)
		}
		if len(cands) > limit {
			cands = cands[:limit]
			last := cands[limit-1]
			res.NextBefore = &taglines.Cursor{PublishedAt: last.Published, ID: last.ID}
		}
	} else {
		res.Ranked = true
		cq.Limit = RankWindow
		all, err := b.SearchCandidates(ctx, q, cq)
		if err != nil {
			return res, fmt.Errorf("search: %w", err)
		}
		scored := Rank(positive, all, now)
		if sq.Offset < len(scored) {
			end := min(len(scored), sq.Offset+limit)
			for _, s := range scored[sq.Offset:end] {
				cands = append(cands, s.Candidate)
				scores = append(scores, s.Score)
			}
			if end < len(scored) {
				res.NextOffset = end
			}
		}
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = c.ID
	}
	articles, err := b.ArticlesByID(ctx, ids)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	byID := make(map[int64]*taglines.Article, len(articles))
	for _, a := range articles {
		byID[a.ID] = a
	}
	hl := newHighlighter(positive)
	hits := make([]taglines.SearchHit, 0, len(cands))
	for i, c := range cands {
		a := byID[c.ID]
		if a == nil {
			continue // deleted between the two reads
		}
		h := taglines.SearchHit{Article: a, Title: hl.all(a.Title), Snippet: hl.passage(a.Text, snippetLen)}
		if res.Ranked {
			h.Score = scores[i]
		}
		hits = append(hits, h)
	}
	res.Hits = hits
	return res, nil
}

// Scored is a candidate with its score.
type Scored struct {
	Candidate
	Score float64
}

// BM25 parameters, and how much a title occurrence counts over one in the
// text (BM25F with one length over both fields).
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 3.0
	// recencyDays is the age at which relevance counts half: this
	// week's articles about someone come before a 2019 one that names
	// him more often.
	recencyDays = 7.0
)

// Rank scores candidates by BM25F relevance to terms, over the candidates'
// own statistics (the same on every store, which is why the stores return
// terms rather than their own scores), times a recency factor
// 1/(1+age/7 days); it returns them best first (ties: newest, then highest
// ID first).
func Rank(terms []*Term, cands []Candidate, now time.Time) []Scored {
	if len(cands) == 0 {
		return nil
	}
	type tfs struct{ title, body float64 }
	tf := make([][]tfs, len(cands))
	df := make([]int, len(terms))
	var total float64
	for i, c := range cands {
		total += titleWeight*float64(termCount(c.Title)) + float64(termCount(c.Body))
		tf[i] = make([]tfs, len(terms))
		for j, t := range terms {
			var x tfs
			if t.Field != FieldText {
				x.title = float64(t.countIn(c.Title))
			}
			if t.Field != FieldTitle {
				x.body = float64(t.countIn(c.Body))
			}
			if x.title+x.body > 0 {
				df[j]++
			}
			tf[i][j] = x
		}
	}
	avg := max(total/float64(len(cands)), 1)
	n := float64(len(cands))
	out := make([]Scored, len(cands))
	for i, c := range cands {
		length := titleWeight*float64(termCount(c.Title)) + float64(termCount(c.Body))
		norm := bm25K1 * (1 - bm25B + bm25B*length/avg)
		var rel float64
		for j := range terms {
			f := titleWeight*tf[i][j].title + tf[i][j].body
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(df[j])+0.5)/(float64(df[j])+0.5))
			rel += idf * f * (bm25K1 + 1) / (f + norm)
		}
		age := max(now.Sub(c.Published).Hours()/24, 0)
		out[i] = Scored{c, rel / (1 + age/recencyDays)}
	}
	slices.SortStableFunc(out, func(a, b Scored) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out
}
