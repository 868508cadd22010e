package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestFeedConditional(t *testing.T) {
	const etag = `"v1"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" {
			t.Error("no User-Agent sent")
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Mon, 23 Nov 2026 10:00:00 GMT")
		_, _ = w.Write([]byte("<rss/>"))
	}))
	defer srv.Close()
	c := New(srv.Client(), Options{})
	ctx := context.Background()

	first, err := c.Feed(ctx, srv.URL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != "<rss/>" || first.ETag != etag || first.LastModified == "" {
		t.Fatalf("first fetch = %+v", first)
	}
	second, err := c.Feed(ctx, srv.URL, Validators{ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || len(second.Body) != 0 {
		t.Fatalf("second fetch = %+v, want 304", second)
	}
}

func TestErrors(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("x", 64<<10))
		for i := 0; i < 64; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := New(srv.Client(), Options{MaxFeedBytes: 1 << 20, Timeout: 300 * time.Millisecond})
	ctx := context.Background()

	tests := []struct {
		name  string
		path  string
		check func(error) bool
	}{
		{"server error", "/500", func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.StatusCode == 500
		}},
		{"redirect loop", "/loop", func(err error) bool { return err != nil && strings.Contains(err.Error(), "redirect") }},
		{"body cap", "/huge", func(err error) bool { return errors.Is(err, ErrTooLarge) }},
		{"timeout", "/slow", func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Feed(ctx, srv.URL+tt.path, Validators{})
			if !tt.check(err) {
				t.Errorf("Feed(%s) error = %v", tt.path, err)
			}
		})
	}
	if _, err := c.Page(ctx, "file:///etc/passwd"); err == nil {
		t.Error("Page(file://) succeeded, want unsupported scheme")
	}
}

func TestMaxAge(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"max-age", http.Header{"Cache-Control": {"public, max-age=600"}}, 10 * time.Minute},
		{"s-maxage", http.Header{"Cache-Control": {"s-maxage=60"}}, time.Minute},
		{"no-cache wins", http.Header{"Cache-Control": {"no-cache"}, "Expires": {"Mon, 23 Nov 2026 13:00:00 GMT"}}, 0},
		{"expires against date", http.Header{"Expires": {"Mon, 23 Nov 2026 13:00:00 GMT"}, "Date": {"Mon, 23 Nov 2026 12:30:00 GMT"}}, 30 * time.Minute},
		{"expires in the past", http.Header{"Expires": {"Mon, 23 Nov 2026 11:00:00 GMT"}}, 0},
		{"expires junk", http.Header{"Expires": {"0"}}, 0},
		{"nothing", http.Header{}, 0},
	}
	for _, tt := range tests {
		if got := maxAge(tt.h, now); got != tt.want {
			t.Errorf("maxAge(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestGzipBomb: a small compressed body that inflates far past the cap
// stops at the cap, while reading, not after inflating it all.
func TestGzipBomb(t *testing.T) {
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros, ~64 KiB compressed
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(bomb.Bytes())
	}))
	defer srv.Close()
	c := New(srv.Client(), Options{MaxFeedBytes: 2 << 20})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Feed(context.Background(), srv.URL, Validators{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Feed(gzip bomb) error = %v, want ErrTooLarge", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
		t.Errorf("reading the bomb allocated %d MiB, want about the 2 MiB cap", grew>>20)
	}
}
