// Package web serves the taglines HTML pages: the latest articles, the tag
// page "Latest news with #Tag", and the health of the sources.
//
// Pages are rendered on the server from embedded html/template files and
// one embedded stylesheet; they need no JavaScript and load nothing from
// other origins. The handler assumes it is mounted at the site root.
package web

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/cache"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

//go:embed static/time.js
var timeJS []byte

//go:embed static/icon.svg
var iconSVG []byte

// Defaults applied by New to zero Options fields.
const (
	DefaultSiteName   = "taglines"
	DefaultPageSize   = 20
	DefaultExcerptLen = 1500
)

// topTagsWindow and topTagsLimit shape the home page's tag list: a week of
// articles is enough to show what is in the news without stale stories.
const (
	topTagsWindow = 7 * 24 * time.Hour
	topTagsLimit  = 30
)

// stylePath is where the stylesheet is served; pages link it with a content
// hash in the query so it can be cached for a long time yet change on deploy.
const stylePath = "/static/style.css"

// Options configures the handler returned by New. The zero value is usable:
// every zero field takes its default.
type Options struct {
	Logger     *slog.Logger     // receives one record per failed request; default discards
	Now        func() time.Time // the clock for relative times; default time.Now
	SiteName   string           // shown in titles and the header; default DefaultSiteName
	PageSize   int              // articles per page; default DefaultPageSize
	ExcerptLen int              // excerpt bytes per article; default DefaultExcerptLen
	// Canonical maps a tag alias to its canonical name, so /tag/Kiev shows
	// #Kyiv; nil resolves names as they are.
	Canonical taglines.Canonicalizer
	// Token is the operators' token: with it, a search page offers to
	// save the search as a topic (the form asks for the token). Empty
	// turns saving off.
	Token string
	// ValidateTopic checks a topic before it is saved; nil accepts any
	// rule that parses.
	ValidateTopic func(tag, rule string) error
	// Retag, if set, re-tags the stored articles in the background after
	// a topic was saved.
	Retag func()
	// BaseURL ("https://news.example") makes the absolute links of feeds;
	// empty takes the scheme and host of each request.
	BaseURL string
	// PageCache, if positive, is how long a rendered page or feed is
	// served again to the readers asking for the same one (a second or
	// two: relative times stay right); Generation, if set, tells the
	// store's writes apart, and a write ends every kept page at once.
	PageCache  time.Duration
	Generation func() uint64
}

// handler serves the pages; it holds no mutable state after New, so it is
// safe for concurrent use.
type handler struct {
	store     taglines.Store
	log       *slog.Logger
	now       func() time.Time
	site      string
	pageSize  int
	excerpt   int
	canonical taglines.Canonicalizer
	pages     map[string]map[string]*template.Template // by locale, then page
	styleHref string
	styleETag string
	mux       *http.ServeMux
	pageCache *cache.Responses // nil: pages are rendered for every request

	token         string
	validateTopic func(tag, rule string) error
	retag         func()
	baseOverride  string
}

