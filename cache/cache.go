// Package cache puts a read cache in front of a taglines.Store for what
// every page asks and no page can afford to recompute: the counts over a
// window of days (top, related and trending tags, sections) and the first
// pages of the busiest listings. At a million articles one such count
// reads tens of thousands of rows; the front page asks for four.
//
// An answer is served from the cache while it is fresh: younger than its
// minimum age, or younger than its maximum age and computed since the last
// write made through this Store. Writes by other processes (a worker role,
// another machine) show within the maximum age, far inside one poll round
// (15 minutes by default). First pages are kept briefly (2 to 15 seconds):
// they are cheap and a reader expects the newest; counts over days change
// little in a minute and cost a hundred times more (30 seconds to 2
// minutes). A stale answer
// is served once more while one caller recomputes it in the background,
// so a write never makes readers wait; an answer never computed is
// computed once for all callers waiting on it (singleflight).
package cache

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/taglines/taglines"
)

// Defaults of Options.
const (
	DefaultListMinAge  = 2 * time.Second
	DefaultListMaxAge  = 15 * time.Second
	DefaultCountMinAge = 30 * time.Second
	DefaultCountMaxAge = 2 * time.Minute
	// DefaultEntries bounds the answers kept; a page's answers are a few
	// KiB, so the cache stays a few MiB.
	DefaultEntries = 4096
)

// windowStep aligns the start of a window ("the last 7 days") to the
// minute, so that requests a second apart share an answer.
const windowStep = time.Minute

// Options tune a Store. Zero fields take the defaults.
type Options struct {
	List    Ages // first pages of listings
	Count   Ages // counts over windows
	Entries int  // answers kept at most
	Now     func() time.Time
}

// Ages bound how old a cached answer may be.
type Ages struct {
	Min time.Duration // not recomputed before this age, whatever was written
	Max time.Duration // never served from the cache past it
}

func (a Ages) or(def Ages) Ages {
	if a.Min <= 0 {
		a.Min = def.Min
	}
	if a.Max < a.Min {
		a.Max = max(def.Max, a.Min)
	}
	return a
}

// Store is a taglines.Store whose aggregate reads and first pages are
// cached. Everything else goes straight to the Store it wraps; writes
// through it mark every answer out of date.
type Store struct {
	taglines.Store
	opts Options
	gen  atomic.Uint64 // bumped by every write through this Store

	mu      sync.Mutex
	entries map[string]*entry
	flight  singleflight.Group
}

type entry struct {
	val        any
	at         time.Time // when its computation began
	gen        uint64    // the write generation it saw
	used       time.Time
	refreshing bool
}

