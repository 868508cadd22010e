package ner

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

func TestPathPrefix(t *testing.T) {
	tests := []struct {
		path string
		k    int
		want string
	}{
		{"0110", 2, "01"},
		{"0110", 4, "0110"},
		{"0110", 10, "0110"},
		{"1", 4, "1"},
		{"", 4, ""},
	}
	for _, tt := range tests {
		c, err := encodePath(tt.path)
		if err != nil {
			t.Fatalf("encodePath(%q): %v", tt.path, err)
		}
		want, _ := encodePath(tt.want)
		if got := pathPrefix(c, tt.k); got != want {
			t.Errorf("pathPrefix(%q, %d) = %b, want %b", tt.path, tt.k, got, want)
		}
	}
	if a, b := mustEncode(t, "0"), mustEncode(t, "00"); a == b {
		t.Errorf("paths 0 and 00 encode alike (%b)", a)
	}
	if pathPrefix(0, 4) != 0 {
		t.Errorf("pathPrefix(0, 4) = %b, want 0 (no cluster)", pathPrefix(0, 4))
	}
}

func mustEncode(t *testing.T, p string) uint32 {
	t.Helper()
	c, err := encodePath(p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReadClusters(t *testing.T) {
	got, err := ReadClusters(strings.NewReader("Moscow\t0010\nParis\t0011\n"))
	if err != nil || len(got) != 2 || got["Paris"] != "0011" {
		t.Errorf("ReadClusters = %v, %v; want two words, Paris at 0011", got, err)
	}
	for _, in := range []string{"no tab\n", "word\t01x\n", "\t01\n", "w\t" + strings.Repeat("0", 32) + "\n"} {
		if _, err := ReadClusters(strings.NewReader(in)); err == nil {
			t.Errorf("ReadClusters(%q) succeeded, want an error", in)
		}
	}
}

// TestShippedClusters checks that the shipped model carries the committed
// clusters.txt.gz, so that the file and the model cannot drift apart.
func TestShippedClusters(t *testing.T) {
	b, err := os.ReadFile("clusters.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 2<<20 {
		t.Errorf("clusters.txt.gz has %d bytes, want at most 2 MiB", len(b))
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	file, err := ReadClusters(zr)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.feat.clusters) != len(file) {
		t.Fatalf("model has %d clustered words, clusters.txt.gz %d: retrain the model", len(m.feat.clusters), len(file))
	}
	for w, p := range file {
		if c := mustEncode(t, p); m.feat.clusters[w] != c {
			t.Fatalf("word %q: model path %b, file %s: retrain the model", w, m.feat.clusters[w], p)
		}
	}
}
