package ner

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/taglines/taglines/enrich/token"
)

// referenceScores sums the weights of every feature of every token, as the
// model was trained, without the word cache.
func referenceScores(m *Model, words []string) []int32 {
	L := len(m.labels)
	infos := m.feat.infos(words)
	allCaps := isAllCaps(words)
	out := make([]int32, len(words)*L)
	var keys []uint32
	for i := range words {
		keys = withDomain(m.feat.features(keys[:0], infos, i, allCaps), 0, m.domain)
		m.addWeights(out[i*L:(i+1)*L], keys)
	}
	return out
}

// The cached partial sums must give exactly the scores of the full feature
// set, on real news text, for every domain, from a cold and a warm cache.
func TestDecodeMatchesFeatures(t *testing.T) {
	m0, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../testdata/reference/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no reference texts: %v", err)
	}
	var sents [][]string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range token.Sentences(token.Tokenize(string(b))) {
			var words []string
			for _, tk := range s.Tokens {
				words = append(words, tk.Text)
			}
			sents = append(sents, words)
		}
	}
	// Headlines in capitals, boundaries, digits, quotes, unknown words.
	sents = append(sents, []string{"PUTIN", "MEETS", "ERDOGAN", "IN", "ISTANBUL"}, []string{"<S>"},
		[]string{"“Quoted”", "–", "1,234", "Zxqwv", "'s", "N.J."}, []string{"Gazprom"})
	for _, domain := range []string{"conll", "gmb", ""} {
		m := m0.WithDomain(domain)
		for round := range 2 {
			for _, words := range sents {
				got, want := m.scores(words, nil), referenceScores(m, words)
				if !slices.Equal(got, want) {
					t.Fatalf("domain %q round %d: scores of %q differ from the full feature set", domain, round, words)
				}
			}
		}
	}
	if len(sents) < 50 {
		t.Fatalf("only %d sentences tested", len(sents))
	}
}
