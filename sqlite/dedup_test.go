package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
	"github.com/taglines/taglines/sqlite"
)

func openStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "taglines.db"))
	if err != nil {
		tb.Fatalf("Open = %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("Close = %v", err)
		}
	})
	return st
}

func TestDedupIndex(t *testing.T) {
	indextest.Run(t, func(t *testing.T) dedup.Index { return openStore(t).DedupIndex() })
}

// BenchmarkDedupProcess runs the Deduper on the store's index over 5,000
// articles recombined from testpub's corpus, about one in six a version of
// an earlier one, into a new database each round. The figure is per
// article.
func BenchmarkDedupProcess(b *testing.B) {
	docs := indextest.Documents(b, 5000)
	b.ReportAllocs()
	rounds := 0
	for b.Loop() {
		rounds++
		b.StopTimer()
		d := dedup.New(openStore(b).DedupIndex(), dedup.Options{})
		b.StartTimer()
		for _, doc := range docs {
			if _, err := d.Process(b.Context(), doc); err != nil {
				b.Fatalf("Process(%d) = %v", doc.ID, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(rounds*len(docs)), "µs/article")
}

// TestDedupIndexCancelled: with its context gone, the index fails cleanly
// (once it crashed here, preparing a statement again and again).
func TestDedupIndexCancelled(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "cancel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := st.DedupIndex().Entry(ctx, 1); err == nil {
		t.Error("Entry with a cancelled context succeeded")
	}
}
