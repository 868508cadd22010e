package taglines

import (
	"encoding/base64"
	"errors"
	"math"
	"testing"
	"time"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		c    Cursor
	}{
		{"typical", Cursor{PublishedAt: time.Date(2025, 7, 21, 9, 30, 0, 0, time.UTC), ID: 42}},
		{"nanoseconds", Cursor{PublishedAt: time.Date(2025, 7, 21, 9, 30, 0, 123456789, time.UTC), ID: 1}},
		{"other zone", Cursor{PublishedAt: time.Date(2025, 7, 21, 12, 30, 0, 0, time.FixedZone("MSK", 3*3600)), ID: 7}},
		{"id zero", Cursor{PublishedAt: time.Unix(1_700_000_000, 0), ID: 0}},
		{"max id", Cursor{PublishedAt: time.Unix(1_700_000_000, 0), ID: math.MaxInt64}},
		{"before 1970", Cursor{PublishedAt: time.Date(1969, 12, 31, 23, 59, 59, 500, time.UTC), ID: 3}},
		{"zero time", Cursor{ID: 9}},
		{"far future", Cursor{PublishedAt: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), ID: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.c.String()
			got, err := ParseCursor(s)
			if err != nil {
				t.Fatalf("ParseCursor(%q) error: %v", s, err)
			}
			if !got.PublishedAt.Equal(tt.c.PublishedAt) || got.ID != tt.c.ID {
				t.Errorf("ParseCursor(%q) = %v/%d, want %v/%d", s, got.PublishedAt, got.ID, tt.c.PublishedAt, tt.c.ID)
			}
			if got.PublishedAt.Location() != time.UTC {
				t.Errorf("ParseCursor(%q).PublishedAt in %v, want UTC", s, got.PublishedAt.Location())
			}
		})
	}
}

func TestCursorStringURLSafe(t *testing.T) {
	c := &Cursor{PublishedAt: time.Date(2025, 7, 21, 9, 30, 0, 999, time.UTC), ID: 1234567}
	for _, r := range c.String() {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			t.Fatalf("Cursor.String() = %q contains %q, want base64url only", c.String(), r)
		}
	}
	if got := (*Cursor)(nil).String(); got != "" {
		t.Errorf("(*Cursor)(nil).String() = %q, want \"\"", got)
	}
}

func TestParseCursorInvalid(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"not base64", "!!!"},
		{"padded", base64.URLEncoding.EncodeToString([]byte("1.0.1"))},
		{"std alphabet", "+/+/"},
		{"two parts", enc("1700000000.5")},
		{"four parts", enc("1.2.3.4")},
		{"letters", enc("abc.0.1")},
		{"negative id", enc("1700000000.0.-1")},
		{"nanos too big", enc("1700000000.1000000000.1")},
		{"negative nanos", enc("1700000000.-1.1")},
		{"plus sign", enc("+1700000000.0.1")},
		{"leading zero", enc("01700000000.0.1")},
		{"seconds overflow", enc("9223372036854775807.0.1")},
		{"year 10000", enc("253402300800.0.1")},
		{"before year 1", enc("-62135596801.0.1")},
		{"id overflow", enc("1.0.9223372036854775808")},
		{"spaces", enc(" 1.0.1")},
		{"too long", string(make([]byte, 200))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCursor(tt.in)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("ParseCursor(%q) = %v, %v; want error wrapping ErrInvalid", tt.in, c, err)
			}
		})
	}
}

// FuzzParseCursor checks that every token ParseCursor accepts is the
// canonical String of the cursor it returns, and that String always
// round-trips, so a page link can never drift to a different position.
func FuzzParseCursor(f *testing.F) {
	f.Add((&Cursor{PublishedAt: time.Date(2025, 7, 21, 9, 30, 0, 0, time.UTC), ID: 42}).String(), int64(1_753_090_200), int64(0), int64(42))
	f.Add("MTc1MzA5MDIwMC4wLjQy", int64(-1), int64(999999999), int64(0))
	f.Add("junk", int64(0), int64(1), int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, sec, nsec, id int64) {
		if c, err := ParseCursor(s); err == nil {
			if got := c.String(); got != s {
				t.Errorf("ParseCursor(%q).String() = %q, want the input", s, got)
			}
		} else if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseCursor(%q) error %v does not wrap ErrInvalid", s, err)
		}

		if id < 0 {
			id = -(id + 1)
		}
		// Fold the inputs into the range a cursor can hold.
		const span = maxCursorUnix - minCursorUnix + 1
		sec = minCursorUnix + (sec%span+span)%span
		nsec = (nsec%int64(time.Second) + int64(time.Second)) % int64(time.Second)
		want := &Cursor{PublishedAt: time.Unix(sec, nsec), ID: id}
		got, err := ParseCursor(want.String())
		if err != nil {
			t.Fatalf("ParseCursor(%q) error: %v", want.String(), err)
		}
		if !got.PublishedAt.Equal(want.PublishedAt) || got.ID != want.ID {
			t.Errorf("ParseCursor(%q) = %v/%d, want %v/%d", want.String(), got.PublishedAt, got.ID, want.PublishedAt, want.ID)
		}
	})
}
