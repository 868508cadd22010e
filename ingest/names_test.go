package ingest

import (
	"slices"
	"testing"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
)

// TestTagArticleNames: the dedup stage is given the people and
// organisations among an article's tags, not its places or topics.
func TestTagArticleNames(t *testing.T) {
	tagger, err := enrich.NewTagger(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &taglines.Article{
		Title: "Putin and Erdogan discuss Ukraine and Syria",
		Text: "Russian President Vladimir Putin spoke to his Turkish counterpart, Recep Tayyip Erdogan, by phone. " +
			"The leaders discussed the Ukrainian conflict, as well as the recent escalation in Syria, according to a statement published by the Kremlin on Friday.",
	}
	names := tagArticle(tagger, nil, a, "Russia Today", nil, enrich.SectionMap{})
	if !slices.Contains(names, "vladimirputin") || !slices.Contains(names, "receptayyiperdogan") {
		t.Errorf("names = %q, want the two presidents (tags %v)", names, a.Tags)
	}
	for _, n := range names {
		if n == "syria" || n == "ukraine" || n == "ukrainianconflict" {
			t.Errorf("names = %q: %s is a place or a topic", names, n)
		}
		if !slices.ContainsFunc(a.Tags, func(tg taglines.Tag) bool { return tg.Slug == n }) {
			t.Errorf("name %s is not among the tags kept", n)
		}
	}
}
