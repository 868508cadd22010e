package api

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/taglines/taglines"
)

// maxBody bounds a write request's JSON.
const maxBody = 1 << 20

// operator wraps an operator's endpoint: only the given method, and only with
// the configured bearer token; with no token configured the write API is
// off, since the server listens without authentication otherwise.
func (h *handler) operator(method string, f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			w.Header().Set("Allow", method)
			h.fail(w, r, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed", nil)
			return
		}
		if h.token == "" {
			h.fail(w, r, http.StatusForbidden, "the write API is off: start the server with --api-token", nil)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="taglines"`)
			h.fail(w, r, http.StatusUnauthorized, "a valid bearer token is required", nil)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		f(w, r)
	})
}

func (h *handler) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		h.fail(w, r, http.StatusBadRequest, "invalid JSON: "+err.Error(), nil)
		return false
	}
	return true
}

// sourceSettingsJSON is the body of PUT /api/v1/sources/{id}; absent
// fields keep their value, "rules": "" removes the rules.
type sourceSettingsJSON struct {
	Title      *string `json:"title"`
	Folder     *string `json:"folder"`
	Rules      *string `json:"rules"`
	PreferFeed *bool   `json:"prefer_feed"`
}

func (h *handler) setSource(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, http.StatusNotFound, "no such source", nil)
		return
	}
	var in sourceSettingsJSON
	if !h.decode(w, r, &in) {
		return
	}
	src, err := h.store.Source(r.Context(), id)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, "no such source", nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if in.Rules != nil && *in.Rules != "" && h.validateRules != nil {
		if err := h.validateRules([]byte(*in.Rules)); err != nil {
			h.fail(w, r, http.StatusBadRequest, err.Error(), nil)
			return
		}
	}
	if in.Title != nil {
		src.Title = *in.Title
	}
	if in.Folder != nil {
		src.Folder = *in.Folder
	}
	if in.Rules != nil {
		src.Rules = *in.Rules
	}
	if in.PreferFeed != nil {
		src.PreferFeed = *in.PreferFeed
	}
	if err := h.store.UpdateSource(r.Context(), src); err != nil {
		h.storeError(w, r, err)
		return
	}
	h.write(w, r, http.StatusOK, map[string]any{
		"id": src.ID, "title": src.Title, "folder": src.Folder, "rules": src.Rules, "prefer_feed": src.PreferFeed,
	})
}

type tagRuleJSON struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Target string `json:"target"`
}

func (h *handler) tagRules(w http.ResponseWriter, r *http.Request) {
	rules, err := h.store.TagRules(r.Context())
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := make([]tagRuleJSON, 0, len(rules))
	for _, tr := range rules {
		out = append(out, tagRuleJSON{Kind: string(tr.Kind), Name: tr.Name, Target: tr.Target})
	}
	h.write(w, r, http.StatusOK, map[string]any{"rules": out})
}

func (h *handler) setTagRule(w http.ResponseWriter, r *http.Request) {
	var in tagRuleJSON
	if !h.decode(w, r, &in) {
		return
	}
	if in.Kind == string(taglines.TagTopic) && h.validateTopic != nil {
		if err := h.validateTopic(in.Name, in.Target); err != nil {
			h.fail(w, r, http.StatusBadRequest, err.Error(), nil)
			return
		}
	}
	err := h.store.SetTagRule(r.Context(), taglines.TagRule{Kind: taglines.TagRuleKind(in.Kind), Name: in.Name, Target: in.Target})
	if errors.Is(err, taglines.ErrInvalid) {
		h.fail(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	h.tagRulesChanged()
	h.write(w, r, http.StatusOK, map[string]any{"rule": in, "retag": h.retag != nil})
}

func (h *handler) deleteTagRule(w http.ResponseWriter, r *http.Request) {
	err := h.store.DeleteTagRule(r.Context(), taglines.TagRuleKind(r.PathValue("kind")), r.PathValue("name"))
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, "no such rule", nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	h.tagRulesChanged()
	h.write(w, r, http.StatusOK, map[string]any{"deleted": true, "retag": h.retag != nil})
}

// tagRulesChanged starts the retag of stored articles the operator's
// change calls for; it runs in the background (Options.Retag).
func (h *handler) tagRulesChanged() {
	if h.retag != nil {
		h.retag()
	}
}

func (h *handler) split(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || h.splitArticle == nil {
		h.fail(w, r, http.StatusNotFound, "no such article", nil)
		return
	}
	story := r.URL.Query().Get("story") == "1" || r.URL.Query().Get("story") == "true"
	groups, err := h.splitArticle(r.Context(), id, story)
	switch {
	case errors.Is(err, taglines.ErrNotFound):
		h.fail(w, r, http.StatusNotFound, "no such article", nil)
		return
	case errors.Is(err, taglines.ErrInvalid):
		h.fail(w, r, http.StatusBadRequest, err.Error(), nil)
		return
	case err != nil:
		h.storeError(w, r, err)
		return
	}
	out := make([]map[string]int64, 0, len(groups))
	for _, g := range groups {
		out = append(out, map[string]int64{"id": g.ArticleID, "duplicate_of": g.DuplicateOf, "story": g.Cluster})
	}
	h.write(w, r, http.StatusOK, map[string]any{"articles": out})
}
