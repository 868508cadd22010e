package sqlite

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestStmtCache checks that cached and uncached texts give the same
// answers, that the cache stops at its bound, and that concurrent first
// uses of one text leave one statement.
func TestStmtCache(t *testing.T) {
	db, err := openDB(filepath.Join(t.TempDir(), "c.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := newStmtCache(db)
	defer c.close()
	ctx := t.Context()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			var n int
			if err := c.QueryRowContext(ctx, `SELECT ? + 1`, 41).Scan(&n); err != nil || n != 42 {
				t.Errorf("shared text: %d, %v", n, err)
			}
		})
	}
	wg.Wait()
	if len(c.m) != 1 {
		t.Fatalf("one text cached %d times", len(c.m))
	}
	for i := range maxCachedStmts + 20 {
		var n int
		if err := c.QueryRowContext(ctx, fmt.Sprintf(`SELECT ? + %d`, i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("text %d: %d, %v", i, n, err)
		}
	}
	if len(c.m) != maxCachedStmts {
		t.Fatalf("cache holds %d statements, bound %d", len(c.m), maxCachedStmts)
	}
	if _, err := c.QueryContext(ctx, `SELEC nonsense`); err == nil {
		t.Fatal("a bad text ran")
	}
}
