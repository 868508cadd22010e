package dedup

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.rt.com/russia/621789-lavrov/?utm_source=rss&utm_medium=feed", "https://www.rt.com/russia/621789-lavrov/"},
		{"HTTPS://WWW.RT.COM:443/Russia/X#comments", "https://www.rt.com/Russia/X"},
		{"http://example.com:80", "http://example.com/"},
		{"https://example.com/a?b=2&a=1&fbclid=xyz", "https://example.com/a?a=1&b=2"},
		{"https://example.com/a?id=7", "https://example.com/a?id=7"},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "mailto:a@b.c", "/relative", "javascript:alert(1)"} {
		if got, err := CanonicalURL(bad); err == nil {
			t.Errorf("CanonicalURL(%q) = %q, want error", bad, got)
		}
	}
}

func FuzzCanonicalURL(f *testing.F) {
	f.Add("https://www.rt.com/russia/621789-lavrov/?utm_source=rss#x")
	f.Add("http://Example.COM:80/a?b=1&a=2")
	f.Fuzz(func(t *testing.T, raw string) {
		once, err := CanonicalURL(raw)
		if err != nil {
			return
		}
		twice, err := CanonicalURL(once)
		if err != nil || twice != once {
			t.Errorf("CanonicalURL not idempotent: %q → %q → %q (%v)", raw, once, twice, err)
		}
	})
}
