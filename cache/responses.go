package cache

import (
	"bytes"
	"maps"
	"net/http"
	"sync"
	"time"
)

// Responses keeps the pages, feeds and API answers just written, for the
// clients who ask for the same one within a moment: at a million articles
// the data a popular page needs is cached (Store), and rendering it
// (templates, escaping twenty excerpts, JSON) was then most of its cost.
// A response is kept for its TTL at most, and only while the generation
// (Store.Generation) is the one it was written at; it is keyed by the
// caller's variant (a locale), scheme, host and URL, and never kept when it
// sets a cookie, is not a 200 or exceeds 1 MiB. Safe for concurrent use.
type Responses struct {
	ttl time.Duration
	gen func() uint64
	now func() time.Time
	max int

	mu    sync.Mutex
	pages map[string]*cachedPage
}

type cachedPage struct {
	header http.Header
	status int
	body   []byte
	at     time.Time
	gen    uint64
}

// maxCachedBody bounds one kept response; larger ones are served uncached.
const maxCachedBody = 1 << 20

// NewResponses keeps responses for ttl, ended early when gen (if not nil)
// changes.
func NewResponses(ttl time.Duration, gen func() uint64) *Responses {
	if gen == nil {
		gen = func() uint64 { return 0 }
	}
	// Ages are wall-clock time, whatever clock the pages show.
	return &Responses{ttl: ttl, gen: gen, now: time.Now, max: 2048, pages: map[string]*cachedPage{}}
}

func responseKey(r *http.Request, variant string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return variant + "\x00" + scheme + "://" + r.Host + r.URL.RequestURI()
}

// Serve answers a GET from the cache if it can; otherwise it runs next and
// keeps what next wrote. variant tells apart responses to one URL (the
// page's locale).
func (c *Responses) Serve(w http.ResponseWriter, r *http.Request, variant string, next http.Handler) {
	if r.Method != http.MethodGet {
		next.ServeHTTP(w, r)
		return
	}
	key, gen, now := responseKey(r, variant), c.gen(), c.now()
	c.mu.Lock()
	p := c.pages[key]
	c.mu.Unlock()
	if p != nil && p.gen == gen && now.Sub(p.at) < c.ttl {
		maps.Copy(w.Header(), p.header)
		if p.header.Get("ETag") != "" {
			// As the feed was served: a reader's If-None-Match gets a 304.
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p.body))
			return
		}
		w.WriteHeader(p.status)
		_, _ = w.Write(p.body)
		return
	}
	rec := &recorder{ResponseWriter: w}
	next.ServeHTTP(rec, r)
	if rec.status != http.StatusOK || rec.overflow || w.Header().Get("Set-Cookie") != "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= c.max {
		// Drop the expired first; if none, an eighth, as map order falls.
		for k, old := range c.pages {
			if now.Sub(old.at) >= c.ttl {
				delete(c.pages, k)
			}
		}
		for k := range c.pages {
			if len(c.pages) < c.max*7/8 {
				break
			}
			delete(c.pages, k)
		}
	}
	c.pages[key] = &cachedPage{header: w.Header().Clone(), status: rec.status, body: rec.buf.Bytes(), at: now, gen: gen}
}

// recorder passes a response through and keeps a copy of it.
type recorder struct {
	http.ResponseWriter
	status   int
	buf      bytes.Buffer
	overflow bool
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if !r.overflow {
		if r.buf.Len()+len(b) > maxCachedBody {
			r.overflow, r.buf = true, bytes.Buffer{}
		} else {
			r.buf.Write(b)
		}
	}
	return r.ResponseWriter.Write(b)
}
