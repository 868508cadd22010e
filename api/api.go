// Package api serves the taglines JSON API under /api/v1/: articles by tag,
// all articles, the top tags and the health of the sources.
//
// Listings are newest first and paged by an opaque cursor: each response's
// "next_cursor" is passed back as ?cursor= and is null on the last page.
// Times are RFC 3339 in UTC, or null when unset. Errors are
// {"error": "..."} with status 400 (bad cursor or limit), 404, 405 or 500.
package api

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/cache"
)

// Page sizes: DefaultPageSize when neither Options nor ?limit= set one; no
// response lists more than MaxLimit items.
const (
	DefaultPageSize   = 50
	MaxLimit          = 200
	DefaultExcerptLen = 1500
)

// topTagsWindow is how far back /api/v1/tags counts, matching the web home page.
const topTagsWindow = 7 * 24 * time.Hour

// Options configures the handler returned by New. The zero value is usable:
// every zero field takes its default.
type Options struct {
	Logger *slog.Logger // receives one record per 500; default discards
	// ResponseCache, if positive, is how long a public read's answer is
	// served again to clients asking for the same URL; Generation, if set,
	// tells the store's writes apart, and a write ends every kept answer.
	ResponseCache time.Duration
	Generation    func() uint64

	Now        func() time.Time // the clock for the top tags' window; default time.Now
	PageSize   int              // items per page without ?limit=; default DefaultPageSize, at most MaxLimit
	ExcerptLen int              // bytes of the "excerpt" field; default DefaultExcerptLen
	// Canonical maps a tag alias to its canonical name; nil resolves names
	// as they are.
	Canonical taglines.Canonicalizer

	// Token is the bearer token of the write endpoints (source settings,
	// tag rules, undoing a merge); empty turns them off.
	Token string
	// ValidateRules checks a source's extraction rules before they are
	// stored; nil accepts any.
	ValidateRules func([]byte) error
	// ValidateTopic checks a topic rule's syntax before it is stored; nil
	// accepts any.
	ValidateTopic func(tag, rule string) error
	// Retag, if set, starts re-tagging the stored articles in the
	// background after a tag rule changed.
	Retag func()
	// Split undoes a wrong merge of an article (out of its version group,
	// or out of its story); nil turns the endpoint off.
	Split func(ctx context.Context, id int64, story bool) ([]taglines.Group, error)
	// RateLimit is how many reads a second one client address may make
	// (with bursts of RateBurst); 0 turns the limit off. Loopback clients
	// are never limited: benchmarks and a local reverse proxy, which
	// should limit by the real client itself.
	RateLimit float64
	RateBurst int
}

// handler serves the API; it holds no mutable state after New, so it is
// safe for concurrent use.
type handler struct {
	store     taglines.Store
	log       *slog.Logger
	now       func() time.Time
	pageSize  int
	excerpt   int
	canonical taglines.Canonicalizer
	mux       *http.ServeMux

	token         string
	validateRules func([]byte) error
	validateTopic func(tag, rule string) error
	retag         func()
	splitArticle  func(ctx context.Context, id int64, story bool) ([]taglines.Group, error)
	limiter       *limiter
	responses     *cache.Responses // nil: every read answered anew
}

