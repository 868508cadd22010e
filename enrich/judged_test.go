package enrich

import (
	"slices"
	"testing"
)

// TestJudgedDemoTags holds the wrong tags found by judging demo articles by
// hand (see the README's benchmark table), with the right ones beside
// them: what was fixed stays fixed.
func TestJudgedDemoTags(t *testing.T) {
	corpus := demoCorpus(t)
	tagger, err := NewTagger(Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id        string
		want, not []string
	}{
		{"bbc-entertainment-299", []string{"stephenfry"}, []string{"thehitchhiker", "theguide"}}, // a work's title
		{"bbc-sport-473", []string{"rogerfederer"}, []string{"faultlessfederer"}},                // the headline's partial name
		{"bbc-business-149", []string{"saab"}, []string{"european", "markets"}},                  // an adjective; "market share"
		{"bbc-tech-094", []string{"dvd"}, []string{"dvds"}},                                      // a plural beside its singular
		{"reuters-07126", []string{"philippines"}, []string{"philippine"}},                       // the same, the other way
		{"reuters-04555", []string{"paulvolcker"}, []string{"volckersays"}},
		{"reuters-01361", []string{"fcoj"}, []string{"department"}},             // a kind of body, not which one
		{"bbc-entertainment-269", []string{"georgemichael"}, []string{"story"}}, // a title-case headline's verb
	}
	for _, tt := range tests {
		a, ok := corpus[tt.id]
		if !ok {
			t.Errorf("no corpus article %s", tt.id)
			continue
		}
		var slugs []string
		for _, tg := range tagger.Tag(a).Tags {
			slugs = append(slugs, tg.Tag.Slug)
		}
		for _, w := range tt.want {
			if !slices.Contains(slugs, w) {
				t.Errorf("%s: tags %v lack #%s", tt.id, slugs, w)
			}
		}
		for _, n := range tt.not {
			if slices.Contains(slugs, n) {
				t.Errorf("%s: tags %v have the wrong #%s", tt.id, slugs, n)
			}
		}
	}
}
