package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
	"github.com/taglines/taglines/sqldb"
)

// Search answers a search in the rule language over the tsvector index.
func (s *Store) Search(ctx context.Context, sq taglines.SearchQuery) (taglines.SearchResult, error) {
	return query.Search(ctx, s, sq)
}

// The tsvector of a document: title terms at positions 1..MaxTitleTerms
// with weight A, text terms from bodyStart with weight D, so that neither
// a phrase nor a NEAR (at most MaxSearchNear apart) spans the two.
const (
	bodyStart = query.MaxTitleTerms + query.MaxSearchNear + 50
	// maxPositions is what a tsvector keeps of one lexeme.
	maxPositions = 256
)

// searchDoc is the search_docs row of one article: its stored terms and
// the tsvector literal (lexemes are letters and digits only: no quoting
// needed). Callers compute it before their transaction.
type searchDoc struct{ title, body, tsv string }

func newSearchDoc(title, text string) searchDoc {
	titleTerms, bodyTerms := query.IndexFields(title, text)
	pos := make(map[string][]string)
	var order []string
	add := func(term, p string) {
		ps, ok := pos[term]
		if !ok {
			order = append(order, term)
		}
		if len(ps) < maxPositions {
			pos[term] = append(ps, p)
		}
	}
	for i, t := range titleTerms {
		add(t, strconv.Itoa(i+1)+"A")
	}
	for i, t := range bodyTerms {
		add(t, strconv.Itoa(bodyStart+i))
	}
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("'" + t + "':" + strings.Join(pos[t], ","))
	}
	return searchDoc{strings.Join(titleTerms, " "), strings.Join(bodyTerms, " "), b.String()}
}

func newSearchDocs(titles, texts []string) []searchDoc {
	docs := make([]searchDoc, len(titles))
	for i := range titles {
		docs[i] = newSearchDoc(titles[i], texts[i])
	}
	return docs
}

// indexArticles writes the search documents of articles (ID and document
// by index), replacing what was there, in the caller's transaction.
func indexArticles(ctx context.Context, tx pgx.Tx, ids []int64, docs []searchDoc) error {
	if len(ids) == 0 {
		return nil
	}
	tts, bts, tsvs := make([]string, len(ids)), make([]string, len(ids)), make([]string, len(ids))
	for i, d := range docs {
		tts[i], bts[i], tsvs[i] = d.title, d.body, d.tsv
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO search_docs (article_id, title, body, tsv)
		SELECT id, t, b, v::tsvector FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u (id, t, b, v)
		ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, body = excluded.body, tsv = excluded.tsv`,
		ids, tts, bts, tsvs)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// IndexSearch indexes the articles stored before the search index
// existed, in batches, each its own transaction, resumably.
func (s *Store) IndexSearch(ctx context.Context, progress func(done, total int)) error {
	return sqldb.Backfill(ctx, querier{s.pool}, backfillSQL, func(ctx context.Context, fn func(sqldb.Querier, sqldb.IndexFunc) error) error {
		return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			return fn(querier{tx}, func(ids []int64, titles, texts []string) error {
				return indexArticles(ctx, tx, ids, newSearchDocs(titles, texts))
			})
		})
	}, progress, func(ctx context.Context) error {
		// Plans choose between the GIN index and a walk by the lexeme
		// statistics: gather them now, not when autovacuum gets round to it.
		_, err := s.pool.Exec(ctx, `ANALYZE search_docs`)
		return err
	})
}

var backfillSQL = sqldb.BackfillSQL{
	Next:   `SELECT next_id FROM search_backfill`,
	Counts: `SELECT COUNT(*), COUNT(*) FILTER (WHERE id < $1) FROM articles`,
	// One backfill at a time, whichever process opened first.
	Lock:    `SELECT next_id FROM search_backfill FOR UPDATE`,
	Batch:   `SELECT id, title, text FROM articles WHERE id >= $1 ORDER BY id LIMIT $2`,
	Done:    `DELETE FROM search_backfill`,
	Advance: `UPDATE search_backfill SET next_id = $1`,
}

// SearchCandidates implements query.Backend.
func (s *Store) SearchCandidates(ctx context.Context, q *query.Query, c query.CandidateQuery) ([]query.Candidate, error) {
	comp := s.Compiler(ctx, c.Now)
	var where []string
	from := `articles a`
	order := ` ORDER BY a.id DESC`
	fullText := false
	if q != nil {
		// The text-only conjuncts become one tsquery, so that one GIN
		// probe a window (newestByID) drives the query.
		var text []string
		for _, n := range query.Conjuncts(q.Root()) {
			if query.TextOnly(n) {
				text = append(text, "("+tsquery(n)+")")
				continue
			}
			w, err := comp.Cond(n)
			if err != nil {
				return nil, err
			}
			where = append(where, w)
		}
		if len(text) > 0 {
			from = `search_docs d JOIN articles a ON a.id = d.article_id`
			where = append(where, `d.tsv @@ `+comp.Arg(strings.Join(text, " & "))+`::tsquery`)
			fullText = true
		}
	}
	if c.Collapse {
		where = append(where, `NOT a.superseded`)
	}
	if c.Newest {
		order = ` ORDER BY a.published_at DESC, a.id DESC`
		if c.Before != nil {
			where = append(where, `(a.published_at, a.id) < (`+comp.Arg(micro(c.Before.PublishedAt))+`, `+comp.Arg(sqldb.CursorID(c.Before))+`)`)
		}
	}
	sql := `SELECT a.id, a.published_at FROM ` + from
	if len(where) > 0 {
		sql += ` WHERE ` + strings.Join(where, ` AND `)
	}
	var (
		out []query.Candidate
		err error
	)
	if fullText && !c.Newest {
		out, err = s.newestByID(ctx, sql, comp.Args, c.Limit)
	} else {
		sql += order + ` LIMIT ` + comp.Arg(c.Limit)
		out, err = queryCandidates(ctx, s.pool, sql, comp.Args)
	}
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

// firstWindow is how many of the newest article IDs the first step of a
// ranked search looks at.
var firstWindow int64 = 4000

// newestByID returns the newest (by ID) limit matches of a full-text
// search, whose SQL (stmt, with args) has a WHERE and no ORDER BY, window
// by window down the IDs. No single plan serves every term: walking the
// primary key newest first and checking each article's tsvector costs 3-4
// µs an article, fast for a common word but 80 ms for one in 40 articles
// at 1M; the GIN index costs in proportion to all matches, fast for a rare
// word. So the first window (firstWindow IDs) is left to the planner,
// bounded either way; it measures how dense the matches are, and each
// further window is sized to hold twice the matches still wanted and read
// through bitmaps of the GIN and primary key indexes (a BitmapAnd), which
// touches only the rows that match inside the window.
func (s *Store) newestByID(ctx context.Context, stmt string, args []any, limit int) ([]query.Candidate, error) {
	var hi int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(article_id), 0) + 1 FROM search_docs`).Scan(&hi); err != nil {
		return nil, fmt.Errorf("search candidates: %w", err)
	}
	n := len(args)
	stmt += ` AND d.article_id >= $` + strconv.Itoa(n+1) + ` AND d.article_id < $` + strconv.Itoa(n+2) +
		` ORDER BY d.article_id DESC LIMIT $` + strconv.Itoa(n+3)
	var out []query.Candidate
	width := firstWindow
	for first := true; hi > 0 && len(out) < limit; first = false {
		lo := max(0, hi-width)
		wargs := append(slices.Clip(args), lo, hi, limit-len(out))
		var got []query.Candidate
		var err error
		if first {
			got, err = queryCandidates(ctx, s.pool, stmt, wargs)
		} else {
			err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `SET LOCAL enable_indexscan = off`); err != nil {
					return err
				}
				got, err = queryCandidates(ctx, tx, stmt, wargs)
				return err
			})
		}
		if err != nil {
			return nil, fmt.Errorf("search candidates: %w", err)
		}
		out = append(out, got...)
		// The next window holds twice the matches still wanted at this
		// window's density, and is never narrower than this one; after
		// none at all, the matches are few: the rest in one.
		next := lo
		if len(got) > 0 {
			density := float64(len(got)) / float64(hi-lo)
			next = max(width, int64(2*float64(limit-len(out))/density))
		}
		hi, width = lo, next
	}
	return out, nil
}