// New returns the HTML handler for store. Routes:
//
//	GET /                 latest articles, top stories, sections, top and trending tags
//	GET /tag/{tag}        "Latest news with #Tag"; {tag} is a slug or name, any case
//	GET /article/{id}     one article: clean text, tags, its versions and its story's sources
//	GET /source/{id}      one source's articles and health
//	GET /section/{name}   one section's articles
//	GET /story/{id}       every article of one story
//	GET /tags             the tag directory (A–Z or ?sort=count, ?q= filters)
//	GET /sources          the sources and their fetch health
//	GET /search?q=        a search in the topic rule language (&sort=newest, &cursor=)
//	POST /search/topic    save a search as a topic (operators: the form carries the token)
//	GET /healthz          200 "ok", without touching the store
//	GET /static/style.css the stylesheet
//
// Tag, section, source, story and search pages have feeds at their path
// plus .rss (RSS 2.0), .atom (Atom 1.0) or .json (JSON Feed 1.1):
// /tag/UkrainianConflict.atom, /search.rss?q=Lavrov.
//
// Listings page with ?before=<taglines.Cursor>; a malformed cursor is a 400.
// Unknown paths and tags are 404 pages, other methods 405; a store error is
// a 500 page and one log record. Every response carries a strict
// Content-Security-Policy and X-Content-Type-Options: nosniff.
// The handler is safe for concurrent use.
func New(store taglines.Store, opts Options) http.Handler {
	h := &handler{
		store:     store,
		log:       opts.Logger,
		now:       opts.Now,
		site:      opts.SiteName,
		pageSize:  opts.PageSize,
		excerpt:   opts.ExcerptLen,
		canonical: opts.Canonical,

		token:         opts.Token,
		validateTopic: opts.ValidateTopic,
		retag:         opts.Retag,
		baseOverride:  strings.TrimRight(opts.BaseURL, "/"),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.site == "" {
		h.site = DefaultSiteName
	}
	if h.pageSize <= 0 {
		h.pageSize = DefaultPageSize
	}
	if h.excerpt <= 0 {
		h.excerpt = DefaultExcerptLen
	}
	sum := sha256.Sum256(styleCSS)
	h.styleETag = `"` + hex.EncodeToString(sum[:8]) + `"`
	h.styleHref = stylePath + "?v=" + hex.EncodeToString(sum[:8])
	h.pages = make(map[string]map[string]*template.Template)
	for code, loc := range locales() {
		h.pages[code] = parsePages(loc)
	}

	if opts.PageCache > 0 {
		h.pageCache = cache.NewResponses(opts.PageCache, opts.Generation)
	}
	h.mux = http.NewServeMux()
	// Patterns carry no method so that get can answer 405 with our page;
	// the catch-all "/" turns the mux's plain-text 404 into ours too.
	h.mux.Handle("/{$}", h.get(h.home))
	h.mux.Handle("/tag/{tag}", h.get(h.tag))
	h.mux.Handle("/article/{id}", h.get(h.article))
	h.mux.Handle("/source/{id}", h.get(h.source))
	h.mux.Handle("/section/{name}", h.get(h.section))
	h.mux.Handle("/tags", h.get(h.tags))
	h.mux.Handle("/sources", h.get(h.sources))
	h.mux.Handle("/search", h.get(h.search))
	for format := range feedTypes {
		h.mux.Handle("/search."+format, h.get(h.searchFeed(format)))
	}
	h.mux.Handle("/search/topic", http.HandlerFunc(h.saveTopic))
	h.mux.Handle("/story/{id}", h.get(h.story))
	h.mux.Handle("/healthz", h.get(h.healthz))
	h.mux.Handle(stylePath, h.get(h.style))
	icon := h.get(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeContent(w, r, "icon.svg", time.Time{}, bytes.NewReader(iconSVG))
	})
	h.mux.Handle("/static/icon.svg", icon)
	h.mux.Handle("/favicon.ico", icon) // browsers ask for it whatever the page says
	h.mux.Handle("/static/time.js", h.get(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.ServeContent(w, r, "time.js", time.Time{}, bytes.NewReader(timeJS))
	}))
	h.mux.Handle("/", h.get(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusNotFound, "There is no page at %s.", nil, r.URL.Path)
	}))
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Everything the pages load comes from this origin, and nothing else
	// may frame them or redirect their forms.
	hd.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	// Pages speak the reader's language; caches must key on its sources.
	hd.Add("Vary", "Accept-Language, Cookie")
	loc := pickLocale(w, r)
	r = r.WithContext(withLocale(r.Context(), loc))
	if h.pageCache != nil && !strings.HasPrefix(r.URL.Path, "/static/") && r.URL.Path != "/healthz" {
		h.pageCache.Serve(w, r, loc.Code, h.mux)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// get restricts f to GET and HEAD.
func (h *handler) get(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			h.fail(w, r, http.StatusMethodNotAllowed, "This page can only be read.", nil)
			return
		}
		f(w, r)
	})
}

// parsePages parses every page for one locale: "t" translates a message,
// "section" a section's name.
func parsePages(loc *locale) map[string]*template.Template {
	funcs := template.FuncMap{"t": loc.T, "section": loc.Section}
	pages := make(map[string]*template.Template)
	for _, name := range []string{"home", "tag", "story", "sources", "error", "search", "article", "source", "section", "tags"} {
		// Each page gets its own set because each defines "content".
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/entries.html", "templates/"+name+".html"))
	}
	return pages
}

// page is what layout.html renders; Body is the page's own view.
type page struct {
	Site      string
	Title     string
	StyleHref string
	Canonical string
	Query     string // the search box's text
	Feeds     []feedLink
	Body      any

	Lang       string // "en" or "ru"
	OtherLangs []langLink
}

type langLink struct{ Code, Name, Href string }

