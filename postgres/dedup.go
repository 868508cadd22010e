package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

// DedupIndex returns the dedup index kept in the store's database, in the
// dedup_* tables of the store's schema. It is safe for concurrent use;
// several processes sharing the database must still serialise their
// Dedupers (see dedup.Deduper). The index lives as long as the Store: do
// not use it after Close. It also implements dedup.Shared, for a
// dedup.Cache over it.
//
// Entries and clusters are not tied to articles: the Deduper may index an
// article before its row exists, and deleting an article leaves its entry.
// Times keep microseconds, as elsewhere in the store, and come back in UTC.
// An entry is filed once under each distinct key it has.
func (s *Store) DedupIndex() dedup.Index { return &dedupIndex{s: s} }

// dedupIndex implements dedup.Index on a Store.
type dedupIndex struct{ s *Store }

var (
	_ dedup.Index   = (*dedupIndex)(nil)
	_ dedup.Batcher = (*dedupIndex)(nil)
	_ dedup.Shared  = (*dedupIndex)(nil)
)

// dedupDB is what the index runs statements on: the pool, or a batch's
// transaction.
type dedupDB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// dedupBatchKey carries a batch's *dedupBatch in its context.
type dedupBatchKey struct{ x *dedupIndex }

// dedupBatch is a batch's transaction and its generation, 0 until taken
// (the counter's first is 1). Like the transaction, it is used by one
// goroutine at a time.
type dedupBatch struct {
	tx  pgx.Tx
	gen int64
}

// batch returns the batch ctx belongs to, or nil.
func (x *dedupIndex) batch(ctx context.Context) *dedupBatch {
	b, _ := ctx.Value(dedupBatchKey{x}).(*dedupBatch)
	return b
}

// db returns the transaction of the batch ctx belongs to, or the pool.
func (x *dedupIndex) db(ctx context.Context) dedupDB {
	if b := x.batch(ctx); b != nil {
		return b.tx
	}
	return x.s.pool
}

// inTx runs fn in a transaction of its own, or in the batch's: a failure
// there fails the whole batch, which rolls back.
func (x *dedupIndex) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if b := x.batch(ctx); b != nil {
		return fn(b.tx)
	}
	return pgx.BeginFunc(ctx, x.s.pool, fn)
}

// Batch implements dedup.Batcher: every call fn makes with the context it
// is given runs in one transaction, which commits once. Without it each
// decision committed its writes (a WAL flush) several times.
func (x *dedupIndex) Batch(ctx context.Context, fn func(ctx context.Context) error) error {
	if x.batch(ctx) != nil {
		return fn(ctx)
	}
	return pgx.BeginFunc(ctx, x.s.pool, func(tx pgx.Tx) error {
		return fn(context.WithValue(ctx, dedupBatchKey{x}, &dedupBatch{tx: tx}))
	})
}

// txGen returns the generation of tx, a transaction inTx gave: the batch's,
// taken on its first use, or outside a batch a new one. Taking one locks
// the counter's row until tx ends, so writers that take one run one at a
// time and commit in generation order. Callers take it before their other
// writes, which keeps the lock order of AddDocFreq (the count's row first).
func (x *dedupIndex) txGen(ctx context.Context, tx pgx.Tx) (int64, error) {
	b := x.batch(ctx)
	if b != nil && b.gen != 0 {
		return b.gen, nil
	}
	var gen int64
	if err := tx.QueryRow(ctx, `UPDATE dedup_doc_count SET generation = generation + 1 RETURNING generation`).Scan(&gen); err != nil {
		return 0, err
	}
	if b != nil {
		b.gen = gen
	}
	return gen, nil
}

// Generation implements dedup.Shared.
func (x *dedupIndex) Generation(ctx context.Context) (int64, error) {
	var gen int64
	err := x.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		gen, err = x.txGen(ctx, tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("dedup generation: %w", translate(err))
	}
	return gen, nil
}

