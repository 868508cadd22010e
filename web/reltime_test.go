package web

import (
	"testing"
	"time"
)

func TestRelTime(t *testing.T) {
	now := time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC)
	const (
		s = time.Second
		m = time.Minute
		h = time.Hour
		d = 24 * time.Hour
	)
	tests := []struct {
		ago  time.Duration // now - t
		want string
	}{
		{0, "a few seconds ago"},
		{44*s + 999*time.Millisecond, "a few seconds ago"},
		{45 * s, "a minute ago"},
		{89 * s, "a minute ago"},
		{90 * s, "2 minutes ago"},
		{2*m + 29*s, "2 minutes ago"},
		{2*m + 30*s, "3 minutes ago"},
		{44 * m, "44 minutes ago"},
		{44*m + 59*s, "44 minutes ago"}, // rounds to 45, clamped
		{45 * m, "an hour ago"},
		{89*m + 59*s, "an hour ago"},
		{90 * m, "2 hours ago"},
		{2*h + 29*m, "2 hours ago"},
		{2*h + 30*m, "3 hours ago"},
		{21 * h, "21 hours ago"},
		{21*h + 59*m, "21 hours ago"}, // rounds to 22, clamped
		{22 * h, "a day ago"},
		{35*h + 59*m, "a day ago"},
		{36 * h, "2 days ago"},
		{2*d + 11*h, "2 days ago"},
		{2*d + 12*h, "3 days ago"},
		{6 * d, "6 days ago"},
		{6*d + 23*h, "6 days ago"}, // rounds to 7, clamped
		{7*d - time.Nanosecond, "6 days ago"},
		{7 * d, "15-07-2025"},
		{13*d + 12*h, "09-07-2025"},
		{400 * d, "17-06-2024"},
		{-59 * s, "a few seconds ago"}, // clock skew
		{-m, "a few seconds ago"},
		{-m - time.Nanosecond, "22-07-2025"},
		{-3 * d, "25-07-2025"},
	}
	for _, tt := range tests {
		tm := now.Add(-tt.ago)
		if got := RelTime(tm, now); got != tt.want {
			t.Errorf("RelTime(now-%v, now) = %q, want %q", tt.ago, got, tt.want)
		}
	}
}

// TestRelTimeLocation checks that a date is shown in the viewer's (now's)
// location, not the article's: 23:30 UTC is already the next day in Moscow.
func TestRelTimeLocation(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	now := time.Date(2025, 7, 30, 12, 0, 0, 0, msk)
	tm := time.Date(2025, 7, 9, 23, 30, 0, 0, time.UTC)
	if got, want := RelTime(tm, now), "10-07-2025"; got != want {
		t.Errorf("RelTime(%v, %v) = %q, want %q", tm, now, got, want)
	}
}
