package sqldb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

// DedupIndex is the dedup index kept in a database's dedup_* tables:
// dedup.Index, dedup.Batcher and dedup.Shared written once over the
// transactions (DedupDB) and the SQL text (DedupSQL) of one database. It is
// safe for concurrent use if its DedupDB is. Construct it with
// NewDedupIndex; the zero value is not usable.
//
// Entries and clusters are not tied to articles. Times keep microseconds
// and come back in UTC. An entry is filed once under each distinct key it
// has.
type DedupIndex struct {
	db      DedupDB
	sql     DedupSQL
	dialect Dialect
	// noLimit is the LIMIT argument that sets no limit.
	noLimit   any
	translate func(error) error
}

var (
	_ dedup.Index   = (*DedupIndex)(nil)
	_ dedup.Batcher = (*DedupIndex)(nil)
	_ dedup.Shared  = (*DedupIndex)(nil)
)

// DedupDB is how a DedupIndex reaches its database outside a batch; within
// one, every statement runs on the Querier the batch's Write gave.
type DedupDB interface {
	// Reader is what a read of one statement runs on.
	Reader() Querier
	// Read runs fn on a Querier for several reads, in a transaction of
	// its own: one snapshot where the database's transactions give one
	// (SQLite's do, PostgreSQL's READ COMMITTED ones do not).
	Read(ctx context.Context, fn func(Querier) error) error
	// Write runs fn in a write transaction, committed if fn returns nil;
	// a batch is one such transaction.
	Write(ctx context.Context, fn func(Querier) error) error
	// WriteOne runs fn, which runs one statement, so that the statement
	// applies atomically: where one statement is (PostgreSQL) fn may run
	// on the pool; where writes must share one connection (SQLite), in a
	// write transaction.
	WriteOne(ctx context.Context, fn func(Querier) error) error
}

// DedupConfig is what NewDedupIndex needs of a database.
type DedupConfig struct {
	DB  DedupDB
	SQL DedupSQL
	// Dialect encodes times and ID lists (keys are passed as int64 with
	// the same bits).
	Dialect Dialect
	// NoLimit is the LIMIT argument that sets no limit: -1 in SQLite, NULL
	// in PostgreSQL.
	NoLimit any
	// Translate maps driver errors to the taglines sentinels (a missing
	// row to taglines.ErrNotFound).
	Translate func(error) error
}

// DedupSQL is the SQL text of a DedupIndex's statements in one dialect.
// Each field lists the arguments a statement is given, in order; entry
// rows are of DedupEntryColumns, cluster rows of DedupClusterColumns. A
// statement may leave a trailing argument unused only where its driver
// allows it (SQLite's does, pgx does not).
//
// Where what one statement can do differs by database, two strategies are
// offered: one statement, or the index working key by key (or diffing
// filings) in Go, which setting the field named selects.
type DedupSQL struct {
	// Candidates: (keys, since, until or NULL, per key, max scan); the
	// entries of each key's max-scan newest postings, at most per-key of
	// them in [since, until]. Ignored if CandidatePostings is set.
	Candidates string
	// CandidatePostings, if set, is run per key instead of Candidates:
	// (key, max scan); (seq, published) of its newest postings, newest
	// first. EntriesBySeq: (seqs); their entries.
	CandidatePostings, EntriesBySeq string

	// Entry: (article ID); its entry.
	Entry string
	// Versions: (root); the entries whose duplicate_of is root.
	Versions string
	// Relabel: (from, to); sets cluster_id from → to, returning the
	// entries changed.
	Relabel string
	// Window: (since, until or NULL, limit or NoLimit); entries published
	// in [since, until], the latest published first, then the latest
	// stored.
	Window string

	// InsertEntry: (ID, published, duplicate_of or NULL, cluster,
	// shingles, signature, title words, vector, keys blob, pinned,
	// distinct keys); its seq, or no row if the ID is stored.
	// InsertPostings, if set, then files the new entry: (seq, published,
	// distinct keys); if not, InsertEntry did.
	InsertEntry, InsertPostings string
	// StoredEntry: (ID); (seq, published, keys blob) of a stored entry,
	// locked until the transaction ends where rows lock.
	StoredEntry string
	// UpdateEntry: (ID, published, duplicate_of or NULL, cluster,
	// shingles, signature, title words, vector, pinned, seq).
	UpdateEntry string
	// Republish: (distinct keys, seq, published); moves the entry's
	// postings to its new publication time.
	Republish string

	// Stories: (keys, since, until or NULL, per key, limit or NoLimit, max
	// scan); of the clusters overlapping [since, until] among each key's
	// max-scan newest filings, at most per key, the limit found by most
	// keys, the highest IDs first among equals. Ignored if StoryFilings is
	// set.
	Stories string
	// StoryFilings, if set, is run per key instead of Stories: (key, max
	// scan); (cluster ID, first, last) of its newest filings, newest first.
	// ClustersByID: (IDs); their clusters.
	StoryFilings, ClustersByID string
	// Cluster: (ID); its cluster.
	Cluster string
	// DropCluster, run in order: (ID, generation); delete the cluster and
	// its filings and, if it was stored, record its drop.
	DropCluster []string
	// PutCluster: (ID, size, first, last, centroid, keys blob, generation,
	// distinct keys); upserts the cluster and, unless ClusterKeys is set,
	// refiles it under the keys, keeping the filings of kept keys.
	PutCluster string
	// ClusterKeys, if set, makes the index refile a cluster itself,
	// writing only the filings that change: (ID); its keys blob.
	// UnfileCluster: (ID, keys); FileCluster: (ID, first seq, keys), the
	// key at index i filed with seq first+i.
	ClusterKeys, UnfileCluster, FileCluster string

	// ChangedStories: (after, before); clusters of a generation in
	// (after, before). DroppedStories: the same for drops, their IDs.
	ChangedStories, DroppedStories string
	// PruneDrops: (before); RaisePruned: (before-1), recording the drops
	// forgotten.
	PruneDrops, RaisePruned string
	// RecentStories: (since); clusters whose last is at or after since.
	// RecentFilings: (since); (key, cluster ID) of their filings, oldest
	// first.
	RecentStories, RecentFilings string
	// Entries: (IDs); their entries.
	Entries string
	// Postings: (since); PostingsAfter: (since, seq); (seq, ID,
	// published, keys blob) of entries published at or after since, in
	// any order.
	Postings, PostingsAfter string

	// DocFreq: (terms); the document count with a NULL term, then (term,
	// docs) for each stored term.
	DocFreq string
	// AddDocs: (n); adds n to the document count.
	AddDocs string
	// AddTermCounts: (distinct terms, counts); adds counts. If empty,
	// AddTerms: (count, distinct terms), run once per distinct count.
	AddTermCounts, AddTerms string
}

