// Package ingest runs the pipeline for one source: fetch the feed → parse →
// fetch and extract each new article page → enrich → canonicalise → store.
// It is the one user of taglines.Store on the write path of articles;
// scheduling (which source, when) belongs to package poll.
package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/extract"
	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/fetch"
)

// maxChildSitemaps bounds the child sitemaps of an index read per poll.
const maxChildSitemaps = 2

// Options configure an Ingester. The zero value is usable.
type Options struct {
	// PageConcurrency bounds the article pages fetched at once for one
	// source (default 4).
	PageConcurrency int
	// SkipPages stores the feed's own content instead of fetching pages.
	SkipPages bool
	// Tagger finds each article's hashtags and section in its text; nil
	// keeps the feed's categories only.
	Tagger *enrich.Tagger
	// TagRules are the operators' alias, merge and block rules, applied to
	// every article's tags; nil applies none.
	TagRules *enrich.TagRules
	// Dedup groups new articles with their earlier versions and into
	// stories; nil leaves every article on its own.
	Dedup  *dedup.Deduper
	Logger *slog.Logger
	Now    func() time.Time
}

// Ingester polls sources. It is safe for concurrent use; each call to
// Ingest works on its own source.
type Ingester struct {
	store taglines.Store
	fetch *fetch.Client
	opts  Options
	// parsing bounds the pages parsed and extracted at once across all
	// sources: the work is CPU-bound and each parse tree is large, so more
	// in parallel than there are cores only costs memory.
	parsing chan struct{}

	// habits caches each source's section habit (see loadHabit), so that
	// a poll neither reads nor writes it in the store every time.
	habitsMu sync.Mutex
	habits   map[int64]*sectionHabit
}

