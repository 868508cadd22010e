package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
	"github.com/taglines/taglines/web"
	"golang.org/x/net/html"
)

// hostileTitle goes through every page and feed: markup, entities, a
// CDATA end and quotes must come out as the same text.
const hostileTitle = `<script>alert("x")</script> ]]> & "quotes" 'too' <b>bold</b>`

// readingStore is a real store holding the reference articles (written
// through the public write path), plus an article with a hostile title;
// articles 1 and 2 (fixture IDs) are versions of one text and share a
// story with article 3 of another source.
type readingStore struct {
	taglines.Store
	ids     map[int64]int64 // fixture article ID -> stored ID
	sources map[int64]int64 // fixture source ID -> stored ID
	hostile *taglines.Article
	all     []*taglines.Article
}

func newReadingStore(t *testing.T, open func(testing.TB) taglines.Store) *readingStore {
	t.Helper()
	fx := dbtest.ReadFixture(t, filepath.Join("testdata", "reference.json"))
	fx.Articles = append(fx.Articles, &taglines.Article{SourceID: fx.Articles[0].SourceID, URL: "https://evil.example/a?x=<y>&z=\"", Title: hostileTitle,
		Text: "First <i>para</i> & more ]]> end.\n\nSecond paragraph.", Section: "Politics", Language: "en",
		PublishedAt: now().Add(-time.Hour), FetchedAt: now().Add(-time.Hour),
		Tags: []taglines.Tag{{Slug: "vladimirputin", Name: "VladimirPutin"}, {Slug: taglines.TagSlug(`<img src=x onerror=alert(1)>`), Name: `<img src=x onerror=alert(1)>`}}})
	fx.Groups = []taglines.Group{{ArticleID: 1, Cluster: 1}, {ArticleID: 2, DuplicateOf: 1, Cluster: 1}, {ArticleID: 3, Cluster: 1}}
	st := dbtest.Fill(t, open(t), fx)
	return &readingStore{Store: st, ids: st.ArticleIDs, sources: st.SourceIDs, hostile: st.Written[len(st.Written)-1], all: st.Written}
}

// forEachStore runs a test on a real SQLite store and a real PostgreSQL
// one: the pages must read the same from both.
func forEachStore(t *testing.T, test func(*testing.T, func(testing.TB) taglines.Store)) {
	for _, db := range dbtest.Stores {
		t.Run(db.Name, func(t *testing.T) { test(t, db.Open) })
	}
}

func TestArticlePage(t *testing.T) { forEachStore(t, testArticlePage) }

