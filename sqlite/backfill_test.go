package sqlite

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

// TestIndexSearchBackfill: articles stored before the search index existed
// are indexed by IndexSearch, over more than one batch, with progress told
// up to the total, and a second call has nothing to do.
func TestIndexSearchBackfill(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "taglines.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src := &taglines.Source{URL: "https://news.example/feed"}
	if err := s.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	const n = 1500 // two batches
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	var articles []*taglines.Article
	for i := range n {
		articles = append(articles, &taglines.Article{SourceID: src.ID,
			URL: fmt.Sprintf("https://news.example/%d", i), GUID: fmt.Sprint(i),
			Title: fmt.Sprintf("Report %d", i), Text: "The harbour flooded again.",
			PublishedAt: at.Add(time.Duration(i) * time.Minute), FetchedAt: at})
	}
	if _, err := s.AddArticles(ctx, articles); err != nil {
		t.Fatal(err)
	}
	// As a database from before the index: no index rows, a backfill due.
	if _, err := s.w.ExecContext(ctx, `DELETE FROM search`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO search_backfill (next_id) VALUES (0)`); err != nil {
		t.Fatal(err)
	}
	var last [2]int
	calls := 0
	if err := s.IndexSearch(ctx, func(done, total int) { last, calls = [2]int{done, total}, calls+1 }); err != nil {
		t.Fatalf("IndexSearch = %v", err)
	}
	if last != [2]int{n, n} || calls < 3 {
		t.Errorf("progress ended at %v after %d calls, want [%d %d] after 3 or more", last, calls, n, n)
	}
	// One article of each batch, by a word of its own.
	for _, i := range []int{7, 1499} {
		res, err := s.Search(ctx, taglines.SearchQuery{Text: fmt.Sprintf(`harbour AND title:"report %d"`, i), Now: at.Add(48 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Article.Title != fmt.Sprintf("Report %d", i) {
			t.Errorf("search for report %d after the backfill: %d hits", i, len(res.Hits))
		}
	}
	calls = 0
	if err := s.IndexSearch(ctx, func(int, int) { calls++ }); err != nil || calls != 0 {
		t.Errorf("second IndexSearch = %v after %d progress calls, want nothing to do", err, calls)
	}
}
