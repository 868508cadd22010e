package main

import (
	"context"
	"fmt"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
)

type splitCmd struct {
	ID    int64 `arg:"" help:"Article ID (see the API's article ids)."`
	Story bool  `help:"Move the article (and its versions) out of its story, not only out of its version group."`
}

// Run undoes a wrong merge made by the dedup stage.
func (c *splitCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	kind := dedup.SplitVersion
	if c.Story {
		kind = dedup.SplitStory
	}
	return withStore(ctx, cfg, func(store taglines.Store) error {
		var d *dedup.Deduper
		if _, ok := store.(dedupIndexer); ok {
			d = deduper(store, m.logger(cfg), m.now, 0) // one split: loading a cache would cost more
		}
		groups, err := dedup.Undo(ctx, store, d, c.ID, kind)
		if err != nil {
			return err
		}
		for _, g := range groups {
			fmt.Fprintf(m.Stdout, "article %d: duplicate_of %d, story %d\n", g.ArticleID, g.DuplicateOf, g.Cluster)
		}
		return nil
	})
}
