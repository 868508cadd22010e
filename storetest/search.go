package storetest

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
	"github.com/taglines/taglines/testpub"
)

// RunSearch runs the search suite against a store that open returns: the
// queries of SearchQueries select, on a store filled with the demo corpus,
// exactly the articles the rule's own matcher (what a topic uses) selects,
// and rank the same top ten as query.Rank over those. Both stores running
// it is what makes them agree with each other.
func RunSearch(t *testing.T, open func(t *testing.T) taglines.Store) {
	t.Run("Equivalence", func(t *testing.T) {
		t.Parallel()
		testSearchEquivalence(t, open(t))
	})
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, st taglines.Store)
	}{
		{"IndexCurrent", testSearchIndexCurrent},
		{"Collapse", testSearchCollapse},
		{"Recency", testSearchRecency},
		{"Snippets", testSearchSnippets},
		{"BadInput", testSearchBadInput},
		{"Paging", testSearchPaging},
		{"Russian", testSearchRussian},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// searchNow is the clock of the search corpus: article i of the corpus
// was published i×3 hours before it.
var searchNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// SearchQueries is the shared test corpus of queries: phrases, NOT, NEAR,
// prefixes, fields, dates and their mixtures.
var SearchQueries = []string{
	`said`,
	`Russia`,
	`lavrov`,
	`"prime minister"`,
	`"foreign minister" lavrov`,
	`putin NEAR/3 trump`,
	`trump NEAR/10 putin`,
	`"vladimir putin" NEAR/5 sanctions`,
	`title:ukraine`,
	`text:ukraine NOT title:ukraine`,
	`tag:Politics`,
	`section:Business`,
	`section:business economy`,
	`lang:en growth`,
	`source:BBC film`,
	`source:"reuters markets" gold`,
	`after:2026-11-20`,
	`before:2026-10-01 shares`,
	`after:7d`,
	`before:30d after:60d oil`,
	`climat*`,
	`econom*`,
	`NOT said`,
	`film OR music`,
	`(film OR music) NOT award`,
	`football AND NOT (chelsea OR arsenal)`,
	`market* AND (oil OR gold)`,
	`"interest rates"`,
	`title:"world cup"`,
	`government NOT tag:Politics`,
	`tag:Sport OR tag:Technology`,
	`U.S.`,
	`elections`,
	`running`,
	`companies`,
	`"oil price*"`,
	`mobile NEAR/2 phone*`,
	`title:film NEAR/4 title:award`,
	`profit NOT (loss OR losses)`,
	`bank OR banks OR banking`,
	`xyzzyunheardof`,
	`NOT tag:Politics after:30d`,
	`source:Reuters section:Commodities NOT copper`,
	`lang:ru`,
	`(tag:Sport OR tag:Entertainment) "best"`,
	`chelsea OR tag:Business`,
	`title:minister OR text:"prime minister"`,
	`"the us" NEAR/0 "dollar"`,
	`Europe's`,
	`deficit NEAR/1 trade`,
	`election*`,
	`olympic* OR athlet*`,
	`refugee* NEAR/5 asylum`,
	`"general election*"`,
}

// searchCorpus is the corpus as stored: the articles of testpub's corpus
// by source, with their sections and categories as tags.
var searchCorpus = sync.OnceValues(func() ([]*taglines.Article, error) {
	arts, err := testpub.Corpus()
	if err != nil {
		return nil, err
	}
	out := make([]*taglines.Article, len(arts))
	for i, a := range arts {
		art := &taglines.Article{
			URL:         "https://" + slug(a.Source) + ".example/" + a.ID,
			Title:       a.Title,
			Text:        strings.Join(a.Paragraphs, "\n\n"),
			Language:    "en",
			Section:     a.Section,
			SourceName:  a.Source,
			PublishedAt: searchNow.Add(-time.Duration(i) * 3 * time.Hour),
		}
		for _, c := range a.Categories {
			art.Tags = append(art.Tags, taglines.Tag{Slug: taglines.TagSlug(c), Name: c})
		}
		out[i] = art
	}
	return out, nil
})

func slug(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "-")) }

