package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/taglines/taglines"
)

// The reading pages: one article, one source, one section, the tag
// directory.

// Windows of the front page's extras and of the section lookup.
const (
	topStoriesWindow = 24 * time.Hour
	topStoriesLimit  = 5
	// topStoriesScan is how many of the last day's entries are looked at
	// for the stories with the most sources: one indexed page, not a scan
	// of the day.
	topStoriesScan = 300
	sectionsWindow = 30 * 24 * time.Hour
	storyListLimit = 100
	directoryLimit = 2000
)

type articleView struct {
	Entry      entry
	Author     string
	ImageURL   string
	Paragraphs []string
	SourceHref string // the source's page
	// SectionHref is the section's page.
	SectionHref string
	Versions    []entry // the other versions of this text
	Others      []entry // the story's other articles, one per version group
	StoryHref   string
}

func (h *handler) article(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, http.StatusNotFound, "No such article.", nil)
		return
	}
	ctx := r.Context()
	a, err := h.store.Article(ctx, id)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, "No such article.", nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	v := articleView{
		Entry:       h.entry(ctx, a, now),
		Author:      a.Author,
		ImageURL:    a.ImageURL,
		SourceHref:  sourceHref(a.SourceID),
		SectionHref: sectionHref(cmp.Or(a.Section, taglines.DefaultSection)),
	}
	for p := range strings.SplitSeq(a.Text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, p)
		}
	}
	if a.Cluster != 0 {
		story, err := h.store.Articles(ctx, taglines.ArticleQuery{Cluster: a.Cluster, Limit: storyListLimit})
		if err != nil {
			h.storeError(w, r, err)
			return
		}
		group := cmp.Or(a.DuplicateOf, a.ID)
		seen := map[int64]bool{group: true}
		for _, o := range story {
			g := cmp.Or(o.DuplicateOf, o.ID)
			switch {
			case o.ID == a.ID:
			case g == group:
				v.Versions = append(v.Versions, h.entry(ctx, o, now))
			case !seen[g]:
				seen[g] = true
				v.Others = append(v.Others, h.entry(ctx, o, now))
			}
		}
		if len(v.Versions)+len(v.Others) > 0 {
			v.StoryHref = storyHref(a.Cluster)
		}
	}
	p := page{Title: a.Title, Canonical: articleHref(a.ID), Body: v}
	h.render(w, r, http.StatusOK, "article", p)
}

type sourceView struct {
	Row  sourceRow
	List *listing
}

func (h *handler) source(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	name, format := feedSuffix(r.PathValue("id"))
	id, err := strconv.ParseInt(name, 10, 64)
	if err != nil || id <= 0 {
		h.fail(w, r, http.StatusNotFound, "No such source.", nil)
		return
	}
	before, ok := h.cursor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	src, err := h.store.Source(ctx, id)
	if errors.Is(err, taglines.ErrNotFound) {
		h.fail(w, r, http.StatusNotFound, "No such source.", nil)
		return
	}
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	q := taglines.ArticleQuery{SourceID: id, Collapse: true}
	path := sourceHref(id)
	if format != "" {
		h.feed(w, r, format, feedMeta{Title: src.Name(), Page: path, Path: path}, q)
		return
	}
	l, err := h.list(ctx, path, q, before, now)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	l.EmptyText = localeOf(ctx).T("This source has no articles yet.")
	v := sourceView{Row: h.sourceRow(ctx, src, now), List: l}
	h.render(w, r, http.StatusOK, "source", page{Title: src.Name(), Canonical: path, Feeds: feedLinks(src.Name(), path), Body: v})
}

type sectionView struct {
	Name     string
	Sections []tagLink
	List     *listing
}

