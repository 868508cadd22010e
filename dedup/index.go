package dedup

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/taglines/taglines"
)

// Entry is what the index keeps of one processed article: enough to find
// it again by key and to compare a later article with it, without its text.
type Entry struct {
	ID        int64
	Published time.Time
	// DuplicateOf is the first article of the version group this article
	// belongs to, 0 if the article is not a near-duplicate of an earlier
	// one. Groups are stars: DuplicateOf never names a duplicate.
	DuplicateOf int64
	// Cluster is the story this article belongs to, named after one of
	// its articles (see Result.Cluster).
	Cluster int64
	// Shingles is the number of distinct shingles the signature was made
	// from; 0 when the text was too short to fingerprint, in which case
	// Signature is meaningless and the article is never a near-duplicate.
	Shingles  int32
	Signature Signature
	// TitleWords are hashes of the title's distinct words, at most
	// MaxTitleWords, sorted.
	TitleWords []uint32
	// Vector is the article's unit-length term vector (title, lead,
	// names, tags), at most VectorTerms terms.
	Vector Vector
	// Pinned marks an article an operator split into a story of its own
	// (Deduper.Split): Refine neither moves it nor merges its story.
	Pinned bool
	// Keys are the article's index keys: its LSH band keys (none for a
	// text too short to fingerprint) and the key of its canonical URL.
	// They are derived from the article and never change.
	Keys []uint64
}

// IsDuplicate reports whether the entry is a version of an earlier article.
func (e *Entry) IsDuplicate() bool { return e.DuplicateOf != 0 }

// Cluster is a story: the articles from any source about one event.
type Cluster struct {
	ID   int64 // the ID of one of its articles, at first the one that started it
	Size int   // articles in it, versions included
	// Centroid is the sum of its articles' vectors, its CentroidTerms
	// heaviest terms.
	Centroid    Vector
	First, Last time.Time // earliest and latest publication time
	// Keys are the term keys of the centroid's heaviest terms, at most
	// StoryKeys, under which the story is found.
	Keys []uint64
}

// Query selects candidate entries.
type Query struct {
	Keys []uint64
	// Since and Until bound Entry.Published, both inclusive; a zero Until
	// means no upper bound.
	Since, Until time.Time
	// PerKey caps the entries returned for each key, the ones stored most
	// recently first, so a key shared by very many articles costs no more
	// than a rare one; <= 0 means DefaultPerKey.
	PerKey int
	// Limit caps the clusters Stories returns: those having the most of
	// Keys; <= 0 means no cap.
	Limit int
}

// DefaultPerKey is the per-key cap of a Query that sets none.
const DefaultPerKey = 64

// perKey is q.PerKey, or DefaultPerKey if it sets none.
func (q Query) perKey() int {
	if q.PerKey <= 0 {
		return DefaultPerKey
	}
	return q.PerKey
}

// Index keeps the entries and clusters of processed articles. The Deduper
// is its only writer; implementations persist it (the SQLite and
// PostgreSQL stores) or keep it in memory (MemIndex). Implementations must
// be safe for concurrent use. Errors wrap taglines.ErrNotFound where
// stated and taglines.ErrInvalid for rejected input.
type Index interface {
	// Candidates returns the distinct entries that have at least one of
	// q.Keys and were published within [q.Since, q.Until], at most
	// q.PerKey of them for each key, in any order. Its cost must not grow
	// with the number of stored entries beyond a logarithm.
	Candidates(ctx context.Context, q Query) ([]Entry, error)
	// Entry returns the entry of an article, or an error wrapping
	// taglines.ErrNotFound.
	Entry(ctx context.Context, id int64) (Entry, error)
	// Versions returns the entries whose DuplicateOf is root, in any order.
	Versions(ctx context.Context, root int64) ([]Entry, error)
	// Put stores e, replacing the entry with the same ID. Replacing may
	// change DuplicateOf, Cluster and Pinned only; an error wrapping
	// taglines.ErrInvalid is returned if e.ID <= 0 or if the keys of a
	// stored entry would change.
	Put(ctx context.Context, e Entry) error

	// Stories returns the distinct clusters that have at least one of
	// q.Keys and whose [First, Last] overlaps [q.Since, q.Until],
	// considering at most q.PerKey of them for each key (the most recently
	// filed under it first), and of those the q.Limit having most of
	// q.Keys, in any order. The returned clusters' slices are shared:
	// treat them as read-only.
	Stories(ctx context.Context, q Query) ([]Cluster, error)
	// Cluster returns a cluster, or an error wrapping taglines.ErrNotFound.
	Cluster(ctx context.Context, id int64) (Cluster, error)
	// PutCluster stores c, replacing the cluster with the same ID and
	// refiling it under c.Keys; a cluster of Size 0 is deleted.
	PutCluster(ctx context.Context, c Cluster) error
	// Relabel sets Cluster to to on every entry whose Cluster is from, and
	// returns those entries as now stored, in any order; clusters
	// themselves are left as they are. Its cost grows with the entries
	// moved, not with the entries stored.
	Relabel(ctx context.Context, from, to int64) ([]Entry, error)
	// Window returns the entries published within [q.Since, q.Until]
	// (Keys and PerKey are ignored), the most recently published first,
	// at most q.Limit of them when Limit > 0. Its cost grows with the
	// entries returned, not with the entries stored.
	Window(ctx context.Context, q Query) ([]Entry, error)

	// DocFreq returns the number of documents counted by AddDocFreq and,
	// for each of terms, how many of them contained it.
	DocFreq(ctx context.Context, terms []uint64) (docs int64, df []int64, err error)
	// AddDocFreq counts one more document containing each of terms
	// (distinct keys).
	AddDocFreq(ctx context.Context, terms []uint64) error
}

