package dedup

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// Looking stories up is most of what deciding an article costs on a
// database: a query per key, 32 keys per article, each walking the stories
// filed under it. Cache keeps the stories of the recent past, and the
// document frequencies, in this process's memory over a persisted Index,
// writing through to it: look-ups cost what they cost in MemIndex, and
// the database stays the truth that a restart or another process reads.
//
// Other processes may write the same index (pollers on several machines,
// `taglines split`). Every write transaction takes a new generation number
// and stamps the stories it stores with it, so at the start of each batch
// the Cache reads, in the batch's own transaction, the stories written by
// others since its last batch (usually none: its generation is the next
// one) and the document frequencies are read afresh.

// Shared is a persisted Index, of which a Cache can keep the recent
// stories in memory.
type Shared interface {
	Index
	Batcher
	// Generation returns the generation of the transaction ctx belongs to
	// (a batch's), taking a new one from the index's counter if the
	// transaction has none yet. Generations increase in commit order
	// among writers that serialise their batches, as Dedupers do. Every
	// write outside a batch takes a generation of its own.
	Generation(ctx context.Context) (int64, error)
	// StoriesChanged returns the stories stored by transactions of a
	// generation in (after, before), as they are now, and the IDs of the
	// stories deleted by them; an error wrapping ErrChangesPruned if
	// PruneChanges forgot deletions of a generation after after.
	StoriesChanged(ctx context.Context, after, before int64) (stored []Cluster, deleted []int64, err error)
	// PruneChanges forgets the deletions of generations before before,
	// which StoriesChanged reads.
	PruneChanges(ctx context.Context, before int64) error
	// RecentStories returns the stories whose Last is at or after since,
	// in any order, and their filings in the order they were filed, the
	// oldest first (what Stories' PerKey counts from the other end).
	RecentStories(ctx context.Context, since time.Time) ([]Cluster, []Filing, error)
	// LatestStory returns the latest Last of the stored stories, the zero
	// time if there are none.
	LatestStory(ctx context.Context) (time.Time, error)
	// AddDocFreqs counts docs more documents and, for each of terms,
	// counts[i] more documents containing it: what AddDocFreq does for
	// several documents, in one statement.
	AddDocFreqs(ctx context.Context, docs int64, terms []uint64, counts []int64) error
	// Entries returns the stored entries of ids, in any order; IDs not
	// stored are left out.
	Entries(ctx context.Context, ids []int64) ([]Entry, error)
	// Postings returns what a Cache keeps of the entries published at or
	// after since that were first stored after the entry of sequence
	// number after (0: from the first), in the order they were first
	// stored. Storing an entry takes a generation.
	Postings(ctx context.Context, since time.Time, after int64) ([]Posted, error)
}

// Posted is what a Cache keeps of an entry to find it by key.
type Posted struct {
	Seq       int64 // the order the entry was first stored in, from 1
	ID        int64
	Published time.Time
	Keys      []uint64
}

// ErrChangesPruned is returned by a Shared index's StoriesChanged when
// the changes asked for are no longer all recorded: a Cache loads its
// copy again.
var ErrChangesPruned = errors.New("changes since that generation were pruned")

// keptGenerations is how many generations of deletions a Cache keeps
// when it prunes them: a Cache on another process that has not run a
// batch in that many generations loads its copy again.
const keptGenerations = 1 << 20

// Filing is a story filed under one of its keys.
type Filing struct {
	Key   uint64
	Story int64
}

// DefaultCacheHorizon is how far back from the latest story a Cache keeps
// stories when NewCache is given no horizon: the Deduper's default Window
// (72h) before the start of its default RefineSpan (24h), plus a day for
// articles that arrive late.
const DefaultCacheHorizon = 5 * 24 * time.Hour

// DefaultEntryHorizon is how far back from the latest story a Cache keeps
// the keys of entries, to find candidate versions without the database's
// postings: the Deduper's default DuplicateWindow (7 days), a day for
// articles that arrive late, and a day for the latest story being up to a
// day ahead of the clock (see bound).
const DefaultEntryHorizon = 9 * 24 * time.Hour

// maxCachedTerms bounds the document frequencies a Cache keeps; past it,
// they are dropped after the batch and read again as needed.
const maxCachedTerms = 1 << 20

