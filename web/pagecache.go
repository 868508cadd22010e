package web

import (
	"bytes"
	"maps"
	"net/http"
	"sync"
	"time"
)

// pageCache keeps the pages and feeds just rendered, for the readers who
// ask for the same one within a moment: at a million articles the data a
// popular page needs is cached below (package cache), and rendering it
// (templates, escaping twenty excerpts) was then most of its cost. A page
// is kept for ttl at most, and only while the store's write generation
// (Options.Generation) is the one it was rendered at; it is keyed by
// locale, host and URL, and never kept when it sets a cookie or failed.
type pageCache struct {
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

func newPageCache(ttl time.Duration, gen func() uint64, now func() time.Time) *pageCache {
	if gen == nil {
		gen = func() uint64 { return 0 }
	}
	return &pageCache{ttl: ttl, gen: gen, now: now, max: 2048, pages: map[string]*cachedPage{}}
}

func cacheKey(r *http.Request, lang string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return lang + "\x00" + scheme + "://" + r.Host + r.URL.RequestURI()
}

// serve answers r from the cache if it can; otherwise it runs next and
// keeps what it wrote.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, lang string, next http.Handler) {
	if r.Method != http.MethodGet {
		next.ServeHTTP(w, r)
		return
	}
	key, gen, now := cacheKey(r, lang), c.gen(), c.now()
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
