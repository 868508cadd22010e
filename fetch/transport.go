package fetch

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"code.dny.dev/ssrf"
)

// TransportOptions configure NewTransport. The zero value is the safe
// default for fetching from the internet.
type TransportOptions struct {
	// AllowPrivateNetworks lets requests reach loopback, private,
	// link-local, CGNAT and other non-public addresses. Off by default: a
	// feed URL chosen by a user must not reach the operator's own network.
	AllowPrivateNetworks bool
	ConnectTimeout       time.Duration // default 10 s
	HeaderTimeout        time.Duration // time to the response headers; default 15 s
	// DialContext, if set, replaces the network dial (tests, testpub); the
	// SSRF guard still checks the address it connects to.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewTransport returns an HTTP transport for fetching publishers: bounded
// connect, TLS and header times, pooled connections per host, and an SSRF
// guard in the dialer that checks every address after DNS resolution, so a
// public name that resolves to a private address is refused too.
func NewTransport(opts TransportOptions) *http.Transport {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if opts.HeaderTimeout <= 0 {
		opts.HeaderTimeout = 15 * time.Second
	}
	dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	if !opts.AllowPrivateNetworks {
		// Any port: publishers do serve feeds on 8080 and the like; the
		// guard is about addresses.
		dialer.Control = ssrf.New(ssrf.WithAnyPort()).Safe
	}
	dial := dialer.DialContext
	if opts.DialContext != nil {
		dial = opts.DialContext
	}
	dial = localhostDial(dial)
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dial,
		TLSHandshakeTimeout:   opts.ConnectTimeout,
		ResponseHeaderTimeout: opts.HeaderTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// localhostDial resolves *.localhost names to loopback itself, as RFC 6761
// asks and browsers do (the system resolver usually does not); the SSRF
// guard still refuses them unless private networks are allowed.
func localhostDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil && strings.HasSuffix(strings.TrimSuffix(strings.ToLower(host), "."), ".localhost") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return dial(ctx, network, addr)
	}
}
