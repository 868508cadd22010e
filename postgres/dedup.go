package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/sqldb"
)

// DedupIndex returns the dedup index kept in the store's database, in the
// dedup_* tables of the store's schema (see sqldb.DedupIndex). It is safe
// for concurrent use; several processes sharing the database must still
// serialise their Dedupers (see dedup.Deduper, and DedupLock). The index
// lives as long as the Store: do not use it after Close. It also
// implements dedup.Batcher and dedup.Shared, for a dedup.Cache over it.
func (s *Store) DedupIndex() dedup.Index {
	c := dedupConfig
	c.DB = dedupDB{s.pool}
	return sqldb.NewDedupIndex(c)
}

// dedupConfig is the index's configuration but for its pool. LIMIT NULL
// sets no limit: NoLimit's zero value.
var dedupConfig = sqldb.DedupConfig{SQL: dedupSQL, Dialect: dialect, Translate: translate}

// dedupSQL is the index's SQL. Look-ups are one statement each, a LATERAL
// join bounding each key's scan, and so are writes, data-modifying CTEs
// sparing round trips; the generation's lock on the counter row, which
// every writer takes first, serialises writers of stories and orders
// their locks.
var dedupSQL = sqldb.DedupSQL{
	// For each key the newest postings, through the (key, seq) primary key.
	Candidates: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE article_id IN (
		SELECT p.article_id FROM unnest($1::bigint[]) AS k (key) CROSS JOIN LATERAL (
			SELECT article_id FROM (
				SELECT article_id, seq, published FROM dedup_keys WHERE key = k.key ORDER BY seq DESC LIMIT $5) newest
			WHERE published >= $2 AND ($3::timestamptz IS NULL OR published <= $3)
			ORDER BY seq DESC LIMIT $4) p)`,
	Entry:    `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE article_id = $1`,
	Versions: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE duplicate_of = $1`,
	// Through the index on cluster_id.
	Relabel: `UPDATE dedup_entries SET cluster_id = $2 WHERE cluster_id = $1 RETURNING ` + sqldb.DedupEntryColumns,
	// coalesce rather than "$2 IS NULL OR": a generic plan of the prepared
	// statement can bound its scan of the index on (published, seq) only
	// with the former.
	Window: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries
		WHERE published >= $1 AND published <= coalesce($2::timestamptz, 'infinity')
		ORDER BY published DESC, seq DESC LIMIT $3`,

	// The entry and its postings in one statement, one round trip.
	InsertEntry: `WITH e AS (
			INSERT INTO dedup_entries (article_id, published, duplicate_of, cluster_id, shingles,
				signature, title_words, vector, keys, pinned) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (article_id) DO NOTHING RETURNING seq),
		p AS (INSERT INTO dedup_keys (key, seq, article_id, published)
			SELECT k, e.seq, $1, $2 FROM e CROSS JOIN unnest($11::bigint[]) AS k)
		SELECT seq FROM e`,
	StoredEntry: `SELECT seq, published, keys FROM dedup_entries WHERE article_id = $1 FOR UPDATE`,
	UpdateEntry: `UPDATE dedup_entries SET published = $2, duplicate_of = $3, cluster_id = $4, shingles = $5,
		signature = $6, title_words = $7, vector = $8, pinned = $9 WHERE article_id = $1 AND seq = $10`,
	Republish: `UPDATE dedup_keys SET published = $3 WHERE key = ANY($1::bigint[]) AND seq = $2`,

	Stories: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters JOIN (
		SELECT h.id AS hid, count(*) AS n FROM unnest($1::bigint[]) AS k (key) CROSS JOIN LATERAL (
			SELECT c.id FROM (
				SELECT cluster_id, seq FROM dedup_cluster_keys WHERE key = k.key ORDER BY seq DESC LIMIT $6) f
			JOIN dedup_clusters c ON c.id = f.cluster_id
			WHERE c.last_at >= $2 AND ($3::timestamptz IS NULL OR c.first_at <= $3)
			ORDER BY f.seq DESC LIMIT $4) h
		GROUP BY h.id ORDER BY n DESC, h.id DESC LIMIT $5) ranked ON id = hid`,
	Cluster: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters WHERE id = $1`,
	// One statement: data-modifying CTEs run whether or not they are
	// read. A story that was not stored leaves no drop.
	DropCluster: []string{`WITH k AS (DELETE FROM dedup_cluster_keys WHERE cluster_id = $1),
		c AS (DELETE FROM dedup_clusters WHERE id = $1 RETURNING id)
		INSERT INTO dedup_cluster_drops (id, generation) SELECT id, $2 FROM c
		ON CONFLICT (id) DO UPDATE SET generation = excluded.generation`},
	// The story, its filings under keys it lost deleted, and under keys it
	// gained inserted; a filing under a key it keeps stays in place. The
	// sub-statements see the filings as they were before it.
	PutCluster: `WITH story AS (
			INSERT INTO dedup_clusters (id, size, first_at, last_at, centroid, keys, generation)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_at = excluded.first_at, last_at = excluded.last_at,
				centroid = excluded.centroid, keys = excluded.keys, generation = excluded.generation),
		lost AS (DELETE FROM dedup_cluster_keys WHERE cluster_id = $1 AND key <> ALL($8::bigint[]))
		INSERT INTO dedup_cluster_keys (cluster_id, key) SELECT $1, k FROM unnest($8::bigint[]) AS k
		WHERE NOT EXISTS (SELECT FROM dedup_cluster_keys f WHERE f.cluster_id = $1 AND f.key = k)
		ON CONFLICT (cluster_id, key) DO NOTHING`,

	// Through the indexes on generation.
	ChangedStories: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters
		WHERE generation > $1 AND generation < $2 ORDER BY generation, id`,
	DroppedStories: `SELECT id FROM dedup_cluster_drops
		WHERE generation > $1 AND generation < $2 ORDER BY generation, id`,
	PruneDrops:  `DELETE FROM dedup_cluster_drops WHERE generation < $1`,
	RaisePruned: `UPDATE dedup_doc_count SET drops_pruned = greatest(drops_pruned, $1)`,
	// Through the index on last_at.
	RecentStories: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters WHERE last_at >= $1`,
	RecentFilings: `SELECT f.key, f.cluster_id FROM dedup_cluster_keys f
		JOIN dedup_clusters c ON c.id = f.cluster_id WHERE c.last_at >= $1 ORDER BY f.seq`,
	// Through the primary key.
	Entries: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE article_id = ANY($1::bigint[])`,
	// After 0 through the index on (published, seq), a later one the index
	// on seq.
	Postings:      `SELECT seq, article_id, published, keys FROM dedup_entries WHERE published >= $1`,
	PostingsAfter: `SELECT seq, article_id, published, keys FROM dedup_entries WHERE seq > $2 AND published >= $1`,

	DocFreq: `SELECT NULL::bigint, docs FROM dedup_doc_count
		UNION ALL SELECT term, docs FROM dedup_terms WHERE term = ANY($1::bigint[])`,
	AddDocs: `UPDATE dedup_doc_count SET docs = docs + $1`,
	AddTermCounts: `INSERT INTO dedup_terms (term, docs) SELECT * FROM unnest($1::bigint[], $2::bigint[])
		ON CONFLICT (term) DO UPDATE SET docs = dedup_terms.docs + excluded.docs`,
}

// dedupDB is the index's way to the pool.
type dedupDB struct{ pool *pgxpool.Pool }

var _ sqldb.DedupDB = dedupDB{}

// Reader implements sqldb.DedupDB: any pooled connection.
func (d dedupDB) Reader() sqldb.Querier { return querier{d.pool} }

// Read implements sqldb.DedupDB, in a transaction of its own; under READ
// COMMITTED its statements may see different commits.
func (d dedupDB) Read(ctx context.Context, fn func(sqldb.Querier) error) error {
	return d.Write(ctx, fn)
}

// Write implements sqldb.DedupDB.
func (d dedupDB) Write(ctx context.Context, fn func(sqldb.Querier) error) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error { return fn(querier{tx}) })
}

// WriteOne implements sqldb.DedupDB: one statement is atomic on its own.
func (d dedupDB) WriteOne(ctx context.Context, fn func(sqldb.Querier) error) error {
	return fn(querier{d.pool})
}