// fillSearch stores the corpus, in the order of its publication times
// (oldest first, as a stream arrives), under one source per publisher.
func fillSearch(t *testing.T, st taglines.Store) []*taglines.Article {
	t.Helper()
	corpus, err := searchCorpus()
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]*taglines.Source{}
	var stored []*taglines.Article
	for i := len(corpus) - 1; i >= 0; i-- {
		c := *corpus[i]
		c.Tags = slices.Clone(c.Tags)
		src := sources[c.SourceName]
		if src == nil {
			src = &taglines.Source{URL: "https://" + slug(c.SourceName) + ".example/feed", Title: c.SourceName}
			if err := st.AddSource(t.Context(), src); err != nil {
				t.Fatal(err)
			}
			sources[c.SourceName] = src
		}
		c.SourceID = src.ID
		stored = append(stored, &c)
	}
	for start := 0; start < len(stored); start += 100 {
		addArticles(t, st, stored[start:min(len(stored), start+100)]...)
	}
	return stored
}

// oracle returns, newest first, the stored articles q matches by the
// rule's own matcher.
func oracle(q *query.Query, stored []*taglines.Article) []*taglines.Article {
	var out []*taglines.Article
	for _, a := range stored {
		var tags []string
		for _, tg := range a.Tags {
			tags = append(tags, tg.Name)
		}
		d := &query.Doc{Title: a.Title, Text: a.Text, Tags: tags, Source: a.SourceName,
			Section: a.Section, Lang: a.Language, Published: a.PublishedAt, Now: searchNow}
		if q.Match(d) {
			out = append(out, a)
		}
	}
	return newestFirst(out)
}

func testSearchEquivalence(t *testing.T, st taglines.Store) {
	stored := fillSearch(t, st)
	if len(SearchQueries) < 40 {
		t.Fatalf("%d queries in the shared corpus, want at least 40", len(SearchQueries))
	}
	matched := 0
	for _, text := range SearchQueries {
		q, err := query.ParseSearch(text)
		if err != nil {
			t.Errorf("ParseSearch(%q) = %v", text, err)
			continue
		}
		want := oracle(q, stored)
		if len(want) > 0 && len(want) < len(stored) {
			matched++
		}
		res, err := st.Search(t.Context(), taglines.SearchQuery{Text: text, Newest: true, AllVersions: true, Limit: 1000, Now: searchNow})
		if err != nil {
			t.Errorf("Search(%q) = %v", text, err)
			continue
		}
		var got []*taglines.Article
		for _, h := range res.Hits {
			got = append(got, h.Article)
		}
		if g, w := ids(got), ids(want); !slices.Equal(g, w) {
			t.Errorf("Search(%q) found %d articles, the matcher %d; only in search %v, only in matcher %v",
				text, len(g), len(w), minus(g, w), minus(w, g))
			continue
		}

		// Ranked: the top ten of query.Rank over the newest RankWindow
		// matches by ID.
		positive := q.Positive()
		if len(positive) == 0 {
			continue
		}
		byID := slices.Clone(want)
		slices.SortFunc(byID, func(a, b *taglines.Article) int { return int(b.ID - a.ID) })
		byID = byID[:min(len(byID), query.RankWindow)]
		cands := make([]query.Candidate, len(byID))
		for i, a := range byID {
			tt, bt := query.IndexFields(a.Title, a.Text)
			cands[i] = query.Candidate{ID: a.ID, Published: a.PublishedAt, Title: strings.Join(tt, " "), Body: strings.Join(bt, " ")}
		}
		ranked := query.Rank(positive, cands, searchNow)
		var wantTop []int64
		for _, s := range ranked[:min(10, len(ranked))] {
			wantTop = append(wantTop, s.ID)
		}
		res, err = st.Search(t.Context(), taglines.SearchQuery{Text: text, AllVersions: true, Limit: 10, Now: searchNow})
		if err != nil {
			t.Errorf("ranked Search(%q) = %v", text, err)
			continue
		}
		var gotTop []int64
		for _, h := range res.Hits {
			gotTop = append(gotTop, h.Article.ID)
		}
		if !res.Ranked && len(gotTop) > 0 {
			t.Errorf("Search(%q) is not ranked", text)
		}
		if !slices.Equal(gotTop, wantTop) {
			t.Errorf("ranked Search(%q) top 10 = %v, want %v", text, gotTop, wantTop)
		}
	}
	// A corpus of queries that all match nothing or everything would
	// prove little.
	if matched < 30 {
		t.Errorf("only %d of %d queries select some but not all articles", matched, len(SearchQueries))
	}
}

