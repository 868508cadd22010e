package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
	"github.com/taglines/taglines/sqldb"
)

// Search answers a search in the rule language over the FTS5 index.
func (s *Store) Search(ctx context.Context, sq taglines.SearchQuery) (taglines.SearchResult, error) {
	return query.Search(ctx, s, sq)
}

// indexDoc is the search index row of one article: its title's and
// text's index terms, space-separated.
type indexDoc struct{ title, body string }

// newIndexDoc computes an article's index terms: callers do it before
// they take the write lock, which the terms do not need.
func newIndexDoc(title, text string) indexDoc {
	tt, bt := query.IndexFields(title, text)
	return indexDoc{strings.Join(tt, " "), strings.Join(bt, " ")}
}

// indexArticle writes the search index of one article, replacing what was
// there; it runs in the article's transaction.
func indexArticle(ctx context.Context, tx *sql.Tx, id int64, doc indexDoc, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, id); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)`,
		id, doc.title, doc.body); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// IndexSearch indexes the articles stored before the search index
// existed, in batches, each its own transaction, so that it resumes where
// it stopped; progress, if not nil, is told how far it got. It returns at
// once when there is nothing to do.
func (s *Store) IndexSearch(ctx context.Context, progress func(done, total int)) error {
	return sqldb.Backfill(ctx, querier{s.r}, backfillSQL, func(ctx context.Context, fn func(sqldb.Querier, sqldb.IndexFunc) error) error {
		return s.write(ctx, func(tx *sql.Tx) error {
			return fn(querier{tx}, func(ids []int64, titles, texts []string) error {
				for i, id := range ids {
					if err := indexArticle(ctx, tx, id, newIndexDoc(titles[i], texts[i]), true); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}, progress, nil)
}

var backfillSQL = sqldb.BackfillSQL{
	Next:    `SELECT next_id FROM search_backfill`,
	Counts:  `SELECT COUNT(*), COUNT(*) FILTER (WHERE id < ?) FROM articles`,
	Batch:   `SELECT id, title, text FROM articles WHERE id >= ? ORDER BY id LIMIT ?`,
	Done:    `DELETE FROM search_backfill`,
	Advance: `UPDATE search_backfill SET next_id = ?`,
}

// SearchCandidates implements query.Backend.
func (s *Store) SearchCandidates(ctx context.Context, q *query.Query, c query.CandidateQuery) ([]query.Candidate, error) {
	comp := s.Compiler(ctx, c.Now)
	var b strings.Builder
	b.WriteString(`SELECT a.id, a.published_at FROM `)
	order := ` ORDER BY a.id DESC`
	var where []string
	fromFTS := false
	if q != nil {
		var drive, negs []string
		for _, n := range query.Conjuncts(q.Root()) {
			if query.TextOnly(n) {
				if e, ok := fts(n); ok {
					drive = append(drive, "("+e+")")
					continue
				}
				if not, ok := n.(*query.Not); ok {
					if e, ok := fts(not.X); ok {
						negs = append(negs, "("+e+")")
						continue
					}
				}
			}
			w, err := comp.Cond(n)
			if err != nil {
				return nil, err
			}
			where = append(where, w)
		}
		if len(drive) > 0 {
			match := strings.Join(drive, " AND ")
			for _, n := range negs {
				match = "(" + match + ") NOT " + n
			}
			b.WriteString(`search JOIN articles a ON a.id = search.rowid`)
			where = append([]string{`search MATCH ?`}, where...)
			comp.Args = append([]any{match}, comp.Args...)
			order = ` ORDER BY search.rowid DESC`
			fromFTS = true
		} else {
			b.WriteString(`articles a`)
			for _, n := range negs {
				where = append(where, `a.id NOT IN (SELECT rowid FROM search WHERE search MATCH ?)`)
				comp.Args = append(comp.Args, n)
			}
		}
	} else {
		b.WriteString(`articles a`)
	}
	if c.Collapse {
		where = append(where, `NOT a.superseded`)
	}
	if c.Newest {
		if c.Before != nil {
			where = append(where, `(a.published_at, a.id) < (?, ?)`)
			comp.Args = append(comp.Args, c.Before.PublishedAt.UnixMicro(), sqldb.CursorID(c.Before))
		}
		if fromFTS {
			return s.newestMatches(ctx, where, comp.Args, c.Limit)
		}
		order = ` ORDER BY a.published_at DESC, a.id DESC`
	}
	if len(where) > 0 {
		b.WriteString(` WHERE ` + strings.Join(where, ` AND `))
	}
	b.WriteString(order + ` LIMIT ?`)
	out, err := sqldb.Candidates(ctx, querier{s.rc}, b.String(), append(comp.Args, c.Limit)...)
	if err != nil {
		return nil, err
	}
	if !c.Newest {
		if err := s.LoadTerms(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newestWindow bounds the first try of a newest-first search: the newest
// matches by ID, from the full-text index alone.
var newestWindow = 4000

// newestChunk is the first chunk of the walk that follows.
var newestChunk = 1000

// newestMatches answers a newest-first full-text search (where[0] is the
// MATCH) exactly, without sorting every match: a query matching fewer than
// newestWindow articles is read from the index whole and sorted here; a
// commoner one walks the articles newest first, in chunks that double, and
// asks the index for the matches within each chunk's range of IDs, one
// index query a chunk (matches are dense, so a page is found within the
// first chunks; IDs follow arrival, so a chunk's range is narrow). Asking
// the index once per article instead cost a second a page at 1M.
func (s *Store) newestMatches(ctx context.Context, where []string, args []any, limit int) ([]query.Candidate, error) {
	all, err := sqldb.Candidates(ctx, querier{s.rc}, `SELECT a.id, a.published_at FROM search JOIN articles a ON a.id = search.rowid WHERE `+
		strings.Join(where, ` AND `)+` ORDER BY search.rowid DESC LIMIT ?`, append(args, newestWindow)...)
	if err != nil {
		return nil, err
	}
	if len(all) < newestWindow {
		slices.SortFunc(all, func(a, b query.Candidate) int {
			if c := b.Published.Compare(a.Published); c != 0 {
				return c
			}
			return cmp.Compare(b.ID, a.ID)
		})
		return all[:min(limit, len(all))], nil
	}
	match, rest, restArgs := args[0], where[1:], args[1:]
	var (
		out   []query.Candidate
		after *query.Candidate
	)
	for chunk := newestChunk; ; chunk = min(2*chunk, 64_000) {
		w, a := slices.Clone(rest), slices.Clone(restArgs)
		if after != nil {
			w = append(w, `(a.published_at, a.id) < (?, ?)`)
			a = append(a, after.Published.UnixMicro(), after.ID)
		}
		stmt := `SELECT a.id, a.published_at FROM articles a`
		if len(w) > 0 {
			stmt += ` WHERE ` + strings.Join(w, ` AND `)
		}
		rows, err := sqldb.Candidates(ctx, querier{s.rc}, stmt+` ORDER BY a.published_at DESC, a.id DESC LIMIT ?`, append(a, chunk)...)
		if err != nil || len(rows) == 0 {
			return out, err
		}
		lo, hi := rows[0].ID, rows[0].ID
		for _, r := range rows {
			lo, hi = min(lo, r.ID), max(hi, r.ID)
		}
		hits := map[int64]bool{}
		rs, err := s.r.QueryContext(ctx, `SELECT rowid FROM search WHERE search MATCH ? AND rowid BETWEEN ? AND ?`, match, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("search candidates: %w", err)
		}
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				rs.Close()
				return nil, fmt.Errorf("search candidates: %w", err)
			}
			hits[id] = true
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("search candidates: %w", err)
		}
		for _, r := range rows {
			if hits[r.ID] {
				if out = append(out, r); len(out) == limit {
					return out, nil
				}
			}
		}
		if len(rows) < chunk {
			return out, nil
		}
		after = &rows[len(rows)-1]
	}
}

// fts renders a text-only subtree as an FTS5 query, or reports that FTS5
// cannot say it (a NOT that is not the right side of an AND).
func fts(n query.Node) (string, bool) {
	switch n := n.(type) {
	case *query.Term:
		ps := phrases(n)
		if len(ps) == 1 {
			return column(n.Field) + ps[0], true
		}
		return column(n.Field) + "(" + strings.Join(ps, " OR ") + ")", true
	case *query.Near:
		// NEAR takes phrases only: one group for each pair of alternatives.
		var alts []string
		for _, l := range phrases(n.L) {
			for _, r := range phrases(n.R) {
				alts = append(alts, "NEAR("+l+" "+r+", "+strconv.Itoa(n.N)+")")
			}
		}
		if len(alts) == 1 {
			return column(n.L.Field) + alts[0], true
		}
		return column(n.L.Field) + "(" + strings.Join(alts, " OR ") + ")", true
	case *query.Or:
		l, ok1 := fts(n.L)
		r, ok2 := fts(n.R)
		return "(" + l + ") OR (" + r + ")", ok1 && ok2
	case *query.And:
		lnot, lIsNot := n.L.(*query.Not)
		rnot, rIsNot := n.R.(*query.Not)
		switch {
		case rIsNot && !lIsNot:
			l, ok1 := fts(n.L)
			r, ok2 := fts(rnot.X)
			return "(" + l + ") NOT (" + r + ")", ok1 && ok2
		case lIsNot && !rIsNot:
			r, ok1 := fts(n.R)
			l, ok2 := fts(lnot.X)
			return "(" + r + ") NOT (" + l + ")", ok1 && ok2
		case !lIsNot && !rIsNot:
			l, ok1 := fts(n.L)
			r, ok2 := fts(n.R)
			return "(" + l + ") AND (" + r + ")", ok1 && ok2
		}
	}
	return "", false
}

func column(f query.Field) string {
	switch f {
	case query.FieldTitle:
		return "title : "
	case query.FieldText:
		return "body : "
	}
	return ""
}

// phrases renders a term's words as FTS5 phrases, the prefix's first and
// then one for each of its Stems; the words are letters and digits only,
// so they need no quoting inside the double quotes.
func phrases(t *query.Term) []string {
	p := `"` + strings.Join(t.Terms, " ") + `"`
	if !t.Prefix {
		return []string{p}
	}
	out := []string{p + " *"}
	head := t.Terms[:len(t.Terms)-1]
	for _, s := range t.Stems {
		out = append(out, `"`+strings.Join(append(slices.Clone(head), s), " ")+`"`)
	}
	return out
}

// Analyze refreshes the planner's statistics, as a bulk load should
// before the store serves.
func (s *Store) Analyze(ctx context.Context) error {
	// A sample of each index is enough for the planner, and bounds the
	// time on a large file.
	if _, err := s.w.ExecContext(ctx, `PRAGMA analysis_limit = 1000; ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// SearchIndexBytes is the size on disk of the search index: the pages of
// the FTS5 table's shadow tables (dbstat).
func (s *Store) SearchIndexBytes(ctx context.Context) (int64, error) {
	var n sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT SUM(pgsize) FROM dbstat WHERE name IN ('search_data', 'search_idx', 'search_content', 'search_docsize', 'search_config')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("search index size: %w", err)
	}
	return n.Int64, nil
}
