package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/extract"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/ingest"
	"github.com/taglines/taglines/poll"
)

type pollCmd struct {
	Once bool `help:"Poll the sources that are due once, print what happened as JSON, and exit."`
}

func (c *pollCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	log := m.logger(cfg)
	return withStore(ctx, cfg, func(store taglines.Store) error {
		poller := m.poller(store, cfg, log)
		if !c.Once {
			return poller.Run(ctx)
		}
		r, err := poller.RunOnce(ctx)
		if err != nil {
			return err
		}
		return writeJSON(m.Stdout, r)
	})
}

// poller wires the ingestion pipeline to a store; hc nil means m.HTTPClient.
func (m *Main) poller(store taglines.Store, cfg *Config, log *slog.Logger) *poll.Poller {
	return m.pollerWith(store, cfg, log, m.HTTPClient)
}

func (m *Main) pollerWith(store taglines.Store, cfg *Config, log *slog.Logger, hc *http.Client) *poll.Poller {
	fetcher := fetch.New(hc, cfg.fetchOptions())
	ing := ingest.New(store, fetcher, ingest.Options{Logger: log, Now: m.now})
	opts := cfg.pollOptions()
	opts.Logger, opts.Now, opts.Owner = log, m.now, owner()
	return poll.New(store, ing, opts)
}

// owner names this process in source leases, for operators reading them.
func owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

type extractCmd struct {
	URL  string `help:"The page's address, for resolving links."`
	File string `arg:"" help:"HTML file, or - for standard input."`
}

// extractJSON is the output of `taglines extract`, a public interface.
type extractJSON struct {
	*extract.Result
	Published *string `json:"published"`
}

func (c *extractCmd) Run(m *Main) error {
	var r io.Reader = m.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	page, err := io.ReadAll(io.LimitReader(r, extract.MaxInput))
	if err != nil {
		return fmt.Errorf("read %s: %w", c.File, err)
	}
	var pageURL *url.URL
	if c.URL != "" {
		if pageURL, err = url.Parse(c.URL); err != nil {
			return fmt.Errorf("--url: %w", err)
		}
	}
	res, err := extract.Page(page, "", pageURL)
	if err != nil && res == nil {
		return err
	}
	out := extractJSON{Result: res}
	if !res.Published.IsZero() {
		p := res.Published.Format(time.RFC3339)
		out.Published = &p
	}
	return writeJSON(m.Stdout, out)
}

type statsCmd struct{}

func (c *statsCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	return withStore(ctx, cfg, func(store taglines.Store) error {
		st, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		return writeJSON(m.Stdout, st)
	})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
