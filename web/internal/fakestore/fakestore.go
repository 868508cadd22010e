// Package fakestore is an in-memory taglines.Store for the web and api
// tests, loaded with the articles of the reference tag pages.
//
// It implements the read path faithfully (ordering, tag lookup, cursors,
// top tags) and the write path only as far as tests need it. It is not a
// substitute for the storetest suite.
package fakestore

import (
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

//go:embed testdata/reference.json
var referenceJSON []byte

// Now is the instant at which the reference fixture shows the relative
// times of the reference pages ("a day ago", "6 days ago", "09-07-2025").
func Now() time.Time { return time.Date(2025, 7, 22, 12, 0, 0, 0, time.UTC) }

var _ taglines.Store = (*Store)(nil)

// Store is an in-memory taglines.Store. The zero value is an empty store;
// it is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	sources  []*taglines.Source
	articles []*taglines.Article
	err      error // returned by every read when set, to test error pages
	nextID   int64
}

// New returns a store holding the reference fixture (testdata/reference.json).
func New() *Store {
	var fx struct {
		Sources  []*taglines.Source
		Articles []*taglines.Article
	}
	if err := json.Unmarshal(referenceJSON, &fx); err != nil {
		panic(fmt.Sprintf("fakestore: bad embedded fixture: %v", err))
	}
	s := &Store{sources: fx.Sources, articles: fx.Articles}
	for _, a := range s.articles {
		s.nextID = max(s.nextID, a.ID)
	}
	for _, src := range s.sources {
		s.nextID = max(s.nextID, src.ID)
	}
	return s
}

// Fail makes every read return err until Fail(nil).
func (s *Store) Fail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// Add stores articles as given, keeping their IDs if set; it is the test
// shortcut for AddArticles.
func (s *Store) Add(articles ...*taglines.Article) {
	if _, err := s.AddArticles(context.Background(), articles); err != nil {
		panic(err)
	}
}

func (s *Store) AddSource(_ context.Context, src *taglines.Source) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.sources {
		if o.URL == src.URL {
			return fmt.Errorf("source %s: %w", src.URL, taglines.ErrConflict)
		}
	}
	s.nextID++
	src.ID = s.nextID
	c := *src
	s.sources = append(s.sources, &c)
	return nil
}

func (s *Store) Source(_ context.Context, id int64) (*taglines.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	for _, src := range s.sources {
		if src.ID == id {
			return s.withCount(src), nil
		}
	}
	return nil, fmt.Errorf("source %d: %w", id, taglines.ErrNotFound)
}

func (s *Store) SourceByURL(_ context.Context, url string) (*taglines.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	for _, src := range s.sources {
		if src.URL == url {
			return s.withCount(src), nil
		}
	}
	return nil, fmt.Errorf("source %s: %w", url, taglines.ErrNotFound)
}

func (s *Store) Sources(context.Context) ([]*taglines.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	out := make([]*taglines.Source, 0, len(s.sources))
	for _, src := range s.sources {
		out = append(out, s.withCount(src))
	}
	slices.SortFunc(out, func(a, b *taglines.Source) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// withCount returns a copy of src with ArticleCount filled; s.mu is held.
func (s *Store) withCount(src *taglines.Source) *taglines.Source {
	c := *src
	c.ArticleCount = 0
	for _, a := range s.articles {
		if a.SourceID == src.ID {
			c.ArticleCount++
		}
	}
	return &c
}

func (s *Store) RemoveSource(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.sources)
	s.sources = slices.DeleteFunc(s.sources, func(src *taglines.Source) bool { return src.ID == id })
	if len(s.sources) == n {
		return fmt.Errorf("source %d: %w", id, taglines.ErrNotFound)
	}
	s.articles = slices.DeleteFunc(s.articles, func(a *taglines.Article) bool { return a.SourceID == id })
	return nil
}

// ClaimDueSources returns the due sources without leasing them: the pages
// never poll.
func (s *Store) ClaimDueSources(_ context.Context, _ string, now time.Time, limit int, _ time.Duration) ([]*taglines.Source, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*taglines.Source
	for _, src := range s.sources {
		if len(out) < limit && !src.NextPollAt.After(now) {
			c := *src
			out = append(out, &c)
		}
	}
	return out, nil
}

func (s *Store) RecordFetch(_ context.Context, id int64, r taglines.FetchResult) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, src := range s.sources {
		if src.ID != id {
			continue
		}
		src.LastAttemptAt, src.Status, src.HTTPStatus, src.LastError, src.NextPollAt = r.At, r.Status, r.HTTPStatus, r.Err, r.NextPollAt
		if r.Status == taglines.FetchFailed {
			src.ConsecutiveFailures++
		} else {
			src.ConsecutiveFailures = 0
			src.LastSuccessAt = r.At
		}
		return nil
	}
	return fmt.Errorf("source %d: %w", id, taglines.ErrNotFound)
}