func testArticlePage(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	h, _ := newHandler(t, st, web.Options{})
	a, err := st.Article(context.Background(), st.ids[1])
	if err != nil {
		t.Fatal(err)
	}
	res := get(t, h, fmt.Sprintf("/article/%d", a.ID))
	if res.status != http.StatusOK {
		t.Fatalf("GET /article/%d = %d\n%s", a.ID, res.status, res.body)
	}
	for _, want := range []string{
		"<h1 id=\"article-title\">" + escape(t, a.Title) + "</h1>",
		`href="` + a.URL + `" rel="noopener noreferrer">Read the original at ` + escape(t, a.SourceName),
		fmt.Sprintf(`<a class="source" href="/source/%d">`, a.SourceID),
		`<a class="section" href="/section/Politics">- Politics</a>`,
		`<a href="/tag/vladimirputin">#VladimirPutin</a>`,
		"Other versions of this text", "The story in other sources",
		fmt.Sprintf(`<a href="/article/%d">`, st.ids[2]), fmt.Sprintf(`<a href="/article/%d">`, st.ids[3]),
		fmt.Sprintf(`<a href="/story/%d">Full coverage</a>`, st.ids[1]),
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
	// Every paragraph of the text, each its own <p>.
	var paras int
	for p := range strings.SplitSeq(a.Text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras++
			if !strings.Contains(res.body, "<p>"+escape(t, p)+"</p>") {
				t.Errorf("article page lacks the paragraph %.60q", p)
			}
		}
	}
	if paras < 1 {
		t.Errorf("fixture article has no paragraphs")
	}
	// The hostile article: two paragraphs, markup as text.
	res = get(t, h, fmt.Sprintf("/article/%d", st.hostile.ID))
	for _, want := range []string{"<p>First &lt;i&gt;para&lt;/i&gt; &amp; more ]]&gt; end.</p>", "<p>Second paragraph.</p>", "<h1 id=\"article-title\">" + escape(t, hostileTitle) + "</h1>"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("hostile article page lacks %s", want)
		}
	}
	if strings.Contains(res.body, "<script>") || strings.Contains(res.body, "<img src=x") {
		t.Errorf("hostile article page writes markup from the article")
	}
	// An article alone in its story shows no story sections.
	lone := get(t, h, fmt.Sprintf("/article/%d", st.ids[5]))
	if lone.status != http.StatusOK || strings.Contains(lone.body, "Other versions") || strings.Contains(lone.body, "other sources") {
		t.Errorf("lone article page = %d, with story sections", lone.status)
	}
	for _, path := range []string{"/article/999999", "/article/abc", "/article/-1", "/article/0"} {
		if res := get(t, h, path); res.status != http.StatusNotFound || !strings.Contains(res.body, "No such article.") {
			t.Errorf("GET %s = %d, want the 404 page", path, res.status)
		}
	}
	// Entries link their time to the article page.
	home := get(t, h, "/")
	if !strings.Contains(home.body, fmt.Sprintf(`<a class="permalink" href="/article/%d"`, st.hostile.ID)) {
		t.Errorf("front page entries do not link to their article pages")
	}
}

func TestSourceAndSectionPages(t *testing.T) { forEachStore(t, testSourceAndSectionPages) }

func testSourceAndSectionPages(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	h, _ := newHandler(t, st, web.Options{})
	titleRE := regexp.MustCompile(`<h2 class="title"><a href="([^"]+)"`)
	urls := func(body string) []string {
		var out []string
		for _, m := range titleRE.FindAllStringSubmatch(body, -1) {
			out = append(out, strings.ReplaceAll(m[1], "&amp;", "&"))
		}
		return out
	}
	want := func(keep func(*taglines.Article) bool) []string {
		var sel []*taglines.Article
		for _, a := range st.all {
			if keep(a) && a.ID != st.ids[1] { // 1 is folded into its newer version 2
				sel = append(sel, a)
			}
		}
		slices.SortFunc(sel, func(a, b *taglines.Article) int {
			if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
				return c
			}
			return int(b.ID - a.ID)
		})
		// As html/template writes a URL attribute.
		norm := strings.NewReplacer("<", "%3c", ">", "%3e", `"`, "%22")
		var out []string
		for _, a := range sel {
			out = append(out, norm.Replace(a.URL))
		}
		return out
	}
	for _, src := range st.sources {
		res := get(t, h, fmt.Sprintf("/source/%d", src))
		if res.status != http.StatusOK {
			t.Fatalf("GET /source/%d = %d", src, res.status)
		}
		got, w := urls(res.body), want(func(a *taglines.Article) bool { return a.SourceID == src })
		if !slices.Equal(got, w) {
			t.Errorf("/source/%d lists %q, want %q", src, got, w)
		}
		if !strings.Contains(res.body, fmt.Sprintf(`<link rel="alternate" type="application/atom&#43;xml" title="`)) ||
			!strings.Contains(res.body, fmt.Sprintf(`href="/source/%d.atom"`, src)) {
			t.Errorf("/source/%d has no feed link", src)
		}
	}
	for _, path := range []string{"/section/Politics", "/section/politics", "/section/POLITICS"} {
		res := get(t, h, path)
		got, w := urls(res.body), want(func(a *taglines.Article) bool { return a.Section == "Politics" })
		if res.status != http.StatusOK || !slices.Equal(got, w) || !strings.Contains(res.body, "<h1>Latest news in Politics</h1>") {
			t.Errorf("GET %s = %d listing %q, want %q", path, res.status, got, w)
		}
	}
	for _, path := range []string{"/section/Nope", "/source/999999", "/source/x", "/section/Politics?before=garbage"} {
		res := get(t, h, path)
		if res.status != http.StatusNotFound && res.status != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 404 or 400", path, res.status)
		}
	}
	if res := get(t, h, "/source/1?before=garbage"); res.status != http.StatusBadRequest {
		t.Errorf("bad cursor on a source page = %d, want 400", res.status)
	}
	home := get(t, h, "/")
	if !strings.Contains(home.body, `<a href="/section/Politics">Politics`) {
		t.Errorf("front page lacks the sections")
	}
}

