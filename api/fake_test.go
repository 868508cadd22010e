package api_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/taglines/taglines"
)

// fakeStore implements the read side of taglines.Store in memory. The
// embedded nil Store makes any other method panic, which is what a test
// that reaches one deserves.
type fakeStore struct {
	taglines.Store
	articles []*taglines.Article
	sources  []*taglines.Source
	err      error // returned by every read when set
}

var _ taglines.Store = (*fakeStore)(nil)

func (s *fakeStore) Articles(_ context.Context, q taglines.ArticleQuery) ([]*taglines.Article, error) {
	if s.err != nil {
		return nil, s.err
	}
	limit := cmp.Or(max(q.Limit, 0), 50)
	slug := taglines.TagSlug(q.Tag)
	var out []*taglines.Article
	for _, a := range s.articles {
		if slug != "" && !slices.ContainsFunc(a.Tags, func(t taglines.Tag) bool { return t.Slug == slug }) {
			continue
		}
		if c := q.Before; c != nil && !(a.PublishedAt.Before(c.PublishedAt) || a.PublishedAt.Equal(c.PublishedAt) && a.ID < c.ID) {
			continue
		}
		c := *a
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *taglines.Article) int {
		return cmp.Or(b.PublishedAt.Compare(a.PublishedAt), cmp.Compare(b.ID, a.ID))
	})
	return out[:min(limit, len(out))], nil
}

func (s *fakeStore) Tag(_ context.Context, nameOrSlug string) (taglines.Tag, error) {
	if s.err != nil {
		return taglines.Tag{}, s.err
	}
	for _, a := range s.articles {
		for _, t := range a.Tags {
			if t.Slug == taglines.TagSlug(nameOrSlug) {
				return t, nil
			}
		}
	}
	return taglines.Tag{}, fmt.Errorf("tag %q: %w", nameOrSlug, taglines.ErrNotFound)
}

func (s *fakeStore) TopTags(_ context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	if s.err != nil {
		return nil, s.err
	}
	counts := make(map[taglines.Tag]int)
	for _, a := range s.articles {
		if !a.PublishedAt.Before(since) {
			for _, t := range a.Tags {
				counts[t]++
			}
		}
	}
	var out []taglines.TagCount
	for t, n := range counts {
		out = append(out, taglines.TagCount{Tag: t, Count: n})
	}
	slices.SortFunc(out, func(a, b taglines.TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Slug, b.Slug))
	})
	return out[:min(limit, len(out))], nil
}

func (s *fakeStore) Sources(context.Context) ([]*taglines.Source, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.sources, nil
}

// now is the fixed clock of the API tests.
func now() time.Time { return time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC) }

// newFake returns articles from the reference pages: two tags, a section
// left empty, and two articles published at the same instant so that paging
// must break the tie by ID.
func newFake() *fakeStore {
	kremlin := taglines.Tag{Slug: "kremlin.ru", Name: "Kremlin.ru"}
	conflict := taglines.Tag{Slug: "ukrainianconflict", Name: "UkrainianConflict"}
	putin := taglines.Tag{Slug: "vladimirputin", Name: "VladimirPutin"}
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	art := func(id, src int64, srcName, published, section, title string, tags ...taglines.Tag) *taglines.Article {
		return &taglines.Article{
			ID: id, SourceID: src, SourceName: srcName,
			URL:   fmt.Sprintf("https://news.example/%d", id),
			Title: title, Text: "Text of " + title + ".\n\nSecond paragraph.",
			Author: "Desk", Language: "en", ImageURL: fmt.Sprintf("https://news.example/%d.jpg", id),
			Section: section, PublishedAt: at(published), Tags: tags,
		}
	}
	return &fakeStore{
		articles: []*taglines.Article{
			art(1, 2, "South China Morning Post", "2025-03-12T16:00:00Z", "Politics", "Putin visits Russia's Kursk region", kremlin, putin),
			art(2, 4, "ABC News", "2025-04-25T21:00:00Z", "", "Senior Russian killed in car explosion near Moscow", kremlin, putin),
			art(3, 4, "ABC News", "2025-04-26T03:00:00Z", "Politics", "Russian general killed in car explosion near Moscow", kremlin, putin),
			art(4, 1, "Russia Today", "2025-07-09T14:00:00Z", "Politics", "Ukrainian terror plot targeting railway bridge foiled", conflict),
			art(5, 1, "Russia Today", "2025-07-16T08:00:00Z", "Politics", "Putin and Erdogan discuss Ukraine and Syria", conflict, putin),
			art(6, 3, "Memri", "2025-07-16T08:00:00Z", "Politics", "The Kremlin's Political Influence In Iran <Is> Reaching Zero", kremlin, putin),
			art(7, 1, "Russia Today", "2025-07-20T10:00:00Z", "Politics", "Moscow hopes Trump's 'reasonable' position will influence EU", conflict),
			art(8, 1, "Russia Today", "2025-07-21T09:00:00Z", "Politics", "Moscow hopes 'reasonable' Trump will influence EU", conflict, putin),
		},
		sources: []*taglines.Source{
			{
				ID: 1, URL: "https://www.rt.com/rss/news/", Title: "Russia Today", SiteURL: "https://www.rt.com/",
				CreatedAt: at("2025-03-01T00:00:00Z"), LastAttemptAt: at("2025-07-22T11:50:00Z"), LastSuccessAt: at("2025-07-22T11:50:00Z"),
				Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: at("2025-07-22T12:05:00Z"), ArticleCount: 4,
			},
			{
				ID: 5, URL: "https://www.yahoo.com/news/rss", Title: "Yahoo",
				CreatedAt: at("2025-03-01T00:00:00Z"), LastAttemptAt: at("2025-07-22T11:40:00+03:00"), LastSuccessAt: at("2025-07-21T08:00:00Z"),
				Status: taglines.FetchFailed, HTTPStatus: 503, LastError: "503 Service Unavailable", ConsecutiveFailures: 3,
				NextPollAt: at("2025-07-22T12:40:00Z"),
			},
			{ID: 6, URL: "https://feeds.example.org/world.xml", CreatedAt: at("2025-07-22T11:58:00Z")},
		},
	}
}

func (s *fakeStore) UpdateSource(context.Context, *taglines.Source) error {
	return taglines.ErrNotFound
}
func (s *fakeStore) SourceState(context.Context, int64, string) ([]byte, error) {
	return nil, nil
}
func (s *fakeStore) SetSourceState(context.Context, int64, string, []byte) error {
	return taglines.ErrNotFound
}

func (s *fakeStore) SetGroups(context.Context, []taglines.Group) error { return nil }

func (s *fakeStore) CoTags(context.Context, string, time.Time, int) ([]taglines.TagCount, error) {
	return nil, nil
}

func (s *fakeStore) TagCounts(context.Context, []string, time.Time, time.Time) (map[string]int, int, error) {
	return map[string]int{}, 0, nil
}

func (s *fakeStore) UpdateArticles(context.Context, []*taglines.Article) (int, error) { return 0, nil }
func (s *fakeStore) ScanArticles(context.Context, int64, int, int64) ([]*taglines.Article, error) {
	return nil, nil
}
func (s *fakeStore) TagRules(context.Context) ([]taglines.TagRule, error) { return nil, nil }
func (s *fakeStore) SetTagRule(context.Context, taglines.TagRule) error   { return nil }
func (s *fakeStore) DeleteTagRule(context.Context, taglines.TagRuleKind, string) error {
	return taglines.ErrNotFound
}

func (s *fakeStore) SectionCounts(context.Context, time.Time) ([]taglines.SectionCount, error) {
	return nil, s.err
}
