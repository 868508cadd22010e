package postgres_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/taglines/taglines/postgres"
	"github.com/taglines/taglines/storetest"
)

// seqScan matches a plan node that reads a table whole.
var seqScan = regexp.MustCompile(`Seq Scan on (\w+)`)

// TestHotReadsUseIndexes: no read that a page, feed or API route makes
// needs a sequential scan of a table. The plans are made with sequential
// scans priced out (enable_seqscan off), so that a small test table, which
// PostgreSQL would rightly read whole, shows whether an index could serve
// the read at a million rows: a Seq Scan left in such a plan has none.
func TestHotReadsUseIndexes(t *testing.T) {
	u, admin := server(t)
	u = schema(t, u, admin)
	st := openIn(t, u)
	f := storetest.FillForPlans(t, st)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		scans []string
		seen  int
	)
	q := postgres.ExplainedQueries(st, func(ctx context.Context, query string, args []any) {
		mu.Lock()
		defer mu.Unlock()
		rows, err := conn.Query(ctx, "EXPLAIN "+query, args...)
		if err != nil {
			return // the query itself reports it
		}
		defer rows.Close()
		seen++
		for rows.Next() {
			var line string
			if rows.Scan(&line) == nil && seqScan.MatchString(line) {
				scans = append(scans, strings.TrimSpace(line)+" in:\n"+strings.Join(strings.Fields(query), " "))
			}
		}
	})
	storetest.HotReads(t, q, f)
	if seen < 15 {
		t.Errorf("only %d statements explained: the check did not see the reads", seen)
	}
	for _, sc := range scans {
		t.Errorf("sequential scan: %s", sc)
	}
}