// MemIndex is an Index in memory, for the dedup command, tests and
// benchmarks. Its zero value is not usable: call NewMemIndex. It is safe
// for concurrent use; one RWMutex guards all of it. Look-ups cost a map
// access per key plus at most maxScan postings per key.
type MemIndex struct {
	mu       sync.RWMutex
	entries  []Entry
	byID     map[int64]int32
	heads    map[uint64]int32 // key → newest posting in nodes, +1 (0: none)
	nodes    []posting
	versions map[int64][]int64 // root → its duplicates
	members  map[int64][]int32 // cluster → its entries
	clusters map[int64]*Cluster
	// stories files clusters under their keys, the least recently filed
	// first. A cluster keeps its pointer while it is stored (PutCluster
	// updates it in place), so a look-up reads it without a map access.
	stories map[uint64][]*Cluster
	df      map[uint64]int64
	docs    int64
}

// posting is one (key, entry) pair in a singly linked list per key, newest
// first; next is the index of the next posting +1, 0 at the end.
type posting struct {
	entry, next int32
}

// maxScan bounds the postings read per key and query, so a key shared by
// very many entries (boilerplate, a common word) costs a bounded amount.
const maxScan = 1024

var _ Index = (*MemIndex)(nil)

// NewMemIndex returns an empty in-memory index.
func NewMemIndex() *MemIndex {
	return &MemIndex{
		byID:     map[int64]int32{},
		heads:    map[uint64]int32{},
		versions: map[int64][]int64{},
		members:  map[int64][]int32{},
		clusters: map[int64]*Cluster{},
		stories:  map[uint64][]*Cluster{},
		df:       map[uint64]int64{},
	}
}

// Len returns the number of stored entries.
func (m *MemIndex) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.entries)
}

// Candidates implements Index.
func (m *MemIndex) Candidates(ctx context.Context, q Query) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var found []int32
	newestInWindow(m.heads, m.nodes, q, func(i int32) bool {
		pub := m.entries[i].Published
		return !pub.Before(q.Since) && (q.Until.IsZero() || !pub.After(q.Until))
	}, func(i int32) { found = append(found, i) })
	slices.Sort(found)
	found = slices.Compact(found)
	out := make([]Entry, len(found))
	for j, i := range found {
		out[j] = m.entries[i]
	}
	return out, nil
}

// newestInWindow walks the postings of each of q.Keys newest first, and
// passes to found at most q.PerKey of the entries inWindow accepts among
// the maxScan stored last under the key: what Candidates finds.
func newestInWindow(heads map[uint64]int32, nodes []posting, q Query, inWindow func(entry int32) bool, found func(entry int32)) {
	perKey := q.perKey()
	for _, k := range q.Keys {
		n, scanned := 0, 0
		for p := heads[k]; p != 0 && n < perKey && scanned < maxScan; p = nodes[p-1].next {
			scanned++
			if i := nodes[p-1].entry; inWindow(i) {
				found(i)
				n++
			}
		}
	}
}

// Entry implements Index.
func (m *MemIndex) Entry(ctx context.Context, id int64) (Entry, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	i, ok := m.byID[id]
	if !ok {
		return Entry{}, fmt.Errorf("dedup entry %d: %w", id, taglines.ErrNotFound)
	}
	return m.entries[i], nil
}

// Versions implements Index.
func (m *MemIndex) Versions(ctx context.Context, root int64) ([]Entry, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := m.versions[root]
	out := make([]Entry, 0, len(ids))
	for _, id := range ids {
		out = append(out, m.entries[m.byID[id]])
	}
	return out, nil
}

