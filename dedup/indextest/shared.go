package indextest

import (
	"cmp"
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

// RunShared runs the suite of dedup.Shared, and of a dedup.Cache over it,
// each behaviour in a subtest with an index of its own from open, which
// must return an empty index and arrange its cleanup. newProcess, if not
// nil, returns another handle on the same database, as a second process
// would open it, for the tests of several writers; nil runs them with two
// handles being one.
func RunShared(t *testing.T, open func(t *testing.T) dedup.Shared, newProcess func(t *testing.T, idx dedup.Shared) dedup.Shared) {
	if newProcess == nil {
		newProcess = func(_ *testing.T, idx dedup.Shared) dedup.Shared { return idx }
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, idx dedup.Shared)
	}{
		{"Generation", testGeneration},
		{"StoriesChanged", testStoriesChanged},
		{"PruneChanges", testPruneChanges},
		{"CachePruned", func(t *testing.T, idx dedup.Shared) { testCachePruned(t, idx, newProcess(t, idx)) }},
		{"RecentStories", testRecentStories},
		{"AddDocFreqs", testAddDocFreqs},
		{"Postings", testPostings},
		{"CacheCandidates", func(t *testing.T, idx dedup.Shared) { testCacheCandidates(t, idx, newProcess(t, idx)) }},
		{"CacheDeduper", func(t *testing.T, idx dedup.Shared) { testDeduper(t, dedup.NewCache(idx, 0, nil)) }},
		// A horizon shorter than the stream: look-ups older than it go to
		// the database, and the copy is pruned as the stream goes on.
		{"CacheShortHorizon", testCacheShortHorizon},
		{"CacheLoadOrder", testCacheLoadOrder},
		{"CacheRollback", testCacheRollback},
		{"CacheWriters", func(t *testing.T, idx dedup.Shared) { testCacheWriters(t, idx, newProcess(t, idx)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

func generation(t *testing.T, ctx context.Context, idx dedup.Shared) int64 {
	t.Helper()
	g, err := idx.Generation(ctx)
	if err != nil {
		t.Fatalf("Generation = %v", err)
	}
	return g
}

func batch(t *testing.T, b dedup.Batcher, fn func(ctx context.Context) error) {
	t.Helper()
	if err := b.Batch(t.Context(), fn); err != nil {
		t.Fatalf("Batch = %v", err)
	}
}

func testGeneration(t *testing.T, idx dedup.Shared) {
	g1 := generation(t, t.Context(), idx)
	g2 := generation(t, t.Context(), idx)
	if g2 <= g1 {
		t.Errorf("Generation outside a batch = %d then %d, want each call a new, larger one", g1, g2)
	}
	var in1, in2 int64
	batch(t, idx, func(ctx context.Context) error {
		in1 = generation(t, ctx, idx)
		if err := idx.PutCluster(ctx, cluster(1, 0, 1, key(1))); err != nil {
			return err
		}
		in2 = generation(t, ctx, idx)
		return nil
	})
	if in1 != in2 || in1 <= g2 {
		t.Errorf("Generation in a batch = %d then %d after %d, want one, larger", in1, in2, g2)
	}
	// A write outside a batch takes a generation of its own.
	putCluster(t, idx, cluster(2, 0, 1, key(2)))
	stored, _, err := idx.StoriesChanged(t.Context(), in1, math.MaxInt64)
	if err != nil || !reflect.DeepEqual(clusterIDs(stored), []int64{2}) {
		t.Errorf("StoriesChanged(%d, ∞) = %v, %v, want story 2", in1, clusterIDs(stored), err)
	}
	if g := generation(t, t.Context(), idx); g <= in1+1 {
		t.Errorf("Generation after a write outside a batch = %d, want > %d", g, in1+1)
	}
}

func testStoriesChanged(t *testing.T, idx dedup.Shared) {
	gens := map[int64]int64{}
	for id := int64(1); id <= 4; id++ {
		batch(t, idx, func(ctx context.Context) error {
			gens[id] = generation(t, ctx, idx)
			return idx.PutCluster(ctx, cluster(id, 0, float64(id), key(int(id))))
		})
	}
	var dropGen int64
	batch(t, idx, func(ctx context.Context) error {
		dropGen = generation(t, ctx, idx)
		if err := idx.PutCluster(ctx, dedup.Cluster{ID: 2}); err != nil {
			return err
		}
		// Deleting a story that does not exist records nothing.
		return idx.PutCluster(ctx, dedup.Cluster{ID: 99})
	})
	tests := []struct {
		after, before int64
		stored        []int64
		deleted       []int64
	}{
		{0, gens[1], nil, nil},
		{0, gens[3], []int64{1}, nil}, // 2 is gone
		{gens[1], dropGen + 1, []int64{3, 4}, []int64{2}},
		{gens[4], dropGen, nil, nil},
		{dropGen, math.MaxInt64, nil, nil},
	}
	for _, tt := range tests {
		stored, deleted, err := idx.StoriesChanged(t.Context(), tt.after, tt.before)
		if err != nil {
			t.Fatalf("StoriesChanged(%d, %d) = %v", tt.after, tt.before, err)
		}
		if got := sorted(clusterIDs(stored)...); !slices.Equal(got, tt.stored) {
			t.Errorf("StoriesChanged(%d, %d) stored %v, want %v", tt.after, tt.before, got, tt.stored)
		}
		if got := sorted(deleted...); !slices.Equal(got, tt.deleted) {
			t.Errorf("StoriesChanged(%d, %d) deleted %v, want %v", tt.after, tt.before, got, tt.deleted)
		}
	}
	// What is returned is the story as stored now.
	stored, _, err := idx.StoriesChanged(t.Context(), gens[2], gens[4])
	if err != nil || len(stored) != 1 {
		t.Fatalf("StoriesChanged = %v, %v, want story 3", clusterIDs(stored), err)
	}
	if got, want := normCluster(stored[0]), normCluster(cluster(3, 0, 3, key(3))); !reflect.DeepEqual(got, want) {
		t.Errorf("StoriesChanged returned %+v, want %+v", got, want)
	}
}

func testRecentStories(t *testing.T, idx dedup.Shared) {
	if last, err := idx.LatestStory(t.Context()); err != nil || !last.IsZero() {
		t.Errorf("LatestStory of an empty index = %v, %v, want the zero time", last, err)
	}
	// Filed under key 1: 3, then 1, then 2, then 3 stored again keeping
	// key 1 (its filing stays first) and gaining key 2 (filed after 2's).
	putCluster(t, idx, cluster(3, 0, 5, key(1)))
	putCluster(t, idx, cluster(1, 0, 9, key(1)))
	putCluster(t, idx, cluster(2, 0, 2, key(1), key(2)))
	putCluster(t, idx, cluster(3, 0, 6, key(1), key(2)))
	got, filings, err := idx.RecentStories(t.Context(), at(5))
	if err != nil || !slices.Equal(clusterIDs(got), []int64{1, 3}) {
		t.Errorf("RecentStories(5h) = %v, %v, want [1 3]", clusterIDs(got), err)
	}
	want := map[uint64][]int64{key(1): {3, 1}, key(2): {3}}
	if got := byKey(filings); !reflect.DeepEqual(got, want) {
		t.Errorf("RecentStories(5h) filings = %v, want %v", got, want)
	}
	got, filings, err = idx.RecentStories(t.Context(), time.Time{})
	want = map[uint64][]int64{key(1): {3, 1, 2}, key(2): {2, 3}}
	if err != nil || !slices.Equal(clusterIDs(got), []int64{1, 2, 3}) || !reflect.DeepEqual(byKey(filings), want) {
		t.Errorf("RecentStories(zero) = %v, %v, %v, want [1 2 3], %v", clusterIDs(got), byKey(filings), err, want)
	}
	if last, err := idx.LatestStory(t.Context()); err != nil || !last.Equal(at(9)) {
		t.Errorf("LatestStory = %v, %v, want %v", last, err, at(9))
	}
}

func testAddDocFreqs(t *testing.T, idx dedup.Shared) {
	if err := idx.AddDocFreq(t.Context(), []uint64{key(1)}); err != nil {
		t.Fatal(err)
	}
	if err := idx.AddDocFreqs(t.Context(), 3, []uint64{key(1), key(2)}, []int64{2, 3}); err != nil {
		t.Fatalf("AddDocFreqs = %v", err)
	}
	docs, df, err := idx.DocFreq(t.Context(), []uint64{key(1), key(2), key(3)})
	if err != nil || docs != 4 || !slices.Equal(df, []int64{3, 3, 0}) {
		t.Errorf("DocFreq = %d, %v, %v, want 4, [3 3 0]", docs, df, err)
	}
	if err := idx.AddDocFreqs(t.Context(), 1, []uint64{key(1)}, nil); !errors.Is(err, taglines.ErrInvalid) {
		t.Errorf("AddDocFreqs with counts missing = %v, want ErrInvalid", err)
	}
	if err := idx.AddDocFreqs(t.Context(), 1, nil, nil); err != nil {
		t.Errorf("AddDocFreqs of no terms = %v", err)
	}
	if docs, _, _ := idx.DocFreq(t.Context(), nil); docs != 5 {
		t.Errorf("docs = %d, want 5", docs)
	}
}

// testCacheRollback checks that a batch that fails leaves no trace in the
// copy: neither its story nor its frequencies.
func testCacheRollback(t *testing.T, idx dedup.Shared) {
	c := dedup.NewCache(idx, 0, nil)
	batch(t, c, func(ctx context.Context) error {
		return c.PutCluster(ctx, cluster(1, 0, 1, key(1)))
	})
	boom := errors.New("boom")
	err := c.Batch(t.Context(), func(ctx context.Context) error {
		if err := c.PutCluster(ctx, cluster(2, 0, 1, key(1))); err != nil {
			return err
		}
		if err := c.AddDocFreq(ctx, []uint64{key(1)}); err != nil {
			return err
		}
		if got := storiesIn(t, ctx, c, dedup.Query{Keys: []uint64{key(1)}}); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("in the batch, Stories = %v, want [1 2]", got)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Batch = %v, want boom", err)
	}
	batch(t, c, func(ctx context.Context) error {
		if got := storiesIn(t, ctx, c, dedup.Query{Keys: []uint64{key(1)}}); !slices.Equal(got, []int64{1}) {
			t.Errorf("after the rollback, Stories = %v, want [1]", got)
		}
		docs, df, err := c.DocFreq(ctx, []uint64{key(1)})
		if err != nil || docs != 0 || df[0] != 0 {
			t.Errorf("after the rollback, DocFreq = %d, %v, %v, want 0 [0]", docs, df, err)
		}
		return nil
	})
}

// testCacheWriters runs two Dedupers, each with a Cache of its own over
// one index (two pollers sharing a database), taking turns batch by batch,
// and a third without a cache splitting an article off (an operator's
// `taglines split`): every decision must be what one Deduper on a
// MemIndex decides for the same stream.
func testCacheWriters(t *testing.T, a, b dedup.Shared) {
	docs := Documents(t, 200)
	ref := dedup.New(dedup.NewMemIndex(), dedup.Options{})
	ds := []*dedup.Deduper{
		dedup.New(dedup.NewCache(a, 0, nil), dedup.Options{}),
		dedup.New(dedup.NewCache(b, 0, nil), dedup.Options{}),
	}
	operator := dedup.New(a, dedup.Options{})
	split := false
	for i, turn := 0, 0; i < len(docs); i, turn = i+10, turn+1 {
		chunk := docs[i:min(i+10, len(docs))]
		want, err := ref.ProcessAll(t.Context(), chunk)
		if err != nil {
			t.Fatalf("MemIndex: ProcessAll = %v", err)
		}
		got, err := ds[turn%2].ProcessAll(t.Context(), chunk)
		if err != nil {
			t.Fatalf("ProcessAll = %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("turn %d: ProcessAll = %+v, want %+v as on a MemIndex", turn, got, want)
		}
		if turn%5 == 4 {
			w, err := ref.Refine(t.Context(), docs[0].Published, time.Time{})
			if err != nil {
				t.Fatalf("MemIndex: Refine = %v", err)
			}
			g, err := ds[(turn+1)%2].Refine(t.Context(), docs[0].Published, time.Time{})
			if err != nil {
				t.Fatalf("Refine = %v", err)
			}
			if !reflect.DeepEqual(resultMap(g), resultMap(w)) {
				t.Fatalf("turn %d: Refine moved %+v, want %+v as on a MemIndex", turn, g, w)
			}
		}
		if !split {
			for _, r := range got {
				if r.Cluster != r.ID && r.DuplicateOf == 0 {
					w, werr := ref.Split(t.Context(), r.ID, dedup.SplitStory)
					g, gerr := operator.Split(t.Context(), r.ID, dedup.SplitStory)
					if g != w || werr != nil || gerr != nil {
						t.Fatalf("Split(%d) = %+v, %v, want %+v, %v", r.ID, g, gerr, w, werr)
					}
					split = true
					break
				}
			}
		}
	}
	if !split {
		t.Error("no article joined another's story: the stream does not exercise splitting")
	}
}

func storiesIn(t *testing.T, ctx context.Context, idx dedup.Index, q dedup.Query) []int64 {
	t.Helper()
	cs, err := idx.Stories(ctx, q)
	if err != nil {
		t.Fatalf("Stories(%+v) = %v", q, err)
	}
	return clusterIDs(cs)
}

// byKey returns the stories filed under each key, in filing order.
func byKey(fs []dedup.Filing) map[uint64][]int64 {
	m := map[uint64][]int64{}
	for _, f := range fs {
		m[f.Key] = append(m[f.Key], f.Story)
	}
	return m
}

func testCacheShortHorizon(t *testing.T, idx dedup.Shared) {
	docs := Documents(t, 150)
	now := docs[len(docs)-1].Published
	c := dedup.NewCache(idx, 2*time.Hour, func() time.Time { return now })
	testDeduper(t, c)
	if s := c.Stats(); s.Misses == 0 {
		t.Errorf("stats = %+v: no look-up reached past a 2h horizon over %s of articles", s, now.Sub(docs[0].Published))
	}
}

// testCacheLoadOrder checks that a cache loaded over a filled index files
// stories as the index does: a story stored again keeps its place under a
// key it keeps, so the most recently filed under key 1 is story 4, not
// story 1, stored last.
func testCacheLoadOrder(t *testing.T, idx dedup.Shared) {
	putCluster(t, idx, cluster(1, 0, 1, key(1)), cluster(2, 0, 2, key(1)), cluster(3, 0, 3, key(1)), cluster(4, 0, 4, key(1)))
	putCluster(t, idx, cluster(1, 0, 5, key(1), key(2)))
	c := dedup.NewCache(idx, 0, nil)
	for _, perKey := range []int{1, 2, 4} {
		q := dedup.Query{Keys: []uint64{key(1)}, PerKey: perKey, Since: at(0)}
		want := stories(t, idx, q)
		batch(t, c, func(ctx context.Context) error {
			if got := storiesIn(t, ctx, c, q); !slices.Equal(got, want) {
				t.Errorf("PerKey %d: cached Stories = %v, want %v as the index returns", perKey, got, want)
			}
			return nil
		})
	}
	if s := c.Stats(); s.Misses != 0 {
		t.Errorf("stats = %+v, want every look-up answered from memory", s)
	}
}

func testPruneChanges(t *testing.T, idx dedup.Shared) {
	putCluster(t, idx, cluster(1, 0, 1, key(1)), cluster(2, 0, 1, key(2)))
	var g1, g2 int64
	for id, g := range map[int64]*int64{1: &g1, 2: &g2} {
		batch(t, idx, func(ctx context.Context) error {
			*g = generation(t, ctx, idx)
			return idx.PutCluster(ctx, dedup.Cluster{ID: id})
		})
	}
	first, last := min(g1, g2), max(g1, g2)
	if err := idx.PruneChanges(t.Context(), last); err != nil {
		t.Fatalf("PruneChanges(%d) = %v", last, err)
	}
	if _, _, err := idx.StoriesChanged(t.Context(), first-1, math.MaxInt64); !errors.Is(err, dedup.ErrChangesPruned) {
		t.Errorf("StoriesChanged(%d, ∞) after PruneChanges(%d) = %v, want ErrChangesPruned", first-1, last, err)
	}
	_, deleted, err := idx.StoriesChanged(t.Context(), last-1, math.MaxInt64)
	if err != nil || len(deleted) != 1 {
		t.Errorf("StoriesChanged(%d, ∞) = %v, %v, want the story deleted at %d", last-1, deleted, err, last)
	}
	// Pruning less than before changes nothing.
	if err := idx.PruneChanges(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	if _, _, err := idx.StoriesChanged(t.Context(), first-1, math.MaxInt64); !errors.Is(err, dedup.ErrChangesPruned) {
		t.Errorf("after pruning less, StoriesChanged(%d, ∞) = %v, want ErrChangesPruned", first-1, err)
	}
}

// testCachePruned checks that a cache whose last batch is older than the
// pruned deletions loads its copy again rather than keep a deleted story.
func testCachePruned(t *testing.T, a, b dedup.Shared) {
	c := dedup.NewCache(a, 0, nil)
	putCluster(t, a, cluster(1, 0, 1, key(1)), cluster(2, 0, 1, key(1)))
	q := dedup.Query{Keys: []uint64{key(1)}, Since: at(0)}
	batch(t, c, func(ctx context.Context) error {
		if got := storiesIn(t, ctx, c, q); !slices.Equal(got, []int64{1, 2}) {
			t.Errorf("Stories = %v, want [1 2]", got)
		}
		return nil
	})
	// Another process deletes story 2, then prunes the log of it.
	var g int64
	batch(t, b, func(ctx context.Context) error {
		g = generation(t, ctx, b)
		return b.PutCluster(ctx, dedup.Cluster{ID: 2})
	})
	if err := b.PruneChanges(t.Context(), g+1); err != nil {
		t.Fatal(err)
	}
	batch(t, c, func(ctx context.Context) error {
		if got := storiesIn(t, ctx, c, q); !slices.Equal(got, []int64{1}) {
			t.Errorf("after another process deleted story 2, Stories = %v, want [1]", got)
		}
		return nil
	})
	if s := c.Stats(); s.Loads != 2 {
		t.Errorf("stats = %+v, want 2 loads", s)
	}
}

func testPostings(t *testing.T, idx dedup.Shared) {
	ctx := t.Context()
	g0 := generation(t, ctx, idx)
	// Stored out of publication order; entry 5 repeats a key, as stored.
	put(t, idx, entry(5, at(3), key(1), key(2), key(1)), entry(2, at(1), key(2)), entry(9, at(5)))
	if g := generation(t, ctx, idx); g != g0+4 {
		t.Errorf("generation after storing 3 entries = %d, want %d: each new entry takes one", g, g0+4)
	}
	postings := func(since time.Time, after int64) []dedup.Posted {
		t.Helper()
		got, err := idx.Postings(ctx, since, after)
		if err != nil {
			t.Fatalf("Postings(%v, %d) = %v", since, after, err)
		}
		return got
	}
	postedIDs := func(ps []dedup.Posted) []int64 { // in the order returned
		out := make([]int64, len(ps))
		for i, p := range ps {
			out[i] = p.ID
		}
		return out
	}
	all := postings(time.Time{}, 0)
	if got := postedIDs(all); !slices.Equal(got, []int64{5, 2, 9}) {
		t.Fatalf("Postings(zero, 0) = %v, want [5 2 9], the order stored", got)
	}
	for i, want := range []dedup.Entry{entry(5, at(3), key(1), key(2), key(1)), entry(2, at(1), key(2)), entry(9, at(5))} {
		p := all[i]
		if !p.Published.Equal(want.Published) || !slices.Equal(p.Keys, want.Keys) || (i > 0 && p.Seq <= all[i-1].Seq) {
			t.Errorf("Postings[%d] = %+v, want published %v, keys %v, seq increasing", i, p, want.Published, want.Keys)
		}
	}
	if got := postedIDs(postings(at(2), 0)); !slices.Equal(got, []int64{5, 9}) {
		t.Errorf("Postings(2h, 0) = %v, want [5 9]", got)
	}
	if got := postedIDs(postings(time.Time{}, all[0].Seq)); !slices.Equal(got, []int64{2, 9}) {
		t.Errorf("Postings(zero, seq of 5) = %v, want [2 9]", got)
	}
	if got := postings(time.Time{}, all[2].Seq); len(got) != 0 {
		t.Errorf("Postings after the last = %v, want none", postedIDs(got))
	}
	// Re-dated, entry 2 keeps its place.
	put(t, idx, entry(2, at(6), key(2)))
	if got := postedIDs(postings(at(2), 0)); !slices.Equal(got, []int64{5, 2, 9}) {
		t.Errorf("Postings(2h, 0) after re-dating 2 = %v, want [5 2 9]", got)
	}

	got, err := idx.Entries(ctx, []int64{9, 2, 77})
	if err != nil {
		t.Fatalf("Entries = %v", err)
	}
	slices.SortFunc(got, func(a, b dedup.Entry) int { return cmp.Compare(a.ID, b.ID) })
	want := []dedup.Entry{normEntry(entry(2, at(6), key(2))), normEntry(entry(9, at(5)))}
	for i := range got {
		got[i] = normEntry(got[i])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Entries(9, 2, 77) = %+v, want %+v", got, want)
	}
	if got, err := idx.Entries(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Entries() = %v, %v, want none", got, err)
	}
}

// testCacheCandidates checks that a Cache finds the candidates the index
// finds, from memory, after its own writes and another process's.
func testCacheCandidates(t *testing.T, a, b dedup.Shared) {
	put(t, a, entry(1, at(0), key(1)), entry(2, at(1), key(1), key(2)))
	putCluster(t, a, cluster(1, 0, 1, key(9)))
	c := dedup.NewCache(a, 0, func() time.Time { return at(1) })
	queries := []dedup.Query{
		{Keys: []uint64{key(1)}, Since: at(-1)},
		{Keys: []uint64{key(1), key(2)}, Since: at(0.5), Until: at(10)},
		{Keys: []uint64{key(1)}, PerKey: 1, Since: at(-1)},
		{Keys: []uint64{key(2), key(3)}, Since: at(-1), Until: at(2.5)},
		{Keys: []uint64{key(4)}, Since: at(-1)},
	}
	check := func(step string) {
		t.Helper()
		var want [][]dedup.Entry
		for _, q := range queries {
			es, err := a.Candidates(t.Context(), q)
			if err != nil {
				t.Fatalf("Candidates = %v", err)
			}
			want = append(want, sortedEntries(es))
		}
		batch(t, c, func(ctx context.Context) error {
			for i, q := range queries {
				es, err := c.Candidates(ctx, q)
				if err != nil {
					return err
				}
				if got := sortedEntries(es); !reflect.DeepEqual(got, want[i]) {
					t.Errorf("%s: cached Candidates(%+v) = %v, want %v as the index returns", step, q, entryIDs(got), entryIDs(want[i]))
				}
			}
			return nil
		})
	}
	check("loaded")
	batch(t, c, func(ctx context.Context) error { return c.Put(ctx, entry(3, at(2), key(1), key(3))) })
	check("after its own write")
	put(t, b, entry(4, at(3), key(2), key(3)))
	check("after another process's write")
	if s := c.Stats(); s.Misses != 0 || s.Entries < 3 {
		t.Errorf("stats = %+v, want every look-up answered from memory, and 3 entries read", s)
	}
	// Older than the entry horizon: the index answers.
	batch(t, c, func(ctx context.Context) error {
		_, err := c.Candidates(ctx, dedup.Query{Keys: []uint64{key(1)}, Since: at(-24 * 9)})
		return err
	})
	if s := c.Stats(); s.Misses != 1 {
		t.Errorf("stats = %+v, want the look-up past the horizon sent to the index", s)
	}
}

func sortedEntries(es []dedup.Entry) []dedup.Entry {
	out := make([]dedup.Entry, len(es))
	for i, e := range es {
		out[i] = normEntry(e)
	}
	slices.SortFunc(out, func(a, b dedup.Entry) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