// Cache is an Index over a Shared one that answers story look-ups
// (Stories, Cluster) for the recent past, candidate look-ups (Candidates)
// for entries published within DefaultEntryHorizon or its horizon,
// whichever is longer, and document frequencies, from memory, and passes
// every other call through. Candidates still reads the entries it finds
// from the Shared index, by ID. It knows entries by the publication time
// they were first stored with, or last stored with by this Cache: until
// the next load, an entry another process re-dates is found by its former
// time (not at all if it was dated before the horizon), and an entry
// re-dated into the horizon is the newest under its keys. Lists hold only
// the entries within the horizon, so for a key with more than maxScan
// entries Candidates may find older ones than the Shared index would.
//
// It keeps its copy only within batches (Batch, which Deduper uses for
// every decision): calls outside a batch go to the Shared index, and a
// write among them drops the copy, to be loaded again at the next batch.
// Use one Cache per Deduper.
type Cache struct {
	inner   Shared
	horizon time.Duration
	now     func() time.Time

	// mu is held by a batch for its duration, and guards the fields below.
	mu     sync.Mutex
	loaded bool
	gen    int64     // the generation of the last batch seen
	since  time.Time // stories whose Last is before it may be missing
	latest time.Time // the latest Last seen
	mem    *MemIndex // the stories; its entries and frequencies are unused
	posts  *postings // the recent entries' keys; nil to be loaded again
	// pruneDue: the horizon moved, and the next batch prunes deletions.
	pruneDue bool
	// df holds, for the terms it has, the committed document frequency
	// plus pending; docs likewise when docsKnown.
	df        map[uint64]int64
	docs      int64
	docsKnown bool
	pending   map[uint64]int64 // frequencies added in this batch
	pendDocs  int64
	stats     CacheStats
}

// CacheStats count what a Cache did, for benchmarks and logs.
type CacheStats struct {
	Loads     int // full loads of the recent stories
	Loaded    int // stories read by loads
	Refreshed int // stories read because another process wrote them
	Misses    int // story and candidate look-ups that went to the Shared index
	// Entries counts the entries whose keys were read to find candidates:
	// by loads, and because another process stored them.
	Entries int
}

var (
	_ Index   = (*Cache)(nil)
	_ Batcher = (*Cache)(nil)
)

// NewCache returns a Cache over inner keeping the stories whose Last is
// within horizon of the latest one (DefaultCacheHorizon if horizon <= 0;
// at least the Deduper's Window before the start of its RefineSpan keeps
// every look-up in memory). now bounds "the latest" for stories dated in
// the future; nil means time.Now.
func NewCache(inner Shared, horizon time.Duration, now func() time.Time) *Cache {
	if horizon <= 0 {
		horizon = DefaultCacheHorizon
	}
	if now == nil {
		now = time.Now
	}
	return &Cache{inner: inner, horizon: horizon, now: now}
}

// Stats returns what the cache did so far.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// cacheBatchKey marks a context as within a batch of the Cache.
type cacheBatchKey struct{ c *Cache }

func (c *Cache) inBatch(ctx context.Context) bool {
	return ctx.Value(cacheBatchKey{c}) != nil
}

// Batch implements Batcher: fn runs in one transaction of the Shared index,
// with the stories others wrote since the last batch read first and the
// document frequencies fn added written last. If the transaction fails,
// the copy is dropped: it may hold writes that were rolled back.
func (c *Cache) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if c.inBatch(ctx) {
		return fn(ctx)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, attempts := false, 0
	defer func() {
		if !ok { // failed, or panicked
			c.drop()
		}
	}()
	err := c.inner.Batch(ctx, func(ctx context.Context) error {
		if attempts++; attempts > 1 {
			// The index runs fn again after a rollback: the copy may
			// hold the first attempt's writes.
			c.drop()
		}
		ctx = context.WithValue(ctx, cacheBatchKey{c}, true)
		if err := c.sync(ctx); err != nil {
			return fmt.Errorf("dedup cache: %w", err)
		}
		if err := fn(ctx); err != nil {
			return err
		}
		if c.pruneDue && c.gen > keptGenerations {
			if err := c.inner.PruneChanges(ctx, c.gen-keptGenerations); err != nil {
				return fmt.Errorf("dedup cache: %w", err)
			}
		}
		return c.flush(ctx)
	})
	if err != nil {
		return err
	}
	ok = true
	c.pruneDue = false
	c.prune()
	return nil
}

