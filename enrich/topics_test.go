package enrich

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestTopicExamples checks every default topic on real text
// (testdata/topics.tsv): at least one article that must carry it and one
// that must not, such as rugby's World Cup for #Football, a PlayStation's
// sales against the box office for #Film, a senator named Boxer for
// #Boxing, or a golf US Open for #Tennis.
func TestTopicExamples(t *testing.T) {
	corpus := map[string]string{} // corpus ID → its text
	for id, a := range demoCorpus(t) {
		corpus[id] = a.Text
	}

	data, err := os.ReadFile("testdata/topics.tsv")
	if err != nil {
		t.Fatal(err)
	}
	tg := testTagger(t)
	covered := map[string][2]bool{} // topic → has a match, has a non-match
	for n, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "# ") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || (f[1] != "+" && f[1] != "-") {
			t.Fatalf("topics.tsv:%d: want #Topic, +/-, source, title, text", n+1)
		}
		topic, want, source, title, text := strings.TrimPrefix(f[0], "#"), f[1] == "+", f[2], f[3], f[4]
		if id, ok := strings.CutPrefix(source, "corpus:"); ok {
			if text, ok = corpus[id]; !ok {
				t.Fatalf("topics.tsv:%d: no corpus article %s", n+1, id)
			}
		}
		res := tg.Tag(Article{Title: title, Text: text})
		got := false
		for _, tag := range res.Tags {
			got = got || (tag.Type == TypeTopic && tag.Tag.Name == topic)
		}
		if got != want {
			t.Errorf("#%s on %q (%s) = %v, want %v; tags %v", topic, title, source, got, want, res.Tags)
		}
		c := covered[topic]
		if want {
			c[0] = true
		} else {
			c[1] = true
		}
		covered[topic] = c
	}
	for _, tp := range DefaultTopics() {
		if c := covered[tp.Tag.Name]; !c[0] || !c[1] {
			t.Errorf("#%s has no example that must match or none that must not (%v)", tp.Tag.Name, c)
		}
	}
}

// demoCorpus reads the demo corpus (testpub/corpus): its articles by ID.
func demoCorpus(t *testing.T) map[string]Article {
	t.Helper()
	f, err := os.Open("../testpub/corpus/corpus.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Article{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var a struct {
			ID         string   `json:"id"`
			Title      string   `json:"title"`
			Source     string   `json:"source"`
			Paragraphs []string `json:"paragraphs"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		out[a.ID] = Article{Title: a.Title, Text: strings.Join(a.Paragraphs, "\n\n"), Source: a.Source}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
