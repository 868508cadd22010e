package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCostTargets checks where each size of the cost set puts its index.
func TestCostTargets(t *testing.T) {
	for _, tc := range []struct {
		name, store string
		sizes       []int
		want        []costTarget
	}{
		{"memory", "memory", []int{10, 20}, []costTarget{{n: 10}, {n: 20}}},
		{"one file", "/d/cost.db", []int{10}, []costTarget{{n: 10, db: "/d/cost.db"}}},
		{"a file per size", "/d/cost.db", []int{10, 20}, []costTarget{{n: 10, db: "/d/cost-10.db"}, {n: 20, db: "/d/cost-20.db"}}},
		{"a schema per size", "postgres://h/db", []int{10, 20}, []costTarget{
			{n: 10, db: "postgres://h/db?search_path=dedup_cost_10", schema: "dedup_cost_10"},
			{n: 20, db: "postgres://h/db?search_path=dedup_cost_20", schema: "dedup_cost_20"}}},
		{"a named schema per size", "postgres://h/db?search_path=x", []int{10, 20}, []costTarget{
			{n: 10, db: "postgres://h/db?search_path=x_10", schema: "x_10"},
			{n: 20, db: "postgres://h/db?search_path=x_20", schema: "x_20"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := &DedupOptions{Store: tc.store, Sizes: tc.sizes}
			got, err := o.costTargets()
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("costTargets(%q, %v) = %v, %v, want %v", tc.store, tc.sizes, got, err, tc.want)
			}
		})
	}
	for _, o := range []DedupOptions{{Store: "", Sizes: []int{10}}, {Store: "memory", Sizes: []int{0}}} {
		if _, err := o.costTargets(); err == nil {
			t.Errorf("costTargets(%q, %v): no error", o.Store, o.Sizes)
		}
	}
}

// TestCostCheck refuses an SQLite file that holds anything: the cost set
// never deletes a user's data.
func TestCostCheck(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.db")
	if err := os.WriteFile(full, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := (costTarget{n: 1, db: filepath.Join(dir, "new.db")}).check(ctx); err != nil {
		t.Errorf("check(a new file) = %v, want nil", err)
	}
	if err := (costTarget{n: 1, db: full}).check(ctx); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("check(a file with data) = %v, want a refusal", err)
	}
}

var costLine = regexp.MustCompile(`(?m)^ +300 articles: +[0-9.]+ µs/article on average, +[0-9.]+ µs/article for the last 30; `)

// TestDedupCostMemory runs the cost set on the in-memory index; the
// command's tests run it on each database.
func TestDedupCostMemory(t *testing.T) {
	var out bytes.Buffer
	err := Dedup(context.Background(), &out, DedupOptions{Sets: []string{"cost"}, Sizes: []int{300}, Seed: 1, Store: "memory", Batch: 50})
	if err != nil {
		t.Fatalf("Dedup(cost, memory): %v\n%s", err, out.String())
	}
	if !costLine.MatchString(out.String()) {
		t.Errorf("Dedup(cost, memory) wrote no cost line for 300 articles:\n%s", out.String())
	}
	err = Dedup(context.Background(), &out, DedupOptions{Sets: []string{"cost"}, Sizes: []int{300}, Store: filepath.Join(t.TempDir(), "x.db"), Batch: 50})
	if err == nil {
		t.Errorf("Dedup(cost, SQLite) without OpenStore: no error")
	}
}
