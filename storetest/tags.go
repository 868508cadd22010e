// The tags: their names and case folding, the counts of the tag pages and
// the operators' tag rules.

package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

func testTags(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	a := newArticle(src, "a", base, "Zebra", "Apple", "Mango")
	b := newArticle(src, "b", base.Add(time.Minute), "Mango")
	// The same tag twice on one article is one link.
	b.Tags = append(b.Tags, taglines.Tag{Slug: "mango", Name: "Mango"})
	addArticles(t, st, a, b)
	got, err := st.Article(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Tags, a.Tags) {
		t.Errorf("Article tags = %v, want %v in stored order", got.Tags, a.Tags)
	}
	listed := list(t, st, taglines.ArticleQuery{})
	if len(listed) != 2 || !slices.Equal(listed[1].Tags, a.Tags) || !slices.Equal(listed[0].Tags, []taglines.Tag{{Slug: "mango", Name: "Mango"}}) {
		t.Errorf("Articles tags = %v, want [[Mango] %v]", [][]taglines.Tag{listed[0].Tags, listed[1].Tags}, a.Tags)
	}
	// A tag given by name only gets its slug.
	c := newArticle(src, "c", base)
	c.Tags = []taglines.Tag{{Name: "NameOnly"}}
	addArticles(t, st, c)
	if got, err := st.Tag(t.Context(), "nameonly"); err != nil || got != (taglines.Tag{Slug: "nameonly", Name: "NameOnly"}) {
		t.Errorf("Tag(nameonly) = %v, %v", got, err)
	}
}

func testTagCaseFolding(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	first := newArticle(src, "1", base, "Ukraine")
	second := newArticle(src, "2", base.Add(time.Minute), "UKRAINE")
	third := newArticle(src, "3", base.Add(2*time.Minute), "Україна")
	fourth := newArticle(src, "4", base.Add(3*time.Minute), "УКРАЇНА")
	addArticles(t, st, first)
	addArticles(t, st, second, third)
	addArticles(t, st, fourth)
	stats, err := st.Stats(t.Context())
	if err != nil || stats.Tags != 2 {
		t.Errorf("Stats = %+v, %v, want 2 tags", stats, err)
	}
	// The first name wins.
	for _, a := range []*taglines.Article{first, second} {
		got, err := st.Article(t.Context(), a.ID)
		if err != nil || !slices.Equal(got.Tags, []taglines.Tag{{Slug: "ukraine", Name: "Ukraine"}}) {
			t.Errorf("Article(%s).Tags = %v, %v, want [#Ukraine]", a.URL, got.Tags, err)
		}
	}
	if got := ids(list(t, st, taglines.ArticleQuery{Tag: "ukraine"})); !slices.Equal(got, []int64{second.ID, first.ID}) {
		t.Errorf("Articles(ukraine) = %v, want [%d %d]", got, second.ID, first.ID)
	}
	if got := ids(list(t, st, taglines.ArticleQuery{Tag: "уКРАЇНа"})); !slices.Equal(got, []int64{fourth.ID, third.ID}) {
		t.Errorf("Articles(уКРАЇНа) = %v, want [%d %d]", got, fourth.ID, third.ID)
	}
}

func testTag(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	addArticles(t, st, newArticle(src, "1", base, "UkrainianConflict", "Kremlin.ru"))
	for _, q := range []string{"ukrainianconflict", "UkrainianConflict", "UKRAINIANCONFLICT", "#UkrainianConflict"} {
		got, err := st.Tag(t.Context(), q)
		if err != nil || got != (taglines.Tag{Slug: "ukrainianconflict", Name: "UkrainianConflict"}) {
			t.Errorf("Tag(%q) = %v, %v", q, got, err)
		}
	}
	if got, err := st.Tag(t.Context(), "KREMLIN.RU"); err != nil || got.Name != "Kremlin.ru" {
		t.Errorf("Tag(KREMLIN.RU) = %v, %v", got, err)
	}
	for _, q := range []string{"nosuchtag", "", "ukrainian"} {
		_, err := st.Tag(t.Context(), q)
		wantErr(t, fmt.Sprintf("Tag(%q)", q), err, taglines.ErrNotFound)
	}
}