func minus(a, b []int64) []int64 {
	var out []int64
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func search(t *testing.T, st taglines.Store, sq taglines.SearchQuery) taglines.SearchResult {
	t.Helper()
	if sq.Now.IsZero() {
		sq.Now = searchNow
	}
	res, err := st.Search(t.Context(), sq)
	if err != nil {
		t.Fatalf("Search(%+v) = %v", sq, err)
	}
	return res
}

func hitIDs(res taglines.SearchResult) []int64 {
	var out []int64
	for _, h := range res.Hits {
		out = append(out, h.Article.ID)
	}
	return out
}

func testSearchIndexCurrent(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://index.example/feed")
	a := newArticle(src, "a", base)
	a.Text = "The harbour froze over in January."
	b := newArticle(src, "b", base.Add(time.Hour))
	b.Text = "Nothing froze here."
	addArticles(t, st, a, b)
	if got := hitIDs(search(t, st, taglines.SearchQuery{Text: "harbour"})); !slices.Equal(got, []int64{a.ID}) {
		t.Fatalf("harbour = %v, want [%d]", got, a.ID)
	}
	// Re-extraction rewrites the text: the index follows.
	a.Text = "The lighthouse stood alone."
	if n, err := st.UpdateArticles(t.Context(), []*taglines.Article{a}); err != nil || n != 1 {
		t.Fatalf("UpdateArticles = %d, %v", n, err)
	}
	if got := hitIDs(search(t, st, taglines.SearchQuery{Text: "harbour"})); len(got) != 0 {
		t.Errorf("harbour after the update = %v, want none", got)
	}
	if got := hitIDs(search(t, st, taglines.SearchQuery{Text: "lighthouse"})); !slices.Equal(got, []int64{a.ID}) {
		t.Errorf("lighthouse after the update = %v, want [%d]", got, a.ID)
	}
	// Deleting the source deletes its articles from the index.
	if err := st.RemoveSource(t.Context(), src.ID); err != nil {
		t.Fatal(err)
	}
	other := addSource(t, st, "https://other.example/feed")
	c := newArticle(other, "c", base)
	c.Text = "A lighthouse elsewhere."
	addArticles(t, st, c)
	if got := hitIDs(search(t, st, taglines.SearchQuery{Text: "lighthouse"})); !slices.Equal(got, []int64{c.ID}) {
		t.Errorf("lighthouse after removing the source = %v, want [%d]", got, c.ID)
	}
	if err := st.IndexSearch(t.Context(), nil); err != nil {
		t.Errorf("IndexSearch on a complete index = %v", err)
	}
}

func testSearchCollapse(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://versions.example/feed")
	first := newArticle(src, "v1", base)
	first.Text = "Volcano erupts near the village."
	second := newArticle(src, "v2", base.Add(time.Hour))
	second.Text = "Volcano erupts near the village, thousands flee."
	other := newArticle(src, "o", base.Add(2*time.Hour))
	other.Text = "A volcano museum opens."
	addArticles(t, st, first, second, other)
	if err := st.SetGroups(t.Context(), []taglines.Group{{ArticleID: second.ID, DuplicateOf: first.ID}}); err != nil {
		t.Fatal(err)
	}
	for _, newest := range []bool{false, true} {
		res := search(t, st, taglines.SearchQuery{Text: "volcano", Newest: newest})
		got := hitIDs(res)
		slices.Sort(got)
		want := []int64{second.ID, other.ID}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("volcano (newest %v) = %v, want one entry per group %v", newest, got, want)
		}
		for _, h := range res.Hits {
			if h.Article.ID == second.ID && h.Article.Versions != 1 {
				t.Errorf("the group's entry has Versions %d, want 1", h.Article.Versions)
			}
		}
		all := search(t, st, taglines.SearchQuery{Text: "volcano", Newest: newest, AllVersions: true})
		if len(all.Hits) != 3 {
			t.Errorf("volcano with all versions = %v, want 3 articles", hitIDs(all))
		}
	}
}