// New returns an Ingester writing to store through fetcher.
func New(store taglines.Store, fetcher *fetch.Client, opts Options) *Ingester {
	if opts.PageConcurrency <= 0 {
		opts.PageConcurrency = 4
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Ingester{store: store, fetch: fetcher, opts: opts, parsing: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}
}

// Outcome is the result of one poll of one source.
type Outcome struct {
	Result     taglines.FetchResult // NextPollAt is left for the scheduler
	RetryAfter time.Duration        // the server's Retry-After, if it sent one
	Items      int                  // items in the feed
	New        int                  // articles stored
	PageErrors int                  // pages that failed and fell back to feed text
	// ItemsPerDay is the publishing rate seen in the feed's item dates over
	// the last week; negative when the feed gave too few dates to tell.
	ItemsPerDay float64
	// MinInterval is the publisher's own "do not ask before": Cache-Control,
	// Expires or RSS <ttl>, whichever is longest.
	MinInterval time.Duration
	// Interrupted is set when ctx ended before the source was done: nothing
	// was stored and the source should simply be retried later.
	Interrupted bool
}

// Ingest polls one source once. Articles are written in one transaction
// before the new validators are recorded by the caller, so a crash between
// the two re-reads the feed and stores nothing twice.
func (in *Ingester) Ingest(ctx context.Context, src *taglines.Source) Outcome {
	log := in.opts.Logger.With("source", src.ID, "url", src.URL)
	out := Outcome{Result: taglines.FetchResult{At: in.opts.Now()}, ItemsPerDay: -1}
	fail := func(httpStatus int, err error) Outcome {
		if ctx.Err() != nil {
			out.Interrupted = true
		}
		out.Result.Status = taglines.FetchFailed
		out.Result.HTTPStatus = httpStatus
		out.Result.Err = err.Error()
		log.Warn("poll failed", "err", err)
		return out
	}

	resp, err := in.fetch.Feed(ctx, src.URL, fetch.Validators{ETag: src.ETag, LastModified: src.LastModified})
	if err != nil {
		var se *fetch.StatusError
		var be *fetch.HostBackoffError
		switch {
		case errors.As(err, &se):
			out.RetryAfter = fetch.RetryAfter(se.RetryAfter, in.opts.Now())
			return fail(se.StatusCode, err)
		case errors.As(err, &be):
			out.RetryAfter = be.Until.Sub(in.opts.Now())
		}
		return fail(0, err)
	}
	out.Result.HTTPStatus = resp.StatusCode
	out.MinInterval = resp.MaxAge
	if resp.NotModified {
		out.Result.Status = taglines.FetchNotModified
		return out
	}
	f, err := feed.Parse(resp.Body, resp.URL, resp.ContentType)
	if err != nil {
		return fail(resp.StatusCode, err)
	}
	if len(f.Sitemaps) > 0 {
		// A sitemap index: its newest children hold the recent articles.
		for _, child := range f.Sitemaps[:min(len(f.Sitemaps), maxChildSitemaps)] {
			r, err := in.fetch.Feed(ctx, child, fetch.Validators{})
			if err != nil {
				log.Debug("child sitemap", "url", child, "err", err)
				continue
			}
			if cf, err := feed.Parse(r.Body, r.URL, r.ContentType); err == nil {
				f.Items = append(f.Items, cf.Items...)
				f.Refused = append(f.Refused, cf.Refused...)
			}
		}
	}
	out.Items = len(f.Items)
	out.ItemsPerDay = itemsPerDay(f.Items, in.opts.Now())
	out.MinInterval = max(out.MinInterval, f.TTL)

	items, refused := in.newItems(f.Items)
	refused = append(f.Refused, refused...)
	if len(refused) > 0 {
		log.Debug("feed items refused", "count", len(refused), "first", refused[0].Reason, "link", refused[0].Link)
	}
	urls := make([]string, 0, len(items))
	for _, it := range items {
		urls = append(urls, it.URL)
	}
	known, err := in.store.KnownURLs(ctx, src.ID, urls)
	if err != nil {
		return fail(resp.StatusCode, fmt.Errorf("known urls: %w", err))
	}
	fresh := items[:0]
	for _, it := range items {
		if !known[it.URL] {
			fresh = append(fresh, it)
		}
	}

	px, err := in.sourceExtraction(ctx, src, len(fresh) > 0)
	if err != nil {
		return fail(resp.StatusCode, err)
	}
	sm, err := sourceSectionMap(src)
	if err != nil {
		return fail(resp.StatusCode, err)
	}
	articles := make([]*taglines.Article, len(fresh))
	raw := make([]string, len(fresh)) // page texts before boilerplate removal, to learn from
	var pageErrs int
	var mu sync.Mutex
	sem := make(chan struct{}, in.opts.PageConcurrency)
	var wg sync.WaitGroup
	for i, it := range fresh {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a, pageText, err := in.article(ctx, src, px, it)
			if err != nil {
				mu.Lock()
				pageErrs++
				mu.Unlock()
				log.Debug("page fell back to feed text", "page", it.URL, "err", err)
			}
			articles[i], raw[i] = a, pageText
		})
	}
	wg.Wait()
	px.learnAndClean(raw, articles)
	habit := in.loadHabit(ctx, src)
	names := in.enrich(src, sm, habit, fresh, articles)
	if ctx.Err() != nil {
		// Pages cut short by shutdown would be stored with feed text only;
		// store nothing and let the source be polled again.
		out.Interrupted = true
		return fail(resp.StatusCode, ctx.Err())
	}
	out.PageErrors = pageErrs

	n, err := in.store.AddArticles(ctx, articles)
	if err != nil {
		return fail(resp.StatusCode, fmt.Errorf("store articles: %w", err))
	}
	out.New = n
	if err := in.group(ctx, src, articles, names); err != nil {
		// The articles are stored; they show on their own until an
		// operator or a later run groups them.
		log.Warn("dedup", "err", err)
	}
	if err := in.saveBoilerplate(ctx, src, px); err != nil {
		log.Warn("boilerplate state not saved", "err", err) // a cache: the next poll relearns
	}
	if err := in.saveHabit(ctx, src, habit); err != nil {
		log.Warn("section habit not saved", "err", err) // a summary: the next poll relearns
	}
	out.Result.Status = taglines.FetchOK
	out.Result.RefusedItems, out.Result.Warning = len(refused), refusedWarning(refused)
	out.Result.ETag = resp.ETag
	out.Result.LastModified = resp.LastModified
	out.Result.Title = f.Title
	out.Result.SiteURL = f.SiteURL
	log.Debug("polled", "items", out.Items, "new", n, "page_errors", pageErrs)
	return out
}

