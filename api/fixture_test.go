package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
)

// now is the fixed clock of the API tests.
func now() time.Time { return time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC) }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// reference holds articles from the reference pages: two tags, a section
// left empty, and two articles published at the same instant so that paging
// must break the tie by ID; and sources in each state of health: polled,
// failing and never polled.
func reference() dbtest.Fixture {
	kremlin := taglines.Tag{Slug: "kremlin.ru", Name: "Kremlin.ru"}
	conflict := taglines.Tag{Slug: "ukrainianconflict", Name: "UkrainianConflict"}
	putin := taglines.Tag{Slug: "vladimirputin", Name: "VladimirPutin"}
	art := func(id, src int64, published, section, title string, tags ...taglines.Tag) *taglines.Article {
		return &taglines.Article{
			ID: id, SourceID: src,
			URL:   fmt.Sprintf("https://news.example/%d", id),
			Title: title, Text: "Text of " + title + ".\n\nSecond paragraph.",
			Author: "Desk", Language: "en", ImageURL: fmt.Sprintf("https://news.example/%d.jpg", id),
			Section: section, PublishedAt: at(published), Tags: tags,
		}
	}
	return dbtest.Fixture{
		Sources: []*taglines.Source{
			{
				ID: 1, URL: "https://www.rt.com/rss/news/", Title: "Russia Today", SiteURL: "https://www.rt.com/",
				LastAttemptAt: at("2025-07-22T11:50:00Z"), LastSuccessAt: at("2025-07-22T11:50:00Z"),
				Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: at("2025-07-22T12:05:00Z"),
			},
			{ID: 2, URL: "https://www.scmp.com/rss/91/feed", Title: "South China Morning Post"},
			{ID: 3, URL: "https://www.memri.org/rss.xml", Title: "Memri"},
			{ID: 4, URL: "https://www.abc.net.au/news/feed/51120/rss.xml", Title: "ABC News"},
			{
				ID: 5, URL: "https://www.yahoo.com/news/rss", Title: "Yahoo",
				LastAttemptAt: at("2025-07-22T11:40:00+03:00"), LastSuccessAt: at("2025-07-21T08:00:00Z"),
				Status: taglines.FetchFailed, HTTPStatus: 503, LastError: "503 Service Unavailable", ConsecutiveFailures: 3,
				NextPollAt: at("2025-07-22T12:40:00Z"),
			},
			// Added two minutes ago, due at once.
			{ID: 6, URL: "https://feeds.example.org/world.xml", NextPollAt: at("2025-07-22T11:58:00Z")},
		},
		Articles: []*taglines.Article{
			art(1, 2, "2025-03-12T16:00:00Z", "Politics", "Putin visits Russia's Kursk region", kremlin, putin),
			art(2, 4, "2025-04-25T21:00:00Z", "", "Senior Russian killed in car explosion near Moscow", kremlin, putin),
			art(3, 4, "2025-04-26T03:00:00Z", "Politics", "Russian general killed in car explosion near Moscow", kremlin, putin),
			art(4, 1, "2025-07-09T14:00:00Z", "Politics", "Ukrainian terror plot targeting railway bridge foiled", conflict),
			art(5, 1, "2025-07-16T08:00:00Z", "Politics", "Putin and Erdogan discuss Ukraine and Syria", conflict, putin),
			art(6, 3, "2025-07-16T08:00:00Z", "Politics", "The Kremlin's Political Influence In Iran <Is> Reaching Zero", kremlin, putin),
			art(7, 1, "2025-07-20T10:00:00Z", "Politics", "Moscow hopes Trump's 'reasonable' position will influence EU", conflict),
			art(8, 1, "2025-07-21T09:00:00Z", "Politics", "Moscow hopes 'reasonable' Trump will influence EU", conflict, putin),
		},
	}
}

// fill is a real store opened by open holding fx, with the fixture's IDs:
// the tests name them.
func fill(t *testing.T, open func(testing.TB) taglines.Store, fx dbtest.Fixture) *dbtest.Filled {
	t.Helper()
	st := dbtest.Fill(t, open(t), fx)
	for fixture, stored := range st.SourceIDs {
		if fixture != stored {
			t.Fatalf("fixture source %d stored as %d", fixture, stored)
		}
	}
	for fixture, stored := range st.ArticleIDs {
		if fixture != stored {
			t.Fatalf("fixture article %d stored as %d", fixture, stored)
		}
	}
	return st
}

// forEachStore runs a test on a real SQLite store and a real PostgreSQL
// one: the API must answer the same from both.
func forEachStore(t *testing.T, test func(*testing.T, func(testing.TB) taglines.Store)) {
	for _, db := range dbtest.Stores {
		t.Run(db.Name, func(t *testing.T) { test(t, db.Open) })
	}
}
