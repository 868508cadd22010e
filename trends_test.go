package taglines_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqlite"
)

func tagsOf(names ...string) []taglines.Tag {
	var out []taglines.Tag
	for _, n := range names {
		t, _ := taglines.NewTag(n)
		out = append(out, t)
	}
	return out
}

func TestRelatedAndTrending(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "trends.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := &taglines.Source{URL: "https://e.example/feed"}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var arts []*taglines.Article
	add := func(at time.Time, tags ...string) {
		arts = append(arts, &taglines.Article{SourceID: src.ID, URL: fmt.Sprintf("https://e.example/%d", len(arts)), Title: "t", PublishedAt: at, Tags: tagsOf(tags...)})
	}
	// Over the last week: Putin mostly with Kremlin; Russia everywhere
	// (common, so no more than chance with anything); one-off pairs.
	for i := range 40 {
		at := now.Add(-time.Duration(24+i*3) * time.Hour)
		switch {
		case i < 8:
			add(at, "Vladimir Putin", "Kremlin", "Russia")
		case i < 10:
			add(at, "Vladimir Putin", "Economy", "Russia")
		default:
			add(at, "Russia", fmt.Sprintf("Topic%d", i%10))
		}
	}
	// The last six hours: a burst of #Elections, which the week barely had.
	add(now.Add(-100*time.Hour), "Elections")
	for i := range 5 {
		add(now.Add(-time.Duration(i+1)*time.Hour), "Elections")
	}
	if _, err := st.AddArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}

	putin, _ := taglines.NewTag("Vladimir Putin")
	related, err := taglines.RelatedTags(ctx, st, putin, now.Add(-taglines.RelatedWindow), 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range related {
		names = append(names, r.Name)
	}
	if len(names) == 0 || names[0] != "Kremlin" {
		t.Errorf("RelatedTags(#VladimirPutin) = %v, want #Kremlin first", names)
	}
	for _, n := range names {
		if n == "Russia" {
			t.Errorf("RelatedTags(#VladimirPutin) includes #Russia, which every article carries: %v", names)
		}
	}

	trending, err := taglines.TrendingTags(ctx, st, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(trending) != 1 || trending[0].Name != "Elections" || trending[0].Count != 5 {
		t.Errorf("TrendingTags = %+v, want only #Elections with 5 recent articles", trending)
	}
}