// newItems canonicalises item URLs and drops items that repeat a URL
// within the feed or have none usable.
func (in *Ingester) newItems(items []feed.Item) ([]feed.Item, []feed.Refused) {
	seen := make(map[string]bool, len(items))
	out := make([]feed.Item, 0, len(items))
	var refused []feed.Refused
	for _, it := range items {
		u, err := dedup.CanonicalURL(it.URL)
		if err != nil {
			refused = append(refused, feed.Refused{Title: it.Title, Link: it.URL, Reason: feed.ReasonBadLink})
			continue
		}
		if seen[u] {
			continue // the same article listed twice
		}
		seen[u] = true
		it.URL = u
		out = append(out, it)
	}
	return out, refused
}

// refusedWarning sums up refused feed entries for the source's health:
// "3 feed items refused: 2 no link, 1 javascript: link (first: "Title")".
func refusedWarning(refused []feed.Refused) string {
	if len(refused) == 0 {
		return ""
	}
	var reasons []string
	count := map[string]int{}
	for _, r := range refused {
		if count[r.Reason] == 0 {
			reasons = append(reasons, r.Reason)
		}
		count[r.Reason]++
	}
	parts := make([]string, len(reasons))
	for i, r := range reasons {
		parts[i] = fmt.Sprintf("%d %s", count[r], r)
	}
	noun := "items"
	if len(refused) == 1 {
		noun = "item"
	}
	w := fmt.Sprintf("%d feed %s refused: %s", len(refused), noun, strings.Join(parts, ", "))
	first := cmp.Or(refused[0].Title, refused[0].Link)
	if first != "" {
		if r := []rune(first); len(r) > 80 {
			first = string(r[:80]) + "…"
		}
		w += fmt.Sprintf(" (first: %q)", first)
	}
	return w
}

// article builds the stored article of a feed item from its page or its
// feed's text, whichever is fuller (extract.Choose), with the source's
// learnt boilerplate removed later (learnAndClean). It also returns the page's text as
// extracted, before that removal, for the learner. The error only reports
// that the page could not be used; the article is always usable.
func (in *Ingester) article(ctx context.Context, src *taglines.Source, px *pageExtraction, it feed.Item) (*taglines.Article, string, error) {
	now := in.opts.Now()
	a := &taglines.Article{
		SourceID:    src.ID,
		URL:         it.URL,
		GUID:        it.GUID,
		Title:       it.Title,
		Author:      it.Author,
		ImageURL:    it.Image,
		Section:     enrich.Section(it.Categories),
		PublishedAt: it.Published,
		FetchedAt:   now,
		Tags:        enrich.FeedTags(it.Categories),
	}
	feedText := extract.Fragment(it.Content)
	if summary := extract.Fragment(it.Summary); len(feedText) < len(summary) {
		feedText = summary
	}
	var pageErr error
	switch {
	case in.opts.SkipPages:
		pageErr = errors.New("page fetching disabled")
	case src.PreferFeed && len(feedText) >= fullFeedText:
		// The source says its feed carries the whole text: no page fetch.
	default:
		pageErr = in.fromPage(ctx, a, px, it.URL)
	}
	pageText := a.Text
	choice := extract.Choose(feedText, a.Text, src.PreferFeed)
	a.Text, a.SourceUsed = choice.Text, choice.SourceUsed
	if a.Section == "" {
		a.Section = taglines.DefaultSection
	}
	if a.PublishedAt.IsZero() || a.PublishedAt.After(now) {
		// No date, or one in the future (a wrong zone or a typo): the
		// fetch time is the honest upper bound.
		a.PublishedAt = now
	}
	return a, pageText, pageErr
}

