// Package indextest is the one behaviour suite of dedup.Index: Run holds
// every behaviour an implementation must have, and runs against
// dedup.MemIndex and the SQLite and PostgreSQL stores' indexes alike.
package indextest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/testpub"
)

// Run runs the suite, each behaviour in a subtest with an index of its
// own from open, which must return an empty index and arrange its
// cleanup. Times in the suite are whole microseconds, the precision the
// stores keep.
func Run(t *testing.T, open func(t *testing.T) dedup.Index) {
	tests := []struct {
		name string
		fn   func(t *testing.T, idx dedup.Index)
	}{
		{"EntryRoundTrip", testEntryRoundTrip},
		{"EntryNotFound", testEntryNotFound},
		{"PutInvalidID", testPutInvalidID},
		{"PutKeysChange", testPutKeysChange},
		{"PutReplace", testPutReplace},
		{"Versions", testVersions},
		{"CandidatesMatch", testCandidatesMatch},
		{"CandidatesWindow", testCandidatesWindow},
		{"CandidatesPerKey", testCandidatesPerKey},
		{"CandidatesDefaultPerKey", testCandidatesDefaultPerKey},
		{"CandidatesCanceled", testCandidatesCanceled},
		{"ClusterRoundTrip", testClusterRoundTrip},
		{"ClusterDelete", testClusterDelete},
		{"StoriesMatch", testStoriesMatch},
		{"StoriesWindow", testStoriesWindow},
		{"StoriesPerKey", testStoriesPerKey},
		{"StoriesRefile", testStoriesRefile},
		{"StoriesLimit", testStoriesLimit},
		{"Relabel", testRelabel},
		{"Window", testWindow},
		{"DocFreq", testDocFreq},
		{"Concurrent", testConcurrent},
		{"Deduper", testDeduper},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// base is the suite's reference time.
var base = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func at(hours float64) time.Time {
	return base.Add(time.Duration(hours * float64(time.Hour))).Truncate(time.Microsecond)
}

// entry returns a full entry with every field set, derived from id.
func entry(id int64, pub time.Time, keys ...uint64) dedup.Entry {
	e := dedup.Entry{
		ID:         id,
		Published:  pub,
		Cluster:    id,
		Shingles:   int32(100 + id),
		TitleWords: []uint32{uint32(id), uint32(id) + 7, math.MaxUint32},
		Vector: dedup.Vector{
			{Key: uint64(id), Weight: 0.6},
			{Key: uint64(id) + 1, Weight: -0.25, Name: id%3 == 0}, // both vector forms
			{Key: math.MaxUint64, Weight: 0.75},
		},
		Keys:   keys,
		Pinned: id%2 == 0,
	}
	for i := range e.Signature {
		e.Signature[i] = uint16(int(id)*131 + i*977)
	}
	return e
}

// key returns a key with the high bit set, to check that uint64 keys
// survive storage as signed integers.
func key(n int) uint64 { return 1<<63 | uint64(n)*0x9e3779b97f4a7c15>>1 }

func put(t *testing.T, idx dedup.Index, es ...dedup.Entry) {
	t.Helper()
	for _, e := range es {
		if err := idx.Put(t.Context(), e); err != nil {
			t.Fatalf("Put(%d) = %v", e.ID, err)
		}
	}
}

func putCluster(t *testing.T, idx dedup.Index, cs ...dedup.Cluster) {
	t.Helper()
	for _, c := range cs {
		if err := idx.PutCluster(t.Context(), c); err != nil {
			t.Fatalf("PutCluster(%d) = %v", c.ID, err)
		}
	}
}

// normEntry makes entries comparable with reflect.DeepEqual: empty slices
// as nil, times in UTC without a monotonic reading.
func normEntry(e dedup.Entry) dedup.Entry {
	e.Published = e.Published.UTC().Round(0)
	if len(e.TitleWords) == 0 {
		e.TitleWords = nil
	}
	if len(e.Vector) == 0 {
		e.Vector = nil
	}
	if len(e.Keys) == 0 {
		e.Keys = nil
	}
	return e
}

func normCluster(c dedup.Cluster) dedup.Cluster {
	c.First, c.Last = c.First.UTC().Round(0), c.Last.UTC().Round(0)
	if len(c.Centroid) == 0 {
		c.Centroid = nil
	}
	c.Keys = slices.Clone(c.Keys)
	slices.Sort(c.Keys)
	c.Keys = slices.Compact(c.Keys)
	if len(c.Keys) == 0 {
		c.Keys = nil
	}
	return c
}

func checkEntry(t *testing.T, idx dedup.Index, want dedup.Entry) {
	t.Helper()
	got, err := idx.Entry(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("Entry(%d) = %v", want.ID, err)
	}
	if g, w := normEntry(got), normEntry(want); !reflect.DeepEqual(g, w) {
		t.Errorf("Entry(%d) = %+v, want %+v", want.ID, g, w)
	}
}

func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	slices.Sort(out)
	return out
}

func entryIDs(es []dedup.Entry) []int64 { return ids(es, func(e dedup.Entry) int64 { return e.ID }) }
func clusterIDs(cs []dedup.Cluster) []int64 {
	return ids(cs, func(c dedup.Cluster) int64 { return c.ID })
}

// sorted returns want sorted, for comparing results "in any order".
func sorted(want ...int64) []int64 {
	slices.Sort(want)
	if want == nil {
		want = []int64{}
	}
	return want
}

func candidates(t *testing.T, idx dedup.Index, q dedup.Query) []int64 {
	t.Helper()
	es, err := idx.Candidates(t.Context(), q)
	if err != nil {
		t.Fatalf("Candidates(%+v) = %v", q, err)
	}
	return entryIDs(es)
}

func stories(t *testing.T, idx dedup.Index, q dedup.Query) []int64 {
	t.Helper()
	cs, err := idx.Stories(t.Context(), q)
	if err != nil {
		t.Fatalf("Stories(%+v) = %v", q, err)
	}
	return clusterIDs(cs)
}

func testEntryRoundTrip(t *testing.T, idx dedup.Index) {
	full := entry(1, at(0), key(1), key(2), 3)
	full.DuplicateOf = 9
	full.Cluster = 9
	empty := dedup.Entry{ID: 2, Published: at(-1), Cluster: 2} // a text too short: no signature, keys or words
	zeroTime := dedup.Entry{ID: 3, Cluster: 3, Keys: []uint64{key(3)}}
	unsorted := entry(4, at(2), key(9), key(1), key(5)) // keys keep their order
	put(t, idx, full, empty, zeroTime, unsorted)
	for _, e := range []dedup.Entry{full, empty, zeroTime, unsorted} {
		checkEntry(t, idx, e)
	}
	got, err := idx.Entry(t.Context(), 3)
	if err == nil && !got.Published.IsZero() {
		t.Errorf("Entry(3).Published = %v, want the zero time", got.Published)
	}
}

func testEntryNotFound(t *testing.T, idx dedup.Index) {
	put(t, idx, entry(1, at(0), key(1)))
	if _, err := idx.Entry(t.Context(), 2); !errors.Is(err, taglines.ErrNotFound) {
		t.Errorf("Entry(unknown) = %v, want ErrNotFound", err)
	}
	if _, err := idx.Cluster(t.Context(), 1); !errors.Is(err, taglines.ErrNotFound) {
		t.Errorf("Cluster(unknown) = %v, want ErrNotFound", err)
	}
}

func testPutInvalidID(t *testing.T, idx dedup.Index) {
	for _, id := range []int64{0, -1} {
		if err := idx.Put(t.Context(), entry(id, at(0), key(1))); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Put(id %d) = %v, want ErrInvalid", id, err)
		}
	}
	if got := candidates(t, idx, dedup.Query{Keys: []uint64{key(1)}}); len(got) != 0 {
		t.Errorf("after rejected Puts, Candidates = %v, want none", got)
	}
}

