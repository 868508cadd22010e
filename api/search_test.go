package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/api"
	"github.com/taglines/taglines/storetest/dbtest"
)

// searchStore is a real SQLite store with a few articles about comets.
func searchStore(t *testing.T) taglines.Store {
	t.Helper()
	st := dbtest.SQLite(t)
	src := &taglines.Source{URL: "https://sky.example/feed", Title: "Sky News"}
	if err := st.AddSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	var arts []*taglines.Article
	for i := range 5 {
		arts = append(arts, &taglines.Article{
			SourceID: src.ID, URL: "https://sky.example/" + strconv.Itoa(i),
			Title: "Comet <seen> " + strconv.Itoa(i), Text: "Astronomers saw the comets pass.",
			PublishedAt: now().Add(-time.Duration(i) * time.Hour),
		})
	}
	if _, err := st.AddArticles(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSearch(t *testing.T) {
	h, _ := newHandler(searchStore(t), api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/search?q=comet&limit=2")
	if code != http.StatusOK {
		t.Fatalf("GET = %d, %v", code, body)
	}
	if got, want := keys(body), []string{"articles", "next_cursor", "query", "sort"}; !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
	if body["query"] != "comet" || body["sort"] != "relevance" {
		t.Errorf("query, sort = %v, %v", body["query"], body["sort"])
	}
	arts := body["articles"].([]any)
	if len(arts) != 2 {
		t.Fatalf("%d articles, want 2", len(arts))
	}
	first := arts[0].(map[string]any)
	for _, k := range []string{"id", "title", "source", "excerpt", "tags", "versions", "story_sources", "score", "highlight"} {
		if _, ok := first[k]; !ok {
			t.Errorf("entry lacks %q: %v", k, first)
		}
	}
	hl := first["highlight"].(map[string]any)
	if hl["title"] != "<mark>Comet</mark> &lt;seen&gt; 0" {
		t.Errorf("highlight.title = %q", hl["title"])
	}
	// The cursor pages through the rest, and the last page says null.
	seen := 2
	cursor, _ := body["next_cursor"].(string)
	for cursor != "" {
		code, _, body = getJSON(t, h, "GET", "/api/v1/search?q=comet&limit=2&cursor="+cursor)
		if code != http.StatusOK {
			t.Fatalf("page = %d, %v", code, body)
		}
		seen += len(body["articles"].([]any))
		cursor, _ = body["next_cursor"].(string)
	}
	if seen != 5 {
		t.Errorf("paged through %d articles, want 5", seen)
	}
	code, _, body = getJSON(t, h, "GET", "/api/v1/search?q=comet&sort=newest&limit=10")
	if code != http.StatusOK || body["sort"] != "newest" || len(body["articles"].([]any)) != 5 {
		t.Errorf("sort=newest = %d, %v", code, body)
	}
}

func TestSearchErrors(t *testing.T) {
	h, _ := newHandler(searchStore(t), api.Options{})
	code, _, body := getJSON(t, h, "GET", "/api/v1/search?q=comet+AND+(tail")
	if code != http.StatusBadRequest || body["position"] != float64(10) || body["error"] != "unbalanced (" {
		t.Errorf("unbalanced = %d, %v; want 400 at 10", code, body)
	}
	for _, target := range []string{"/api/v1/search?q=x&sort=best", "/api/v1/search?q=x&cursor=zz", "/api/v1/search?q=x&limit=0"} {
		if code, _, body := getJSON(t, h, "GET", target); code != http.StatusBadRequest {
			t.Errorf("%s = %d, %v; want 400", target, code, body)
		}
	}
}
