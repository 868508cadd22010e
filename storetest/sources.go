// The sources: subscribing, listing and removing, claims and leases, fetch
// results and the per-source settings and state.

package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

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

func testClaimRelease(t *testing.T, st taglines.Store) {
	ctx := t.Context()
	var srcs []*taglines.Source
	for i := range 5 {
		srcs = append(srcs, addSource(t, st, fmt.Sprintf("https://r%d.example/feed", i)))
	}
	now := time.Now()
	if got := claim(t, st, "p1", now, 3, time.Hour); len(got) != 3 {
		t.Fatalf("p1 claimed %v, want 3", sourceIDs(got))
	}
	p2 := claim(t, st, "p2", now, 10, time.Hour)
	owners, err := st.ClaimOwners(ctx, now)
	if err != nil || !slices.Equal(owners, []string{"p1", "p2"}) {
		t.Errorf("ClaimOwners = %q, %v; want [p1 p2]", owners, err)
	}
	if owners, _ := st.ClaimOwners(ctx, now.Add(2*time.Hour)); len(owners) != 0 {
		t.Errorf("ClaimOwners after every lease = %q, want none", owners)
	}
	// Another owner's lease is not released.
	if n, err := st.ReleaseClaims(ctx, "p1", p2[0].ID); err != nil || n != 0 {
		t.Errorf("ReleaseClaims(p1, a p2 source) = %d, %v; want 0", n, err)
	}
	if n, err := st.ReleaseClaims(ctx, "p2", p2[0].ID); err != nil || n != 1 {
		t.Errorf("ReleaseClaims(p2, its source) = %d, %v; want 1", n, err)
	}
	if got := claim(t, st, "p3", now, 10, time.Hour); !slices.Equal(sourceIDs(got), []int64{p2[0].ID}) {
		t.Errorf("after one release p3 claimed %v, want [%d]", sourceIDs(got), p2[0].ID)
	}
	if n, err := st.ReleaseClaims(ctx, "p1"); err != nil || n != 3 {
		t.Errorf("ReleaseClaims(p1) = %d, %v; want its 3", n, err)
	}
	if got := claim(t, st, "p4", now, 10, time.Hour); len(got) != 3 {
		t.Errorf("after releasing p1, p4 claimed %v, want p1's 3", sourceIDs(got))
	}
	// Released sources keep their schedule: one polled since is not due.
	recordFetch(t, st, srcs[4].ID, taglines.FetchResult{At: now, Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: now.Add(time.Hour)})
	if got := claim(t, st, "p5", now, 10, time.Hour); len(got) != 0 {
		t.Errorf("p5 claimed %v, want none", sourceIDs(got))
	}
}

// A successful fetch records the refused feed items and the warning; a
// 304 or a failure keeps them, a clean feed clears them.
func testRecordFetchWarning(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://warn.example/feed")
	now := time.Now()
	steps := []struct {
		res     taglines.FetchResult
		refused int
		warning string
	}{
		{taglines.FetchResult{Status: taglines.FetchOK, HTTPStatus: 200, RefusedItems: 2, Warning: "2 feed items refused: 2 no link"}, 2, "2 feed items refused: 2 no link"},
		{taglines.FetchResult{Status: taglines.FetchNotModified, HTTPStatus: 304}, 2, "2 feed items refused: 2 no link"},
		{taglines.FetchResult{Status: taglines.FetchFailed, HTTPStatus: 503, Err: "503"}, 2, "2 feed items refused: 2 no link"},
		{taglines.FetchResult{Status: taglines.FetchOK, HTTPStatus: 200}, 0, ""},
	}
	for i, step := range steps {
		step.res.At = now.Add(time.Duration(i) * time.Minute)
		recordFetch(t, st, src.ID, step.res)
		got := getSource(t, st, src.ID)
		if got.RefusedItems != step.refused || got.Warning != step.warning {
			t.Errorf("after %s: refused %d warning %q, want %d %q", step.res.Status, got.RefusedItems, got.Warning, step.refused, step.warning)
		}
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
	src := &taglines.Source{URL: "https://settings.example/feed.xml", Folder: "World", Rules: `{"drop":[".ad"]}`, PreferFeed: true,
		Sections: "Footie=Sports"}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	got := getSource(t, st, src.ID)
	if got.Folder != "World" || got.Rules != `{"drop":[".ad"]}` || !got.PreferFeed || got.Sections != "Footie=Sports" {
		t.Errorf("new source settings = folder %q rules %q prefer %v sections %q", got.Folder, got.Rules, got.PreferFeed, got.Sections)
	}
	got.Title, got.Folder, got.Rules, got.PreferFeed, got.Sections = "Renamed", "Europe", "", false, "*=Business"
	if err := st.UpdateSource(t.Context(), got); err != nil {
		t.Fatal(err)
	}
	again := getSource(t, st, src.ID)
	if again.Title != "Renamed" || again.Folder != "Europe" || again.Rules != "" || again.PreferFeed || again.Sections != "*=Business" {
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