// entry is one article as the stream shows it, in the reference order:
// source, time, section, source again (as a tag when the article has it),
// title, excerpt; then the article's tags.
type entry struct {
	Source     string
	SourceHref string // the source's tag page, or "" if the article lacks that tag
	When       string // RelTime
	Datetime   string // RFC 3339, for <time datetime>
	Exact      string // the full date and time, for the tooltip
	Section    string
	Title      string
	URL        string // the original
	Href       string // the article's page here
	Excerpt    string
	// TitleHTML and ExcerptHTML replace Title and Excerpt on search
	// pages: escaped by the store's highlighter, matches in <mark>.
	TitleHTML, ExcerptHTML template.HTML
	Tags                   []tagLink
	// Versions counts the other versions of the story's text (re-titled,
	// updated, syndicated) folded into this entry; Sources the sources
	// covering the story; StoryHref lists them, "" if there is nothing
	// more to see.
	Versions  int
	Sources   int
	StoryHref string
}

type tagLink struct {
	Name  string
	Href  string
	Count int
}

type listing struct {
	Tag      taglines.Tag
	Sections []tagLink // front page: the sections of the last month
	Stories  []entry   // front page: the last day's stories with the most sources
	TopTags  []tagLink
	Trending []tagLink // front page: tags rising well above their own baseline
	Related  []tagLink // tag page: tags seen with this one more than chance
	Entries  []entry
	Newest   string // link back to the first page, when on a later one
	Older    string // link to the next page, if there is one
	// EmptyText replaces "No articles yet." when there are none.
	EmptyText string
}

// relatedLimit is how many related tags a tag page lists.
const relatedLimit = 12

func (h *handler) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "ok\n") // a failed write means the client left
}

func (h *handler) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("ETag", h.styleETag)
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.ServeContent(w, r, "style.css", time.Time{}, bytes.NewReader(styleCSS))
}

func (h *handler) home(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	before, ok := h.cursor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	top, err := h.store.TopTags(ctx, now.Add(-topTagsWindow), topTagsLimit)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	l, err := h.listing(ctx, "/", "", before, now)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if before == nil {
		for _, t := range top {
			l.TopTags = append(l.TopTags, tagLink{Name: t.Name, Href: tagHref(t.Tag), Count: t.Count})
		}
		trending, err := taglines.TrendingTags(ctx, h.store, now, topTagsLimit)
		if err != nil {
			h.storeError(w, r, err)
			return
		}
		for _, t := range trending {
			l.Trending = append(l.Trending, tagLink{Name: t.Name, Href: tagHref(t.Tag), Count: t.Count})
		}
		counts, err := h.store.SectionCounts(ctx, now.Add(-sectionsWindow))
		if err != nil {
			h.storeError(w, r, err)
			return
		}
		l.Sections = sectionLinks(counts)
		if l.Stories, err = h.topStories(ctx, now); err != nil {
			h.storeError(w, r, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "home", page{Title: localeOf(ctx).T("Latest news"), Canonical: "/", Body: l})
}

func (h *handler) tag(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	before, ok := h.cursor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	name, format := feedSuffix(r.PathValue("tag"))
	t, err := taglines.LookupTag(ctx, h.store, name, h.canonical)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, "No article carries the tag %s.", nil, "#"+strings.TrimLeft(name, "#"))
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if format != "" {
		h.feed(w, r, format, feedMeta{Title: "Latest news with " + t.String(), Page: tagHref(t), Path: tagHref(t)},
			taglines.ArticleQuery{Tag: t.Slug, Collapse: true})
		return
	}
	l, err := h.listing(ctx, tagHref(t), t.Slug, before, now)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	l.Tag = t
	if before == nil {
		related, err := taglines.RelatedTags(ctx, h.store, t, now.Add(-taglines.RelatedWindow), relatedLimit)
		if err != nil {
			h.storeError(w, r, err)
			return
		}
		for _, rt := range related {
			l.Related = append(l.Related, tagLink{Name: rt.Name, Href: tagHref(rt.Tag), Count: rt.Count})
		}
	}
	title := localeOf(ctx).T("Latest news with %s", t.String())
	h.render(w, r, http.StatusOK, "tag", page{Title: title, Canonical: tagHref(t), Feeds: feedLinks(title, tagHref(t)), Body: l})
}

// cursor parses ?before=; on a malformed cursor it writes the 400 page and
// returns false.
func (h *handler) cursor(w http.ResponseWriter, r *http.Request) (*taglines.Cursor, bool) {
	s := r.URL.Query().Get("before")
	if s == "" {
		return nil, true
	}
	c, err := taglines.ParseCursor(s)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "This page link is malformed. Start again from the newest articles.", nil)
		return nil, false
	}
	return c, true
}