// DedupEntryColumns are the columns of an entry row, in the order it is
// scanned.
const DedupEntryColumns = `article_id, published, duplicate_of, cluster_id, shingles, signature, title_words, vector, keys, pinned`

// DedupClusterColumns are the columns of a cluster row, in the order it is
// scanned.
const DedupClusterColumns = `id, size, first_at, last_at, centroid, keys`

// The statements that read the same in both dialects: no placeholders.
const (
	nextGeneration = `UPDATE dedup_doc_count SET generation = generation + 1 RETURNING generation`
	dropsPruned    = `SELECT drops_pruned FROM dedup_doc_count`
	latestStory    = `SELECT max(last_at) FROM dedup_clusters`
)

// dedupMaxScan bounds the postings read per key and query, as in MemIndex,
// so that a key shared by very many entries or stories costs a bounded
// amount: only the most recently stored ones are considered.
const dedupMaxScan = 1024

// NewDedupIndex returns the index over c.
func NewDedupIndex(c DedupConfig) *DedupIndex {
	return &DedupIndex{db: c.DB, sql: c.SQL, dialect: c.Dialect, noLimit: c.NoLimit, translate: c.Translate}
}

// dedupBatch is a batch's transaction, its generation, 0 until taken
// (the counter's first is 1), and the filings it numbered (fileSeqs).
// Like the transaction, it is used by one goroutine at a time.
type dedupBatch struct {
	q     Querier
	gen   int64
	filed int64
}

// dedupBatchKey carries a batch's *dedupBatch in its context.
type dedupBatchKey struct{ x *DedupIndex }

// batch returns the batch ctx belongs to, or nil.
func (x *DedupIndex) batch(ctx context.Context) *dedupBatch {
	b, _ := ctx.Value(dedupBatchKey{x}).(*dedupBatch)
	return b
}

// reader is what one read statement runs on: the batch's transaction or
// the database's reader.
func (x *DedupIndex) reader(ctx context.Context) Querier {
	if b := x.batch(ctx); b != nil {
		return b.q
	}
	return x.db.Reader()
}

// read runs fn on one snapshot, or in the batch's transaction.
func (x *DedupIndex) read(ctx context.Context, fn func(Querier) error) error {
	if b := x.batch(ctx); b != nil {
		return fn(b.q)
	}
	return x.db.Read(ctx, fn)
}

// write runs fn in a write transaction of its own, or in the batch's: a
// failure there fails the whole batch, which rolls back.
func (x *DedupIndex) write(ctx context.Context, fn func(Querier) error) error {
	if b := x.batch(ctx); b != nil {
		return fn(b.q)
	}
	return x.db.Write(ctx, fn)
}

