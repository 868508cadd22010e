package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/taglines/taglines/fetch"
	"github.com/taglines/taglines/poll"
)

// Config holds the flags every command that touches the store reads. Flags
// override TAGLINES_* environment variables, which override these defaults;
// the flags of one part of the pipeline belong to the commands that run it
// (FetchConfig, PollConfig), and each stage receives only its own part as
// that package's Options.
type Config struct {
	DB       string `help:"Database: an SQLite file path, or a postgres:// URL (default taglines.db in the working directory; a temporary file for serve --demo)." env:"TAGLINES_DB"`
	LogLevel string `help:"Log level: debug, info, warn, error." env:"TAGLINES_LOG_LEVEL" default:"info" enum:"debug,info,warn,error"`
}

// FetchConfig is how taglines talks to publishers: the flags of the
// commands that fetch (serve, poll, sources add, reextract, bench ingest).
type FetchConfig struct {
	Timeout   time.Duration `help:"Timeout of one HTTP request, body included." env:"TAGLINES_TIMEOUT" default:"20s"`
	UserAgent string        `help:"User-Agent sent to publishers; keep a contact URL in it." env:"TAGLINES_USER_AGENT" default:"${user_agent}"`

	HostRate             float64 `help:"Requests per second to one host." env:"TAGLINES_HOST_RATE" default:"2"`
	HostConcurrency      int     `help:"Requests in flight to one host." env:"TAGLINES_HOST_CONCURRENCY" default:"2"`
	AllowPrivateNetworks bool    `help:"Let sources reach loopback, private, link-local and CGNAT addresses (off: a feed URL must not reach your own network)." env:"TAGLINES_ALLOW_PRIVATE_NETWORKS"`
}

// Validate reports the first setting that cannot work; kong calls it on
// the commands that embed FetchConfig.
func (c *FetchConfig) Validate() error {
	switch {
	case c.Timeout < 100*time.Millisecond:
		return fmt.Errorf("config: --timeout %s is under 100ms", c.Timeout)
	case strings.TrimSpace(c.UserAgent) == "":
		return fmt.Errorf("config: --user-agent is empty")
	case c.HostRate <= 0 || c.HostRate > 1000:
		return fmt.Errorf("config: --host-rate %g is outside (0, 1000]", c.HostRate)
	case c.HostConcurrency < 1 || c.HostConcurrency > 64:
		return fmt.Errorf("config: --host-concurrency %d is outside 1..64", c.HostConcurrency)
	}
	return nil
}

// PollConfig is the poller's part: the flags of the commands that poll
// (serve, poll, bench ingest).
type PollConfig struct {
	FetchConfig `embed:""`

	Workers  int           `help:"Sources polled at once." env:"TAGLINES_WORKERS" default:"16"`
	Interval time.Duration `help:"Time between polls of a healthy source." env:"TAGLINES_INTERVAL" default:"15m"`
	// Each refinement reconsiders every article of the last 24 hours
	// (dedup.Options.RefineSpan): hourly, an article is reconsidered about
	// 24 times while its story forms.
	RefineInterval time.Duration `help:"How often the poller revisits recent story clusters, moving articles decided early to the story they fit best and merging stories that grew together (0: never)." env:"TAGLINES_REFINE_INTERVAL" default:"1h"`
	// Memory grows with what is kept: at 20,000 articles a day, 5 to 7.5
	// days of stories and 9 to 13.5 days of entries' keys (each pruned
	// when its horizon has moved by half) came to 231 MiB of heap at the
	// end of bench dedup --sets cost --sizes 1000000 --store FILE.
	DedupCache time.Duration `help:"How far back from the latest story the poller keeps stories in memory over the database's dedup index, so that placing an article costs no story queries (0: none; under 4 days, the default refining's look-ups reach the database); the keys of entries, to find versions, are kept for 9 days or this, whichever is longer." env:"TAGLINES_DEDUP_CACHE" default:"120h"`
}

// Validate reports the first setting that cannot work, the fetch settings
// first; kong calls it on the commands that embed PollConfig.
func (c *PollConfig) Validate() error {
	if err := c.FetchConfig.Validate(); err != nil {
		return err
	}
	switch {
	case c.Workers < 1 || c.Workers > 1024:
		return fmt.Errorf("config: --workers %d is outside 1..1024", c.Workers)
	case c.Interval < time.Second:
		return fmt.Errorf("config: --interval %s is under a second", c.Interval)
	case c.RefineInterval != 0 && c.RefineInterval < time.Minute:
		return fmt.Errorf("config: --refine-interval %s is under a minute (0 turns refining off)", c.RefineInterval)
	case c.DedupCache < 0:
		return fmt.Errorf("config: --dedup-cache %s is negative (0 turns it off)", c.DedupCache)
	}
	return nil
}

func (c *Config) isPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

func (c *Config) logLevel() slog.Level {
	var l slog.Level
	_ = l.UnmarshalText([]byte(c.LogLevel)) // validated by kong's enum
	return l
}

func (c *FetchConfig) fetchOptions() fetch.Options {
	return fetch.Options{UserAgent: c.UserAgent, Timeout: c.Timeout, HostRate: c.HostRate,
		HostBurst: max(1, int(2*c.HostRate)), HostConcurrency: c.HostConcurrency}
}

// httpClient is the client for publishers when no test or demo supplies one.
func (c *FetchConfig) httpClient() *http.Client {
	return &http.Client{Transport: fetch.NewTransport(fetch.TransportOptions{
		AllowPrivateNetworks: c.AllowPrivateNetworks,
		HeaderTimeout:        c.Timeout,
	})}
}

func (c *PollConfig) pollOptions() poll.Options {
	return poll.Options{Workers: c.Workers, Interval: c.Interval, HostConcurrency: c.HostConcurrency, RefineInterval: c.RefineInterval}
}

// validateAddr checks a listen address before anything starts.
func validateAddr(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("config: --addr %q: %w", addr, err)
	}
	return nil
}
