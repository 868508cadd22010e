package web_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
	"github.com/taglines/taglines/web"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// now is the tests' clock: the instant at which the reference fixture shows
// the relative times of the reference pages ("a day ago", "6 days ago",
// "09-07-2025").
func now() time.Time { return time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC) }

// referenceStore is a real store opened by open holding
// testdata/reference.json, written through the public write path. The
// store numbers the fixture's articles and sources as the file does.
func referenceStore(t *testing.T, open func(testing.TB) taglines.Store) *dbtest.Filled {
	t.Helper()
	st := dbtest.Fill(t, open(t), dbtest.ReadFixture(t, filepath.Join("testdata", "reference.json")))
	for fixture, stored := range st.ArticleIDs {
		if fixture != stored {
			t.Fatalf("fixture article %d stored as %d: the golden pages name the fixture's IDs", fixture, stored)
		}
	}
	return st
}

// add stores articles, failing t on an error.
func add(t *testing.T, st taglines.Store, arts ...*taglines.Article) {
	t.Helper()
	if _, err := st.AddArticles(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
}

// logCount counts the records logged through a handler built by newHandler.
type logCount struct{ buf bytes.Buffer }

func (l *logCount) lines() int { return strings.Count(l.buf.String(), "\n") }

func newHandler(t *testing.T, store taglines.Store, opts web.Options) (http.Handler, *logCount) {
	t.Helper()
	lc := &logCount{}
	opts.Logger = slog.New(slog.NewTextHandler(&lc.buf, nil))
	if opts.Now == nil {
		opts.Now = now
	}
	return web.New(store, opts), lc
}

type response struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, h http.Handler, target string) response {
	t.Helper()
	return do(t, h, http.MethodGet, target)
}

func do(t *testing.T, h http.Handler, method, target string) response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(context.Background(), method, target, nil))
	return response{rec.Code, rec.Header(), rec.Body.String()}
}

var (
	titleLinkRE = regexp.MustCompile(`<h2 class="title"><a href="([^"]+)" rel="noopener noreferrer">`)
	olderRE     = regexp.MustCompile(`<a class="older" rel="next" href="([^"]+)">`)
)

// articleURLs returns the article links of a page, in page order.
func articleURLs(body string) []string {
	var urls []string
	for _, m := range titleLinkRE.FindAllStringSubmatch(body, -1) {
		urls = append(urls, m[1])
	}
	return urls
}

