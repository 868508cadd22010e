// The articles: writing them once, reading them newest first with cursors,
// by tag, source and section, rewriting them, and the counts of the store.

package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

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
