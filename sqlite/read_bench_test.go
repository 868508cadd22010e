package sqlite_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqlite"
	"github.com/taglines/taglines/testpub"
)

// BenchmarkRead measures the read paths the pages take (a page of
// articles, a tag's page, top tags, a ranked and a newest-first search,
// the source list) on the corpus stored once: 3,000 articles from 10
// sources with three tags each.
func BenchmarkRead(b *testing.B) {
	corpus, err := testpub.Corpus()
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "taglines.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var sources []int64
	for i := range 10 {
		src := &taglines.Source{URL: fmt.Sprintf("https://s%d.example/feed", i), Title: fmt.Sprintf("Source %d", i)}
		if err := st.AddSource(ctx, src); err != nil {
			b.Fatal(err)
		}
		sources = append(sources, src.ID)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var batch []*taglines.Article
	for i := range 3000 {
		c := corpus[i%len(corpus)]
		batch = append(batch, &taglines.Article{
			SourceID:    sources[i%len(sources)],
			URL:         fmt.Sprintf("https://s.example/%d", i),
			Title:       c.Title,
			Text:        strings.Join(c.Paragraphs, "\n\n"),
			Section:     c.Section,
			PublishedAt: at.Add(time.Duration(i) * time.Minute),
			Tags:        []taglines.Tag{{Name: c.Section}, {Name: fmt.Sprintf("topic%d", i%50)}, {Name: "news"}},
		})
		if len(batch) == 100 {
			if _, err := st.AddArticles(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = nil
		}
	}
	now := at.Add(3000 * time.Minute)
	for _, bm := range []struct {
		name string
		fn   func() error
	}{
		{"Articles", func() error { _, err := st.Articles(ctx, taglines.ArticleQuery{Limit: 50, Collapse: true}); return err }},
		{"ArticlesTag", func() error {
			_, err := st.Articles(ctx, taglines.ArticleQuery{Tag: "topic7", Limit: 50, Collapse: true})
			return err
		}},
		{"TopTags", func() error { _, err := st.TopTags(ctx, at.Add(1000*time.Minute), 20); return err }},
		{"Sources", func() error { _, err := st.Sources(ctx); return err }},
		{"SearchRanked", func() error {
			_, err := st.Search(ctx, taglines.SearchQuery{Text: "government", Limit: 20, Now: now})
			return err
		}},
		{"SearchNewest", func() error {
			_, err := st.Search(ctx, taglines.SearchQuery{Text: "government tag:news", Newest: true, Limit: 20, Now: now})
			return err
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				if err := bm.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
