package testpub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Network. The zero value is usable.
type Options struct {
	// Addr is the listen address; it must be on loopback. Empty means
	// "127.0.0.1:0", a free port.
	Addr string
	// FeedItems caps the items of each feed, newest first; <= 0 lists all
	// of a publisher's articles.
	FeedItems int
}

// Requests counts a Network's responses by kind since Start (or the last
// ResetRequests). Every response is counted exactly once.
type Requests struct {
	FeedOK          int64 // feeds answered 200
	FeedNotModified int64 // feeds answered 304
	PageOK          int64 // article pages answered 200
	PageNotModified int64 // article pages answered 304
	// Errors counts unknown hosts and paths (404), responses shaped by a
	// fault (every kind but FaultSlow, whose delayed answers count as
	// normal) and slow requests abandoned by the client.
	Errors int64
	Other  int64 // home pages, robots.txt and images
}

// Total returns the number of responses counted.
func (r Requests) Total() int64 {
	return r.FeedOK + r.FeedNotModified + r.PageOK + r.PageNotModified + r.Errors + r.Other
}

type counters struct {
	feedOK, feed304, pageOK, page304, errors, other atomic.Int64
}

// Network is a running set of publishers behind one loopback listener.
// Its methods are safe for concurrent use.
type Network struct {
	opts      Options
	ln        net.Listener
	srv       *http.Server
	addr      string // the listener's host:port
	port      string
	pubs      []*Publisher
	sites     map[string]*site // by lower-case host name
	byPub     map[*Publisher]*site
	transport *http.Transport
	counts    counters
}

// site is a publisher's serving state.
type site struct {
	pub    *Publisher
	items  []*Article // newest first
	byPath map[string]int
	fault  atomic.Pointer[Fault]

	feedOnce sync.Once
	feed     []byte
	feedETag string
	feedMod  time.Time // newest item in the feed; zero if none
}