func (in *Ingester) fromPage(ctx context.Context, a *taglines.Article, px *pageExtraction, pageURL string) error {
	resp, err := in.fetch.Page(ctx, pageURL)
	if err != nil {
		return err
	}
	u, _ := url.Parse(resp.URL)
	select {
	case in.parsing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	r, err := extract.PageWith(resp.Body, resp.ContentType, u, extract.Options{Rules: px.rules})
	<-in.parsing
	if err != nil {
		return err
	}
	a.Text = r.Text
	if a.Title == "" {
		a.Title = r.Title
	}
	if a.Author == "" {
		a.Author = r.Author
	}
	if a.ImageURL == "" {
		a.ImageURL = r.Image
	}
	if a.PublishedAt.IsZero() {
		a.PublishedAt = r.Published
	}
	a.Language = r.Language
	a.SiteName = r.SiteName
	return nil
}

// itemsPerDay estimates a feed's publishing rate from its items' dates:
// the items of the last week over the span they cover (at least a day, so
// a burst does not look like a torrent). Returns -1 when fewer than two
// items are dated.
func itemsPerDay(items []feed.Item, now time.Time) float64 {
	const week = 7 * 24 * time.Hour
	var n int
	oldest := now
	dated := 0
	for _, it := range items {
		if it.Published.IsZero() || it.Published.After(now) {
			continue
		}
		dated++
		if now.Sub(it.Published) <= week {
			n++
			if it.Published.Before(oldest) {
				oldest = it.Published
			}
		}
	}
	if dated < 2 {
		return -1
	}
	if n == 0 {
		return 0
	}
	span := max(now.Sub(oldest), 24*time.Hour)
	// A feed that lists only its latest items covers less than its real
	// output: a full feed whose oldest item is recent means "at least".
	return float64(n) / span.Hours() * 24
}

// fullFeedText is the length from which a feed item's text counts as the
// whole article (as extract.Choose judges it).
const fullFeedText = 500

// boilerplateKey names the learner's state in the store.
const boilerplateKey = "extract.boilerplate"

// pageExtraction is what extraction uses for one source during one poll:
// its rules and its boilerplate learner. Both are safe to share between
// the poll's page goroutines.
type pageExtraction struct {
	rules       *extract.Rules
	boilerplate *extract.Boilerplate
	learnt      bool // the learner saw new pages in this poll
}

// sourceExtraction loads a source's rules and learnt boilerplate. Broken
// rules fail the poll, so the operator sees the error on the source rather
// than articles extracted without them; an unreadable learner starts anew.
func (in *Ingester) sourceExtraction(ctx context.Context, src *taglines.Source, needed bool) (*pageExtraction, error) {
	px := &pageExtraction{}
	if !needed {
		return px, nil
	}
	if src.Rules != "" {
		r, err := extract.ParseRules([]byte(src.Rules))
		if err != nil {
			return nil, fmt.Errorf("source rules: %w", err)
		}
		px.rules = r
	}
	px.boilerplate = extract.NewBoilerplate(extract.BoilerplateConfig{})
	data, err := in.store.SourceState(ctx, src.ID, boilerplateKey)
	if err != nil {
		return nil, fmt.Errorf("boilerplate state: %w", err)
	}
	if len(data) > 0 {
		if err := px.boilerplate.UnmarshalBinary(data); err != nil {
			in.opts.Logger.Warn("boilerplate state unreadable, relearning", "source", src.ID, "err", err)
			px.boilerplate = extract.NewBoilerplate(extract.BoilerplateConfig{})
		}
	}
	return px, nil
}

// learnAndClean teaches the source's learner the lines of this poll's
// pages, as extracted before any removal (so a line it knows keeps its
// support), then removes what it knows from every new article: a promo
// that recurs across this batch is gone from the batch itself.
func (px *pageExtraction) learnAndClean(pageTexts []string, articles []*taglines.Article) {
	if px.boilerplate == nil {
		return
	}
	for _, t := range pageTexts {
		if t != "" {
			px.boilerplate.Learn(strings.Split(t, "\n\n"))
			px.learnt = true
		}
	}
	for _, a := range articles {
		if a != nil {
			a.Text = px.boilerplate.Clean(a.Text)
		}
	}
}

// saveBoilerplate stores what the learner learnt in this poll.
func (in *Ingester) saveBoilerplate(ctx context.Context, src *taglines.Source, px *pageExtraction) error {
	if px.boilerplate == nil || !px.learnt {
		return nil
	}
	data, err := px.boilerplate.MarshalBinary()
	if err != nil {
		return err
	}
	return in.store.SetSourceState(ctx, src.ID, boilerplateKey, data)
}

// minSectionConfidence is the classifier's probability below which it is
// unsure of an article's section: the source's usual section decides then.
const minSectionConfidence = enrich.SureSection

// enrich tags the new articles from their cleaned text: the tagger's
// entities and topics first (they are scored), then the feed's own
// categories, at most enrich.MaxTags; and the section (see tagArticle),
// learning the source's habit from the sections it is sure of. It returns
// each article's names (see tagArticle) for the dedup stage.
func (in *Ingester) enrich(src *taglines.Source, sm enrich.SectionMap, habit *sectionHabit, items []feed.Item, articles []*taglines.Article) [][]string {
	names := make([][]string, len(articles))
	for i, a := range articles {
		if a == nil {
			continue
		}
		if a.Section != taglines.DefaultSection {
			a.SectionConfidence = 1 // the publisher said so
		}
		names[i] = tagArticle(in.opts.Tagger, in.opts.TagRules, a, src.Name(), items[i].Categories, sm)
		if a.SectionConfidence >= minSectionConfidence {
			habit.learn(a.Section)
		}
	}
	// The articles the classifier was unsure of take the source's usual
	// section, learnt with this poll's sure ones too (a new source's first
	// poll has no habit yet). Their confidence stays below
	// minSectionConfidence, so the habit never learns from its own guesses.
	if usual := habit.usual(); usual != "" {
		for _, a := range articles {
			if a != nil && a.SectionConfidence > 0 && a.SectionConfidence < minSectionConfidence {
				a.Section, a.SectionConfidence = usual, min(a.SectionConfidence, minSectionConfidence/2)
			}
		}
	}
	return names
}

// tagArticle sets an article's tags and section from its text: the
// tagger's scored entities and topics first, then the tags it already has
// (its feed's categories), the operators' rules over all of them, at most
// enrich.MaxTags. The section is the operator's for all the source's
// articles if the source's map sets one, else the one the map gives the
// feed's categories; else, when neither the feed nor the URL named it, the
// classifier's, renamed by the map (enrich then gives the articles it is
// unsure of the source's usual section): an article has the non-section
// taglines.DefaultSection only when it has no words at all. tagger may be
// nil (rules only). It
// returns the slugs of the tags kept that name a person or an
// organisation: what tells two stories on one subject apart (dedup's
// Document.Names).
func tagArticle(tagger *enrich.Tagger, rules *enrich.TagRules, a *taglines.Article, source string, categories []string, sm enrich.SectionMap) []string {
	if s := cmp.Or(sm.All(), sm.FromCategories(categories)); s != "" {
		a.Section, a.SectionConfidence = s, 1 // the operator said so
	} else {
		defer func() { a.Section = sm.Rename(a.Section) }()
	}
	tags := make([]taglines.Tag, 0, enrich.MaxTags+len(a.Tags))
	named := map[string]bool{}
	if tagger != nil {
		res := tagger.Tag(enrich.Article{
			Title: a.Title, Text: a.Text, Source: source, URL: a.URL, Lang: a.Language, Categories: categories,
		})
		for _, st := range res.Tags {
			tags = append(tags, st.Tag)
			if st.Type == enrich.TypePerson || st.Type == enrich.TypeOrganization {
				named[st.Tag.Slug] = true
			}
		}
		if a.Language == "" {
			a.Language = res.Lang
		}
		if (a.Section == "" || a.Section == taglines.DefaultSection) && res.Section.Name != "" &&
			res.Section.Name != taglines.DefaultSection &&
			(res.Section.Confidence >= minSectionConfidence || strings.TrimSpace(a.Title+a.Text) != "") {
			a.Section, a.SectionConfidence = res.Section.Name, res.Section.Confidence
		}
	}
	a.Tags = rules.Apply(append(tags, a.Tags...))
	var names []string
	for _, t := range a.Tags {
		if named[t.Slug] {
			names = append(names, t.Slug)
		}
	}
	return names
}

// group runs the dedup stage on the newly stored articles (those that got
// an ID), oldest first so that a story's first article starts it, and
// records where each belongs.
// names are each article's Document.Names, by index (nil: none known).
func (in *Ingester) group(ctx context.Context, src *taglines.Source, articles []*taglines.Article, names [][]string) error {
	if in.opts.Dedup == nil {
		return nil
	}
	stored := make([]*taglines.Article, 0, len(articles))
	nameOf := make(map[*taglines.Article][]string, len(articles))
	for i, a := range articles {
		if a != nil && a.ID != 0 {
			stored = append(stored, a)
			if i < len(names) {
				nameOf[a] = names[i]
			}
		}
	}
	slices.SortStableFunc(stored, func(a, b *taglines.Article) int { return a.PublishedAt.Compare(b.PublishedAt) })
	docs := make([]dedup.Document, 0, len(stored))
	for _, a := range stored {
		tags := make([]string, len(a.Tags))
		for i, t := range a.Tags {
			tags[i] = t.Slug
		}
		docs = append(docs, dedup.Document{
			ID: a.ID, Title: a.Title, Text: a.Text, URL: a.URL, Source: src.Name(), Published: a.PublishedAt, Tags: tags,
			Names: nameOf[a],
		})
	}
	// One batch per poll: a store that can, records the decisions with
	// one commit; the articles' rows are written before the dedup lock is
	// released, so that another process's Refine cannot be overwritten.
	_, err := in.opts.Dedup.ProcessAllRecorded(ctx, docs, func(ctx context.Context, results []dedup.Result) error {
		groups := make([]taglines.Group, 0, len(stored))
		for i, a := range stored {
			res := results[i]
			a.DuplicateOf, a.Cluster = res.DuplicateOf, res.Cluster
			groups = append(groups, taglines.Group{ArticleID: a.ID, DuplicateOf: res.DuplicateOf, Cluster: res.Cluster})
		}
		return in.store.SetGroups(ctx, groups)
	})
	return err
}

func appendGroups(groups []taglines.Group, rs []dedup.Result) []taglines.Group {
	for _, r := range rs {
		groups = append(groups, taglines.Group{ArticleID: r.ID, DuplicateOf: r.DuplicateOf, Cluster: r.Cluster})
	}
	return groups
}

// Refine revisits the stories of the articles published within the
// Deduper's RefineSpan before now (dedup.Deduper.Refine) and records where the articles
// that moved now belong. It returns how many moved; without a Deduper it
// does nothing. The poller calls it every --refine-interval.
func (in *Ingester) Refine(ctx context.Context) (int, error) {
	if in.opts.Dedup == nil {
		return 0, nil
	}
	now := in.opts.Now()
	// Each chunk's moves are recorded while the dedup lock is still held,
	// so no other decision can overtake them.
	moved, err := in.opts.Dedup.RefineRecorded(ctx, now.Add(-in.opts.Dedup.RefineSpan()), time.Time{},
		func(ctx context.Context, moved []dedup.Result) error {
			return in.store.SetGroups(ctx, appendGroups(nil, moved))
		})
	return len(moved), err
}

// RetagProgress reports a retag's progress: articles done so far and the
// last article ID done, from which an interrupted run resumes.
type RetagProgress func(done int, lastID int64)

// Retag re-applies tagging (the tagger, with the operators' rules) to
// stored articles with an ID above fromID, of one source if sourceID is
// not 0, a page at a time, each page in one transaction; it returns the
// number retagged. Interrupted, it has lost nothing: the next run resumes
// from the last ID reported. A section the publisher gave is kept.
func Retag(ctx context.Context, store taglines.Store, tagger *enrich.Tagger, rules *enrich.TagRules, sourceID, fromID int64, progress RetagProgress) (int, error) {
	const page = 200
	sectionMaps := map[int64]enrich.SectionMap{}
	done, after := 0, fromID
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		arts, err := store.ScanArticles(ctx, after, page, sourceID)
		if err != nil {
			return done, err
		}
		if len(arts) == 0 {
			return done, nil
		}
		for _, a := range arts {
			if a.SectionConfidence < 1 {
				a.Section, a.SectionConfidence = taglines.DefaultSection, 0
			}
			sm, ok := sectionMaps[a.SourceID]
			if !ok {
				src, err := store.Source(ctx, a.SourceID)
				if err != nil {
					return done, fmt.Errorf("article %d: %w", a.ID, err)
				}
				if sm, err = sourceSectionMap(src); err != nil {
					return done, fmt.Errorf("source %d: %w", src.ID, err)
				}
				sectionMaps[a.SourceID] = sm
			}
			tagArticle(tagger, rules, a, a.SourceName, nil, sm)
		}
		if _, err := store.UpdateArticles(ctx, arts); err != nil {
			return done, err
		}
		done += len(arts)
		after = arts[len(arts)-1].ID
		if progress != nil {
			progress(done, after)
		}
	}
}
