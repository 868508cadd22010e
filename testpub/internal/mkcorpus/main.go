// Command mkcorpus builds testpub's embedded corpus, corpus/corpus.jsonl.gz,
// from the team's shared data: the articles of the two reference tag pages,
// a sample of the BBC News set and a sample of Reuters-21578.
//
// The output is a pure function of the inputs: run it twice and the bytes are
// the same.
//
//	go run ./testpub/internal/mkcorpus -data ../shared/data -ref ../shared/reference -out testpub/corpus/corpus.jsonl.gz
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// record is one corpus line; testpub.Article decodes the same JSON.
type record struct {
	ID         string   `json:"id"`
	Origin     string   `json:"origin"`
	Source     string   `json:"source"`
	Section    string   `json:"section"`
	Title      string   `json:"title"`
	Paragraphs []string `json:"paragraphs"`
	Author     string   `json:"author,omitempty"`
	Categories []string `json:"categories"`
	AgeMinutes int      `json:"age_minutes,omitempty"`
	Ordinal    int      `json:"ordinal"`
}

func main() {
	data := flag.String("data", "../shared/data", "the shared data directory")
	ref := flag.String("ref", "../shared/reference", "the reference pages directory")
	out := flag.String("out", "testpub/corpus/corpus.jsonl.gz", "output file")
	nBBC := flag.Int("bbc", 320, "BBC articles to sample, spread evenly over the sections")
	nReuters := flag.Int("reuters", 320, "Reuters stories to sample, spread evenly over the desks")
	flag.Parse()
	if err := run(*data, *ref, *out, *nBBC, *nReuters); err != nil {
		fmt.Fprintln(os.Stderr, "mkcorpus:", err)
		os.Exit(1)
	}
}

func run(data, ref, out string, nBBC, nReuters int) error {
	refs, err := readReference(ref)
	if err != nil {
		return err
	}
	bbc, err := readBBC(filepath.Join(data, "sections", "bbc", "bbc-dev.zip"), nBBC)
	if err != nil {
		return err
	}
	reuters, err := readReuters(filepath.Join(data, "corpus", "reuters21578"), nReuters)
	if err != nil {
		return err
	}
	all := append(append(refs, bbc...), reuters...)
	for i := range all {
		all[i].Ordinal = i
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	zw.ModTime = time.Time{} // deterministic output
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for i := range all {
		if err := enc.Encode(&all[i]); err != nil {
			return fmt.Errorf("encode %s: %w", all[i].ID, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "mkcorpus: wrote %s: %d reference, %d BBC, %d Reuters articles, %d bytes\n",
		out, len(refs), len(bbc), len(reuters), buf.Len())
	return nil
}
