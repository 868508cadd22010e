// What the trends are computed from: co-occurring tags and counts by day.

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

func testCoTagsAndCounts(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://co.example/feed.xml")
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tag := func(names ...string) []taglines.Tag {
		var out []taglines.Tag
		for _, n := range names {
			tg, _ := taglines.NewTag(n)
			out = append(out, tg)
		}
		return out
	}
	arts := []*taglines.Article{
		{SourceID: src.ID, URL: "https://co.example/1", Title: "1", PublishedAt: at, Tags: tag("Putin", "Kremlin")},
		{SourceID: src.ID, URL: "https://co.example/2", Title: "2", PublishedAt: at.Add(time.Hour), Tags: tag("Putin", "Kremlin", "Russia")},
		{SourceID: src.ID, URL: "https://co.example/3", Title: "3", PublishedAt: at.Add(2 * time.Hour), Tags: tag("Putin", "Russia")},
		{SourceID: src.ID, URL: "https://co.example/4", Title: "4", PublishedAt: at.Add(-48 * time.Hour), Tags: tag("Putin", "Old")},
		{SourceID: src.ID, URL: "https://co.example/5", Title: "5", PublishedAt: at.Add(3 * time.Hour)},
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	co, err := st.CoTags(t.Context(), "PUTIN", at, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, c := range co {
		got += fmt.Sprintf("%s:%d ", c.Name, c.Count)
	}
	if got != "Kremlin:2 Russia:2 " {
		t.Errorf("CoTags(putin, since) = %s, want Kremlin 2 and Russia 2 (Old is before since)", got)
	}
	counts, tagged, err := st.TagCounts(t.Context(), []string{"putin", "Kremlin", "old", "missing"}, at, at.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if counts["putin"] != 2 || counts["kremlin"] != 2 || counts["old"] != 0 || counts["missing"] != 0 || tagged != 2 {
		t.Errorf("TagCounts([at, at+2h)) = %v, %d tagged; want putin 2, kremlin 2, 2 tagged", counts, tagged)
	}
	_, all, err := st.TagCounts(t.Context(), nil, time.Time{}, time.Time{})
	if err != nil || all != 4 {
		t.Errorf("TagCounts(all time) tagged = %d, %v; want 4 (the untagged article not counted)", all, err)
	}
}
