package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/ingest"
)

type sourcesCmd struct {
	Add    sourcesAddCmd    `cmd:"" help:"Subscribe to a feed URL."`
	List   sourcesListCmd   `cmd:"" help:"List sources with their health."`
	Remove sourcesRemoveCmd `cmd:"" help:"Remove a source (by ID or URL) and its articles."`
	Import sourcesImportCmd `cmd:"" help:"Subscribe to every feed of an OPML file."`
	Export sourcesExportCmd `cmd:"" help:"Print the sources as OPML."`
	Set    sourcesSetCmd    `cmd:"" help:"Change a source's title, folder, extraction rules or feed-vs-page choice."`
}

type sourcesAddCmd struct {
	FetchConfig `embed:""`

	URL   string `arg:"" help:"Feed, sitemap or site URL (http or https); a site's feed is discovered."`
	Force bool   `help:"Add the URL as it is, without fetching it (for a feed that is down now)."`
}

func (c *sourcesAddCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	u, err := feedURL(c.URL)
	if err != nil {
		return err
	}
	title := ""
	if !c.Force {
		hc := m.HTTPClient
		if hc == nil {
			hc = c.httpClient()
		}
		found, f, err := ingest.Discover(ctx, fetch.New(hc, c.fetchOptions()), u)
		if err != nil {
			return fmt.Errorf("sources add: %w (use --force to add it anyway)", err)
		}
		if found != u {
			fmt.Fprintf(m.Stderr, "discovered feed %s\n", found)
		}
		u, title = found, f.Title
	}
	return withStore(ctx, cfg, func(store taglines.Store) error {
		s := &taglines.Source{URL: u, Title: title}
		if err := store.AddSource(ctx, s); err != nil {
			if errors.Is(err, taglines.ErrConflict) {
				return fmt.Errorf("source %s is already subscribed", u)
			}
			return err
		}
		fmt.Fprintf(m.Stdout, "added source %d: %s\n", s.ID, s.URL)
		return nil
	})
}

// feedURL validates a URL given by an operator.
func feedURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("feed url %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("feed url %q: want an absolute http or https URL", raw)
	}
	return u.String(), nil
}

type sourcesListCmd struct {
	JSON bool `help:"Print JSON instead of a table."`
}

// sourceJSON is the JSON form of a source in `sources list --json`.
type sourceJSON struct {
	ID                  int64      `json:"id"`
	URL                 string     `json:"url"`
	Title               string     `json:"title"`
	Status              string     `json:"status"`
	HTTPStatus          int        `json:"http_status"`
	Error               string     `json:"error"`
	ConsecutiveFailures int        `json:"consecutive_failures"`
	LastAttemptAt       *time.Time `json:"last_attempt_at"`
	LastSuccessAt       *time.Time `json:"last_success_at"`
	NextPollAt          *time.Time `json:"next_poll_at"`
	Articles            int        `json:"articles"`
	ItemsPerDay         *float64   `json:"items_per_day"`
	RefusedItems        int        `json:"refused_items"`
	Warning             string     `json:"warning"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (c *sourcesListCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		srcs, err := store.Sources(ctx)
		if err != nil {
			return err
		}
		if c.JSON {
			out := make([]sourceJSON, 0, len(srcs))
			for _, s := range srcs {
				out = append(out, sourceJSON{
					ID: s.ID, URL: s.URL, Title: s.Title, Status: statusText(s), HTTPStatus: s.HTTPStatus,
					Error: s.LastError, ConsecutiveFailures: s.ConsecutiveFailures,
					LastAttemptAt: timePtr(s.LastAttemptAt), LastSuccessAt: timePtr(s.LastSuccessAt),
					NextPollAt: timePtr(s.NextPollAt), Articles: s.ArticleCount,
					RefusedItems: s.RefusedItems, Warning: s.Warning,
				})
				if s.ItemsPerDay >= 0 {
					out[len(out)-1].ItemsPerDay = &s.ItemsPerDay
				}
			}
			enc := json.NewEncoder(m.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		}
		tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tHTTP\tFAILS\tLAST FETCH\tNEXT POLL\tPER DAY\tARTICLES\tERROR")
		now := m.now()
		for _, s := range srcs {
			last := "never"
			if !s.LastAttemptAt.IsZero() {
				last = now.Sub(s.LastAttemptAt).Round(time.Second).String() + " ago"
			}
			httpStatus := "-"
			if s.HTTPStatus != 0 {
				httpStatus = strconv.Itoa(s.HTTPStatus)
			}
			next := "due"
			if s.NextPollAt.After(now) {
				next = "in " + s.NextPollAt.Sub(now).Round(time.Second).String()
			}
			perDay := "-"
			if s.ItemsPerDay >= 0 {
				perDay = strconv.FormatFloat(s.ItemsPerDay, 'f', 1, 64)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n", s.ID, truncate(s.Name(), 40), statusText(s),
				httpStatus, s.ConsecutiveFailures, last, next, perDay, s.ArticleCount, truncate(cmp.Or(s.LastError, s.Warning), 60))
		}
		return tw.Flush()
	})
}

func statusText(s *taglines.Source) string {
	switch {
	case s.Status == taglines.FetchNever:
		return "new"
	case s.Failing():
		return "failing"
	default:
		return string(s.Status)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

type sourcesRemoveCmd struct {
	Source string `arg:"" help:"Source ID or feed URL."`
}

func (c *sourcesRemoveCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		id, err := strconv.ParseInt(c.Source, 10, 64)
		if err != nil {
			s, err := store.SourceByURL(ctx, c.Source)
			if err != nil {
				return fmt.Errorf("source %s: %w", c.Source, err)
			}
			id = s.ID
		}
		if err := store.RemoveSource(ctx, id); err != nil {
			return fmt.Errorf("remove source %s: %w", c.Source, err)
		}
		fmt.Fprintf(m.Stdout, "removed source %d\n", id)
		return nil
	})
}

type sourcesImportCmd struct {
	File string `arg:"" help:"OPML file." type:"existingfile"`
}

func (c *sourcesImportCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	data, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	outlines, err := feed.ParseOPML(data)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	return withStore(ctx, cfg, func(store taglines.Store) error {
		var added, existing, invalid int
		for _, o := range outlines {
			u, err := feedURL(o.FeedURL)
			if err != nil {
				invalid++
				fmt.Fprintf(m.Stderr, "skipped: %v\n", err)
				continue
			}
			err = store.AddSource(ctx, &taglines.Source{URL: u, Title: o.Title, SiteURL: o.SiteURL, Folder: o.Folder})
			switch {
			case errors.Is(err, taglines.ErrConflict):
				existing++
			case err != nil:
				return err
			default:
				added++
			}
		}
		fmt.Fprintf(m.Stdout, "imported %d sources (%d already subscribed, %d invalid)\n", added, existing, invalid)
		return nil
	})
}

type sourcesExportCmd struct{}

func (c *sourcesExportCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		srcs, err := store.Sources(ctx)
		if err != nil {
			return err
		}
		outlines := make([]feed.Outline, 0, len(srcs))
		for _, s := range srcs {
			outlines = append(outlines, feed.Outline{Title: s.Name(), FeedURL: s.URL, SiteURL: s.SiteURL, Folder: s.Folder})
		}
		out, err := feed.WriteOPML("taglines sources", outlines)
		if err != nil {
			return err
		}
		_, err = m.Stdout.Write(out)
		return err
	})
}