func (s *Store) KnownURLs(_ context.Context, sourceID int64, urls []string) (map[string]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	known := make(map[string]bool)
	for _, a := range s.articles {
		if a.SourceID == sourceID && slices.Contains(urls, a.URL) {
			known[a.URL] = true
		}
	}
	return known, nil
}

func (s *Store) AddArticles(_ context.Context, articles []*taglines.Article) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, a := range articles {
		if slices.ContainsFunc(s.articles, func(o *taglines.Article) bool { return o.SourceID == a.SourceID && o.URL == a.URL }) {
			continue
		}
		if a.ID == 0 {
			s.nextID++
			a.ID = s.nextID
		}
		s.nextID = max(s.nextID, a.ID)
		s.articles = append(s.articles, copyArticle(a))
		n++
	}
	return n, nil
}

func (s *Store) Article(_ context.Context, id int64) (*taglines.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	for _, a := range s.articles {
		if a.ID == id {
			return s.read(a), nil
		}
	}
	return nil, fmt.Errorf("article %d: %w", id, taglines.ErrNotFound)
}

// Articles follows the Store contract: newest first by (PublishedAt, ID),
// strictly after q.Before, at most q.Limit (default 50).
func (s *Store) Articles(_ context.Context, q taglines.ArticleQuery) ([]*taglines.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	slug := taglines.TagSlug(q.Tag)
	var out []*taglines.Article
	for _, a := range s.articles {
		if slug != "" && !slices.ContainsFunc(a.Tags, func(t taglines.Tag) bool { return t.Slug == slug }) {
			continue
		}
		if c := q.Before; c != nil && !(a.PublishedAt.Before(c.PublishedAt) || a.PublishedAt.Equal(c.PublishedAt) && a.ID < c.ID) {
			continue
		}
		if q.Collapse && s.superseded(a) || q.Cluster != 0 && a.Cluster != q.Cluster ||
			q.Section != "" && a.Section != q.Section || q.SourceID != 0 && a.SourceID != q.SourceID {
			continue
		}
		c := s.read(a)
		sources := map[int64]bool{}
		for _, b := range s.articles {
			if b.DuplicateOf != 0 && b.DuplicateOf == cmp.Or(a.DuplicateOf, a.ID) {
				c.Versions++
			}
			if a.Cluster != 0 && b.Cluster == a.Cluster {
				sources[b.SourceID] = true
			}
		}
		c.StorySources = len(sources)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *taglines.Article) int {
		return cmp.Or(b.PublishedAt.Compare(a.PublishedAt), cmp.Compare(b.ID, a.ID))
	})
	return out[:min(limit, len(out))], nil
}

// read returns a copy of a with SourceName filled; s.mu is held.
func (s *Store) read(a *taglines.Article) *taglines.Article {
	c := copyArticle(a)
	for _, src := range s.sources {
		if src.ID == a.SourceID {
			c.SourceName = src.Name()
		}
	}
	return c
}

