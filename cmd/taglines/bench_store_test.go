package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/taglines/taglines/bench"
)

// TestMain lets the test binary stand in for taglines when a test starts
// it as a second process (bench search starts `serve` with its own
// executable).
func TestMain(m *testing.M) {
	if os.Getenv("TAGLINES_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestBenchFillAndSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	t.Setenv("TAGLINES_TEST_AS_MAIN", "1")
	db := filepath.Join(t.TempDir(), "fill.db")
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Now: NewMain().Now,
			Exit: func(code int) { t.Fatalf("exit(%d)", code) }}
		err := m.Run(context.Background(), append([]string{"--db", db, "--log-level", "warn"}, args...))
		return out.String() + errOut.String(), err
	}
	if out, err := run("bench", "fill", "--articles", "600", "--sources", "30", "--batch", "200"); err != nil || !strings.Contains(out, "600 articles") {
		t.Fatalf("bench fill: %v\n%s", err, out)
	}
	// Never into a store that holds data.
	if out, err := run("bench", "fill", "--articles", "10"); err == nil {
		t.Errorf("bench fill into a filled store: no error\n%s", out)
	}
	out, err := run("bench", "search", "--duration", "150ms", "--concurrency", "2", "--json")
	if err != nil {
		t.Fatalf("bench search: %v\n%s", err, out)
	}
	var fig loadFigures
	if err := json.Unmarshal([]byte(out[:strings.LastIndexByte(out, '}')+1]), &fig); err != nil {
		t.Fatalf("bench search --json: %v\n%s", err, out)
	}
	if fig.Articles != 600 || fig.IndexBytes <= 0 || fig.PeakRSSMiB <= 0 || len(fig.Routes) < 6 {
		t.Errorf("bench search figures: %+v", fig)
	}
	for _, r := range fig.Routes {
		if r.Requests == 0 || r.Errors != 0 || r.P99 < r.P50 || r.Max < r.P99 {
			t.Errorf("route %s: %d requests, %d errors, p50 %.2f p99 %.2f max %.2f", r.Name, r.Requests, r.Errors, r.P50, r.P99, r.Max)
		}
	}
	// Every route, with a writer beside the load.
	tags := bench.PseudoWord(0) + "," + bench.PseudoWord(3) + "," + bench.PseudoWord(8)
	out, err = run("bench", "serve", "--duration", "100ms", "--concurrency", "2", "--tags", tags, "--deep-page", "2", "--ingest", "5", "--json")
	if err != nil {
		t.Fatalf("bench serve: %v\n%s", err, out)
	}
	fig = loadFigures{}
	if err := json.Unmarshal([]byte(out[:strings.LastIndexByte(out, '}')+1]), &fig); err != nil {
		t.Fatalf("bench serve --json: %v\n%s", err, out)
	}
	if len(fig.Routes) < 20 || fig.Ingest == nil || fig.Ingest.Articles < 5 || fig.PeakRSSMiB <= 0 {
		t.Errorf("bench serve figures: %+v", fig)
	}
	for _, r := range fig.Routes {
		if r.Requests == 0 || r.Errors != 0 {
			t.Errorf("bench serve route %s (%s): %d requests, %d errors", r.Name, r.Path, r.Requests, r.Errors)
		}
	}
	out, err = run("bench", "search", "--duration", "10ms", "--concurrency", "1", "--json")
	if err != nil || !strings.Contains(out, fmt.Sprintf(`"articles": %d`, 600+fig.Ingest.Articles)) {
		t.Errorf("after bench serve --ingest: %v, want %d articles stored\n%s", err, 600+fig.Ingest.Articles, out)
	}
	if out, err := run("bench", "serve", "--tags", "a,b", "--duration", "10ms"); err == nil || !strings.Contains(out+err.Error(), "three tags") {
		t.Errorf("bench serve --tags a,b: %v, want a refusal\n%s", err, out)
	}
	if out, err := run("bench", "search", "--remote", "10.1.2.3:80", "--duration", "10ms"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("bench search --remote 10.1.2.3:80: %v, want a loopback refusal\n%s", err, out)
	}
}
