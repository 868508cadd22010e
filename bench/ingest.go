package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/poll"
	"github.com/taglines/taglines/testpub"
)

// IngestOptions say what Ingest measures. Open and Poller are required.
type IngestOptions struct {
	Sources int  // simulated publishers, one feed each (in-process testpub)
	Items   int  // items per feed
	Pages   bool // fetch and extract every article page, or store the feeds' own text
	// Remote is the address of a testpub in another process (its sources
	// and items must match), "" to start one in this process.
	Remote  string
	Workers int // the poller's workers, for the report

	// Now is the clock of the first round (default time.Now); the second
	// round's clock is 25 hours after its first reading.
	Now func() time.Time
	// Open opens the empty store to ingest into and names it for the report.
	Open func(ctx context.Context) (store taglines.Store, name string, err error)
	// Poller wires the ingestion pipeline over store as the poll command
	// does, with hc as its HTTP client, the feeds' own text if skipPages,
	// and now as its clock.
	Poller func(store taglines.Store, hc *http.Client, skipPages bool, now func() time.Time) *poll.Poller

	CPUProfile string // write a CPU profile of the first round to this file
	MemProfile string // write a heap profile at the end of the first round to this file
}

// IngestFigures is what Ingest measured.
type IngestFigures struct {
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

// Ingest measures two rounds of the poller over opts.Sources feeds of
// testpub: the first ingests every item, the second, after every source's
// interval, finds nothing changed. With testpub in this process the
// figures include its own CPU and memory, so they are an upper bound on
// taglines' share. The store is closed when Ingest returns.
func Ingest(ctx context.Context, opts IngestOptions) (IngestFigures, error) {
	if opts.Sources < 1 || opts.Items < 1 {
		return IngestFigures{}, fmt.Errorf("bench ingest: --sources and --items must be positive")
	}
	clock := opts.Now
	if clock == nil {
		clock = time.Now
	}
	now := clock()
	var (
		feeds    []string
		client   *http.Client
		requests = func() testpub.Requests { return testpub.Requests{} }
		reset    = func() {}
	)
	if opts.Remote == "" {
		pubs := testpub.Synthetic(opts.Sources, opts.Items, now)
		network, err := testpub.Start(pubs, testpub.Options{})
		if err != nil {
			return IngestFigures{}, err
		}
		defer network.Close()
		for _, p := range pubs {
			feeds = append(feeds, network.FeedURL(p))
		}
		client, requests, reset = network.Client(), network.Requests, network.ResetRequests
	} else {
		var err error
		if feeds, client, err = remoteTestpub(ctx, opts.Remote); err != nil {
			return IngestFigures{}, err
		}
	}
	store, db, err := opts.Open(ctx)
	if err != nil {
		return IngestFigures{}, err
	}
	defer store.Close()
	for _, u := range feeds {
		if err := store.AddSource(ctx, &taglines.Source{URL: u}); err != nil {
			return IngestFigures{}, fmt.Errorf("bench ingest: add source: %w", err)
		}
	}
	var later time.Time // the second round's clock, once it runs
	poller := opts.Poller(store, client, !opts.Pages, func() time.Time {
		if !later.IsZero() {
			return later
		}
		return clock()
	})

	stopProfile := func() {}
	if opts.CPUProfile != "" {
		if stopProfile, err = startCPUProfile(opts.CPUProfile); err != nil {
			return IngestFigures{}, err
		}
		defer stopProfile()
	}
	cpu0 := cpuSeconds()
	start := time.Now()
	r1, err := poller.RunOnce(ctx)
	if err != nil {
		return IngestFigures{}, err
	}
	first := time.Since(start)
	stopProfile() // the first round only
	if opts.MemProfile != "" {
		if err := writeHeapProfile(opts.MemProfile); err != nil {
			return IngestFigures{}, err
		}
	}
	req1 := requests()
	reset()

	// The second round comes after every source's interval: nothing has
	// changed, so every feed should answer 304.
	later = now.Add(25 * time.Hour)
	start = time.Now()
	r2, err := poller.RunOnce(ctx)
	if err != nil {
		return IngestFigures{}, err
	}
	second := time.Since(start)

	return IngestFigures{
		Sources: len(feeds), Items: opts.Items, Pages: opts.Pages, Workers: opts.Workers,
		Articles: r1.New, FirstRound: first.Seconds(), ArticlesPerSec: float64(r1.New) / first.Seconds(),
		SecondRound: second.Seconds(), SecondNew: r2.New, SecondNotModified: r2.NotModified,
		CPUSeconds: cpuSeconds() - cpu0, PeakRSSMiB: peakRSSMiB(),
		Requests: req1, Requests2: requests(), Failed: r1.Failed, DB: db,
	}, nil
}

// Write writes the figures as the one line `taglines bench ingest` prints.
func (f IngestFigures) Write(w io.Writer) error {
	_, err := fmt.Fprintf(w, "bench ingest: %d sources x %d items, pages=%v, workers=%d: %d articles in %.2fs = %.0f articles/s; "+
		"cpu %.1fs; peak RSS %.0f MiB; requests (in-process testpub only) feed=%d page=%d other=%d errors=%d; "+
		"unchanged second round %.2fs (%d feeds 304, %d new); failed sources %d\n",
		f.Sources, f.Items, f.Pages, f.Workers, f.Articles, f.FirstRound, f.ArticlesPerSec,
		f.CPUSeconds, f.PeakRSSMiB, f.Requests.FeedOK, f.Requests.PageOK, f.Requests.Other, f.Requests.Errors,
		f.SecondRound, f.SecondNotModified, f.SecondNew, f.Failed)
	return err
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
