package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/bench"
)

// benchFillCmd fills an empty store with generated articles.
type benchFillCmd struct {
	Articles int    `help:"Articles to generate." default:"100000"`
	Sources  int    `help:"Publishers, with long-tailed volumes." default:"500"`
	Batch    int    `help:"Articles per write transaction." default:"1000"`
	Seed     uint64 `help:"The same seed makes the same store." default:"1"`
}

func (c *benchFillCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	if c.Articles < 1 || c.Sources < 1 || c.Batch < 1 {
		return fmt.Errorf("bench fill: --articles, --sources and --batch must be positive: %w", taglines.ErrInvalid)
	}
	if cfg.DB == "" {
		return fmt.Errorf("bench fill: --db is required (a new SQLite file or an empty PostgreSQL database)")
	}
	return withStore(ctx, cfg, func(store taglines.Store) error {
		// The generator never mixes its articles into a user's data.
		st, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		if st.Articles > 0 || st.Sources > 0 {
			return fmt.Errorf("bench fill: %s already holds %d sources and %d articles; fill an empty database", cfg.DB, st.Sources, st.Articles)
		}
		last := time.Now()
		res, err := bench.Fill(ctx, store, bench.FillOptions{
			Articles: c.Articles, Sources: c.Sources, Batch: c.Batch, Seed: c.Seed, Now: m.now(),
			Progress: func(done, total int) {
				if done == total || time.Since(last) > 500*time.Millisecond {
					fmt.Fprintf(m.Stderr, "\rbench fill %s", progressBar(done, total))
					last = time.Now()
				}
			},
		})
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "filled %s: %d articles (%d versions, %d story members) from %d sources in %s (%.0f articles/s)\n",
			cfg.DB, res.Articles, res.Versions, res.StoryMembers, res.Sources, res.Elapsed.Round(time.Second),
			float64(res.Articles)/res.Elapsed.Seconds())
		return nil
	})
}

// benchSearchCmd drives searches against a server on loopback.
type benchSearchCmd struct {
	benchLoadFlags
	Concurrency int `help:"Requests in flight." default:"4"`
}

func (c *benchSearchCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	// Readers' searches vary: a search answered from the read cache would
	// measure the cache, not the search.
	c.serverFlags = append(c.serverFlags, "--no-read-cache")
	return c.run(ctx, m, cfg, "bench search", c.Concurrency, func(string) ([]bench.Route, error) { return bench.SearchRoutes(), nil }, nil)
}

// benchServeCmd drives every page, feed and API route.
type benchServeCmd struct {
	benchLoadFlags
	Concurrency int      `help:"Requests in flight." default:"32"`
	Tags        []string `help:"The popular, mid and rare tag to read, comma-separated (default: the generator's)." placeholder:"POPULAR,MID,RARE"`
	DeepPage    int      `help:"The popular tag's page reached by cursor." default:"50"`
	ReadCache   bool     `help:"Start the server with its read cache (--no-read-cache: every request read from the database and rendered anew, the figures of pages nobody asked for a moment before)." default:"true" negatable:""`
	Only        string   `help:"Drive only the routes whose name contains this (\"tag page\", \"feed\", \"API\")." placeholder:"TEXT"`
	Ingest      float64  `help:"While reading, write this many generated articles a second into --db through the store's write path, as a poller does (0: none)." placeholder:"N"`
}

func (c *benchServeCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	t := bench.ServeTargets{DeepPage: c.DeepPage}
	if c.DeepPage < 2 {
		return fmt.Errorf("bench serve: --deep-page %d: want 2 or more: %w", c.DeepPage, taglines.ErrInvalid)
	}
	switch len(c.Tags) {
	case 0:
	case 3:
		t.Popular, t.Mid, t.Rare = c.Tags[0], c.Tags[1], c.Tags[2]
	default:
		return fmt.Errorf("bench serve: --tags wants three tags (popular, mid, rare), not %d: %w", len(c.Tags), taglines.ErrInvalid)
	}
	if c.Ingest < 0 || c.Ingest > 10_000 {
		return fmt.Errorf("bench serve: --ingest %g is outside 0..10000: %w", c.Ingest, taglines.ErrInvalid)
	}
	if c.Ingest > 0 && cfg.DB == "" {
		return fmt.Errorf("bench serve: --ingest writes into --db, which is required with it")
	}
	if !c.ReadCache {
		c.serverFlags = append(c.serverFlags, "--no-read-cache")
	}
	routes := func(base string) ([]bench.Route, error) {
		all, err := bench.ServeRoutes(ctx, base, t)
		if err != nil || c.Only == "" {
			return all, err
		}
		var some []bench.Route
		for _, r := range all {
			if strings.Contains(r.Name, c.Only) {
				some = append(some, r)
			}
		}
		if len(some) == 0 {
			return nil, fmt.Errorf("bench serve: no route's name contains %q: %w", c.Only, taglines.ErrInvalid)
		}
		return some, nil
	}
	if c.Ingest == 0 {
		return c.run(ctx, m, cfg, "bench serve", c.Concurrency, routes, nil)
	}
	return c.run(ctx, m, cfg, "bench serve", c.Concurrency, routes, func(ctx context.Context) (*ingestFigures, error) {
		var res bench.FillResult
		err := withStore(ctx, cfg, func(store taglines.Store) error {
			var err error
			res, err = bench.Fill(ctx, store, bench.FillOptions{Articles: 1 << 30, Sources: 20, Rate: c.Ingest, Seed: uint64(time.Now().UnixNano())})
			return err
		})
		return &ingestFigures{Rate: c.Ingest, Articles: res.Articles, PerSecond: float64(res.Articles) / max(res.Elapsed.Seconds(), 1e-9)}, err
	})
}