func TestTopStories(t *testing.T) { forEachStore(t, testTopStories) }

func testTopStories(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	ctx := context.Background()
	// Three sources on one story within the last day.
	var arts []*taglines.Article
	for i, src := range []int64{st.sources[1], st.sources[2], st.sources[3]} {
		arts = append(arts, &taglines.Article{SourceID: src, URL: fmt.Sprintf("https://x.example/story/%d", i), Title: fmt.Sprintf("Big story, take %d", i),
			Text: "Text.", PublishedAt: now().Add(-time.Duration(i+2) * time.Hour)})
	}
	if _, err := st.AddArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	var groups []taglines.Group
	for _, a := range arts {
		groups = append(groups, taglines.Group{ArticleID: a.ID, Cluster: arts[0].ID})
	}
	if err := st.SetGroups(ctx, groups); err != nil {
		t.Fatal(err)
	}
	h, _ := newHandler(t, st, web.Options{})
	home := get(t, h, "/")
	want := fmt.Sprintf(`<a href="/article/%d">Big story, take 0</a> <span class="muted">`, arts[0].ID)
	if !strings.Contains(home.body, "Top stories of the day") || !strings.Contains(home.body, want) || !strings.Contains(home.body, "3 sources</a>") {
		t.Errorf("front page lacks the top story (%s)", want)
	}
}

func TestTagDirectory(t *testing.T) { forEachStore(t, testTagDirectory) }

func testTagDirectory(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	h, _ := newHandler(t, st, web.Options{})
	res := get(t, h, "/tags")
	if res.status != http.StatusOK || !strings.Contains(res.body, `<h2 id="letter-V">V</h2>`) || !strings.Contains(res.body, `href="/tag/vladimirputin">#VladimirPutin`) {
		t.Errorf("GET /tags = %d without the letter V and #VladimirPutin", res.status)
	}
	if i, j := strings.Index(res.body, "#Kremlin"), strings.Index(res.body, "#VladimirPutin"); i < 0 || j < 0 || i > j {
		t.Errorf("/tags is not A–Z")
	}
	res = get(t, h, "/tags?q=PUT")
	if !strings.Contains(res.body, "#VladimirPutin") || strings.Contains(res.body, "#Kremlin") {
		t.Errorf("/tags?q=PUT does not filter to Putin")
	}
	res = get(t, h, "/tags?sort=count&q=zzzz")
	if res.status != http.StatusOK || !strings.Contains(res.body, "No tag of the last month contains “zzzz”") {
		t.Errorf("/tags?q=zzzz = %d without the empty text", res.status)
	}
	if res := get(t, h, "/tags?q="+strings.Repeat("a", 300)); res.status != http.StatusBadRequest {
		t.Errorf("/tags with a 300-byte filter = %d, want 400", res.status)
	}
	// The hostile tag name is text, never markup.
	if res := get(t, h, "/tags"); strings.Contains(res.body, "<img src=x") {
		t.Errorf("/tags writes a tag name as markup")
	}
}

func TestFeeds(t *testing.T) { forEachStore(t, testFeeds) }

