package sqlite

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/taglines/taglines/sqldb"
	"github.com/taglines/taglines/storetest"
)

// explaining runs EXPLAIN QUERY PLAN on every read before running it, and
// records the steps that read a table whole.
type explaining struct {
	querier
	mu    *sync.Mutex
	scans *[]string
	seen  *int
}

// fullScan matches a plan step that reads a table row by row without an
// index ("SCAN a", "SCAN articles"); "SCAN t USING INDEX ..." walks an
// index in order and stops at the page's end; virtual tables (json_each,
// the search index) are not tables, nor are subqueries, which the plan
// names first (MATERIALIZE c, CO-ROUTINE c).
var (
	fullScan = regexp.MustCompile(`^SCAN (\w+)$`)
	subquery = regexp.MustCompile(`^(?:MATERIALIZE|CO-ROUTINE) (\w+)`)
)

func (e explaining) explain(ctx context.Context, q string, args []any) {
	rows, err := e.q.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return // the query itself reports it
	}
	defer rows.Close()
	e.mu.Lock()
	defer e.mu.Unlock()
	*e.seen++
	subqueries := map[string]bool{}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if rows.Scan(&id, &parent, &unused, &detail) != nil {
			continue
		}
		if m := subquery.FindStringSubmatch(detail); m != nil {
			subqueries[m[1]] = true
		}
		if m := fullScan.FindStringSubmatch(detail); m != nil && !subqueries[m[1]] {
			*e.scans = append(*e.scans, detail+" in:\n"+strings.Join(strings.Fields(q), " "))
		}
	}
}

func (e explaining) Query(ctx context.Context, q string, args ...any) (sqldb.Rows, error) {
	e.explain(ctx, q, args)
	return e.querier.Query(ctx, q, args...)
}

func (e explaining) QueryRow(ctx context.Context, q string, args ...any) sqldb.Row {
	e.explain(ctx, q, args)
	return e.querier.QueryRow(ctx, q, args...)
}

// TestHotReadsUseIndexes: no read that a page, feed or API route makes
// scans a table whole. SQLite plans without statistics here as if each
// table were large, which is what matters at a million articles.
func TestHotReadsUseIndexes(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f := storetest.FillForPlans(t, s)
	var (
		mu    sync.Mutex
		scans []string
		seen  int
	)
	q := sqldb.New(explaining{querier{s.r}, &mu, &scans, &seen}, querier{s.w}, statements, translate)
	storetest.HotReads(t, q, f)
	if seen < 15 {
		t.Errorf("only %d statements explained: the check did not see the reads", seen)
	}
	for _, sc := range scans {
		t.Errorf("full scan: %s", sc)
	}
}
