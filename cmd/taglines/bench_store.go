package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
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
}

func (c *benchSearchCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return c.run(ctx, m, cfg, "bench search", bench.SearchRoutes())
}

// benchLoadFlags are those of the load benchmarks.
type benchLoadFlags struct {
	Duration    time.Duration `help:"How long each route is driven." default:"10s"`
	Concurrency int           `help:"Requests in flight." default:"4"`
	MaxRequests int           `help:"At most this many requests per route." default:"100000"`
	Remote      string        `help:"Drive a server already running at this loopback address (host:port) instead of starting one on --db."`
	JSON        bool          `name:"json" help:"Print the figures as JSON."`
}

// loadFigures is what a load benchmark prints.
type loadFigures struct {
	DB          string              `json:"db,omitempty"`
	Articles    int                 `json:"articles"`
	Concurrency int                 `json:"concurrency"`
	Routes      []bench.RouteResult `json:"routes"`
	ServerCPU   float64             `json:"server_cpu_s,omitempty"`
	PeakRSSMiB  float64             `json:"server_peak_rss_mib,omitempty"`
	IndexBytes  int64               `json:"search_index_bytes,omitempty"`
}

func (c *benchLoadFlags) run(ctx context.Context, m *Main, cfg *Config, name string, routes []bench.Route) error {
	fig := loadFigures{Concurrency: c.Concurrency}
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
		if srv, err = bench.StartServer(ctx, exe, cfg.DB, 5*time.Minute, m.Stderr); err != nil {
			return err
		}
		defer srv.Stop()
		base = srv.Base
	}
	if err := bench.CheckLoopback(base); err != nil {
		return err
	}
	cpu0 := 0.0
	if srv != nil {
		cpu0 = srv.CPUSeconds()
	}
	res, err := bench.Load(ctx, routes, bench.LoadOptions{
		Base: base, Duration: c.Duration, Concurrency: c.Concurrency, MaxRequests: c.MaxRequests,
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fig.Routes = res
	if srv != nil {
		fig.ServerCPU = srv.CPUSeconds() - cpu0
		fig.PeakRSSMiB = srv.PeakRSSMiB()
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
		fmt.Fprintf(w, "server: %.1f CPU s, peak RSS %.0f MiB\n", f.ServerCPU, f.PeakRSSMiB)
	}
	if f.IndexBytes > 0 {
		fmt.Fprintf(w, "search index: %.1f MiB (%.0f bytes per article)\n", float64(f.IndexBytes)/(1<<20), float64(f.IndexBytes)/float64(max(f.Articles, 1)))
	}
}
