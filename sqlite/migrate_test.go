package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/taglines/taglines/dedup"
)

// TestMigrateFilings upgrades an index filed by rowid (migration 12) to
// filings numbered from generations (13) and back: filings keep their
// order, and a story filed after the upgrade is the newest under its key.
func TestMigrateFilings(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "taglines.db")
	db, err := openDB(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 12); err != nil {
		t.Fatalf("up to 12: %v", err)
	}
	key := uint64(1<<63 | 12345)
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for i, id := range []int64{2, 1} { // filed 2 first, then 1
		if _, err := db.ExecContext(ctx, `INSERT INTO dedup_clusters (id, size, first_at, last_at, centroid, keys, generation)
			VALUES (?, 1, ?, ?, ?, ?, 3)`, id, at.UnixMicro(), at.UnixMicro(),
			dedup.EncodeVector(dedup.Vector{{Key: key, Weight: 1}}), dedup.EncodeKeys([]uint64{key})); err != nil {
			t.Fatal(err)
		}
		// Rowids past what generation 3 numbers from: the upgrade must
		// move the generation past them.
		if _, err := db.ExecContext(ctx, `INSERT INTO dedup_cluster_keys (seq, cluster_id, key) VALUES (?, ?, ?)`, 1<<30+i, id, int64(key)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE dedup_doc_count SET generation = 3`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open = %v", err)
	}
	idx := s.DedupIndex().(dedup.Shared)
	newest := func(want int64) {
		t.Helper()
		got, err := idx.Stories(ctx, dedup.Query{Keys: []uint64{key}, PerKey: 1, Since: at})
		if err != nil || len(got) != 1 || got[0].ID != want {
			t.Fatalf("newest story under the key = %v, %v, want %d", got, err, want)
		}
	}
	newest(1)
	if err := idx.PutCluster(ctx, dedup.Cluster{ID: 3, Size: 1, First: at, Last: at, Centroid: dedup.Vector{{Key: key, Weight: 1}}, Keys: []uint64{key}}); err != nil {
		t.Fatal(err)
	}
	newest(3)
	order := func(db *sql.DB) []int64 {
		t.Helper()
		rows, err := db.QueryContext(ctx, `SELECT cluster_id FROM dedup_cluster_keys ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		return ids
	}
	if got := order(s.w); !slices.Equal(got, []int64{2, 1, 3}) {
		t.Errorf("filing order after the upgrade = %v, want [2 1 3]", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = openDB(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err = goose.NewProvider(goose.DialectSQLite3, db, fsys, goose.WithDisableGlobalRegistry(true)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 12); err != nil {
		t.Fatalf("down to 12: %v", err)
	}
	if got := order(db); !slices.Equal(got, []int64{2, 1, 3}) {
		t.Errorf("filing order after going back = %v, want [2 1 3]", got)
	}
}
