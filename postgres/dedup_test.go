package postgres_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
)

// TestDedupIndex runs the dedup.Index suite with a fresh schema per test.
func TestDedupIndex(t *testing.T) {
	u, admin := server(t)
	indextest.Run(t, func(t *testing.T) dedup.Index {
		return openIn(t, schema(t, u, admin)).DedupIndex()
	})
}

// TestDedupShared runs the dedup.Shared suite with a fresh schema per
// test; a second process is a second Store on the same schema.
func TestDedupShared(t *testing.T) {
	u, admin := server(t)
	var (
		mu   sync.Mutex
		dsns = map[dedup.Shared]string{}
	)
	indextest.RunShared(t, func(t *testing.T) dedup.Shared {
		dsn := schema(t, u, admin)
		idx := shared(t, openIn(t, dsn))
		mu.Lock()
		defer mu.Unlock()
		dsns[idx] = dsn
		return idx
	}, func(t *testing.T, idx dedup.Shared) dedup.Shared {
		mu.Lock()
		dsn, ok := dsns[idx]
		mu.Unlock()
		if !ok {
			t.Fatal("newProcess of an index open did not return")
		}
		return shared(t, openIn(t, dsn))
	})
}

func shared(t *testing.T, st interface{ DedupIndex() dedup.Index }) dedup.Shared {
	t.Helper()
	idx, ok := st.DedupIndex().(dedup.Shared)
	if !ok {
		t.Fatalf("DedupIndex is a %T, not a dedup.Shared", st.DedupIndex())
	}
	return idx
}

// newShared returns a Shared index on a fresh schema.
func newShared(t *testing.T) dedup.Shared {
	u, admin := server(t)
	return shared(t, openIn(t, schema(t, u, admin)))
}

var dedupBase = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func story(id int64, lastHours int, keys ...uint64) dedup.Cluster {
	return dedup.Cluster{
		ID: id, Size: 1, Keys: keys,
		First: dedupBase, Last: dedupBase.Add(time.Duration(lastHours) * time.Hour),
	}
}

func storyIDs(cs []dedup.Cluster) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func mustGen(t *testing.T, ctx context.Context, idx dedup.Shared) int64 {
	t.Helper()
	g, err := idx.Generation(ctx)
	if err != nil {
		t.Fatalf("Generation = %v", err)
	}
	return g
}

func mustPutCluster(t *testing.T, ctx context.Context, idx dedup.Index, cs ...dedup.Cluster) {
	t.Helper()
	for _, c := range cs {
		if err := idx.PutCluster(ctx, c); err != nil {
			t.Fatalf("PutCluster(%d) = %v", c.ID, err)
		}
	}
}