// New returns the JSON API handler for store. It expects requests with their
// full path, so it is mounted as mux.Handle("/api/", api.New(...)). Routes:
//
//	GET /api/v1/tags/{tag}/articles?cursor=&limit=  articles with a tag ({tag}: slug or name, any case)
//	GET /api/v1/articles?cursor=&limit=             all articles
//	GET /api/v1/search?q=&sort=&cursor=&limit=      a search in the topic rule language, by relevance or newest
//	GET /api/v1/tags?limit=                         top tags of the last 7 days, with counts
//	GET /api/v1/sources                             every source with its health
//	GET /api/v1/tags/trending, /api/v1/tags/{tag}/related
//	GET /api/v1/tag-rules                           the operators' tag rules
//
// With Options.Token set, operators' writes, with "Authorization: Bearer":
//
//	PUT    /api/v1/sources/{id}             {"title","folder","rules","prefer_feed"}
//	PUT    /api/v1/tag-rules                {"kind":"alias|merge|block","name","target"}
//	DELETE /api/v1/tag-rules/{kind}/{name}
//	POST   /api/v1/articles/{id}/split[?story=1]
//
// limit must be an integer from 1 to MaxLimit. The handler is safe for
// concurrent use.
func New(store taglines.Store, opts Options) http.Handler {
	h := &handler{
		store:     store,
		log:       opts.Logger,
		now:       opts.Now,
		pageSize:  opts.PageSize,
		excerpt:   opts.ExcerptLen,
		canonical: opts.Canonical,

		token:         opts.Token,
		validateRules: opts.ValidateRules,
		validateTopic: opts.ValidateTopic,
		retag:         opts.Retag,
		splitArticle:  opts.Split,
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.pageSize <= 0 {
		h.pageSize = DefaultPageSize
	}
	h.pageSize = min(h.pageSize, MaxLimit)
	if h.excerpt <= 0 {
		h.excerpt = DefaultExcerptLen
	}
	h.limiter = newLimiter(opts.RateLimit, opts.RateBurst)
	if opts.ResponseCache > 0 {
		h.responses = cache.NewResponses(opts.ResponseCache, opts.Generation)
	}
	h.mux = http.NewServeMux()
	// A path with one route carries no method in its pattern, so that
	// its handler answers other methods with a 405 in JSON.
	routes, paths := h.routes(), map[string]int{}
	for _, rt := range routes {
		paths[rt.path]++
	}
	for _, rt := range routes {
		pattern := rt.path
		if paths[rt.path] > 1 {
			pattern = cmp.Or(rt.method, http.MethodGet) + " " + rt.path
		}
		h.mux.Handle(pattern, rt.handler)
	}
	// The catch-all keeps the mux's plain-text 404 out of the API.
	h.mux.Handle("/", h.get(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusNotFound, "no such endpoint: "+r.URL.Path, nil)
	}))
	return h
}

// route is one endpoint: its method ("" for GET and HEAD: reads) and
// path pattern, as the OpenAPI document lists them.
type route struct {
	method, path string
	handler      http.Handler
}

func (h *handler) routes() []route {
	return []route{
		{"", "/api/openapi.json", h.get(h.openAPI)},
		{"", "/api/v1/tags/{tag}/articles", h.get(h.tagArticles)},
		{"", "/api/v1/articles", h.get(h.articles)},
		{"", "/api/v1/articles/{id}", h.get(h.oneArticle)},
		{"", "/api/v1/search", h.get(h.search)},
		{"", "/api/v1/tags", h.get(h.topTags)},
		{"", "/api/v1/tags/trending", h.get(h.trending)},
		{"", "/api/v1/tags/{tag}/related", h.get(h.related)},
		{"", "/api/v1/sources", h.get(h.sources)},
		{http.MethodPut, "/api/v1/sources/{id}", h.operator(http.MethodPut, h.setSource)},
		{http.MethodGet, "/api/v1/tag-rules", h.get(h.tagRules)},
		{http.MethodPut, "/api/v1/tag-rules", h.operator(http.MethodPut, h.setTagRule)},
		{http.MethodDelete, "/api/v1/tag-rules/{kind}/{name}", h.operator(http.MethodDelete, h.deleteTagRule)},
		{http.MethodPost, "/api/v1/articles/{id}/split", h.operator(http.MethodPost, h.split)},
	}
}

// Routes lists the API's endpoints as "METHOD /path" (reads as GET), for
// the test that holds the OpenAPI document against them.
func Routes() []string {
	var out []string
	for _, rt := range (&handler{}).routes() {
		out = append(out, cmp.Or(rt.method, http.MethodGet)+" "+rt.path)
	}
	return out
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
}

// get restricts f to GET and HEAD (and answers CORS preflights for them):
// the public reads, open to other origins and rate-limited per client.
func (h *handler) get(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			hd.Set("Access-Control-Allow-Methods", "GET, HEAD")
			hd.Set("Access-Control-Allow-Headers", "If-None-Match")
			hd.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			hd.Set("Allow", "GET, HEAD")
			h.fail(w, r, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed", nil)
			return
		}
		if wait, ok := h.limiter.allow(r); !ok {
			hd.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			h.fail(w, r, http.StatusTooManyRequests, "too many requests: retry after "+hd.Get("Retry-After")+" s", nil)
			return
		}
		hd.Set("Access-Control-Expose-Headers", "ETag")
		if h.responses != nil {
			h.responses.Serve(w, r, "", f)
			return
		}
		f(w, r)
	})
}

