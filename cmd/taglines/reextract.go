package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/ingest"
)

type reextractCmd struct {
	FetchConfig `embed:""`

	Source int64 `help:"Only this source's articles (after changing its rules)."`
	FromID int64 `help:"Resume after this article ID (printed by an interrupted run)."`
}

// Run fetches stored articles' pages again and re-applies extraction with
// the current rules, then tagging.
func (c *reextractCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	log := m.logger(cfg)
	return withStore(ctx, cfg, func(store taglines.Store) error {
		hc := m.HTTPClient
		if hc == nil {
			hc = c.httpClient()
		}
		opts := c.fetchOptions()
		opts.Now = m.now
		tagger, rules, err := tagging(ctx, store, m.tagger(log))
		if err != nil {
			return err
		}
		in := ingest.New(store, fetch.New(hc, opts), ingest.Options{Logger: log, Now: m.now, Tagger: tagger, TagRules: rules})
		var last int64
		st, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		total := st.Articles
		if c.Source != 0 {
			if src, err := store.Source(ctx, c.Source); err == nil {
				total = src.ArticleCount
			}
		}
		n, err := in.Reextract(ctx, c.Source, c.FromID, func(done int, lastID int64) {
			last = lastID
			fmt.Fprintf(m.Stderr, "\rreextract %s", progressBar(done, total))
		})
		fmt.Fprintln(m.Stderr)
		if err != nil {
			if errors.Is(err, context.Canceled) && last != 0 {
				return fmt.Errorf("reextract interrupted after %d articles; resume with --from-id %d", n, last)
			}
			return err
		}
		fmt.Fprintf(m.Stdout, "reextracted %d articles\n", n)
		return nil
	})
}