// New wraps st.
func New(st taglines.Store, opts Options) *Store {
	opts.List = opts.List.or(Ages{DefaultListMinAge, DefaultListMaxAge})
	opts.Count = opts.Count.or(Ages{DefaultCountMinAge, DefaultCountMaxAge})
	if opts.Entries <= 0 {
		opts.Entries = DefaultEntries
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Store{Store: st, opts: opts, entries: map[string]*entry{}}
}

// Unwrap returns the Store this one reads through, for what it offers
// besides taglines.Store (the dedup index, locks).
func (s *Store) Unwrap() taglines.Store { return s.Store }

// Generation changes with every write through this Store (and every
// Invalidate): what was rendered from its answers is out of date when it
// changes.
func (s *Store) Generation() uint64 { return s.gen.Load() }

// Invalidate marks every answer out of date, for writes that do not go
// through this Store (the dedup index, a re-tagging run): each is
// recomputed on its next read, once its minimum age has passed.
func (s *Store) Invalidate() { s.gen.Add(1) }

// get returns the answer for key, computing it with fn when there is none
// or it is out of date (see the package comment).
func get[T any](ctx context.Context, s *Store, ages Ages, key string, fn func(context.Context) (T, error)) (T, error) {
	now := s.opts.Now()
	gen := s.gen.Load()
	// Made only when needed: a hit, the common case, allocates nothing.
	compute := func() func() (any, error) {
		return func() (any, error) {
			// The computation outlives a caller who gives up, for the others.
			return s.compute(context.WithoutCancel(ctx), key, gen, func(c context.Context) (any, error) { return fn(c) })
		}
	}
	s.mu.Lock()
	if e := s.entries[key]; e != nil {
		e.used = now
		age := now.Sub(e.at)
		fresh := age < ages.Min || (age < ages.Max && e.gen == gen)
		// Out of date but recent: one caller recomputes, in the
		// background, and everyone meanwhile gets the answer of a
		// moment ago. Older than twice the maximum age, it is not served.
		if fresh || age < 2*ages.Max {
			if !fresh && !e.refreshing {
				e.refreshing = true
				go s.flight.Do(key, compute())
			}
			v := e.val.(T)
			s.mu.Unlock()
			return v, nil
		}
	}
	s.mu.Unlock()
	// None yet, or long unused: computed once for all who wait on it.
	v, err, _ := s.flight.Do(key, compute())
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

func (s *Store) compute(ctx context.Context, key string, gen uint64, fn func(context.Context) (any, error)) (any, error) {
	at := s.opts.Now()
	v, err := fn(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		// A failure is not kept; an older answer stays for the next try.
		if e := s.entries[key]; e != nil {
			e.refreshing = false
		}
		return nil, err
	}
	if _, ok := s.entries[key]; !ok && len(s.entries) >= s.opts.Entries {
		s.evict()
	}
	s.entries[key] = &entry{val: v, at: at, gen: gen, used: at}
	return v, nil
}

// evict drops the least recently used eighth of the entries: a scan, so
// it runs once per that many insertions.
func (s *Store) evict() {
	n := max(1, len(s.entries)/8)
	for range n {
		var oldest string
		var t time.Time
		for k, e := range s.entries {
			if oldest == "" || e.used.Before(t) {
				oldest, t = k, e.used
			}
		}
		delete(s.entries, oldest)
	}
}

// window aligns a window's start down to the minute.
func window(t time.Time) time.Time { return t.Truncate(windowStep) }

func timeKey(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return strconv.FormatInt(t.Unix(), 10)
}

// TopTags is cached, its window aligned to the minute.
func (s *Store) TopTags(ctx context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	since = window(since)
	key := "top|" + timeKey(since) + "|" + strconv.Itoa(limit)
	return get(ctx, s, s.opts.Count, key, func(ctx context.Context) ([]taglines.TagCount, error) {
		return s.Store.TopTags(ctx, since, limit)
	})
}

// CoTags is cached, its window aligned to the minute.
func (s *Store) CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error) {
	since = window(since)
	key := "co|" + slug + "|" + timeKey(since) + "|" + strconv.Itoa(limit)
	return get(ctx, s, s.opts.Count, key, func(ctx context.Context) ([]taglines.TagCount, error) {
		return s.Store.CoTags(ctx, slug, since, limit)
	})
}

type tagCounts struct {
	counts map[string]int
	tagged int
}

// TagCounts is cached, its window aligned to the minute. The map it
// returns is shared: callers read it and do not change it.
func (s *Store) TagCounts(ctx context.Context, slugs []string, since, until time.Time) (map[string]int, int, error) {
	since, until = window(since), window(until)
	key := "counts|" + timeKey(since) + "|" + timeKey(until) + "|" + strings.Join(slugs, ",")
	v, err := get(ctx, s, s.opts.Count, key, func(ctx context.Context) (tagCounts, error) {
		c, n, err := s.Store.TagCounts(ctx, slugs, since, until)
		return tagCounts{c, n}, err
	})
	return v.counts, v.tagged, err
}

// SectionCounts is cached, its window aligned to the minute.
func (s *Store) SectionCounts(ctx context.Context, since time.Time) ([]taglines.SectionCount, error) {
	since = window(since)
	return get(ctx, s, s.opts.Count, "sections|"+timeKey(since), func(ctx context.Context) ([]taglines.SectionCount, error) {
		return s.Store.SectionCounts(ctx, since)
	})
}

// Articles caches the first page (no cursor) of a listing: what the
// front, tag, section, source and story pages and the feeds show first.
// Deeper pages go to the Store: each is asked for rarely, and a cursor
// makes it cheap.
func (s *Store) Articles(ctx context.Context, q taglines.ArticleQuery) ([]*taglines.Article, error) {
	if q.Before != nil {
		return s.Store.Articles(ctx, q)
	}
	key := "articles|" + q.Tag + "|" + strconv.FormatBool(q.Collapse) + "|" + strconv.FormatInt(q.Cluster, 10) + "|" +
		q.Section + "|" + strconv.FormatInt(q.SourceID, 10) + "|" + strconv.Itoa(q.Limit)
	return get(ctx, s, s.opts.List, key, func(ctx context.Context) ([]*taglines.Article, error) {
		return s.Store.Articles(ctx, q)
	})
}

// The writes: each marks every answer out of date.

func (s *Store) AddArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	defer s.Invalidate()
	return s.Store.AddArticles(ctx, articles)
}

func (s *Store) SetGroups(ctx context.Context, groups []taglines.Group) error {
	defer s.Invalidate()
	return s.Store.SetGroups(ctx, groups)
}

func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	defer s.Invalidate()
	return s.Store.UpdateArticles(ctx, articles)
}

func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	defer s.Invalidate()
	return s.Store.RemoveSource(ctx, id)
}

func (s *Store) UpdateSource(ctx context.Context, src *taglines.Source) error {
	defer s.Invalidate()
	return s.Store.UpdateSource(ctx, src)
}

func (s *Store) SetTagRule(ctx context.Context, r taglines.TagRule) error {
	defer s.Invalidate()
	return s.Store.SetTagRule(ctx, r)
}

func (s *Store) DeleteTagRule(ctx context.Context, kind taglines.TagRuleKind, name string) error {
	defer s.Invalidate()
	return s.Store.DeleteTagRule(ctx, kind, name)
}
