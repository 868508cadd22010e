package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzhttp"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/cache"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/extract"
	"github.com/taglines/taglines/testpub"
	"github.com/taglines/taglines/web"
)

type serveCmd struct {
	PollConfig `embed:""`

	APIToken string `help:"Bearer token of the API's write endpoints (source rules, tag rules, undoing merges); empty turns them off." env:"TAGLINES_API_TOKEN"`
	Addr     string `help:"Address of the web server." env:"TAGLINES_ADDR" default:"127.0.0.1:8080"`
	Demo     bool   `help:"Start a simulated network of publishers on loopback and subscribe to it: an offline demo."`
	NoPoll   bool   `help:"Serve the pages and the API only; poll nothing (another process polls, or a benchmark serves a filled store)."`
	// Loopback clients are exempt (benchmarks, a local reverse proxy).
	APIRate   float64 `help:"API reads a second allowed to one client address, in bursts of --api-burst (0: no limit; loopback is never limited)." env:"TAGLINES_API_RATE" default:"20"`
	APIBurst  int     `help:"Burst of API reads one client address may make at once." env:"TAGLINES_API_BURST" default:"60"`
	ReadCache bool    `help:"Read pages and the API through the read cache: counts kept 30 s to 2 min, first pages 2 to 15 s, rendered pages 2 s, ended at once by this process's writes; another process's writes show within those ages (--no-read-cache: every read from the database)." env:"TAGLINES_READ_CACHE" default:"true" negatable:""`
	BaseURL   string  `help:"The site's public URL (https://news.example), for the absolute links of feeds; default: the scheme and host of each request." env:"TAGLINES_BASE_URL"`
}

func (c *serveCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	if err := validateAddr(c.Addr); err != nil {
		return err
	}
	log := m.logger(cfg)
	hc := m.HTTPClient
	var demo *testpub.Network
	if c.Demo {
		var err error
		demo, err = testpub.Start(testpub.Demo(m.now()), testpub.Options{})
		if err != nil {
			return fmt.Errorf("demo publishers: %w", err)
		}
		defer demo.Close()
		hc = demo.Client()
		// The simulated publishers are on loopback and want to be read
		// within a minute; real publishers keep the polite defaults.
		c.HostRate = max(c.HostRate, 50)
		c.HostConcurrency = max(c.HostConcurrency, 4)
		if cfg.DB == "" {
			dir, err := os.MkdirTemp("", "taglines-demo-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			cfg.DB = filepath.Join(dir, "demo.db")
		}
		log.Info("demo: simulated publishers on loopback", "publishers", len(demo.Publishers()), "db", cfg.DB)
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if demo != nil {
		for _, p := range demo.Publishers() {
			err := store.AddSource(ctx, &taglines.Source{URL: demo.FeedURL(p), Title: p.Name})
			if err != nil && !errors.Is(err, taglines.ErrConflict) {
				return err
			}
		}
	}

	// Pages and the API read through a cache of counts and first pages;
	// the poller writes through it too, so that its writes show at once.
	var (
		read      taglines.Store = store
		pageCache time.Duration
		gen       func() uint64
	)
	if c.ReadCache {
		rc := cache.New(store, cache.Options{})
		read, pageCache, gen = rc, 2*time.Second, rc.Generation
	}
	mux := http.NewServeMux()
	canonical := m.canonical(store, log)
	validateTopic := func(tag, rule string) error { _, err := enrich.NewTopic(tag, rule); return err }
	retag := m.backgroundRetag(ctx, read, log)
	mux.Handle("/api/", api.New(read, api.Options{
		Logger: log, Now: m.now, Canonical: canonical, Token: c.APIToken,
		RateLimit: c.APIRate, RateBurst: c.APIBurst, ResponseCache: pageCache, Generation: gen,
		ValidateRules: func(b []byte) error { _, err := extract.ParseRules(b); return err },
		ValidateTopic: validateTopic,
		Retag:         retag,
		Split: func(ctx context.Context, id int64, story bool) ([]taglines.Group, error) {
			kind := dedup.SplitVersion
			if story {
				kind = dedup.SplitStory
			}
			var d *dedup.Deduper
			if _, ok := store.(dedupIndexer); ok {
				d = deduper(store, log, m.now, 0) // one split: loading a cache would cost more
			}
			return dedup.Undo(ctx, read, d, id, kind)
		},
	}))
	mux.Handle("/", web.New(read, web.Options{
		Logger: log, Now: m.now, Canonical: canonical,
		Token: c.APIToken, ValidateTopic: validateTopic, Retag: retag, BaseURL: c.BaseURL,
		PageCache: pageCache, Generation: gen,
	}))
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	// Text responses compressed for clients that ask (gzip, or zstd);
	// gzhttp skips small bodies and already-compressed types.
	compress, err := gzhttp.NewWrapper(gzhttp.ContentTypes([]string{"text/html", "text/css", "text/javascript", "text/plain",
		"application/json", "application/feed+json", "application/rss+xml", "application/atom+xml"}))
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           compress(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "db", cfg.DB)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	polled := make(chan error, 1)
	if c.NoPoll {
		polled <- nil
	} else {
		go func() { polled <- m.pollerWith(read, &c.PollConfig, log, hc, false).Run(ctx) }()
	}

	select {
	case <-ctx.Done():
		err = nil
	case err = <-serveErr:
		cancel() // the server failed: stop polling too
	}
	shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	if serr := srv.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = serr
	}
	if perr := <-polled; perr != nil && err == nil {
		err = perr
	}
	log.Info("stopped")
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