func testFeeds(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	h, _ := newHandler(t, st, web.Options{})
	srv := httptest.NewServer(h)
	defer srv.Close()
	paths := map[string]int{ // feed path without suffix -> entries wanted
		"/tag/VladimirPutin":                     -1,
		"/section/Politics":                      -1,
		fmt.Sprintf("/source/%d", st.sources[1]): -1,
		fmt.Sprintf("/story/%d", st.ids[1]):      3,
		"/search?q=Putin":                        -1,
	}
	for path, n := range paths {
		for _, format := range []string{"rss", "atom", "json"} {
			p, q, _ := strings.Cut(path, "?")
			u := srv.URL + p + "." + format
			if q != "" {
				u += "?" + q
			}
			resp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			f, perr := gofeed.NewParser().Parse(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || perr != nil {
				t.Errorf("GET %s = %d, parse: %v", u, resp.StatusCode, perr)
				continue
			}
			wantType := map[string]string{"rss": "rss", "atom": "atom", "json": "json"}[format]
			if string(f.FeedType) != wantType || f.Title == "" || len(f.Items) == 0 || (n > 0 && len(f.Items) != n) {
				t.Errorf("%s: type %s, title %q, %d items (want %d)", u, f.FeedType, f.Title, len(f.Items), n)
				continue
			}
			if format == "json" && !strings.HasSuffix(f.FeedVersion, "1.1") {
				t.Errorf("%s: JSON Feed version %q, want 1.1", u, f.FeedVersion)
			}
			var hostile *gofeed.Item
			for _, it := range f.Items {
				if it.Title == "" || it.Link == "" || it.GUID == "" || it.PublishedParsed == nil || it.Content == "" {
					t.Errorf("%s: item %+v lacks a required element", u, it)
					break
				}
				if !strings.HasPrefix(it.GUID, srv.URL+"/article/") {
					t.Errorf("%s: GUID %q is not the article's page", u, it.GUID)
				}
				if it.Title == hostileTitle {
					hostile = it
				}
			}
			// Newest first.
			for i := 1; i < len(f.Items); i++ {
				if f.Items[i].PublishedParsed.After(*f.Items[i-1].PublishedParsed) {
					t.Errorf("%s: items not newest first", u)
					break
				}
			}
			if strings.HasPrefix(path, "/section/Politics") || strings.HasPrefix(path, "/tag/VladimirPutin") {
				if hostile == nil {
					t.Errorf("%s: the hostile title did not survive as text", u)
				} else if hostile.Link != st.hostile.URL || !strings.Contains(hostile.Content, "First &lt;i&gt;para&lt;/i&gt; &amp; more ]]&gt; end.") {
					t.Errorf("%s: hostile item link %q content %q", u, hostile.Link, hostile.Content)
				}
			}
			// Conditional GET.
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
			again, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			again.Body.Close()
			if resp.Header.Get("ETag") == "" || again.StatusCode != http.StatusNotModified {
				t.Errorf("%s: ETag %q, If-None-Match answered %d, want 304", u, resp.Header.Get("ETag"), again.StatusCode)
			}
		}
	}
	for _, u := range []string{"/tag/nosuchtag.rss", "/story/999999.atom", "/search.json?q=%22unclosed", "/source/x.rss"} {
		resp, err := http.Get(srv.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 404 or 400", u, resp.StatusCode)
		}
	}
}

func TestRussianPages(t *testing.T) { forEachStore(t, testRussianPages) }

func testRussianPages(t *testing.T, open func(testing.TB) taglines.Store) {
	h, _ := newHandler(t, referenceStore(t, open), web.Options{})
	req := httptest.NewRequest(http.MethodGet, "/tag/ukrainianconflict", nil)
	req.Header.Set("Accept-Language", "ru-RU,ru;q=0.9")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	for _, want := range []string{`<html lang="ru">`, "<h1>Последние новости с #UkrainianConflict</h1>", ">день назад<", ">2 дня назад<", ">6 дней назад<", ">09-07-2025<",
		"- Политика", `hreflang="en" lang="en">English</a>`, `placeholder="Поиск новостей"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Russian tag page lacks %s", want)
		}
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Language") {
		t.Errorf("Vary = %q, want Accept-Language in it", rec.Header().Get("Vary"))
	}
	// The 404 page speaks Russian too; ?lang= outside the catalogue is English.
	if res := get(t, h, "/article/999999?lang=ru"); res.status != http.StatusNotFound || !strings.Contains(res.body, "Такой статьи нет.") {
		t.Errorf("Russian 404 = %d without its message", res.status)
	}
	if res := get(t, h, "/tag/ukrainianconflict?lang=xx"); !strings.Contains(res.body, `<html lang="en">`) || !strings.Contains(res.body, ">a day ago<") {
		t.Errorf("?lang=xx is not English")
	}
}

// strictHTML checks what a lenient parser forgives: a doctype first, every
// non-void element closed in order, no stray end tag, attributes quoted
// once each.
func strictHTML(body string) error {
	void := map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
		"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}
	// Elements whose end tag HTML lets an author omit; our templates close
	// them anyway, so they are checked too.
	z := html.NewTokenizer(strings.NewReader(body))
	var stack []string
	first := true
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				if len(stack) > 0 {
					return fmt.Errorf("unclosed %v at the end", stack)
				}
				return nil
			}
			return z.Err()
		case html.DoctypeToken:
			first = false
		case html.StartTagToken, html.SelfClosingTagToken:
			if first {
				return fmt.Errorf("no doctype before the first element")
			}
			tok := z.Token()
			seen := map[string]bool{}
			for _, a := range tok.Attr {
				if seen[a.Key] {
					return fmt.Errorf("<%s> repeats the attribute %s", tok.Data, a.Key)
				}
				seen[a.Key] = true
			}
			if !void[tok.Data] && tt == html.StartTagToken {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				return fmt.Errorf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func TestPagesStrictHTMLAndWeight(t *testing.T) { forEachStore(t, testPagesStrictHTMLAndWeight) }

func testPagesStrictHTMLAndWeight(t *testing.T, open func(testing.TB) taglines.Store) {
	st := newReadingStore(t, open)
	// A full tag page of long articles with many tags: the weight budget.
	ctx := context.Background()
	var arts []*taglines.Article
	long := strings.Repeat("The minister said the talks would continue next week in Geneva, officials confirmed. ", 60)
	for i := range 30 {
		a := &taglines.Article{SourceID: st.sources[1], URL: fmt.Sprintf("https://heavy.example/%d", i), Title: "A long headline about the talks that continue in Geneva, number " + fmt.Sprint(i),
			Text: long, Section: "Politics", PublishedAt: now().Add(-time.Duration(i) * time.Minute)}
		for j := range 10 {
			a.Tags = append(a.Tags, taglines.Tag{Slug: fmt.Sprintf("heavytag%d", j), Name: fmt.Sprintf("HeavyTagNumber%d", j)})
		}
		arts = append(arts, a)
	}
	if _, err := st.AddArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	h, _ := newHandler(t, st, web.Options{})
	for _, path := range []string{"/", "/tag/heavytag0", "/tag/VladimirPutin", fmt.Sprintf("/article/%d", st.ids[1]), fmt.Sprintf("/article/%d", st.hostile.ID),
		fmt.Sprintf("/source/%d", st.sources[1]), "/section/Politics", fmt.Sprintf("/story/%d", st.ids[1]), "/tags", "/tags?sort=count", "/sources",
		"/search?q=Putin", "/search?q=%22unclosed", "/nosuchpage", "/tag/VladimirPutin?lang=ru"} {
		res := get(t, h, path)
		if err := strictHTML(res.body); err != nil {
			t.Errorf("GET %s: %v", path, err)
		}
	}
	res := get(t, h, "/tag/heavytag0")
	t.Logf("a full tag page of 20 long entries with 10 tags each: %d bytes of HTML", len(res.body))
	if len(res.body) > 60_000 {
		t.Errorf("a full tag page weighs %d bytes of HTML, the budget is 60 KB", len(res.body))
	}
}
