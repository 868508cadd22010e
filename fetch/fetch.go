// Package fetch does the HTTP requests of taglines: conditional GETs of feeds
// and plain GETs of article pages, with timeouts, body caps, a redirect limit
// and an honest User-Agent. It takes an *http.Client so tests, the demo and
// later the SSRF-guarded dialer plug in at the transport.
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

	"golang.org/x/time/rate"
)

// Default limits, chosen for news feeds and article pages: a feed over 8 MiB
// or a page over 4 MiB is not news but an accident or an attack.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxFeedBytes = 8 << 20
	DefaultMaxPageBytes = 4 << 20
	DefaultUserAgent    = "taglines/0.1 (+https://github.com/taglines/taglines)"
	maxRedirects        = 10
)

// ErrTooLarge is returned when a body exceeds its cap.
var ErrTooLarge = errors.New("response body too large")

// StatusError is returned for a response whose status is neither 2xx nor 304.
type StatusError struct {
	StatusCode int
	RetryAfter string // the Retry-After header, if any
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.StatusCode, http.StatusText(e.StatusCode))
}

// Options configure a Client. The zero value selects the defaults above.
type Options struct {
	UserAgent    string
	Timeout      time.Duration // whole request, body included
	MaxFeedBytes int64
	MaxPageBytes int64
	// Per-host politeness: requests per second, burst, and requests in
	// flight at once to one host.
	HostRate        float64
	HostBurst       int
	HostConcurrency int
	// IgnoreRobots skips robots.txt for pages (feeds are always fetched:
	// a publisher that lists a feed asks for it to be read).
	IgnoreRobots bool
	// Now is the clock for Retry-After and robots.txt expiry; nil means
	// time.Now.
	Now func() time.Time
}

// Client performs fetches, politely: per host it keeps a rate limit, a cap
// on requests in flight, any Retry-After the host sent, and its robots.txt.
// It is safe for concurrent use.
type Client struct {
	hc    *http.Client
	opts  Options
	hosts *hosts
}

// New returns a Client that sends its requests through hc (nil means a new
// client over http.DefaultTransport). Redirects are capped at 10 and limited
// to http and https whatever hc's own policy.
func New(hc *http.Client, opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxFeedBytes <= 0 {
		opts.MaxFeedBytes = DefaultMaxFeedBytes
	}
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = DefaultMaxPageBytes
	}
	if opts.HostRate <= 0 {
		opts.HostRate = DefaultHostRate
	}
	if opts.HostBurst <= 0 {
		opts.HostBurst = DefaultHostBurst
	}
	if opts.HostConcurrency <= 0 {
		opts.HostConcurrency = DefaultHostConcurrency
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	c.CheckRedirect = checkRedirect
	return &Client{hc: c, opts: opts, hosts: &hosts{
		rate: rate.Limit(opts.HostRate), burst: opts.HostBurst, concurrency: opts.HostConcurrency,
		m: map[string]*host{},
	}}
}

func (c *Client) now() time.Time { return c.opts.Now() }

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	for _, prev := range via {
		if prev.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop at %s", req.URL)
		}
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to unsupported scheme %q", req.URL.Scheme)
	}
	return nil
}

// Validators are the conditional GET headers remembered from a previous
// response. The zero value makes an unconditional request.
type Validators struct {
	ETag         string
	LastModified string
}

// Response is a fetched body with what the caller needs of its headers.
type Response struct {
	URL          string // the final URL, after redirects
	StatusCode   int
	NotModified  bool // a 304: Body is empty
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	// MaxAge is how long the response may be cached, from Cache-Control
	// max-age or Expires; zero if the server said nothing or no-cache.
	MaxAge time.Duration
}

// Feed fetches a feed with a conditional GET. A 304 comes back as a Response
// with NotModified set and no error.
func (c *Client) Feed(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	return c.get(ctx, rawURL, v, c.opts.MaxFeedBytes,
		"application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
}

// Page fetches an article page. Returns ErrDisallowed (wrapped) if the
// site's robots.txt forbids it.
func (c *Client) Page(ctx context.Context, rawURL string) (*Response, error) {
	u, err := parseHTTP(rawURL)
	if err != nil {
		return nil, err
	}
	if err := c.allowed(ctx, u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return c.get(ctx, rawURL, Validators{}, c.opts.MaxPageBytes, "text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
}

func parseHTTP(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("fetch %s: unsupported scheme %q", rawURL, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch %s: no host", rawURL)
	}
	return u, nil
}

// do sends one polite request; the caller closes the body. The returned
// response's context stays live until the body is closed.
func (c *Client) do(ctx context.Context, u *url.URL, v Validators, accept string) (*http.Response, error) {
	h := c.hosts.get(u.Host)
	release, err := h.acquire(ctx, u.Host, c.now())
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		release()
		return nil, err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		release()
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d := RetryAfter(resp.Header.Get("Retry-After"), c.now()); d > 0 {
			h.block(c.now().Add(d))
		}
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody frees the host's connection slot when the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

func (c *Client) get(ctx context.Context, rawURL string, v Validators, maxBytes int64, accept string) (*Response, error) {
	u, err := parseHTTP(rawURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	resp, err := c.do(ctx, u, v, accept)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	r := &Response{
		URL:          resp.Request.URL.String(),
		StatusCode:   resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		MaxAge:       maxAge(resp.Header, c.now()),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		r.NotModified = true
		return r, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		return r, fmt.Errorf("fetch %s: %w", rawURL, &StatusError{StatusCode: resp.StatusCode, RetryAfter: resp.Header.Get("Retry-After")})
	}
	// The transport has already undone gzip, so the cap bounds the
	// decompressed size as well: a gzip bomb stops here.
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return r, fmt.Errorf("fetch %s: read body: %w", rawURL, err)
	}
	if int64(len(body)) > maxBytes {
		return r, fmt.Errorf("fetch %s: %w (over %d bytes)", rawURL, ErrTooLarge, maxBytes)
	}
	r.Body = body
	return r, nil
}

// maxAge reads a response's freshness lifetime: Cache-Control max-age (or
// s-maxage) first, as RFC 9111 ranks them, then Expires against Date.
func maxAge(h http.Header, now time.Time) time.Duration {
	for _, directive := range strings.Split(strings.ToLower(h.Get("Cache-Control")), ",") {
		directive = strings.TrimSpace(directive)
		switch {
		case directive == "no-cache" || directive == "no-store":
			return 0
		case strings.HasPrefix(directive, "max-age="), strings.HasPrefix(directive, "s-maxage="):
			v := directive[strings.IndexByte(directive, '=')+1:]
			if secs, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil && secs > 0 {
				return time.Duration(secs) * time.Second
			}
		}
	}
	if exp := h.Get("Expires"); exp != "" {
		t, err := http.ParseTime(exp)
		if err != nil {
			return 0
		}
		date := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			date = d
		}
		if t.After(date) {
			return t.Sub(date)
		}
	}
	return 0
}
