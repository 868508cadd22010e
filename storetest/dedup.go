// Version groups and story clusters as the dedup stage stores them.

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

func testGroups(t *testing.T, st taglines.Store) {
	a := addSource(t, st, "https://a.example/feed.xml")
	b := addSource(t, st, "https://b.example/feed.xml")
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	arts := []*taglines.Article{
		{SourceID: a.ID, URL: "https://a.example/1", Title: "first", PublishedAt: at},
		{SourceID: a.ID, URL: "https://a.example/1-updated", Title: "first, updated", PublishedAt: at.Add(time.Hour)},
		{SourceID: b.ID, URL: "https://b.example/1", Title: "same story elsewhere", PublishedAt: at.Add(2 * time.Hour)},
		{SourceID: b.ID, URL: "https://b.example/2", Title: "another story", PublishedAt: at.Add(3 * time.Hour)},
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	first, updated, elsewhere, other := arts[0].ID, arts[1].ID, arts[2].ID, arts[3].ID
	err := st.SetGroups(t.Context(), []taglines.Group{
		{ArticleID: first, Cluster: first},
		{ArticleID: updated, DuplicateOf: first, Cluster: first},
		{ArticleID: elsewhere, Cluster: first},
		{ArticleID: other, Cluster: other},
		{ArticleID: other + 1000, Cluster: 1}, // unknown: ignored
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Article(t.Context(), updated)
	if err != nil || got.DuplicateOf != first || got.Cluster != first {
		t.Fatalf("Article(updated) = dup %d cluster %d, %v; want %d, %d", got.DuplicateOf, got.Cluster, err, first, first)
	}
	collapsed, err := st.Articles(t.Context(), taglines.ArticleQuery{Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range collapsed {
		ids = append(ids, c.ID)
		switch c.ID {
		case updated:
			if c.Versions != 1 || c.StorySources != 2 {
				t.Errorf("the update: %d other versions, %d sources; want 1 and 2", c.Versions, c.StorySources)
			}
		case other:
			if c.Versions != 0 || c.StorySources != 1 {
				t.Errorf("other article: %d versions, %d sources; want 0 and 1", c.Versions, c.StorySources)
			}
		}
	}
	if want := []int64{other, elsewhere, updated}; fmt.Sprint(ids) != fmt.Sprint(want) {
		t.Errorf("collapsed listing = %v, want %v (the group shown by its newest version, the update)", ids, want)
	}
	story, err := st.Articles(t.Context(), taglines.ArticleQuery{Cluster: first})
	if err != nil {
		t.Fatal(err)
	}
	if len(story) != 3 {
		t.Errorf("story listing has %d articles, want 3 (versions included)", len(story))
	}
	// Undoing a merge: the update becomes an article of its own.
	if err := st.SetGroups(t.Context(), []taglines.Group{{ArticleID: updated, Cluster: updated}}); err != nil {
		t.Fatal(err)
	}
	collapsed, err = st.Articles(t.Context(), taglines.ArticleQuery{Collapse: true})
	if err != nil || len(collapsed) != 4 {
		t.Errorf("after the split, collapsed listing has %d articles (%v), want 4", len(collapsed), err)
	}
	// A version found late but published earlier stays behind the newest.
	late := &taglines.Article{SourceID: b.ID, URL: "https://b.example/syndicated", Title: "first, syndicated", PublishedAt: at.Add(-time.Hour)}
	if _, err := st.AddArticles(t.Context(), []*taglines.Article{late}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetGroups(t.Context(), []taglines.Group{{ArticleID: late.ID, DuplicateOf: first, Cluster: first}}); err != nil {
		t.Fatal(err)
	}
	collapsed, err = st.Articles(t.Context(), taglines.ArticleQuery{Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range collapsed {
		if c.ID == late.ID {
			t.Error("an older version found late is listed instead of its group's newest")
		}
		if c.ID == first && c.Versions != 1 {
			t.Errorf("first article shows %d other versions, want 1 (the syndicated copy)", c.Versions)
		}
	}
}