func copyArticle(a *taglines.Article) *taglines.Article {
	c := *a
	c.Tags = slices.Clone(a.Tags)
	return &c
}

func (s *Store) Tag(_ context.Context, nameOrSlug string) (taglines.Tag, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return taglines.Tag{}, s.err
	}
	slug := taglines.TagSlug(nameOrSlug)
	for _, a := range s.articles {
		for _, t := range a.Tags {
			if slug != "" && t.Slug == slug {
				return t, nil
			}
		}
	}
	return taglines.Tag{}, fmt.Errorf("tag %q: %w", nameOrSlug, taglines.ErrNotFound)
}

func (s *Store) TopTags(_ context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	counts := make(map[taglines.Tag]int)
	for _, a := range s.articles {
		if a.PublishedAt.Before(since) {
			continue
		}
		for _, t := range a.Tags {
			counts[t]++
		}
	}
	out := make([]taglines.TagCount, 0, len(counts))
	for t, n := range counts {
		out = append(out, taglines.TagCount{Tag: t, Count: n})
	}
	slices.SortFunc(out, func(a, b taglines.TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Slug, b.Slug))
	})
	return out[:min(limit, len(out))], nil
}

func (s *Store) SectionCounts(_ context.Context, since time.Time) ([]taglines.SectionCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	counts := map[string]int{}
	for _, a := range s.articles {
		if !a.PublishedAt.Before(since) && !s.superseded(a) && a.Section != "" {
			counts[a.Section]++
		}
	}
	out := make([]taglines.SectionCount, 0, len(counts))
	for name, n := range counts {
		out = append(out, taglines.SectionCount{Name: name, Count: n})
	}
	slices.SortFunc(out, func(a, b taglines.SectionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}

func (s *Store) Stats(context.Context) (taglines.Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return taglines.Stats{}, s.err
	}
	st := taglines.Stats{Sources: len(s.sources), Articles: len(s.articles)}
	tags := make(map[string]bool)
	for _, a := range s.articles {
		for _, t := range a.Tags {
			tags[t.Slug] = true
		}
	}
	st.Tags = len(tags)
	for _, src := range s.sources {
		if src.Failing() {
			st.FailingSources++
		}
	}
	return st, nil
}

func (s *Store) Close() error { return nil }

// UpdateSource is not used by the pages; it reports ErrNotFound.
func (s *Store) UpdateSource(context.Context, *taglines.Source) error { return taglines.ErrNotFound }

// SourceState is not used by the pages; it returns no state.
func (s *Store) SourceState(context.Context, int64, string) ([]byte, error) { return nil, nil }

// SetSourceState is not used by the pages; it reports ErrNotFound.
func (s *Store) SetSourceState(context.Context, int64, string, []byte) error {
	return taglines.ErrNotFound
}

// SetGroups records version groups and stories on the stored articles.
func (s *Store) SetGroups(_ context.Context, groups []taglines.Group) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range groups {
		for _, a := range s.articles {
			if a.ID == g.ArticleID {
				a.DuplicateOf, a.Cluster = g.DuplicateOf, g.Cluster
			}
		}
	}
	return nil
}

// CoTags is computed from the stored articles.
func (s *Store) CoTags(_ context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[string]*taglines.TagCount{}
	for _, a := range s.articles {
		if a.PublishedAt.Before(since) || !slices.ContainsFunc(a.Tags, func(t taglines.Tag) bool { return t.Slug == slug }) {
			continue
		}
		for _, t := range a.Tags {
			if t.Slug == slug {
				continue
			}
			if counts[t.Slug] == nil {
				counts[t.Slug] = &taglines.TagCount{Tag: t}
			}
			counts[t.Slug].Count++
		}
	}
	var out []taglines.TagCount
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b taglines.TagCount) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Slug, b.Slug)) })
	return out[:min(len(out), limit)], nil
}