// benchLoadFlags are those of the load benchmarks.
type benchLoadFlags struct {
	Duration    time.Duration `help:"How long each route is driven." default:"10s"`
	MaxRequests int           `help:"At most this many requests per route." default:"100000"`
	Remote      string        `help:"Drive a server already running at this loopback address (host:port) instead of starting one on --db."`
	JSON        bool          `name:"json" help:"Print the figures as JSON."`

	serverFlags []string // passed to the server it starts
}

// loadFigures is what a load benchmark prints.
type loadFigures struct {
	DB          string              `json:"db,omitempty"`
	Articles    int                 `json:"articles"`
	Concurrency int                 `json:"concurrency"`
	Routes      []bench.RouteResult `json:"routes"`
	ServerCPU   float64             `json:"server_cpu_s,omitempty"`
	PeakRSSMiB  float64             `json:"server_peak_rss_mib,omitempty"`
	AnonRSSMiB  float64             `json:"server_anon_rss_mib,omitempty"`
	IndexBytes  int64               `json:"search_index_bytes,omitempty"`
	Ingest      *ingestFigures      `json:"ingest,omitempty"`
}

// ingestFigures is what a writer beside the load wrote.
type ingestFigures struct {
	Rate      float64 `json:"rate"`
	Articles  int     `json:"articles"`
	PerSecond float64 `json:"articles_per_s"`
}

// run drives the routes (made once the server's address is known)
// against a server on --db or --remote, with write, if set, running
// beside the load until it ends.
func (c *benchLoadFlags) run(ctx context.Context, m *Main, cfg *Config, name string, concurrency int,
	routesFor func(base string) ([]bench.Route, error), write func(context.Context) (*ingestFigures, error)) error {
	fig := loadFigures{Concurrency: concurrency}
	var srv *bench.Server
	base := "http://" + c.Remote
	if c.Remote == "" {
		if cfg.DB == "" {
			return fmt.Errorf("%s: --db (a filled store: see bench fill) or --remote is required", name)
		}
		// The figures of the store first; the server opens it after.
		if err := withStore(ctx, cfg, func(store taglines.Store) error {
			st, err := store.Stats(ctx)
			if err != nil {
				return err
			}
			fig.Articles = st.Articles
			if s, ok := store.(interface {
				SearchIndexBytes(context.Context) (int64, error)
			}); ok {
				fig.IndexBytes, err = s.SearchIndexBytes(ctx)
			}
			return err
		}); err != nil {
			return err
		}
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		fig.DB = cfg.DB
		if srv, err = bench.StartServer(ctx, exe, cfg.DB, 5*time.Minute, m.Stderr, c.serverFlags...); err != nil {
			return err
		}
		defer srv.Stop()
		base = srv.Base
	}
	if err := bench.CheckLoopback(base); err != nil {
		return err
	}
	routes, err := routesFor(base)
	if err != nil {
		return err
	}
	wdone := make(chan error, 1)
	wctx, stopW := context.WithCancel(ctx)
	defer stopW()
	if write != nil {
		go func() {
			f, err := write(wctx)
			fig.Ingest = f
			wdone <- err
		}()
	}
	cpu0 := 0.0
	if srv != nil {
		cpu0 = srv.CPUSeconds()
	}
	res, err := bench.Load(ctx, routes, bench.LoadOptions{
		Base: base, Duration: c.Duration, Concurrency: concurrency, MaxRequests: c.MaxRequests,
	})
	if write != nil {
		stopW()
		if werr := <-wdone; werr != nil && err == nil {
			err = fmt.Errorf("writer: %w", werr)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fig.Routes = res
	if srv != nil {
		fig.ServerCPU = srv.CPUSeconds() - cpu0
		fig.PeakRSSMiB, fig.AnonRSSMiB = srv.PeakRSSMiB(), srv.AnonRSSMiB()
	}
	if c.JSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(fig)
	}
	printLoad(m.Stdout, fig)
	return nil
}

func printLoad(w io.Writer, f loadFigures) {
	if f.DB != "" {
		fmt.Fprintf(w, "%s: %d articles, %d requests in flight\n", f.DB, f.Articles, f.Concurrency)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\tp50 ms\tp90 ms\tp99 ms\tmax ms\treq/s\trequests\terrors\t")
	for _, r := range f.Routes {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%.2f\t%.0f\t%d\t%d\t\n", r.Name, r.P50, r.P90, r.P99, r.Max, r.RPS, r.Requests, r.Errors)
	}
	tw.Flush()
	if f.PeakRSSMiB > 0 {
		fmt.Fprintf(w, "server: %.1f CPU s, peak RSS %.0f MiB (at the end, %.0f MiB of its own beside the mapped database file)\n", f.ServerCPU, f.PeakRSSMiB, f.AnonRSSMiB)
	}
	if f.Ingest != nil {
		fmt.Fprintf(w, "written meanwhile: %d articles (%.1f/s, asked %g/s)\n", f.Ingest.Articles, f.Ingest.PerSecond, f.Ingest.Rate)
	}
	if f.IndexBytes > 0 {
		fmt.Fprintf(w, "search index: %.1f MiB (%.0f bytes per article)\n", float64(f.IndexBytes)/(1<<20), float64(f.IndexBytes)/float64(max(f.Articles, 1)))
	}
}