// Put implements Index.
func (m *MemIndex) Put(ctx context.Context, e Entry) error {
	if e.ID <= 0 {
		return fmt.Errorf("dedup entry %d: id must be positive: %w", e.ID, taglines.ErrInvalid)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if i, ok := m.byID[e.ID]; ok {
		old := &m.entries[i]
		if !slices.Equal(old.Keys, e.Keys) {
			return fmt.Errorf("dedup entry %d: keys changed: %w", e.ID, taglines.ErrInvalid)
		}
		if old.DuplicateOf != e.DuplicateOf {
			m.unlinkVersion(old.DuplicateOf, e.ID)
			m.linkVersion(e.DuplicateOf, e.ID)
		}
		if old.Cluster != e.Cluster {
			m.unlinkMember(old.Cluster, i)
			m.members[e.Cluster] = append(m.members[e.Cluster], i)
		}
		*old = e
		return nil
	}
	i := int32(len(m.entries))
	m.entries = append(m.entries, e)
	m.byID[e.ID] = i
	m.members[e.Cluster] = append(m.members[e.Cluster], i)
	for _, k := range e.Keys {
		m.nodes = append(m.nodes, posting{entry: i, next: m.heads[k]})
		m.heads[k] = int32(len(m.nodes))
	}
	m.linkVersion(e.DuplicateOf, e.ID)
	return nil
}

func (m *MemIndex) linkVersion(root, id int64) {
	if root != 0 {
		m.versions[root] = append(m.versions[root], id)
	}
}

func (m *MemIndex) unlinkVersion(root, id int64) {
	if root == 0 {
		return
	}
	ids := slices.DeleteFunc(m.versions[root], func(v int64) bool { return v == id })
	if len(ids) == 0 {
		delete(m.versions, root)
	} else {
		m.versions[root] = ids
	}
}

func (m *MemIndex) unlinkMember(cluster int64, i int32) {
	ms := slices.DeleteFunc(m.members[cluster], func(j int32) bool { return j == i })
	if len(ms) == 0 {
		delete(m.members, cluster)
	} else {
		m.members[cluster] = ms
	}
}

// Relabel implements Index.
func (m *MemIndex) Relabel(ctx context.Context, from, to int64) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if from == to {
		return nil, nil
	}
	moved := m.members[from]
	delete(m.members, from)
	out := make([]Entry, 0, len(moved))
	for _, i := range moved {
		m.entries[i].Cluster = to
		out = append(out, m.entries[i])
	}
	m.members[to] = append(m.members[to], moved...)
	return out, nil
}

// Window implements Index. It scans entries from the most recently stored
// back, so its cost grows with the entries stored since q.Since; articles
// arrive roughly in publication order, and it stops after 4096 entries
// older than q.Since in a row.
func (m *MemIndex) Window(ctx context.Context, q Query) ([]Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Entry
	older := 0
	for i := len(m.entries) - 1; i >= 0 && older < 4096; i-- {
		e := &m.entries[i]
		if e.Published.Before(q.Since) {
			older++
			continue
		}
		older = 0
		if q.Until.IsZero() || !e.Published.After(q.Until) {
			out = append(out, *e)
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int { return b.Published.Compare(a.Published) })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

// Cluster implements Index.
func (m *MemIndex) Cluster(ctx context.Context, id int64) (Cluster, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.clusters[id]
	if !ok {
		return Cluster{}, fmt.Errorf("dedup cluster %d: %w", id, taglines.ErrNotFound)
	}
	return *c, nil
}

// maxStoriesPerKey bounds the clusters MemIndex keeps filed under one
// key; the least recently filed go first, long past any window.
const maxStoriesPerKey = 1024

// PutCluster implements Index.
func (m *MemIndex) PutCluster(ctx context.Context, c Cluster) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.clusters[c.ID]
	var oldKeys []uint64
	if old != nil {
		oldKeys = old.Keys
	}
	if c.Size <= 0 {
		c.Keys = nil
	}
	newKeys := slices.Clone(c.Keys)
	slices.Sort(newKeys)
	newKeys = slices.Compact(newKeys)
	for _, k := range oldKeys {
		if _, found := slices.BinarySearch(newKeys, k); !found {
			m.stories[k] = slices.DeleteFunc(m.stories[k], func(s *Cluster) bool { return s == old })
			if len(m.stories[k]) == 0 {
				delete(m.stories, k)
			}
		}
	}
	if c.Size <= 0 {
		delete(m.clusters, c.ID)
		return nil
	}
	c.Keys = newKeys
	p := old
	if p == nil {
		p = &c
		m.clusters[c.ID] = p
	} else {
		*p = c
	}
	for _, k := range newKeys {
		if _, found := slices.BinarySearch(oldKeys, k); !found {
			filed := append(m.stories[k], p)
			if len(filed) > maxStoriesPerKey {
				filed = slices.Delete(filed, 0, len(filed)-maxStoriesPerKey)
			}
			m.stories[k] = filed
		}
	}
	return nil
}

// loadStories replaces the clusters with stories and files them under
// their keys in the order of filings, the oldest first; filings of
// stories not among them are ignored.
func (m *MemIndex) loadStories(stories []Cluster, filings []Filing) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clusters = make(map[int64]*Cluster, len(stories))
	m.stories = make(map[uint64][]*Cluster)
	for _, c := range stories {
		if c.Size <= 0 {
			continue
		}
		c.Keys = slices.Compact(slices.Sorted(slices.Values(c.Keys)))
		m.clusters[c.ID] = &c
	}
	for _, f := range filings {
		// Only under the story's own keys: a stray filing would keep a
		// story in a list that PutCluster does not clean.
		if s := m.clusters[f.Story]; s != nil {
			if _, ok := slices.BinarySearch(s.Keys, f.Key); ok {
				m.stories[f.Key] = append(m.stories[f.Key], s)
			}
		}
	}
	for k, filed := range m.stories {
		if len(filed) > maxStoriesPerKey {
			m.stories[k] = slices.Delete(filed, 0, len(filed)-maxStoriesPerKey)
		}
	}
}

