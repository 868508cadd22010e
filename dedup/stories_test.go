package dedup

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// demoDocs returns the demo's articles as the poller's dedup stage sees
// them: the texts of testpub's corpus (BBC, Reuters-21578 and the
// reference pages), with the publication times, tags and names (people
// and organisations among the tags) they had in a run of `serve --demo`
// (testdata/demo-stories.jsonl.gz), in publication order.
func demoDocs(t *testing.T) (docs []Document, titles map[string]int64) {
	t.Helper()
	type corpusArticle struct {
		ID         string   `json:"id"`
		Title      string   `json:"title"`
		Paragraphs []string `json:"paragraphs"`
	}
	texts := map[string]corpusArticle{}
	readGz(t, "../testpub/corpus/corpus.jsonl.gz", func(line []byte) {
		var a corpusArticle
		if err := json.Unmarshal(line, &a); err != nil {
			t.Fatal(err)
		}
		texts[a.ID] = a
	})
	titles = map[string]int64{}
	readGz(t, "testdata/demo-stories.jsonl.gz", func(line []byte) {
		var in struct {
			ID        string    `json:"id"`
			Published time.Time `json:"published"`
			Tags      []string  `json:"tags"`
			Names     []string  `json:"names"`
		}
		if err := json.Unmarshal(line, &in); err != nil {
			t.Fatal(err)
		}
		a, ok := texts[in.ID]
		if !ok {
			t.Fatalf("demo article %s is not in the corpus", in.ID)
		}
		id := int64(len(docs) + 1)
		titles[a.Title] = id
		docs = append(docs, Document{
			ID: id, Title: a.Title, Text: strings.Join(a.Paragraphs, "\n\n"), Published: in.Published,
			Tags: in.Tags, Names: in.Names,
		})
	})
	return docs, titles
}

func readGz(t *testing.T, path string, line func([]byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestStoriesWithoutStrangers runs the demo's articles through a Deduper as
// the poller does (refining every hour of publication time) and checks
// pairs judged by hand: articles on one event share a story, articles
// that only share a subject's vocabulary (economic figures, a country, a
// sport) do not.
func TestStoriesWithoutStrangers(t *testing.T) {
	docs, titles := demoDocs(t)
	ctx := context.Background()
	d := New(NewMemIndex(), Options{})
	story := map[int64]int64{}
	var lastRefine time.Time
	for _, doc := range docs {
		res, err := d.Process(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		story[doc.ID] = res.Cluster
		if doc.Published.Sub(lastRefine) >= time.Hour {
			moved, err := d.Refine(ctx, doc.Published.Add(-d.RefineSpan()), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range moved {
				story[m.ID] = m.Cluster
			}
			lastRefine = doc.Published
		}
	}
	moved, err := d.Refine(ctx, docs[len(docs)-1].Published.Add(-d.RefineSpan()), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moved {
		story[m.ID] = m.Cluster
	}
	same := func(a, b string) bool {
		x, ok1 := titles[a]
		y, ok2 := titles[b]
		if !ok1 || !ok2 {
			t.Fatalf("no demo article %q or %q", a, b)
		}
		return story[x] == story[y]
	}
	for _, p := range [][2]string{
		{"Purolator Pcc in Buyout with Hutton Efh", "Purolator Pcc Director Quits Over Buyout"},
		{"E.F. Hutton Efh Starts Purolator Pcc Bid", "Purolator Pcc in Buyout with Hutton Efh"},
		{"REM announce new Glasgow concert", "REM concerts blighted by illness"},
	} {
		if !same(p[0], p[1]) {
			t.Errorf("%q and %q, one event, are in two stories", p[0], p[1])
		}
	}
	for _, p := range [][2]string{
		{"Putin and Erdogan discuss Ukraine and Syria", "Turkish Trade Deficit Widens in 1986"},
		{"Turkish Trade Deficit Widens in 1986", "U.S. Housing Starts Rose 2.6 Pct in February"},
		{"Williams battles to Aussie title", "Philippoussis doubt over Open bid"},
		{"Hughes Tool Ht Says Baker Bko Merger Alive", "Treasury's Baker Says U.s. Backs Stability"},
		{"Jugnot 'tops French actor league'", "France set for new Da Vinci novel"},
		{"Brazil plays down Varig rescue", "Brazil Wants to Increase Steel Exports to U.S."},
		{"Early Elvis recordings go on sale", "Beatles suits sell for $110,000"},
	} {
		if same(p[0], p[1]) {
			t.Errorf("%q and %q, strangers, are one story", p[0], p[1])
		}
	}
	sizes := map[int64]int{}
	for _, s := range story {
		sizes[s]++
	}
	stories, members := 0, 0
	for _, n := range sizes {
		if n > 1 {
			stories++
			members += n
		}
	}
	t.Logf("%d articles, %d stories of more than one, %d articles in them", len(docs), stories, members)
}
