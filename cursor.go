package taglines

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxCursorLen bounds the token ParseCursor accepts; the longest token
// String produces is well under it, so anything longer is junk and is
// rejected before decoding.
const maxCursorLen = 96

// Bounds of a cursor's Unix seconds: years 1 to 9999, what RFC 3339 and the
// databases can hold. Beyond them time.Time arithmetic wraps silently, and a
// wrapped instant would sort before every article.
const (
	minCursorUnix = -62135596800 // 0001-01-01T00:00:00Z, the zero time.Time
	maxCursorUnix = 253402300799 // 9999-12-31T23:59:59Z
)

// String returns c as an opaque, URL-safe token (unpadded base64url) for a
// query parameter such as ?before=. ParseCursor(c.String()) returns a cursor
// at the same instant with the same ID; the time keeps full nanosecond
// precision, so a page boundary between articles published within the same
// microsecond is not lost. A nil cursor returns "".
func (c *Cursor) String() string {
	if c == nil {
		return ""
	}
	// Seconds and nanoseconds rather than UnixNano: UnixNano overflows
	// outside 1678..2262, and a cursor must round-trip whatever a store holds.
	raw := strconv.FormatInt(c.PublishedAt.Unix(), 10) + "." +
		strconv.Itoa(c.PublishedAt.Nanosecond()) + "." +
		strconv.FormatInt(c.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// ParseCursor parses a token made by Cursor.String. The returned cursor's
// PublishedAt is in UTC. Every error wraps ErrInvalid: an empty, overlong,
// malformed or non-canonical token, a negative ID or a time outside years
// 1 to 9999,
// so a caller can map a bad page link to a client error.
func ParseCursor(s string) (*Cursor, error) {
	if s == "" || len(s) > maxCursorLen {
		return nil, fmt.Errorf("cursor of %d bytes: %w", len(s), ErrInvalid)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("cursor %q: %w", s, ErrInvalid)
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("cursor %q: %w", s, ErrInvalid)
	}
	sec, err1 := strconv.ParseInt(parts[0], 10, 64)
	nsec, err2 := strconv.ParseInt(parts[1], 10, 64)
	id, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || nsec < 0 || nsec >= int64(time.Second) || id < 0 ||
		sec < minCursorUnix || sec > maxCursorUnix {
		return nil, fmt.Errorf("cursor %q: %w", s, ErrInvalid)
	}
	c := &Cursor{PublishedAt: time.Unix(sec, nsec).UTC(), ID: id}
	// Only the canonical spelling is accepted ("+1" and "01" are not), so
	// every valid token names exactly one position and vice versa.
	if c.String() != s {
		return nil, fmt.Errorf("cursor %q is not canonical: %w", s, ErrInvalid)
	}
	return c, nil
}
