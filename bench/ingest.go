package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/testpub"
)

type benchIngestCmd struct {
	Sources int    `help:"Simulated publishers, one feed each." default:"1000"`
	Items   int    `help:"Items per feed." default:"20"`
	Pages   bool   `help:"Fetch and extract every article page (otherwise store the feeds' own text)." negatable:"" default:"true"`
	JSON    bool   `help:"Print the figures as JSON."`
	Remote  string `help:"Address of a 'taglines testpub' running in another process (its --sources and --items must match), so that the figures are taglines' alone."`

	CPUProfile string `help:"Write a CPU profile of the first round to this file." type:"path"`
	MemProfile string `help:"Write a heap profile at the end of the first round to this file." type:"path"`
}

// ingestFigures is what `bench ingest` measures.
type ingestFigures struct {
	Sources        int     `json:"sources"`
	Items          int     `json:"items"`
	Pages          bool    `json:"pages"`
	Workers        int     `json:"workers"`
	Articles       int64   `json:"articles"`
	FirstRound     float64 `json:"first_round_s"`
	ArticlesPerSec float64 `json:"articles_per_s"`
	SecondRound    float64 `json:"second_round_s"`
	SecondNew      int64   `json:"second_round_new"`
	// SecondNotModified counts the sources that answered 304 in the second
	// round, as the poller saw them.
	SecondNotModified int64            `json:"second_round_not_modified"`
	CPUSeconds        float64          `json:"cpu_s"`
	PeakRSSMiB        float64          `json:"peak_rss_mib"`
	Requests          testpub.Requests `json:"requests_first_round"`
	Requests2         testpub.Requests `json:"requests_second_round"`
	Failed            int64            `json:"failed_sources"`
	DB                string           `json:"db"`
}

// Run measures ingestion against testpub in this process: the figures
// include testpub's own CPU and memory, so they are an upper bound on
// taglines' share.
func (c *benchIngestCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	if c.Sources < 1 || c.Items < 1 {
		return fmt.Errorf("bench ingest: --sources and --items must be positive")
	}
	now := m.now()
	var (
		feeds    []string
		client   *http.Client
		requests = func() testpub.Requests { return testpub.Requests{} }
		reset    = func() {}
	)
	if c.Remote == "" {
		pubs := testpub.Synthetic(c.Sources, c.Items, now)
		network, err := testpub.Start(pubs, testpub.Options{})
		if err != nil {
			return err
		}
		defer network.Close()
		for _, p := range pubs {
			feeds = append(feeds, network.FeedURL(p))
		}
		client, requests, reset = network.Client(), network.Requests, network.ResetRequests
	} else {
		var err error
		if feeds, client, err = remoteTestpub(ctx, c.Remote); err != nil {
			return err
		}
	}
	if cfg.DB == "" {
		dir, err := os.MkdirTemp("", "taglines-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.DB = filepath.Join(dir, "bench.db")
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	for _, u := range feeds {
		if err := store.AddSource(ctx, &taglines.Source{URL: u}); err != nil {
			return fmt.Errorf("bench ingest: add source: %w", err)
		}
	}
	log := m.logger(cfg)
	poller := m.pollerWith(store, cfg, log, client, !c.Pages)

	stopProfile := func() {}
	if c.CPUProfile != "" {
		if stopProfile, err = startCPUProfile(c.CPUProfile); err != nil {
			return err
		}
		defer stopProfile()
	}
	cpu0 := cpuSeconds()
	start := time.Now()
	r1, err := poller.RunOnce(ctx)
	if err != nil {
		return err
	}
	first := time.Since(start)
	stopProfile() // the first round only
	if c.MemProfile != "" {
		if err := writeHeapProfile(c.MemProfile); err != nil {
			return err
		}
	}
	req1 := requests()
	reset()

	// The second round comes after every source's interval: nothing has
	// changed, so every feed should answer 304.
	m.Now = func() time.Time { return now.Add(25 * time.Hour) }
	start = time.Now()
	r2, err := poller.RunOnce(ctx)
	if err != nil {
		return err
	}
	second := time.Since(start)

	f := ingestFigures{
		Sources: len(feeds), Items: c.Items, Pages: c.Pages, Workers: cfg.Workers,
		Articles: r1.New, FirstRound: first.Seconds(), ArticlesPerSec: float64(r1.New) / first.Seconds(),
		SecondRound: second.Seconds(), SecondNew: r2.New, SecondNotModified: r2.NotModified,
		CPUSeconds: cpuSeconds() - cpu0, PeakRSSMiB: peakRSSMiB(),
		Requests: req1, Requests2: requests(), Failed: r1.Failed, DB: cfg.DB,
	}
	if c.JSON {
		return json.NewEncoder(m.Stdout).Encode(f)
	}
	fmt.Fprintf(m.Stdout, "bench ingest: %d sources x %d items, pages=%v, workers=%d: %d articles in %.2fs = %.0f articles/s; "+
		"cpu %.1fs; peak RSS %.0f MiB; requests (in-process testpub only) feed=%d page=%d other=%d errors=%d; "+
		"unchanged second round %.2fs (%d feeds 304, %d new); failed sources %d\n",
		f.Sources, f.Items, f.Pages, f.Workers, f.Articles, f.FirstRound, f.ArticlesPerSec,
		f.CPUSeconds, f.PeakRSSMiB, req1.FeedOK, req1.PageOK, req1.Other, req1.Errors,
		f.SecondRound, f.SecondNotModified, f.SecondNew, f.Failed)
	return nil
}

// startCPUProfile starts a CPU profile written to path; stop ends it and
// closes the file, and may be called more than once.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return sync.OnceFunc(func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}), nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}

// remoteTestpub reads the feed list of a testpub in another process and
// returns a client that reaches its publishers' hosts at its address.
// (Request counts stay with that process.)
func remoteTestpub(ctx context.Context, addr string) ([]string, *http.Client, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+testpub.OPMLPath, nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("bench ingest: testpub at %s: %w", addr, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, nil, err
	}
	outlines, err := feed.ParseOPML(data)
	if err != nil {
		return nil, nil, err
	}
	feeds := make([]string, 0, len(outlines))
	for _, o := range outlines {
		feeds = append(feeds, o.FeedURL)
	}
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 4,
		MaxIdleConns:        512, // as fetch.NewTransport: not one idle connection per host
		IdleConnTimeout:     30 * time.Second,
	}
	return feeds, &http.Client{Transport: tr}, nil
}