// escape returns s as html/template writes it in element text.
func escape(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	if err := template.Must(template.New("").Parse("{{.}}")).Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// stored returns every article the store lists for tag, newest first.
func stored(t *testing.T, s taglines.Store, tag string) []*taglines.Article {
	t.Helper()
	arts, err := s.Articles(context.Background(), taglines.ArticleQuery{Tag: tag, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

func TestTagPage(t *testing.T) { forEachStore(t, testTagPage) }

func testTagPage(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	h, _ := newHandler(t, store, web.Options{})
	res := get(t, h, "/tag/ukrainianconflict")
	if res.status != http.StatusOK {
		t.Fatalf("GET /tag/ukrainianconflict = %d, want 200\n%s", res.status, res.body)
	}
	if want := "<h1>Latest news with #UkrainianConflict</h1>"; !strings.Contains(res.body, want) {
		t.Errorf("tag page lacks %q", want)
	}
	if want := "<title>Latest news with #UkrainianConflict · taglines</title>"; !strings.Contains(res.body, want) {
		t.Errorf("tag page lacks %q", want)
	}

	var want []string
	for _, a := range stored(t, store, "ukrainianconflict") {
		want = append(want, a.URL)
	}
	if got := articleURLs(res.body); !slices.Equal(got, want) {
		t.Errorf("tag page articles =\n%q\nwant newest first\n%q", got, want)
	}

	// The relative times and dates the reference page shows for these articles.
	for _, when := range []string{">a day ago<", ">2 days ago<", ">6 days ago<", ">09-07-2025<", ">30-06-2025<"} {
		if !strings.Contains(res.body, when) {
			t.Errorf("tag page lacks time %q", when)
		}
	}
	// One entry in the reference order: source, time, section, source as a tag, title, excerpt.
	entry := regexp.MustCompile(`(?s)<span class="source">Russia Today</span>\s*<a class="permalink" href="/article/\d+"[^>]*><time datetime="2025-07-21T09:00:00Z"[^>]*>a day ago</time></a>\s*` +
		`<span class="section">- Politics</span>\s*<a class="source-tag" href="/tag/russiatoday">- Russia Today</a>\s*</p>\s*` +
		`<h2 class="title"><a href="[^"]+" rel="noopener noreferrer">Moscow hopes ‘reasonable&#39; Trump will influence EU</a></h2>\s*` +
		`<p class="excerpt">Moscow hopes the &#39;reasonable&#39; position`)
	if !entry.MatchString(res.body) {
		t.Errorf("tag page lacks the first entry in reference layout; got\n%s", res.body)
	}
	// The source is linked only where the article carries its tag.
	if !strings.Contains(res.body, `<span class="source-tag">- South China Morning Post</span>`) {
		t.Errorf("tag page links a source tag the article does not carry")
	}
	if !strings.Contains(res.body, `<span class="section">- Business</span>`) {
		t.Errorf("tag page lacks section Business")
	}
	for _, chip := range []string{`<a href="/tag/vladimirputin">#VladimirPutin</a>`, `<a href="/tag/sergeylavrov">#SergeyLavrov</a>`} {
		if !strings.Contains(res.body, chip) {
			t.Errorf("tag page lacks tag link %s", chip)
		}
	}
	if strings.Contains(res.body, `class="older"`) {
		t.Errorf("tag page with fewer articles than a page has an Older link")
	}
}

func TestTagPageCaseInsensitive(t *testing.T) { forEachStore(t, testTagPageCaseInsensitive) }

func testTagPageCaseInsensitive(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	for _, path := range []string{"/tag/kremlin.ru", "/tag/Kremlin.ru", "/tag/KREMLIN.RU", "/tag/%23Kremlin.ru"} {
		res := get(t, h, path)
		if res.status != http.StatusOK || !strings.Contains(res.body, "<h1>Latest news with #Kremlin.ru</h1>") {
			t.Errorf("GET %s = %d without the #Kremlin.ru heading", path, res.status)
		}
		if !strings.Contains(res.body, `<link rel="canonical" href="/tag/kremlin.ru">`) {
			t.Errorf("GET %s lacks the canonical link to the slug", path)
		}
	}
}

func TestDefaultSection(t *testing.T) { forEachStore(t, testDefaultSection) }

func testDefaultSection(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	res := get(t, h, "/tag/kremlin.ru")
	// ABC News' "Senior Russian killed..." has no section in the fixture.
	re := regexp.MustCompile(`<span class="section">- News</span>\s*<span class="source-tag">- ABC News</span>\s*</p>\s*<h2 class="title"><a href="[^"]+" rel="noopener noreferrer">Senior Russian killed`)
	if !re.MatchString(res.body) {
		t.Errorf("article without a section is not shown as %q", "- "+taglines.DefaultSection)
	}
}

func TestExcerpt(t *testing.T) { forEachStore(t, testExcerpt) }

func testExcerpt(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	h, _ := newHandler(t, store, web.Options{ExcerptLen: 300})
	res := get(t, h, "/tag/kremlin.ru")
	for _, a := range stored(t, store, "kremlin.ru") {
		ex := a.Excerpt(300)
		if !strings.Contains(res.body, `<p class="excerpt">`+escape(t, ex)+`</p>`) {
			t.Errorf("tag page lacks the excerpt of %q: %q", a.Title, ex)
		}
		if len(a.Text) > 300 && strings.Contains(res.body, escape(t, a.Text)) {
			t.Errorf("tag page shows the whole text of %q, want a 300-byte excerpt", a.Title)
		}
	}
}

func TestEscaping(t *testing.T) { forEachStore(t, testEscaping) }

func testEscaping(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	add(t, store, &taglines.Article{
		SourceID:    store.SourceIDs[4],
		URL:         "https://www.abc.net.au/news/hostile/",
		Title:       `Kremlin <script>alert("title")</script> says`,
		Text:        `Body with <img src=x onerror=alert(1)> & <b>tags</b>.`,
		PublishedAt: now().Add(-30 * time.Second),
		Tags:        []taglines.Tag{{Slug: "kremlin.ru", Name: "Kremlin.ru"}, {Slug: `x"><script>`, Name: `X"><script>`}},
	})
	add(t, store, &taglines.Article{
		SourceID:    store.SourceIDs[4],
		URL:         "javascript:alert(1)",
		Title:       "Script URL",
		PublishedAt: now().Add(-40 * time.Second),
		Tags:        []taglines.Tag{{Slug: "kremlin.ru", Name: "Kremlin.ru"}},
	})
	h, _ := newHandler(t, store, web.Options{})
	res := get(t, h, "/tag/kremlin.ru")
	for _, bad := range []string{"<script>", "<img", "<b>", `href="javascript:`} {
		if strings.Contains(res.body, bad) {
			t.Errorf("tag page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{
		`Kremlin &lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; says`,
		`Body with &lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;tags&lt;/b&gt;.`,
		`<a href="/tag/x%22%3E%3Cscript%3E">#X&#34;&gt;&lt;script&gt;</a>`,
		">a few seconds ago<",
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("tag page lacks %q", want)
		}
	}
}

// TestPaging follows the Older links from the first page to the last and
// checks that they visit every article once, in order.
func TestPaging(t *testing.T) { forEachStore(t, testPaging) }

func testPaging(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	for _, tt := range []struct{ start, tag string }{
		{"/tag/ukrainianconflict", "ukrainianconflict"},
		{"/tag/Kremlin.ru", "kremlin.ru"},
		{"/", ""},
	} {
		for _, size := range []int{1, 2, 3, 5} {
			h, _ := newHandler(t, store, web.Options{PageSize: size})
			var got []string
			next, pages := tt.start, 0
			for next != "" {
				res := get(t, h, strings.ReplaceAll(next, "&amp;", "&"))
				if res.status != http.StatusOK {
					t.Fatalf("GET %s = %d, want 200", next, res.status)
				}
				urls := articleURLs(res.body)
				if len(urls) == 0 || len(urls) > size {
					t.Fatalf("GET %s shows %d articles, want 1..%d", next, len(urls), size)
				}
				if pages > 0 && !strings.Contains(res.body, `<a class="newest" href="`) {
					t.Errorf("GET %s: a later page lacks the Newest link", next)
				}
				got = append(got, urls...)
				next = ""
				if m := olderRE.FindStringSubmatch(res.body); m != nil {
					next = m[1]
				}
				if pages++; pages > 100 {
					t.Fatalf("paging %s does not end", tt.start)
				}
			}
			var want []string
			for _, a := range stored(t, store, tt.tag) {
				want = append(want, a.URL)
			}
			if !slices.Equal(got, want) {
				t.Errorf("paging %s by %d = %q, want each article once, newest first: %q", tt.start, size, got, want)
			}
		}
	}
}

func TestUnknownTag(t *testing.T) { forEachStore(t, testUnknownTag) }

func testUnknownTag(t *testing.T, open func(testing.TB) taglines.Store) {
	h, logs := newHandler(t, referenceStore(t, open), web.Options{})
	res := get(t, h, "/tag/NoSuchTag")
	if res.status != http.StatusNotFound {
		t.Fatalf("GET /tag/NoSuchTag = %d, want 404", res.status)
	}
	if !strings.Contains(res.body, "No article carries the tag #NoSuchTag.") {
		t.Errorf("404 page lacks a clear message:\n%s", res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("404 Content-Type = %q", ct)
	}
	if logs.lines() != 0 {
		t.Errorf("a 404 logged %d records, want none:\n%s", logs.lines(), logs.buf.String())
	}
}

func TestBadCursor(t *testing.T) { forEachStore(t, testBadCursor) }

func testBadCursor(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	for _, path := range []string{"/tag/kremlin.ru?before=junk", "/?before=MTIz", "/tag/kremlin.ru?before=%00"} {
		res := get(t, h, path)
		if res.status != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", path, res.status)
		}
		if !strings.Contains(res.body, "This page link is malformed.") {
			t.Errorf("GET %s: 400 page lacks its message", path)
		}
	}
}

func TestStoreError(t *testing.T) { forEachStore(t, testStoreError) }

func testStoreError(t *testing.T, open func(testing.TB) taglines.Store) {
	store := dbtest.Failing{Store: referenceStore(t, open), Err: errors.New("disk on fire")}
	h, logs := newHandler(t, store, web.Options{})
	for i, path := range []string{"/", "/tag/kremlin.ru", "/sources"} {
		res := get(t, h, path)
		if res.status != http.StatusInternalServerError {
			t.Errorf("GET %s = %d, want 500", path, res.status)
		}
		if strings.Contains(res.body, "disk on fire") {
			t.Errorf("GET %s: the 500 page shows the internal error", path)
		}
		if got := logs.lines(); got != i+1 {
			t.Errorf("after GET %s: %d log records, want one per failed request (%d)", path, got, i+1)
		}
	}
	if !strings.Contains(logs.buf.String(), "disk on fire") {
		t.Errorf("log lacks the cause: %s", logs.buf.String())
	}
	if res := get(t, h, "/healthz"); res.status != http.StatusOK || res.body != "ok\n" {
		t.Errorf("GET /healthz with a failing store = %d %q, want 200 ok", res.status, res.body)
	}
}

func TestNotFoundStoreError(t *testing.T) { forEachStore(t, testNotFoundStoreError) }

func testNotFoundStoreError(t *testing.T, open func(testing.TB) taglines.Store) {
	store := dbtest.Failing{Store: referenceStore(t, open), Err: taglines.ErrNotFound}
	h, logs := newHandler(t, store, web.Options{})
	if res := get(t, h, "/"); res.status != http.StatusNotFound {
		t.Errorf("GET / with store ErrNotFound = %d, want 404", res.status)
	}
	if logs.lines() != 0 {
		t.Errorf("ErrNotFound was logged: %s", logs.buf.String())
	}
}

func TestHeaders(t *testing.T) { forEachStore(t, testHeaders) }

func testHeaders(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	for _, path := range []string{"/", "/tag/kremlin.ru", "/sources", "/nope", "/tag/nope"} {
		res := get(t, h, path)
		if ct := res.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type = %q", path, ct)
		}
		if csp := res.header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy = %q", path, csp)
		}
		if got := res.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q", path, got)
		}
		// No asset from another origin: the CSP would block it anyway.
		if regexp.MustCompile(`(src|href)="(https?:)?//[^"]*"[^>]*>`).MatchString(strings.NewReplacer(`rel="noopener noreferrer"`, "").Replace(stripLinks(res.body))) {
			t.Errorf("GET %s loads an external asset", path)
		}
	}
	if res := get(t, h, "/nope"); res.status != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", res.status)
	}
}

// stripLinks removes <a> elements, which point elsewhere by design.
func stripLinks(body string) string {
	return regexp.MustCompile(`<a [^>]*>`).ReplaceAllString(body, "")
}

func TestMethodNotAllowed(t *testing.T) { forEachStore(t, testMethodNotAllowed) }

func testMethodNotAllowed(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	res := do(t, h, http.MethodPost, "/tag/kremlin.ru")
	if res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /tag/kremlin.ru = %d Allow %q, want 405 GET, HEAD", res.status, res.header.Get("Allow"))
	}
	if res := do(t, h, http.MethodHead, "/tag/kremlin.ru"); res.status != http.StatusOK {
		t.Errorf("HEAD /tag/kremlin.ru = %d, want 200", res.status)
	}
}

