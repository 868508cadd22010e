package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCost runs `bench dedup --sets cost` on store and returns its output.
func runCost(t *testing.T, store string, sizes string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Exit: func(code int) { t.Fatalf("exit(%d)", code) }}
	err := m.Run(context.Background(), []string{"bench", "dedup", "--sets", "cost", "--sizes", sizes, "--batch", "50", "--store", store})
	return out.String(), err
}

var costLine = regexp.MustCompile(`(?m)^ +300 articles: +[0-9.]+ µs/article on average, +[0-9.]+ µs/article for the last 30; `)

// TestBenchDedupCost runs the cost set on each database, and refuses to
// run it again on a database that holds an index.
func TestBenchDedupCost(t *testing.T) {
	for name, newDB := range databases(t) {
		t.Run(name, func(t *testing.T) {
			db := newDB(t)
			out, err := runCost(t, db, "300")
			if err != nil {
				t.Fatalf("bench dedup --sets cost --store %s: %v\n%s", db, err, out)
			}
			if !costLine.MatchString(out) {
				t.Errorf("bench dedup --sets cost --store %s printed no cost line for 300 articles:\n%s", db, out)
			}
			if _, err := runCost(t, db, "300"); err == nil || !strings.Contains(err.Error(), "not empty") && !strings.Contains(err.Error(), "already holds a dedup index") {
				t.Errorf("bench dedup --sets cost again on %s: error %v, want a refusal", db, err)
			}
		})
	}
}

func TestBenchDedupCostFiles(t *testing.T) {
	dir := t.TempDir()
	out, err := runCost(t, filepath.Join(dir, "cost.db"), "200,300")
	if err != nil {
		t.Fatalf("bench dedup --sets cost on two sizes: %v\n%s", err, out)
	}
	for _, f := range []string{"cost-200.db", "cost-300.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("bench dedup --sets cost --sizes 200,300: %v", err)
		}
	}
	if !costLine.MatchString(out) {
		t.Errorf("bench dedup --sets cost --sizes 200,300 printed no cost line for 300 articles:\n%s", out)
	}
	out, err = runCost(t, "memory", "300")
	if err != nil || !costLine.MatchString(out) {
		t.Errorf("bench dedup --sets cost in memory: %v\n%s", err, out)
	}
}
