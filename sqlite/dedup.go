package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

// DedupIndex returns the dedup index kept in the store's database, in the
// dedup_* tables. It is safe for concurrent use, and writes go through the
// store's write connection like every other write; several processes
// sharing the file must still serialise their Dedupers (see dedup.Deduper).
// The index lives as long as the Store: do not use it after Close. Each
// call returns a new index with statements of its own, prepared on first
// use: keep one.
//
// Entries and clusters are not tied to articles: the Deduper may index an
// article before its row exists, and deleting an article leaves its entry.
// Times keep microseconds, as elsewhere in the store, and come back in UTC.
// An entry is filed once under each distinct key it has.
func (s *Store) DedupIndex() dedup.Index { return &dedupIndex{s: s} }

// dedupIndex implements dedup.Index on a Store.
type dedupIndex struct {
	s      *Store
	mu     sync.Mutex // guards stmts and wanted
	stmts  map[stmtKey]*sql.Stmt
	wanted map[string]bool // write statements to prepare after the transaction
}

var (
	_ dedup.Index   = (*dedupIndex)(nil)
	_ dedup.Batcher = (*dedupIndex)(nil)
	_ dedup.Shared  = (*dedupIndex)(nil)
)

// dedupMaxScan bounds the postings read per key and query, as in MemIndex,
// so that a key shared by very many entries or stories costs a bounded
// amount: only the most recently stored ones are considered.
const dedupMaxScan = 1024

// dedupEntryColumns are the columns scanDedupEntry reads, in order.
const dedupEntryColumns = `article_id, published, duplicate_of, cluster_id, shingles, signature, title_words, vector, keys, pinned`

type dedupScanner interface{ Scan(dest ...any) error }

