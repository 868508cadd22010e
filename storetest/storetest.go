// Package storetest is the one behaviour suite for taglines.Store: every
// storage behaviour that callers rely on is a subtest of Run, and every
// Store implementation runs it (see sqlite and postgres).
package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

// Run runs the suite against the stores that open returns. open is called
// once per subtest, possibly from parallel subtests, and must return a new,
// empty, migrated store that it closes with t.Cleanup.
//
// The suite assumes that stores keep times to the microsecond.
func Run(t *testing.T, open func(t *testing.T) taglines.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st taglines.Store)
	}{
		{"AddSource", testAddSource},
		{"AddSourceConflict", testAddSourceConflict},
		{"AddSourceInvalid", testAddSourceInvalid},
		{"SourceNotFound", testSourceNotFound},
		{"Sources", testSources},
		{"RemoveSource", testRemoveSource},
		{"ClaimDueOnly", testClaimDueOnly},
		{"ClaimOrderAndLimit", testClaimOrderAndLimit},
		{"ClaimLease", testClaimLease},
		{"ClaimRelease", testClaimRelease},
		{"RecordFetchWarning", testRecordFetchWarning},
		{"ClaimInvalid", testClaimInvalid},
		{"ClaimConcurrent", testClaimConcurrent},
		{"RecordFetchSuccess", testRecordFetchSuccess},
		{"RecordFetchFailure", testRecordFetchFailure},
		{"RecordFetchReleasesLease", testRecordFetchReleasesLease},
		{"RecordFetchInvalid", testRecordFetchInvalid},
		{"ItemsPerDay", testItemsPerDay},
		{"SourceSettings", testSourceSettings},
		{"SourceState", testSourceState},
		{"SourceUsed", testSourceUsed},
		{"Groups", testGroups},
		{"CoTagsAndCounts", testCoTagsAndCounts},
		{"UpdateAndScanArticles", testUpdateAndScanArticles},
		{"TagRules", testTagRules},
		{"AddSourceNextPoll", testAddSourceNextPoll},
		{"KnownURLs", testKnownURLs},
		{"AddArticles", testAddArticles},
		{"AddArticlesIdempotent", testAddArticlesIdempotent},
		{"AddArticlesDefaults", testAddArticlesDefaults},
		{"AddArticlesInvalid", testAddArticlesInvalid},
		{"AddArticlesConcurrent", testAddArticlesConcurrent},
		{"Tags", testTags},
		{"TagCaseFolding", testTagCaseFolding},
		{"ArticleNotFound", testArticleNotFound},
		{"ArticlesOrder", testArticlesOrder},
		{"ArticlesPaging", testArticlesPaging},
		{"ArticlesDefaultLimit", testArticlesDefaultLimit},
		{"ArticlesByTag", testArticlesByTag},
		{"ArticlesSourceName", testArticlesSourceName},
		{"ArticlesBySectionAndSource", testArticlesBySectionAndSource},
		{"Tag", testTag},
		{"TopTags", testTopTags},
		{"Stats", testStats},
		{"Times", testTimes},
		{"Unicode", testUnicode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// base is the publication time that article fixtures count from.
var base = time.Date(2026, 11, 23, 8, 15, 0, 0, time.UTC)

func addSource(t *testing.T, st taglines.Store, url string) *taglines.Source {
	t.Helper()
	src := &taglines.Source{URL: url}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatalf("AddSource(%q) = %v", url, err)
	}
	return src
}

func newArticle(src *taglines.Source, path string, published time.Time, tags ...string) *taglines.Article {
	a := &taglines.Article{
		SourceID:    src.ID,
		URL:         "https://news.example/" + path,
		GUID:        "guid:" + path,
		Title:       "Title of " + path,
		Text:        "First paragraph of " + path + ".\n\nSecond paragraph.",
		Author:      "Jane Reporter",
		Language:    "en",
		ImageURL:    "https://news.example/img/" + path + ".jpg",
		SiteName:    "Example News",
		Section:     taglines.DefaultSection,
		PublishedAt: published,
		FetchedAt:   published.Add(time.Minute),
	}
	for _, name := range tags {
		a.Tags = append(a.Tags, taglines.Tag{Slug: taglines.TagSlug(name), Name: name})
	}
	return a
}

func addArticles(t *testing.T, st taglines.Store, articles ...*taglines.Article) {
	t.Helper()
	n, err := st.AddArticles(t.Context(), articles)
	if err != nil {
		t.Fatalf("AddArticles(%d articles) = %v", len(articles), err)
	}
	if n != len(articles) {
		t.Fatalf("AddArticles(%d new articles) inserted %d", len(articles), n)
	}
}

func recordFetch(t *testing.T, st taglines.Store, id int64, r taglines.FetchResult) {
	t.Helper()
	if err := st.RecordFetch(t.Context(), id, r); err != nil {
		t.Fatalf("RecordFetch(%d, %+v) = %v", id, r, err)
	}
}

func getSource(t *testing.T, st taglines.Store, id int64) *taglines.Source {
	t.Helper()
	src, err := st.Source(t.Context(), id)
	if err != nil {
		t.Fatalf("Source(%d) = %v", id, err)
	}
	return src
}

func list(t *testing.T, st taglines.Store, q taglines.ArticleQuery) []*taglines.Article {
	t.Helper()
	got, err := st.Articles(t.Context(), q)
	if err != nil {
		t.Fatalf("Articles(%+v) = %v", q, err)
	}
	return got
}

func ids(articles []*taglines.Article) []int64 {
	out := make([]int64, len(articles))
	for i, a := range articles {
		out[i] = a.ID
	}
	return out
}

func sourceIDs(sources []*taglines.Source) []int64 {
	out := make([]int64, len(sources))
	for i, s := range sources {
		out[i] = s.ID
	}
	return out
}

// newestFirst sorts articles into the order Articles promises.
func newestFirst(articles []*taglines.Article) []*taglines.Article {
	out := slices.Clone(articles)
	slices.SortFunc(out, func(a, b *taglines.Article) int {
		if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
			return c
		}
		switch {
		case a.ID > b.ID:
			return -1
		case a.ID < b.ID:
			return 1
		}
		return 0
	})
	return out
}

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	want = want.Truncate(time.Microsecond)
	if !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
	if !got.IsZero() && got.Location() != time.UTC {
		t.Errorf("%s is in %v, want UTC", what, got.Location())
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s = %v, want %v", what, err, want)
	}
}