// writeOne is write for fn running one statement.
func (x *DedupIndex) writeOne(ctx context.Context, fn func(Querier) error) error {
	if b := x.batch(ctx); b != nil {
		return fn(b.q)
	}
	return x.db.WriteOne(ctx, fn)
}

// Batch implements dedup.Batcher: every call fn makes with the context it
// is given runs in one write transaction, reads included, so that later
// calls see what earlier ones wrote, and commits once. Without it each
// decision committed its writes (a WAL flush) several times.
func (x *DedupIndex) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if x.batch(ctx) != nil {
		return fn(ctx)
	}
	return x.db.Write(ctx, func(q Querier) error {
		return fn(context.WithValue(ctx, dedupBatchKey{x}, &dedupBatch{q: q}))
	})
}

// txGen returns the generation of q, a write transaction: the batch's,
// taken on its first use, or outside a batch a new one. Where rows lock,
// taking one locks the counter's row until the transaction ends, so that
// writers that take one run one at a time and commit in generation order;
// callers take it before their other writes, which keeps one lock order
// (the count's row first).
func (x *DedupIndex) txGen(ctx context.Context, q Querier) (int64, error) {
	b := x.batch(ctx)
	if b != nil && b.gen != 0 {
		return b.gen, nil
	}
	var gen int64
	if err := q.QueryRow(ctx, nextGeneration).Scan(&gen); err != nil {
		return 0, fmt.Errorf("generation: %w", err)
	}
	if b != nil {
		b.gen = gen
	}
	return gen, nil
}

// filingBits is how many filings one transaction numbers at most, in
// bits: a batch files at most a few thousand, and 2^39 generations last.
const filingBits = 24

// fileSeqs returns the first of n sequence numbers for filings made in
// q: its generation times 2^filingBits, plus the filings the transaction
// already numbered. Generations increase in commit order, so filings sort
// in the order they were made.
func (x *DedupIndex) fileSeqs(ctx context.Context, q Querier, n int) (int64, error) {
	gen, err := x.txGen(ctx, q)
	if err != nil {
		return 0, err
	}
	var done int64 // a write of its own numbers from 0
	if b := x.batch(ctx); b != nil {
		done = b.filed
		b.filed += int64(n)
	}
	if done+int64(n) > 1<<filingBits || gen > math.MaxInt64>>filingBits {
		return 0, fmt.Errorf("filing numbers exhausted: generation %d, %d filings in one transaction", gen, done+int64(n))
	}
	return gen<<filingBits | done, nil
}

// Generation implements dedup.Shared.
func (x *DedupIndex) Generation(ctx context.Context) (int64, error) {
	var gen int64
	err := x.write(ctx, func(q Querier) error {
		var err error
		gen, err = x.txGen(ctx, q)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("dedup: %w", x.translate(err))
	}
	return gen, nil
}

// ids encodes ids for one placeholder.
func (x *DedupIndex) ids(ids []int64) any { return x.dialect.IDs(ids) }

// keys encodes keys, as int64 with the same bits, for one placeholder.
func (x *DedupIndex) keys(keys []uint64) any {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return x.dialect.IDs(out)
}

// until is a Query's Until as bound: NULL (no bound) for the zero time.
func (x *DedupIndex) until(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return x.dialect.Time(t)
}

// limit is a Query's Limit as bound.
func (x *DedupIndex) limit(q dedup.Query) any {
	if q.Limit > 0 {
		return q.Limit
	}
	return x.noLimit
}

func perKey(q dedup.Query) int {
	if q.PerKey <= 0 {
		return dedup.DefaultPerKey
	}
	return q.PerKey
}

// root is a DuplicateOf as stored: NULL for 0.
func root(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// distinctKeys returns the distinct values of keys, sorted, in a new slice.
func distinctKeys(keys []uint64) []uint64 {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	return slices.Compact(keys)
}

func scanEntry(row Row) (dedup.Entry, error) {
	var (
		e                         dedup.Entry
		pub                       Time
		dupOf                     nullID
		sig, words, vec, keysBlob []byte
	)
	if err := row.Scan(&e.ID, &pub, &dupOf, &e.Cluster, &e.Shingles, &sig, &words, &vec, &keysBlob, &e.Pinned); err != nil {
		return dedup.Entry{}, err
	}
	e.Published = pub.Time
	e.DuplicateOf = dupOf.id
	var err error
	if e.Signature, err = dedup.DecodeSignature(sig); err != nil {
		return dedup.Entry{}, fmt.Errorf("signature: %w", err)
	}
	if e.TitleWords, err = dedup.DecodeWords(words); err != nil {
		return dedup.Entry{}, fmt.Errorf("title words: %w", err)
	}
	if e.Vector, err = dedup.DecodeVector(vec); err != nil {
		return dedup.Entry{}, fmt.Errorf("vector: %w", err)
	}
	if e.Keys, err = dedup.DecodeKeys(keysBlob); err != nil {
		return dedup.Entry{}, fmt.Errorf("keys: %w", err)
	}
	return e, nil
}

func scanCluster(row Row) (dedup.Cluster, error) {
	var (
		c              dedup.Cluster
		first, last    Time
		centroid, keys []byte
	)
	if err := row.Scan(&c.ID, &c.Size, &first, &last, &centroid, &keys); err != nil {
		return dedup.Cluster{}, err
	}
	c.First, c.Last = first.Time, last.Time
	var err error
	if c.Centroid, err = dedup.DecodeVector(centroid); err != nil {
		return dedup.Cluster{}, fmt.Errorf("centroid: %w", err)
	}
	if c.Keys, err = dedup.DecodeKeys(keys); err != nil {
		return dedup.Cluster{}, fmt.Errorf("keys: %w", err)
	}
	return c, nil
}

// nullID scans a bigint that may be NULL, which leaves 0. It spares the
// allocation database/sql makes for a **int64 destination.
type nullID struct {
	id    int64
	valid bool
}

// Scan implements sql.Scanner, which both drivers honour.
func (n *nullID) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n = nullID{}
	case int64:
		*n = nullID{v, true}
	default:
		return fmt.Errorf("sqldb: cannot scan %T as an ID", src)
	}
	return nil
}