func TestHome(t *testing.T) { forEachStore(t, testHome) }

func testHome(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	h, _ := newHandler(t, store, web.Options{SiteName: "Wire", PageSize: 4})
	res := get(t, h, "/")
	if res.status != http.StatusOK {
		t.Fatalf("GET / = %d", res.status)
	}
	if !strings.Contains(res.body, "<title>Latest news · Wire</title>") {
		t.Errorf("home lacks its title with the site name")
	}
	top, err := store.TopTags(context.Background(), now().Add(-7*24*time.Hour), 30)
	if err != nil || len(top) == 0 {
		t.Fatalf("TopTags = %v, %v", top, err)
	}
	for _, tc := range top {
		chip := `<a href="/tag/` + tc.Slug + `">#` + escape(t, tc.Name) + ` <span class="count">`
		if !strings.Contains(res.body, chip) {
			t.Errorf("home lacks top tag %s", chip)
		}
	}
	// #UkrainianConflict's articles of 30-06 and 09-07 are older than a week.
	if strings.Contains(res.body, `<a href="/tag/ukrainianconflict">#UkrainianConflict <span class="count">5`) {
		t.Errorf("home counts tags older than 7 days")
	}
	var want []string
	for _, a := range stored(t, store, "")[:4] {
		want = append(want, a.URL)
	}
	if got := articleURLs(res.body); !slices.Equal(got, want) {
		t.Errorf("home articles = %q, want %q", got, want)
	}
}