// Wire types. Field names are the API's contract; change them only with a
// new version prefix.
type (
	tagJSON struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	}
	sourceRefJSON struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	articleJSON struct {
		ID        int64         `json:"id"`
		URL       string        `json:"url"`
		Title     string        `json:"title"`
		Source    sourceRefJSON `json:"source"`
		Section   string        `json:"section"`
		Published string        `json:"published"`
		Author    string        `json:"author"`
		Language  string        `json:"language"`
		Image     string        `json:"image"`
		Excerpt   string        `json:"excerpt"`
		Text      string        `json:"text"`
		Tags      []tagJSON     `json:"tags"`
		// Story grouping: the first version this one repeats (null if
		// none), the story's ID, the versions folded into this entry and
		// the sources covering the story.
		DuplicateOf  *int64 `json:"duplicate_of"`
		Story        *int64 `json:"story"`
		Versions     int    `json:"versions"`
		StorySources int    `json:"story_sources"`
	}
	articlesJSON struct {
		Tag        *tagJSON      `json:"tag,omitempty"`
		Articles   []articleJSON `json:"articles"`
		NextCursor *string       `json:"next_cursor"`
	}
	tagCountJSON struct {
		Name  string `json:"name"`
		Slug  string `json:"slug"`
		Count int    `json:"count"`
	}
	topTagsJSON struct {
		Since string         `json:"since"`
		Tags  []tagCountJSON `json:"tags"`
	}
	sourceJSON struct {
		ID                  int64   `json:"id"`
		Name                string  `json:"name"`
		URL                 string  `json:"url"`
		Title               string  `json:"title"`
		SiteURL             string  `json:"site_url"`
		CreatedAt           *string `json:"created_at"`
		LastAttemptAt       *string `json:"last_attempt_at"`
		LastSuccessAt       *string `json:"last_success_at"`
		Status              string  `json:"status"`
		HTTPStatus          *int    `json:"http_status"`
		LastError           string  `json:"last_error"`
		ConsecutiveFailures int     `json:"consecutive_failures"`
		Failing             bool    `json:"failing"`
		NextPollAt          *string `json:"next_poll_at"`
		ArticleCount        int     `json:"article_count"`
		// ItemsPerDay is the publishing rate seen in the feed; null if
		// not known yet.
		ItemsPerDay *float64 `json:"items_per_day"`
		// RefusedItems and Warning: the feed items the last successful
		// fetch refused, and why.
		RefusedItems int    `json:"refused_items"`
		Warning      string `json:"warning"`
	}
	sourcesJSON struct {
		Sources []sourceJSON `json:"sources"`
	}
	errorJSON struct {
		Error string `json:"error"`
	}
)

func (h *handler) tagArticles(w http.ResponseWriter, r *http.Request) {
	q, ok := h.query(w, r)
	if !ok {
		return
	}
	t, err := taglines.LookupTag(r.Context(), h.store, r.PathValue("tag"), h.canonical)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, fmt.Sprintf("tag %q not found", r.PathValue("tag")), nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	q.Tag = t.Slug
	h.list(w, r, q, &tagJSON{Name: t.Name, Slug: t.Slug})
}

// oneArticle serves GET /api/v1/articles/{id}.
func (h *handler) oneArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, http.StatusNotFound, fmt.Sprintf("article %q not found", r.PathValue("id")), nil)
		return
	}
	a, err := h.store.Article(r.Context(), id)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, fmt.Sprintf("article %d not found", id), nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	h.write(w, r, http.StatusOK, h.article(a))
}

func (h *handler) articles(w http.ResponseWriter, r *http.Request) {
	if q, ok := h.query(w, r); ok {
		h.list(w, r, q, nil)
	}
}

