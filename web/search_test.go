package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/storetest/dbtest"
	"github.com/taglines/taglines/web"
)

// searchStore is a real SQLite store in a temporary directory, written
// through the public write path.
func searchStore(t *testing.T, n int) taglines.Store {
	t.Helper()
	st := dbtest.SQLite(t)
	src := &taglines.Source{URL: "https://sky.example/feed", Title: "Sky & Space"}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	var arts []*taglines.Article
	for i := range n {
		arts = append(arts, &taglines.Article{
			SourceID: src.ID, URL: "https://sky.example/" + strconv.Itoa(i), Section: "Science",
			Title:       "Comet <b>" + strconv.Itoa(i) + "</b> returns",
			Text:        "Astronomers said the comets would pass close to Earth & Mars this week.",
			PublishedAt: now().Add(-time.Duration(i) * time.Hour),
		})
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSearchPage(t *testing.T) {
	h, logs := newHandler(t, searchStore(t, 25), web.Options{})
	r := get(t, h, "/search?q=comet")
	if r.status != http.StatusOK {
		t.Fatalf("GET = %d\n%s", r.status, r.body)
	}
	for _, want := range []string{
		`<h1>Search: comet</h1>`,
		`value="comet"`, // the query echoed in the box
		`<mark>Comet</mark> &lt;b&gt;0&lt;/b&gt; returns`,
		`said the <mark>comets</mark> would pass close to Earth &amp; Mars`,
		`<span class="source">Sky &amp; Space</span>`,
		`<span class="section">- Science</span>`,
		`role="search"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := len(articleURLs(r.body)); n != 20 {
		t.Errorf("%d entries, want a page of 20", n)
	}
	m := olderRE.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no Older link on a full page")
	}
	older := get(t, h, strings.ReplaceAll(m[1], "&amp;", "&"))
	if older.status != http.StatusOK || len(articleURLs(older.body)) != 5 {
		t.Errorf("older page = %d with %d entries, want 5", older.status, len(articleURLs(older.body)))
	}
	if logs.lines() != 0 {
		t.Errorf("logged %d records:\n%s", logs.lines(), logs.buf.String())
	}
	// Newest first lists the same articles by time.
	r = get(t, h, "/search?q=comet&sort=newest")
	if urls := articleURLs(r.body); len(urls) != 20 || urls[0] != "https://sky.example/0" || urls[19] != "https://sky.example/19" {
		t.Errorf("newest first = %v", urls)
	}
}

func TestSearchPageErrors(t *testing.T) {
	h, _ := newHandler(t, searchStore(t, 3), web.Options{})
	r := get(t, h, "/search?q="+url.QueryEscape(`comet AND (tail`))
	if r.status != http.StatusBadRequest {
		t.Errorf("malformed query = %d, want 400", r.status)
	}
	for _, want := range []string{`value="comet AND (tail"`, `role="alert"`, `at character 11: unbalanced (`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("error page lacks %q\n%s", want, r.body)
		}
	}
	// An empty query lists the latest articles.
	r = get(t, h, "/search?q=")
	if r.status != http.StatusOK || len(articleURLs(r.body)) != 3 {
		t.Errorf("empty query = %d with %d entries, want the 3 latest", r.status, len(articleURLs(r.body)))
	}
	r = get(t, h, "/search?q=zebra")
	if r.status != http.StatusOK || !strings.Contains(r.body, "No article matches this search.") {
		t.Errorf("no match = %d\n%s", r.status, r.body)
	}
	if r := get(t, h, "/search?q=comet&cursor=zz"); r.status != http.StatusBadRequest {
		t.Errorf("bad cursor = %d, want 400", r.status)
	}
	// Every page carries the search box.
	if r := get(t, h, "/sources"); !strings.Contains(r.body, `action="/search"`) {
		t.Error("the sources page has no search box")
	}
}

func TestSaveTopic(t *testing.T) {
	st := searchStore(t, 2)
	retagged := 0
	h, _ := newHandler(t, st, web.Options{Token: "s3cret", Retag: func() { retagged++ }})
	if r := get(t, h, "/search?q=comet"); !strings.Contains(r.body, "Save as topic") {
		t.Error("no save form for a site with an operator token")
	}
	post := func(form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/search/topic", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(url.Values{"q": {"comet"}, "name": {"Comets"}, "token": {"wrong"}}); rec.Code != http.StatusForbidden {
		t.Errorf("wrong token = %d, want 403", rec.Code)
	}
	if rec := post(url.Values{"q": {"comet AND ("}, "name": {"Comets"}, "token": {"s3cret"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("bad rule = %d, want 400", rec.Code)
	}
	rec := post(url.Values{"q": {"comet NOT asteroid"}, "name": {"#Comets"}, "token": {"s3cret"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/tag/comets" {
		t.Fatalf("save = %d to %q, want 303 to /tag/comets", rec.Code, rec.Header().Get("Location"))
	}
	rules, err := st.TagRules(t.Context())
	if err != nil || len(rules) != 1 || rules[0].Kind != taglines.TagTopic || rules[0].Name != "Comets" || rules[0].Target != "comet NOT asteroid" {
		t.Errorf("rules = %+v, %v", rules, err)
	}
	if retagged != 1 {
		t.Errorf("retagged %d times, want 1", retagged)
	}
	h2, _ := newHandler(t, st, web.Options{})
	if r := get(t, h2, "/search?q=comet"); strings.Contains(r.body, "Save as topic") {
		t.Error("a save form on a site without a token")
	}
}