func testPutKeysChange(t *testing.T, idx dedup.Index) {
	e := entry(1, at(0), key(1), key(2))
	put(t, idx, e)
	for _, keys := range [][]uint64{{key(1)}, {key(1), key(3)}, {key(1), key(2), key(3)}, nil} {
		changed := e
		changed.Keys = keys
		changed.Cluster = 5
		if err := idx.Put(t.Context(), changed); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Put(keys %v over %v) = %v, want ErrInvalid", keys, e.Keys, err)
		}
	}
	checkEntry(t, idx, e)
	if got := candidates(t, idx, dedup.Query{Keys: []uint64{key(3)}}); len(got) != 0 {
		t.Errorf("Candidates(rejected key) = %v, want none", got)
	}
}

func testPutReplace(t *testing.T, idx dedup.Index) {
	root, other := entry(1, at(0), key(1)), entry(2, at(0), key(2))
	e := entry(3, at(1), key(1), key(3))
	e.DuplicateOf, e.Cluster = 1, 1
	put(t, idx, root, other, e)

	e.DuplicateOf, e.Cluster = 2, 2
	put(t, idx, e)
	checkEntry(t, idx, e)
	versions(t, idx, 1)
	versions(t, idx, 2, 3)

	e.DuplicateOf, e.Cluster = 0, 3 // split off
	put(t, idx, e)
	checkEntry(t, idx, e)
	versions(t, idx, 2)
	if got := candidates(t, idx, dedup.Query{Keys: []uint64{key(3)}}); !slices.Equal(got, sorted(3)) {
		t.Errorf("after replacing, Candidates(its key) = %v, want [3]", got)
	}
}

func versions(t *testing.T, idx dedup.Index, root int64, want ...int64) {
	t.Helper()
	vs, err := idx.Versions(t.Context(), root)
	if err != nil {
		t.Fatalf("Versions(%d) = %v", root, err)
	}
	if got := entryIDs(vs); !slices.Equal(got, sorted(want...)) {
		t.Errorf("Versions(%d) = %v, want %v", root, got, sorted(want...))
	}
	for _, v := range vs {
		if v.DuplicateOf != root || v.Published.IsZero() || len(v.Keys) == 0 {
			t.Errorf("Versions(%d) holds %+v, want full entries of duplicates of %d", root, v, root)
		}
	}
}

func testVersions(t *testing.T, idx dedup.Index) {
	var es []dedup.Entry
	for id := int64(1); id <= 6; id++ {
		e := entry(id, at(float64(id)), key(int(id)))
		if id == 3 || id == 4 || id == 6 {
			e.DuplicateOf, e.Cluster = 1, 1
		}
		if id == 5 {
			e.DuplicateOf, e.Cluster = 2, 2
		}
		es = append(es, e)
	}
	put(t, idx, es...)
	versions(t, idx, 1, 3, 4, 6)
	versions(t, idx, 2, 5)
	versions(t, idx, 3)
	versions(t, idx, 99)
	versions(t, idx, 0) // not a duplicate is not a version of 0
}