// query reads ?cursor= and ?limit=; on bad input it writes the 400 and
// returns false.
func (h *handler) query(w http.ResponseWriter, r *http.Request) (taglines.ArticleQuery, bool) {
	// One entry per version group, as on the pages; ?versions=all lists
	// every version.
	q := taglines.ArticleQuery{Collapse: r.URL.Query().Get("versions") != "all"}
	limit, ok := h.limit(w, r)
	if !ok {
		return q, false
	}
	q.Limit = limit
	if s := r.URL.Query().Get("cursor"); s != "" {
		c, err := taglines.ParseCursor(s)
		if err != nil {
			h.fail(w, r, http.StatusBadRequest, "invalid cursor", nil)
			return q, false
		}
		q.Before = c
	}
	return q, true
}

func (h *handler) limit(w http.ResponseWriter, r *http.Request) (int, bool) {
	s := r.URL.Query().Get("limit")
	if s == "" {
		return h.pageSize, true
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		h.fail(w, r, http.StatusBadRequest, fmt.Sprintf("limit must be an integer from 1 to %d", MaxLimit), nil)
		return 0, false
	}
	return n, true
}

func (h *handler) list(w http.ResponseWriter, r *http.Request, q taglines.ArticleQuery, tag *tagJSON) {
	limit := q.Limit
	// One more than asked tells whether a next page exists, so the last
	// page says null rather than handing out a cursor to an empty page.
	q.Limit++
	arts, err := h.store.Articles(r.Context(), q)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := articlesJSON{Tag: tag, Articles: make([]articleJSON, 0, min(len(arts), limit))}
	if len(arts) > limit {
		arts = arts[:limit]
		next := taglines.CursorAfter(arts[len(arts)-1]).String()
		out.NextCursor = &next
	}
	for _, a := range arts {
		out.Articles = append(out.Articles, h.article(a))
	}
	h.write(w, r, http.StatusOK, out)
}

func (h *handler) article(a *taglines.Article) articleJSON {
	j := articleJSON{
		ID:        a.ID,
		URL:       a.URL,
		Title:     a.Title,
		Source:    sourceRefJSON{ID: a.SourceID, Name: a.SourceName},
		Section:   cmp.Or(a.Section, taglines.DefaultSection),
		Published: a.PublishedAt.UTC().Format(time.RFC3339),
		Author:    a.Author,
		Language:  a.Language,
		Image:     a.ImageURL,
		Excerpt:   a.Excerpt(h.excerpt),
		Text:      a.Text,
		Tags:      make([]tagJSON, 0, len(a.Tags)),

		Versions:     a.Versions,
		StorySources: a.StorySources,
	}
	if a.DuplicateOf != 0 {
		j.DuplicateOf = &a.DuplicateOf
	}
	if a.Cluster != 0 {
		j.Story = &a.Cluster
	}
	for _, t := range a.Tags {
		j.Tags = append(j.Tags, tagJSON{Name: t.Name, Slug: t.Slug})
	}
	return j
}

func (h *handler) topTags(w http.ResponseWriter, r *http.Request) {
	limit, ok := h.limit(w, r)
	if !ok {
		return
	}
	since := h.now().Add(-topTagsWindow).UTC()
	top, err := h.store.TopTags(r.Context(), since, limit)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := topTagsJSON{Since: since.Format(time.RFC3339), Tags: make([]tagCountJSON, 0, len(top))}
	for _, t := range top {
		out.Tags = append(out.Tags, tagCountJSON{Name: t.Name, Slug: t.Slug, Count: t.Count})
	}
	h.write(w, r, http.StatusOK, out)
}

// scoredTagsJSON lists ranked tags: related ones with their lift-based
// score, trending ones with their rise over their baseline.
type scoredTagsJSON struct {
	Tag  *tagJSON        `json:"tag,omitempty"`
	Tags []scoredTagJSON `json:"tags"`
}

type scoredTagJSON struct {
	Name  string  `json:"name"`
	Slug  string  `json:"slug"`
	Count int     `json:"count"`
	Score float64 `json:"score"`
}

