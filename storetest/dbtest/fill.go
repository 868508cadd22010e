package dbtest

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/taglines/taglines"
)

// Fixture is what a test stores: sources with their health, articles with
// their tags, and the dedup stage's groups. Its IDs are the fixture's own
// (an article's SourceID names a fixture source); Fill maps them to the
// IDs the store assigns, which in a new store are 1, 2, ... in fixture
// order, on both databases.
type Fixture struct {
	Sources  []*taglines.Source
	Articles []*taglines.Article
	Groups   []taglines.Group
}

// ReadFixture decodes a Fixture from a JSON file (encoding/json field
// names; keys match case-insensitively), failing t if it cannot.
func ReadFixture(t testing.TB, path string) Fixture {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fx Fixture
	if err := json.Unmarshal(data, &fx); err != nil {
		t.Fatalf("fixture %s: %v", path, err)
	}
	return fx
}

// Filled is a store written from a Fixture, and where the fixture's rows
// went.
type Filled struct {
	taglines.Store
	SourceIDs  map[int64]int64     // fixture source ID -> stored ID
	ArticleIDs map[int64]int64     // fixture article ID -> stored ID
	Written    []*taglines.Article // the fixture's articles as written, in order, with stored IDs
}

// Fill writes fx into st through the write path the ingest stage uses,
// failing t on any error, and returns st with the ID maps. It copies the
// fixture's values and leaves fx as it was.
//
// A source's health (LastAttemptAt and the fields after it) is replayed
// through RecordFetch: a success at LastSuccessAt when the last attempt
// failed or came later, then ConsecutiveFailures failed attempts (the last
// at LastAttemptAt), or one attempt with the source's Status. A source
// never polled is added with its NextPollAt. CreatedAt is the store's own
// clock: it cannot be written.
func Fill(t testing.TB, st taglines.Store, fx Fixture) *Filled {
	t.Helper()
	ctx := context.Background()
	f := &Filled{Store: st, SourceIDs: map[int64]int64{}, ArticleIDs: map[int64]int64{}}
	for _, fs := range fx.Sources {
		src := &taglines.Source{URL: fs.URL, Title: fs.Title, SiteURL: fs.SiteURL, Folder: fs.Folder, Rules: fs.Rules,
			PreferFeed: fs.PreferFeed, NextPollAt: fs.NextPollAt}
		if err := st.AddSource(ctx, src); err != nil {
			t.Fatalf("fixture source %d: %v", fs.ID, err)
		}
		for _, r := range fetches(fs) {
			if err := st.RecordFetch(ctx, src.ID, r); err != nil {
				t.Fatalf("fixture source %d: %v", fs.ID, err)
			}
		}
		f.SourceIDs[fs.ID] = src.ID
	}
	for _, fa := range fx.Articles {
		a := *fa
		a.Tags = slices.Clone(fa.Tags)
		a.ID = 0
		if len(fx.Sources) > 0 {
			id, ok := f.SourceIDs[fa.SourceID]
			if !ok {
				t.Fatalf("fixture article %d: no fixture source %d", fa.ID, fa.SourceID)
			}
			a.SourceID = id
		}
		f.Written = append(f.Written, &a)
	}
	// One call per article: PostgreSQL's batch insert numbers a batch in
	// its own order, and tests name the IDs of a fixture's rows.
	for i, a := range f.Written {
		if n, err := st.AddArticles(ctx, []*taglines.Article{a}); err != nil {
			t.Fatalf("fixture article %d: %v", fx.Articles[i].ID, err)
		} else if n != 1 {
			t.Fatalf("fixture article %d: not stored: its (SourceID, URL) repeats", fx.Articles[i].ID)
		}
	}
	for i, fa := range fx.Articles {
		if fa.ID != 0 {
			f.ArticleIDs[fa.ID] = f.Written[i].ID
		}
	}
	if len(fx.Groups) > 0 {
		groups := make([]taglines.Group, len(fx.Groups))
		for i, g := range fx.Groups {
			groups[i] = taglines.Group{ArticleID: f.ArticleIDs[g.ArticleID], DuplicateOf: f.ArticleIDs[g.DuplicateOf], Cluster: f.ArticleIDs[g.Cluster]}
		}
		if err := st.SetGroups(ctx, groups); err != nil {
			t.Fatalf("fixture groups: %v", err)
		}
	}
	return f
}

// fetches are the polls that leave a source with src's health.
func fetches(src *taglines.Source) []taglines.FetchResult {
	if src.Status == taglines.FetchNever {
		return nil
	}
	next := src.NextPollAt
	if next.IsZero() {
		next = time.Unix(0, 0)
	}
	var out []taglines.FetchResult
	if src.Status == taglines.FetchFailed || src.ConsecutiveFailures > 0 {
		if !src.LastSuccessAt.IsZero() {
			out = append(out, taglines.FetchResult{At: src.LastSuccessAt, Status: taglines.FetchOK, HTTPStatus: 200,
				NextPollAt: next, ItemsPerDay: src.ItemsPerDay})
		}
		for i := max(src.ConsecutiveFailures, 1); i > 0; i-- {
			out = append(out, taglines.FetchResult{At: src.LastAttemptAt.Add(-time.Duration(i-1) * time.Minute),
				Status: taglines.FetchFailed, HTTPStatus: src.HTTPStatus, Err: src.LastError, NextPollAt: next, ItemsPerDay: -1})
		}
		return out
	}
	if !src.LastSuccessAt.IsZero() && src.LastSuccessAt.Before(src.LastAttemptAt) {
		out = append(out, taglines.FetchResult{At: src.LastSuccessAt, Status: taglines.FetchOK, HTTPStatus: 200,
			NextPollAt: next, ItemsPerDay: src.ItemsPerDay})
	}
	return append(out, taglines.FetchResult{At: src.LastAttemptAt, Status: src.Status, HTTPStatus: src.HTTPStatus,
		ETag: src.ETag, LastModified: src.LastModified, NextPollAt: next, ItemsPerDay: src.ItemsPerDay})
}

// Failing is a real store whose listings fail: Articles, Sources and
// TopTags return Err, every other method is the store's. It is how a test
// sees a store failure (a full disk, a lost connection) on the pages.
type Failing struct {
	taglines.Store
	Err error
}

// Articles returns f.Err.
func (f Failing) Articles(context.Context, taglines.ArticleQuery) ([]*taglines.Article, error) {
	return nil, f.Err
}

// Sources returns f.Err.
func (f Failing) Sources(context.Context) ([]*taglines.Source, error) { return nil, f.Err }

// TopTags returns f.Err.
func (f Failing) TopTags(context.Context, time.Time, int) ([]taglines.TagCount, error) {
	return nil, f.Err
}
