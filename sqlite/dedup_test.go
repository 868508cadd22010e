package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
	"github.com/taglines/taglines/sqlite"
)

func openStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return openStoreAt(tb, filepath.Join(tb.TempDir(), "taglines.db"))
}

// openStoreAt opens the store at path, to be closed with the test.
func openStoreAt(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(tb.Context(), path)
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

// TestDedupBatch: deciding articles in one batch (one transaction) gives
// the decisions of deciding them one by one, and a failed batch leaves
// nothing behind.
func TestDedupBatch(t *testing.T) {
	docs := indextest.Documents(t, 300)
	alone := dedup.New(dedup.NewMemIndex(), dedup.Options{})
	want := make([]dedup.Result, 0, len(docs))
	for _, d := range docs {
		r, err := alone.Process(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "batch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	idx := st.DedupIndex()
	d := dedup.New(idx, dedup.Options{})
	var got []dedup.Result
	for start := 0; start < len(docs); start += 20 { // as ingest: a batch per poll of a source
		rs, err := d.ProcessAll(context.Background(), docs[start:min(start+20, len(docs))])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rs...)
	}
	dups := 0
	for i := range want {
		if got[i].DuplicateOf != want[i].DuplicateOf || got[i].Cluster != want[i].Cluster {
			t.Errorf("article %d: batched %+v, one by one %+v", docs[i].ID, got[i], want[i])
		}
		if want[i].DuplicateOf != 0 {
			dups++
		}
	}
	if dups == 0 {
		t.Fatal("no versions among the documents")
	}

	// A batch that fails half-way records none of its decisions.
	b, ok := idx.(dedup.Batcher)
	if !ok {
		t.Fatal("the SQLite index is not a Batcher")
	}
	extra := dedup.Entry{ID: 99_999, Keys: []uint64{1, 2}}
	err = b.Batch(context.Background(), func(ctx context.Context) error {
		if err := idx.Put(ctx, extra); err != nil {
			return err
		}
		return errors.New("fail the batch")
	})
	if err == nil {
		t.Fatal("the failing batch reported success")
	}
	if _, err := idx.Entry(context.Background(), extra.ID); err == nil {
		t.Error("an entry written in a failed batch was kept")
	}
}

func TestDedupShared(t *testing.T) {
	var path string // the database of the running subtest
	indextest.RunShared(t, func(t *testing.T) dedup.Shared {
		path = filepath.Join(t.TempDir(), "taglines.db")
		return openStoreAt(t, path).DedupIndex().(dedup.Shared)
	}, func(t *testing.T, _ dedup.Shared) dedup.Shared {
		// A second process: a Store of its own on the same file.
		return openStoreAt(t, path).DedupIndex().(dedup.Shared)
	})
}

// TestDedupCacheHorizon checks which look-ups a Cache answers from memory:
// an article dated years ahead must not move its horizon past the present
// (every look-up would go to the database), and an article older than the
// horizon is looked up in the database.
func TestDedupCacheHorizon(t *testing.T) {
	docs := indextest.Documents(t, 60)
	now := docs[len(docs)-1].Published
	cache := dedup.NewCache(openStore(t).DedupIndex().(dedup.Shared), 0, func() time.Time { return now })
	d := dedup.New(cache, dedup.Options{})
	future := docs[0]
	future.ID, future.Published = 1000, now.AddDate(10, 0, 0)
	if _, err := d.Process(t.Context(), future); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ProcessAll(t.Context(), docs); err != nil {
		t.Fatal(err)
	}
	if s := cache.Stats(); s.Misses != 0 || s.Loads != 1 {
		t.Errorf("after an article dated ahead, stats = %+v, want 1 load and no look-up sent to the database", s)
	}
	old := docs[1]
	old.ID, old.Published = 1001, now.AddDate(0, 0, -30)
	if _, err := d.Process(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if s := cache.Stats(); s.Misses == 0 {
		t.Errorf("after an article older than the horizon, stats = %+v, want its look-ups sent to the database", s)
	}
}
