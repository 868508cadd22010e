// Package bench holds the measuring code of the `taglines bench` commands:
// extraction, tagging, dedup and ingest against their data sets, a
// generator that fills a store with a realistic year of news, and load
// benchmarks against a server on loopback. The command wires flags and
// prints; the work is here.
package bench

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/testpub"
)

// FillOptions shape a generated store. Zero fields take the defaults.
type FillOptions struct {
	Articles int       // how many; required
	Sources  int       // publishers, with long-tailed volumes; default 500
	Batch    int       // articles per write transaction; default 1000
	Now      time.Time // the newest article's time; default time.Now
	Seed     uint64    // the same seed makes the same store
	// Rate, if set, makes a live trickle instead of a year: Rate articles
	// a second, published as they are written, into a store that may hold
	// others (its sources are new ones), until Articles are written or ctx
	// ends (which then is no error). Load benchmarks write with it while
	// they read, as a poller would.
	Rate float64
	// Progress, if set, is told how many articles are stored so far.
	Progress func(done, total int)
}

// FillResult counts what Fill wrote.
type FillResult struct {
	Articles, Sources, Versions, StoryMembers int
	Elapsed                                   time.Duration
}

// Vocabulary sizes of the generated long tails: pseudo-words in the
// added sentences (so that some words are as rare as real rare names),
// and tags.
const (
	pseudoWords = 200_000
	pseudoTags  = 20_000
)

// PseudoWord is the i-th generated word (capitalised, pronounceable,
// distinct for distinct i): the generator's rare names, and what a load
// benchmark searches for as a rare word.
func PseudoWord(i int) string {
	const cons, vows = "bdfgklmnprstvz", "aeiou"
	var b strings.Builder
	b.WriteByte(cons[i%len(cons)] - 'a' + 'A')
	i /= len(cons)
	b.WriteByte(vows[i%len(vows)])
	i /= len(vows)
	for n := 0; n < 2 || i > 0; n++ {
		b.WriteByte(cons[i%len(cons)])
		i /= len(cons)
		b.WriteByte(vows[i%len(vows)])
		i /= len(vows)
	}
	b.WriteString("ran")
	return b.String()
}

