package dedup

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/taglines/taglines"
)

// Decisions made one article at a time are final in Process, but a story
// looks different once more of it has arrived: an early article may have
// joined the wrong one of two close stories, or started a story that later
// proves to be part of another. Refine, run now and then over a recent
// span, revisits those decisions (moving articles, merging stories), as
// two-tier news clustering does: fast incremental assignment, then a
// slower correction of the recent past.

// mergeStories merges story id with the stories whose centroids are at
// least MergeThreshold similar to it, one at a time, the smaller into the
// larger (on equal sizes, into the lower ID). It returns the story id
// ended in and the articles that moved.
func (d *Deduper) mergeStories(ctx context.Context, id int64) (int64, []Result, error) {
	var moved []Result
	for range maxStories {
		c, err := d.idx.Cluster(ctx, id)
		if err != nil {
			return 0, nil, fmt.Errorf("story %d: %w", id, err)
		}
		if pinned, err := d.pinned(ctx, c.ID); err != nil || pinned {
			return id, moved, err
		}
		stories, err := d.storiesNear(ctx, c.Centroid, c.First, c.Last)
		if err != nil {
			return 0, nil, fmt.Errorf("stories near %d: %w", id, err)
		}
		var other *Cluster
		best := d.opts.MergeThreshold
		for i := range stories {
			s := &stories[i]
			if s.ID == c.ID || !sharesName(c.Centroid, s.Centroid) || !d.withinSpan(c.First, c.Last, s.First, s.Last) {
				continue
			}
			if c.Centroid.Cosine(s.Centroid) >= best {
				if pinned, err := d.pinned(ctx, s.ID); err != nil {
					return 0, nil, err
				} else if pinned {
					continue
				}
			}
			if x := c.Centroid.Cosine(s.Centroid); x > best || (x == best && (other == nil || s.ID < other.ID)) {
				other, best = s, x
			}
		}
		if other == nil {
			return id, moved, nil
		}
		into, from := c, *other
		if from.Size > into.Size || (from.Size == into.Size && from.ID < into.ID) {
			into, from = from, into
		}
		es, err := d.merge(ctx, into, from)
		if err != nil {
			return 0, nil, err
		}
		moved = append(moved, es...)
		id = into.ID
	}
	return id, moved, nil
}

// pinned reports whether story id is one an operator split off: the
// article it is named after is pinned.
func (d *Deduper) pinned(ctx context.Context, id int64) (bool, error) {
	e, err := d.idx.Entry(ctx, id)
	if errors.Is(err, taglines.ErrNotFound) {
		return false, nil
	}
	return e.Pinned, err
}

// merge moves every article of story from into story into.
func (d *Deduper) merge(ctx context.Context, into, from Cluster) ([]Result, error) {
	into.Centroid = into.Centroid.add(from.Centroid, 1).top(CentroidTerms)
	into.Size += from.Size
	if from.First.Before(into.First) {
		into.First = from.First
	}
	if from.Last.After(into.Last) {
		into.Last = from.Last
	}
	into.Keys = storyKeys(into.Centroid)
	return d.relabelStory(ctx, into, from.ID)
}

// relabelStory moves every article of story from into story c, stores c
// as it is given and deletes story from: a merge, or a story taking a new
// name.
func (d *Deduper) relabelStory(ctx context.Context, c Cluster, from int64) ([]Result, error) {
	es, err := d.idx.Relabel(ctx, from, c.ID)
	if err == nil {
		err = d.idx.PutCluster(ctx, c)
	}
	if err == nil {
		err = d.idx.PutCluster(ctx, Cluster{ID: from})
	}
	if err != nil {
		return nil, fmt.Errorf("story %d into %d: %w", from, c.ID, err)
	}
	out := make([]Result, len(es))
	for i, e := range es {
		out[i] = Result{ID: e.ID, DuplicateOf: e.DuplicateOf, Cluster: c.ID}
	}
	return out, nil
}

// refineChunk is how many articles Refine reconsiders per lock hold and
// transaction, so that ingest waits at most one chunk for it.
const refineChunk = 256

