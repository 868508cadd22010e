package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
)

// Writes that run together in one transaction stay atomic and independent:
// each failing write is undone alone, the others commit, and a write whose
// caller gave up before it ran writes nothing.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.w.Exec(`CREATE TABLE scratch (x INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	errBoom := errors.New("boom")
	const writers = 200
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			errs[i] = s.write(ctx, func(tx *sql.Tx) error {
				// Two rows per write: 1000+i, and i or a conflicting one.
				if _, err := tx.ExecContext(ctx, `INSERT INTO scratch (x) VALUES (?)`, 1000+i); err != nil {
					return err
				}
				switch i % 10 {
				case 3: // a constraint error half-way: the first row must go too
					_, err := tx.ExecContext(ctx, `INSERT INTO scratch (x) VALUES (?)`, 1000+i)
					return err
				case 7:
					return errBoom
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO scratch (x) VALUES (?)`, i)
				return err
			})
		})
	}
	// Statements run alone join the batches too.
	for i := range 50 {
		wg.Go(func() {
			if _, err := s.wr.exec(ctx, `INSERT INTO scratch (x) VALUES (?)`, 5000+i); err != nil {
				t.Errorf("exec %d: %v", i, err)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.write(cancelled, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO scratch (x) VALUES (9999)`)
		return err
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("write with a cancelled context = %v, want context.Canceled", err)
	}
	wg.Wait()
	for i, err := range errs {
		switch i % 10 {
		case 3:
			if err == nil {
				t.Errorf("write %d: no error, want the constraint's", i)
			}
		case 7:
			if !errors.Is(err, errBoom) {
				t.Errorf("write %d = %v, want its own error", i, err)
			}
		default:
			if err != nil {
				t.Errorf("write %d: %v", i, err)
			}
		}
	}
	rows, err := s.r.Query(`SELECT x FROM scratch ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int]bool{}
	for rows.Next() {
		var x int
		if err := rows.Scan(&x); err != nil {
			t.Fatal(err)
		}
		got[x] = true
	}
	want := 0
	for i := range writers {
		ok := i%10 != 3 && i%10 != 7
		if got[1000+i] != ok || got[i] != ok {
			t.Errorf("write %d: rows %d=%v %d=%v, want both %v", i, 1000+i, got[1000+i], i, got[i], ok)
		}
		if ok {
			want += 2
		}
	}
	want += 50
	if s.wr.grouped.Load() == 0 {
		t.Errorf("no write shared a transaction: nothing was tested")
	}
	if len(got) != want || got[9999] {
		t.Errorf("%d rows, want %d (and not the cancelled write's)", len(got), want)
	}
}
