package sqldb

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

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
	// Read runs fn on a Querier whose statements see one snapshot.
	Read(ctx context.Context, fn func(Querier) error) error
	// Write runs fn in a write transaction, committed if fn returns nil.
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
// Where a strategy depends on what the database can do in one statement,
// two are offered: the field that selects the per-key one is named.
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

// DedupMaxScan bounds the postings read per key and query, as in MemIndex,
// so that a key shared by very many entries or stories costs a bounded
// amount: only the most recently stored ones are considered.
const DedupMaxScan = 1024

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
		dupOf                     *int64
		sig, words, vec, keysBlob []byte
	)
	if err := row.Scan(&e.ID, &pub, &dupOf, &e.Cluster, &e.Shingles, &sig, &words, &vec, &keysBlob, &e.Pinned); err != nil {
		return dedup.Entry{}, err
	}
	e.Published = pub.Time
	if dupOf != nil {
		e.DuplicateOf = *dupOf
	}
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
