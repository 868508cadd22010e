package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

// testArticlesBySectionAndSource: the section and source pages' listings
// hold exactly that section's or source's entries, newest first, paged,
// versions folded; SectionCounts counts entries since a time.
func testArticlesBySectionAndSource(t *testing.T, st taglines.Store) {
	a := addSource(t, st, "https://a.example/feed")
	b := addSource(t, st, "https://b.example/feed")
	var all []*taglines.Article
	for i := range 30 {
		src := a
		if i%3 == 0 {
			src = b
		}
		art := newArticle(src, "s"+string(rune('a'+i%26))+time.Duration(i).String(), base.Add(time.Duration(i)*time.Hour))
		art.Section = []string{"Politics", "Business", "Sport"}[i%3]
		all = append(all, art)
	}
	addArticles(t, st, all...)
	// The newest Politics article is a version of an older one.
	older, newer := all[0], all[27]
	if err := st.SetGroups(t.Context(), []taglines.Group{{ArticleID: newer.ID, DuplicateOf: older.ID, Cluster: older.ID}, {ArticleID: older.ID, Cluster: older.ID}}); err != nil {
		t.Fatal(err)
	}
	want := func(keep func(*taglines.Article) bool, collapse bool) []int64 {
		var out []*taglines.Article
		for _, x := range all {
			if keep(x) && !(collapse && x == older) {
				out = append(out, x)
			}
		}
		return ids(newestFirst(out))
	}
	for _, section := range []string{"Politics", "Business", "Sport"} {
		for _, collapse := range []bool{false, true} {
			got := ids(page(t, st, taglines.ArticleQuery{Section: section, Collapse: collapse, Limit: 4}))
			if w := want(func(x *taglines.Article) bool { return x.Section == section }, collapse); !slices.Equal(got, w) {
				t.Errorf("Articles(Section %s, Collapse %v) = %v, want %v", section, collapse, got, w)
			}
		}
	}
	if got := list(t, st, taglines.ArticleQuery{Section: "politics"}); len(got) != 0 {
		t.Errorf("Articles(Section politics) = %v: sections are exact names", ids(got))
	}
	for _, src := range []*taglines.Source{a, b} {
		got := ids(page(t, st, taglines.ArticleQuery{SourceID: src.ID, Collapse: true, Limit: 7}))
		if w := want(func(x *taglines.Article) bool { return x.SourceID == src.ID }, true); !slices.Equal(got, w) {
			t.Errorf("Articles(SourceID %d) = %v, want %v", src.ID, got, w)
		}
	}
	got := ids(list(t, st, taglines.ArticleQuery{SourceID: b.ID, Section: "Politics", Limit: 100}))
	if w := want(func(x *taglines.Article) bool { return x.SourceID == b.ID && x.Section == "Politics" }, false); !slices.Equal(got, w) {
		t.Errorf("Articles(SourceID b, Section Politics) = %v, want %v", got, w)
	}

	counts, err := st.SectionCounts(t.Context(), base.Add(15*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Hours 15..29: five of each, and the version group of 0 and 27 is
	// one entry, at 27's time.
	wantCounts := []taglines.SectionCount{{Name: "Business", Count: 5}, {Name: "Politics", Count: 5}, {Name: "Sport", Count: 5}}
	if !slices.Equal(counts, wantCounts) {
		t.Errorf("SectionCounts = %v, want %v", counts, wantCounts)
	}
	if counts, err := st.SectionCounts(t.Context(), base.Add(100*time.Hour)); err != nil || len(counts) != 0 {
		t.Errorf("SectionCounts after the last article = %v, %v, want none", counts, err)
	}
}