// TestDedupGenerations checks which calls take a generation: each write of
// stories or frequencies outside a batch one of its own, a batch one for
// all of its calls, and entries none.
func TestDedupGenerations(t *testing.T) {
	idx := newShared(t)
	ctx := t.Context()
	g1 := mustGen(t, ctx, idx)
	if g2 := mustGen(t, ctx, idx); g2 != g1+1 {
		t.Errorf("Generation = %d then %d, want consecutive", g1, g2)
	}
	writes := []struct {
		name string
		fn   func() error
	}{
		{"PutCluster", func() error { return idx.PutCluster(ctx, story(1, 0, 1)) }},
		{"PutCluster deleting", func() error { return idx.PutCluster(ctx, dedup.Cluster{ID: 1}) }},
		{"AddDocFreq", func() error { return idx.AddDocFreq(ctx, []uint64{1}) }},
		{"AddDocFreqs", func() error { return idx.AddDocFreqs(ctx, 1, []uint64{1}, []int64{1}) }},
		{"Put of a new entry", func() error { return idx.Put(ctx, dedup.Entry{ID: 1, Cluster: 1, Keys: []uint64{1}}) }},
	}
	for _, w := range writes {
		before := mustGen(t, ctx, idx)
		if err := w.fn(); err != nil {
			t.Fatalf("%s = %v", w.name, err)
		}
		if after := mustGen(t, ctx, idx); after != before+2 {
			t.Errorf("%s took %d generations, want 1", w.name, after-before-1)
		}
	}
	before := mustGen(t, ctx, idx)
	if err := idx.Put(ctx, dedup.Entry{ID: 1, Cluster: 2, Keys: []uint64{1}}); err != nil {
		t.Fatalf("Put = %v", err)
	}
	if after := mustGen(t, ctx, idx); after != before+2 {
		t.Errorf("Put replacing an entry took %d generations, want 1", after-before-1)
	}
	before = mustGen(t, ctx, idx)

	var in []int64
	err := idx.Batch(ctx, func(ctx context.Context) error {
		// Writes before the first Generation take the batch's too.
		if err := idx.AddDocFreq(ctx, []uint64{2}); err != nil {
			return err
		}
		in = append(in, mustGen(t, ctx, idx))
		if err := idx.PutCluster(ctx, story(2, 0, 2)); err != nil {
			return err
		}
		in = append(in, mustGen(t, ctx, idx))
		// A nested batch is the same batch.
		return idx.Batch(ctx, func(ctx context.Context) error {
			in = append(in, mustGen(t, ctx, idx))
			return nil
		})
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	if want := before + 1; !slices.Equal(in, []int64{want, want, want}) {
		t.Errorf("Generation in a batch = %v, want %d throughout", in, want)
	}
	if stored, _, err := idx.StoriesChanged(ctx, in[0]-1, in[0]+1); err != nil || !slices.Equal(storyIDs(stored), []int64{2}) {
		t.Errorf("StoriesChanged around the batch = %v, %v, want [2]", storyIDs(stored), err)
	}
}

// TestDedupGenerationsConcurrent takes generations from two stores on one
// schema at once, as two processes would: each is taken once.
func TestDedupGenerationsConcurrent(t *testing.T) {
	u, admin := server(t)
	dsn := schema(t, u, admin)
	idxs := []dedup.Shared{shared(t, openIn(t, dsn)), shared(t, openIn(t, dsn))}
	const perWorker = 20
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		gens []int64
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx := idxs[w%2]
			for i := range perWorker {
				var g int64
				err := idx.Batch(t.Context(), func(ctx context.Context) error {
					var err error
					if g, err = idx.Generation(ctx); err != nil {
						return err
					}
					if err := idx.AddDocFreq(ctx, []uint64{uint64(i)}); err != nil {
						return err
					}
					return idx.PutCluster(ctx, story(int64(i+1), 0, uint64(i), uint64(w)))
				})
				if err != nil {
					t.Errorf("Batch = %v", err)
					return
				}
				mu.Lock()
				gens = append(gens, g)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(gens)
	if n := len(slices.Compact(slices.Clone(gens))); n != len(gens) {
		t.Errorf("%d batches took %d distinct generations", len(gens), n)
	}
	if docs, _, err := idxs[0].DocFreq(t.Context(), nil); err != nil || docs != 4*perWorker {
		t.Errorf("DocFreq = %d, %v, want %d documents", docs, err, 4*perWorker)
	}
}

func TestDedupStoriesChanged(t *testing.T) {
	idx := newShared(t)
	ctx := t.Context()
	mustPutCluster(t, ctx, idx, story(3, 0, 3)) // before the range
	b0 := mustGen(t, ctx, idx)
	mustPutCluster(t, ctx, idx, story(1, 0, 1))
	b1 := mustGen(t, ctx, idx)
	err := idx.Batch(ctx, func(ctx context.Context) error {
		if err := idx.PutCluster(ctx, story(2, 0, 2)); err != nil {
			return err
		}
		if err := idx.PutCluster(ctx, dedup.Cluster{ID: 3}); err != nil {
			return err
		}
		return idx.PutCluster(ctx, dedup.Cluster{ID: 99}) // never stored
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	b2 := mustGen(t, ctx, idx)
	mustPutCluster(t, ctx, idx, story(4, 0, 4))
	b3 := mustGen(t, ctx, idx)

	check := func(after, before int64, wantStored, wantDeleted []int64) {
		t.Helper()
		stored, deleted, err := idx.StoriesChanged(ctx, after, before)
		if err != nil {
			t.Fatalf("StoriesChanged(%d, %d) = %v", after, before, err)
		}
		got := storyIDs(stored)
		slices.Sort(got)
		slices.Sort(deleted)
		if !slices.Equal(got, wantStored) || !slices.Equal(deleted, wantDeleted) {
			t.Errorf("StoriesChanged(%d, %d) = %v, %v, want %v, %v", after, before, got, deleted, wantStored, wantDeleted)
		}
	}
	check(b0, b1, []int64{1}, nil)
	check(b1, b2, []int64{2}, []int64{3})
	check(b0, b2, []int64{1, 2}, []int64{3})
	check(b2, b3, []int64{4}, nil)
	check(b3, b3+100, nil, nil)
	check(b0, b0+1, nil, nil) // bounds are exclusive

	// A story stored again leaves its earlier generation; one deleted and
	// stored again is both, the deletion to be applied first.
	mustPutCluster(t, ctx, idx, story(1, 1, 1), story(3, 1, 3))
	b4 := mustGen(t, ctx, idx)
	check(b0, b1, nil, nil)
	check(b3, b4, []int64{1, 3}, nil)
	check(b1, b4, []int64{1, 2, 3, 4}, []int64{3})
	stored, _, err := idx.StoriesChanged(ctx, b3, b4)
	if err != nil || len(stored) != 2 || !stored[0].Last.Equal(dedupBase.Add(time.Hour)) || stored[0].Last.Location() != time.UTC {
		t.Errorf("StoriesChanged = %+v, %v, want the stories as stored now, in UTC", stored, err)
	}
}

func TestDedupRecentStories(t *testing.T) {
	idx := newShared(t)
	ctx := t.Context()
	if last, err := idx.LatestStory(ctx); err != nil || !last.IsZero() {
		t.Errorf("LatestStory of no stories = %v, %v, want the zero time", last, err)
	}
	// A story of the zero time is stored as itself, the earliest time.
	mustPutCluster(t, ctx, idx, dedup.Cluster{ID: 9, Size: 1})
	if last, err := idx.LatestStory(ctx); err != nil || !last.IsZero() {
		t.Errorf("LatestStory of a zero-time story = %v, %v, want the zero time", last, err)
	}
	// Stored in the order 3, 1, 2, 3; filing order is tested by the
	// shared suite.
	mustPutCluster(t, ctx, idx, story(3, 5, 3))
	err := idx.Batch(ctx, func(ctx context.Context) error {
		if err := idx.PutCluster(ctx, story(2, 2, 2)); err != nil {
			return err
		}
		return idx.PutCluster(ctx, story(1, 9, 1))
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	mustPutCluster(t, ctx, idx, story(3, 6, 3))
	for _, tt := range []struct {
		since time.Time
		want  []int64
	}{
		{time.Time{}, []int64{1, 2, 3, 9}},
		{dedupBase.Add(2 * time.Hour), []int64{1, 2, 3}}, // inclusive
		{dedupBase.Add(6 * time.Hour), []int64{1, 3}},
		{dedupBase.Add(10 * time.Hour), nil},
	} {
		got, _, err := idx.RecentStories(ctx, tt.since)
		if err != nil || !slices.Equal(slices.Sorted(slices.Values(storyIDs(got))), tt.want) {
			t.Errorf("RecentStories(%v) = %v, %v, want %v", tt.since, storyIDs(got), err, tt.want)
		}
	}
	last, err := idx.LatestStory(ctx)
	if want := dedupBase.Add(9 * time.Hour); err != nil || !last.Equal(want) || last.Location() != time.UTC {
		t.Errorf("LatestStory = %v, %v, want %v", last, err, want)
	}
}

func TestDedupAddDocFreqs(t *testing.T) {
	idx := newShared(t)
	ctx := t.Context()
	const a, b, c = 1 << 63, 2, 3 // a has the high bit set
	if err := idx.AddDocFreqs(ctx, 5, []uint64{a, b, a}, []int64{2, 4, 1}); err != nil {
		t.Fatalf("AddDocFreqs = %v", err)
	}
	err := idx.Batch(ctx, func(ctx context.Context) error {
		if err := idx.AddDocFreq(ctx, []uint64{a, c}); err != nil {
			return err
		}
		return idx.AddDocFreqs(ctx, 2, []uint64{c}, []int64{2})
	})
	if err != nil {
		t.Fatalf("Batch = %v", err)
	}
	docs, df, err := idx.DocFreq(ctx, []uint64{a, b, c, 4})
	if err != nil || docs != 8 || !slices.Equal(df, []int64{4, 4, 3, 0}) {
		t.Errorf("DocFreq = %d, %v, %v, want 8, [4 4 3 0]", docs, df, err)
	}
	if err := idx.AddDocFreqs(ctx, 1, []uint64{a, b}, []int64{1}); !errors.Is(err, taglines.ErrInvalid) {
		t.Errorf("AddDocFreqs with a count missing = %v, want ErrInvalid", err)
	}
	// Nothing to count takes no generation.
	g := mustGen(t, ctx, idx)
	if err := idx.AddDocFreqs(ctx, 0, nil, nil); err != nil {
		t.Errorf("AddDocFreqs of nothing = %v", err)
	}
	if g2 := mustGen(t, ctx, idx); g2 != g+1 {
		t.Errorf("AddDocFreqs of nothing took %d generations", g2-g-1)
	}
}

// TestDedupPutClusterRefile checks that PutCluster, writing only the
// filings of keys that changed, keeps the others in place: a story keeping
// a key stays behind a story filed under it later, and a key it gains
// files it as the most recent.
func TestDedupPutClusterRefile(t *testing.T) {
	idx := newShared(t)
	ctx := t.Context()
	const k1, k2, k3, k4 = 1 << 63, 2, 3, 4
	mustPutCluster(t, ctx, idx, story(1, 0, k1, k2), story(2, 0, k1, k3))
	newest := func(k uint64) []int64 {
		t.Helper()
		cs, err := idx.Stories(ctx, dedup.Query{Keys: []uint64{k}, PerKey: 1})
		if err != nil {
			t.Fatalf("Stories = %v", err)
		}
		return storyIDs(cs)
	}
	check := func(when string, want map[uint64][]int64) {
		t.Helper()
		for _, k := range []uint64{k1, k2, k3, k4} {
			if got := newest(k); !slices.Equal(got, want[k]) {
				t.Errorf("%s: most recent under %x = %v, want %v", when, k, got, want[k])
			}
		}
	}
	check("at first", map[uint64][]int64{k1: {2}, k2: {1}, k3: {2}})

	// Story 1 keeps k1, drops k2, gains k3 (repeated, unsorted) and k4.
	mustPutCluster(t, ctx, idx, story(1, 1, k4, k3, k1, k3))
	check("after refiling", map[uint64][]int64{k1: {2}, k3: {1}, k4: {1}})
	// The same keys again change no filing.
	mustPutCluster(t, ctx, idx, story(2, 2, k3, k1))
	check("after storing again", map[uint64][]int64{k1: {2}, k3: {1}, k4: {1}})
	if got, err := idx.Cluster(ctx, 1); err != nil || !slices.Equal(got.Keys, []uint64{k3, k4, k1}) {
		t.Errorf("Cluster(1) keys = %v, %v, want [k3 k4 k1], sorted and distinct", got.Keys, err)
	}

	// Deleted and stored again, a story is filed anew.
	mustPutCluster(t, ctx, idx, dedup.Cluster{ID: 1}, story(1, 3, k1))
	check("after deleting and storing again", map[uint64][]int64{k1: {1}, k3: {2}})
	mustPutCluster(t, ctx, idx, dedup.Cluster{ID: 1})
	check("after deleting", map[uint64][]int64{k1: {2}, k3: {2}})
}
