// Package storetest is the one behaviour suite for taglines.Store: every
// storage behaviour that callers rely on is a subtest of Run, and every
// Store implementation runs it (see sqlite and postgres).
package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
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

func testAddSource(t *testing.T, st taglines.Store) {
	before := time.Now().Add(-time.Second)
	src := &taglines.Source{URL: "https://news.example/feed.xml", Title: "Example", SiteURL: "https://news.example/"}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatalf("AddSource = %v", err)
	}
	if src.ID <= 0 {
		t.Errorf("AddSource set ID %d, want > 0", src.ID)
	}
	if src.CreatedAt.Before(before) || src.CreatedAt.After(time.Now().Add(time.Second)) {
		t.Errorf("AddSource set CreatedAt %v, want about now", src.CreatedAt)
	}
	other := addSource(t, st, "https://other.example/rss")
	if other.ID == src.ID {
		t.Errorf("two sources got the same ID %d", src.ID)
	}
	for _, got := range []func() (*taglines.Source, error){
		func() (*taglines.Source, error) { return st.Source(t.Context(), src.ID) },
		func() (*taglines.Source, error) { return st.SourceByURL(t.Context(), src.URL) },
	} {
		got, err := got()
		if err != nil {
			t.Fatalf("reading source back = %v", err)
		}
		if got.ID != src.ID || got.URL != src.URL || got.Title != "Example" || got.SiteURL != "https://news.example/" {
			t.Errorf("read back %+v, want %+v", got, src)
		}
		wantTime(t, "CreatedAt", got.CreatedAt, src.CreatedAt)
		if got.Status != taglines.FetchNever || got.ConsecutiveFailures != 0 || !got.LastAttemptAt.IsZero() ||
			!got.LastSuccessAt.IsZero() || got.LastError != "" || got.ArticleCount != 0 {
			t.Errorf("new source has health %+v, want none", got)
		}
		// A new source is due at once, also to a poller whose clock runs
		// far behind the wall clock.
		if got.NextPollAt.IsZero() || got.NextPollAt.After(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("new source NextPollAt = %v, want due under any clock", got.NextPollAt)
		}
	}
}

func testAddSourceConflict(t *testing.T, st taglines.Store) {
	first := addSource(t, st, "https://news.example/feed.xml")
	err := st.AddSource(t.Context(), &taglines.Source{URL: first.URL, Title: "Again"})
	wantErr(t, "AddSource(duplicate URL)", err, taglines.ErrConflict)
	srcs, err := st.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 1 || srcs[0].Title != "" {
		t.Errorf("after a conflict Sources = %+v, want only the first", srcs)
	}
}

func testAddSourceInvalid(t *testing.T, st taglines.Store) {
	wantErr(t, "AddSource(empty URL)", st.AddSource(t.Context(), &taglines.Source{}), taglines.ErrInvalid)
}

func testSourceNotFound(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed.xml")
	ctx := t.Context()
	_, err := st.Source(ctx, src.ID+1000)
	wantErr(t, "Source(missing)", err, taglines.ErrNotFound)
	_, err = st.SourceByURL(ctx, "https://missing.example/feed")
	wantErr(t, "SourceByURL(missing)", err, taglines.ErrNotFound)
	wantErr(t, "RemoveSource(missing)", st.RemoveSource(ctx, src.ID+1000), taglines.ErrNotFound)
	err = st.RecordFetch(ctx, src.ID+1000, taglines.FetchResult{At: time.Now(), Status: taglines.FetchOK, NextPollAt: time.Now()})
	wantErr(t, "RecordFetch(missing)", err, taglines.ErrNotFound)
}

func testSources(t *testing.T, st taglines.Store) {
	a := addSource(t, st, "https://a.example/feed")
	b := addSource(t, st, "https://b.example/feed")
	c := addSource(t, st, "https://c.example/feed")
	addArticles(t, st, newArticle(a, "a1", base), newArticle(a, "a2", base), newArticle(c, "c1", base))
	at := base.Add(time.Hour)
	recordFetch(t, st, b.ID, taglines.FetchResult{At: at, Status: taglines.FetchFailed, HTTPStatus: 503, Err: "server unavailable", NextPollAt: at.Add(time.Hour)})
	recordFetch(t, st, c.ID, taglines.FetchResult{At: at, Status: taglines.FetchOK, HTTPStatus: 200, Title: "Sea", NextPollAt: at.Add(time.Hour)})

	srcs, err := st.Sources(t.Context())
	if err != nil {
		t.Fatalf("Sources = %v", err)
	}
	if got, want := sourceIDs(srcs), []int64{a.ID, b.ID, c.ID}; !slices.Equal(got, want) {
		t.Fatalf("Sources IDs = %v, want %v", got, want)
	}
	for i, want := range []struct {
		count    int
		status   taglines.FetchStatus
		failing  bool
		title    string
		lastErr  string
		httpCode int
	}{
		{2, taglines.FetchNever, false, "", "", 0},
		{0, taglines.FetchFailed, true, "", "server unavailable", 503},
		{1, taglines.FetchOK, false, "Sea", "", 200},
	} {
		got := srcs[i]
		if got.ArticleCount != want.count || got.Status != want.status || got.Failing() != want.failing ||
			got.Title != want.title || got.LastError != want.lastErr || got.HTTPStatus != want.httpCode {
			t.Errorf("Sources()[%d] = %+v, want %+v", i, got, want)
		}
	}
	if got := getSource(t, st, a.ID).ArticleCount; got != 2 {
		t.Errorf("Source(a).ArticleCount = %d, want 2", got)
	}
}