// queryCandidates runs a candidate query, planned for its own arguments
// and never from a cached generic plan: the right plan depends on how
// common the terms are.
func queryCandidates(ctx context.Context, db pgQuerier, stmt string, args []any) ([]query.Candidate, error) {
	return sqldb.Candidates(ctx, querier{db}, stmt, append([]any{pgx.QueryExecModeExec}, args...)...)
}

// tsquery renders a text-only subtree as a tsquery literal: lexemes are
// letters and digits only; weight A is the title, D the text.
func tsquery(n query.Node) string {
	switch n := n.(type) {
	case *query.Term:
		return tsphrase(n)
	case *query.Near:
		// No NEAR in tsquery: every distance in both orders.
		l, r := tsphrase(n.L), tsphrase(n.R)
		alts := make([]string, 0, 2*(n.N+1))
		for d := 1; d <= n.N+1; d++ {
			op := " <" + strconv.Itoa(d) + "> "
			alts = append(alts, "("+l+")"+op+"("+r+")", "("+r+")"+op+"("+l+")")
		}
		return strings.Join(alts, " | ")
	case *query.And:
		return "(" + tsquery(n.L) + ") & (" + tsquery(n.R) + ")"
	case *query.Or:
		return "(" + tsquery(n.L) + ") | (" + tsquery(n.R) + ")"
	case *query.Not:
		return "!(" + tsquery(n.X) + ")"
	}
	return ""
}

func tsphrase(t *query.Term) string {
	weight := ""
	switch t.Field {
	case query.FieldTitle:
		weight = "A"
	case query.FieldText:
		weight = "D"
	}
	lex := func(w, suffix string) string {
		if suffix != "" {
			return "'" + w + "':" + suffix
		}
		return "'" + w + "'"
	}
	parts := make([]string, len(t.Terms))
	for i, w := range t.Terms {
		suffix := weight
		if t.Prefix && i == len(t.Terms)-1 {
			suffix = "*" + weight
		}
		parts[i] = lex(w, suffix)
	}
	if t.Prefix && len(t.Stems) > 0 {
		// The prefix, or one of the shorter stems of the words it begins.
		alts := []string{parts[len(parts)-1]}
		for _, s := range t.Stems {
			alts = append(alts, lex(s, weight))
		}
		parts[len(parts)-1] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(parts, " <-> ")
}

// Analyze refreshes the planner's statistics, as a bulk load should
// before the store serves.
func (s *Store) Analyze(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// SearchIndexBytes is the size on disk of the search index: the
// search_docs table with its TOAST and its indexes (GIN included).
func (s *Store) SearchIndexBytes(ctx context.Context) (int64, error) {
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT pg_total_relation_size('search_docs')`).Scan(&n); err != nil {
		return 0, fmt.Errorf("search index size: %w", err)
	}
	return n, nil
}
