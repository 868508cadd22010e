package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
)

// update rewrites the golden files of TestCLIGolden from this build.
var update = flag.Bool("update", false, "rewrite testdata/cli from this build's output")

// TestCLIGolden guards the command line as a public interface: every
// command's --help and one run of each file stage (extract, tag, dedup)
// must print what testdata/cli holds, which a previous build wrote. A
// change to them is deliberate: rerun with -update and let the diff of
// testdata/cli show it in review.
func TestCLIGolden(t *testing.T) {
	dir := t.TempDir()
	page := gunzipTo(t, "../../extract/testdata/20c5b16762e51e9bb45d.html.gz", filepath.Join(dir, "page.html"))
	articles := corpusJSONL(t, filepath.Join(dir, "articles.jsonl"), 60)
	few := corpusJSONL(t, filepath.Join(dir, "few.jsonl"), 12)

	cases := map[string][]string{
		"extract": {"extract", "--html", "--url", "https://example.com/news/1", page},
		"tag":     {"tag", "--jsonl", few},
		"dedup":   {"dedup", articles},
	}
	for _, path := range commandPaths(t) {
		name := "help"
		if len(path) > 0 {
			name += "-" + strings.Join(path, "-")
		}
		cases[name] = append(path, "--help")
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if err := runExiting(&out, &errOut, args); err != nil {
				t.Fatalf("taglines %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
			}
			got := strings.ReplaceAll(out.String(), dir, "$DIR")
			golden := filepath.Join("testdata", "cli", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (a new command? run go test -run TestCLIGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("taglines %s: output differs from %s; if intended, rerun with -update\n%s",
					strings.Join(args, " "), golden, firstDiff(string(want), got))
			}
		})
	}
}

// exited is the panic that stands for the process's exit after --help.
type exited struct{ code int }

// runExiting runs the command line in-process; an exit with status 0 (after
// --help) ends the run there, as it ends the process.
func runExiting(stdout, stderr io.Writer, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(exited)
			if !ok {
				panic(r)
			}
			if e.code != 0 {
				err = fmt.Errorf("exit status %d", e.code)
			}
		}
	}()
	m := &Main{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr,
		Exit: func(code int) { panic(exited{code}) },
		Now:  func() time.Time { return time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC) }}
	return m.Run(context.Background(), args)
}

// commandPaths lists every command of the parser, leaves and groups, with
// the root as the empty path.
func commandPaths(t *testing.T) [][]string {
	t.Helper()
	var c cli
	parser, err := kong.New(&c, kong.Vars{"user_agent": "x"})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var walk func(n *kong.Node, path []string)
	walk = func(n *kong.Node, path []string) {
		out = append(out, path)
		for _, ch := range n.Children {
			if ch.Type == kong.CommandNode {
				walk(ch, append(append([]string(nil), path...), ch.Name))
			}
		}
	}
	walk(parser.Model.Node, nil)
	return out
}

// gunzipTo writes the gzipped file src, uncompressed, to dst.
func gunzipTo(t *testing.T, src, dst string) string {
	t.Helper()
	if err := os.WriteFile(dst, gunzip(t, src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// gunzip reads the gzipped file src.
func gunzip(t *testing.T, src string) []byte {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// corpusJSONL writes the first n articles of the demo corpus as the JSONL
// that tag --jsonl and dedup read, a day apart from a fixed instant.
func corpusJSONL(t *testing.T, dst string, n int) string {
	t.Helper()
	var buf bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(gunzip(t, "../../testpub/corpus/corpus.jsonl.gz")))
	sc.Buffer(nil, 16<<20)
	base := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n && sc.Scan(); i++ {
		var a struct {
			ID, Source, Title string
			Paragraphs        []string
			AgeMinutes        int `json:"age_minutes"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(map[string]any{"id": a.ID, "title": a.Title, "source": a.Source,
			"text":      strings.Join(a.Paragraphs, "\n\n"),
			"published": base.Add(-time.Duration(a.AgeMinutes) * time.Minute).Format(time.RFC3339)})
		buf.Write(append(line, '\n'))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// firstDiff shows the first line where want and got part.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, wl, gl)
		}
	}
	return ""
}