// pruneStories forgets the clusters whose Last is before since, and their
// filings; those left keep their order under each key.
func (m *MemIndex) pruneStories(since time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	gone := false
	for id, c := range m.clusters {
		if c.Last.Before(since) {
			delete(m.clusters, id)
			gone = true
		}
	}
	if !gone {
		return
	}
	for k, filed := range m.stories {
		filed = slices.DeleteFunc(filed, func(s *Cluster) bool { return s.Last.Before(since) })
		if len(filed) == 0 {
			delete(m.stories, k)
		} else {
			m.stories[k] = filed
		}
	}
}

// Stories implements Index.
func (m *MemIndex) Stories(ctx context.Context, q Query) ([]Cluster, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	perKey := q.perKey()
	hits := storyHits.Get().(map[*Cluster]int)
	defer func() {
		clear(hits)
		storyHits.Put(hits)
	}()
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, k := range q.Keys {
		filed := m.stories[k]
		n := 0
		for i := len(filed) - 1; i >= 0 && n < perKey && len(filed)-i <= maxScan; i-- {
			c := filed[i]
			if c.Last.Before(q.Since) || (!q.Until.IsZero() && c.First.After(q.Until)) {
				continue
			}
			n++
			hits[c]++
		}
	}
	ranked := make([]storyHit, 0, len(hits))
	for c, n := range hits {
		ranked = append(ranked, storyHit{c, n})
	}
	if q.Limit > 0 && len(ranked) > q.Limit {
		ranked = topStories(ranked, q.Limit)
	}
	out := make([]Cluster, len(ranked))
	for i, h := range ranked {
		out[i] = *h.c
	}
	return out, nil
}

// storyHit is a story and how many of a look-up's keys found it.
type storyHit struct {
	c *Cluster
	n int
}

// storyHits recycles Stories' counting maps: a look-up counts hundreds of
// stories, and growing a new map each time was a tenth of its cost.
var storyHits = sync.Pool{New: func() any { return make(map[*Cluster]int, 512) }}

// topStories returns the limit stories of ranked found by the most keys,
// the highest IDs first among equals, in any order. Counts are at most
// the number of keys, so it selects by count first and sorts only the
// stories of the count where the limit falls.
func topStories(ranked []storyHit, limit int) []storyHit {
	maxN := 0
	for _, h := range ranked {
		maxN = max(maxN, h.n)
	}
	perN := make([]int, maxN+1)
	for _, h := range ranked {
		perN[h.n]++
	}
	// cut is the count where the limit falls: every story found more
	// often is in, and above of them are.
	cut, above := maxN, 0
	for ; cut > 0 && above+perN[cut] < limit; cut-- {
		above += perN[cut]
	}
	// Of the tier at cut, the highest IDs: sorting bare IDs is several
	// times cheaper than sorting hits with a comparison function.
	tier := make([]int64, 0, perN[cut])
	for _, h := range ranked {
		if h.n == cut {
			tier = append(tier, h.c.ID)
		}
	}
	slices.Sort(tier)
	lowest := tier[len(tier)-(limit-above)]
	out := make([]storyHit, 0, limit)
	for _, h := range ranked {
		if h.n > cut || (h.n == cut && h.c.ID >= lowest) {
			out = append(out, h)
		}
	}
	return out
}

// DocFreq implements Index.
func (m *MemIndex) DocFreq(ctx context.Context, terms []uint64) (int64, []int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	df := make([]int64, len(terms))
	for i, t := range terms {
		df[i] = m.df[t]
	}
	return m.docs, df, nil
}

// AddDocFreq implements Index.
func (m *MemIndex) AddDocFreq(ctx context.Context, terms []uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs++
	for _, t := range terms {
		m.df[t]++
	}
	return nil
}
