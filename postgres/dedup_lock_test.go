package postgres_test

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
)

// TestDedupLockAcrossProcesses runs two Dedupers, as two pollers on two
// machines would, on one persisted index at once: with the advisory lock
// every version still lands in the group of the article it repeats.
func TestDedupLockAcrossProcesses(t *testing.T) {
	u, admin := server(t)
	var originals []dedup.Document
	for _, d := range indextest.Documents(t, 200) {
		if len(originals) < 30 && len(strings.Fields(d.Text)) > 200 {
			originals = append(originals, d)
		}
	}
	dsn := schema(t, u, admin)
	a, b := openIn(t, dsn), openIn(t, dsn)
	deduper := func(s interface {
		DedupIndex() dedup.Index
		DedupLock(context.Context) (func(), error)
	}) *dedup.Deduper {
		return dedup.New(s.DedupIndex(), dedup.Options{Lock: s.DedupLock})
	}
	first, second := deduper(a), deduper(b)
	// Each article and its update arrive at the same moment, one at each
	// process: without a shared lock both look, find nothing, and stand
	// alone.
	for i, orig := range originals {
		update := orig
		update.ID = 10_000 + int64(i)
		update.URL += "?updated"
		update.Text += "\nUpdated with further reporting from the scene."
		var ra, rb dedup.Result
		var errA, errB error
		start := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { <-start; ra, errA = first.Process(context.Background(), orig) })
		wg.Go(func() { <-start; rb, errB = second.Process(context.Background(), update) })
		close(start)
		wg.Wait()
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if cmp.Or(ra.DuplicateOf, ra.ID) != cmp.Or(rb.DuplicateOf, rb.ID) {
			t.Errorf("article %d and its update %d, decided at once by two processes, are in groups %d and %d",
				orig.ID, update.ID, cmp.Or(ra.DuplicateOf, ra.ID), cmp.Or(rb.DuplicateOf, rb.ID))
		}
	}
	if len(originals) < 10 {
		t.Fatalf("only %d long documents generated", len(originals))
	}
}