func testTopTags(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	old := base.Add(-48 * time.Hour)
	var batch []*taglines.Article
	add := func(name string, at time.Time, tags ...string) {
		batch = append(batch, newArticle(src, name, at, tags...))
	}
	add("1", base, "Alpha", "Beta", "Gamma")
	add("2", base.Add(time.Hour), "Beta", "Gamma")
	add("3", base.Add(2*time.Hour), "Gamma")
	add("4", base.Add(3*time.Hour), "Delta")
	add("5", old, "Old", "Alpha")
	add("6", old, "Old", "Alpha")
	add("7", old, "Old")
	addArticles(t, st, batch...)

	top := func(since time.Time, limit int) []taglines.TagCount {
		t.Helper()
		got, err := st.TopTags(t.Context(), since, limit)
		if err != nil {
			t.Fatalf("TopTags(%v, %d) = %v", since, limit, err)
		}
		return got
	}
	tc := func(name string, n int) taglines.TagCount {
		return taglines.TagCount{Tag: taglines.Tag{Slug: taglines.TagSlug(name), Name: name}, Count: n}
	}
	// Ties order by slug.
	if got, want := top(base, 10), []taglines.TagCount{tc("Gamma", 3), tc("Beta", 2), tc("Alpha", 1), tc("Delta", 1)}; !slices.Equal(got, want) {
		t.Errorf("TopTags(since base) = %v, want %v", got, want)
	}
	if got, want := top(base, 2), []taglines.TagCount{tc("Gamma", 3), tc("Beta", 2)}; !slices.Equal(got, want) {
		t.Errorf("TopTags(since base, 2) = %v, want %v", got, want)
	}
	// since is inclusive.
	if got, want := top(base.Add(2*time.Hour), 10), []taglines.TagCount{tc("Delta", 1), tc("Gamma", 1)}; !slices.Equal(got, want) {
		t.Errorf("TopTags(since base+2h) = %v, want %v", got, want)
	}
	if got, want := top(old, 3), []taglines.TagCount{tc("Alpha", 3), tc("Gamma", 3), tc("Old", 3)}; !slices.Equal(got, want) {
		t.Errorf("TopTags(since old, 3) = %v, want %v", got, want)
	}
	if got := top(base.Add(time.Hour*24), 10); len(got) != 0 {
		t.Errorf("TopTags(future) = %v, want none", got)
	}
}

func testTagRules(t *testing.T, st taglines.Store) {
	rules := []taglines.TagRule{
		{Kind: taglines.TagAlias, Name: "Kiev", Target: "Kyiv"},
		{Kind: taglines.TagBlock, Name: "Getty Images"},
		{Kind: taglines.TagMerge, Name: "Putin", Target: "Vladimir Putin"},
	}
	for _, r := range rules {
		if err := st.SetTagRule(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	// Replacing by kind and name.
	if err := st.SetTagRule(t.Context(), taglines.TagRule{Kind: taglines.TagAlias, Name: "Kiev", Target: "Kyiv City"}); err != nil {
		t.Fatal(err)
	}
	got, err := st.TagRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[{alias Kiev Kyiv City} {block Getty Images } {merge Putin Vladimir Putin}]" {
		t.Errorf("TagRules = %v", got)
	}
	for _, bad := range []taglines.TagRule{{Kind: "rename", Name: "a", Target: "b"}, {Kind: taglines.TagAlias, Name: "a"}, {Kind: taglines.TagBlock, Name: ""}} {
		wantErr(t, fmt.Sprintf("SetTagRule(%v)", bad), st.SetTagRule(t.Context(), bad), taglines.ErrInvalid)
	}
	if err := st.DeleteTagRule(t.Context(), taglines.TagBlock, "Getty Images"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "DeleteTagRule(again)", st.DeleteTagRule(t.Context(), taglines.TagBlock, "Getty Images"), taglines.ErrNotFound)
}