func testCandidatesMatch(t *testing.T, idx dedup.Index) {
	put(t, idx,
		entry(1, at(0), key(1), key(2)),
		entry(2, at(0), key(2), key(3)),
		entry(3, at(0), key(4)),
		entry(4, at(0), key(1), key(2), key(3), key(4)),
	)
	tests := []struct {
		name string
		keys []uint64
		want []int64
	}{
		{"one key", []uint64{key(1)}, sorted(1, 4)},
		{"distinct across keys", []uint64{key(1), key(2), key(3)}, sorted(1, 2, 4)},
		{"repeated key", []uint64{key(3), key(3)}, sorted(2, 4)},
		{"all", []uint64{key(4), key(1), key(3)}, sorted(1, 2, 3, 4)},
		{"unknown key", []uint64{key(99)}, sorted()},
		{"no keys", nil, sorted()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := dedup.Query{Keys: tt.keys, Since: at(-1), Until: at(1)}
			if got := candidates(t, idx, q); !slices.Equal(got, tt.want) {
				t.Errorf("Candidates(%v) = %v, want %v", tt.keys, got, tt.want)
			}
		})
	}
	es, err := idx.Candidates(t.Context(), dedup.Query{Keys: []uint64{key(4)}})
	if err != nil || len(es) != 2 {
		t.Fatalf("Candidates(key 4) = %d entries, %v", len(es), err)
	}
	want := entry(4, at(0), key(1), key(2), key(3), key(4))
	for _, e := range es {
		if e.ID == 4 && !reflect.DeepEqual(normEntry(e), normEntry(want)) {
			t.Errorf("Candidates returned %+v, want the full entry %+v", normEntry(e), normEntry(want))
		}
	}
}

func testCandidatesWindow(t *testing.T, idx dedup.Index) {
	for i := range 5 {
		put(t, idx, entry(int64(i+1), at(float64(i)), key(1)))
	}
	// Published: 1 at 0h, 2 at 1h, ... 5 at 4h.
	tests := []struct {
		name         string
		since, until time.Time
		want         []int64
	}{
		{"inclusive bounds", at(1), at(3), sorted(2, 3, 4)},
		{"one instant", at(2), at(2), sorted(3)},
		{"a microsecond off", at(2).Add(time.Microsecond), at(3).Add(-time.Microsecond), sorted()},
		{"zero until is unbounded", at(3), time.Time{}, sorted(4, 5)},
		{"zero since", time.Time{}, at(1), sorted(1, 2)},
		{"unbounded", time.Time{}, time.Time{}, sorted(1, 2, 3, 4, 5)},
		{"before all", at(-10), at(-1), sorted()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := dedup.Query{Keys: []uint64{key(1)}, Since: tt.since, Until: tt.until}
			if got := candidates(t, idx, q); !slices.Equal(got, tt.want) {
				t.Errorf("Candidates(since %v, until %v) = %v, want %v", tt.since, tt.until, got, tt.want)
			}
		})
	}
}

func testCandidatesPerKey(t *testing.T, idx dedup.Index) {
	// Stored in ID order, published out of order: "most recent" is the
	// order of storing, not of publication.
	pubs := []float64{5, 1, 4, 0, 3, 2, 6, 7}
	for i, h := range pubs {
		keys := []uint64{key(1)}
		if i%2 == 0 {
			keys = append(keys, key(2))
		}
		put(t, idx, entry(int64(i+1), at(h), keys...))
	}
	// Replacing an entry does not make it more recent.
	e := entry(1, at(5), key(1), key(2))
	e.Cluster = 4
	put(t, idx, e)
	tests := []struct {
		name         string
		keys         []uint64
		perKey       int
		since, until time.Time
		want         []int64
	}{
		{"newest stored", []uint64{key(1)}, 3, at(0), at(10), sorted(6, 7, 8)},
		{"per key, then union", []uint64{key(1), key(2)}, 2, at(0), at(10), sorted(7, 8, 5)},
		{"out of window skipped, not counted", []uint64{key(1)}, 3, at(0), at(5), sorted(4, 5, 6)},
		{"cap above count", []uint64{key(2)}, 10, at(0), at(10), sorted(1, 3, 5, 7)},
		{"one", []uint64{key(2)}, 1, at(0), at(10), sorted(7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := dedup.Query{Keys: tt.keys, PerKey: tt.perKey, Since: tt.since, Until: tt.until}
			if got := candidates(t, idx, q); !slices.Equal(got, tt.want) {
				t.Errorf("Candidates(%+v) = %v, want %v", q, got, tt.want)
			}
		})
	}
}

func testCandidatesDefaultPerKey(t *testing.T, idx dedup.Index) {
	n := dedup.DefaultPerKey + 6
	var want []int64
	for i := 1; i <= n; i++ {
		put(t, idx, entry(int64(i), at(0), key(1)))
		if i > n-dedup.DefaultPerKey {
			want = append(want, int64(i))
		}
	}
	for _, perKey := range []int{0, -1} {
		got := candidates(t, idx, dedup.Query{Keys: []uint64{key(1)}, PerKey: perKey})
		if !slices.Equal(got, want) {
			t.Errorf("Candidates(PerKey %d) = %d entries %v, want the %d newest %v", perKey, len(got), got, dedup.DefaultPerKey, want)
		}
	}
}

