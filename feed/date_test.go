package feed

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ср, 16 июл 2025 11:26:10 +0300", "2025-07-16T11:26:10+03:00"},
		{"16 июля 2025 г. 11:26", "2025-07-16T11:26:00Z"},
		{"Mittwoch, 16. Juli 2025, 11:26", "2025-07-16T11:26:00Z"},
		{"16. Juli 2025", "2025-07-16T00:00:00Z"},
		{"mer., 16 juil. 2025 11:26:10 +0200", "2025-07-16T11:26:10+02:00"},
		{"16 de julio de 2025", "2025-07-16T00:00:00Z"},
		{"16 Jul 2025 11:26:10 EST", "2025-07-16T11:26:10-05:00"},
		{"Wed, 16 Jul 2025 11:26 PDT", "2025-07-16T11:26:00-07:00"},
		{"July 16, 2025", "2025-07-16T00:00:00Z"},
		{"2025-07-16 11:26:10", "2025-07-16T11:26:10Z"},
		{"16.07.2025 11:26", "2025-07-16T11:26:00Z"},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		want, _ := time.Parse(time.RFC3339, tt.want)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "soon after lunch", "32 Jul 2025"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want no date", bad, got)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	f.Add("Ср, 16 июл 2025 11:26:10 +0300")
	f.Add("16. Juli 2025")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseDate(s) // must not panic
	})
}
