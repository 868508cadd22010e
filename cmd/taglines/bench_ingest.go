package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/bench"
	"github.com/taglines/taglines/poll"
)

type benchIngestCmd struct {
	PollConfig `embed:""`

	Sources int    `help:"Simulated publishers, one feed each." default:"1000"`
	Items   int    `help:"Items per feed." default:"20"`
	Pages   bool   `help:"Fetch and extract every article page (otherwise store the feeds' own text)." negatable:"" default:"true"`
	JSON    bool   `help:"Print the figures as JSON."`
	Remote  string `help:"Address of a 'taglines testpub' running in another process (its --sources and --items must match), so that the figures are taglines' alone."`

	CPUProfile string `help:"Write a CPU profile of the first round to this file." type:"path"`
	MemProfile string `help:"Write a heap profile at the end of the first round to this file." type:"path"`
}

// Run measures ingestion against testpub (bench.Ingest) into the
// configured store, or a temporary SQLite file removed at the end.
func (c *benchIngestCmd) Run(ctx context.Context, m *Main, cfg *Config) error {
	// The poller's clock becomes bench.Ingest's, which reads this one.
	clock := m.Now
	if clock == nil {
		clock = time.Now
	}
	var tmp string
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	f, err := bench.Ingest(ctx, bench.IngestOptions{
		Sources: c.Sources, Items: c.Items, Pages: c.Pages, Remote: c.Remote, Workers: c.Workers,
		CPUProfile: c.CPUProfile, MemProfile: c.MemProfile,
		Now: clock,
		Open: func(ctx context.Context) (taglines.Store, string, error) {
			if cfg.DB == "" {
				dir, err := os.MkdirTemp("", "taglines-bench-")
				if err != nil {
					return nil, "", err
				}
				tmp = dir
				cfg.DB = filepath.Join(dir, "bench.db")
			}
			store, err := openStore(ctx, cfg)
			return store, cfg.DB, err
		},
		Poller: func(store taglines.Store, hc *http.Client, skipPages bool, now func() time.Time) *poll.Poller {
			m.Now = now
			return m.pollerWith(store, &c.PollConfig, m.logger(cfg), hc, skipPages)
		},
	})
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(m.Stdout).Encode(f)
	}
	return f.Write(m.Stdout)
}
