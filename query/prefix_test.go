package query

import "testing"

// TestPrefixTermStems: a prefix matches the stems of the words it begins,
// even where the stemmer cut into it.
func TestPrefixTermStems(t *testing.T) {
	for _, tt := range []struct{ prefix, word string }{
		{"wildfire", "wildfires"}, {"wildfire", "wildfire"}, {"olympic", "Olympics"}, {"olympic", "Olympic"},
		{"immigra", "immigrants"}, {"cryptocurrenc", "cryptocurrencies"}, {"vaccin", "vaccination"}, {"boxer", "boxers"},
		{"санкци", "санкции"}, {"refugee", "refugees"}, {"election", "elections"}, {"earthquake", "Earthquakes"}, {"grammy", "Grammys"},
	} {
		q, err := Parse(tt.prefix + "*")
		if err != nil {
			t.Fatal(err)
		}
		if !q.Match(&Doc{Text: "News of the " + tt.word + " today."}) {
			t.Errorf("%s* does not match %q (held as %q, the prefix as %q)", tt.prefix, tt.word, IndexTerm(Normalise(tt.word)[0]), PrefixTerm(tt.prefix))
		}
	}
	q, _ := Parse("olympic*")
	if q.Match(&Doc{Text: "An olive grove."}) {
		t.Error("olympic* matches olive")
	}
}
