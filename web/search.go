package web

import (
	"crypto/subtle"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

// searchView is what search.html renders.
type searchView struct {
	Query         string
	Newest        bool
	Error         string // a malformed query, shown next to the box
	Listing       *listing
	SaveTopic     bool
	NewestHref    string
	RelevanceHref string
}

// searchHref is the path of a search page.
func searchHref(q string, newest bool, cursor string) string {
	v := url.Values{}
	v.Set("q", q)
	if newest {
		v.Set("sort", "newest")
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	return "/search?" + v.Encode()
}

// search serves /search?q=: by relevance or newest, one entry per version
// group, matched words highlighted; an empty query lists the latest
// articles; a malformed one is a 400 page that shows the error beside the
// box, keeping the query.
func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	v := r.URL.Query()
	text := strings.TrimSpace(v.Get("q"))
	view := searchView{Query: text, Newest: v.Get("sort") == "newest", Listing: &listing{}}
	view.NewestHref, view.RelevanceHref = searchHref(text, true, ""), searchHref(text, false, "")
	view.SaveTopic = h.token != "" && text != ""
	sq := taglines.SearchQuery{Text: text, Newest: view.Newest, Limit: h.pageSize, Now: now}
	title := localeOf(r.Context()).T("Search")
	if text != "" {
		title = localeOf(r.Context()).T("Search: %s", text)
	}
	if c := v.Get("cursor"); c != "" {
		if err := taglines.ParseSearchCursor(c, &sq); err != nil {
			h.fail(w, r, http.StatusBadRequest, "This page link is malformed. Start the search again.", nil)
			return
		}
		view.Listing.Newest = searchHref(text, view.Newest, "")
	}
	res, err := h.store.Search(r.Context(), sq)
	var se *query.SyntaxError
	if errors.As(err, &se) {
		view.Error = localeOf(r.Context()).T("This search does not parse at character %d: %s.", se.Pos+1, se.Msg)
		view.SaveTopic = false
		h.render(w, r, http.StatusBadRequest, "search", page{Title: title, Query: text, Body: view})
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	for _, hit := range res.Hits {
		e := h.entry(r.Context(), hit.Article, now)
		// The store's highlighter escaped the text; only <mark> is markup.
		e.TitleHTML, e.ExcerptHTML = template.HTML(hit.Title), template.HTML(hit.Snippet)
		view.Listing.Entries = append(view.Listing.Entries, e)
	}
	if next := res.Next(); next != "" {
		view.Listing.Older = searchHref(text, view.Newest, next)
	}
	view.Listing.EmptyText = "No article matches this search."
	h.render(w, r, http.StatusOK, "search", page{Title: title, Query: text, Canonical: searchHref(text, view.Newest, ""), Body: view})
}

// saveTopic serves POST /search/topic: name, q (the rule) and the
// operators' token; it stores the topic and shows its tag page.
func (h *handler) saveTopic(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		h.fail(w, r, http.StatusMethodNotAllowed, "Topics are saved from a search page.", nil)
		return
	}
	if h.token == "" {
		h.fail(w, r, http.StatusNotFound, "Saving topics is turned off on this site.", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusBadRequest, "This form could not be read.", nil)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(h.token)) != 1 {
		h.fail(w, r, http.StatusForbidden, "The operator token is wrong.", nil)
		return
	}
	name := strings.TrimLeft(strings.TrimSpace(r.PostForm.Get("name")), "#")
	rule := strings.TrimSpace(r.PostForm.Get("q"))
	if _, err := query.Parse(rule); err != nil {
		h.fail(w, r, http.StatusBadRequest, "The search is not a valid rule: %s", nil, err.Error())
		return
	}
	if h.validateTopic != nil {
		if err := h.validateTopic(name, rule); err != nil {
			h.fail(w, r, http.StatusBadRequest, "This topic cannot be saved: %s", nil, err.Error())
			return
		}
	}
	tag, ok := taglines.NewTag(name)
	if !ok {
		h.fail(w, r, http.StatusBadRequest, "A topic needs a tag name.", nil)
		return
	}
	err := h.store.SetTagRule(r.Context(), taglines.TagRule{Kind: taglines.TagTopic, Name: name, Target: rule})
	if errors.Is(err, taglines.ErrInvalid) {
		h.fail(w, r, http.StatusBadRequest, "This topic cannot be saved: %s", nil, err.Error())
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if h.retag != nil {
		h.retag()
	}
	http.Redirect(w, r, tagHref(tag), http.StatusSeeOther)
}
