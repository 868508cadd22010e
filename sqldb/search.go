package sqldb

import (
	"context"
	"fmt"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

// Candidates runs a candidate query on db: one selecting (id,
// published_at) of articles.
func Candidates(ctx context.Context, db Querier, stmt string, args ...any) ([]query.Candidate, error) {
	out, err := queryAll(ctx, db, func(row Row) (query.Candidate, error) {
		var (
			c         query.Candidate
			published Time
		)
		err := row.Scan(&c.ID, &published)
		c.Published = published.Time
		return c, err
	}, stmt, args...)
	if err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	return out, nil
}

// LoadTerms fills the index terms (Title, Body) of candidates, as a
// ranked search needs them.
func (q *Queries) LoadTerms(ctx context.Context, cands []query.Candidate) error {
	if len(cands) == 0 {
		return nil
	}
	ids := make([]int64, len(cands))
	at := make(map[int64]int, len(cands))
	for i, c := range cands {
		ids[i], at[c.ID] = c.ID, i
	}
	var (
		id          int64
		title, body string
	)
	rows, err := q.r.Query(ctx, q.sql.SearchTerms, q.sql.IDs(ids))
	if err := each(rows, err, []any{&id, &title, &body}, func() {
		c := &cands[at[id]]
		c.Title, c.Body = title, body
	}); err != nil {
		return fmt.Errorf("search terms: %w", err)
	}
	return nil
}

// SourcesMatching returns a lookup of the IDs of the sources whose names
// match a source: (or NEAR) term, evaluated in Go by the rule's own
// matcher. The sources are read once, at the first lookup.
func (q *Queries) SourcesMatching(ctx context.Context) func(query.Node) ([]int64, error) {
	var names map[int64]string
	return func(n query.Node) ([]int64, error) {
		if names == nil {
			var src taglines.Source
			rows, err := q.r.Query(ctx, searchSourcesSQL)
			found := map[int64]string{}
			if err := each(rows, err, []any{&src.ID, &src.Title, &src.URL}, func() { found[src.ID] = src.Name() }); err != nil {
				return nil, fmt.Errorf("search sources: %w", err)
			}
			names = found
		}
		var ids []int64
		for id, name := range names {
			if query.SourceMatch(n, name) {
				ids = append(ids, id)
			}
		}
		return ids, nil
	}
}