// listing reads one page of articles for path (tag slug, or "" for all).
func (h *handler) listing(ctx context.Context, path, tag string, before *taglines.Cursor, now time.Time) (*listing, error) {
	return h.list(ctx, path, taglines.ArticleQuery{Tag: tag, Collapse: true}, before, now)
}

// list pages through q; one entry per version group unless q lists a
// story.
func (h *handler) list(ctx context.Context, path string, q taglines.ArticleQuery, before *taglines.Cursor, now time.Time) (*listing, error) {
	// One more than a page tells whether an Older link leads anywhere.
	q.Before, q.Limit = before, h.pageSize+1
	arts, err := h.store.Articles(ctx, q)
	if err != nil {
		return nil, err
	}
	l := &listing{}
	if before != nil {
		l.Newest = path
	}
	if len(arts) > h.pageSize {
		arts = arts[:h.pageSize]
		l.Older = path + "?before=" + taglines.CursorAfter(arts[len(arts)-1]).String()
	}
	for _, a := range arts {
		l.Entries = append(l.Entries, h.entry(ctx, a, now))
	}
	return l, nil
}

func (h *handler) entry(ctx context.Context, a *taglines.Article, now time.Time) entry {
	e := entry{
		Source:   a.SourceName,
		When:     localeOf(ctx).relTime(a.PublishedAt, now),
		Datetime: a.PublishedAt.UTC().Format(time.RFC3339),
		Exact:    a.PublishedAt.In(now.Location()).Format("02-01-2006 15:04 MST"),
		Section:  cmp.Or(a.Section, taglines.DefaultSection),
		Title:    a.Title,
		URL:      a.URL,
		Href:     articleHref(a.ID),
		Excerpt:  a.Excerpt(h.excerpt),
	}
	if e.Title == "" {
		e.Title = a.URL
	}
	e.Versions, e.Sources = a.Versions, a.StorySources
	if a.Cluster != 0 && (a.Versions > 0 || a.StorySources > 1) {
		e.StoryHref = storyHref(a.Cluster)
	}
	// The reference repeats the source as a tag; link it only when the
	// article really carries that tag, so the link never leads to a 404.
	src, _ := taglines.NewTag(a.SourceName)
	for _, t := range a.Tags {
		e.Tags = append(e.Tags, tagLink{Name: t.Name, Href: tagHref(t)})
		if src.Slug != "" && t.Slug == src.Slug {
			e.SourceHref = tagHref(t)
		}
	}
	return e
}

type sourceRow struct {
	Href                 string // the source's page
	Name, URL, SiteURL   string
	LastFetch, LastExact string
	Status, StatusClass  string
	HTTPStatus           int
	Error                string
	Warning              string // refused feed items, see taglines.Source
	Failures             int
	Failing              bool
	NextPoll             string
	PerDay               string // publishing rate, "" if unknown
	Articles             int
}

func (h *handler) sources(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	srcs, err := h.store.Sources(r.Context())
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	rows := make([]sourceRow, 0, len(srcs))
	for _, s := range srcs {
		rows = append(rows, h.sourceRow(r.Context(), s, now))
	}
	h.render(w, r, http.StatusOK, "sources", page{Title: localeOf(r.Context()).T("Sources"), Canonical: "/sources", Body: rows})
}

