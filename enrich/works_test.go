package enrich

import (
	"slices"
	"testing"
)

func TestWorkTitles(t *testing.T) {
	tests := []struct {
		doc  string
		want []string
	}{
		{"Fry joins the film\n\nActor Stephen Fry is joining the cast of The Hitchhiker's Guide To The Galaxy. Fry will voice The Guide.",
			[]string{"The Hitchhiker's Guide To The Galaxy"}},
		{"x\n\nShe read Lord Of The Rings twice, and The Bank of England said no.", []string{"Lord Of The Rings"}},
		// Names, and a title-case headline, are not works.
		{"Talks Continue On Tin Agreement Extension\n\nThe Bank of England and John Smith Jr met in New York.", nil},
		{"x\n\nPresident Vladimir Putin Said On Friday", []string{"President Vladimir Putin Said On Friday"}},
		// An initial is not a function word; a possessive before "The"
		// ends a name, not a work.
		{"x\n\nU.S. District Court Judge Eugene A. Gordon said so.", nil},
		{"x\n\nMel Gibson's The Passion Of The Christ won.", []string{"The Passion Of The Christ"}},
	}
	for _, tt := range tests {
		from := 0
		if i := indexPara(tt.doc); i >= 0 {
			from = i
		}
		var got []string
		for _, s := range workTitles(tt.doc, from) {
			got = append(got, tt.doc[s[0]:s[1]])
		}
		if len(got) != len(tt.want) {
			t.Errorf("workTitles(%q) = %q, want %q", tt.doc, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("workTitles(%q) = %q, want %q", tt.doc, got, tt.want)
			}
		}
	}
}

func indexPara(doc string) int {
	for i := 0; i+1 < len(doc); i++ {
		if doc[i] == '\n' && doc[i+1] == '\n' {
			return i + 2
		}
	}
	return -1
}

// TestNoTheNames: "The Hitchhiker" and "The Guide" of a film story are not
// a person and a place.
func TestNoTheNames(t *testing.T) {
	tagger, err := NewTagger(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := tagger.Tag(Article{Title: "Fry set for role in Hitchhiker's",
		Text: "Actor Stephen Fry is joining the cast of the forthcoming film adaptation of The Hitchhiker's Guide To The Galaxy.\n\n" +
			"Fry will provide the voice of The Guide, an electronic book which accompanies the story's hero Arthur Dent on his travels around the galaxy. " +
			"Martin Freeman, John Malkovich, Bill Nighy and Alan Rickman are co-starring in the film, due for release in May."})
	var slugs []string
	for _, tg := range res.Tags {
		slugs = append(slugs, tg.Tag.Slug)
		switch tg.Tag.Slug {
		case "thehitchhiker", "theguide", "galaxy", "hitchhiker":
			t.Errorf("tag %s from a work's title", tg.Tag.Name)
		}
	}
	want := map[string]bool{"stephenfry": false}
	for _, s := range slugs {
		if _, ok := want[s]; ok {
			want[s] = true
		}
	}
	for s, ok := range want {
		if !ok {
			t.Errorf("tags %v lack %s", slugs, s)
		}
	}
}

// TestHeadlineNames: a headline's "Faultless Federer" is the body's Roger
// Federer, and adjectives of place are no tags.
func TestHeadlineNames(t *testing.T) {
	tagger, err := NewTagger(Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := tagger.Tag(Article{Title: "Faultless Federer has no equal",
		Text: "Roger Federer - nice bloke, fantastic tennis player - the ultimate sportsman. When Lleyton Hewitt shook his hand after getting another thrashing, " +
			"the Australian said: \"You're the best.\" Federer has won the last three meetings, and European and Asian fans queue to see him. " +
			"Federer plays again on Sunday, when the European season resumes."})
	var slugs []string
	for _, tg := range res.Tags {
		slugs = append(slugs, tg.Tag.Slug)
	}
	if !slices.Contains(slugs, "rogerfederer") || slices.Contains(slugs, "faultlessfederer") {
		t.Errorf("tags %v, want #RogerFederer and no #FaultlessFederer", slugs)
	}
	for _, bad := range []string{"european", "asian", "australian"} {
		if slices.Contains(slugs, bad) {
			t.Errorf("tags %v: %s is an adjective", slugs, bad)
		}
	}
	for _, tt := range []struct {
		name string
		want bool
	}{{"European", true}, {"Western", true}, {"Japanese", true}, {"Islamic", true}, {"Christmas", false}, {"Brexit", false}, {"Iran", false}, {"Latin American", false}} {
		if got := adjective(tt.name); got != tt.want {
			t.Errorf("adjective(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