// testSearchRecency: this week's articles about Lavrov come before an old
// one that names him more often.
func testSearchRecency(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://recency.example/feed")
	old := newArticle(src, "old", searchNow.AddDate(-6, 0, 0))
	old.Title = "Lavrov, Lavrov, Lavrov"
	old.Text = "Lavrov said. Lavrov met. Lavrov left. Lavrov again."
	fresh := newArticle(src, "fresh", searchNow.Add(-30*time.Hour))
	fresh.Title = "Talks in Geneva"
	fresh.Text = "Foreign ministers met in Geneva; Lavrov spoke briefly at the end of a long day of talks about trade and security."
	addArticles(t, st, old, fresh)
	res := search(t, st, taglines.SearchQuery{Text: "Lavrov"})
	if got := hitIDs(res); !slices.Equal(got, []int64{fresh.ID, old.ID}) {
		t.Errorf("Lavrov = %v, want this week's [%d] before the old [%d]", got, fresh.ID, old.ID)
	}
	if !res.Ranked || len(res.Hits) == 2 && !(res.Hits[0].Score > res.Hits[1].Score) {
		t.Errorf("Lavrov: ranked %v, scores %v", res.Ranked, res.Hits)
	}
}

func testSearchSnippets(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://snippets.example/feed")
	a := newArticle(src, "s", base)
	a.Title = `<script>alert("x")</script> Sanctions bite`
	a.Text = strings.Repeat("Filler words before the news. ", 30) +
		"The new sanctions <b>hit</b> exports & imports hard, officials said.\n\n" + strings.Repeat("More text. ", 50)
	addArticles(t, st, a)
	res := search(t, st, taglines.SearchQuery{Text: "sanction"})
	if len(res.Hits) != 1 {
		t.Fatalf("sanction = %v, want 1 hit", hitIDs(res))
	}
	h := res.Hits[0]
	if !strings.Contains(h.Title, "<mark>Sanctions</mark>") || strings.Contains(h.Title, "<script>") {
		t.Errorf("title = %q, want the stemmed match marked and the HTML escaped", h.Title)
	}
	if !strings.Contains(h.Snippet, "<mark>sanctions</mark> &lt;b&gt;hit&lt;/b&gt; exports &amp; imports") {
		t.Errorf("snippet = %q, want the passage of the match, escaped, with the match marked", h.Snippet)
	}
	if !strings.HasPrefix(h.Snippet, "…") || len(h.Snippet) > 600 {
		t.Errorf("snippet = %q (%d bytes), want a cut passage", h.Snippet, len(h.Snippet))
	}
}

// FuzzDir is the fuzz corpus of query's parser, relative to a store
// package's directory (where its tests run).
var FuzzDir = filepath.Join("..", "query", "testdata", "fuzz", "FuzzParse")

