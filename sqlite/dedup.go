package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"sync"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/sqldb"
)

// DedupIndex returns the dedup index kept in the store's database, in the
// dedup_* tables (see sqldb.DedupIndex). It is safe for concurrent use,
// and writes go through the store's write connection like every other
// write; several processes sharing the file must still serialise their
// Dedupers (see dedup.Deduper). The index lives as long as the Store: do
// not use it after Close. Each call returns a new index with statements
// of its own, prepared on first use: keep one. It also implements
// dedup.Batcher and dedup.Shared.
func (s *Store) DedupIndex() dedup.Index {
	return sqldb.NewDedupIndex(sqldb.DedupConfig{
		DB: &dedupDB{s: s}, SQL: dedupSQL, Dialect: dialect, NoLimit: -1, Translate: translate,
	})
}

// dedupSQL is the index's SQL. SQLite has no LATERAL join to bound each
// key's scan in one statement, so look-ups read key by key through
// prepared statements, which in process cost no round trips; and no
// data-modifying CTEs, so a new entry's postings are a statement of their
// own, and a cluster's filings are diffed in Go and numbered by the index.
var dedupSQL = sqldb.DedupSQL{
	CandidatePostings: `SELECT seq, published FROM dedup_keys WHERE key = ? ORDER BY seq DESC LIMIT ?`,
	EntriesBySeq:      `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE seq IN (SELECT value FROM json_each(?))`,
	Entry:             `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE article_id = ?`,
	Versions:          `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE duplicate_of = ?`,
	Relabel:           `UPDATE dedup_entries SET cluster_id = ?2 WHERE cluster_id = ?1 RETURNING ` + sqldb.DedupEntryColumns,
	// A constant upper bound rather than "? IS NULL OR": SQLite uses only
	// the former to bound its range scan. The rowid that ends each entry
	// of the index on published breaks ties.
	Window: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries
		WHERE published >= ? AND published <= coalesce(?, 9223372036854775807)
		ORDER BY published DESC, seq DESC LIMIT ?`,

	InsertEntry: `INSERT INTO dedup_entries (article_id, published, duplicate_of, cluster_id, shingles,
		signature, title_words, vector, keys, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (article_id) DO NOTHING RETURNING seq`,
	InsertPostings: `INSERT INTO dedup_keys (key, seq, published) SELECT value, ?1, ?2 FROM json_each(?3)`,
	StoredEntry:    `SELECT seq, published, keys FROM dedup_entries WHERE article_id = ?`,
	UpdateEntry: `UPDATE dedup_entries SET published = ?2, duplicate_of = ?3, cluster_id = ?4, shingles = ?5,
		signature = ?6, title_words = ?7, vector = ?8, pinned = ?9 WHERE seq = ?10`,
	Republish: `UPDATE dedup_keys SET published = ?3 WHERE key IN (SELECT value FROM json_each(?1)) AND seq = ?2`,

	StoryFilings: `SELECT f.cluster_id, c.first_at, c.last_at FROM dedup_cluster_keys f
		JOIN dedup_clusters c ON c.id = f.cluster_id WHERE f.key = ? ORDER BY f.seq DESC LIMIT ?`,
	ClustersByID: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters WHERE id IN (SELECT value FROM json_each(?))`,
	Cluster:      `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters WHERE id = ?`,
	// The drop first, while the story's row tells whether it was stored.
	DropCluster: []string{
		`INSERT INTO dedup_cluster_drops (id, generation) SELECT id, ?2 FROM dedup_clusters WHERE id = ?1
			ON CONFLICT (id) DO UPDATE SET generation = excluded.generation`,
		`DELETE FROM dedup_cluster_keys WHERE cluster_id = ?1`,
		`DELETE FROM dedup_clusters WHERE id = ?1`,
	},
	PutCluster: `INSERT INTO dedup_clusters (id, size, first_at, last_at, centroid, keys, generation) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_at = excluded.first_at, last_at = excluded.last_at,
			centroid = excluded.centroid, keys = excluded.keys, generation = excluded.generation`,
	ClusterKeys:   `SELECT keys FROM dedup_clusters WHERE id = ?`,
	UnfileCluster: `DELETE FROM dedup_cluster_keys WHERE cluster_id = ? AND key IN (SELECT value FROM json_each(?))`,
	// json_each's key is the element's index.
	FileCluster: `INSERT INTO dedup_cluster_keys (cluster_id, key, seq) SELECT ?, value, ? + key FROM json_each(?)`,

	// Through the indexes on generation.
	ChangedStories: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters
		WHERE generation > ? AND generation < ? ORDER BY generation, id`,
	DroppedStories: `SELECT id FROM dedup_cluster_drops WHERE generation > ? AND generation < ?`,
	PruneDrops:     `DELETE FROM dedup_cluster_drops WHERE generation < ?`,
	RaisePruned:    `UPDATE dedup_doc_count SET drops_pruned = max(drops_pruned, ?)`,
	// Through the index on last_at.
	RecentStories: `SELECT ` + sqldb.DedupClusterColumns + ` FROM dedup_clusters WHERE last_at >= ?`,
	RecentFilings: `SELECT f.key, f.cluster_id FROM dedup_cluster_keys f
		JOIN dedup_clusters c ON c.id = f.cluster_id WHERE c.last_at >= ? ORDER BY f.seq`,
	// Through the unique index on article_id.
	Entries: `SELECT ` + sqldb.DedupEntryColumns + ` FROM dedup_entries WHERE article_id IN (SELECT value FROM json_each(?))`,
	// After 0 through the index on published, a later one the rowid (seq)
	// range after it: asked for rows in seq order, SQLite walks the whole
	// table by rowid rather than the index.
	Postings:      `SELECT seq, article_id, published, keys FROM dedup_entries INDEXED BY dedup_entries_published WHERE published >= ?`,
	PostingsAfter: `SELECT seq, article_id, published, keys FROM dedup_entries WHERE seq > ?2 AND published >= ?1`,

	DocFreq: `SELECT NULL, docs FROM dedup_doc_count
		UNION ALL SELECT term, docs FROM dedup_terms WHERE term IN (SELECT value FROM json_each(?))`,
	AddDocs: `UPDATE dedup_doc_count SET docs = docs + ?`,
	// Each count's terms as one JSON array of integers: reading [term,
	// count] pairs with json_extract was half the cost of the statement.
	AddTerms: `INSERT INTO dedup_terms (term, docs) SELECT value, ?1 FROM json_each(?2) WHERE true
		ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs`,
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

// dedupDB is the index's way to the Store: reads on the read pool, writes
// on the write connection, each statement through one prepared once and
// kept (preparing at every call was a tenth of the index's time).
type dedupDB struct {
	s      *Store
	mu     sync.Mutex // guards stmts and wanted
	stmts  map[stmtKey]*sql.Stmt
	wanted map[stmtKey]bool // statements to prepare once their transaction ends
}

type stmtKey struct {
	db    *sql.DB
	query string
}

var _ sqldb.DedupDB = (*dedupDB)(nil)

// Reader implements sqldb.DedupDB: statements on the read pool, prepared
// there on first use.
func (d *dedupDB) Reader() sqldb.Querier { return stmtQuerier{poolStmts{d}} }

// Read implements sqldb.DedupDB, in a transaction on a read connection.
func (d *dedupDB) Read(ctx context.Context, fn func(sqldb.Querier) error) error {
	tx, err := d.s.r.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	err = fn(stmtQuerier{&txStmts{d: d, db: d.s.r, tx: tx}})
	_ = tx.Rollback()
	d.prepareWanted(ctx, d.s.r)
	return err
}

// Write implements sqldb.DedupDB, in the Store's write transaction.
func (d *dedupDB) Write(ctx context.Context, fn func(sqldb.Querier) error) error {
	err := d.s.write(ctx, func(tx *sql.Tx) error {
		return fn(stmtQuerier{&txStmts{d: d, db: d.s.w, tx: tx}})
	})
	d.prepareWanted(ctx, d.s.w)
	return err
}

// WriteOne implements sqldb.DedupDB: every write goes through the write
// transaction.
func (d *dedupDB) WriteOne(ctx context.Context, fn func(sqldb.Querier) error) error {
	return d.Write(ctx, fn)
}

// stmt returns query prepared on db, preparing it on first use. Prepared
// statements end with the Store's connections.
func (d *dedupDB) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	d.mu.Lock()
	st := d.stmts[k]
	d.mu.Unlock()
	if st != nil {
		return st, nil
	}
	// Not under mu: preparing waits for a connection, which a transaction
	// that needs mu may hold.
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if prev := d.stmts[k]; prev != nil {
		_ = st.Close()
		return prev, nil
	}
	if d.stmts == nil {
		d.stmts = make(map[stmtKey]*sql.Stmt)
	}
	d.stmts[k] = st
	return st, nil
}

// prepared returns the statement of query prepared on db, or nil if it is
// not prepared yet, noting that it is wanted. It never prepares one: a
// transaction holds a connection that preparing on db may wait for.
func (d *dedupDB) prepared(db *sql.DB, query string) *sql.Stmt {
	k := stmtKey{db, query}
	d.mu.Lock()
	defer d.mu.Unlock()
	if st := d.stmts[k]; st != nil {
		return st
	}
	if d.wanted == nil {
		d.wanted = make(map[stmtKey]bool)
	}
	d.wanted[k] = true
	return nil
}

// prepareWanted prepares the statements of db that transactions wanted,
// for the next time. It runs once a transaction has ended, so a failure
// (a context ending) only costs parsing again and is not reported.
func (d *dedupDB) prepareWanted(ctx context.Context, db *sql.DB) {
	d.mu.Lock()
	var wanted []stmtKey
	for k := range d.wanted {
		if k.db == db {
			wanted = append(wanted, k)
			delete(d.wanted, k)
		}
	}
	d.mu.Unlock()
	for _, k := range wanted {
		_, _ = d.stmt(ctx, db, k.query)
	}
}

// stmtSource gives the prepared statement of a query.
type stmtSource interface {
	stmt(ctx context.Context, query string) (*sql.Stmt, error)
	// direct is where a query that could not be prepared runs, so that
	// QueryRow reports the error in its Row as the caller expects.
	direct() sqlQuerier
}

// stmtQuerier adapts a stmtSource to sqldb.Querier.
type stmtQuerier struct{ src stmtSource }

func (q stmtQuerier) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	st, err := q.src.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q stmtQuerier) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	st, err := q.src.stmt(ctx, query)
	if err != nil {
		return sqlRow{q.src.direct().QueryRowContext(ctx, query, args...)}
	}
	return sqlRow{st.QueryRowContext(ctx, args...)}
}

func (q stmtQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	st, err := q.src.stmt(ctx, query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// poolStmts are the statements of the read pool, prepared there on first
// use.
type poolStmts struct{ d *dedupDB }

func (p poolStmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.d.stmt(ctx, p.d.s.r, query)
}

func (p poolStmts) direct() sqlQuerier { return p.d.s.r }

// txStmts are the statements of tx, a transaction on db: db's prepared
// statements bound to tx, or, until db has one, a statement prepared on
// tx itself, as a look-up runs one per key.
type txStmts struct {
	d     *dedupDB
	db    *sql.DB
	tx    *sql.Tx
	bound map[string]*sql.Stmt // statements of tx, which end with it
}

func (t *txStmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st := t.bound[query]; st != nil {
		return st, nil
	}
	var st *sql.Stmt
	if pooled := t.d.prepared(t.db, query); pooled != nil {
		st = t.tx.StmtContext(ctx, pooled)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	if t.bound == nil {
		t.bound = make(map[string]*sql.Stmt, 4)
	}
	t.bound[query] = st
	return st, nil
}

func (t *txStmts) direct() sqlQuerier { return t.tx }
