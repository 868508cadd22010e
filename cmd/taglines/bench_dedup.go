package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/bench"
	"github.com/taglines/taglines/dedup"
)

type benchDedupCmd struct {
	Data  string   `default:"../shared/data" help:"Folder of the shared data sets (dedup/googlenews-clusters, dedup/msrp)."`
	Sets  []string `default:"stories,versions,msrp,cost" enum:"stories,versions,msrp,cost" help:"Which measurements to run."`
	Sizes []int    `default:"10000,100000" help:"Index sizes (articles) at which to measure the per-article cost."`
	Seed  uint64   `default:"1" help:"Seed of the generated sets and of the arrival order."`
	Seeds int      `default:"1" help:"Story clusters: score this many arrival orders (seeds Seed, Seed+1, ...) and report their mean and spread."`
	Half  string   `default:"all" enum:"all,tune,test,tune-items,test-items" help:"Story clusters: score all stories, or one half of the set: tune/test split the stories by a hash of their label, tune-items/test-items split each story's items; tune settings on one half, report on the other."`

	StoryThreshold float64       `help:"Override the cosine at which an article joins a story (0: the Deduper's default)."`
	MergeThreshold float64       `help:"Override the cosine between two stories at which they merge (0: the Deduper's default)."`
	RefineEvery    time.Duration `default:"1h" help:"Story clusters and cost: refine the stories every this much publication time, as the poller does every --refine-interval (0: never)."`

	Store      string        `default:"memory" help:"Cost: where the index lives: memory, or a database (an SQLite file path or a postgres:// URL) that holds no dedup index yet. With several sizes, each gets its own: NAME-SIZE.db next to the file, or the schema SCHEMA_SIZE (dedup_cost_SIZE) in the database."`
	Batch      int           `default:"50" help:"Cost: articles decided together with ProcessAll, as ingest does per poll (a store that batches commits once per batch)."`
	CPUProfile string        `help:"Cost: write a CPU profile of the cost set to this file." type:"path"`
	Cache      time.Duration `default:"120h" help:"Cost on a database: keep this much of the recent stories in memory, as the poller's --dedup-cache does (0: none)."`
}

func (c *benchDedupCmd) Run(ctx context.Context, m *Main) error {
	return bench.Dedup(ctx, m.Stdout, bench.DedupOptions{
		Data: c.Data, Sets: c.Sets, Sizes: c.Sizes, Seed: c.Seed, Seeds: c.Seeds, Half: c.Half,
		StoryThreshold: c.StoryThreshold, MergeThreshold: c.MergeThreshold, RefineEvery: c.RefineEvery,
		Store: c.Store, Batch: c.Batch, CPUProfile: c.CPUProfile, Cache: c.Cache,
		OpenStore: func(ctx context.Context, db string) (taglines.Store, error) {
			return openStore(ctx, &Config{DB: db})
		},
		Deduper: func(store taglines.Store, cache time.Duration) (*dedup.Deduper, dedup.Index) {
			idx := dedupIndexOf(store, slog.New(slog.DiscardHandler), nil, cache)
			return dedupOver(idx, store, nil), idx
		},
	})
}