func scored(tags []taglines.ScoredTag) []scoredTagJSON {
	out := make([]scoredTagJSON, 0, len(tags))
	for _, t := range tags {
		out = append(out, scoredTagJSON{Name: t.Name, Slug: t.Slug, Count: t.Count, Score: t.Score})
	}
	return out
}

func (h *handler) trending(w http.ResponseWriter, r *http.Request) {
	limit, ok := h.limit(w, r)
	if !ok {
		return
	}
	tags, err := taglines.TrendingTags(r.Context(), h.store, h.now(), limit)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	h.write(w, r, http.StatusOK, scoredTagsJSON{Tags: scored(tags)})
}

func (h *handler) related(w http.ResponseWriter, r *http.Request) {
	limit, ok := h.limit(w, r)
	if !ok {
		return
	}
	t, err := taglines.LookupTag(r.Context(), h.store, r.PathValue("tag"), h.canonical)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, fmt.Sprintf("tag %q not found", r.PathValue("tag")), nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	tags, err := taglines.RelatedTags(r.Context(), h.store, t, h.now().Add(-taglines.RelatedWindow), limit)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	h.write(w, r, http.StatusOK, scoredTagsJSON{Tag: &tagJSON{Name: t.Name, Slug: t.Slug}, Tags: scored(tags)})
}

func (h *handler) sources(w http.ResponseWriter, r *http.Request) {
	srcs, err := h.store.Sources(r.Context())
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := sourcesJSON{Sources: make([]sourceJSON, 0, len(srcs))}
	for _, s := range srcs {
		j := sourceJSON{
			ID:                  s.ID,
			Name:                s.Name(),
			URL:                 s.URL,
			Title:               s.Title,
			SiteURL:             s.SiteURL,
			CreatedAt:           timeOrNull(s.CreatedAt),
			LastAttemptAt:       timeOrNull(s.LastAttemptAt),
			LastSuccessAt:       timeOrNull(s.LastSuccessAt),
			Status:              string(s.Status),
			LastError:           s.LastError,
			ConsecutiveFailures: s.ConsecutiveFailures,
			Failing:             s.Failing(),
			NextPollAt:          timeOrNull(s.NextPollAt),
			ArticleCount:        s.ArticleCount,
			RefusedItems:        s.RefusedItems,
			Warning:             s.Warning,
		}
		// FetchNever is the empty string; spell it out for clients.
		if s.Status == taglines.FetchNever {
			j.Status = "never"
		}
		if s.HTTPStatus != 0 {
			j.HTTPStatus = &s.HTTPStatus
		}
		if s.ItemsPerDay >= 0 {
			j.ItemsPerDay = &s.ItemsPerDay
		}
		out.Sources = append(out.Sources, j)
	}
	h.write(w, r, http.StatusOK, out)
}

func timeOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// storeError answers a failed store call: ErrNotFound and ErrInvalid are the
// client's, anything else is ours and is logged.
func (h *handler) storeError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, taglines.ErrNotFound):
		h.fail(w, r, http.StatusNotFound, "not found", nil)
	case errors.Is(err, taglines.ErrInvalid):
		h.fail(w, r, http.StatusBadRequest, "invalid request", nil)
	default:
		h.fail(w, r, http.StatusInternalServerError, "internal error", err)
	}
}

// fail writes {"error": msg}; a non-nil cause is logged, once, here, and
// never sent to the client.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, msg string, cause error) {
	if cause != nil {
		level := slog.LevelError
		if errors.Is(r.Context().Err(), context.Canceled) {
			level = slog.LevelDebug // the client left; not our failure
		}
		h.log.LogAttrs(r.Context(), level, "api request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Any("err", cause))
	}
	h.write(w, r, status, errorJSON{Error: msg})
}

func (h *handler) write(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		// Only a programming error (an unencodable type) gets here.
		h.log.LogAttrs(r.Context(), slog.LevelError, "encode response",
			slog.String("path", r.URL.Path), slog.Any("err", err))
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error"}` + "\n")
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	if status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		// A read answers If-None-Match with 304; clients revalidate.
		sum := sha256.Sum256(buf.Bytes())
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		hd.Set("ETag", etag)
		hd.Set("Cache-Control", "no-cache")
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the client left; nothing to report
}

// etagMatch reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