func TestSourcesPage(t *testing.T) { forEachStore(t, testSourcesPage) }

func testSourcesPage(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	res := get(t, h, "/sources")
	if res.status != http.StatusOK {
		t.Fatalf("GET /sources = %d", res.status)
	}
	for _, want := range []string{
		`<a href="https://www.rt.com/" rel="noopener noreferrer">Russia Today</a>`,
		`<a href="https://www.rt.com/rss/news/" rel="noopener noreferrer">https://www.rt.com/rss/news/</a>`,
		`<span title="22-07-2025 11:50:00 UTC">10 minutes ago</span>`,
		`<tr class="failing">`,
		`<span class="status status-failed">failed</span>`,
		`<td class="num">503</td>`,
		`GET https://www.yahoo.com/news/rss: 503 Service Unavailable`,
		`<td class="num">3</td>`,
		`<span class="status status-never">never polled</span>`,
		`<td>never</td>`,
		`<td>due</td>`,
		`<td>22-07-2025 12:40 UTC</td>`,
		`<span class="status status-not_modified">not_modified</span>`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("sources page lacks %q", want)
		}
	}
}

func TestStyle(t *testing.T) { forEachStore(t, testStyle) }

func testStyle(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	page := get(t, h, "/")
	m := regexp.MustCompile(`<link rel="stylesheet" href="(/static/style\.css\?v=[0-9a-f]+)">`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("home does not link the stylesheet")
	}
	res := get(t, h, m[1])
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(res.body, ".entry") {
		t.Errorf("GET %s = %d %q", m[1], res.status, res.header.Get("Content-Type"))
	}
}