func scanDedupEntry(row dedupScanner) (dedup.Entry, error) {
	var (
		e                         dedup.Entry
		pub                       int64
		dupOf                     sql.NullInt64
		sig, words, vec, keysBlob []byte
	)
	if err := row.Scan(&e.ID, &pub, &dupOf, &e.Cluster, &e.Shingles, &sig, &words, &vec, &keysBlob, &e.Pinned); err != nil {
		return dedup.Entry{}, err
	}
	e.Published = time.UnixMicro(pub).UTC()
	e.DuplicateOf = dupOf.Int64
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

// collectEntries scans the entries rows selects, and closes it.
func collectEntries(rows *sql.Rows) ([]dedup.Entry, error) {
	defer rows.Close()
	var out []dedup.Entry
	for rows.Next() {
		e, err := scanDedupEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// dedupRoot is id as stored: NULL for 0.
func dedupRoot(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// dedupUntil is a Query's Until as bound: NULL (no bound) for the zero time.
func dedupUntil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func dedupPerKey(q dedup.Query) int {
	if q.PerKey <= 0 {
		return dedup.DefaultPerKey
	}
	return q.PerKey
}

// Candidates implements dedup.Index. It reads each key's newest postings
// in turn, stopping at the PerKey-th in the window, then the entries, in
// one read transaction.
func (x *dedupIndex) Candidates(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	const postingsQuery = `SELECT seq, published FROM dedup_keys WHERE key = ? ORDER BY seq DESC LIMIT ?`
	const getQuery = `SELECT ` + dedupEntryColumns + ` FROM dedup_entries WHERE seq IN (SELECT value FROM json_each(?))`
	var out []dedup.Entry
	err := x.readWith(ctx, postingsQuery, getQuery, func(postings, get *sql.Stmt) error {
		var seqs []uint64
		for _, k := range q.Keys {
			err := scanNewest(ctx, postings, k, dedupPerKey(q), func(rows *sql.Rows) (bool, error) {
				var seq, pub int64
				if err := rows.Scan(&seq, &pub); err != nil {
					return false, err
				}
				if !inWindow(pub, pub, q) {
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
		rows, err := get.QueryContext(ctx, keysJSON(distinctKeys(seqs)))
		if err != nil {
			return err
		}
		out, err = collectEntries(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	return out, nil
}

// scanNewest runs query, which selects the newest rows filed under key,
// with key and dedupMaxScan, and passes the rows to fn until it has
// counted n of them (fn returns true for a row it counts).
func scanNewest(ctx context.Context, query *sql.Stmt, key uint64, n int, fn func(*sql.Rows) (bool, error)) error {
	rows, err := query.QueryContext(ctx, int64(key), dedupMaxScan)
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

// inWindow reports whether [first, last], in microseconds, overlaps the
// query's [Since, Until].
func inWindow(first, last int64, q dedup.Query) bool {
	return last >= q.Since.UnixMicro() && (q.Until.IsZero() || first <= q.Until.UnixMicro())
}

// batchKey carries a batch's write transaction in its context.
type batchKey struct{ x *dedupIndex }

// dedupBatch is a batch's write transaction and its generation, 0 until
// taken.
type dedupBatch struct {
	tx    *sql.Tx
	gen   int64
	filed int64 // filings numbered so far (fileSeqs)
}

// batchTx is the write transaction of the batch ctx belongs to, or nil.
func (x *dedupIndex) batchTx(ctx context.Context) *sql.Tx {
	if b, ok := ctx.Value(batchKey{x}).(*dedupBatch); ok {
		return b.tx
	}
	return nil
}

// txGen returns the generation of tx, a write transaction: the batch's,
// taken on first use, or a new one for a transaction of its own.
func (x *dedupIndex) txGen(ctx context.Context, tx *sql.Tx) (int64, error) {
	b, _ := ctx.Value(batchKey{x}).(*dedupBatch)
	if b != nil && b.gen != 0 {
		return b.gen, nil
	}
	var gen int64
	if err := x.queryRow(ctx, tx, `UPDATE dedup_doc_count SET generation = generation + 1 RETURNING generation`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("generation: %w", err)
	}
	if b != nil {
		b.gen = gen
	}
	return gen, nil
}

// fileSeqs returns the first of n sequence numbers for filings made in
// tx: its generation times 2^filingBits, plus the filings the transaction
// already numbered. Generations increase in commit order, so filings sort
// in the order they were made.
func (x *dedupIndex) fileSeqs(ctx context.Context, tx *sql.Tx, n int) (int64, error) {
	gen, err := x.txGen(ctx, tx)
	if err != nil {
		return 0, err
	}
	var done int64 // a write of its own numbers from 0
	if b, ok := ctx.Value(batchKey{x}).(*dedupBatch); ok {
		done = b.filed
		b.filed += int64(n)
	}
	if done+int64(n) > 1<<filingBits || gen > math.MaxInt64>>filingBits {
		return 0, fmt.Errorf("filing numbers exhausted: generation %d, %d filings in one transaction", gen, done+int64(n))
	}
	return gen<<filingBits | done, nil
}

// filingBits is how many filings one transaction numbers at most, in
// bits: a batch files at most a few thousand, and 2^39 generations last.
const filingBits = 24

// Batch implements dedup.Batcher: every call fn makes with the context it
// is given runs in one write transaction, reads included, so that later
// calls see what earlier ones wrote, and commits once. The Store's other
// writers wait meanwhile, as for any write.
func (x *dedupIndex) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if x.batchTx(ctx) != nil {
		return fn(ctx)
	}
	return x.write(ctx, func(tx *sql.Tx) error {
		return fn(context.WithValue(ctx, batchKey{x}, &dedupBatch{tx: tx}))
	})
}

// bind returns the statement of query for tx: the read pool's prepared
// statement bound to tx, or, within a batch, one prepared on the batch's
// transaction (the pool's statements belong to another database handle).
func (x *dedupIndex) bind(ctx context.Context, tx *sql.Tx, pooled *sql.Stmt, query string) (*sql.Stmt, error) {
	if x.batchTx(ctx) != nil {
		// The batch runs on the write connection: its statement, once the
		// first batch that wanted it has prepared it (preparing at every
		// call was a tenth of the index's time).
		if st := x.prepared(query); st != nil {
			return tx.StmtContext(ctx, st), nil
		}
		return tx.PrepareContext(ctx, query)
	}
	return tx.StmtContext(ctx, pooled), nil
}

// readWith runs fn with the statements of a look-up and a fetch query in
// one read snapshot (read), prepared once: on the read pool before the
// transaction takes a connection of it, or, within a batch, on the
// write connection (bind).
func (x *dedupIndex) readWith(ctx context.Context, lookup, fetch string, fn func(lookup, fetch *sql.Stmt) error) error {
	var pooledLookup, pooledFetch *sql.Stmt
	if x.batchTx(ctx) == nil {
		var err error
		if pooledLookup, err = x.stmt(ctx, x.s.r, lookup); err != nil {
			return err
		}
		if pooledFetch, err = x.stmt(ctx, x.s.r, fetch); err != nil {
			return err
		}
	}
	return x.read(ctx, func(tx *sql.Tx) error {
		l, err := x.bind(ctx, tx, pooledLookup, lookup)
		if err != nil {
			return err
		}
		f, err := x.bind(ctx, tx, pooledFetch, fetch)
		if err != nil {
			return err
		}
		return fn(l, f)
	})
}

// read runs fn in a transaction on a read connection, so that its
// statements see one snapshot; within a batch, in the batch's transaction.
func (x *dedupIndex) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if tx := x.batchTx(ctx); tx != nil {
		return fn(tx)
	}
	tx, err := x.s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// stmt returns query prepared on db, preparing it on first use. Prepared
// statements spare SQLite parsing the index's queries on every call; they
// end with the Store's connections.
func (x *dedupIndex) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	x.mu.Lock()
	st := x.stmts[k]
	x.mu.Unlock()
	if st != nil {
		return st, nil
	}
	// Not under mu: preparing waits for a connection, which a transaction
	// that needs mu may hold.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if prev := x.stmts[k]; prev != nil {
		_ = st.Close()
		return prev, nil
	}
	if x.stmts == nil {
		x.stmts = make(map[stmtKey]*sql.Stmt)
	}
	x.stmts[k] = st
	return st, nil
}

// exec runs query in tx, a write transaction, through its prepared
// statement if there is one. It never prepares one: that needs the write
// connection, which tx holds; write prepares it after the transaction.
func (x *dedupIndex) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := x.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// queryRow is exec for a query returning a row.
func (x *dedupIndex) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := x.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// queryRows is exec for a query returning rows.
func (x *dedupIndex) queryRows(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := x.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// prepared returns the write statement of query, or nil if it is not
// prepared yet, noting that it is wanted.
func (x *dedupIndex) prepared(query string) *sql.Stmt {
	x.mu.Lock()
	defer x.mu.Unlock()
	if st := x.stmts[stmtKey{x.s.w, query}]; st != nil {
		return st
	}
	if x.wanted == nil {
		x.wanted = make(map[string]bool)
	}
	x.wanted[query] = true
	return nil
}

// write runs fn in a write transaction, then prepares the statements fn
// wanted, for the next time.
func (x *dedupIndex) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if tx := x.batchTx(ctx); tx != nil {
		return fn(tx) // the batch commits
	}
	if err := x.s.write(ctx, fn); err != nil {
		return err
	}
	x.mu.Lock()
	wanted := slices.Collect(maps.Keys(x.wanted))
	clear(x.wanted)
	x.mu.Unlock()
	for _, q := range wanted {
		// Preparing only saves parsing next time; the write has committed,
		// so a failure here (a context ending) must not report it failed.
		_, _ = x.stmt(ctx, x.s.w, q)
	}
	return nil
}

// readRow runs query on a read connection through its prepared statement.
func (x *dedupIndex) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if tx := x.batchTx(ctx); tx != nil {
		return x.queryRow(ctx, tx, query, args...)
	}
	st, err := x.stmt(ctx, x.s.r, query)
	if err != nil {
		// Unprepared, the query fails (or works) on its own and reports it
		// in the Row, as the caller expects.
		return x.s.r.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// readRows runs query on a read connection through its prepared statement.
func (x *dedupIndex) readRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx := x.batchTx(ctx); tx != nil {
		return x.queryRows(ctx, tx, query, args...)
	}
	st, err := x.stmt(ctx, x.s.r, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// Entry implements dedup.Index.
func (x *dedupIndex) Entry(ctx context.Context, id int64) (dedup.Entry, error) {
	e, err := scanDedupEntry(x.readRow(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE article_id = ?`, id))
	if err != nil {
		return dedup.Entry{}, fmt.Errorf("dedup entry %d: %w", id, translate(err))
	}
	return e, nil
}

// Versions implements dedup.Index.
func (x *dedupIndex) Versions(ctx context.Context, root int64) ([]dedup.Entry, error) {
	if root == 0 {
		return nil, nil
	}
	rows, err := x.readRows(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE duplicate_of = ?`, root)
	if err != nil {
		return nil, fmt.Errorf("dedup versions of %d: %w", root, err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup versions of %d: %w", root, err)
	}
	return out, nil
}

// Relabel implements dedup.Index, in one write transaction, through the
// index on cluster_id.
func (x *dedupIndex) Relabel(ctx context.Context, from, to int64) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, err)
	}
	if from == to {
		return nil, nil
	}
	var out []dedup.Entry
	err := x.write(ctx, func(tx *sql.Tx) error {
		rows, err := x.queryRows(ctx, tx, `UPDATE dedup_entries SET cluster_id = ? WHERE cluster_id = ? RETURNING `+dedupEntryColumns, to, from)
		if err != nil {
			return err
		}
		out, err = collectEntries(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, translate(err))
	}
	return out, nil
}

// Window implements dedup.Index, scanning the index on published from
// q.Until back; the rowid that ends each index entry breaks ties, newest
// stored first, as in MemIndex.
func (x *dedupIndex) Window(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	limit := -1 // SQLite's "no limit"
	if q.Limit > 0 {
		limit = q.Limit
	}
	// A constant upper bound rather than "? IS NULL OR": SQLite uses only
	// the former to bound its range scan.
	rows, err := x.readRows(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries
		WHERE published >= ? AND published <= coalesce(?, 9223372036854775807)
		ORDER BY published DESC, seq DESC LIMIT ?`,
		q.Since.UnixMicro(), dedupUntil(q.Until), limit)
	if err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	return out, nil
}

// Put implements dedup.Index. A new entry and its postings are stored in
// one transaction; a new entry is inserted without looking it up first,
// as it usually is new.
func (x *dedupIndex) Put(ctx context.Context, e dedup.Entry) error {
	if e.ID <= 0 {
		return fmt.Errorf("dedup entry %d: id must be positive: %w", e.ID, taglines.ErrInvalid)
	}
	pub := e.Published.UnixMicro()
	err := x.write(ctx, func(tx *sql.Tx) error {
		inserted, err := x.insertEntry(ctx, tx, &e, pub)
		if err != nil || inserted {
			return err
		}
		var (
			seq, oldPub int64
			oldKeys     []byte
		)
		if err := x.queryRow(ctx, tx, `SELECT seq, published, keys FROM dedup_entries WHERE article_id = ?`, e.ID).Scan(&seq, &oldPub, &oldKeys); err != nil {
			return err
		}
		keys, err := dedup.DecodeKeys(oldKeys)
		if err != nil {
			return fmt.Errorf("stored keys: %w", err)
		}
		if !slices.Equal(keys, e.Keys) {
			return fmt.Errorf("keys changed: %w", taglines.ErrInvalid)
		}
		if _, err := x.exec(ctx, tx, `UPDATE dedup_entries SET published = ?, duplicate_of = ?, cluster_id = ?, shingles = ?,
			signature = ?, title_words = ?, vector = ?, pinned = ? WHERE seq = ?`,
			pub, dedupRoot(e.DuplicateOf), e.Cluster, e.Shingles,
			dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), e.Pinned, seq); err != nil {
			return err
		}
		if pub != oldPub {
			for _, k := range distinctKeys(e.Keys) {
				if _, err := x.exec(ctx, tx, `UPDATE dedup_keys SET published = ? WHERE key = ? AND seq = ?`, pub, int64(k), seq); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup entry %d: %w", e.ID, translate(err))
	}
	return nil
}

// insertEntry stores e and its postings unless an entry of its ID is
// stored, and reports whether it did. A new entry takes a generation: a
// Cache on another process reads the entries stored since (Postings).
func (x *dedupIndex) insertEntry(ctx context.Context, tx *sql.Tx, e *dedup.Entry, pub int64) (bool, error) {
	res, err := x.exec(ctx, tx, `INSERT INTO dedup_entries (article_id, published, duplicate_of, cluster_id, shingles,
		signature, title_words, vector, keys, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO NOTHING`,
		e.ID, pub, dedupRoot(e.DuplicateOf), e.Cluster, e.Shingles,
		dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), dedup.EncodeKeys(e.Keys), e.Pinned)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	seq, err := res.LastInsertId()
	if err != nil {
		return false, err
	}
	if _, err := x.txGen(ctx, tx); err != nil {
		return false, err
	}
	keys := distinctKeys(e.Keys)
	if len(keys) == 0 {
		return true, nil
	}
	_, err = x.exec(ctx, tx, `INSERT INTO dedup_keys (key, seq, published) SELECT value, ?, ? FROM json_each(?)`,
		seq, pub, keysJSON(keys))
	return true, err
}

// distinctKeys returns the distinct values of keys, sorted, in a new slice.
func distinctKeys(keys []uint64) []uint64 {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	return slices.Compact(keys)
}

// keysJSON returns vs, as int64 with the same bits, as a JSON array for
// json_each: one bound value however many there are.
func keysJSON[T int64 | uint64](vs []T) string {
	b := make([]byte, 0, 2+21*len(vs))
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return string(append(b, ']'))
}

// dedupClusterColumns are the columns scanDedupCluster reads, in order.
const dedupClusterColumns = `id, size, first_at, last_at, centroid, keys`

func scanDedupCluster(row dedupScanner) (dedup.Cluster, error) {
	var (
		c              dedup.Cluster
		first, last    int64
		centroid, keys []byte
	)
	if err := row.Scan(&c.ID, &c.Size, &first, &last, &centroid, &keys); err != nil {
		return dedup.Cluster{}, err
	}
	c.First, c.Last = time.UnixMicro(first).UTC(), time.UnixMicro(last).UTC()
	var err error
	if c.Centroid, err = dedup.DecodeVector(centroid); err != nil {
		return dedup.Cluster{}, fmt.Errorf("centroid: %w", err)
	}
	if c.Keys, err = dedup.DecodeKeys(keys); err != nil {
		return dedup.Cluster{}, fmt.Errorf("keys: %w", err)
	}
	return c, nil
}

// Stories implements dedup.Index. It reads the newest filings under each
// key in turn, stopping at the PerKey-th in the window, then the clusters
// ranked, in one read transaction. Clusters matching equally many keys are
// ranked by descending ID for the Limit, as dedup.MemIndex ranks them.
func (x *dedupIndex) Stories(ctx context.Context, q dedup.Query) ([]dedup.Cluster, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	const filingsQuery = `SELECT f.cluster_id, c.first_at, c.last_at FROM dedup_cluster_keys f
		JOIN dedup_clusters c ON c.id = f.cluster_id WHERE f.key = ? ORDER BY f.seq DESC LIMIT ?`
	const getQuery = `SELECT ` + dedupClusterColumns + ` FROM dedup_clusters WHERE id IN (SELECT value FROM json_each(?))`
	var out []dedup.Cluster
	err := x.readWith(ctx, filingsQuery, getQuery, func(filings, get *sql.Stmt) error {
		hits := make(map[int64]int)
		for _, k := range q.Keys {
			err := scanNewest(ctx, filings, k, dedupPerKey(q), func(rows *sql.Rows) (bool, error) {
				var id, first, last int64
				if err := rows.Scan(&id, &first, &last); err != nil {
					return false, err
				}
				if !inWindow(first, last, q) {
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
		ids := make([]uint64, 0, len(hits))
		for id := range hits {
			ids = append(ids, uint64(id))
		}
		if q.Limit > 0 && len(ids) > q.Limit {
			slices.SortFunc(ids, func(a, b uint64) int {
				if c := cmp.Compare(hits[int64(b)], hits[int64(a)]); c != 0 {
					return c
				}
				return cmp.Compare(int64(b), int64(a))
			})
			ids = ids[:q.Limit]
		}
		rows, err := get.QueryContext(ctx, keysJSON(ids))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanDedupCluster(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	return out, nil
}

// Cluster implements dedup.Index.
func (x *dedupIndex) Cluster(ctx context.Context, id int64) (dedup.Cluster, error) {
	c, err := scanDedupCluster(x.readRow(ctx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters WHERE id = ?`, id))
	if err != nil {
		return dedup.Cluster{}, fmt.Errorf("dedup cluster %d: %w", id, translate(err))
	}
	return c, nil
}

// PutCluster implements dedup.Index, in one transaction, which takes a
// generation (dedup.Shared) and stamps the story with it. Keys are stored
// sorted and without repeats. Filings under keys c keeps stay in place;
// new keys file c as the most recent story under them. Only the keys that
// changed are written: a story gaining an article usually keeps most.
func (x *dedupIndex) PutCluster(ctx context.Context, c dedup.Cluster) error {
	err := x.write(ctx, func(tx *sql.Tx) error {
		gen, err := x.txGen(ctx, tx)
		if err != nil {
			return err
		}
		if c.Size <= 0 {
			if _, err := x.exec(ctx, tx, `DELETE FROM dedup_cluster_keys WHERE cluster_id = ?`, c.ID); err != nil {
				return err
			}
			res, err := x.exec(ctx, tx, `DELETE FROM dedup_clusters WHERE id = ?`, c.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			_, err = x.exec(ctx, tx, `INSERT INTO dedup_cluster_drops (id, generation) VALUES (?, ?)
				ON CONFLICT (id) DO UPDATE SET generation = excluded.generation`, c.ID, gen)
			return err
		}
		var oldBlob []byte
		err = x.queryRow(ctx, tx, `SELECT keys FROM dedup_clusters WHERE id = ?`, c.ID).Scan(&oldBlob)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var old []uint64
		if oldBlob != nil {
			if old, err = dedup.DecodeKeys(oldBlob); err != nil {
				return fmt.Errorf("stored keys: %w", err)
			}
		}
		keys := distinctKeys(c.Keys)
		if _, err := x.exec(ctx, tx, `INSERT INTO dedup_clusters (id, size, first_at, last_at, centroid, keys, generation) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_at = excluded.first_at, last_at = excluded.last_at,
				centroid = excluded.centroid, keys = excluded.keys, generation = excluded.generation`,
			c.ID, c.Size, c.First.UnixMicro(), c.Last.UnixMicro(), dedup.EncodeVector(c.Centroid), dedup.EncodeKeys(keys), gen); err != nil {
			return err
		}
		removed, added := dedup.KeysDiff(old, keys)
		if len(removed) > 0 {
			if _, err := x.exec(ctx, tx, `DELETE FROM dedup_cluster_keys WHERE cluster_id = ? AND key IN (SELECT value FROM json_each(?))`,
				c.ID, keysJSON(removed)); err != nil {
				return err
			}
		}
		if len(added) > 0 {
			first, err := x.fileSeqs(ctx, tx, len(added))
			if err != nil {
				return err
			}
			// json_each's key is the element's index.
			if _, err := x.exec(ctx, tx, `INSERT INTO dedup_cluster_keys (cluster_id, key, seq) SELECT ?, value, ? + key FROM json_each(?)`,
				c.ID, first, keysJSON(added)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup cluster %d: %w", c.ID, translate(err))
	}
	return nil
}

// Generation implements dedup.Shared.
func (x *dedupIndex) Generation(ctx context.Context) (int64, error) {
	var gen int64
	err := x.write(ctx, func(tx *sql.Tx) error {
		var err error
		gen, err = x.txGen(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("dedup: %w", err)
	}
	return gen, nil
}

// StoriesChanged implements dedup.Shared, through the indexes on
// generation.
func (x *dedupIndex) StoriesChanged(ctx context.Context, after, before int64) ([]dedup.Cluster, []int64, error) {
	var (
		stored  []dedup.Cluster
		deleted []int64
	)
	err := x.read(ctx, func(tx *sql.Tx) error {
		var pruned int64
		if err := tx.QueryRowContext(ctx, `SELECT drops_pruned FROM dedup_doc_count`).Scan(&pruned); err != nil {
			return err
		}
		if after < pruned {
			return fmt.Errorf("after generation %d, up to %d: %w", after, pruned, dedup.ErrChangesPruned)
		}
		var err error
		stored, err = x.collectClusters(ctx, tx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters
			WHERE generation > ? AND generation < ? ORDER BY generation, id`, after, before)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM dedup_cluster_drops WHERE generation > ? AND generation < ?`, after, before)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			deleted = append(deleted, id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	return stored, deleted, nil
}

// PruneChanges implements dedup.Shared, in one transaction.
func (x *dedupIndex) PruneChanges(ctx context.Context, before int64) error {
	err := x.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM dedup_cluster_drops WHERE generation < ?`, before); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE dedup_doc_count SET drops_pruned = max(drops_pruned, ?)`, before-1)
		return err
	})
	if err != nil {
		return fmt.Errorf("dedup prune changes: %w", translate(err))
	}
	return nil
}

// RecentStories implements dedup.Shared, through the index on last_at,
// in one read snapshot.
func (x *dedupIndex) RecentStories(ctx context.Context, since time.Time) ([]dedup.Cluster, []dedup.Filing, error) {
	var (
		stories []dedup.Cluster
		filings []dedup.Filing
	)
	err := x.read(ctx, func(tx *sql.Tx) error {
		var err error
		stories, err = x.collectClusters(ctx, tx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters
			WHERE last_at >= ?`, since.UnixMicro())
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT f.key, f.cluster_id FROM dedup_cluster_keys f
			JOIN dedup_clusters c ON c.id = f.cluster_id WHERE c.last_at >= ? ORDER BY f.seq`, since.UnixMicro())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				key int64
				f   dedup.Filing
			)
			if err := rows.Scan(&key, &f.Story); err != nil {
				return err
			}
			f.Key = uint64(key)
			filings = append(filings, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("dedup recent stories: %w", err)
	}
	return stories, filings, nil
}

// Entries implements dedup.Shared, through the unique index on article_id.
func (x *dedupIndex) Entries(ctx context.Context, ids []int64) ([]dedup.Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.readRows(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries
		WHERE article_id IN (SELECT value FROM json_each(?))`, keysJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("dedup entries: %w", err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup entries: %w", err)
	}
	return out, nil
}

// Postings implements dedup.Shared: after 0 reads through the index on
// published, a later one the rowid (seq) range after it. Rows are sorted
// here: asked for them in seq order, SQLite walks the whole table by
// rowid rather than the index.
func (x *dedupIndex) Postings(ctx context.Context, since time.Time, after int64) ([]dedup.Posted, error) {
	query := `SELECT seq, article_id, published, keys FROM dedup_entries INDEXED BY dedup_entries_published WHERE published >= ?`
	args := []any{since.UnixMicro()}
	if after > 0 {
		query = `SELECT seq, article_id, published, keys FROM dedup_entries WHERE seq > ? AND published >= ?`
		args = []any{after, since.UnixMicro()}
	}
	rows, err := x.readRows(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("dedup postings: %w", err)
	}
	defer rows.Close()
	var out []dedup.Posted
	for rows.Next() {
		var (
			p    dedup.Posted
			pub  int64
			blob []byte
		)
		if err := rows.Scan(&p.Seq, &p.ID, &pub, &blob); err != nil {
			return nil, fmt.Errorf("dedup postings: %w", err)
		}
		p.Published = time.UnixMicro(pub).UTC()
		if p.Keys, err = dedup.DecodeKeys(blob); err != nil {
			return nil, fmt.Errorf("dedup postings: entry %d keys: %w", p.ID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dedup postings: %w", err)
	}
	slices.SortFunc(out, func(a, b dedup.Posted) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// collectClusters runs query in tx and returns the clusters it selects.
func (x *dedupIndex) collectClusters(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]dedup.Cluster, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dedup.Cluster
	for rows.Next() {
		c, err := scanDedupCluster(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LatestStory implements dedup.Shared, through the index on last_at.
func (x *dedupIndex) LatestStory(ctx context.Context) (time.Time, error) {
	var last sql.NullInt64
	if err := x.readRow(ctx, `SELECT max(last_at) FROM dedup_clusters`).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("dedup latest story: %w", err)
	}
	if !last.Valid {
		return time.Time{}, nil
	}
	return time.UnixMicro(last.Int64).UTC(), nil
}

// DocFreq implements dedup.Index, reading the count and the terms in one
// statement and so one snapshot.
func (x *dedupIndex) DocFreq(ctx context.Context, terms []uint64) (int64, []int64, error) {
	rows, err := x.readRows(ctx, `SELECT NULL, docs FROM dedup_doc_count
		UNION ALL SELECT term, docs FROM dedup_terms WHERE term IN (SELECT value FROM json_each(?))`, keysJSON(terms))
	if err != nil {
		return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
	}
	defer rows.Close()
	var docs int64
	found := make(map[uint64]int64, len(terms))
	for rows.Next() {
		var (
			term sql.NullInt64
			n    int64
		)
		if err := rows.Scan(&term, &n); err != nil {
			return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
		}
		if term.Valid {
			found[uint64(term.Int64)] = n
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

// AddDocFreq implements dedup.Index, in one transaction. A term repeated
// in terms is counted as often as it appears.
func (x *dedupIndex) AddDocFreq(ctx context.Context, terms []uint64) error {
	err := x.write(ctx, func(tx *sql.Tx) error {
		if _, err := x.txGen(ctx, tx); err != nil {
			return err
		}
		if _, err := x.exec(ctx, tx, `UPDATE dedup_doc_count SET docs = docs + 1`); err != nil {
			return err
		}
		if len(terms) == 0 {
			return nil
		}
		_, err := x.exec(ctx, tx, `INSERT INTO dedup_terms (term, docs) SELECT value, 1 FROM json_each(?) WHERE true
			ON CONFLICT (term) DO UPDATE SET docs = docs + 1`, keysJSON(terms))
		return err
	})
	if err != nil {
		return fmt.Errorf("dedup add doc freq: %w", translate(err))
	}
	return nil
}

// AddDocFreqs implements dedup.Shared, in one transaction.
func (x *dedupIndex) AddDocFreqs(ctx context.Context, docs int64, terms []uint64, counts []int64) error {
	if len(terms) != len(counts) {
		return fmt.Errorf("dedup add doc freqs: %d terms, %d counts: %w", len(terms), len(counts), taglines.ErrInvalid)
	}
	if docs == 0 && len(terms) == 0 {
		return nil
	}
	err := x.write(ctx, func(tx *sql.Tx) error {
		if _, err := x.txGen(ctx, tx); err != nil {
			return err
		}
		if _, err := x.exec(ctx, tx, `UPDATE dedup_doc_count SET docs = docs + ?`, docs); err != nil {
			return err
		}
		if len(terms) == 0 {
			return nil
		}
		// One statement per distinct count, each binding its terms as one
		// JSON array of integers: a batch has a few dozen counts at most,
		// and reading [term, count] pairs with json_extract was half the
		// cost of the statement.
		byCount := map[int64][]uint64{}
		for i, t := range terms {
			byCount[counts[i]] = append(byCount[counts[i]], t)
		}
		for n, ts := range byCount {
			if _, err := x.exec(ctx, tx, `INSERT INTO dedup_terms (term, docs) SELECT value, ? FROM json_each(?) WHERE true
				ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs`, n, keysJSON(ts)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup add doc freqs: %w", translate(err))
	}
	return nil
}
