package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

// Reader is the read side pages, feeds and the API use: what HotReads
// asks of a store's query layer.
type Reader interface {
	Article(ctx context.Context, id int64) (*taglines.Article, error)
	Articles(ctx context.Context, q taglines.ArticleQuery) ([]*taglines.Article, error)
	Tag(ctx context.Context, nameOrSlug string) (taglines.Tag, error)
	SectionCounts(ctx context.Context, since time.Time) ([]taglines.SectionCount, error)
	TopTags(ctx context.Context, since time.Time, limit int) ([]taglines.TagCount, error)
	CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error)
	TagCounts(ctx context.Context, slugs []string, since, until time.Time) (map[string]int, int, error)
}

// PlanFixture is what FillForPlans stored, for HotReads to ask about.
type PlanFixture struct {
	Now      time.Time
	Tag      string
	Section  string
	SourceID int64
	Article  *taglines.Article // a story member, not the newest
	Cluster  int64
}

// FillForPlans stores a few hundred articles over two sources, with tags,
// sections, versions and a story: enough for every hot read to have
// something to find, which is what a query plan is checked against.
func FillForPlans(t testing.TB, st taglines.Store) PlanFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var srcs []*taglines.Source
	for i := range 2 {
		s := &taglines.Source{URL: fmt.Sprintf("https://pub%d.example/feed", i), Title: fmt.Sprint("Pub ", i)}
		if err := st.AddSource(ctx, s); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	sections := []string{"Politics", "Business", "Sport"}
	var arts []*taglines.Article
	for i := range 300 {
		a := &taglines.Article{
			SourceID: srcs[i%2].ID, URL: fmt.Sprintf("https://pub%d.example/a/%d", i%2, i),
			Title: fmt.Sprint("Report ", i), Text: "The central bank raised rates again, the minister said.",
			Section: sections[i%3], PublishedAt: now.Add(-time.Duration(i) * time.Hour), FetchedAt: now,
			Tags: []taglines.Tag{{Slug: "economy", Name: "Economy"}, {Slug: fmt.Sprint("t", i%7), Name: fmt.Sprint("T", i%7)}},
		}
		arts = append(arts, a)
	}
	if _, err := st.AddArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	// A version (1 of 0) and a story of three (0, 1, 2).
	groups := []taglines.Group{
		{ArticleID: arts[1].ID, DuplicateOf: arts[0].ID, Cluster: arts[0].ID},
		{ArticleID: arts[2].ID, Cluster: arts[0].ID},
	}
	if err := st.SetGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	return PlanFixture{Now: now, Tag: "economy", Section: "Business", SourceID: srcs[0].ID, Article: arts[2], Cluster: arts[0].ID}
}

// HotReads makes, on r, every read a page, feed or API route makes: the
// listings (all, a tag, a section, a source, a story; first pages and
// after a cursor), one article, a tag's lookup, and the counts of top,
// related and trending tags and sections. A test wraps r's connection to
// check the plan of each statement; HotReads fails on errors and on reads
// that find nothing.
func HotReads(t *testing.T, r Reader, f PlanFixture) {
	t.Helper()
	ctx := context.Background()
	cursor := taglines.CursorAfter(f.Article)
	for _, q := range []taglines.ArticleQuery{
		{Collapse: true},
		{Tag: f.Tag, Collapse: true},
		{Section: f.Section, Collapse: true},
		{SourceID: f.SourceID, Collapse: true},
		{Cluster: f.Cluster},
	} {
		q.Limit = 21
		first, err := r.Articles(ctx, q)
		if err != nil || len(first) == 0 {
			t.Errorf("Articles(%+v) = %d articles, %v", q, len(first), err)
			continue
		}
		q.Before = cursor
		if q.Cluster != 0 {
			q.Before = taglines.CursorAfter(first[0])
		}
		if _, err := r.Articles(ctx, q); err != nil {
			t.Errorf("Articles(%+v): %v", q, err)
		}
	}
	if _, err := r.Article(ctx, f.Article.ID); err != nil {
		t.Errorf("Article: %v", err)
	}
	if _, err := r.Tag(ctx, f.Tag); err != nil {
		t.Errorf("Tag: %v", err)
	}
	week, month := f.Now.Add(-7*24*time.Hour), f.Now.Add(-30*24*time.Hour)
	if top, err := r.TopTags(ctx, week, 30); err != nil || len(top) == 0 {
		t.Errorf("TopTags = %v, %v", top, err)
	}
	if co, err := r.CoTags(ctx, f.Tag, month, 100); err != nil || len(co) == 0 {
		t.Errorf("CoTags = %v, %v", co, err)
	}
	if _, n, err := r.TagCounts(ctx, []string{f.Tag, "t1"}, month, time.Time{}); err != nil || n == 0 {
		t.Errorf("TagCounts = %d tagged, %v", n, err)
	}
	if _, _, err := r.TagCounts(ctx, []string{f.Tag, "t1"}, month, week); err != nil {
		t.Errorf("TagCounts with an end: %v", err)
	}
	if sc, err := r.SectionCounts(ctx, month); err != nil || len(sc) == 0 {
		t.Errorf("SectionCounts = %v, %v", sc, err)
	}
}
