package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryAfterBlocksHost(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c := New(srv.Client(), Options{Now: clock})
	ctx := context.Background()

	_, err := c.Feed(ctx, srv.URL+"/feed", Validators{})
	var se *StatusError
	if !errors.As(err, &se) || se.StatusCode != 429 || se.RetryAfter != "120" {
		t.Fatalf("first Feed error = %v, want 429 with Retry-After 120", err)
	}
	_, err = c.Feed(ctx, srv.URL+"/other", Validators{})
	var be *HostBackoffError
	if !errors.As(err, &be) || !be.Until.Equal(now.Add(120*time.Second)) {
		t.Fatalf("second Feed error = %v, want a host backoff until +120s", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1: the host must not be asked again while it said wait", n)
	}
	now = now.Add(121 * time.Second)
	if _, err := c.Feed(ctx, srv.URL+"/feed", Validators{}); errors.As(err, &be) {
		t.Errorf("after Retry-After passed, Feed still blocked: %v", err)
	}
}

func TestHostRateAndConcurrency(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
	}))
	defer srv.Close()
	c := New(srv.Client(), Options{HostRate: 20, HostBurst: 1, HostConcurrency: 2, IgnoreRobots: true})
	start := time.Now()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := c.Page(context.Background(), srv.URL+"/p"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// 10 requests at 20/s with a burst of 1 take at least 9 intervals of 50 ms.
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("10 requests at 20/s took %s, want >= 400ms", d)
	}
	if m := maxInFlight.Load(); m > 2 {
		t.Errorf("%d requests in flight to one host, want <= 2", m)
	}
}

func TestRobots(t *testing.T) {
	var robotsHits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		robotsHits.Add(1)
		_, _ = w.Write([]byte("User-agent: *\nDisallow: /private/\n\nUser-agent: taglines\nDisallow: /no-taglines/\n"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<p>page</p>")) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := New(srv.Client(), Options{})
	ctx := context.Background()
	tests := []struct {
		path    string
		allowed bool
	}{
		{"/news/1", true},
		{"/no-taglines/2", false},
		{"/private/3", true}, // the taglines group replaces the * group
	}
	for _, tt := range tests {
		_, err := c.Page(ctx, srv.URL+tt.path)
		if got := !errors.Is(err, ErrDisallowed); got != tt.allowed || (tt.allowed && err != nil) {
			t.Errorf("Page(%s) error = %v, want allowed=%v", tt.path, err, tt.allowed)
		}
	}
	if n := robotsHits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", n)
	}
	// Feeds ignore robots.txt: a listed feed is meant to be read.
	if _, err := c.Feed(ctx, srv.URL+"/no-taglines/feed", Validators{}); err != nil {
		t.Errorf("Feed under a disallowed path: %v", err)
	}
}

func TestRetryAfterParse(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"120", 120 * time.Second},
		{"Mon, 23 Nov 2026 12:05:00 GMT", 5 * time.Minute},
		{"", 0}, {"soon", 0}, {"-5", 0},
	}
	for _, tt := range tests {
		if got := RetryAfter(tt.in, now); got != tt.want {
			t.Errorf("RetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
