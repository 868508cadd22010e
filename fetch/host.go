package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// Politeness defaults: a few requests a second to one host is what a
// reader's browser does; far below what any news site notices.
const (
	DefaultHostRate        = 2.0
	DefaultHostBurst       = 5
	DefaultHostConcurrency = 2
	robotsTTL              = 24 * time.Hour
	maxRobotsBytes         = 512 << 10
)

// ErrDisallowed is returned for a page that the site's robots.txt forbids.
var ErrDisallowed = errors.New("disallowed by robots.txt")

// HostBackoffError is returned without a request while a host's
// Retry-After (from a 429 or 503) is in force.
type HostBackoffError struct {
	Host  string
	Until time.Time
}

func (e *HostBackoffError) Error() string {
	return fmt.Sprintf("host %s asked to wait until %s", e.Host, e.Until.UTC().Format(time.RFC3339))
}

// host is the politeness state of one host. Its mutex guards blockedUntil,
// robots and robotsAt; limiter and slots are safe on their own.
type host struct {
	limiter *rate.Limiter
	slots   chan struct{}

	mu           sync.Mutex
	blockedUntil time.Time
	robots       *robotstxt.Group
	robotsAt     time.Time
	robotsFetch  chan struct{} // closed when an in-flight robots.txt fetch ends
}

// hosts holds the state of every host seen; entries live as long as the
// Client, which is one entry per publisher host.
type hosts struct {
	rate        rate.Limit
	burst       int
	concurrency int
	mu          sync.Mutex
	m           map[string]*host
}

func (hs *hosts) get(name string) *host {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	h, ok := hs.m[name]
	if !ok {
		h = &host{limiter: rate.NewLimiter(hs.rate, hs.burst), slots: make(chan struct{}, hs.concurrency)}
		hs.m[name] = h
	}
	return h
}

// acquire waits for the host's rate and a free connection slot; release
// must be called after the response is read.
func (h *host) acquire(ctx context.Context, name string, now time.Time) (release func(), err error) {
	h.mu.Lock()
	until := h.blockedUntil
	h.mu.Unlock()
	if now.Before(until) {
		return nil, &HostBackoffError{Host: name, Until: until}
	}
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := h.limiter.Wait(ctx); err != nil {
		<-h.slots
		return nil, err
	}
	return func() { <-h.slots }, nil
}

// block records a host's Retry-After.
func (h *host) block(until time.Time) {
	h.mu.Lock()
	if until.After(h.blockedUntil) {
		h.blockedUntil = until
	}
	h.mu.Unlock()
}

// RetryAfter reads a Retry-After header in seconds or as an HTTP date; 0
// if absent or unreadable.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// allowed reports whether robots.txt lets this client fetch u, fetching
// and caching the host's robots.txt once a day. Concurrent callers for one
// host share one fetch.
func (c *Client) allowed(ctx context.Context, u *url.URL) error {
	if c.opts.IgnoreRobots {
		return nil
	}
	h := c.hosts.get(u.Host)
	for {
		h.mu.Lock()
		if h.robotsAt.IsZero() || c.now().Sub(h.robotsAt) > robotsTTL {
			if wait := h.robotsFetch; wait != nil {
				h.mu.Unlock()
				select {
				case <-wait:
					continue
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			done := make(chan struct{})
			h.robotsFetch = done
			h.mu.Unlock()
			group := c.fetchRobots(ctx, u)
			h.mu.Lock()
			h.robots, h.robotsAt, h.robotsFetch = group, c.now(), nil
			close(done)
		}
		group := h.robots
		h.mu.Unlock()
		if group != nil && !group.Test(u.EscapedPath()) {
			return ErrDisallowed
		}
		return nil
	}
}

// fetchRobots returns the group of robots.txt rules that applies to this
// client. Following Google's reading: a 4xx means no rules, a 5xx or a
// network failure means "fetch nothing" until the next try.
func (c *Client) fetchRobots(ctx context.Context, page *url.URL) *robotstxt.Group {
	ru := &url.URL{Scheme: page.Scheme, Host: page.Host, Path: "/robots.txt"}
	status, body := 0, []byte(nil)
	resp, err := c.do(ctx, ru, Validators{}, "text/plain")
	if resp != nil {
		defer resp.Body.Close()
		status = resp.StatusCode
		if status == http.StatusOK {
			body, err = io.ReadAll(io.LimitReader(resp.Body, maxRobotsBytes))
		}
	}
	if err != nil && status == 0 {
		status = http.StatusServiceUnavailable
	}
	data, perr := robotstxt.FromStatusAndBytes(status, body)
	if perr != nil {
		return nil // unreadable rules: treat as none, as crawlers do
	}
	return data.FindGroup(c.robotsAgent())
}

// robotsAgent is the product token of the User-Agent, which robots.txt
// groups are matched against.
func (c *Client) robotsAgent() string {
	ua := c.opts.UserAgent
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		ua = ua[:i]
	}
	return ua
}