// Start validates pubs, fills in their empty Host names (lower-casing the
// others) and empty article paths, and serves them on one listener until
// Close. It returns an error if
// opts.Addr is not a loopback address or cannot be listened on, if a
// publisher has no Name, an unknown Format or Layout or an invalid Fault,
// or if host names or article paths within a publisher collide.
func Start(pubs []*Publisher, opts Options) (*Network, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("testpub: listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("testpub: listen address %q is not on loopback", addr)
	}
	n := &Network{
		opts:  opts,
		sites: make(map[string]*site, len(pubs)),
		byPub: make(map[*Publisher]*site, len(pubs)),
	}
	for i, p := range pubs {
		if err := n.add(p); err != nil {
			return nil, fmt.Errorf("testpub: publisher %d: %w", i, err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("testpub: %w", err)
	}
	n.ln = ln
	n.addr = ln.Addr().String()
	_, n.port, _ = net.SplitHostPort(n.addr)
	n.transport = &http.Transport{
		Proxy:               nil, // never leave loopback, whatever the environment says
		DialContext:         n.DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     30 * time.Second,
	}
	n.srv = &http.Server{Handler: n, ReadHeaderTimeout: 10 * time.Second}
	go n.srv.Serve(ln) //nolint:errcheck // returns ErrServerClosed on Close
	return n, nil
}

func (n *Network) add(p *Publisher) error {
	if p == nil || p.Name == "" {
		return errors.New("no name")
	}
	if p.Host == "" {
		p.Host = slug(p.Name, 6) + ".localhost"
	}
	p.Host = strings.ToLower(p.Host)
	if p.Format == "" {
		p.Format = RSS2
	}
	if p.Format.Path() == "" {
		return fmt.Errorf("%s: unknown feed format %q", p.Name, p.Format)
	}
	if p.Layout < 0 || int(p.Layout) >= len(Layouts) {
		return fmt.Errorf("%s: unknown layout %d", p.Name, p.Layout)
	}
	if err := p.Fault.validate(); err != nil {
		return fmt.Errorf("%s: %w", p.Name, err)
	}
	if _, dup := n.sites[p.Host]; dup {
		return fmt.Errorf("%s: host %s used twice", p.Name, p.Host)
	}
	if _, dup := n.byPub[p]; dup {
		return fmt.Errorf("%s: listed twice", p.Name)
	}
	s := &site{pub: p, items: make([]*Article, len(p.Articles)), byPath: make(map[string]int, len(p.Articles))}
	for i := range p.Articles {
		a := &p.Articles[i]
		if a.Path == "" {
			a.Path = p.Layout.articlePath(a, i+1)
		}
		if !strings.HasPrefix(a.Path, "/") || a.Path == "/" {
			return fmt.Errorf("%s: article %q: path %q", p.Name, a.Title, a.Path)
		}
		s.items[i] = a
	}
	sort.SliceStable(s.items, func(i, j int) bool { return s.items[i].Published.After(s.items[j].Published) })
	for i, a := range s.items {
		if _, dup := s.byPath[a.Path]; dup {
			return fmt.Errorf("%s: path %s used twice", p.Name, a.Path)
		}
		s.byPath[a.Path] = i
	}
	f := p.Fault
	s.fault.Store(&f)
	n.sites[p.Host] = s
	n.byPub[p] = s
	n.pubs = append(n.pubs, p)
	return nil
}

// Addr returns the listener's address, "127.0.0.1:port".
func (n *Network) Addr() string { return n.addr }

// Publishers returns the network's publishers in Start's order.
func (n *Network) Publishers() []*Publisher {
	return slices.Clone(n.pubs)
}

// Close stops the listener, ends open connections (and with them the
// contexts of requests in flight) and the Client transport's idle
// connections.
func (n *Network) Close() error {
	err := n.srv.Close()
	n.transport.CloseIdleConnections()
	return err
}

// DialContext connects to the network's listener for any address whose host
// is one of the network's publishers (whatever the port) or the listener's
// own address, and returns an error for every other address: a transport
// using it cannot reach anything but this network. Its signature fits
// http.Transport.DialContext.
func (n *Network) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("testpub: dial %s: %w", addr, err)
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if _, ok := n.sites[host]; !ok && addr != n.addr {
		return nil, fmt.Errorf("testpub: dial %s: host is not on this network", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", n.addr)
}

// OPMLPath is where the listener's own address (not a publisher's host)
// serves the OPML list of every publisher's feed.
const OPMLPath = "/opml.xml"

// OPML returns the subscription list of every publisher's feed, in
// publisher order, as an OPML 2.0 document.
func (n *Network) OPML() []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\"><head><title>testpub</title></head><body>\n")
	for _, p := range n.Publishers() {
		fmt.Fprintf(&b, "<outline type=\"rss\" text=\"%s\" title=\"%s\" xmlUrl=\"%s\" htmlUrl=\"%s\"/>\n",
			escape(p.Name), escape(p.Name), escape(n.FeedURL(p)), escape(n.HomeURL(p)))
	}
	b.WriteString("</body></opml>\n")
	return []byte(b.String())
}

// Client returns an HTTP client whose transport (shared by all Clients of n)
// dials through DialContext and ignores proxy settings. It follows
// redirects like http.DefaultClient (at most ten) and has no timeout.
func (n *Network) Client() *http.Client {
	return &http.Client{Transport: n.transport}
}

func (n *Network) base(p *Publisher) string {
	return "http://" + p.Host + ":" + n.port
}

// HomeURL returns the URL of p's home page, "http://host:port/".
func (n *Network) HomeURL(p *Publisher) string { return n.base(p) + "/" }

// FeedURL returns the URL of p's feed, e.g.
// "http://russia-today.localhost:PORT/feed.xml".
func (n *Network) FeedURL(p *Publisher) string { return n.base(p) + p.Format.Path() }

// ArticleURL returns the URL of a's page on p: p's host and port and
// a.Path.
func (n *Network) ArticleURL(p *Publisher, a *Article) string { return n.base(p) + a.Path }

// SetFault switches p's fault; requests that arrive afterwards see it.
// It returns an error if p is not on n or f is invalid (for instance a
// FaultStatus with a status outside 5xx).
func (n *Network) SetFault(p *Publisher, f Fault) error {
	s := n.byPub[p]
	if s == nil {
		return fmt.Errorf("testpub: SetFault: publisher %q is not on this network", p.Name)
	}
	if err := f.validate(); err != nil {
		return err
	}
	s.fault.Store(&f)
	return nil
}

// Requests returns the response counts so far.
func (n *Network) Requests() Requests {
	return Requests{
		FeedOK:          n.counts.feedOK.Load(),
		FeedNotModified: n.counts.feed304.Load(),
		PageOK:          n.counts.pageOK.Load(),
		PageNotModified: n.counts.page304.Load(),
		Errors:          n.counts.errors.Load(),
		Other:           n.counts.other.Load(),
	}
}

// ResetRequests sets every count to zero.
func (n *Network) ResetRequests() {
	c := &n.counts
	for _, v := range []*atomic.Int64{&c.feedOK, &c.feed304, &c.pageOK, &c.page304, &c.errors, &c.other} {
		v.Store(0)
	}
}

// resource is one thing a site serves.
type resource struct {
	kind        int // kindFeed, kindPage, kindOther
	contentType string
	etag        string
	modified    time.Time // zero: no Last-Modified
	render      func() []byte
}

const (
	kindFeed = iota
	kindPage
	kindOther
)

// ServeHTTP dispatches on the Host header. Exported for http.Server; tests
// may also call it directly with httptest.
func (n *Network) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	s := n.sites[strings.TrimSuffix(host, ".")]
	if s == nil && r.Host == n.addr && r.URL.Path == OPMLPath {
		// The listener's own address lists the network, so a process
		// that did not start it can subscribe to it.
		n.counts.other.Add(1)
		w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
		_, _ = w.Write(n.OPML())
		return
	}
	if s == nil {
		n.counts.errors.Add(1)
		http.Error(w, "testpub: unknown host "+host, http.StatusNotFound)
		return
	}
	f := s.fault.Load()
	if !f.wait(r.Context()) {
		n.counts.errors.Add(1)
		return
	}
	if f.answer(w, r) {
		n.counts.errors.Add(1)
		return
	}
	res := n.resolve(s, r.URL.Path)
	if res == nil {
		n.counts.errors.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "<!DOCTYPE html><html lang=\"en\"><head><title>Page not found | %s</title></head><body><h1>Page not found</h1><p><a href=\"/\">Home</a></p></body></html>\n", escape(s.pub.Name))
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		n.counts.errors.Add(1)
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch f.Kind {
	case FaultHuge:
		n.counts.errors.Add(1)
		f.stream(r.Context(), w, res.contentType)
		return
	case FaultMalformed, FaultWrongEncoding:
		n.counts.errors.Add(1)
		body, ct := f.reshape(res.render(), res.contentType)
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			w.Write(body) //nolint:errcheck // the client went away
		}
		return
	}

	h := w.Header()
	if res.etag != "" {
		h.Set("ETag", res.etag)
	}
	if !res.modified.IsZero() {
		h.Set("Last-Modified", res.modified.UTC().Format(http.TimeFormat))
	}
	h.Set("Cache-Control", "max-age=60")
	if notModified(r, res) {
		n.count(res.kind, true)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := res.render()
	h.Set("Content-Type", res.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	n.count(res.kind, false)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(body) //nolint:errcheck // the client went away
	}
}