func scanID(row Row) (int64, error) {
	var id int64
	err := row.Scan(&id)
	return id, err
}

// entries runs query on q and returns the entries it selects.
func entries(ctx context.Context, q Querier, query string, args ...any) ([]dedup.Entry, error) {
	rows, err := q.Query(ctx, query, args...)
	return Collect(rows, err, scanEntry)
}

// clusters runs query on q and returns the clusters it selects.
func clusters(ctx context.Context, q Querier, query string, args ...any) ([]dedup.Cluster, error) {
	rows, err := q.Query(ctx, query, args...)
	return Collect(rows, err, scanCluster)
}

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
			x.keys(q.Keys), x.dialect.Time(q.Since), x.until(q.Until), perKey(q), dedupMaxScan)
	} else {
		w := microBounds(q)
		err = x.read(ctx, func(db Querier) error {
			var (
				seqs []uint64
				seq  int64
				pub  Time
			)
			err := scanNewest(ctx, db, x.sql.CandidatePostings, q.Keys, perKey(q), []any{&seq, &pub}, func() bool {
				if !inWindow(pub.Time, pub.Time, w) {
					return false
				}
				seqs = append(seqs, uint64(seq))
				return true
			})
			if err != nil {
				return err
			}
			if len(seqs) == 0 {
				return nil
			}
			out, err = entries(ctx, db, x.sql.EntriesBySeq, x.keys(distinctKeys(seqs)))
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	return out, nil
}

// scanNewest runs query, which selects the newest rows filed under a
// key, with each of keys and dedupMaxScan, scanning each row into dest
// and counting it if counts returns true, until it has counted n of the
// key's. The destinations and arguments are reused: a look-up reads
// thousands of rows, and allocating each row's was a tenth of the cost.
func scanNewest(ctx context.Context, db Querier, query string, keys []uint64, n int, dest []any, counts func() bool) error {
	args := []any{nil, dedupMaxScan}
	for _, k := range keys {
		args[0] = int64(k)
		rows, err := db.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		for counted := 0; counted < n && rows.Next(); {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			if counts() {
				counted++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// microBounds returns q with Since and Until truncated to the
// microsecond, as the database compares them with the times it stores.
func microBounds(q dedup.Query) dedup.Query {
	q.Since, q.Until = q.Since.Truncate(time.Microsecond), q.Until.Truncate(time.Microsecond)
	return q
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
			x.keys(q.Keys), x.dialect.Time(q.Since), x.until(q.Until), perKey(q), x.limit(q), dedupMaxScan)
	} else {
		w := microBounds(q)
		err = x.read(ctx, func(db Querier) error {
			var (
				hits        = make(map[int64]int)
				id          int64
				first, last Time
			)
			err := scanNewest(ctx, db, x.sql.StoryFilings, q.Keys, perKey(q), []any{&id, &first, &last}, func() bool {
				if !inWindow(first.Time, last.Time, w) {
					return false
				}
				hits[id]++
				return true
			})
			if err != nil {
				return err
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
	rows, err := x.reader(ctx).Query(ctx, x.sql.DocFreq, x.keys(terms))
	if err != nil {
		return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
	}
	defer rows.Close()
	var (
		docs, n int64
		term    nullID
		found   = make(map[uint64]int64, len(terms))
		dest    = []any{&term, &n} // one for all rows
	)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
		}
		if term.valid {
			found[uint64(term.id)] = n
		} else {
			docs = n
		}
	}
	if err := rows.Err(); err != nil {
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