// sourceRow is a source's health as the sources page shows it.
func (h *handler) sourceRow(ctx context.Context, s *taglines.Source, now time.Time) sourceRow {
	loc := localeOf(ctx)
	row := sourceRow{
		Href:       sourceHref(s.ID),
		Name:       s.Name(),
		URL:        s.URL,
		SiteURL:    s.SiteURL,
		LastFetch:  loc.T("never"),
		Status:     string(s.Status),
		HTTPStatus: s.HTTPStatus,
		Error:      s.LastError,
		Warning:    s.Warning,
		Failures:   s.ConsecutiveFailures,
		Failing:    s.Failing(),
		NextPoll:   "—",
		Articles:   s.ArticleCount,
	}
	if s.ItemsPerDay >= 0 {
		row.PerDay = strconv.FormatFloat(s.ItemsPerDay, 'f', 1, 64)
	}
	row.StatusClass = row.Status
	if row.Status == "" {
		row.Status, row.StatusClass = "never polled", "never"
	}
	if !s.LastAttemptAt.IsZero() {
		row.LastFetch = loc.relTime(s.LastAttemptAt, now)
		row.LastExact = s.LastAttemptAt.In(now.Location()).Format("02-01-2006 15:04:05 MST")
	}
	// RelTime speaks only of the past; the next poll is shown as a clock time.
	switch {
	case s.NextPollAt.IsZero():
	case !s.NextPollAt.After(now):
		row.NextPoll = loc.T("due")
	default:
		row.NextPoll = s.NextPollAt.In(now.Location()).Format("02-01-2006 15:04 MST")
	}
	return row
}

// storeError answers a failed store call: ErrNotFound and ErrInvalid are the
// client's, anything else is ours and is logged.
func (h *handler) storeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, taglines.ErrNotFound):
		h.fail(w, r, http.StatusNotFound, "Nothing is stored here.", nil)
	case errors.Is(err, taglines.ErrInvalid):
		h.fail(w, r, http.StatusBadRequest, "The request was not understood.", nil)
	default:
		h.fail(w, r, http.StatusInternalServerError, "Something went wrong on our side. Try again in a moment.", err)
	}
}

type errorView struct {
	Status  int
	Text    string
	Message string
}

// fail renders the error page with the message key (a format string of
// the catalogue) and its args, translated; a non-nil cause is logged,
// once, here.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, key string, cause error, args ...any) {
	if cause != nil {
		level := slog.LevelError
		if errors.Is(r.Context().Err(), context.Canceled) {
			level = slog.LevelDebug // the client left; not our failure
		}
		h.log.LogAttrs(r.Context(), level, "web request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Any("err", cause))
	}
	loc := localeOf(r.Context())
	v := errorView{Status: status, Text: loc.T(http.StatusText(status)), Message: loc.T(key, args...)}
	h.render(w, r, status, "error", page{Title: v.Text, Body: v})
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Site = h.site
	p.StyleHref = h.styleHref
	loc := localeOf(r.Context())
	p.Lang = loc.Code
	// The switch: this page in each other language.
	for _, code := range []string{"en", "ru"} {
		if code == loc.Code {
			continue
		}
		q := r.URL.Query()
		q.Set("lang", code)
		p.OtherLangs = append(p.OtherLangs, langLink{Code: code, Name: locales()[code].Name, Href: r.URL.Path + "?" + q.Encode()})
	}
	var buf bytes.Buffer
	if err := h.pages[loc.Code][name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "render page",
			slog.String("page", name), slog.String("path", r.URL.Path), slog.Any("err", err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if status == http.StatusOK {
		// A reader coming back to an unchanged page gets a 304: the page
		// names its content, and browsers ask again before reusing it.
		sum := sha256.Sum256(buf.Bytes())
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the client left; nothing to report
}

// tagHref is the path of t's page; the slug is escaped because tag names
// may hold any letter.
func tagHref(t taglines.Tag) string { return "/tag/" + url.PathEscape(t.Slug) }

// story lists every article of one story, versions included, newest
// first: Google News' "full coverage".
func (h *handler) story(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	name, format := feedSuffix(r.PathValue("id"))
	id, err := strconv.ParseInt(name, 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, http.StatusNotFound, "No such story.", nil)
		return
	}
	before, ok := h.cursor(w, r)
	if !ok {
		return
	}
	path := storyHref(id)
	if format != "" {
		h.feed(w, r, format, feedMeta{Title: "Full coverage", Page: path, Path: path, Missing: "No such story."}, taglines.ArticleQuery{Cluster: id})
		return
	}
	l, err := h.list(r.Context(), path, taglines.ArticleQuery{Cluster: id}, before, now)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if len(l.Entries) == 0 {
		h.fail(w, r, http.StatusNotFound, "No such story.", nil)
		return
	}
	for i := range l.Entries {
		l.Entries[i].StoryHref = "" // already here
	}
	title := localeOf(r.Context()).T("Full coverage: %s", l.Entries[len(l.Entries)-1].Title)
	h.render(w, r, http.StatusOK, "story", page{Title: title, Canonical: path, Feeds: feedLinks("Full coverage", path), Body: l})
}
