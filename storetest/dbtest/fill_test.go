package dbtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
)

// TestFill: the stored sources have the fixture's health, the articles
// and groups their fixture IDs, on both databases.
func TestFill(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	fx := dbtest.Fixture{
		Sources: []*taglines.Source{
			{ID: 7, URL: "https://ok.example/feed", Title: "OK", LastAttemptAt: at("2025-07-22T11:50:00Z"), LastSuccessAt: at("2025-07-22T11:50:00Z"),
				Status: taglines.FetchNotModified, HTTPStatus: 304, NextPollAt: at("2025-07-22T12:05:00Z")},
			{ID: 8, URL: "https://failing.example/feed", LastAttemptAt: at("2025-07-22T11:40:00Z"), LastSuccessAt: at("2025-07-21T08:00:00Z"),
				Status: taglines.FetchFailed, HTTPStatus: 503, LastError: "503 Service Unavailable", ConsecutiveFailures: 3, NextPollAt: at("2025-07-22T12:40:00Z")},
			{ID: 9, URL: "https://new.example/feed", NextPollAt: at("2025-07-22T11:58:00Z")},
		},
		Articles: []*taglines.Article{
			{ID: 3, SourceID: 8, URL: "https://failing.example/a", Title: "A", PublishedAt: at("2025-07-20T10:00:00Z")},
			{ID: 4, SourceID: 7, URL: "https://ok.example/b", Title: "B", PublishedAt: at("2025-07-21T10:00:00Z"),
				Tags: []taglines.Tag{{Slug: "kremlin.ru", Name: "Kremlin.ru"}}},
		},
		Groups: []taglines.Group{{ArticleID: 3, Cluster: 3}, {ArticleID: 4, DuplicateOf: 3, Cluster: 3}},
	}
	for _, db := range dbtest.Stores {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := dbtest.Fill(t, db.Open(t), fx)
			if fx.Articles[0].ID != 3 || fx.Articles[0].SourceID != 8 {
				t.Errorf("Fill changed the fixture: %+v", fx.Articles[0])
			}
			for _, want := range fx.Sources {
				got, err := st.Source(ctx, st.SourceIDs[want.ID])
				if err != nil {
					t.Fatal(err)
				}
				if !got.LastAttemptAt.Equal(want.LastAttemptAt) || !got.LastSuccessAt.Equal(want.LastSuccessAt) || got.Status != want.Status ||
					got.HTTPStatus != want.HTTPStatus || got.LastError != want.LastError || got.ConsecutiveFailures != want.ConsecutiveFailures ||
					!got.NextPollAt.Equal(want.NextPollAt) {
					t.Errorf("source %d health = %+v, want %+v", want.ID, got, want)
				}
			}
			if st.ArticleIDs[3] != 1 || st.ArticleIDs[4] != 2 {
				t.Errorf("article IDs = %v, want 3->1 and 4->2 in a new store", st.ArticleIDs)
			}
			b, err := st.Article(ctx, st.ArticleIDs[4])
			if err != nil {
				t.Fatal(err)
			}
			if b.SourceID != st.SourceIDs[7] || b.DuplicateOf != st.ArticleIDs[3] || b.Cluster != st.ArticleIDs[3] || len(b.Tags) != 1 {
				t.Errorf("article 4 = source %d, duplicate of %d, story %d, tags %v", b.SourceID, b.DuplicateOf, b.Cluster, b.Tags)
			}
			failing := dbtest.Failing{Store: st, Err: taglines.ErrNotFound}
			if _, err := failing.Articles(ctx, taglines.ArticleQuery{}); err != taglines.ErrNotFound {
				t.Errorf("Failing.Articles = %v, want its Err", err)
			}
			if _, err := failing.Article(ctx, b.ID); err != nil {
				t.Errorf("Failing.Article = %v, want the store's answer", err)
			}
		})
	}
}