// sync brings the copy up to date at the start of a batch: loads it, or
// reads what other processes wrote since the last batch.
func (c *Cache) sync(ctx context.Context) error {
	gen, err := c.inner.Generation(ctx)
	if err != nil {
		return err
	}
	switch {
	case !c.loaded:
		if err := c.load(ctx); err != nil {
			return err
		}
	case gen != c.gen+1:
		stored, deleted, err := c.inner.StoriesChanged(ctx, c.gen, gen)
		if errors.Is(err, ErrChangesPruned) {
			// Idle for too long: start again.
			if err := c.load(ctx); err != nil {
				return err
			}
			break
		}
		if err != nil {
			return err
		}
		for _, id := range deleted {
			c.forget(ctx, id)
		}
		for _, s := range stored {
			c.keep(ctx, s)
		}
		c.stats.Refreshed += len(stored) + len(deleted)
		// Frequencies others added are read again as needed.
		c.df, c.docsKnown = nil, false
		if c.posts != nil {
			got, err := c.inner.Postings(ctx, c.posts.since, c.posts.lastSeq)
			if err != nil {
				return err
			}
			c.posts.read(got)
			c.stats.Entries += len(got)
		}
	}
	c.gen = gen
	if c.posts == nil {
		return c.loadPostings(ctx)
	}
	return nil
}

// loadPostings reads the keys of the entries within the entry horizon.
func (c *Cache) loadPostings(ctx context.Context) error {
	var since time.Time
	if !c.latest.IsZero() {
		since = c.bound(c.latest).Add(-c.entryHorizon())
	}
	got, err := c.inner.Postings(ctx, since, 0)
	if err != nil {
		return err
	}
	c.posts = newPostings(since)
	c.posts.read(got)
	c.stats.Entries += len(got)
	return nil
}

func (c *Cache) entryHorizon() time.Duration { return max(c.horizon, DefaultEntryHorizon) }

// load reads the recent stories into a new copy.
func (c *Cache) load(ctx context.Context) error {
	latest, err := c.inner.LatestStory(ctx)
	if err != nil {
		return err
	}
	c.mem, c.latest, c.since = NewMemIndex(), latest, time.Time{}
	c.posts = nil // loaded by sync, once the stories are
	c.df, c.docsKnown = nil, false
	if !latest.IsZero() {
		c.since = c.bound(latest).Add(-c.horizon)
	}
	stories, filings, err := c.inner.RecentStories(ctx, c.since)
	if err != nil {
		return err
	}
	for i := range stories {
		stories[i] = normalStory(stories[i])
	}
	c.mem.loadStories(stories, filings)
	c.loaded = true
	c.stats.Loads++
	c.stats.Loaded += len(stories)
	return nil
}

// bound is t, but no later than a day from now: a story dated in the
// future must not move the horizon past every current article.
func (c *Cache) bound(t time.Time) time.Time {
	if limit := c.now().Add(24 * time.Hour); t.After(limit) {
		return limit
	}
	return t
}

// keep puts story s into the copy if it is recent, and takes it out if not.
func (c *Cache) keep(ctx context.Context, s Cluster) {
	if s.Size <= 0 || (!c.since.IsZero() && s.Last.Before(c.since)) {
		c.forget(ctx, s.ID)
		return
	}
	s = normalStory(s)
	if s.Last.After(c.latest) {
		c.latest = s.Last
	}
	_ = c.mem.PutCluster(ctx, s) // MemIndex's PutCluster does not fail
}

// normalStory is s with its times as the databases keep them: whole
// microseconds in UTC, without a monotonic clock reading.
func normalStory(s Cluster) Cluster {
	s.First = s.First.UTC().Truncate(time.Microsecond).Round(0)
	s.Last = s.Last.UTC().Truncate(time.Microsecond).Round(0)
	return s
}

func (c *Cache) forget(ctx context.Context, id int64) {
	_ = c.mem.PutCluster(ctx, Cluster{ID: id})
}