// TagCounts is computed from the stored articles.
func (s *Store) TagCounts(_ context.Context, slugs []string, since, until time.Time) (map[string]int, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[string]int{}
	tagged := 0
	for _, a := range s.articles {
		if a.PublishedAt.Before(since) || !until.IsZero() && !a.PublishedAt.Before(until) || len(a.Tags) == 0 {
			continue
		}
		tagged++
		for _, t := range a.Tags {
			if slices.Contains(slugs, t.Slug) {
				counts[t.Slug]++
			}
		}
	}
	return counts, tagged, nil
}

// UpdateArticles, ScanArticles and the tag rules are not used by the
// pages; they do nothing.
func (s *Store) UpdateArticles(context.Context, []*taglines.Article) (int, error) { return 0, nil }

// ScanArticles returns nothing.
func (s *Store) ScanArticles(context.Context, int64, int, int64) ([]*taglines.Article, error) {
	return nil, nil
}

// TagRules returns none.
func (s *Store) TagRules(context.Context) ([]taglines.TagRule, error) { return nil, nil }

// SetTagRule accepts and forgets.
func (s *Store) SetTagRule(context.Context, taglines.TagRule) error { return nil }

// DeleteTagRule finds nothing.
func (s *Store) DeleteTagRule(context.Context, taglines.TagRuleKind, string) error {
	return taglines.ErrNotFound
}

// superseded reports whether a newer version of a's group exists; s.mu is
// held.
func (s *Store) superseded(a *taglines.Article) bool {
	group := cmp.Or(a.DuplicateOf, a.ID)
	for _, b := range s.articles {
		if b != a && cmp.Or(b.DuplicateOf, b.ID) == group &&
			(b.PublishedAt.After(a.PublishedAt) || b.PublishedAt.Equal(a.PublishedAt) && b.ID > a.ID) {
			return true
		}
	}
	return false
}

// Search answers with the rule's own matcher over the articles in memory.
func (s *Store) Search(ctx context.Context, q taglines.SearchQuery) (taglines.SearchResult, error) {
	return query.Search(ctx, s, q)
}

// IndexSearch has nothing to build: Search matches the text itself.
func (s *Store) IndexSearch(context.Context, func(done, total int)) error { return nil }

// SearchCandidates implements query.Backend by matching every article.
func (s *Store) SearchCandidates(_ context.Context, q *query.Query, c query.CandidateQuery) ([]query.Candidate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	var out []query.Candidate
	for _, a := range s.articles {
		if c.Collapse && s.superseded(a) {
			continue
		}
		if q != nil {
			var tags []string
			for _, t := range a.Tags {
				tags = append(tags, t.Slug)
			}
			d := &query.Doc{Title: a.Title, Text: a.Text, Tags: tags, Source: s.read(a).SourceName,
				Section: a.Section, Lang: a.Language, Published: a.PublishedAt, Now: c.Now}
			if !q.Match(d) {
				continue
			}
		}
		if c.Newest && c.Before != nil && !(a.PublishedAt.Before(c.Before.PublishedAt) ||
			a.PublishedAt.Equal(c.Before.PublishedAt) && a.ID < c.Before.ID) {
			continue
		}
		cand := query.Candidate{ID: a.ID, Published: a.PublishedAt}
		if !c.Newest {
			tt, bt := query.IndexFields(a.Title, a.Text)
			cand.Title, cand.Body = strings.Join(tt, " "), strings.Join(bt, " ")
		}
		out = append(out, cand)
	}
	slices.SortFunc(out, func(a, b query.Candidate) int {
		if c.Newest {
			return cmp.Or(b.Published.Compare(a.Published), cmp.Compare(b.ID, a.ID))
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return out[:min(len(out), c.Limit)], nil
}

// ArticlesByID implements query.Backend.
func (s *Store) ArticlesByID(ctx context.Context, ids []int64) ([]*taglines.Article, error) {
	all, err := s.Articles(ctx, taglines.ArticleQuery{Limit: 1 << 30})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*taglines.Article{}
	for _, a := range all {
		byID[a.ID] = a
	}
	var out []*taglines.Article
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}