func testCandidatesCanceled(t *testing.T, idx dedup.Index) {
	put(t, idx, entry(1, at(0), key(1)))
	putCluster(t, idx, dedup.Cluster{ID: 1, Size: 1, First: at(0), Last: at(0), Keys: []uint64{key(1)}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := idx.Candidates(ctx, dedup.Query{Keys: []uint64{key(1)}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Candidates(canceled) = %v, want context.Canceled", err)
	}
	if _, err := idx.Stories(ctx, dedup.Query{Keys: []uint64{key(1)}}); !errors.Is(err, context.Canceled) {
		t.Errorf("Stories(canceled) = %v, want context.Canceled", err)
	}
}

// cluster returns a cluster spanning [first, last] hours, filed under keys.
func cluster(id int64, first, last float64, keys ...uint64) dedup.Cluster {
	return dedup.Cluster{
		ID:       id,
		Size:     int(id) + 1,
		Centroid: dedup.Vector{{Key: 1, Weight: 2.5}, {Key: uint64(id) + 10, Weight: 0.125, Name: id%2 == 1}, {Key: math.MaxUint64, Weight: 1}},
		First:    at(first),
		Last:     at(last),
		Keys:     keys,
	}
}

func checkCluster(t *testing.T, idx dedup.Index, want dedup.Cluster) {
	t.Helper()
	got, err := idx.Cluster(t.Context(), want.ID)
	if err != nil {
		t.Fatalf("Cluster(%d) = %v", want.ID, err)
	}
	if g, w := normCluster(got), normCluster(want); !reflect.DeepEqual(g, w) {
		t.Errorf("Cluster(%d) = %+v, want %+v", want.ID, g, w)
	}
}

func testClusterRoundTrip(t *testing.T, idx dedup.Index) {
	c := cluster(1, -2, 3, key(1), key(2), 5)
	putCluster(t, idx, c)
	checkCluster(t, idx, c)

	// Replacing: new size, span and centroid, keys repeated and unsorted.
	c = cluster(1, -4, 8, key(3), key(1), key(3))
	c.Size = 40
	putCluster(t, idx, c)
	checkCluster(t, idx, c)

	bare := dedup.Cluster{ID: 2, Size: 1}
	putCluster(t, idx, bare)
	checkCluster(t, idx, bare)
}

func testClusterDelete(t *testing.T, idx dedup.Index) {
	putCluster(t, idx, cluster(1, 0, 1, key(1)), cluster(2, 0, 1, key(1)))
	gone := cluster(1, 0, 1, key(1))
	gone.Size = 0
	putCluster(t, idx, gone)
	if _, err := idx.Cluster(t.Context(), 1); !errors.Is(err, taglines.ErrNotFound) {
		t.Errorf("Cluster(deleted) = %v, want ErrNotFound", err)
	}
	if got := stories(t, idx, dedup.Query{Keys: []uint64{key(1)}}); !slices.Equal(got, sorted(2)) {
		t.Errorf("Stories after delete = %v, want [2]", got)
	}
	// Deleting an unknown cluster is no error; a deleted one may return.
	putCluster(t, idx, dedup.Cluster{ID: 7}, cluster(1, 0, 1, key(1)))
	if got := stories(t, idx, dedup.Query{Keys: []uint64{key(1)}}); !slices.Equal(got, sorted(1, 2)) {
		t.Errorf("Stories after re-adding = %v, want [1 2]", got)
	}
}

func testStoriesMatch(t *testing.T, idx dedup.Index) {
	putCluster(t, idx,
		cluster(1, 0, 1, key(1), key(2)),
		cluster(2, 0, 1, key(2), key(3)),
		cluster(3, 0, 1, key(4)),
	)
	tests := []struct {
		name string
		keys []uint64
		want []int64
	}{
		{"one key", []uint64{key(2)}, sorted(1, 2)},
		{"distinct", []uint64{key(1), key(2), key(3)}, sorted(1, 2)},
		{"all", []uint64{key(4), key(3), key(1)}, sorted(1, 2, 3)},
		{"unknown", []uint64{key(9)}, sorted()},
		{"none", nil, sorted()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stories(t, idx, dedup.Query{Keys: tt.keys}); !slices.Equal(got, tt.want) {
				t.Errorf("Stories(%v) = %v, want %v", tt.keys, got, tt.want)
			}
		})
	}
	cs, err := idx.Stories(t.Context(), dedup.Query{Keys: []uint64{key(4)}})
	if err != nil || len(cs) != 1 {
		t.Fatalf("Stories(key 4) = %v, %v", cs, err)
	}
	if g, w := normCluster(cs[0]), normCluster(cluster(3, 0, 1, key(4))); !reflect.DeepEqual(g, w) {
		t.Errorf("Stories returned %+v, want the full cluster %+v", g, w)
	}
}

func testStoriesWindow(t *testing.T, idx dedup.Index) {
	putCluster(t, idx,
		cluster(1, 0, 2, key(1)),  // [0h, 2h]
		cluster(2, 3, 3, key(1)),  // [3h, 3h]
		cluster(3, -5, 9, key(1)), // [-5h, 9h]
	)
	tests := []struct {
		name         string
		since, until time.Time
		want         []int64
	}{
		{"touching last", at(2), at(2.5), sorted(1, 3)},
		{"touching first", at(2.5), at(3), sorted(2, 3)},
		{"inside one", at(0.5), at(1), sorted(1, 3)},
		{"a microsecond off", at(2).Add(time.Microsecond), at(3).Add(-time.Microsecond), sorted(3)},
		{"zero until", at(2.5), time.Time{}, sorted(2, 3)},
		{"after all", at(10), time.Time{}, sorted()},
		{"unbounded", time.Time{}, time.Time{}, sorted(1, 2, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := dedup.Query{Keys: []uint64{key(1)}, Since: tt.since, Until: tt.until}
			if got := stories(t, idx, q); !slices.Equal(got, tt.want) {
				t.Errorf("Stories(since %v, until %v) = %v, want %v", tt.since, tt.until, got, tt.want)
			}
		})
	}
}

func testStoriesPerKey(t *testing.T, idx dedup.Index) {
	// Filed under key 1 in order 5, 1, 4, 2, 3 (not ID order); 4 is out of
	// the window below.
	for _, id := range []int64{5, 1, 4, 2, 3} {
		c := cluster(id, 0, 1, key(1), key(int(id)+10))
		if id == 4 {
			c = cluster(id, 20, 21, key(1))
		}
		putCluster(t, idx, c)
	}
	q := dedup.Query{Keys: []uint64{key(1)}, PerKey: 2, Since: at(0), Until: at(5)}
	if got := stories(t, idx, q); !slices.Equal(got, sorted(2, 3)) {
		t.Errorf("Stories(PerKey 2) = %v, want [2 3]", got)
	}
	q.PerKey = 3 // 4 is skipped, not counted
	if got := stories(t, idx, q); !slices.Equal(got, sorted(1, 2, 3)) {
		t.Errorf("Stories(PerKey 3) = %v, want [1 2 3]", got)
	}
	q.Keys = []uint64{key(1), key(15)}
	q.PerKey = 1
	if got := stories(t, idx, q); !slices.Equal(got, sorted(3, 5)) {
		t.Errorf("Stories(two keys, PerKey 1) = %v, want [3 5]", got)
	}

	// Default cap.
	for id := int64(100); id < 100+dedup.DefaultPerKey+3; id++ {
		putCluster(t, idx, cluster(id, 0, 1, key(2)))
	}
	got := stories(t, idx, dedup.Query{Keys: []uint64{key(2)}})
	if len(got) != dedup.DefaultPerKey || got[0] != 103 {
		t.Errorf("Stories(PerKey 0) = %d clusters from %v, want the %d most recently filed from 103", len(got), got[:1], dedup.DefaultPerKey)
	}
}

func testStoriesRefile(t *testing.T, idx dedup.Index) {
	for _, id := range []int64{1, 2, 3} {
		putCluster(t, idx, cluster(id, 0, 1, key(1), key(2)))
	}
	q := dedup.Query{Keys: []uint64{key(1)}, PerKey: 2}
	check := func(step string, want ...int64) {
		t.Helper()
		if got := stories(t, idx, q); !slices.Equal(got, sorted(want...)) {
			t.Errorf("%s: Stories(key 1, PerKey 2) = %v, want %v", step, got, sorted(want...))
		}
	}
	check("filed 1, 2, 3", 2, 3)

	// Keeping a key keeps the filing's place.
	c := cluster(1, 0, 1, key(1), key(2), key(3))
	c.Size = 10
	putCluster(t, idx, c)
	check("1 grown, keys kept", 2, 3)

	// Dropping a key unfiles the story; adding it back files it anew.
	putCluster(t, idx, cluster(1, 0, 1, key(2)))
	if got := stories(t, idx, dedup.Query{Keys: []uint64{key(1)}}); !slices.Equal(got, sorted(2, 3)) {
		t.Errorf("after dropping key 1 from 1, Stories(key 1) = %v, want [2 3]", got)
	}
	putCluster(t, idx, cluster(1, 0, 1, key(1), key(2)))
	check("1 refiled under key 1", 1, 3)
	if got := stories(t, idx, dedup.Query{Keys: []uint64{key(2)}, PerKey: 2}); !slices.Equal(got, sorted(2, 3)) {
		t.Errorf("Stories(key 2, PerKey 2) = %v, want [2 3]: 1 kept key 2 throughout", got)
	}
}

func testStoriesLimit(t *testing.T, idx dedup.Index) {
	k := func(ns ...int) []uint64 {
		out := make([]uint64, len(ns))
		for i, n := range ns {
			out[i] = key(n)
		}
		return out
	}
	putCluster(t, idx,
		cluster(1, 0, 1, k(1)...),
		cluster(2, 0, 1, k(1, 2, 3, 4)...),
		cluster(3, 0, 1, k(1, 2)...),
		cluster(4, 0, 1, k(1, 2, 3)...),
		cluster(5, 0, 1, k(4, 5, 6, 7, 8)...), // most keys, but not the queried ones
	)
	all := k(1, 2, 3, 4)
	tests := []struct {
		limit int
		want  []int64
	}{
		{1, sorted(2)},
		{2, sorted(2, 4)},
		{3, sorted(2, 3, 4)},
		{4, sorted(2, 3, 4, 5)}, // 1 and 5 tie at one key: the higher ID
		{0, sorted(1, 2, 3, 4, 5)},
		{10, sorted(1, 2, 3, 4, 5)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("limit ", tt.limit), func(t *testing.T) {
			if got := stories(t, idx, dedup.Query{Keys: all, Limit: tt.limit}); !slices.Equal(got, tt.want) {
				t.Errorf("Stories(Limit %d) = %v, want %v", tt.limit, got, tt.want)
			}
		})
	}
	// Matches are counted only among the PerKey filings per key.
	q := dedup.Query{Keys: k(1, 3), Limit: 1, PerKey: 1}
	if got := stories(t, idx, q); !slices.Equal(got, sorted(4)) {
		t.Errorf("Stories(%+v) = %v, want [4]", q, got)
	}
}

func testRelabel(t *testing.T, idx dedup.Index) {
	// Story 1: 1, 2 and its version 3; story 4: 4 and 5.
	es := map[int64]dedup.Entry{}
	for id := int64(1); id <= 5; id++ {
		e := entry(id, at(float64(id)), key(int(id)))
		switch id {
		case 2, 3:
			e.Cluster = 1
		case 5:
			e.Cluster = 4
		}
		if id == 3 {
			e.DuplicateOf = 2
		}
		es[id] = e
		put(t, idx, e)
	}
	relabel := func(from, to int64, want ...int64) {
		t.Helper()
		moved, err := idx.Relabel(t.Context(), from, to)
		if err != nil {
			t.Fatalf("Relabel(%d, %d) = %v", from, to, err)
		}
		if got := entryIDs(moved); !slices.Equal(got, sorted(want...)) {
			t.Errorf("Relabel(%d, %d) moved %v, want %v", from, to, got, sorted(want...))
		}
		for _, m := range moved {
			w := es[m.ID]
			w.Cluster = to
			if g, w := normEntry(m), normEntry(w); !reflect.DeepEqual(g, w) {
				t.Errorf("Relabel(%d, %d) returned %+v, want the entry as now stored %+v", from, to, g, w)
			}
		}
		for _, id := range want {
			e := es[id]
			e.Cluster = to
			es[id] = e
		}
		for _, e := range es {
			checkEntry(t, idx, e)
		}
	}
	relabel(1, 10, 1, 2, 3)
	relabel(1, 10)       // story 1 is empty now
	relabel(99, 10)      // never was
	relabel(4, 4)        // onto itself: nothing moves
	relabel(10, 10)      // even when the story has entries
	relabel(4, 10, 4, 5) // onto a story with entries: they join them

	// Entries Put to another story after a Relabel move with that story.
	e := es[2]
	e.Cluster = 20
	es[2] = e
	put(t, idx, e)
	relabel(20, 30, 2)
	relabel(10, 40, 1, 3, 4, 5)
	e = es[1]
	e.Cluster = 30
	es[1] = e
	put(t, idx, e)
	relabel(30, 1, 1, 2)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := idx.Relabel(ctx, 1, 50); !errors.Is(err, context.Canceled) {
		t.Errorf("Relabel(canceled) = %v, want context.Canceled", err)
	}
	checkEntry(t, idx, es[1])
}

func testWindow(t *testing.T, idx dedup.Index) {
	// Published: 1 at 0h, 2 at 1h, ... 6 at 5h, and 7 at the zero time;
	// stored out of order, so that the order returned is publication's.
	es := map[int64]dedup.Entry{7: {ID: 7, Cluster: 7, Keys: []uint64{key(7)}}}
	for id := int64(1); id <= 6; id++ {
		es[id] = entry(id, at(float64(id-1)), key(1), key(int(id)))
	}
	for _, id := range []int64{3, 1, 7, 6, 2, 5, 4} {
		put(t, idx, es[id])
	}
	tests := []struct {
		name         string
		since, until time.Time
		limit        int
		want         []int64 // newest first
	}{
		{"inclusive bounds", at(1), at(3), 0, []int64{4, 3, 2}},
		{"one instant", at(2), at(2), 0, []int64{3}},
		{"a microsecond off", at(1).Add(time.Microsecond), at(3).Add(-time.Microsecond), 0, []int64{3}},
		{"zero until is unbounded", at(3), time.Time{}, 0, []int64{6, 5, 4}},
		{"zero since", time.Time{}, at(1), 0, []int64{2, 1, 7}},
		{"unbounded", time.Time{}, time.Time{}, 0, []int64{6, 5, 4, 3, 2, 1, 7}},
		{"before all", at(-10), at(-1), 0, nil},
		{"after all", at(6), time.Time{}, 0, nil},
		{"limit keeps the newest", time.Time{}, time.Time{}, 2, []int64{6, 5}},
		{"limit within bounds", at(1), at(4), 3, []int64{5, 4, 3}},
		{"limit above count", at(4), time.Time{}, 10, []int64{6, 5}},
		{"negative limit", at(4), time.Time{}, -1, []int64{6, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Keys and PerKey must not narrow the window.
			q := dedup.Query{Keys: []uint64{key(1)}, PerKey: 1, Since: tt.since, Until: tt.until, Limit: tt.limit}
			got, err := idx.Window(t.Context(), q)
			if err != nil {
				t.Fatalf("Window(%+v) = %v", q, err)
			}
			ids := make([]int64, len(got))
			for i, e := range got {
				ids[i] = e.ID
				if g, w := normEntry(e), normEntry(es[e.ID]); !reflect.DeepEqual(g, w) {
					t.Errorf("Window returned %+v, want the full entry %+v", g, w)
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Window(since %v, until %v, limit %d) = %v, want %v", tt.since, tt.until, tt.limit, ids, tt.want)
			}
		})
	}

	// Replacing an entry with another publication time moves it.
	moved := es[1]
	moved.Published = at(10)
	put(t, idx, moved)
	got, err := idx.Window(t.Context(), dedup.Query{Since: at(4.5)})
	if err != nil {
		t.Fatalf("Window(since 4.5h) = %v", err)
	}
	if ids := entryIDs(got); !slices.Equal(ids, []int64{1, 6}) || got[0].ID != 1 {
		t.Errorf("after republishing 1 at 10h, Window(since 4.5h) = %v, want 1 then 6", ids)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := idx.Window(ctx, dedup.Query{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Window(canceled) = %v, want context.Canceled", err)
	}
}

func testDocFreq(t *testing.T, idx dedup.Index) {
	ctx := t.Context()
	docs, df, err := idx.DocFreq(ctx, []uint64{key(1), 2})
	if err != nil || docs != 0 || !slices.Equal(df, []int64{0, 0}) {
		t.Errorf("DocFreq(empty index) = %d, %v, %v, want 0, [0 0]", docs, df, err)
	}
	for _, terms := range [][]uint64{{key(1), 2, 3}, {key(1), 3}, nil, {key(1)}} {
		if err := idx.AddDocFreq(ctx, terms); err != nil {
			t.Fatalf("AddDocFreq(%v) = %v", terms, err)
		}
	}
	terms := []uint64{3, key(1), 99, 2, key(1)}
	docs, df, err = idx.DocFreq(ctx, terms)
	if want := []int64{2, 3, 0, 1, 3}; err != nil || docs != 4 || !slices.Equal(df, want) {
		t.Errorf("DocFreq(%v) = %d, %v, %v, want 4, %v", terms, docs, df, err, want)
	}
	docs, df, err = idx.DocFreq(ctx, nil)
	if err != nil || docs != 4 || len(df) != 0 {
		t.Errorf("DocFreq(nil) = %d, %v, %v, want 4, []", docs, df, err)
	}
	many := make([]uint64, 3000)
	for i := range many {
		many[i] = key(i + 1000)
	}
	if err := idx.AddDocFreq(ctx, many); err != nil {
		t.Fatalf("AddDocFreq(3000 terms) = %v", err)
	}
	docs, df, err = idx.DocFreq(ctx, many)
	if err != nil || docs != 5 || len(df) != len(many) || slices.ContainsFunc(df, func(n int64) bool { return n != 1 }) {
		t.Errorf("DocFreq(3000 terms) = %d, %d counts, %v, want 5 and all 1", docs, len(df), err)
	}
}

// testConcurrent writes from several goroutines at once, as several
// request handlers of one process would.
func testConcurrent(t *testing.T, idx dedup.Index) {
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				id := int64(w*each + i + 1)
				if err := idx.Put(t.Context(), entry(id, at(0), key(1), key(int(id)+100))); err != nil {
					t.Errorf("Put(%d) = %v", id, err)
					return
				}
				if err := idx.AddDocFreq(t.Context(), []uint64{7}); err != nil {
					t.Errorf("AddDocFreq = %v", err)
					return
				}
				if err := idx.PutCluster(t.Context(), cluster(id, 0, 1, key(1))); err != nil {
					t.Errorf("PutCluster(%d) = %v", id, err)
					return
				}
				if _, err := idx.Candidates(t.Context(), dedup.Query{Keys: []uint64{key(1)}}); err != nil {
					t.Errorf("Candidates = %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	docs, df, err := idx.DocFreq(t.Context(), []uint64{7})
	if err != nil || docs != workers*each || df[0] != workers*each {
		t.Errorf("DocFreq after concurrent adds = %d, %v, %v, want %d", docs, df, err, workers*each)
	}
	if got := candidates(t, idx, dedup.Query{Keys: []uint64{key(1)}, PerKey: workers * each}); len(got) != workers*each {
		t.Errorf("Candidates after concurrent puts = %d entries, want %d", len(got), workers*each)
	}
}

// testDeduper processes a stream of articles, with versions and shared
// stories, through a Deduper on the index and one on a MemIndex: every
// decision must agree.
func testDeduper(t *testing.T, idx dedup.Index) {
	docs := Documents(t, 150)
	ref := dedup.New(dedup.NewMemIndex(), dedup.Options{})
	d := dedup.New(idx, dedup.Options{})
	dups, moved := 0, 0
	placed := map[int64]int64{} // article → story, as reported
	place := func(rs ...dedup.Result) {
		for _, r := range rs {
			placed[r.ID] = r.Cluster
		}
	}
	for _, doc := range docs {
		want, err := ref.Process(t.Context(), doc)
		if err != nil {
			t.Fatalf("MemIndex: Process(%d) = %v", doc.ID, err)
		}
		got, err := d.Process(t.Context(), doc)
		if err != nil {
			t.Fatalf("Process(%d) = %v", doc.ID, err)
		}
		if got != want {
			t.Fatalf("Process(%d) = %+v, want %+v as on a MemIndex", doc.ID, got, want)
		}
		if got.DuplicateOf != 0 {
			dups++
		}
		place(got)
	}
	if dups == 0 {
		t.Errorf("no duplicates among %d documents: the stream does not exercise versions", len(docs))
	}
	// Refining must agree too, and what the Deduper reported (Process's
	// results, then Refine's) must be where the index has each article.
	for pass := range 2 {
		want, err := ref.Refine(t.Context(), docs[0].Published, time.Time{})
		if err != nil {
			t.Fatalf("MemIndex: Refine = %v", err)
		}
		got, err := d.Refine(t.Context(), docs[0].Published, time.Time{})
		if err != nil {
			t.Fatalf("Refine = %v", err)
		}
		if !reflect.DeepEqual(resultMap(got), resultMap(want)) {
			t.Fatalf("Refine pass %d moved %+v, want %+v as on a MemIndex", pass, got, want)
		}
		place(got...)
		moved += len(got)
	}
	if moved == 0 {
		t.Errorf("Refine moved nothing in %d documents: the stream does not exercise it", len(docs))
	}
	for id, story := range placed {
		e, err := idx.Entry(t.Context(), id)
		if err != nil || e.Cluster != story {
			t.Errorf("article %d: reported in story %d, index has %d (%v)", id, story, e.Cluster, err)
		}
		if placed[story] != story {
			t.Errorf("article %d: story %d does not hold the article it is named after (in %d)", id, story, placed[story])
		}
	}
	// Processing again returns the recorded decision.
	doc := docs[len(docs)/2]
	want, _ := ref.Process(t.Context(), doc)
	if got, err := d.Process(t.Context(), doc); err != nil || got.DuplicateOf != want.DuplicateOf || got.Cluster != want.Cluster {
		t.Errorf("Process(%d) again = %+v, %v, want %+v", doc.ID, got, err, want)
	}
	// Splitting a version must agree too.
	for _, doc := range docs {
		e, err := idx.Entry(t.Context(), doc.ID)
		if err != nil || e.DuplicateOf == 0 {
			continue
		}
		want, werr := ref.Split(t.Context(), doc.ID, dedup.SplitStory)
		got, gerr := d.Split(t.Context(), doc.ID, dedup.SplitStory)
		if got != want || (werr == nil) != (gerr == nil) {
			t.Errorf("Split(%d) = %+v, %v, want %+v, %v", doc.ID, got, gerr, want, werr)
		}
		break
	}
}

// resultMap returns rs by article ID.
func resultMap(rs []dedup.Result) map[int64]dedup.Result {
	m := make(map[int64]dedup.Result, len(rs))
	for _, r := range rs {
		m[r.ID] = r
	}
	return m
}

// Documents returns n articles made from the paragraphs of testpub's
// corpus, deterministically: most recombine paragraphs of a few corpus
// articles, and about one in six is a version of an earlier one (its
// paragraphs reordered, one dropped or a line added), published within
// hours. IDs are 1..n; publication times advance by a few minutes each.
func Documents(tb testing.TB, n int) []dedup.Document {
	tb.Helper()
	corpus, err := testpub.Corpus()
	if err != nil {
		tb.Fatalf("testpub.Corpus() = %v", err)
	}
	var paras []string
	var titles []string
	for _, a := range corpus {
		titles = append(titles, a.Title)
		for _, p := range a.Paragraphs {
			if len(p) > 80 {
				paras = append(paras, p)
			}
		}
	}
	// A fixed linear congruential generator: the stream must not change
	// with the Go release's math/rand.
	state := uint64(0x2545f4914f6cdd1d)
	rnd := func(n int) int {
		state = state*6364136223846793005 + 1442695040888963407
		return int((state >> 33) % uint64(n))
	}
	docs := make([]dedup.Document, 0, n)
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		doc := dedup.Document{
			ID:        int64(i + 1),
			Source:    fmt.Sprint("source-", rnd(20)),
			Published: start.Add(time.Duration(i*7+rnd(5)) * time.Minute),
		}
		if i > 10 && rnd(6) == 0 {
			orig := docs[len(docs)-1-rnd(min(len(docs), 40))]
			ps := strings.Split(orig.Text, "\n")
			switch rnd(3) {
			case 0:
				ps[0], ps[len(ps)-1] = ps[len(ps)-1], ps[0]
			case 1:
				if len(ps) > 3 {
					ps = ps[:len(ps)-1]
				}
			default:
				ps = append(ps, "Updated with further reporting.")
			}
			doc.Title, doc.Text, doc.Tags = orig.Title, strings.Join(ps, "\n"), orig.Tags
			doc.URL = fmt.Sprintf("https://%s.example/news/%d", doc.Source, doc.ID)
		} else {
			k := 3 + rnd(5)
			ps := make([]string, k)
			first := rnd(len(paras) - k)
			for j := range ps {
				// Runs of neighbouring paragraphs keep articles coherent
				// enough to form stories.
				ps[j] = paras[first+j]
			}
			doc.Title = titles[rnd(len(titles))]
			doc.Text = strings.Join(ps, "\n")
			doc.URL = fmt.Sprintf("https://%s.example/news/%d", doc.Source, doc.ID)
		}
		docs = append(docs, doc)
	}
	slices.SortStableFunc(docs, func(a, b dedup.Document) int { return cmp.Compare(a.ID, b.ID) })
	return docs
}