// flush writes the document frequencies added in the batch.
func (c *Cache) flush(ctx context.Context) error {
	if c.pendDocs == 0 && len(c.pending) == 0 {
		return nil
	}
	terms := make([]uint64, 0, len(c.pending))
	counts := make([]int64, 0, len(c.pending))
	for t, n := range c.pending {
		terms = append(terms, t)
		counts = append(counts, n)
	}
	if err := c.inner.AddDocFreqs(ctx, c.pendDocs, terms, counts); err != nil {
		return err
	}
	c.pending, c.pendDocs = nil, 0
	return nil
}

// prune drops the stories that fell behind the horizon once it has moved
// by half its length, and the frequencies if there are too many.
func (c *Cache) prune() {
	if len(c.df) > maxCachedTerms {
		c.df, c.docsKnown = nil, false
	}
	if c.latest.IsZero() {
		return
	}
	if c.posts != nil {
		since := c.bound(c.latest).Add(-c.entryHorizon())
		if since.Sub(c.posts.since) >= c.entryHorizon()/2 {
			// Reading the recent entries' keys again costs less than
			// keeping every entry's keys to rebuild the lists from.
			c.posts = nil
		}
	}
	since := c.bound(c.latest).Add(-c.horizon)
	if !c.since.IsZero() && since.Sub(c.since) < c.horizon/2 {
		return
	}
	c.since = since
	c.mem.pruneStories(since)
	c.pruneDue = true
}

// drop forgets the copy; the next batch loads it again.
func (c *Cache) drop() {
	c.loaded, c.mem, c.posts = false, nil, nil
	c.df, c.docsKnown = nil, false
	c.pending, c.pendDocs = nil, 0
}

// dropLocked is drop for a write outside a batch.
func (c *Cache) dropLocked() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
}

// hot reports whether a look-up over [since, ...] can be answered from
// the copy.
func (c *Cache) hot(ctx context.Context, since time.Time) bool {
	return c.inBatch(ctx) && c.loaded && (c.since.IsZero() || !since.Before(c.since))
}

// Stories implements Index.
func (c *Cache) Stories(ctx context.Context, q Query) ([]Cluster, error) {
	if c.hot(ctx, q.Since) {
		return c.mem.Stories(ctx, q)
	}
	if c.inBatch(ctx) {
		c.stats.Misses++
	}
	return c.inner.Stories(ctx, q)
}

// Cluster implements Index.
func (c *Cache) Cluster(ctx context.Context, id int64) (Cluster, error) {
	if c.inBatch(ctx) && c.loaded {
		s, err := c.mem.Cluster(ctx, id)
		if err == nil {
			return s, nil
		}
		c.stats.Misses++ // a new story, or an old one
	}
	return c.inner.Cluster(ctx, id)
}

// PutCluster implements Index.
func (c *Cache) PutCluster(ctx context.Context, s Cluster) error {
	if err := c.inner.PutCluster(ctx, s); err != nil {
		return err
	}
	if !c.inBatch(ctx) {
		c.dropLocked()
		return nil
	}
	if c.loaded {
		c.keep(ctx, s)
	}
	return nil
}

// DocFreq implements Index.
func (c *Cache) DocFreq(ctx context.Context, terms []uint64) (int64, []int64, error) {
	if !c.inBatch(ctx) || !c.loaded {
		return c.inner.DocFreq(ctx, terms)
	}
	df := make([]int64, len(terms))
	var missing []uint64
	for i, t := range terms {
		n, ok := c.df[t]
		if !ok {
			missing = append(missing, t)
		}
		df[i] = n
	}
	if len(missing) > 0 || !c.docsKnown {
		docs, got, err := c.inner.DocFreq(ctx, missing)
		if err != nil {
			return 0, nil, err
		}
		if c.df == nil {
			c.df = make(map[uint64]int64, len(missing))
		}
		for i, t := range missing {
			c.df[t] = got[i] + c.pending[t]
		}
		for i, t := range terms {
			df[i] = c.df[t]
		}
		if !c.docsKnown {
			c.docs, c.docsKnown = docs+c.pendDocs, true
		}
	}
	return c.docs, df, nil
}

// AddDocFreq implements Index. Within a batch the counts are written
// when the batch ends, all terms in one statement.
func (c *Cache) AddDocFreq(ctx context.Context, terms []uint64) error {
	if !c.inBatch(ctx) || !c.loaded {
		if err := c.inner.AddDocFreq(ctx, terms); err != nil {
			return err
		}
		if !c.inBatch(ctx) {
			c.dropLocked()
		}
		return nil
	}
	if c.pending == nil {
		c.pending = make(map[uint64]int64, len(terms))
	}
	c.pendDocs++
	if c.docsKnown {
		c.docs++
	}
	for _, t := range terms {
		c.pending[t]++
		if _, ok := c.df[t]; ok {
			c.df[t]++
		}
	}
	return nil
}

