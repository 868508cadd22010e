package sqldb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/taglines/taglines/sqldb"
)

func TestTimeScan(t *testing.T) {
	at := time.Date(2025, 7, 9, 10, 11, 12, 123456000, time.UTC)
	for _, tc := range []struct {
		src  any
		want time.Time
	}{
		{nil, time.Time{}},
		{at.UnixMicro(), at},
		{at.In(time.FixedZone("MSK", 3*3600)), at},
	} {
		var got sqldb.Time
		if err := got.Scan(tc.src); err != nil {
			t.Fatalf("Scan(%v): %v", tc.src, err)
		}
		if !got.Equal(tc.want) || got.Location() != time.UTC && !got.IsZero() {
			t.Errorf("Scan(%v) = %v, want %v in UTC", tc.src, got.Time, tc.want)
		}
	}
	var got sqldb.Time
	if err := got.Scan("2025-07-09"); err == nil {
		t.Error("Scan of a string: no error")
	}
}

type fakeRows struct {
	vals []int
	i    int
	err  error
	shut bool
}

func (r *fakeRows) Next() bool { r.i++; return r.i <= len(r.vals) }
func (r *fakeRows) Scan(dest ...any) error {
	*dest[0].(*int) = r.vals[r.i-1]
	return nil
}
func (r *fakeRows) Err() error { return r.err }
func (r *fakeRows) Close()     { r.shut = true }

func TestCollect(t *testing.T) {
	scan := func(row sqldb.Row) (int, error) {
		var v int
		err := row.Scan(&v)
		return v, err
	}
	rows := &fakeRows{vals: []int{3, 1, 2}}
	got, err := sqldb.Collect(rows, nil, scan)
	if err != nil || len(got) != 3 || got[0] != 3 || got[2] != 2 || !rows.shut {
		t.Errorf("Collect = %v, %v, closed %v", got, err, rows.shut)
	}
	boom := errors.New("boom")
	if _, err := sqldb.Collect[int](nil, boom, scan); !errors.Is(err, boom) {
		t.Errorf("query error: %v", err)
	}
	rows = &fakeRows{vals: []int{1}, err: boom}
	if _, err := sqldb.Collect(rows, nil, scan); !errors.Is(err, boom) || !rows.shut {
		t.Errorf("rows error: %v, closed %v", err, rows.shut)
	}
}
