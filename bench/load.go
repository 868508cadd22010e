package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Route is one request a load benchmark repeats.
type Route struct {
	Name string `json:"name"`
	Path string `json:"path"` // path and query, from the server's root
}

// RouteResult is what one route measured.
type RouteResult struct {
	Route
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"` // transport errors and non-2xx answers
	RPS      float64 `json:"requests_per_second"`
	P50      float64 `json:"p50_ms"`
	P90      float64 `json:"p90_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
}

// LoadOptions bound a load run.
type LoadOptions struct {
	Base        string        // http://host:port of the server: loopback only
	Duration    time.Duration // per route; default 10s
	Concurrency int           // requests in flight; default 4
	MaxRequests int           // per route, a bound besides Duration; default 100,000
}

// CheckLoopback refuses a target that is not on 127.0.0.0/8 or ::1:
// benchmark traffic stays on this machine.
func CheckLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("bench target %q: want http://127.0.0.1:PORT", base)
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("bench target %q: load goes to loopback only", base)
	}
	return nil
}

// Load requests each route in turn, from opts.Concurrency workers in a
// closed loop, for opts.Duration (or MaxRequests), after a short warm-up,
// and returns the latency percentiles of each.
func Load(ctx context.Context, routes []Route, opts LoadOptions) ([]RouteResult, error) {
	if err := CheckLoopback(opts.Base); err != nil {
		return nil, err
	}
	if opts.Duration <= 0 {
		opts.Duration = 10 * time.Second
	}
	opts.Concurrency = max(opts.Concurrency, 1)
	if opts.MaxRequests <= 0 {
		opts.MaxRequests = 100_000
	}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: opts.Concurrency, DisableCompression: true},
	}
	out := make([]RouteResult, 0, len(routes))
	for _, r := range routes {
		// Warm-up: the first requests pay for cold pages of the file.
		for range 3 {
			_, _ = get(ctx, client, opts.Base+r.Path)
		}
		var (
			mu      sync.Mutex
			lat     []time.Duration
			errs    int
			started int
			wg      sync.WaitGroup
		)
		start := time.Now()
		deadline := start.Add(opts.Duration)
		for range opts.Concurrency {
			wg.Go(func() {
				for ctx.Err() == nil && time.Now().Before(deadline) {
					mu.Lock()
					if started >= opts.MaxRequests {
						mu.Unlock()
						return
					}
					started++
					mu.Unlock()
					t0 := time.Now()
					ok, _ := get(ctx, client, opts.Base+r.Path)
					d := time.Since(t0)
					mu.Lock()
					lat = append(lat, d)
					if !ok {
						errs++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		if err := ctx.Err(); err != nil {
			return out, err
		}
		slices.Sort(lat)
		res := RouteResult{Route: r, Requests: len(lat), Errors: errs, RPS: float64(len(lat)) / elapsed.Seconds()}
		if len(lat) > 0 {
			res.P50, res.P90, res.P99 = ms(pct(lat, 0.50)), ms(pct(lat, 0.90)), ms(pct(lat, 0.99))
			res.Max = ms(lat[len(lat)-1])
		}
		out = append(out, res)
	}
	return out, nil
}

func get(ctx context.Context, c *http.Client, u string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err == nil && resp.StatusCode/100 == 2, err
}

func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Server is a `taglines serve --no-poll` child process on loopback.
type Server struct {
	Base string
	cmd  *exec.Cmd
}

// StartServer starts exe serve --no-poll (and extra flags) on a free
// loopback port with the given database and waits (up to ready) until it
// answers /healthz.
func StartServer(ctx context.Context, exe, db string, ready time.Duration, stderr io.Writer, extra ...string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, exe, append([]string{"serve", "--no-poll", "--db", db, "--addr", addr, "--log-level", "warn"}, extra...)...)
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	s := &Server{Base: "http://" + addr, cmd: cmd}
	deadline := time.Now().Add(ready)
	for time.Now().Before(deadline) {
		if ok, _ := get(ctx, http.DefaultClient, s.Base+"/healthz"); ok {
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("server on %s not ready within %s", addr, ready)
}

// CPUSeconds is the CPU time the server has used so far (user + system).
func (s *Server) CPUSeconds() float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	sys, _ := strconv.ParseFloat(f[12], 64)
	return (u + sys) / 100 // clock ticks of USER_HZ
}

// PeakRSSMiB is the server's peak resident set (VmHWM), file pages it
// maps (SQLite's memory-mapped database) included.
func (s *Server) PeakRSSMiB() float64 { return s.status("VmHWM:") }

// AnonRSSMiB is the server's resident memory of its own, without the file
// pages it maps (RssAnon): what the process costs beyond the OS page cache.
func (s *Server) AnonRSSMiB() float64 { return s.status("RssAnon:") }

func (s *Server) status(field string) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// Stop ends the server and waits for it.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// SearchRoutes are the searches of `bench search`: common words, a rare
// word of the generated long tail, a phrase, a three-term AND, newest
// first, and a filter with a date; each the first page of 20 with
// snippets, through the API.
func SearchRoutes() []Route {
	q := func(name, query string, extra string) Route {
		return Route{Name: name, Path: "/api/v1/search?limit=20&q=" + url.QueryEscape(query) + extra}
	}
	return []Route{
		q("common word (said)", "said", ""),
		q("common word (Russia)", "Russia", ""),
		q("rare word", PseudoWord(20000), ""),
		q("phrase", `"prime minister"`, ""),
		q("three-term AND", "oil prices OPEC", ""),
		q("common word, newest first", "said", "&sort=newest"),
		q("word, section and date", "bank section:Business after:30d", ""),
		{Name: "search page (HTML)", Path: "/search?q=" + url.QueryEscape("Russia")},
	}
}