func (n *Network) count(kind int, notModified bool) {
	c := &n.counts
	switch {
	case kind == kindFeed && notModified:
		c.feed304.Add(1)
	case kind == kindFeed:
		c.feedOK.Add(1)
	case kind == kindPage && notModified:
		c.page304.Add(1)
	case kind == kindPage:
		c.pageOK.Add(1)
	default:
		c.other.Add(1)
	}
}

// notModified implements RFC 9110's precedence: If-None-Match when present,
// else If-Modified-Since.
func notModified(r *http.Request, res *resource) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if res.etag == "" {
			return false
		}
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == strings.TrimPrefix(res.etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !res.modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !res.modified.Truncate(time.Second).After(t)
	}
	return false
}

// resolve finds what path names on s, or nil.
func (n *Network) resolve(s *site, path string) *resource {
	p := s.pub
	switch {
	case path == p.Format.Path():
		s.feedOnce.Do(func() { n.renderFeed(s) })
		return &resource{kind: kindFeed, contentType: p.Format.ContentType(), etag: s.feedETag, modified: s.feedMod,
			render: func() []byte { return s.feed }}
	case path == "/":
		s.feedOnce.Do(func() { n.renderFeed(s) })
		return &resource{kind: kindOther, contentType: "text/html; charset=utf-8", etag: `"h` + s.feedETag[1:], modified: s.feedMod,
			render: func() []byte { return n.renderHome(s) }}
	case path == "/robots.txt":
		return &resource{kind: kindOther, contentType: "text/plain; charset=utf-8", etag: `"robots"`,
			render: func() []byte { return []byte("User-agent: *\nAllow: /\n") }}
	case strings.HasPrefix(path, "/images/") && strings.HasSuffix(path, ".jpg"):
		return &resource{kind: kindOther, contentType: "image/jpeg", etag: `"img1"`, render: placeholderJPEG}
	}
	i, ok := s.byPath[path]
	if !ok {
		return nil
	}
	a := s.items[i]
	etag := fmt.Sprintf(`"p%016x"`, hash64(p.Host, n.port, a.Path, a.Published.String(), a.Title, p.Layout.String(), pageVersion))
	return &resource{kind: kindPage, contentType: "text/html; charset=utf-8", etag: etag, modified: a.Published,
		render: func() []byte { return n.renderPage(s, i) }}
}

// pageVersion changes whenever page markup changes, so ETags do too.
const pageVersion = "1"

var placeholderJPEG = sync.OnceValue(func() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 90))
	for y := 0; y < 90; y++ {
		for x := 0; x < 160; x++ {
			img.Set(x, y, color.RGBA{uint8(60 + x/2), uint8(80 + y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 60}); err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return b.Bytes()
})
