package api

import (
	"errors"
	"net/http"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

type (
	searchHitJSON struct {
		articleJSON
		// Score is the relevance (0 when sorted by newest); Highlight
		// holds the title and a passage of the text as HTML, escaped,
		// with the matched words in <mark>.
		Score     float64       `json:"score"`
		Highlight highlightJSON `json:"highlight"`
	}
	highlightJSON struct {
		Title   string `json:"title"`
		Snippet string `json:"snippet"`
	}
	searchJSON struct {
		Query      string          `json:"query"`
		Sort       string          `json:"sort"`
		Articles   []searchHitJSON `json:"articles"`
		NextCursor *string         `json:"next_cursor"`
	}
	searchErrorJSON struct {
		Error    string `json:"error"`
		Position int    `json:"position"`
	}
)

// search serves GET /api/v1/search?q=&sort=newest&cursor=&limit=&versions=all.
func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	sq := taglines.SearchQuery{Text: v.Get("q"), AllVersions: v.Get("versions") == "all", Now: h.now()}
	switch v.Get("sort") {
	case "", "relevance":
	case "newest":
		sq.Newest = true
	default:
		h.fail(w, r, http.StatusBadRequest, `sort must be "relevance" or "newest"`, nil)
		return
	}
	limit, ok := h.limit(w, r)
	if !ok {
		return
	}
	sq.Limit = limit
	if c := v.Get("cursor"); c != "" {
		if err := taglines.ParseSearchCursor(c, &sq); err != nil {
			h.fail(w, r, http.StatusBadRequest, "invalid cursor", nil)
			return
		}
	}
	res, err := h.store.Search(r.Context(), sq)
	var se *query.SyntaxError
	if errors.As(err, &se) {
		h.write(w, r, http.StatusBadRequest, searchErrorJSON{Error: se.Msg, Position: se.Pos})
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := searchJSON{Query: sq.Text, Sort: "relevance", Articles: make([]searchHitJSON, 0, len(res.Hits))}
	if !res.Ranked {
		out.Sort = "newest"
	}
	if next := res.Next(); next != "" {
		out.NextCursor = &next
	}
	for _, hit := range res.Hits {
		out.Articles = append(out.Articles, searchHitJSON{
			articleJSON: h.article(hit.Article),
			Score:       hit.Score,
			Highlight:   highlightJSON{Title: hit.Title, Snippet: hit.Snippet},
		})
	}
	h.write(w, r, http.StatusOK, out)
}