func TestTagPageGolden(t *testing.T) { forEachStore(t, testTagPageGolden) }

func testTagPageGolden(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{PageSize: 3})
	res := get(t, h, "/tag/kremlin.ru")
	golden := filepath.Join("testdata", "tag_page.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(res.body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if res.body != string(want) {
		t.Errorf("GET /tag/kremlin.ru differs from %s (run go test -update and review the diff):\n%s", golden, res.body)
	}
}

// TestStoryVersions folds the reference page's re-titled RT story into
// its first version: the tag page shows one entry saying so, and the
// story page lists both.
func TestStoryVersions(t *testing.T) { forEachStore(t, testStoryVersions) }

func testStoryVersions(t *testing.T, open func(testing.TB) taglines.Store) {
	store := referenceStore(t, open)
	ctx := context.Background()
	arts, err := store.Articles(ctx, taglines.ArticleQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var first, retitled *taglines.Article
	for _, a := range arts {
		switch a.Title {
		case "Moscow hopes Trump's ‘reasonable' position will influence EU":
			first = a // the older one, two days ago
		case "Moscow hopes ‘reasonable' Trump will influence EU":
			retitled = a
		}
	}
	if first == nil || retitled == nil {
		t.Fatal("reference fixture lacks the RT pair")
	}
	if err := store.SetGroups(ctx, []taglines.Group{
		{ArticleID: first.ID, Cluster: first.ID},
		{ArticleID: retitled.ID, DuplicateOf: first.ID, Cluster: first.ID},
	}); err != nil {
		t.Fatal(err)
	}
	h, _ := newHandler(t, store, web.Options{PageSize: 50})
	page := get(t, h, "/tag/UkrainianConflict").body
	if n := strings.Count(page, "influence EU</a>"); n != 1 {
		t.Errorf("tag page shows the RT story %d times, want once", n)
	}
	storyHref := fmt.Sprintf("/story/%d", first.ID)
	if !strings.Contains(page, `href="`+storyHref+`">1 more version</a>`) {
		t.Errorf("tag page lacks the '1 more version' link to %s", storyHref)
	}
	story := get(t, h, storyHref)
	if story.status != http.StatusOK || strings.Count(story.body, "influence EU</a>") != 2 {
		t.Errorf("GET %s = %d with %d versions listed, want 200 with 2", storyHref, story.status, strings.Count(story.body, "influence EU</a>"))
	}
	for _, bad := range []string{"/story/0", "/story/x", "/story/999999"} {
		if r := get(t, h, bad); r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", bad, r.status)
		}
	}
}