func (h *handler) section(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	name, format := feedSuffix(r.PathValue("name"))
	before, ok := h.cursor(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	counts, err := h.store.SectionCounts(ctx, now.Add(-sectionsWindow))
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	// The name as stored: a section of the last month matched
	// case-insensitively, or the name as given (an older section).
	for _, c := range counts {
		if strings.EqualFold(c.Name, name) {
			name = c.Name
			break
		}
	}
	q := taglines.ArticleQuery{Section: name, Collapse: true}
	path := sectionHref(name)
	if format != "" {
		h.feed(w, r, format, feedMeta{Title: name, Page: path, Path: path, Missing: "There is no section %s.", MissingArg: name}, q)
		return
	}
	l, err := h.list(ctx, path, q, before, now)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	if len(l.Entries) == 0 && before == nil {
		h.fail(w, r, http.StatusNotFound, "There is no section %s.", nil, name)
		return
	}
	v := sectionView{Name: name, List: l, Sections: sectionLinks(counts)}
	h.render(w, r, http.StatusOK, "section", page{Title: localeOf(ctx).T("Latest news in %s", localeOf(ctx).Section(name)), Canonical: path, Feeds: feedLinks(name, path), Body: v})
}

func sectionLinks(counts []taglines.SectionCount) []tagLink {
	out := make([]tagLink, 0, len(counts))
	for _, c := range counts {
		out = append(out, tagLink{Name: c.Name, Href: sectionHref(c.Name), Count: c.Count})
	}
	return out
}

type directoryView struct {
	Query   string
	ByCount bool
	Tags    []tagLink
	Letters []letterGroup
}

type letterGroup struct {
	Letter string
	Tags   []tagLink
}

// tags is the tag directory: the tags of the last month, A–Z or by count,
// filtered by ?q= (a form, so it works without JavaScript).
func (h *handler) tags(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	q := strings.TrimSpace(strings.TrimLeft(r.URL.Query().Get("q"), "#"))
	if len(q) > 200 {
		h.fail(w, r, http.StatusBadRequest, "The filter is too long.", nil)
		return
	}
	top, err := h.store.TopTags(r.Context(), now.Add(-sectionsWindow), directoryLimit)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	v := directoryView{Query: q, ByCount: r.URL.Query().Get("sort") == "count"}
	fold := strings.ToLower(q)
	for _, t := range top {
		if fold != "" && !strings.Contains(strings.ToLower(t.Name), fold) {
			continue
		}
		v.Tags = append(v.Tags, tagLink{Name: t.Name, Href: tagHref(t.Tag), Count: t.Count})
	}
	if !v.ByCount {
		slices.SortFunc(v.Tags, func(a, b tagLink) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		for _, t := range v.Tags {
			letter := strings.ToUpper(string([]rune(t.Name)[:1]))
			if n := len(v.Letters); n == 0 || v.Letters[n-1].Letter != letter {
				v.Letters = append(v.Letters, letterGroup{Letter: letter})
			}
			g := &v.Letters[len(v.Letters)-1]
			g.Tags = append(g.Tags, t)
		}
	}
	h.render(w, r, http.StatusOK, "tags", page{Title: localeOf(r.Context()).T("Tags"), Canonical: "/tags", Body: v})
}

// topStories are the stories of the last day with the most sources, one
// entry each (the newest of the story among the day's latest entries).
func (h *handler) topStories(ctx context.Context, now time.Time) ([]entry, error) {
	arts, err := h.store.Articles(ctx, taglines.ArticleQuery{Collapse: true, Limit: topStoriesScan})
	if err != nil {
		return nil, err
	}
	var best []*taglines.Article
	seen := map[int64]bool{}
	for _, a := range arts {
		if a.PublishedAt.Before(now.Add(-topStoriesWindow)) {
			break
		}
		if a.Cluster == 0 || a.StorySources < 2 || seen[a.Cluster] {
			continue
		}
		seen[a.Cluster] = true
		best = append(best, a)
	}
	slices.SortStableFunc(best, func(a, b *taglines.Article) int { return cmp.Compare(b.StorySources, a.StorySources) })
	out := make([]entry, 0, topStoriesLimit)
	for _, a := range best[:min(len(best), topStoriesLimit)] {
		out = append(out, h.entry(ctx, a, now))
	}
	return out, nil
}

func articleHref(id int64) string    { return "/article/" + strconv.FormatInt(id, 10) }
func sourceHref(id int64) string     { return "/source/" + strconv.FormatInt(id, 10) }
func storyHref(id int64) string      { return "/story/" + strconv.FormatInt(id, 10) }
func sectionHref(name string) string { return "/section/" + url.PathEscape(name) }