func testRemoveSource(t *testing.T, st taglines.Store) {
	ctx := t.Context()
	gone := addSource(t, st, "https://gone.example/feed")
	kept := addSource(t, st, "https://kept.example/feed")
	g1 := newArticle(gone, "g1", base, "Only", "Shared")
	g2 := newArticle(gone, "g2", base.Add(time.Minute), "Only")
	k1 := newArticle(kept, "k1", base, "Shared")
	addArticles(t, st, g1, g2, k1)

	if err := st.RemoveSource(ctx, gone.ID); err != nil {
		t.Fatalf("RemoveSource = %v", err)
	}
	_, err := st.Source(ctx, gone.ID)
	wantErr(t, "Source(removed)", err, taglines.ErrNotFound)
	for _, a := range []*taglines.Article{g1, g2} {
		_, err := st.Article(ctx, a.ID)
		wantErr(t, "Article(of removed source)", err, taglines.ErrNotFound)
	}
	if got := ids(list(t, st, taglines.ArticleQuery{})); !slices.Equal(got, []int64{k1.ID}) {
		t.Errorf("Articles after RemoveSource = %v, want [%d]", got, k1.ID)
	}
	if got := list(t, st, taglines.ArticleQuery{Tag: "only"}); len(got) != 0 {
		t.Errorf("Articles(tag of removed articles) = %v, want none", ids(got))
	}
	top, err := st.TopTags(ctx, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []taglines.TagCount{{Tag: taglines.Tag{Slug: "shared", Name: "Shared"}, Count: 1}}; !slices.Equal(top, want) {
		t.Errorf("TopTags after RemoveSource = %v, want %v", top, want)
	}
	known, err := st.KnownURLs(ctx, gone.ID, []string{g1.URL})
	if err != nil || len(known) != 0 {
		t.Errorf("KnownURLs(removed source) = %v, %v, want none", known, err)
	}
	if got := getSource(t, st, kept.ID).ArticleCount; got != 1 {
		t.Errorf("kept source ArticleCount = %d, want 1", got)
	}
	// The URL is free again.
	again := addSource(t, st, gone.URL)
	if again.ID == gone.ID {
		t.Errorf("re-added source reused ID %d", gone.ID)
	}
	if got := getSource(t, st, again.ID).ArticleCount; got != 0 {
		t.Errorf("re-added source ArticleCount = %d, want 0", got)
	}
	wantErr(t, "RemoveSource(twice)", st.RemoveSource(ctx, gone.ID), taglines.ErrNotFound)
}

// schedule sets when a source is next due.
func schedule(t *testing.T, st taglines.Store, id int64, at time.Time) {
	t.Helper()
	recordFetch(t, st, id, taglines.FetchResult{At: at.Add(-time.Hour), Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: at})
}

func claim(t *testing.T, st taglines.Store, owner string, now time.Time, limit int, lease time.Duration) []*taglines.Source {
	t.Helper()
	got, err := st.ClaimDueSources(t.Context(), owner, now, limit, lease)
	if err != nil {
		t.Fatalf("ClaimDueSources(%q, %v, %d, %v) = %v", owner, now, limit, lease, err)
	}
	return got
}

func testClaimDueOnly(t *testing.T, st taglines.Store) {
	due := addSource(t, st, "https://due.example/feed")
	later := addSource(t, st, "https://later.example/feed")
	exact := addSource(t, st, "https://exact.example/feed")
	now := time.Now() // after AddSource: new sources are due from their creation
	schedule(t, st, later.ID, now.Add(time.Minute))
	schedule(t, st, exact.ID, now)
	got := claim(t, st, "p1", now, 10, time.Minute)
	if got, want := sourceIDs(got), []int64{due.ID, exact.ID}; !slices.Equal(got, want) {
		t.Errorf("claimed %v, want the due sources %v", got, want)
	}
	for _, src := range got {
		if src.URL == "" || src.NextPollAt.IsZero() {
			t.Errorf("claimed source lacks fields: %+v", src)
		}
	}
}

func testClaimOrderAndLimit(t *testing.T, st taglines.Store) {
	now := time.Now()
	var srcs []*taglines.Source
	for i := range 6 {
		srcs = append(srcs, addSource(t, st, fmt.Sprintf("https://s%d.example/feed", i)))
	}
	// Due order: 3, 0, 4, 1, 2; 5 is not due yet.
	for i, offset := range []time.Duration{-4, -2, -1, -5, -3, 2} {
		schedule(t, st, srcs[i].ID, now.Add(offset*time.Minute))
	}
	first := claim(t, st, "p1", now, 3, time.Minute)
	if got, want := sourceIDs(first), []int64{srcs[3].ID, srcs[0].ID, srcs[4].ID}; !slices.Equal(got, want) {
		t.Errorf("first claim = %v, want %v", got, want)
	}
	second := claim(t, st, "p2", now, 10, time.Minute)
	if got, want := sourceIDs(second), []int64{srcs[1].ID, srcs[2].ID}; !slices.Equal(got, want) {
		t.Errorf("second claim = %v, want the rest %v", got, want)
	}
	if got := claim(t, st, "p3", now, 10, time.Minute); len(got) != 0 {
		t.Errorf("third claim = %v, want none", sourceIDs(got))
	}
}

func testClaimLease(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	now := time.Now()
	if got := claim(t, st, "p1", now, 10, time.Minute); len(got) != 1 {
		t.Fatalf("claim = %v, want the source", sourceIDs(got))
	}
	// A held lease excludes the source, also for its own holder.
	for _, at := range []time.Duration{0, 30 * time.Second, time.Minute - time.Millisecond} {
		if got := claim(t, st, "p2", now.Add(at), 10, time.Minute); len(got) != 0 {
			t.Errorf("claim %v into the lease = %v, want none", at, sourceIDs(got))
		}
	}
	// An expired lease (a crashed poller) lets another claim it.
	got := claim(t, st, "p2", now.Add(time.Minute), 10, time.Minute)
	if !slices.Equal(sourceIDs(got), []int64{src.ID}) {
		t.Errorf("claim after the lease = %v, want [%d]", sourceIDs(got), src.ID)
	}
	if got := claim(t, st, "p3", now.Add(90*time.Second), 10, time.Minute); len(got) != 0 {
		t.Errorf("claim during the new lease = %v, want none", sourceIDs(got))
	}
}

func testClaimInvalid(t *testing.T, st taglines.Store) {
	addSource(t, st, "https://news.example/feed")
	ctx := t.Context()
	_, err := st.ClaimDueSources(ctx, "", time.Now(), 10, time.Minute)
	wantErr(t, "ClaimDueSources(no owner)", err, taglines.ErrInvalid)
	_, err = st.ClaimDueSources(ctx, "p1", time.Now(), 10, 0)
	wantErr(t, "ClaimDueSources(no lease)", err, taglines.ErrInvalid)
	if got := claim(t, st, "p1", time.Now(), 0, time.Minute); len(got) != 0 {
		t.Errorf("ClaimDueSources(limit 0) = %v, want none", sourceIDs(got))
	}
	if got := claim(t, st, "p1", time.Now(), 10, time.Minute); len(got) != 1 {
		t.Errorf("claim after the rejected ones = %v, want the source", sourceIDs(got))
	}
}

func testClaimConcurrent(t *testing.T, st taglines.Store) {
	const sources, workers, batch = 200, 8, 7
	for i := range sources {
		addSource(t, st, fmt.Sprintf("https://s%03d.example/feed", i))
	}
	now := time.Now()
	var (
		mu    sync.Mutex
		owner = make(map[int64]string)
		wg    sync.WaitGroup
	)
	for w := range workers {
		name := fmt.Sprintf("worker-%d", w)
		wg.Go(func() {
			// Bounded, so that a store that hands sources out twice fails
			// rather than hangs.
			for range sources {
				got, err := st.ClaimDueSources(t.Context(), name, now, batch, time.Hour)
				if err != nil {
					t.Errorf("%s: ClaimDueSources = %v", name, err)
					return
				}
				if len(got) == 0 {
					return
				}
				if len(got) > batch {
					t.Errorf("%s: claimed %d, limit %d", name, len(got), batch)
				}
				mu.Lock()
				for _, src := range got {
					if prev, ok := owner[src.ID]; ok {
						t.Errorf("source %d handed to %s and %s", src.ID, prev, name)
					}
					owner[src.ID] = name
				}
				mu.Unlock()
			}
			t.Errorf("%s is still claiming after %d rounds", name, sources)
		})
	}
	wg.Wait()
	if len(owner) != sources {
		t.Errorf("claimed %d distinct sources, want %d", len(owner), sources)
	}
	if got := claim(t, st, "late", now, sources, time.Hour); len(got) != 0 {
		t.Errorf("claim after all were leased = %d sources, want none", len(got))
	}
}

func testRecordFetchSuccess(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	at := base.Add(123456789 * time.Nanosecond)
	recordFetch(t, st, src.ID, taglines.FetchResult{
		At: at, Status: taglines.FetchOK, HTTPStatus: 200,
		ETag: `"v1"`, LastModified: "Mon, 23 Nov 2026 08:00:00 GMT",
		Title: "Example News", SiteURL: "https://news.example/", NextPollAt: at.Add(15 * time.Minute),
	})
	got := getSource(t, st, src.ID)
	if got.Status != taglines.FetchOK || got.HTTPStatus != 200 || got.ETag != `"v1"` ||
		got.LastModified != "Mon, 23 Nov 2026 08:00:00 GMT" || got.Title != "Example News" ||
		got.SiteURL != "https://news.example/" || got.LastError != "" || got.ConsecutiveFailures != 0 {
		t.Errorf("after success Source = %+v", got)
	}
	wantTime(t, "LastAttemptAt", got.LastAttemptAt, at)
	wantTime(t, "LastSuccessAt", got.LastSuccessAt, at)
	wantTime(t, "NextPollAt", got.NextPollAt, at.Add(15*time.Minute))

	// A 304 sends no validators or title: the stored ones stay.
	at2 := at.Add(15 * time.Minute)
	recordFetch(t, st, src.ID, taglines.FetchResult{At: at2, Status: taglines.FetchNotModified, HTTPStatus: 304, NextPollAt: at2.Add(time.Hour)})
	got = getSource(t, st, src.ID)
	if got.Status != taglines.FetchNotModified || got.HTTPStatus != 304 || got.ETag != `"v1"` ||
		got.LastModified != "Mon, 23 Nov 2026 08:00:00 GMT" || got.Title != "Example News" || got.SiteURL != "https://news.example/" {
		t.Errorf("after 304 Source = %+v, want validators and title kept", got)
	}
	wantTime(t, "LastSuccessAt after 304", got.LastSuccessAt, at2)
	wantTime(t, "NextPollAt after 304", got.NextPollAt, at2.Add(time.Hour))

	// New validators replace the old.
	recordFetch(t, st, src.ID, taglines.FetchResult{At: at2, Status: taglines.FetchOK, HTTPStatus: 200, ETag: `"v2"`, Title: "Renamed", NextPollAt: at2})
	if got := getSource(t, st, src.ID); got.ETag != `"v2"` || got.Title != "Renamed" || got.LastModified == "" {
		t.Errorf("after new validators Source = %+v", got)
	}
}

func testRecordFetchFailure(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	ok := base
	recordFetch(t, st, src.ID, taglines.FetchResult{At: ok, Status: taglines.FetchOK, HTTPStatus: 200, ETag: "e", NextPollAt: ok})
	for i := 1; i <= 3; i++ {
		at := ok.Add(time.Duration(i) * time.Hour)
		recordFetch(t, st, src.ID, taglines.FetchResult{
			At: at, Status: taglines.FetchFailed, HTTPStatus: 500 + i,
			Err: fmt.Sprintf("attempt %d: server error", i), NextPollAt: at.Add(time.Duration(i) * time.Hour),
		})
		got := getSource(t, st, src.ID)
		if got.ConsecutiveFailures != i || got.Status != taglines.FetchFailed || got.HTTPStatus != 500+i ||
			got.LastError != fmt.Sprintf("attempt %d: server error", i) || !got.Failing() || got.ETag != "e" {
			t.Errorf("after failure %d Source = %+v", i, got)
		}
		wantTime(t, "LastAttemptAt", got.LastAttemptAt, at)
		wantTime(t, "LastSuccessAt", got.LastSuccessAt, ok)
		wantTime(t, "NextPollAt", got.NextPollAt, at.Add(time.Duration(i)*time.Hour))
	}
	st2, err := st.Stats(t.Context())
	if err != nil || st2.FailingSources != 1 {
		t.Errorf("Stats = %+v, %v, want 1 failing source", st2, err)
	}
	recordFetch(t, st, src.ID, taglines.FetchResult{At: ok.Add(5 * time.Hour), Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: ok.Add(6 * time.Hour)})
	got := getSource(t, st, src.ID)
	if got.ConsecutiveFailures != 0 || got.LastError != "" || got.Failing() || got.Status != taglines.FetchOK {
		t.Errorf("after recovery Source = %+v, want failures reset", got)
	}
}

func testRecordFetchReleasesLease(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	now := time.Now()
	if got := claim(t, st, "p1", now, 1, time.Hour); len(got) != 1 {
		t.Fatalf("claim = %v", sourceIDs(got))
	}
	recordFetch(t, st, src.ID, taglines.FetchResult{At: now, Status: taglines.FetchFailed, Err: "timeout", NextPollAt: now})
	if got := claim(t, st, "p2", now, 1, time.Hour); !slices.Equal(sourceIDs(got), []int64{src.ID}) {
		t.Errorf("claim after RecordFetch = %v, want the released source", sourceIDs(got))
	}
	recordFetch(t, st, src.ID, taglines.FetchResult{At: now, Status: taglines.FetchOK, NextPollAt: now.Add(time.Minute)})
	if got := claim(t, st, "p3", now, 1, time.Hour); len(got) != 0 {
		t.Errorf("claim before NextPollAt = %v, want none", sourceIDs(got))
	}
	if got := claim(t, st, "p3", now.Add(time.Minute), 1, time.Hour); len(got) != 1 {
		t.Errorf("claim at NextPollAt = %v, want the source", sourceIDs(got))
	}
}

func testRecordFetchInvalid(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	err := st.RecordFetch(t.Context(), src.ID, taglines.FetchResult{At: time.Now(), Status: "exploded", NextPollAt: time.Now()})
	wantErr(t, "RecordFetch(unknown status)", err, taglines.ErrInvalid)
	if got := getSource(t, st, src.ID); got.Status != taglines.FetchNever {
		t.Errorf("rejected RecordFetch changed Status to %q", got.Status)
	}
}

func testKnownURLs(t *testing.T, st taglines.Store) {
	a := addSource(t, st, "https://a.example/feed")
	b := addSource(t, st, "https://b.example/feed")
	var stored, asked []string
	var articles []*taglines.Article
	// More than any one IN list or bind limit a store might chunk by.
	for i := range 1200 {
		art := newArticle(a, fmt.Sprintf("story-%d", i), base)
		asked = append(asked, art.URL)
		if i%2 == 0 {
			articles = append(articles, art)
			stored = append(stored, art.URL)
		}
	}
	addArticles(t, st, articles...)
	onB := newArticle(b, "only-on-b", base)
	addArticles(t, st, onB)
	asked = append(asked, onB.URL)

	known, err := st.KnownURLs(t.Context(), a.ID, asked)
	if err != nil {
		t.Fatalf("KnownURLs = %v", err)
	}
	if len(known) != len(stored) {
		t.Errorf("KnownURLs returned %d URLs, want %d", len(known), len(stored))
	}
	for _, u := range stored {
		if !known[u] {
			t.Errorf("KnownURLs lacks stored %s", u)
			break
		}
	}
	if known[onB.URL] {
		t.Errorf("KnownURLs(a) reports %s, stored only for b", onB.URL)
	}
	if known[asked[1]] {
		t.Errorf("KnownURLs reports unstored %s", asked[1])
	}
	none, err := st.KnownURLs(t.Context(), a.ID, nil)
	if err != nil || len(none) != 0 {
		t.Errorf("KnownURLs(nil) = %v, %v, want empty", none, err)
	}
}

func testAddArticles(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	in := newArticle(src, "world/1", base.Add(42*time.Microsecond), "Ukraine", "Kremlin.ru", "NATO")
	in.Section = "World"
	addArticles(t, st, in)
	if in.ID <= 0 {
		t.Fatalf("AddArticles set ID %d, want > 0", in.ID)
	}
	got, err := st.Article(t.Context(), in.ID)
	if err != nil {
		t.Fatalf("Article(%d) = %v", in.ID, err)
	}
	want := *in
	want.SourceName = src.URL
	if got.ID != want.ID || got.SourceID != want.SourceID || got.SourceName != want.SourceName ||
		got.URL != want.URL || got.GUID != want.GUID || got.Title != want.Title || got.Text != want.Text ||
		got.Author != want.Author || got.Language != want.Language || got.ImageURL != want.ImageURL ||
		got.SiteName != want.SiteName || got.Section != want.Section || !slices.Equal(got.Tags, want.Tags) {
		t.Errorf("Article(%d) =\n%+v, want\n%+v", in.ID, got, want)
	}
	wantTime(t, "PublishedAt", got.PublishedAt, in.PublishedAt)
	wantTime(t, "FetchedAt", got.FetchedAt, in.FetchedAt)

	// Without tags, Tags stays empty.
	bare := newArticle(src, "bare", base)
	addArticles(t, st, bare)
	if got, err := st.Article(t.Context(), bare.ID); err != nil || len(got.Tags) != 0 {
		t.Errorf("Article(untagged) = %+v, %v, want no tags", got, err)
	}
}

func testAddArticlesIdempotent(t *testing.T, st taglines.Store) {
	ctx := t.Context()
	src := addSource(t, st, "https://news.example/feed")
	other := addSource(t, st, "https://other.example/feed")
	batch := []*taglines.Article{
		newArticle(src, "1", base, "A"), newArticle(src, "2", base.Add(time.Minute), "B"), newArticle(src, "3", base.Add(2*time.Minute)),
	}
	addArticles(t, st, batch...)
	seen := map[int64]bool{}
	for _, a := range batch {
		if a.ID <= 0 || seen[a.ID] {
			t.Errorf("AddArticles set IDs %v, want distinct positive", ids(batch))
		}
		seen[a.ID] = true
	}

	again := []*taglines.Article{newArticle(src, "1", base, "C"), newArticle(src, "2", base), newArticle(src, "3", base)}
	again[0].Title = "Changed"
	n, err := st.AddArticles(ctx, again)
	if err != nil || n != 0 {
		t.Errorf("AddArticles(same articles) = %d, %v, want 0, nil", n, err)
	}
	if got, err := st.Article(ctx, batch[0].ID); err != nil || got.Title != batch[0].Title || !slices.Equal(got.Tags, batch[0].Tags) {
		t.Errorf("stored article after a repeat = %+v, %v, want it unchanged", got, err)
	}

	// A mixed batch: one stored, one new, one new twice, one new for another source.
	fresh := newArticle(src, "4", base.Add(3*time.Minute))
	twice := newArticle(src, "5", base.Add(4*time.Minute))
	elsewhere := newArticle(other, "1", base)
	n, err = st.AddArticles(ctx, []*taglines.Article{newArticle(src, "1", base), fresh, twice, newArticle(src, "5", base), elsewhere})
	if err != nil || n != 3 {
		t.Errorf("AddArticles(mixed batch) = %d, %v, want 3, nil", n, err)
	}
	if fresh.ID <= 0 || twice.ID <= 0 || elsewhere.ID <= 0 || seen[fresh.ID] || fresh.ID == twice.ID {
		t.Errorf("new articles of a mixed batch got IDs %d, %d, %d", fresh.ID, twice.ID, elsewhere.ID)
	}
	if got := list(t, st, taglines.ArticleQuery{Limit: 100}); len(got) != 6 {
		t.Errorf("Articles lists %d, want 6 without duplicates", len(got))
	}
	stats, err := st.Stats(ctx)
	if err != nil || stats.Articles != 6 || stats.Tags != 2 {
		t.Errorf("Stats = %+v, %v, want 6 articles, 2 tags", stats, err)
	}
	if n, err := st.AddArticles(ctx, nil); err != nil || n != 0 {
		t.Errorf("AddArticles(nil) = %d, %v", n, err)
	}
}

func testAddArticlesDefaults(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	fetched := base.Add(time.Hour)
	undated := newArticle(src, "undated", time.Time{})
	undated.FetchedAt = fetched
	addArticles(t, st, undated)
	got, err := st.Article(t.Context(), undated.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantTime(t, "PublishedAt of an undated article", got.PublishedAt, fetched)
	wantTime(t, "PublishedAt set on the input", undated.PublishedAt, fetched)

	before := time.Now().Add(-time.Second)
	bare := &taglines.Article{SourceID: src.ID, URL: "https://news.example/bare"}
	addArticles(t, st, bare)
	got, err = st.Article(t.Context(), bare.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FetchedAt.Before(before) || got.FetchedAt.After(time.Now().Add(time.Second)) || !got.PublishedAt.Equal(got.FetchedAt) {
		t.Errorf("bare article times = %v, %v, want about now", got.PublishedAt, got.FetchedAt)
	}
}

func testAddArticlesInvalid(t *testing.T, st taglines.Store) {
	ctx := t.Context()
	src := addSource(t, st, "https://news.example/feed")
	_, err := st.AddArticles(ctx, []*taglines.Article{{SourceID: src.ID}})
	wantErr(t, "AddArticles(no URL)", err, taglines.ErrInvalid)
	_, err = st.AddArticles(ctx, []*taglines.Article{{URL: "https://news.example/x"}})
	wantErr(t, "AddArticles(no source)", err, taglines.ErrInvalid)
	// One transaction: a bad article stores nothing of its batch.
	good := newArticle(src, "good", base, "Good")
	orphan := newArticle(&taglines.Source{ID: src.ID + 1000}, "orphan", base)
	_, err = st.AddArticles(ctx, []*taglines.Article{good, orphan})
	wantErr(t, "AddArticles(unknown source)", err, taglines.ErrNotFound)
	if stats, err := st.Stats(ctx); err != nil || stats.Articles != 0 {
		t.Errorf("after a failed batch Stats = %+v, %v, want no articles", stats, err)
	}
	good.ID = 0
	addArticles(t, st, good)
}

// testAddArticlesConcurrent writes from many goroutines at once: overlapping
// batches that share tags in different orders, beside claims and fetch
// records, as pollers do. None may fail (no SQLITE_BUSY, no deadlock).
func testAddArticlesConcurrent(t *testing.T, st taglines.Store) {
	const workers, batches, size, pool = 8, 10, 20, 150
	src := addSource(t, st, "https://news.example/feed")
	tags := []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta"}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		inserted int
		touched  = make(map[string]bool)
	)
	for w := range workers {
		wg.Go(func() {
			for b := range batches {
				var batch []*taglines.Article
				for i := range size {
					k := (w*37 + b*23 + i) % pool
					var ts []string
					for j := range 3 {
						ts = append(ts, tags[(k+j*(w+1))%len(tags)])
					}
					batch = append(batch, newArticle(src, fmt.Sprintf("story-%d", k), base.Add(time.Duration(k)*time.Minute), ts...))
				}
				n, err := st.AddArticles(t.Context(), batch)
				if err != nil {
					t.Errorf("worker %d: AddArticles = %v", w, err)
					return
				}
				now := time.Now()
				if _, err := st.ClaimDueSources(t.Context(), fmt.Sprintf("w%d", w), now, 1, time.Millisecond); err != nil {
					t.Errorf("worker %d: ClaimDueSources = %v", w, err)
					return
				}
				if err := st.RecordFetch(t.Context(), src.ID, taglines.FetchResult{At: now, Status: taglines.FetchOK, NextPollAt: now}); err != nil {
					t.Errorf("worker %d: RecordFetch = %v", w, err)
					return
				}
				mu.Lock()
				inserted += n
				for _, a := range batch {
					touched[a.URL] = true
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	stats, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if inserted != len(touched) || stats.Articles != len(touched) || stats.Tags != len(tags) {
		t.Errorf("inserted %d, Stats %+v; want %d articles and %d tags", inserted, stats, len(touched), len(tags))
	}
}

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

func testArticleNotFound(t *testing.T, st taglines.Store) {
	_, err := st.Article(t.Context(), 12345)
	wantErr(t, "Article(missing)", err, taglines.ErrNotFound)
}

// fixture stores articles of two sources with distinct and tied times,
// inserted out of order, and returns them newest first.
func fixture(t *testing.T, st taglines.Store, n int) []*taglines.Article {
	t.Helper()
	a := addSource(t, st, "https://a.example/feed")
	b := addSource(t, st, "https://b.example/feed")
	var all []*taglines.Article
	for i := range n {
		src := a
		if i%3 == 0 {
			src = b
		}
		// (i*7)%n scrambles the order; /3 makes runs of three equal times.
		published := base.Add(time.Duration((i*7)%n/3) * time.Hour)
		var tags []string
		if i%2 == 0 {
			tags = append(tags, "Even")
		}
		if i%5 == 0 {
			tags = append(tags, "Fifth")
		}
		art := newArticle(src, fmt.Sprintf("story-%d", i), published, tags...)
		addArticles(t, st, art)
		all = append(all, art)
	}
	return newestFirst(all)
}

func testArticlesOrder(t *testing.T, st taglines.Store) {
	want := fixture(t, st, 30)
	got := list(t, st, taglines.ArticleQuery{Limit: 100})
	if !slices.Equal(ids(got), ids(want)) {
		t.Errorf("Articles order = %v, want %v", ids(got), ids(want))
	}
	ties := 0
	for i := 1; i < len(want); i++ {
		if want[i].PublishedAt.Equal(want[i-1].PublishedAt) {
			ties++
		}
	}
	if ties == 0 {
		t.Fatal("fixture has no tied times; the test proves nothing")
	}
}

func page(t *testing.T, st taglines.Store, q taglines.ArticleQuery) []*taglines.Article {
	t.Helper()
	var all []*taglines.Article
	for range 1000 {
		got := list(t, st, q)
		if len(got) > q.Limit {
			t.Fatalf("page of %d, limit %d", len(got), q.Limit)
		}
		all = append(all, got...)
		if len(got) < q.Limit {
			return all
		}
		q.Before = taglines.CursorAfter(got[len(got)-1])
	}
	t.Fatal("paging does not end")
	return nil
}

func testArticlesPaging(t *testing.T, st taglines.Store) {
	want := fixture(t, st, 23)
	for _, limit := range []int{1, 2, 5, 7, 23, 30} {
		got := page(t, st, taglines.ArticleQuery{Limit: limit})
		if !slices.Equal(ids(got), ids(want)) {
			t.Errorf("pages of %d = %v, want %v", limit, ids(got), ids(want))
		}
	}
	// A cursor built by hand (as from a URL) works like CursorAfter.
	mid := want[10]
	got := list(t, st, taglines.ArticleQuery{Before: &taglines.Cursor{PublishedAt: mid.PublishedAt, ID: mid.ID}, Limit: 3})
	if !slices.Equal(ids(got), ids(want[11:14])) {
		t.Errorf("Articles(before %d) = %v, want %v", mid.ID, ids(got), ids(want[11:14]))
	}
	// A cursor a nanosecond after a stored time (stores keep microseconds)
	// is after every article at that time, whatever their IDs.
	var tied []*taglines.Article
	for _, a := range want {
		if a.PublishedAt.Equal(mid.PublishedAt) {
			tied = append(tied, a)
		}
	}
	got = list(t, st, taglines.ArticleQuery{Before: &taglines.Cursor{PublishedAt: mid.PublishedAt.Add(time.Nanosecond), ID: 0}, Limit: len(tied)})
	if !slices.Equal(ids(got), ids(tied)) {
		t.Errorf("Articles(before %v+1ns) = %v, want %v", mid.PublishedAt, ids(got), ids(tied))
	}
}

func testArticlesDefaultLimit(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	var batch []*taglines.Article
	for i := range 60 {
		batch = append(batch, newArticle(src, fmt.Sprintf("s%d", i), base.Add(time.Duration(i)*time.Second)))
	}
	addArticles(t, st, batch...)
	for _, limit := range []int{0, -1} {
		if got := list(t, st, taglines.ArticleQuery{Limit: limit}); len(got) != 50 {
			t.Errorf("Articles(Limit %d) = %d articles, want 50", limit, len(got))
		}
	}
	if got := list(t, st, taglines.ArticleQuery{Limit: 55}); len(got) != 55 {
		t.Errorf("Articles(Limit 55) = %d articles", len(got))
	}
}

func testArticlesByTag(t *testing.T, st taglines.Store) {
	all := fixture(t, st, 40)
	var even, fifth []*taglines.Article
	for _, a := range all {
		for _, tag := range a.Tags {
			switch tag.Slug {
			case "even":
				even = append(even, a)
			case "fifth":
				fifth = append(fifth, a)
			}
		}
	}
	for _, tag := range []string{"even", "Even", "EVEN", "#even"} {
		got := list(t, st, taglines.ArticleQuery{Tag: tag, Limit: 100})
		if !slices.Equal(ids(got), ids(even)) {
			t.Errorf("Articles(Tag %q) = %v, want %v", tag, ids(got), ids(even))
		}
	}
	got := page(t, st, taglines.ArticleQuery{Tag: "fifth", Limit: 3})
	if !slices.Equal(ids(got), ids(fifth)) {
		t.Errorf("pages of Articles(Tag fifth) = %v, want %v", ids(got), ids(fifth))
	}
	for _, a := range got {
		if len(a.Tags) == 0 || a.SourceName == "" {
			t.Errorf("Articles(Tag) returned %d without tags or source name", a.ID)
		}
	}
	if got := list(t, st, taglines.ArticleQuery{Tag: "nosuchtag"}); len(got) != 0 {
		t.Errorf("Articles(unknown tag) = %v, want none", ids(got))
	}
}

func testArticlesSourceName(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://news.example/feed")
	addArticles(t, st, newArticle(src, "1", base))
	if got := list(t, st, taglines.ArticleQuery{}); len(got) != 1 || got[0].SourceName != src.URL {
		t.Fatalf("SourceName of an untitled source = %+v, want its URL", got)
	}
	recordFetch(t, st, src.ID, taglines.FetchResult{At: base, Status: taglines.FetchOK, Title: "Example News", NextPollAt: base})
	if got := list(t, st, taglines.ArticleQuery{}); len(got) != 1 || got[0].SourceName != "Example News" {
		t.Errorf("SourceName = %q, want the feed title", got[0].SourceName)
	}
	if got, err := st.Article(t.Context(), list(t, st, taglines.ArticleQuery{})[0].ID); err != nil || got.SourceName != "Example News" {
		t.Errorf("Article().SourceName = %+v, %v, want the feed title", got, err)
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

func testStats(t *testing.T, st taglines.Store) {
	if got, err := st.Stats(t.Context()); err != nil || got != (taglines.Stats{}) {
		t.Errorf("Stats of an empty store = %+v, %v", got, err)
	}
	a := addSource(t, st, "https://a.example/feed")
	b := addSource(t, st, "https://b.example/feed")
	c := addSource(t, st, "https://c.example/feed")
	addArticles(t, st, newArticle(a, "1", base, "X", "Y"), newArticle(a, "2", base, "y"), newArticle(b, "1", base, "Z"))
	fail := taglines.FetchResult{At: base, Status: taglines.FetchFailed, Err: "dns", NextPollAt: base}
	recordFetch(t, st, b.ID, fail)
	recordFetch(t, st, c.ID, fail)
	recordFetch(t, st, c.ID, fail)
	recordFetch(t, st, a.ID, taglines.FetchResult{At: base, Status: taglines.FetchOK, NextPollAt: base})
	want := taglines.Stats{Sources: 3, Articles: 3, Tags: 3, FailingSources: 2}
	if got, err := st.Stats(t.Context()); err != nil || got != want {
		t.Errorf("Stats = %+v, %v, want %+v", got, err, want)
	}
}

func testTimes(t *testing.T, st taglines.Store) {
	zone := time.FixedZone("UTC+3", 3*3600)
	src := addSource(t, st, "https://news.example/feed")
	if src.CreatedAt.Location() != time.UTC {
		t.Errorf("AddSource CreatedAt in %v, want UTC", src.CreatedAt.Location())
	}
	for _, at := range []time.Time{
		time.Date(2026, 11, 23, 11, 15, 1, 123456789, zone),
		time.Date(1969, 7, 20, 20, 17, 40, 999999999, time.UTC), // before the epoch
		time.Date(2100, 1, 1, 0, 0, 0, 1000, time.UTC),
	} {
		next := at.Add(90 * time.Minute)
		recordFetch(t, st, src.ID, taglines.FetchResult{At: at, Status: taglines.FetchOK, NextPollAt: next})
		got := getSource(t, st, src.ID)
		wantTime(t, "LastAttemptAt", got.LastAttemptAt, at)
		wantTime(t, "LastSuccessAt", got.LastSuccessAt, at)
		wantTime(t, "NextPollAt", got.NextPollAt, next)
		wantTime(t, "CreatedAt", got.CreatedAt, src.CreatedAt)

		art := newArticle(src, at.String(), at)
		addArticles(t, st, art)
		stored, err := st.Article(t.Context(), art.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantTime(t, "PublishedAt", stored.PublishedAt, at)
		wantTime(t, "FetchedAt", stored.FetchedAt, at.Add(time.Minute))
		wantTime(t, "PublishedAt set on the input", art.PublishedAt, at)
		// The input's times now equal the stored ones, so its cursor is exact.
		if got := list(t, st, taglines.ArticleQuery{Before: taglines.CursorAfter(art), Limit: 100}); slices.Contains(ids(got), art.ID) {
			t.Errorf("Articles(before %d) includes %d", art.ID, art.ID)
		}
	}
	// Zero times stay zero.
	fresh := getSource(t, st, addSource(t, st, "https://fresh.example/feed").ID)
	if !fresh.LastAttemptAt.IsZero() || !fresh.LastSuccessAt.IsZero() {
		t.Errorf("never polled source has times %v, %v, want zero", fresh.LastAttemptAt, fresh.LastSuccessAt)
	}
}

func testUnicode(t *testing.T, st taglines.Store) {
	texts := []string{
		"Україна: Зеленський зустрівся з лідерами ЄС",
		"東京で地震、震度５強を観測",
		"مرحبا بالعالم — تقرير خاص",
		"Ünïcödé cömbïnïng: e\u0301 a\u0308 — emoji 🇺🇦🗞️👩🏽‍💻",
		"quotes ' \" ` and \\ backslash; -- not a comment; %_ wildcards",
	}
	src := &taglines.Source{URL: "https://новости.example/лента?q=ü&x=' OR 1=1 --", Title: texts[0]}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	if got, err := st.SourceByURL(t.Context(), src.URL); err != nil || got.Title != texts[0] {
		t.Errorf("SourceByURL(unicode) = %+v, %v", got, err)
	}
	var batch []*taglines.Article
	for i, text := range texts {
		a := newArticle(src, fmt.Sprintf("статья-%d", i), base.Add(time.Duration(i)*time.Minute))
		a.Title, a.Text, a.Author = text, strings.Repeat(text+"\n\n", 3), text
		tag, ok := taglines.NewTag(text)
		if ok {
			a.Tags = []taglines.Tag{tag}
		}
		batch = append(batch, a)
	}
	addArticles(t, st, batch...)
	for _, a := range batch {
		got, err := st.Article(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || got.Text != a.Text || got.Author != a.Author || got.URL != a.URL ||
			got.SourceName != texts[0] || !slices.Equal(got.Tags, a.Tags) {
			t.Errorf("Article round trip =\n%+v, want\n%+v", got, a)
		}
		for _, tag := range a.Tags {
			if got := ids(list(t, st, taglines.ArticleQuery{Tag: tag.Name})); !slices.Equal(got, []int64{a.ID}) {
				t.Errorf("Articles(Tag %q) = %v, want [%d]", tag.Name, got, a.ID)
			}
		}
	}
	known, err := st.KnownURLs(t.Context(), src.ID, []string{batch[0].URL})
	if err != nil || !known[batch[0].URL] {
		t.Errorf("KnownURLs(unicode URL) = %v, %v", known, err)
	}
}

func testItemsPerDay(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://rate.example/feed.xml")
	if got := getSource(t, st, src.ID).ItemsPerDay; got >= 0 {
		t.Errorf("new source ItemsPerDay = %v, want negative (unknown)", got)
	}
	at := time.Now().UTC()
	recordFetch(t, st, src.ID, taglines.FetchResult{At: at, Status: taglines.FetchOK, NextPollAt: at, ItemsPerDay: 12.5})
	if got := getSource(t, st, src.ID).ItemsPerDay; got != 12.5 {
		t.Errorf("ItemsPerDay after a fetch that saw 12.5 = %v", got)
	}
	// A 304 says nothing new about the rate: the stored one stays.
	recordFetch(t, st, src.ID, taglines.FetchResult{At: at, Status: taglines.FetchNotModified, NextPollAt: at, ItemsPerDay: -1})
	if got := getSource(t, st, src.ID).ItemsPerDay; got != 12.5 {
		t.Errorf("ItemsPerDay after a 304 = %v, want 12.5 kept", got)
	}
	recordFetch(t, st, src.ID, taglines.FetchResult{At: at, Status: taglines.FetchOK, NextPollAt: at, ItemsPerDay: 0})
	if got := getSource(t, st, src.ID).ItemsPerDay; got != 0 {
		t.Errorf("ItemsPerDay after a quiet week = %v, want 0", got)
	}
}

func testAddSourceNextPoll(t *testing.T, st taglines.Store) {
	later := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	src := &taglines.Source{URL: "https://later.example/feed.xml", NextPollAt: later}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	wantTime(t, "NextPollAt", getSource(t, st, src.ID).NextPollAt, later)
	due, err := st.ClaimDueSources(t.Context(), "w", later.Add(-time.Second), 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.ID == src.ID {
			t.Errorf("source scheduled for %v claimed a second early", later)
		}
	}
}

func testSourceSettings(t *testing.T, st taglines.Store) {
	src := &taglines.Source{URL: "https://settings.example/feed.xml", Folder: "World", Rules: `{"drop":[".ad"]}`, PreferFeed: true}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	got := getSource(t, st, src.ID)
	if got.Folder != "World" || got.Rules != `{"drop":[".ad"]}` || !got.PreferFeed {
		t.Errorf("new source settings = folder %q rules %q prefer %v", got.Folder, got.Rules, got.PreferFeed)
	}
	got.Title, got.Folder, got.Rules, got.PreferFeed = "Renamed", "Europe", "", false
	if err := st.UpdateSource(t.Context(), got); err != nil {
		t.Fatal(err)
	}
	again := getSource(t, st, src.ID)
	if again.Title != "Renamed" || again.Folder != "Europe" || again.Rules != "" || again.PreferFeed {
		t.Errorf("updated source = %+v", again)
	}
	if again.URL != src.URL || !again.CreatedAt.Equal(got.CreatedAt) {
		t.Errorf("UpdateSource changed what it must not: %+v", again)
	}
	err := st.UpdateSource(t.Context(), &taglines.Source{ID: src.ID + 1000})
	wantErr(t, "UpdateSource(missing)", err, taglines.ErrNotFound)
}

func testSourceState(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://state.example/feed.xml")
	data, err := st.SourceState(t.Context(), src.ID, "boilerplate")
	if err != nil || data != nil {
		t.Fatalf("SourceState(none) = %q, %v; want nil, nil", data, err)
	}
	for _, want := range [][]byte{{0, 1, 2, 255}, {9}} {
		if err := st.SetSourceState(t.Context(), src.ID, "boilerplate", want); err != nil {
			t.Fatal(err)
		}
		got, err := st.SourceState(t.Context(), src.ID, "boilerplate")
		if err != nil || string(got) != string(want) {
			t.Errorf("SourceState = %v, %v; want %v", got, err, want)
		}
	}
	if other, err := st.SourceState(t.Context(), src.ID, "other"); err != nil || other != nil {
		t.Errorf("SourceState(other key) = %v, %v; want nil", other, err)
	}
	err = st.SetSourceState(t.Context(), src.ID+1000, "boilerplate", []byte{1})
	wantErr(t, "SetSourceState(missing source)", err, taglines.ErrNotFound)
	if err := st.RemoveSource(t.Context(), src.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := st.SourceState(t.Context(), src.ID, "boilerplate"); err != nil || got != nil {
		t.Errorf("state of a removed source = %v, %v; want gone", got, err)
	}
}

func testSourceUsed(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://used.example/feed.xml")
	arts := []*taglines.Article{
		{SourceID: src.ID, URL: "https://used.example/1", Title: "one", Text: "t", SourceUsed: "page", Section: "Politics", SectionConfidence: 0.75},
		{SourceID: src.ID, URL: "https://used.example/2", Title: "two", Text: "t", SourceUsed: "feed"},
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		got, err := st.Article(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.SourceUsed != a.SourceUsed || got.SectionConfidence != a.SectionConfidence {
			t.Errorf("Article(%d) source used %q, section confidence %v; want %q, %v", a.ID, got.SourceUsed, got.SectionConfidence, a.SourceUsed, a.SectionConfidence)
		}
	}
}

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

func testUpdateAndScanArticles(t *testing.T, st taglines.Store) {
	a := addSource(t, st, "https://scan-a.example/feed.xml")
	b := addSource(t, st, "https://scan-b.example/feed.xml")
	kiev, _ := taglines.NewTag("Kiev")
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	var arts []*taglines.Article
	for i := range 5 {
		src := a.ID
		if i%2 == 1 {
			src = b.ID
		}
		arts = append(arts, &taglines.Article{SourceID: src, URL: fmt.Sprintf("https://scan.example/%d", i), Title: "t", Text: "old", PublishedAt: at.Add(time.Duration(i) * time.Hour), Tags: []taglines.Tag{kiev}})
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	// A resumable walk: pages of 2 by ascending ID cover everything once.
	var seen []int64
	for after := int64(0); ; {
		page, err := st.ScanArticles(t.Context(), after, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if p.ID <= after || len(p.Tags) != 1 {
				t.Fatalf("ScanArticles(after %d) returned %d with %d tags", after, p.ID, len(p.Tags))
			}
			seen = append(seen, p.ID)
			after = p.ID
		}
	}
	if len(seen) != 5 {
		t.Errorf("walked %d articles, want 5", len(seen))
	}
	onlyB, err := st.ScanArticles(t.Context(), 0, 10, b.ID)
	if err != nil || len(onlyB) != 2 {
		t.Errorf("ScanArticles(source b) = %d articles, %v; want 2", len(onlyB), err)
	}

	kyiv, _ := taglines.NewTag("Kyiv")
	up := *arts[0]
	up.Text, up.Section, up.SectionConfidence, up.Tags = "new text", "World", 0.8, []taglines.Tag{kyiv}
	n, err := st.UpdateArticles(t.Context(), []*taglines.Article{&up, {ID: arts[4].ID + 1000}})
	if err != nil || n != 1 {
		t.Fatalf("UpdateArticles = %d, %v; want 1 (the unknown ID skipped)", n, err)
	}
	got, err := st.Article(t.Context(), up.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != "new text" || got.Section != "World" || got.SectionConfidence != 0.8 || len(got.Tags) != 1 || got.Tags[0].Name != "Kyiv" {
		t.Errorf("updated article = %+v", got)
	}
	kyivPage, err := st.Articles(t.Context(), taglines.ArticleQuery{Tag: "kyiv"})
	if err != nil || len(kyivPage) != 1 || !kyivPage[0].PublishedAt.Equal(arts[0].PublishedAt) {
		t.Errorf("Kyiv tag page after the update = %d articles, %v; want the updated one at its own time", len(kyivPage), err)
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
