package poll

import (
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/ingest"
)

func TestInterval(t *testing.T) {
	p := New(nil, nil, Options{Interval: 15 * time.Minute, MinInterval: 5 * time.Minute, MaxInterval: 6 * time.Hour})
	tests := []struct {
		name     string
		srcRate  float64
		rate     float64
		minIntvl time.Duration
		want     time.Duration
	}{
		{"unknown rate: the default", -1, -1, 0, 15 * time.Minute},
		{"24 a day: every 30 minutes", -1, 24, 0, 30 * time.Minute},
		{"a torrent is clamped to the minimum", -1, 10000, 0, 5 * time.Minute},
		{"one a day: capped at the maximum", -1, 1, 0, 6 * time.Hour},
		{"nothing this week: the maximum", -1, 0, 0, 6 * time.Hour},
		{"a 304 keeps the stored rate", 48, -1, 0, 15 * time.Minute},
		{"Cache-Control raises it", -1, 24, time.Hour, time.Hour},
		{"a year-long max-age is still capped", -1, 24, 365 * 24 * time.Hour, 6 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.interval(&taglines.Source{ItemsPerDay: tt.srcRate}, ingest.Outcome{ItemsPerDay: tt.rate, MinInterval: tt.minIntvl})
			if got != tt.want {
				t.Errorf("interval(src rate %v, rate %v, min %v) = %v, want %v", tt.srcRate, tt.rate, tt.minIntvl, got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := New(nil, nil, Options{MinBackoff: time.Minute, MaxBackoff: 24 * time.Hour, Now: func() time.Time { return now }})
	failed := ingest.Outcome{Result: taglines.FetchResult{Status: taglines.FetchFailed}}
	tests := []struct {
		failures   int
		retryAfter time.Duration
		lo, hi     time.Duration
	}{
		{0, 0, 48 * time.Second, 72 * time.Second},
		{3, 0, 6 * time.Minute, 10 * time.Minute},
		{30, 0, 24 * time.Hour, 24 * time.Hour}, // capped, never dropped
		{0, 2 * time.Hour, 2 * time.Hour, 2 * time.Hour},
		{0, 72 * time.Hour, 24 * time.Hour, 24 * time.Hour},
	}
	for _, tt := range tests {
		out := failed
		out.RetryAfter = tt.retryAfter
		for range 20 { // jitter: every draw within bounds
			d := p.next(&taglines.Source{ConsecutiveFailures: tt.failures}, out).Sub(now)
			if d < tt.lo || d > tt.hi {
				t.Fatalf("next after %d failures (Retry-After %v) = +%v, want within [%v, %v]", tt.failures, tt.retryAfter, d, tt.lo, tt.hi)
			}
		}
	}
}
