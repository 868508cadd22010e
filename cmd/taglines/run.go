package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/alecthomas/kong"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/postgres"
	"github.com/taglines/taglines/sqlite"
)

// Main runs the program. Its fields are the process's seams: tests replace
// the clock, the HTTP client and the output streams, and run the real
// command line in-process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Now is the clock of the poller and the pages; nil means time.Now.
	Now func() time.Time
	// HTTPClient fetches feeds and pages; nil means a client over
	// http.DefaultTransport.
	HTTPClient *http.Client
	// Ready, if set, is called with the web server's address once it
	// listens.
	Ready func(addr string)
	// Exit ends the process after --help; nil means os.Exit.
	Exit func(code int)

	taggerOnce sync.Once
	taggerVal  *enrich.Tagger
}

// NewMain returns a Main wired to the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
}

type cli struct {
	Config `embed:""`

	Serve     serveCmd     `cmd:"" help:"Poll sources and serve the web pages and the API."`
	Sources   sourcesCmd   `cmd:"" help:"Manage the sources that are polled."`
	Poll      pollCmd      `cmd:"" help:"Poll due sources (forever, or one round with --once)."`
	Extract   extractCmd   `cmd:"" help:"Extract the article of one HTML page and print it as JSON."`
	Stats     statsCmd     `cmd:"" help:"Print counts of the store as JSON."`
	Search    searchCmd    `cmd:"" help:"Search stored articles with the topic rule language (AND, OR, NOT, \"phrases\", NEAR/n, word*, title:, tag:, source:, section:, lang:, after:, before:)."`
	Tag       tagCmd       `cmd:"" help:"Tag an article (JSON from extract, or plain text) and print its hashtags, entities and section as JSON."`
	Dedup     dedupCmd     `cmd:"" help:"Find near-duplicates and story clusters in a JSONL file of articles, in order, as ingest would."`
	Split     splitCmd     `cmd:"" help:"Undo a wrong merge: make a stored article its own version (or, with --story, its own story)."`
	Tags      tagsCmd      `cmd:"" help:"Operators' tag rules: aliases, merges and blocks."`
	Retag     retagCmd     `cmd:"" help:"Re-apply tagging to stored articles, resumably."`
	Reextract reextractCmd `cmd:"" help:"Fetch stored articles' pages again and re-apply extraction with the current rules, resumably."`
	Bench     benchCmd     `cmd:"" help:"Benchmarks of the pipeline's stages."`
	Testpub   testpubCmd   `cmd:"" help:"Serve simulated publishers on loopback (for trying and benchmarking)."`
}

// Run parses args and runs the chosen command until it ends or ctx does.
func (m *Main) Run(ctx context.Context, args []string) error {
	var c cli
	exit := m.Exit
	if exit == nil {
		exit = os.Exit
	}
	parser, err := kong.New(&c,
		kong.Name("taglines"),
		kong.Description("A self-hosted news aggregation engine: publisher feeds in, \"Latest news with #Tag\" pages out."),
		kong.Writers(m.Stdout, m.Stderr),
		kong.Exit(exit),
		kong.Vars{"user_agent": fetch.DefaultUserAgent},
		kong.UsageOnError(),
	)
	if err != nil {
		return err
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		return err
	}
	kctx.BindTo(ctx, (*context.Context)(nil))
	return kctx.Run(m, &c.Config)
}

func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Main) logger(cfg *Config) *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: cfg.logLevel()}))
}

// openStore is the one place that chooses a database.
func openStore(ctx context.Context, cfg *Config) (taglines.Store, error) {
	if cfg.DB == "" {
		cfg.DB = "taglines.db"
	}
	if cfg.isPostgres() {
		s, err := postgres.Open(ctx, cfg.DB)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return indexed(ctx, s)
	}
	s, err := sqlite.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", cfg.DB, err)
	}
	return indexed(ctx, s)
}

// indexed builds the search index of a database that predates it (once,
// resumably, with a progress bar on stderr) before the store is used.
func indexed(ctx context.Context, s taglines.Store) (taglines.Store, error) {
	drawn := false
	err := s.IndexSearch(ctx, func(done, total int) {
		if done < total || drawn {
			drawn = true
			fmt.Fprintf(os.Stderr, "\rbuilding the search index %s", progressBar(done, total))
		}
	})
	if drawn {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// withStore opens the configured store, runs fn and closes the store,
// reporting a close error only if fn succeeded.
func withStore(ctx context.Context, cfg *Config, fn func(taglines.Store) error) (err error) {
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return fn(store)
}