// Refine revisits the stories of the articles published within [since,
// until] (a zero until: no upper bound). First each article, oldest first,
// moves with its versions to the story whose centroid is more similar to
// it than its own story's is without it (at least ClusterThreshold), and
// the story it joins merges with any at least MergeThreshold similar;
// then the window's stories merge likewise. It returns where each moved
// article now belongs, once per article, in the order they last moved.
// It works in chunks, each under the lock and, on a Batcher, in one
// transaction, so Process calls interleave with it. On an error it
// returns it with the moves made before, which the index has kept. The
// poller, `taglines dedup` and the Google News bench refine every hour
// of publication time over the RefineSpan option.
func (d *Deduper) Refine(ctx context.Context, since, until time.Time) ([]Result, error) {
	return d.RefineRecorded(ctx, since, until, nil)
}

// RefineRecorded is Refine, passing each chunk's moves to record, if not
// nil, as soon as the index has committed them and before the lock is
// released: a store records them before any other decision (another
// poller's Refine, an operator's Split) can move the same articles, so it
// never writes a stale one over a newer one. record gets a context that
// is not cancelled with ctx: the index has the moves already.
func (d *Deduper) RefineRecorded(ctx context.Context, since, until time.Time, record func(ctx context.Context, moved []Result) error) ([]Result, error) {
	var ids []int64
	members := map[int64][]int64{} // story → its articles in the window, as they were
	err := d.locked(ctx, func(ctx context.Context) error {
		es, err := d.idx.Window(ctx, Query{Since: since, Until: until})
		for i := len(es) - 1; i >= 0; i-- {
			if es[i].DuplicateOf == 0 && len(es[i].Vector) > 0 {
				ids = append(ids, es[i].ID) // versions go with their first article
				members[es[i].Cluster] = append(members[es[i].Cluster], es[i].ID)
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dedup refine: %w", err)
	}
	var moved []Result
	// run runs fn on items in chunks, each under the lock.
	run := func(items []int64, fn func(ctx context.Context, id int64) ([]Result, error)) error {
		for len(items) > 0 {
			chunk := items[:min(refineChunk, len(items))]
			items = items[len(chunk):]
			var done []Result
			_, batched := d.idx.(Batcher)
			kept := false // whether the index kept done
			after := func(ctx context.Context, err error) error {
				// Without a transaction, the index kept the moves made
				// before an error too.
				if kept = err == nil || !batched; !kept || record == nil || len(done) == 0 {
					return nil
				}
				if err := record(ctx, done); err != nil {
					return fmt.Errorf("record %d moved articles: %w", len(done), err)
				}
				return nil
			}
			err := d.lockedThen(ctx, func(ctx context.Context) error {
				done = done[:0] // a Batcher may run fn again
				for _, id := range chunk {
					// Cancellation is honoured between articles only: an
					// index without transactions would keep half a move.
					if err := ctx.Err(); err != nil {
						return err
					}
					m, err := fn(context.WithoutCancel(ctx), id)
					if err != nil {
						return err
					}
					for _, r := range m {
						if r.DuplicateOf == 0 {
							members[r.Cluster] = append(members[r.Cluster], r.ID)
						}
					}
					done = append(done, m...)
				}
				return nil
			}, after)
			if kept {
				moved = append(moved, done...)
			}
			if err != nil {
				return fmt.Errorf("dedup refine: %w", err)
			}
		}
		return nil
	}
	err = run(ids, func(ctx context.Context, id int64) ([]Result, error) {
		return d.reconsider(ctx, id, members)
	})
	// Then the window's stories merge with the ones they grew close to.
	if err == nil {
		stories := slices.Sorted(maps.Keys(members))
		err = run(stories, func(ctx context.Context, id int64) ([]Result, error) {
			if _, err := d.idx.Cluster(ctx, id); errors.Is(err, taglines.ErrNotFound) {
				return nil, nil // merged into another already
			} else if err != nil {
				return nil, err
			}
			_, m, err := d.mergeStories(ctx, id)
			return m, err
		})
	}
	// Each article once, where it ended, in the order of its last move.
	last := make(map[int64]int, len(moved))
	for i, r := range moved {
		last[r.ID] = i
	}
	out := make([]Result, 0, len(last))
	for i, r := range moved {
		if last[r.ID] == i {
			out = append(out, r)
		}
	}
	return out, err
}

// otherMember returns the first of candidates still in story that is
// neither leaving nor one of its versions, or 0 if there is none.
func (d *Deduper) otherMember(ctx context.Context, story, leaving int64, candidates []int64) (int64, error) {
	for _, id := range candidates {
		if id == leaving {
			continue
		}
		e, err := d.idx.Entry(ctx, id)
		if err != nil {
			return 0, err
		}
		if e.Cluster == story && e.DuplicateOf != leaving {
			return id, nil
		}
	}
	return 0, nil
}

// locked runs fn under the Deduper's lock (and Options.Lock) and, on a
// Batcher, in one transaction.
func (d *Deduper) locked(ctx context.Context, fn func(ctx context.Context) error) error {
	return d.lockedThen(ctx, fn, nil)
}

// lockedThen is locked, then runs after (if not nil) with the outcome of
// fn and its transaction, still under the locks, on a context not
// cancelled with ctx (what fn committed must be followed through) and
// bounded by 30s.
func (d *Deduper) lockedThen(ctx context.Context, fn func(ctx context.Context) error, after func(ctx context.Context, err error) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.opts.Lock != nil {
		unlock, err := d.opts.Lock(ctx)
		if err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		defer unlock()
	}
	var err error
	if b, ok := d.idx.(Batcher); ok {
		err = b.Batch(ctx, fn)
	} else {
		err = fn(ctx)
	}
	if after != nil {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err = errors.Join(err, after(actx, err))
	}
	return err
}

// reconsider moves article id to a better story if there is one and
// returns the articles moved. members lists candidates for a story's new
// name.
func (d *Deduper) reconsider(ctx context.Context, id int64, members map[int64][]int64) ([]Result, error) {
	e, err := d.idx.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Pinned {
		return nil, nil // an operator put it where it is
	}
	own, err := d.idx.Cluster(ctx, e.Cluster)
	if errors.Is(err, taglines.ErrNotFound) {
		return nil, nil // split away by an operator and not refiled yet
	} else if err != nil {
		return nil, err
	}
	// A story is named after one of its articles, and only one story is:
	// Split starts a story named after the article it splits off. When the
	// article naming a story leaves it, the story takes the name of
	// another of its articles.
	var rename int64
	if own.Size > 1 && own.ID == e.ID {
		if rename, err = d.otherMember(ctx, own.ID, e.ID, members[own.ID]); err != nil || rename == 0 {
			return nil, err
		}
	}
	ownScore := 0.0
	if own.Size > 1 {
		ownScore = e.Vector.Cosine(own.Centroid.add(e.Vector, -1))
	}
	stories, err := d.storiesNear(ctx, e.Vector, e.Published, e.Published)
	if err != nil {
		return nil, err
	}
	var best *Cluster
	bestScore := max(ownScore, d.opts.ClusterThreshold)
	for i := range stories {
		c := &stories[i]
		if c.ID == own.ID || c.Size <= 1 {
			continue // a story of one would have been joined when it came
		}
		if !d.mayJoin(&e, c) {
			continue
		}
		if s := e.Vector.Cosine(c.Centroid); s > bestScore || (s == bestScore && best != nil && c.ID < best.ID) {
			best, bestScore = c, s
		}
	}
	if best == nil {
		return nil, nil
	}
	group := []Entry{e}
	vs, err := d.idx.Versions(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	group = append(group, vs...)
	if err := d.leaveCluster(ctx, own.ID, group); err != nil {
		return nil, err
	}
	moved := make([]Result, 0, len(group))
	for i := range group {
		group[i].Cluster = best.ID
		if err := d.idx.Put(ctx, group[i]); err != nil {
			return nil, err
		}
		moved = append(moved, Result{ID: group[i].ID, DuplicateOf: group[i].DuplicateOf, Cluster: best.ID})
	}
	if rename != 0 {
		left, err := d.idx.Cluster(ctx, own.ID)
		if err != nil {
			return nil, err
		}
		left.ID = rename
		renamed, err := d.relabelStory(ctx, left, own.ID)
		if err != nil {
			return nil, err
		}
		moved = append(moved, renamed...)
	}
	if err := d.joinCluster(ctx, best.ID, group); err != nil {
		return nil, err
	}
	into, merged, err := d.mergeStories(ctx, best.ID)
	if err != nil {
		return nil, err
	}
	for i := range group {
		moved[i].Cluster = into // the story it joined may have merged into another
	}
	return append(moved, merged...), nil
}