// dedupMaxScan bounds the postings read per key and query, as in MemIndex,
// so that a key shared by very many entries or stories costs a bounded
// amount: only the most recently stored ones are considered.
const dedupMaxScan = 1024

// dedupEntryColumns are the columns scanDedupEntry reads, in order.
const dedupEntryColumns = `article_id, published, duplicate_of, cluster_id, shingles, signature, title_words, vector, keys, pinned`

func scanDedupEntry(row pgx.Row) (dedup.Entry, error) {
	var (
		e                         dedup.Entry
		dupOf                     *int64
		sig, words, vec, keysBlob []byte
	)
	if err := row.Scan(&e.ID, &e.Published, &dupOf, &e.Cluster, &e.Shingles, &sig, &words, &vec, &keysBlob, &e.Pinned); err != nil {
		return dedup.Entry{}, err
	}
	e.Published = e.Published.UTC()
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

// dedupRoot is id as stored: NULL for 0.
func dedupRoot(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// dedupUntil is a Query's Until as bound: NULL (no bound) for the zero time.
func dedupUntil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = micro(t)
	return &t
}

func dedupPerKey(q dedup.Query) int {
	if q.PerKey <= 0 {
		return dedup.DefaultPerKey
	}
	return q.PerKey
}

// keyArray returns keys as int64 with the same bits, for a bigint[].
func keyArray(keys []uint64) []int64 {
	out := make([]int64, len(keys))
	for i, k := range keys {
		out[i] = int64(k)
	}
	return out
}

// distinctKeys returns the distinct values of keys, sorted, in a new slice.
func distinctKeys(keys []uint64) []uint64 {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Candidates implements dedup.Index, in one statement: for each key the
// newest postings, through the (key, seq) primary key.
func (x *dedupIndex) Candidates(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	rows, err := x.db(ctx).Query(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE article_id IN (
		SELECT p.article_id FROM unnest($1::bigint[]) AS k (key) CROSS JOIN LATERAL (
			SELECT article_id FROM (
				SELECT article_id, seq, published FROM dedup_keys WHERE key = k.key ORDER BY seq DESC LIMIT $5) newest
			WHERE published >= $2 AND ($3::timestamptz IS NULL OR published <= $3)
			ORDER BY seq DESC LIMIT $4) p)`,
		keyArray(q.Keys), micro(q.Since), dedupUntil(q.Until), dedupPerKey(q), dedupMaxScan)
	if err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup candidates: %w", err)
	}
	return out, nil
}

func collectEntries(rows pgx.Rows) ([]dedup.Entry, error) {
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

// Entry implements dedup.Index.
func (x *dedupIndex) Entry(ctx context.Context, id int64) (dedup.Entry, error) {
	e, err := scanDedupEntry(x.db(ctx).QueryRow(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE article_id = $1`, id))
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
	rows, err := x.db(ctx).Query(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE duplicate_of = $1`, root)
	if err != nil {
		return nil, fmt.Errorf("dedup versions of %d: %w", root, err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup versions of %d: %w", root, err)
	}
	return out, nil
}

// Relabel implements dedup.Index, in one statement and so atomically,
// through the index on cluster_id.
func (x *dedupIndex) Relabel(ctx context.Context, from, to int64) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, err)
	}
	if from == to {
		return nil, nil
	}
	rows, err := x.db(ctx).Query(ctx, `UPDATE dedup_entries SET cluster_id = $2 WHERE cluster_id = $1 RETURNING `+dedupEntryColumns, from, to)
	if err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, translate(err))
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup relabel %d to %d: %w", from, to, translate(err))
	}
	return out, nil
}

// Window implements dedup.Index, scanning the index on (published, seq)
// from q.Until back; seq breaks ties, newest stored first, as in MemIndex.
func (x *dedupIndex) Window(ctx context.Context, q dedup.Query) ([]dedup.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	var limit *int // NULL: no limit
	if q.Limit > 0 {
		limit = &q.Limit
	}
	// coalesce rather than "$2 IS NULL OR": a generic plan of the
	// prepared statement can bound its index scan only with the former.
	rows, err := x.db(ctx).Query(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries
		WHERE published >= $1 AND published <= coalesce($2::timestamptz, 'infinity')
		ORDER BY published DESC, seq DESC LIMIT $3`,
		micro(q.Since), dedupUntil(q.Until), limit)
	if err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	out, err := collectEntries(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup window: %w", err)
	}
	return out, nil
}

// Put implements dedup.Index, in one transaction. A replaced entry's row
// is locked first, so that concurrent Puts of one ID apply one by one.
func (x *dedupIndex) Put(ctx context.Context, e dedup.Entry) error {
	if e.ID <= 0 {
		return fmt.Errorf("dedup entry %d: id must be positive: %w", e.ID, taglines.ErrInvalid)
	}
	pub := micro(e.Published)
	err := x.inTx(ctx, func(tx pgx.Tx) error {
		// The generation first, whether or not the entry is new: it locks
		// the counter, so that entries get their seq in the order their
		// transactions commit, which a Cache on another process reads
		// new entries by (Postings), and so that the counter is always
		// locked before entry rows.
		if _, err := x.txGen(ctx, tx); err != nil {
			return err
		}
		// The entry and its postings in one statement, one round trip;
		// no row if the entry is stored.
		var seq int64
		err := tx.QueryRow(ctx, `WITH e AS (
				INSERT INTO dedup_entries (article_id, published, duplicate_of, cluster_id, shingles,
					signature, title_words, vector, keys, pinned) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (article_id) DO NOTHING RETURNING seq),
			p AS (INSERT INTO dedup_keys (key, seq, article_id, published)
				SELECT k, e.seq, $1, $2 FROM e CROSS JOIN unnest($11::bigint[]) AS k)
			SELECT seq FROM e`,
			e.ID, pub, dedupRoot(e.DuplicateOf), e.Cluster, e.Shingles,
			dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), dedup.EncodeKeys(e.Keys), e.Pinned,
			keyArray(distinctKeys(e.Keys))).Scan(&seq)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var (
			oldPub  time.Time
			oldKeys []byte
		)
		if err := tx.QueryRow(ctx, `SELECT seq, published, keys FROM dedup_entries WHERE article_id = $1 FOR UPDATE`, e.ID).
			Scan(&seq, &oldPub, &oldKeys); err != nil {
			return err
		}
		keys, err := dedup.DecodeKeys(oldKeys)
		if err != nil {
			return fmt.Errorf("stored keys: %w", err)
		}
		if !slices.Equal(keys, e.Keys) {
			return fmt.Errorf("keys changed: %w", taglines.ErrInvalid)
		}
		if _, err := tx.Exec(ctx, `UPDATE dedup_entries SET published = $2, duplicate_of = $3, cluster_id = $4, shingles = $5,
			signature = $6, title_words = $7, vector = $8, pinned = $9 WHERE article_id = $1`,
			e.ID, pub, dedupRoot(e.DuplicateOf), e.Cluster, e.Shingles,
			dedup.EncodeSignature(&e.Signature), dedup.EncodeWords(e.TitleWords), dedup.EncodeVector(e.Vector), e.Pinned); err != nil {
			return err
		}
		if !pub.Equal(oldPub) {
			if _, err := tx.Exec(ctx, `UPDATE dedup_keys SET published = $3 WHERE key = ANY($1::bigint[]) AND seq = $2`,
				keyArray(distinctKeys(e.Keys)), seq, pub); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dedup entry %d: %w", e.ID, translate(err))
	}
	return nil
}

// dedupClusterColumns are the columns scanDedupCluster reads, in order.
const dedupClusterColumns = `id, size, first_at, last_at, centroid, keys`

func scanDedupCluster(row pgx.Row, extra ...any) (dedup.Cluster, error) {
	var (
		c              dedup.Cluster
		centroid, keys []byte
	)
	if err := row.Scan(append([]any{&c.ID, &c.Size, &c.First, &c.Last, &centroid, &keys}, extra...)...); err != nil {
		return dedup.Cluster{}, err
	}
	c.First, c.Last = c.First.UTC(), c.Last.UTC()
	var err error
	if c.Centroid, err = dedup.DecodeVector(centroid); err != nil {
		return dedup.Cluster{}, fmt.Errorf("centroid: %w", err)
	}
	if c.Keys, err = dedup.DecodeKeys(keys); err != nil {
		return dedup.Cluster{}, fmt.Errorf("keys: %w", err)
	}
	return c, nil
}

// Stories implements dedup.Index, in one statement. Clusters matching
// equally many keys are ranked by descending ID for the Limit, as
// dedup.MemIndex ranks them.
func (x *dedupIndex) Stories(ctx context.Context, q dedup.Query) ([]dedup.Cluster, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	if len(q.Keys) == 0 {
		return nil, nil
	}
	var limit *int
	if q.Limit > 0 {
		limit = &q.Limit
	}
	rows, err := x.db(ctx).Query(ctx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters JOIN (
		SELECT h.id AS hid, count(*) AS n FROM unnest($1::bigint[]) AS k (key) CROSS JOIN LATERAL (
			SELECT c.id FROM (
				SELECT cluster_id, seq FROM dedup_cluster_keys WHERE key = k.key ORDER BY seq DESC LIMIT $6) f
			JOIN dedup_clusters c ON c.id = f.cluster_id
			WHERE c.last_at >= $2 AND ($3::timestamptz IS NULL OR c.first_at <= $3)
			ORDER BY f.seq DESC LIMIT $4) h
		GROUP BY h.id ORDER BY n DESC, h.id DESC LIMIT $5) ranked ON id = hid`,
		keyArray(q.Keys), micro(q.Since), dedupUntil(q.Until), dedupPerKey(q), limit, dedupMaxScan)
	if err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	out, err := collectClusters(rows)
	if err != nil {
		return nil, fmt.Errorf("dedup stories: %w", err)
	}
	return out, nil
}

// Cluster implements dedup.Index.
func (x *dedupIndex) Cluster(ctx context.Context, id int64) (dedup.Cluster, error) {
	c, err := scanDedupCluster(x.db(ctx).QueryRow(ctx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters WHERE id = $1`, id))
	if err != nil {
		return dedup.Cluster{}, fmt.Errorf("dedup cluster %d: %w", id, translate(err))
	}
	return c, nil
}

// PutCluster implements dedup.Index, in one transaction, which takes a
// generation and stamps it on the stored row, or on the drop of a deleted
// one. Keys are stored sorted and without repeats. Filings under keys c
// keeps stay in place; new keys file c as the most recent story under
// them. Only the filings of keys that changed are written, which a story
// growing by an article seldom has, so the stored keys are read first;
// concurrent calls cannot change them in between, as the generation's lock
// serialises every writer of stories.
func (x *dedupIndex) PutCluster(ctx context.Context, c dedup.Cluster) error {
	err := x.inTx(ctx, func(tx pgx.Tx) error {
		gen, err := x.txGen(ctx, tx)
		if err != nil {
			return err
		}
		if c.Size <= 0 {
			// One statement: data-modifying CTEs run whether or not they
			// are read. A story that was not stored leaves no drop.
			_, err := tx.Exec(ctx, `WITH k AS (DELETE FROM dedup_cluster_keys WHERE cluster_id = $1),
				c AS (DELETE FROM dedup_clusters WHERE id = $1 RETURNING id)
				INSERT INTO dedup_cluster_drops (id, generation) SELECT id, $2 FROM c
				ON CONFLICT (id) DO UPDATE SET generation = excluded.generation`, c.ID, gen)
			return err
		}
		// One statement, one round trip: the story, its filings under
		// keys it lost deleted, and under keys it gained inserted; a
		// filing under a key it keeps stays in place. The sub-statements
		// see the filings as they were before it.
		keys := distinctKeys(c.Keys)
		_, err = tx.Exec(ctx, `WITH story AS (
				INSERT INTO dedup_clusters (id, size, first_at, last_at, centroid, keys, generation)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_at = excluded.first_at, last_at = excluded.last_at,
					centroid = excluded.centroid, keys = excluded.keys, generation = excluded.generation),
			lost AS (DELETE FROM dedup_cluster_keys WHERE cluster_id = $1 AND key <> ALL($8::bigint[]))
			INSERT INTO dedup_cluster_keys (cluster_id, key) SELECT $1, k FROM unnest($8::bigint[]) AS k
			WHERE NOT EXISTS (SELECT FROM dedup_cluster_keys f WHERE f.cluster_id = $1 AND f.key = k)
			ON CONFLICT (cluster_id, key) DO NOTHING`,
			c.ID, c.Size, micro(c.First), micro(c.Last), dedup.EncodeVector(c.Centroid), dedup.EncodeKeys(keys), gen, keyArray(keys))
		return err
	})
	if err != nil {
		return fmt.Errorf("dedup cluster %d: %w", c.ID, translate(err))
	}
	return nil
}

// collectClusters reads the rows of a query of dedupClusterColumns.
func collectClusters(rows pgx.Rows) ([]dedup.Cluster, error) {
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

// StoriesChanged implements dedup.Shared, through the indexes on
// generation. Outside a batch its two statements may see different
// commits; a batch's, having taken its generation, sees no writer between.
func (x *dedupIndex) StoriesChanged(ctx context.Context, after, before int64) ([]dedup.Cluster, []int64, error) {
	db := x.db(ctx)
	var pruned int64
	if err := db.QueryRow(ctx, `SELECT drops_pruned FROM dedup_doc_count`).Scan(&pruned); err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	if after < pruned {
		return nil, nil, fmt.Errorf("dedup stories changed after generation %d, up to %d: %w", after, pruned, dedup.ErrChangesPruned)
	}
	rows, err := db.Query(ctx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters
		WHERE generation > $1 AND generation < $2 ORDER BY generation, id`, after, before)
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	stored, err := collectClusters(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	rows, err = db.Query(ctx, `SELECT id FROM dedup_cluster_drops
		WHERE generation > $1 AND generation < $2 ORDER BY generation, id`, after, before)
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	deleted, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, nil, fmt.Errorf("dedup stories changed: %w", err)
	}
	return stored, deleted, nil
}

// PruneChanges implements dedup.Shared, in one transaction.
func (x *dedupIndex) PruneChanges(ctx context.Context, before int64) error {
	err := x.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM dedup_cluster_drops WHERE generation < $1`, before); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE dedup_doc_count SET drops_pruned = greatest(drops_pruned, $1)`, before-1)
		return err
	})
	if err != nil {
		return fmt.Errorf("dedup prune changes: %w", translate(err))
	}
	return nil
}

// RecentStories implements dedup.Shared, through the index on last_at,
// in one transaction: within a batch that holds its generation, no other
// writer of stories commits in between.
func (x *dedupIndex) RecentStories(ctx context.Context, since time.Time) ([]dedup.Cluster, []dedup.Filing, error) {
	var (
		stories []dedup.Cluster
		filings []dedup.Filing
	)
	err := x.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+dedupClusterColumns+` FROM dedup_clusters WHERE last_at >= $1`, micro(since))
		if err != nil {
			return err
		}
		if stories, err = collectClusters(rows); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT f.key, f.cluster_id FROM dedup_cluster_keys f
			JOIN dedup_clusters c ON c.id = f.cluster_id WHERE c.last_at >= $1 ORDER BY f.seq`, micro(since))
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

// Entries implements dedup.Shared, through the primary key.
func (x *dedupIndex) Entries(ctx context.Context, ids []int64) ([]dedup.Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := x.db(ctx).Query(ctx, `SELECT `+dedupEntryColumns+` FROM dedup_entries WHERE article_id = ANY($1::bigint[])`, ids)
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
// (published, seq), a later one the index on seq. Rows are sorted here,
// so that the order asked for does not lead the planner to walk the whole
// table in seq order.
func (x *dedupIndex) Postings(ctx context.Context, since time.Time, after int64) ([]dedup.Posted, error) {
	query := `SELECT seq, article_id, published, keys FROM dedup_entries WHERE published >= $1`
	args := []any{micro(since)}
	if after > 0 {
		query = `SELECT seq, article_id, published, keys FROM dedup_entries WHERE seq > $2 AND published >= $1`
		args = append(args, after)
	}
	rows, err := x.db(ctx).Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("dedup postings: %w", err)
	}
	defer rows.Close()
	var out []dedup.Posted
	for rows.Next() {
		var (
			p    dedup.Posted
			blob []byte
		)
		if err := rows.Scan(&p.Seq, &p.ID, &p.Published, &blob); err != nil {
			return nil, fmt.Errorf("dedup postings: %w", err)
		}
		p.Published = p.Published.UTC()
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

// LatestStory implements dedup.Shared, through the index on last_at.
func (x *dedupIndex) LatestStory(ctx context.Context) (time.Time, error) {
	var latest *time.Time // NULL without stories
	if err := x.db(ctx).QueryRow(ctx, `SELECT max(last_at) FROM dedup_clusters`).Scan(&latest); err != nil {
		return time.Time{}, fmt.Errorf("dedup latest story: %w", err)
	}
	if latest == nil {
		return time.Time{}, nil
	}
	return latest.UTC(), nil
}

// DocFreq implements dedup.Index, reading the count and the terms in one
// statement and so one snapshot.
func (x *dedupIndex) DocFreq(ctx context.Context, terms []uint64) (int64, []int64, error) {
	rows, err := x.db(ctx).Query(ctx, `SELECT NULL::bigint, docs FROM dedup_doc_count
		UNION ALL SELECT term, docs FROM dedup_terms WHERE term = ANY($1::bigint[])`, keyArray(terms))
	if err != nil {
		return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
	}
	defer rows.Close()
	var docs int64
	found := make(map[uint64]int64, len(terms))
	for rows.Next() {
		var (
			term *int64
			n    int64
		)
		if err := rows.Scan(&term, &n); err != nil {
			return 0, nil, fmt.Errorf("dedup doc freq: %w", err)
		}
		if term != nil {
			found[uint64(*term)] = n
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
func (x *dedupIndex) AddDocFreq(ctx context.Context, terms []uint64) error {
	counts := make(map[uint64]int64, len(terms))
	for _, t := range terms {
		counts[t]++
	}
	if err := x.addDocFreqs(ctx, 1, counts); err != nil {
		return fmt.Errorf("dedup add doc freq: %w", translate(err))
	}
	return nil
}

// AddDocFreqs implements dedup.Shared, as AddDocFreq does. Repeated terms
// add up.
func (x *dedupIndex) AddDocFreqs(ctx context.Context, docs int64, terms []uint64, counts []int64) error {
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
		return fmt.Errorf("dedup add doc freqs: %w", translate(err))
	}
	return nil
}

// addDocFreqs counts docs more documents and counts[t] more containing
// each t, in one transaction. Concurrent calls queue on the row of the
// document count, which the generation locks first; the terms are
// distinct, as an upsert may touch a row once.
func (x *dedupIndex) addDocFreqs(ctx context.Context, docs int64, counts map[uint64]int64) error {
	keys := make([]int64, 0, len(counts))
	ns := make([]int64, 0, len(counts))
	for t, n := range counts {
		keys = append(keys, int64(t))
		ns = append(ns, n)
	}
	return x.inTx(ctx, func(tx pgx.Tx) error {
		// The count's row first, through the generation: it orders
		// concurrent calls, so that their upserts below never wait on
		// each other in a cycle.
		if _, err := x.txGen(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE dedup_doc_count SET docs = docs + $1`, docs); err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO dedup_terms (term, docs) SELECT * FROM unnest($1::bigint[], $2::bigint[])
			ON CONFLICT (term) DO UPDATE SET docs = dedup_terms.docs + excluded.docs`, keys, ns)
		return err
	})
}
