package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

type searchCmd struct {
	Query       []string `arg:"" optional:"" help:"The search (words are joined by spaces); empty lists the latest articles."`
	JSON        bool     `name:"json" help:"Print the results as JSON."`
	Newest      bool     `help:"Newest first instead of most relevant first."`
	AllVersions bool     `help:"List every version instead of one entry per version group."`
	Limit       int      `default:"20" help:"Results per page."`
	Cursor      string   `help:"Continue after a previous page (its next_cursor)."`
}

type (
	searchHitOut struct {
		ID        int64   `json:"id"`
		URL       string  `json:"url"`
		Title     string  `json:"title"`
		Source    string  `json:"source"`
		Section   string  `json:"section"`
		Published string  `json:"published"`
		Versions  int     `json:"versions"`
		Score     float64 `json:"score"`
		// Snippet is HTML: escaped text, matched words in <mark>.
		Snippet string   `json:"snippet"`
		Tags    []string `json:"tags"`
	}
	searchOut struct {
		Query      string         `json:"query"`
		Sort       string         `json:"sort"`
		Articles   []searchHitOut `json:"articles"`
		NextCursor *string        `json:"next_cursor"`
	}
)

func (c *searchCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	text := strings.Join(c.Query, " ")
	if c.Limit < 1 || c.Limit > 1000 {
		return fmt.Errorf("--limit %d: want 1 to 1000: %w", c.Limit, taglines.ErrInvalid)
	}
	sq := taglines.SearchQuery{Text: text, Newest: c.Newest, AllVersions: c.AllVersions, Limit: c.Limit, Now: m.now()}
	if c.Cursor != "" {
		if err := taglines.ParseSearchCursor(c.Cursor, &sq); err != nil {
			return fmt.Errorf("--cursor: %w", err)
		}
	}
	return withStore(ctx, cfg, func(store taglines.Store) error {
		res, err := store.Search(ctx, sq)
		var se *query.SyntaxError
		if errors.As(err, &se) {
			// The query, and a caret under the trouble.
			return fmt.Errorf("%s\n  %s\n  %s^", se.Msg, text, strings.Repeat(" ", len([]rune(text[:min(se.Pos, len(text))]))))
		}
		if err != nil {
			return err
		}
		out := searchOut{Query: text, Sort: "relevance", Articles: []searchHitOut{}}
		if !res.Ranked {
			out.Sort = "newest"
		}
		if next := res.Next(); next != "" {
			out.NextCursor = &next
		}
		for _, h := range res.Hits {
			a := h.Article
			o := searchHitOut{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.SourceName, Section: a.Section,
				Published: a.PublishedAt.UTC().Format(time.RFC3339), Versions: a.Versions, Score: h.Score, Snippet: h.Snippet, Tags: []string{}}
			for _, t := range a.Tags {
				o.Tags = append(o.Tags, t.Name)
			}
			out.Articles = append(out.Articles, o)
		}
		if c.JSON {
			return writeJSON(m.Stdout, out)
		}
		plain := strings.NewReplacer("<mark>", "[", "</mark>", "]")
		for _, o := range out.Articles {
			fmt.Fprintf(m.Stdout, "%s  %s · %s  #%d\n  %s\n  %s\n\n", o.Published[:10], o.Source, o.Section, o.ID,
				o.Title, html.UnescapeString(plain.Replace(o.Snippet)))
		}
		if len(out.Articles) == 0 {
			fmt.Fprintln(m.Stdout, "no article matches")
		}
		if out.NextCursor != nil {
			fmt.Fprintf(m.Stdout, "more: --cursor %s\n", *out.NextCursor)
		}
		return nil
	})
}