// Fill writes opts.Articles articles made from the demo corpus into st
// through its public write path (AddSource, AddArticles, SetGroups), in
// batches: long-tailed source volumes, a year of publication times with a
// daily cycle (stored in time order, as a stream arrives), long-tailed
// tags and rare words, re-titled versions (5%) and stories across sources
// (10%). Sources are due in ten years, so a poller leaves them alone.
func Fill(ctx context.Context, st taglines.Store, opts FillOptions) (FillResult, error) {
	start := time.Now()
	if opts.Articles <= 0 {
		return FillResult{}, fmt.Errorf("fill: %d articles: %w", opts.Articles, taglines.ErrInvalid)
	}
	opts.Sources = cmp.Or(opts.Sources, 500)
	opts.Batch = cmp.Or(opts.Batch, 1000)
	live := opts.Rate > 0
	wctx := ctx
	var tick <-chan time.Time
	srcURL := "https://pub%d.example/feed"
	if live {
		// One batch a second; sources of their own, named apart from
		// those of any earlier fill or trickle.
		opts.Batch = max(1, int(math.Round(opts.Rate)))
		t := time.NewTicker(time.Second)
		defer t.Stop()
		tick = t.C
		// A batch once begun is written whole, articles and groups.
		wctx = context.WithoutCancel(ctx)
		srcURL = "https://live" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-pub%d.example/feed"
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	corpus, err := testpub.Corpus()
	if err != nil {
		return FillResult{}, err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7a91))
	words := rand.NewZipf(rng, 1.05, 1, pseudoWords-1)
	tags := rand.NewZipf(rng, 1.1, 1, pseudoTags-1)
	pubs := rand.NewZipf(rng, 1.2, 3, uint64(opts.Sources-1))

	var res FillResult
	sources := make([]*taglines.Source, opts.Sources)
	for i := range sources {
		base := corpus[i%len(corpus)].Source
		src := &taglines.Source{
			URL:        fmt.Sprintf(srcURL, i),
			Title:      base + " " + strconv.Itoa(i),
			NextPollAt: opts.Now.AddDate(10, 0, 0),
		}
		if err := st.AddSource(ctx, src); err != nil {
			return res, fmt.Errorf("fill: %w", err)
		}
		sources[i] = src
	}
	res.Sources = len(sources)
	byID := make(map[int64]*taglines.Source, len(sources))
	for _, src := range sources {
		byID[src.ID] = src
	}

	// The last articles stored, for versions and stories to refer to.
	type recent struct {
		a       *taglines.Article
		base    int
		cluster int64
	}
	var ring []recent
	const ringSize = 2000
	year := 365 * 24 * time.Hour
	first := opts.Now.Add(-year)
	for done := 0; done < opts.Articles; {
		if live {
			select {
			case <-ctx.Done():
				res.Elapsed = time.Since(start)
				return res, nil
			case <-tick:
			}
		}
		n := min(opts.Batch, opts.Articles-done)
		batch := make([]*taglines.Article, 0, n)
		type link struct {
			of      int // index in ring, -1 none
			version bool
			base    int // the corpus article it is made from
		}
		links := make([]link, 0, n)
		for k := range n {
			i := done + k
			// Day by day through the year; within a day, most news in
			// working hours.
			day := first.Add(time.Duration(float64(year) * float64(i) / float64(opts.Articles))).Truncate(24 * time.Hour)
			hour := 6 + rng.NormFloat64()*3.5 + 7
			hour = math.Max(0, math.Min(23.99, hour))
			at := day.Add(time.Duration(hour * float64(time.Hour))).Add(time.Duration(rng.IntN(3600)) * time.Second)
			at = minTime(at, opts.Now)
			if live {
				at = time.Now()
			}

			l := link{of: -1}
			bi := rng.IntN(len(corpus))
			r := rng.Float64()
			if len(ring) > 0 && r < 0.15 {
				l.of = rng.IntN(len(ring))
				l.version = r < 0.05
				bi = ring[l.of].base
			}
			l.base = bi
			c := corpus[bi]
			src := sources[pubs.Uint64()]
			if l.version {
				src = byID[ring[l.of].a.SourceID]
			}
			a := &taglines.Article{
				SourceID: src.ID, URL: src.URL[:len(src.URL)-len("feed")] + "a/" + strconv.Itoa(i),
				Title: c.Title, Language: "en", Section: c.Section, SourceUsed: "page",
				Author:      PseudoWord(int(words.Uint64()%5000)) + " " + PseudoWord(int(words.Uint64()%5000)+1),
				PublishedAt: at, FetchedAt: at.Add(time.Minute),
			}
			paras := c.Paragraphs
			if len(paras) > 3 && rng.Float64() < 0.3 {
				drop := 1 + rng.IntN(len(paras)-1)
				paras = append(append([]string{}, paras[:drop]...), paras[drop+1:]...)
			}
			var extra strings.Builder
			extra.WriteString("Reporting by " + PseudoWord(int(words.Uint64())) + " in " + PseudoWord(int(words.Uint64())))
			for range 3 + rng.IntN(6) {
				extra.WriteString(", " + PseudoWord(int(words.Uint64())))
			}
			extra.WriteString("; editing by " + PseudoWord(int(words.Uint64())) + ".")
			a.Text = strings.Join(paras, "\n\n") + "\n\n" + extra.String()
			switch p := rng.Float64(); {
			case l.version:
				a.Title = "Update: " + c.Title
			case p < 0.1:
				a.Title = "Analysis: " + c.Title
			case p < 0.2:
				a.Title = c.Title + " – " + PseudoWord(int(words.Uint64()))
			}
			for _, cat := range c.Categories {
				a.Tags = append(a.Tags, taglines.Tag{Slug: taglines.TagSlug(cat), Name: cat})
			}
			for range 1 + rng.IntN(4) {
				name := PseudoWord(int(tags.Uint64()))
				a.Tags = append(a.Tags, taglines.Tag{Slug: taglines.TagSlug(name), Name: name})
			}
			batch = append(batch, a)
			links = append(links, l)
		}
		if _, err := st.AddArticles(wctx, batch); err != nil {
			return res, fmt.Errorf("fill: %w", err)
		}
		groups := make([]taglines.Group, 0, n)
		for k, a := range batch {
			l := links[k]
			g := taglines.Group{ArticleID: a.ID, Cluster: a.ID}
			if l.of >= 0 {
				to := ring[l.of]
				g.Cluster = to.cluster
				if l.version {
					g.DuplicateOf = cmp.Or(to.a.DuplicateOf, to.a.ID)
					a.DuplicateOf = g.DuplicateOf
					res.Versions++
				} else {
					res.StoryMembers++
				}
			}
			groups = append(groups, g)
			rec := recent{a: a, base: l.base, cluster: g.Cluster}
			if len(ring) < ringSize {
				ring = append(ring, rec)
			} else {
				ring[rng.IntN(ringSize)] = rec
			}
			a.Text, a.Tags = "", nil // the ring keeps IDs, not texts
		}
		if err := st.SetGroups(wctx, groups); err != nil {
			return res, fmt.Errorf("fill: %w", err)
		}
		done += n
		res.Articles = done
		if opts.Progress != nil {
			opts.Progress(done, opts.Articles)
		}
		if err := ctx.Err(); err != nil && !live {
			return res, err
		}
	}
	// A bulk load leaves the planner's statistics behind (on PostgreSQL,
	// until autovacuum runs): refresh them before anything is measured.
	if a, ok := st.(interface{ Analyze(context.Context) error }); ok && !live {
		if err := a.Analyze(ctx); err != nil {
			return res, fmt.Errorf("fill: %w", err)
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}
