package testpub

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// FaultKind names a way a publisher misbehaves.
type FaultKind string

// The fault kinds. A fault applies to every request to the publisher's
// host: its feed, its pages, its home page.
const (
	// FaultNone: the publisher behaves.
	FaultNone FaultKind = ""
	// FaultSlow delays each response by Fault.Delay, then answers normally.
	// A request whose context ends first gets no response.
	FaultSlow FaultKind = "slow"
	// FaultStatus answers Fault.Status (a 5xx; default 503) with a short
	// plain-text body.
	FaultStatus FaultKind = "status"
	// FaultTooManyRequests answers 429 with a Retry-After header of
	// Fault.RetryAfter in whole seconds (default 120).
	FaultTooManyRequests FaultKind = "too-many-requests"
	// FaultMalformed answers 200 with the normal body broken: a closing
	// tag misspelt and the body truncated to two thirds, so no XML or JSON
	// parser accepts a feed.
	FaultMalformed FaultKind = "malformed"
	// FaultWrongEncoding answers 200 with the normal body in the wrong
	// encoding: windows-1251 bytes declared as UTF-8, or with
	// Fault.Reverse UTF-8 bytes declared as windows-1251 (in Content-Type
	// and in the XML declaration or meta charset).
	FaultWrongEncoding FaultKind = "wrong-encoding"
	// FaultHuge answers 200 with the resource's content type and
	// Fault.Size bytes (default 64 MiB) of junk, generated as it streams
	// and sent without Content-Length.
	FaultHuge FaultKind = "huge"
	// FaultRedirectLoop answers 302 with a Location of the request's own
	// URL.
	FaultRedirectLoop FaultKind = "redirect-loop"
	// FaultGone answers Fault.Status: 410 (default) or 404.
	FaultGone FaultKind = "gone"
)

// Fault is how a publisher misbehaves; the zero value is no fault. The
// fields beyond Kind matter only to the kinds that name them.
type Fault struct {
	Kind       FaultKind
	Delay      time.Duration // FaultSlow
	Status     int           // FaultStatus (5xx), FaultGone (404 or 410)
	RetryAfter time.Duration // FaultTooManyRequests
	Size       int64         // FaultHuge, in bytes
	Reverse    bool          // FaultWrongEncoding: UTF-8 bytes declared windows-1251
}

// Default sizes of faults.
const (
	DefaultHugeSize   = 64 << 20
	DefaultRetryAfter = 120 * time.Second
)

// validate reports whether f is a fault the network can play.
func (f Fault) validate() error {
	switch f.Kind {
	case FaultNone, FaultMalformed, FaultWrongEncoding, FaultRedirectLoop:
	case FaultSlow:
		if f.Delay < 0 {
			return fmt.Errorf("testpub: fault %s: negative delay", f.Kind)
		}
	case FaultStatus:
		if f.Status != 0 && (f.Status < 500 || f.Status > 599) {
			return fmt.Errorf("testpub: fault %s: status %d is not 5xx", f.Kind, f.Status)
		}
	case FaultGone:
		if f.Status != 0 && f.Status != http.StatusNotFound && f.Status != http.StatusGone {
			return fmt.Errorf("testpub: fault %s: status %d is not 404 or 410", f.Kind, f.Status)
		}
	case FaultTooManyRequests:
		if f.RetryAfter < 0 {
			return fmt.Errorf("testpub: fault %s: negative Retry-After", f.Kind)
		}
	case FaultHuge:
		if f.Size < 0 {
			return fmt.Errorf("testpub: fault %s: negative size", f.Kind)
		}
	default:
		return fmt.Errorf("testpub: unknown fault kind %q", f.Kind)
	}
	return nil
}

// answer writes the response of a status-like fault and reports true, or
// reports false for faults that shape a normal response (or none).
func (f *Fault) answer(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	switch f.Kind {
	case FaultStatus:
		code := f.Status
		if code == 0 {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, http.StatusText(code), code)
	case FaultTooManyRequests:
		ra := f.RetryAfter
		if ra == 0 {
			ra = DefaultRetryAfter
		}
		h.Set("Retry-After", strconv.FormatInt(int64((ra+time.Second-1)/time.Second), 10))
		http.Error(w, "Too many requests, slow down", http.StatusTooManyRequests)
	case FaultGone:
		code := f.Status
		if code == 0 {
			code = http.StatusGone
		}
		http.Error(w, http.StatusText(code), code)
	case FaultRedirectLoop:
		h.Set("Location", "http://"+r.Host+r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
	default:
		return false
	}
	return true
}

// wait sleeps for a slow fault and reports false if ctx ended first.
func (f *Fault) wait(ctx context.Context) bool {
	if f.Kind != FaultSlow || f.Delay <= 0 {
		return true
	}
	t := time.NewTimer(f.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reshape applies a content fault to a rendered body and its content type.
func (f *Fault) reshape(body []byte, contentType string) ([]byte, string) {
	switch f.Kind {
	case FaultMalformed:
		b := bytes.Replace(body, []byte("</title>"), []byte("</titel>"), 2)
		return b[:len(b)*2/3], contentType
	case FaultWrongEncoding:
		if f.Reverse {
			b := bytes.Replace(body, []byte(`encoding="UTF-8"`), []byte(`encoding="windows-1251"`), 1)
			b = bytes.Replace(b, []byte(`<meta charset="utf-8">`), []byte(`<meta charset="windows-1251">`), 1)
			return b, replaceCharset(contentType, "windows-1251")
		}
		enc := encoding.ReplaceUnsupported(charmap.Windows1251.NewEncoder())
		b, err := enc.Bytes(body)
		if err != nil {
			return body, contentType
		}
		return b, contentType
	}
	return body, contentType
}

func replaceCharset(contentType, charset string) string {
	if i := strings.IndexByte(contentType, ';'); i >= 0 {
		contentType = contentType[:i]
	}
	return contentType + "; charset=" + charset
}

// junk is the repeating filler of FaultHuge, made on first use: 38 KB
// that no command but testpub needs.
var junk = sync.OnceValue(func() []byte {
	return bytes.Repeat([]byte("<item><title>lorem ipsum dolor sit amet</title><description>consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore</description>\n"), 256)
})

// stream writes a huge body of size bytes, stopping early if the client
// goes away.
func (f *Fault) stream(ctx context.Context, w http.ResponseWriter, contentType string) {
	size := f.Size
	if size == 0 {
		size = DefaultHugeSize
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	head := []byte(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>junk</title>` + "\n")
	for written := int64(0); written < size; {
		if ctx.Err() != nil {
			return
		}
		chunk := junk()
		if written == 0 {
			chunk = head
		}
		if rem := size - written; int64(len(chunk)) > rem {
			chunk = chunk[:rem]
		}
		n, err := w.Write(chunk)
		written += int64(n)
		if err != nil {
			return
		}
	}
}
