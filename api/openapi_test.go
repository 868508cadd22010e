package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/storetest/dbtest"
)

// realStore is an SQLite store in t.TempDir with two sources, tagged
// articles, a version group and a story, written through the public
// write path.
func realStore(t *testing.T, open func(testing.TB) taglines.Store) (taglines.Store, []*taglines.Article, []*taglines.Source) {
	t.Helper()
	ctx := context.Background()
	st := open(t)
	var srcs []*taglines.Source
	for i, u := range []string{"https://rt.example/feed", "https://scmp.example/feed"} {
		s := &taglines.Source{URL: u, Title: []string{"Russia Today", "South China Morning Post"}[i]}
		if err := st.AddSource(ctx, s); err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, s)
	}
	if err := st.RecordFetch(ctx, srcs[0].ID, taglines.FetchResult{At: now().Add(-time.Hour), Status: taglines.FetchOK, HTTPStatus: 200, NextPollAt: now()}); err != nil {
		t.Fatal(err)
	}
	var arts []*taglines.Article
	for i := range 6 {
		arts = append(arts, &taglines.Article{
			SourceID: srcs[i%2].ID, URL: fmt.Sprintf("https://news.example/%d", i),
			Title: fmt.Sprintf("Lavrov says talks %d continue", i), Text: "Sergey Lavrov said on Tuesday the talks would continue.\n\nPutin agreed.",
			Author: "Jane Reporter", Language: "en", Section: "Politics", ImageURL: "https://news.example/i.jpg",
			PublishedAt: now().Add(-time.Duration(i+1) * time.Hour),
			Tags:        []taglines.Tag{{Slug: "sergeylavrov", Name: "SergeyLavrov"}, {Slug: "vladimirputin", Name: "VladimirPutin"}},
		})
	}
	if _, err := st.AddArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := st.SetGroups(ctx, []taglines.Group{{ArticleID: arts[0].ID, DuplicateOf: arts[2].ID, Cluster: arts[2].ID}, {ArticleID: arts[1].ID, Cluster: arts[2].ID}, {ArticleID: arts[2].ID, Cluster: arts[2].ID}}); err != nil {
		t.Fatal(err)
	}
	return st, arts, srcs
}

