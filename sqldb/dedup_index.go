package sqldb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

// Candidates implements dedup.Index: in one statement, or, with
// CandidatePostings, reading each key's newest postings in turn, stopping
// at the PerKey-th in the window, then the entries, in one snapshot.
func (x *DedupIndex) Candidates(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	var (
		out []dedup.Entry
		err error
	)
	if x.sql.CandidatePostings == "" {
		out, err = entries(ctx, x.reader(ctx), x.sql.Candidates,
			x.keys(q.Keys), x.dialect.Time(q.Since), x.until(q.Until), perKey(q), DedupMaxScan)
	} else {
		err = x.read(ctx, func(db Querier) error {
			var seqs []uint64
			for _, k := range q.Keys {
				err := scanNewest(ctx, db, x.sql.CandidatePostings, k, perKey(q), func(row Row) (bool, error) {
					var (
						seq int64
						pub Time
					)
					if err := row.Scan(&seq, &pub); err != nil {
						return false, err
					}
					if !inWindow(pub.Time, pub.Time, q) {
						return false, nil
					}
					seqs = append(seqs, uint64(seq))
					return true, nil
				})
				if err != nil {
					return err
				}
			}
			if len(seqs) == 0 {
				return nil
			}
			var err error
			out, err = entries(ctx, db, x.sql.EntriesBySeq, x.keys(distinctKeys(seqs)))
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	return out, nil
}

// scanNewest runs query, which selects the newest rows filed under key,
// with key and DedupMaxScan, and passes the rows to fn until it has
// counted n of them (fn returns true for a row it counts).
func scanNewest(ctx context.Context, db Querier, query string, key uint64, n int, fn func(Row) (bool, error)) error {
	rows, err := db.Query(ctx, query, int64(key), DedupMaxScan)
	if err != nil {
		return err
	}
	defer rows.Close()
	for counted := 0; counted < n && rows.Next(); {
		ok, err := fn(rows)
		if err != nil {
			return err
		}
		if ok {
			counted++
		}
	}
	return rows.Err()
}

// inWindow reports whether [first, last] overlaps the query's [Since,
// Until].
func inWindow(first, last time.Time, q dedup.Query) bool {
	return !last.Before(q.Since) && (q.Until.IsZero() || !first.After(q.Until))
}

// Entry implements dedup.Index.
func (x *DedupIndex) Entry(ctx context.Context, id int64) (dedup.Entry, error) {
	e, err := scanEntry(x.reader(ctx).QueryRow(ctx, x.sql.Entry, id))
	if err != nil {
		return dedup.Entry{}, fmt.Errorf("dedup entry %d: %w", id, x.translate(err))
	}
	return e, nil
}

// Versions implements dedup.Index.
func (x *DedupIndex) Versions(ctx context.Context, root int64) ([]dedup.Entry, error) {
	if root == 0 {
		return nil, nil
	}
	out, err := entries(ctx, x.reader(ctx), x.sql.Versions, root)
	if err != nil {
		return nil, fmt.Errorf("dedup versions of %d: %w", root, err)
	}
	return out, nil
}

// Relabel implements dedup.Index, in one statement and so atomically.
func (x *DedupIndex) Relabel(ctx context.Context, from, to int64) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, err)
	}
	if from == to {
		return nil, nil
	}
	var out []dedup.Entry
	err := x.writeOne(ctx, func(db Querier) error {
		var err error
		out, err = entries(ctx, db, x.sql.Relabel, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, x.translate(err))
	}
	return out, nil
}

// Window implements dedup.Index.
func (x *DedupIndex) Window(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	out, err := entries(ctx, x.reader(ctx), x.sql.Window, x.dialect.Time(q.Since), x.until(q.Until), x.limit(q))
	if err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	return out, nil
}

// Put implements dedup.Index, in one transaction. A new entry is inserted
// without looking it up first, as it usually is new; a replaced entry's
// row is read (and where rows lock, locked) first, so that concurrent Puts
// of one ID apply one by one.
func (x *DedupIndex) Put(ctx context.Context, e dedup.Entry) error {
	if e.ID <= 0 {
		return fmt.Errorf("dedup entry %d: id must be positive: %w", e.ID, taglines.ErrInvalid)
	}
	pub := x.dialect.Time(e.Published)
	err := x.write(ctx, func(db Querier) error {
		// The generation first, whether or not the entry is new: where it
		// locks the counter, entries get their seq in the order their
		// transactions commit, which a Cache on another process reads new
		// entries by (Postings), and the counter is always locked before
		// entry rows.
		if _, err := x.txGen(ctx, db); err != nil {
			return err
		}
		keys := distinctKeys(e.Keys)
		var seq int64
		err := db.QueryRow(ctx, x.sql.InsertEntry,
			e.ID, pub, root(e.DuplicateOf), e.Cluster, e.Shingles,
			dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), dedup.EncodeKeys(e.Keys), e.Pinned,
			x.keys(keys)).Scan(&seq)
		if err == nil {
			if x.sql.InsertPostings == "" || len(keys) == 0 {
				return nil
			}
			_, err = db.Exec(ctx, x.sql.InsertPostings, seq, pub, x.keys(keys))
			return err
		}
		if !errors.Is(err, ErrNoRows) {
			return err
		}
		var (
			oldPub  Time
			oldKeys []byte
		)
		if err := db.QueryRow(ctx, x.sql.StoredEntry, e.ID).Scan(&seq, &oldPub, &oldKeys); err != nil {
			return err
		}
		stored, err := dedup.DecodeKeys(oldKeys)
		if err != nil {
			return fmt.Errorf("stored keys: %w", err)
		}
		if !slices.Equal(stored, e.Keys) {
			return fmt.Errorf("keys changed: %w", taglines.ErrInvalid)
		}
		if _, err := db.Exec(ctx, x.sql.UpdateEntry, e.ID, pub, root(e.DuplicateOf), e.Cluster, e.Shingles,
			dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), e.Pinned, seq); err != nil {
			return err
		}
		if !oldPub.Equal(e.Published.Truncate(time.Microsecond)) && len(keys) > 0 {
			_, err = db.Exec(ctx, x.sql.Republish, x.keys(keys), seq, pub)
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup entry %d: %w", e.ID, x.translate(err))
	}
	return nil
}

// Stories implements dedup.Index: in one statement, or, with StoryFilings,
// reading the newest filings under each key in turn, stopping at the
// PerKey-th in the window, then the clusters ranked, in one snapshot.
// Clusters matching equally many keys are ranked by descending ID for the
// Limit, as dedup.MemIndex ranks them.
func (x *DedupIndex) Stories(ctx context.Context, q dedup.Query) ([]dedup.Cluster, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	var (
		out []dedup.Cluster
		err error
	)
	if x.sql.StoryFilings == "" {
		out, err = clusters(ctx, x.reader(ctx), x.sql.Stories,
			x.keys(q.Keys), x.dialect.Time(q.Since), x.until(q.Until), perKey(q), x.limit(q), DedupMaxScan)
	} else {
		err = x.read(ctx, func(db Querier) error {
			hits := make(map[int64]int)
			for _, k := range q.Keys {
				err := scanNewest(ctx, db, x.sql.StoryFilings, k, perKey(q), func(row Row) (bool, error) {
					var (
						id          int64
						first, last Time
					)
					if err := row.Scan(&id, &first, &last); err != nil {
						return false, err
					}
					if !inWindow(first.Time, last.Time, q) {
						return false, nil
					}
					hits[id]++
					return true, nil
				})
				if err != nil {
					return err
				}
			}
			if len(hits) == 0 {
				return nil
			}
			ids := make([]int64, 0, len(hits))
			for id := range hits {
				ids = append(ids, id)
			}
			if q.Limit > 0 && len(ids) > q.Limit {
				slices.SortFunc(ids, func(a, b int64) int {
					if c := cmp.Compare(hits[b], hits[a]); c != 0 {
						return c
					}
					return cmp.Compare(b, a)
				})
				ids = ids[:q.Limit]
			}
			var err error
			out, err = clusters(ctx, db, x.sql.ClustersByID, x.ids(ids))
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	return out, nil
}

// Cluster implements dedup.Index.
func (x *DedupIndex) Cluster(ctx context.Context, id int64) (dedup.Cluster, error) {
	c, err := scanCluster(x.reader(ctx).QueryRow(ctx, x.sql.Cluster, id))
	if err != nil {
		return dedup.Cluster{}, fmt.Errorf("dedup cluster %d: %w", id, x.translate(err))
	}
	return c, nil
}

// PutCluster implements dedup.Index, in one transaction, which takes a
// generation (dedup.Shared) and stamps it on the stored row, or on the
// drop of a deleted one. Keys are stored sorted and without repeats.
// Filings under keys c keeps stay in place; new keys file c as the most
// recent story under them. Only the filings of keys that changed are
// written: a story gaining an article usually keeps most. Concurrent calls
// cannot change the stored keys in between, as the generation serialises
// every writer of stories.
func (x *DedupIndex) PutCluster(ctx context.Context, c dedup.Cluster) error {
	err := x.write(ctx, func(db Querier) error {
		gen, err := x.txGen(ctx, db)
		if err != nil {
			return err
		}
		if c.Size <= 0 {
			for _, query := range x.sql.DropCluster {
				if _, err := db.Exec(ctx, query, c.ID, gen); err != nil {
					return err
				}
			}
			return nil
		}
		var old []uint64
		if x.sql.ClusterKeys != "" {
			var blob []byte
			err := db.QueryRow(ctx, x.sql.ClusterKeys, c.ID).Scan(&blob)
			if err != nil && !errors.Is(err, ErrNoRows) {
				return err
			}
			if blob != nil {
				if old, err = dedup.DecodeKeys(blob); err != nil {
					return fmt.Errorf("stored keys: %w", err)
				}
			}
		}
		keys := distinctKeys(c.Keys)
		if _, err := db.Exec(ctx, x.sql.PutCluster, c.ID, c.Size, x.dialect.Time(c.First), x.dialect.Time(c.Last),
			dedup.EncodeVector(c.Centroid), dedup.EncodeKeys(keys), gen, x.keys(keys)); err != nil {
			return err
		}
		if x.sql.ClusterKeys == "" {
			return nil // PutCluster refiled it
		}
		removed, added := dedup.KeysDiff(old, keys)
		if len(removed) > 0 {
			if _, err := db.Exec(ctx, x.sql.UnfileCluster, c.ID, x.keys(removed)); err != nil {
				return err
			}
		}
		if len(added) > 0 {
			first, err := x.fileSeqs(ctx, db, len(added))
			if err != nil {
				return err
			}
			if _, err := db.Exec(ctx, x.sql.FileCluster, c.ID, first, x.keys(added)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup cluster %d: %w", c.ID, x.translate(err))
	}
	return nil
}

// StoriesChanged implements dedup.Shared, in one snapshot; a batch's,
// having taken its generation, sees no writer between.
func (x *DedupIndex) StoriesChanged(ctx context.Context, after, before int64) ([]dedup.Cluster, []int64, error) {
	var (
		stored  []dedup.Cluster
		deleted []int64
	)
	err := x.read(ctx, func(db Querier) error {
		var pruned int64
		if err := db.QueryRow(ctx, dropsPruned).Scan(&pruned); err != nil {
			return err
		}
		if after < pruned {
			return fmt.Errorf("after generation %d, up to %d: %w", after, pruned, dedup.ErrChangesPruned)
		}
		var err error
		if stored, err = clusters(ctx, db, x.sql.ChangedStories, after, before); err != nil {
			return err
		}
		rows, err := db.Query(ctx, x.sql.DroppedStories, after, before)
		deleted, err = Collect(rows, err, scanID)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	return stored, deleted, nil
}

// PruneChanges implements dedup.Shared, in one transaction.
func (x *DedupIndex) PruneChanges(ctx context.Context, before int64) error {
	err := x.write(ctx, func(db Querier) error {
		if _, err := db.Exec(ctx, x.sql.PruneDrops, before); err != nil {
			return err
		}
		_, err := db.Exec(ctx, x.sql.RaisePruned, before-1)
		return err
	})
	if err != nil {
		return fmt.Errorf("dedup prune changes: %w", x.translate(err))
	}
	return nil
}

// RecentStories implements dedup.Shared, in one snapshot: within a batch
// that holds its generation, no other writer of stories commits in
// between.
func (x *DedupIndex) RecentStories(ctx context.Context, since time.Time) ([]dedup.Cluster, []dedup.Filing, error) {
	var (
		stories []dedup.Cluster
		filings []dedup.Filing
	)
	err := x.read(ctx, func(db Querier) error {
		var err error
		if stories, err = clusters(ctx, db, x.sql.RecentStories, x.dialect.Time(since)); err != nil {
			return err
		}
		rows, err := db.Query(ctx, x.sql.RecentFilings, x.dialect.Time(since))
		filings, err = Collect(rows, err, func(row Row) (dedup.Filing, error) {
			var (
				key int64
				f   dedup.Filing
			)
			err := row.Scan(&key, &f.Story)
			f.Key = uint64(key)
			return f, err
		})
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("dedup recent stories: %w", err)
	}
	return stories, filings, nil
}

// Entries implements dedup.Shared.
func (x *DedupIndex) Entries(ctx context.Context, ids []int64) ([]dedup.Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := entries(ctx, x.reader(ctx), x.sql.Entries, x.ids(ids))
	if err != nil {
		return nil, fmt.Errorf("dedup entries: %w", err)
	}
	return out, nil
}

// Postings implements dedup.Shared. Rows are sorted here, so that the
// order asked for does not lead the planner to walk the whole table in
// seq order rather than an index.
func (x *DedupIndex) Postings(ctx context.Context, since time.Time, after int64) ([]dedup.Posted, error) {
	query, args := x.sql.Postings, []any{x.dialect.Time(since)}
	if after > 0 {
		query, args = x.sql.PostingsAfter, append(args, after)
	}
	rows, err := x.reader(ctx).Query(ctx, query, args...)
	out, err := Collect(rows, err, func(row Row) (dedup.Posted, error) {
		var (
			p    dedup.Posted
			pub  Time
			blob []byte
		)
		if err := row.Scan(&p.Seq, &p.ID, &pub, &blob); err != nil {
			return p, err
		}
		p.Published = pub.Time
		var err error
		if p.Keys, err = dedup.DecodeKeys(blob); err != nil {
			return p, fmt.Errorf("entry %d keys: %w", p.ID, err)
		}
		return p, nil
	})
	if err != nil {
		return nil, fmt.Errorf("dedup postings: %w", err)
	}
	slices.SortFunc(out, func(a, b dedup.Posted) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// LatestStory implements dedup.Shared.
func (x *DedupIndex) LatestStory(ctx context.Context) (time.Time, error) {
	var last Time // NULL without stories: the zero time
	if err := x.reader(ctx).QueryRow(ctx, latestStory).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("dedup latest story: %w", err)
	}
	return last.Time, nil
}

// DocFreq implements dedup.Index, reading the count and the terms in one
// statement and so one snapshot.
func (x *DedupIndex) DocFreq(ctx context.Context, terms []uint64) (int64, []int64, error) {
	var docs int64
	found := make(map[uint64]int64, len(terms))
	rows, err := x.reader(ctx).Query(ctx, x.sql.DocFreq, x.keys(terms))
	_, err = Collect(rows, err, func(row Row) (struct{}, error) {
		var (
			term *int64
			n    int64
		)
		if err := row.Scan(&term, &n); err != nil {
			return struct{}{}, err
		}
		if term != nil {
			found[uint64(*term)] = n
		} else {
			docs = n
		}
		return struct{}{}, nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
	}
	df := make([]int64, len(terms))
	for i, t := range terms {
		df[i] = found[t]
	}
	return docs, df, nil
}

// AddDocFreq implements dedup.Index, in one transaction, which takes a
// generation. A term repeated in terms is counted as often as it appears.
func (x *DedupIndex) AddDocFreq(ctx context.Context, terms []uint64) error {
	counts := make(map[uint64]int64, len(terms))
	for _, t := range terms {
		counts[t]++
	}
	if err := x.addDocFreqs(ctx, 1, counts); err != nil {
		return fmt.Errorf("dedup add doc freq: %w", x.translate(err))
	}
	return nil
}

// AddDocFreqs implements dedup.Shared, as AddDocFreq does. Repeated terms
// add up.
func (x *DedupIndex) AddDocFreqs(ctx context.Context, docs int64, terms []uint64, counts []int64) error {
	if len(terms) != len(counts) {
		return fmt.Errorf("dedup add doc freqs: %d terms, %d counts: %w", len(terms), len(counts), taglines.ErrInvalid)
	}
	if docs == 0 && len(terms) == 0 {
		return nil
	}
	sum := make(map[uint64]int64, len(terms))
	for i, t := range terms {
		sum[t] += counts[i]
	}
	if err := x.addDocFreqs(ctx, docs, sum); err != nil {
		return fmt.Errorf("dedup add doc freqs: %w", x.translate(err))
	}
	return nil
}

// addDocFreqs counts docs more documents and counts[t] more containing
// each t, in one transaction. Concurrent calls queue on the row of the
// document count, which the generation locks first; the terms are
// distinct, as an upsert may touch a row once.
func (x *DedupIndex) addDocFreqs(ctx context.Context, docs int64, counts map[uint64]int64) error {
	return x.write(ctx, func(db Querier) error {
		// The count's row first, through the generation: it orders
		// concurrent calls, so that their upserts below never wait on
		// each other in a cycle.
		if _, err := x.txGen(ctx, db); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, x.sql.AddDocs, docs); err != nil {
			return err
		}
		if len(counts) == 0 {
			return nil
		}
		if x.sql.AddTermCounts != "" {
			terms := make([]int64, 0, len(counts))
			ns := make([]int64, 0, len(counts))
			for t, n := range counts {
				terms = append(terms, int64(t))
				ns = append(ns, n)
			}
			_, err := db.Exec(ctx, x.sql.AddTermCounts, x.ids(terms), x.ids(ns))
			return err
		}
		// One statement per distinct count: a batch has a few dozen counts
		// at most.
		byCount := map[int64][]int64{}
		for t, n := range counts {
			byCount[n] = append(byCount[n], int64(t))
		}
		for n, terms := range byCount {
			if _, err := db.Exec(ctx, x.sql.AddTerms, n, x.ids(terms)); err != nil {
				return err
			}
		}
		return nil
	})
}