func testSearchBadInput(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://bad.example/feed")
	addArticles(t, st, newArticle(src, "a", base))
	for _, tt := range []struct {
		text string
		pos  int
	}{
		{`(russia OR`, 10},
		{`foo:bar`, 0},
		{`after:yesterday`, 0},
		{`a NEAR/51 b`, 2},
		{strings.TrimSpace(strings.Repeat("w ", query.MaxSearchTerms+1)), 2 * query.MaxSearchTerms},
		{strings.Repeat("(", 70) + "a" + strings.Repeat(")", 70), 64},
		{strings.Repeat("x", query.MaxLen+1), query.MaxLen},
	} {
		_, err := st.Search(t.Context(), taglines.SearchQuery{Text: tt.text})
		var se *query.SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Search(%.40q) = %v, want a *query.SyntaxError wrapping ErrInvalid", tt.text, err)
			continue
		}
		if se.Pos != tt.pos {
			t.Errorf("Search(%.40q) error at %d, want %d: %v", tt.text, se.Pos, tt.pos, se)
		}
	}
	// Every input of the parser's fuzz corpus, and SQL-looking ones: a
	// clean answer or a syntax error, never a database error.
	inputs := []string{`'; DROP TABLE articles; --`, `"a" OR 1=1`, `title:"x'y"`, `tag:"'"`, `source:'%'`,
		`section:"_%"`, `lang:%`, `\" NEAR/2 \\`, `a* b** "c d"*`, `NOT NOT NOT x`, `über*`, `«цитата»`}
	entries, _ := os.ReadDir(FuzzDir)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(FuzzDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "string(") {
				continue
			}
			if s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(line, "string("), ")")); err == nil {
				inputs = append(inputs, s)
			}
		}
	}
	if len(entries) == 0 {
		t.Errorf("no fuzz corpus in %s", FuzzDir)
	}
	for _, in := range inputs {
		for _, newest := range []bool{false, true} {
			_, err := st.Search(t.Context(), taglines.SearchQuery{Text: in, Newest: newest, Now: searchNow})
			if err != nil && !errors.Is(err, taglines.ErrInvalid) {
				t.Errorf("Search(%q) = %v, want results or a syntax error", in, err)
			}
		}
	}
	if st, err := st.Stats(t.Context()); err != nil || st.Articles != 1 {
		t.Errorf("after the hostile queries: %+v, %v; want the one article still stored", st, err)
	}
}

func testSearchPaging(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://paging.example/feed")
	var all []*taglines.Article
	for i := range 25 {
		a := newArticle(src, "p"+strconv.Itoa(i), base.Add(time.Duration(i)*time.Hour))
		a.Text = "The comet passed. " + strings.Repeat("Comet! ", i%4)
		all = append(all, a)
	}
	addArticles(t, st, all...)
	for _, newest := range []bool{false, true} {
		seen := map[int64]bool{}
		sq := taglines.SearchQuery{Text: "comet", Newest: newest, Limit: 10}
		pages := 0
		for {
			res := search(t, st, sq)
			pages++
			for _, id := range hitIDs(res) {
				if seen[id] {
					t.Errorf("newest %v: article %d on two pages", newest, id)
				}
				seen[id] = true
			}
			if res.NextBefore == nil && res.NextOffset == 0 || pages > 5 {
				break
			}
			sq.Before, sq.Offset = res.NextBefore, res.NextOffset
		}
		if len(seen) != 25 || pages != 3 {
			t.Errorf("newest %v: %d articles on %d pages, want 25 on 3", newest, len(seen), pages)
		}
	}
	// An empty query lists the latest articles.
	res := search(t, st, taglines.SearchQuery{Limit: 3})
	if got := hitIDs(res); !slices.Equal(got, []int64{all[24].ID, all[23].ID, all[22].ID}) {
		t.Errorf("empty query = %v, want the latest three", got)
	}
}

func testSearchRussian(t *testing.T, st taglines.Store) {
	src := addSource(t, st, "https://ru.example/feed")
	a := newArticle(src, "ru", base)
	a.Title = "Переговоры в Москве"
	a.Text = "Министры иностранных дел встретились в Москве и обсудили санкции."
	a.Language = "ru"
	addArticles(t, st, a)
	for _, text := range []string{"москва", "Москвы", "санкциями", `"иностранных дел"`, "lang:ru министр*"} {
		if got := hitIDs(search(t, st, taglines.SearchQuery{Text: text})); !slices.Equal(got, []int64{a.ID}) {
			t.Errorf("%s = %v, want [%d]", text, got, a.ID)
		}
	}
}