type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Responses map[string]struct {
			Content map[string]struct {
				Schema json.RawMessage `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
}

// TestOpenAPIRoutes: every registered route is documented and every
// documented route is registered.
func TestOpenAPIRoutes(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	registered := api.Routes()
	slices.Sort(documented)
	slices.Sort(registered)
	if !slices.Equal(documented, registered) {
		t.Errorf("documented routes\n%q\nregistered routes\n%q", documented, registered)
	}
	// And the handler serves the document itself.
	h := api.New(nil, api.Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/openapi.json", nil))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), api.OpenAPI()) {
		t.Errorf("GET /api/openapi.json = %d", rec.Code)
	}
}

// TestOpenAPIResponses holds real responses of a real store against the
// documented schemas: every documented field present (all are required),
// no undocumented one (additionalProperties is false).
func TestOpenAPIResponses(t *testing.T) {
	for _, db := range dbtest.Stores {
		t.Run(db.Name, func(t *testing.T) { testOpenAPIResponses(t, db.Open) })
	}
}

func testOpenAPIResponses(t *testing.T, open func(testing.TB) taglines.Store) {
	st, arts, srcs := realStore(t, open)
	h, _ := newHandler(st, api.Options{Token: "secret", Retag: func() {}})
	var raw any
	if err := json.Unmarshal(api.OpenAPI(), &raw); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("openapi.json", raw); err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	check := func(method, docPath, target, body string, status int) {
		t.Helper()
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer secret")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != status {
			t.Errorf("%s %s = %d, want %d\n%s", method, target, rec.Code, status, rec.Body)
			return
		}
		op, ok := doc.Paths[docPath][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s %s is not documented", method, docPath)
			return
		}
		resp, ok := op.Responses[strconv.Itoa(status)]
		if !ok {
			t.Errorf("%s %s: status %d is not documented", method, docPath, status)
			return
		}
		// The schema's location in the document, as a JSON pointer.
		ptr := "openapi.json#/paths/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(docPath) + "/" + strings.ToLower(method) +
			"/responses/" + strconv.Itoa(status) + "/content/application~1json/schema"
		if _, ok := resp.Content["application/json"]; !ok {
			t.Errorf("%s %s: %d has no JSON schema", method, docPath, status)
			return
		}
		sch, err := c.Compile(ptr)
		if err != nil {
			t.Fatalf("compile %s: %v", ptr, err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Errorf("%s %s: %v", method, target, err)
			return
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s %s does not match its documented schema: %v\n%s", method, target, err, rec.Body)
		}
	}
	a := arts[0].ID
	check("GET", "/api/v1/articles", "/api/v1/articles?limit=2", "", 200)
	check("GET", "/api/v1/articles", "/api/v1/articles?limit=x", "", 400)
	check("GET", "/api/v1/articles/{id}", fmt.Sprintf("/api/v1/articles/%d", a), "", 200)
	check("GET", "/api/v1/articles/{id}", "/api/v1/articles/999999", "", 404)
	check("GET", "/api/v1/tags/{tag}/articles", "/api/v1/tags/SergeyLavrov/articles?versions=all", "", 200)
	check("GET", "/api/v1/tags/{tag}/articles", "/api/v1/tags/nosuch/articles", "", 404)
	check("GET", "/api/v1/search", "/api/v1/search?q=lavrov+talks&limit=3", "", 200)
	check("GET", "/api/v1/search", "/api/v1/search?q=%22unclosed", "", 400)
	check("GET", "/api/v1/tags", "/api/v1/tags", "", 200)
	check("GET", "/api/v1/tags/trending", "/api/v1/tags/trending", "", 200)
	check("GET", "/api/v1/tags/{tag}/related", "/api/v1/tags/sergeylavrov/related", "", 200)
	check("GET", "/api/v1/sources", "/api/v1/sources", "", 200)
	check("PUT", "/api/v1/sources/{id}", fmt.Sprintf("/api/v1/sources/%d", srcs[0].ID), `{"folder":"Russia"}`, 200)
	check("PUT", "/api/v1/tag-rules", "/api/v1/tag-rules", `{"kind":"alias","name":"Lavrov","target":"SergeyLavrov"}`, 200)
	check("GET", "/api/v1/tag-rules", "/api/v1/tag-rules", "", 200)
	check("DELETE", "/api/v1/tag-rules/{kind}/{name}", "/api/v1/tag-rules/alias/Lavrov", "", 200)
	check("DELETE", "/api/v1/tag-rules/{kind}/{name}", "/api/v1/tag-rules/alias/Lavrov", "", 404)
}

func TestReadsCachingCORSAndLimits(t *testing.T) {
	st, arts, _ := realStore(t, dbtest.SQLite)
	h, _ := newHandler(st, api.Options{RateLimit: 1, RateBurst: 3})
	target := fmt.Sprintf("/api/v1/articles/%d", arts[1].ID)
	do := func(method, from, inm string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, nil)
		req.RemoteAddr = from
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := do("GET", "127.0.0.1:5000", "")
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" || first.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("GET = %d, ETag %q, CORS %q", first.Code, etag, first.Header().Get("Access-Control-Allow-Origin"))
	}
	if rec := do("GET", "127.0.0.1:5000", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d with %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
	if rec := do("GET", "127.0.0.1:5000", `"other", W/`+etag); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with a list holding a weak match: %d, want 304", rec.Code)
	}
	if rec := do("OPTIONS", "127.0.0.1:5000", ""); rec.Code != http.StatusNoContent || !strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight = %d, methods %q", rec.Code, rec.Header().Get("Access-Control-Allow-Methods"))
	}
	// A client past its burst gets 429 with Retry-After, in the one error
	// shape; another client and loopback are not affected.
	var codes []int
	for range 5 {
		codes = append(codes, do("GET", "203.0.113.7:4000", "").Code)
	}
	if !slices.Equal(codes[:3], []int{200, 200, 200}) || codes[3] != http.StatusTooManyRequests {
		t.Errorf("one client's 5 quick reads: %v, want 3 × 200 then 429", codes)
	}
	last := do("GET", "203.0.113.7:4000", "")
	var e struct{ Error string }
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" || json.Unmarshal(last.Body.Bytes(), &e) != nil || e.Error == "" {
		t.Errorf("limited read: %d, Retry-After %q, body %s", last.Code, last.Header().Get("Retry-After"), last.Body)
	}
	if rec := do("GET", "198.51.100.1:4000", ""); rec.Code != 200 {
		t.Errorf("another client: %d, want 200", rec.Code)
	}
	for range 10 {
		if rec := do("GET", "127.0.0.1:5000", ""); rec.Code != 200 {
			t.Fatalf("loopback read: %d, want 200 (loopback is not limited)", rec.Code)
		}
	}
}