// Candidates implements Index: the IDs from memory, the entries from the
// Shared index.
func (c *Cache) Candidates(ctx context.Context, q Query) ([]Entry, error) {
	if !c.inBatch(ctx) || !c.loaded || c.posts == nil || q.Since.Before(c.posts.since) {
		if c.inBatch(ctx) {
			c.stats.Misses++
		}
		return c.inner.Candidates(ctx, q)
	}
	ids := c.posts.find(q)
	if len(ids) == 0 {
		return nil, nil
	}
	return c.inner.Entries(ctx, ids)
}

// Entry implements Index.
func (c *Cache) Entry(ctx context.Context, id int64) (Entry, error) {
	return c.inner.Entry(ctx, id)
}

// Versions implements Index.
func (c *Cache) Versions(ctx context.Context, root int64) ([]Entry, error) {
	return c.inner.Versions(ctx, root)
}

// Put implements Index. Of entries the copy keeps only their keys and
// publication times.
func (c *Cache) Put(ctx context.Context, e Entry) error {
	if err := c.inner.Put(ctx, e); err != nil {
		return err
	}
	if c.inBatch(ctx) && c.loaded && c.posts != nil {
		c.posts.put(e.ID, e.Published, e.Keys)
	}
	return nil
}

// Relabel implements Index.
func (c *Cache) Relabel(ctx context.Context, from, to int64) ([]Entry, error) {
	return c.inner.Relabel(ctx, from, to)
}

// Window implements Index.
func (c *Cache) Window(ctx context.Context, q Query) ([]Entry, error) {
	return c.inner.Window(ctx, q)
}

// postings find the entries published since a time by key, as MemIndex
// does, in the order they were first stored: reading a database's
// postings was most of what finding candidates cost, and at a million
// articles they are a B-tree far larger than its page cache.
type postings struct {
	since   time.Time        // entries published before it may be missing
	lastSeq int64            // the last entry read from the Shared index
	heads   map[uint64]int32 // key → newest posting in nodes, +1 (0: none)
	nodes   []posting
	ids     []int64
	pubs    []int64 // publication times, microseconds since the epoch
	byID    map[int64]int32
}

func newPostings(since time.Time) *postings {
	return &postings{since: since, heads: map[uint64]int32{}, byID: map[int64]int32{}}
}

// read adds entries read from the Shared index, skipping those it has.
func (p *postings) read(got []Posted) {
	for _, e := range got {
		p.put(e.ID, e.Published, e.Keys)
		p.lastSeq = max(p.lastSeq, e.Seq)
	}
}

// put adds an entry, or updates the publication time of one it has.
func (p *postings) put(id int64, pub time.Time, keys []uint64) {
	if i, ok := p.byID[id]; ok {
		p.pubs[i] = pub.UnixMicro()
		return
	}
	if pub.Before(p.since) {
		return
	}
	i := int32(len(p.ids))
	p.ids = append(p.ids, id)
	p.pubs = append(p.pubs, pub.UnixMicro())
	p.byID[id] = i
	for j, k := range keys {
		if slices.Contains(keys[:j], k) {
			continue // filed once under each distinct key, as the stores do
		}
		p.nodes = append(p.nodes, posting{entry: i, next: p.heads[k]})
		p.heads[k] = int32(len(p.nodes))
	}
}

// find returns the IDs Candidates returns for q, sorted: for each key, at
// most q.PerKey of the entries published within [q.Since, q.Until] among
// the maxScan stored last under it.
func (p *postings) find(q Query) []int64 {
	since, until := q.Since.UnixMicro(), int64(math.MaxInt64)
	if !q.Until.IsZero() {
		until = q.Until.UnixMicro()
	}
	var ids []int64
	newestInWindow(p.heads, p.nodes, q, func(i int32) bool {
		return p.pubs[i] >= since && p.pubs[i] <= until
	}, func(i int32) { ids = append(ids, p.ids[i]) })
	slices.Sort(ids)
	return slices.Compact(ids)
}
