package dedup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/taglines/taglines"
)

// Sizes of the per-article features.
const (
	// LeadWords is how many words of the text, after the title, make an
	// article's term vector.
	LeadWords = 120
	// VectorTerms is the number of terms an article's vector keeps.
	VectorTerms = 32
	// TermKeys is the number of an article's heaviest terms it looks
	// stories up by.
	TermKeys = 32
	// StoryKeys is the number of a story's heaviest terms it is found by.
	// Each is a row to write for a new story, the largest share of what
	// storing a decision costs on a database; more did not find better
	// clusters (bench dedup --sets stories --seeds 8: F1 0.850 at 64,
	// 0.852 at 32, 0.859 at 24, each half within 0.002; 0.836 at 16).
	StoryKeys = 24
	// CentroidTerms is the number of terms a story's centroid keeps.
	CentroidTerms = 128
	// maxStories is how many stories an article is scored against at
	// most: those sharing the most keys with it.
	maxStories = 32
	// storyPerKey bounds the stories read under each key: a key shared by
	// more stories at once is a common word, and the right story shares
	// rarer ones too. It is most of a database index's cost per article.
	storyPerKey = 16
	// MaxTitleWords bounds Entry.TitleWords.
	MaxTitleWords = 24
)

// Document is an article as the Deduper sees it.
type Document struct {
	ID        int64 // positive, unique; the store's article ID
	Title     string
	Text      string // plain text, paragraphs on their own lines
	URL       string // canonical or not; empty if unknown
	Source    string
	Published time.Time // zero means the Deduper's clock
	Tags      []string  // entity or topic labels from enrichment, optional
	// Names are the tags among Tags (or besides them) that name a person
	// or an organisation, optional. When both an article and a story name
	// some, the article joins the story only if they share one
	// (Options.Window bounds the time, this the subject).
	Names []string
}

// Result is where a processed article belongs.
type Result struct {
	ID int64
	// DuplicateOf is the first article of the version group the article
	// joined, 0 if it is not a near-duplicate.
	DuplicateOf int64
	// Cluster is the story the article belongs to, named after one of its
	// articles: the one that started it, unless Refine moved that one out
	// or merged the story into another; the article's own ID if it is
	// alone.
	Cluster int64
	// Score is the estimated Jaccard similarity of the text with the
	// matched version, or the cosine similarity with the joined story; 0
	// for an article alone.
	Score float64
}

// Options tune a Deduper. The zero value selects the defaults.
type Options struct {
	// Window is how far apart in publication time two articles of one
	// story may be; default 72h.
	Window time.Duration
	// MaxSpan is the longest time from a story's first article to its
	// last; default 14 days. Window is measured from the story's nearest
	// article, so without it a running story could grow for ever, a day
	// at a time: past it, the news of the same subject starts a new story.
	MaxSpan time.Duration
	// DuplicateWindow is how far apart two versions of one article may
	// be; default 7 days.
	DuplicateWindow time.Duration
	// ClusterThreshold is the cosine similarity between an article's
	// vector and a story's centroid at which the article joins the story;
	// default 0.1.
	ClusterThreshold float64
	// DuplicateJaccard is the estimated Jaccard similarity of shingle
	// sets at which two texts are versions of one article; default 0.5.
	DuplicateJaccard float64
	// DuplicateContainment is the share of the smaller text's shingles
	// found in the larger at which two texts are versions of one article
	// (an update that added paragraphs, a copy with extra boilerplate),
	// provided the smaller has at least MinSizeRatio of the larger's
	// shingles; defaults 0.8 and 0.4.
	DuplicateContainment float64
	MinSizeRatio         float64
	// MinShingles is the fewest distinct shingles a text needs to be
	// compared at all; shorter texts are never near-duplicates. Default 25.
	MinShingles int
	// ShortShingles: when the larger of two texts has fewer shingles than
	// this, their titles must share words too, so that identical
	// boilerplate under different titles is not a duplicate. Default 150.
	ShortShingles int
	// MergeThreshold is the cosine similarity between two stories'
	// centroids at which Refine merges them into one; default 0.5. Stories
	// drift together as articles join them, and an article decided early
	// may have started a story of its own that later proves to be
	// another's.
	MergeThreshold float64
	// RefineSpan is how far back from the latest articles the periodic
	// Refine of the poller and of `taglines dedup` looks; default 24h.
	// Each run reconsiders every article of the span: hourly, an article
	// is reconsidered RefineSpan/1h times, when its story is still forming.
	RefineSpan time.Duration
	// Now is the clock for documents without a publication time; nil
	// means time.Now.
	Now func() time.Time
	// Lock, if set, is held around each decision in addition to the
	// Deduper's own mutex: a lock shared by every process writing one
	// persisted index (PostgreSQL's advisory lock), so that two pollers on
	// two machines decide one after the other and see each other's
	// articles. It returns the function that releases it.
	Lock func(ctx context.Context) (unlock func(), err error)
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.Window <= 0 {
		o.Window = 72 * time.Hour
	}
	if o.MaxSpan <= 0 {
		o.MaxSpan = 14 * 24 * time.Hour
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 7 * 24 * time.Hour
	}
	def(&o.ClusterThreshold, 0.1)
	def(&o.MergeThreshold, 0.5)
	if o.RefineSpan <= 0 {
		o.RefineSpan = 24 * time.Hour
	}
	def(&o.DuplicateJaccard, 0.5)
	def(&o.DuplicateContainment, 0.8)
	def(&o.MinSizeRatio, 0.4)
	if o.MinShingles <= 0 {
		o.MinShingles = 25
	}
	if o.ShortShingles <= 0 {
		o.ShortShingles = 150
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Deduper assigns each article, once and in arrival order, to a version
// group (near-duplicates) and a story cluster, keeping its state in an
// Index. It is safe for concurrent use: calls are serialised, because each
// decision depends on the ones before it. Several processes sharing one
// persistent Index must likewise serialise their calls (one writer, or a
// database lock around each call).
type Deduper struct {
	idx  Index
	opts Options
	mu   sync.Mutex
}

// New returns a Deduper over idx.
func New(idx Index, opts Options) *Deduper {
	return &Deduper{idx: idx, opts: opts.withDefaults()}
}

// features are what an article is compared by.
type features struct {
	shingles   int
	mins       [SignatureLen]uint32
	titleWords []uint32
	raw        map[uint64]float64 // term key → boosted term frequency
	names      map[uint64]bool    // the term keys of Document.Names
	urlKey     uint64
}

func analyze(doc *Document) features {
	var f features
	title := tokenize(doc.Title)
	body := tokenize(doc.Text)
	sh := shingles(body)
	if m, ok := minhash(sh); ok {
		f.mins, f.shingles = m, len(sh)
	}
	f.raw = map[uint64]float64{}
	add := func(t token, w float64) {
		if !isStopWord(t.word) {
			f.raw[makeKey(kindTerm, t.hash)] += w
		}
	}
	seen := map[uint32]bool{}
	for _, t := range title {
		add(t, 2)
		if h := uint32(t.hash); !seen[h] && len(f.titleWords) < MaxTitleWords {
			seen[h] = true
			f.titleWords = append(f.titleWords, h)
		}
	}
	slices.Sort(f.titleWords)
	for i, t := range body {
		if i >= LeadWords {
			break
		}
		w := 1.0
		if t.capital {
			w = 1.5
		}
		add(t, w)
	}
	for _, tag := range doc.Tags {
		for _, t := range tokenize(tag) {
			add(t, 2)
		}
	}
	for _, name := range doc.Names {
		for _, t := range tokenize(name) {
			k := makeKey(kindTerm, t.hash)
			if _, ok := f.raw[k]; !ok {
				add(t, 2) // a name that is not among the tags
			}
			if _, ok := f.raw[k]; ok {
				if f.names == nil {
					f.names = map[uint64]bool{}
				}
				f.names[k] = true
			}
		}
	}
	if doc.URL != "" {
		u, err := CanonicalURL(doc.URL)
		if err != nil {
			u = doc.URL
		}
		f.urlKey = makeKey(kindURL, fnv64(u))
	}
	return f
}

// vector weighs raw term frequencies by inverse document frequency and
// keeps the VectorTerms heaviest, at unit length.
func vector(raw map[uint64]float64, docs int64, keys []uint64, df []int64) Vector {
	v := make(Vector, 0, len(keys))
	for i, k := range keys {
		idf := math.Log(float64(docs+2) / float64(df[i]+1))
		v = append(v, Term{Key: k, Weight: float32((1 + math.Log(raw[k])) * idf)})
	}
	slices.SortFunc(v, func(a, b Term) int { return cmp.Compare(a.Key, b.Key) })
	return v.top(VectorTerms).normalized()
}

// RefineSpan returns the RefineSpan option: how far back from the latest
// articles a periodic Refine looks.
func (d *Deduper) RefineSpan() time.Duration { return d.opts.RefineSpan }

// Process decides where doc belongs, records it in the index and returns
// the decision. Processing an ID again returns the recorded decision
// without changing anything. Returns an error wrapping
// taglines.ErrInvalid if doc.ID <= 0, and index errors as they come.
func (d *Deduper) Process(ctx context.Context, doc Document) (Result, error) {
	// One batch of one: an index that batches or caches (Cache) sees every
	// decision inside a batch.
	out, err := d.ProcessAll(ctx, []Document{doc})
	if err != nil {
		return Result{}, err
	}
	return out[0], nil
}

// Batcher is an Index that can run a sequence of its calls as one
// transaction, which ProcessAll uses to decide a batch of articles with
// one commit instead of several per article. fn must make its calls with
// the context it is given.
type Batcher interface {
	Batch(ctx context.Context, fn func(ctx context.Context) error) error
}

// ProcessAll decides docs in order, as Process would one after the other,
// under one lock and, when the index is a Batcher, in one transaction
// (then all or none of the decisions are recorded). Results are in docs'
// order.
func (d *Deduper) ProcessAll(ctx context.Context, docs []Document) ([]Result, error) {
	return d.ProcessAllRecorded(ctx, docs, nil)
}

// ProcessAllRecorded is ProcessAll, passing the results to record, if not
// nil, once the index has committed them and before the lock is
// released, so that a store records them before another process's Refine
// can move the same articles. record gets a context that is not
// cancelled with ctx.
func (d *Deduper) ProcessAllRecorded(ctx context.Context, docs []Document, record func(ctx context.Context, results []Result) error) ([]Result, error) {
	for _, doc := range docs {
		if doc.ID <= 0 {
			return nil, fmt.Errorf("dedup article %d: id must be positive: %w", doc.ID, taglines.ErrInvalid)
		}
	}
	if len(docs) == 0 {
		return []Result{}, nil // no batch: a poll without new articles writes nothing
	}
	var out []Result
	all := func(ctx context.Context) error {
		out = make([]Result, 0, len(docs))
		for _, doc := range docs {
			r, err := d.process(ctx, doc)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	}
	after := func(ctx context.Context, err error) error {
		if err != nil || record == nil {
			return nil
		}
		return record(ctx, out)
	}
	if err := d.lockedThen(ctx, all, after); err != nil {
		return nil, fmt.Errorf("dedup: %w", err)
	}
	return out, nil
}

// process decides one article; d.mu (and Options.Lock) are held.
func (d *Deduper) process(ctx context.Context, doc Document) (Result, error) {
	if e, err := d.idx.Entry(ctx, doc.ID); err == nil {
		return Result{ID: e.ID, DuplicateOf: e.DuplicateOf, Cluster: e.Cluster}, nil
	} else if !errors.Is(err, taglines.ErrNotFound) {
		return Result{}, fmt.Errorf("dedup article %d: %w", doc.ID, err)
	}
	p, err := d.entry(ctx, &doc)
	if err != nil {
		return Result{}, err
	}
	e, terms, pub := p.Entry, p.terms, p.Published

	win := d.opts.DuplicateWindow
	cands, err := d.idx.Candidates(ctx, Query{Keys: e.Keys, Since: pub.Add(-win), Until: pub.Add(win)})
	if err != nil {
		return Result{}, fmt.Errorf("dedup article %d: candidates: %w", doc.ID, err)
	}

	res := Result{ID: doc.ID, Cluster: doc.ID}
	if best, score := d.bestVersion(&e, p.urlKey, cands); best != nil {
		res.DuplicateOf = best.ID
		if best.DuplicateOf != 0 {
			res.DuplicateOf = best.DuplicateOf
		}
		res.Cluster, res.Score = best.Cluster, score
	} else if c, score, err := d.bestStory(ctx, &e); err != nil {
		return Result{}, fmt.Errorf("dedup article %d: %w", doc.ID, err)
	} else if c != nil {
		res.Cluster, res.Score = c.ID, score
	}
	e.DuplicateOf, e.Cluster = res.DuplicateOf, res.Cluster

	if err := d.idx.Put(ctx, e); err != nil {
		return Result{}, fmt.Errorf("dedup article %d: %w", doc.ID, err)
	}
	join := d.joinCluster
	if res.Cluster == doc.ID {
		// A story named after an article has it as a member, and this
		// article is new: its story is too, and need not be looked up.
		join = d.startCluster
	}
	if err := join(ctx, res.Cluster, []Entry{e}); err != nil {
		return Result{}, fmt.Errorf("dedup article %d: %w", doc.ID, err)
	}
	if err := d.idx.AddDocFreq(ctx, terms); err != nil {
		return Result{}, fmt.Errorf("dedup article %d: doc freq: %w", doc.ID, err)
	}
	// Stories merge in Refine, not here: checking at every join cost a
	// second story look-up per article and changed no decision on the
	// Google News set once Refine ran hourly.
	return res, nil
}

// bestVersion returns the candidate e is a near-duplicate of, the most
// similar one, and its estimated Jaccard similarity; nil if none.
func (d *Deduper) bestVersion(e *Entry, urlKey uint64, cands []Entry) (*Entry, float64) {
	var best *Entry
	bestScore := -1.0
	for i := range cands {
		c := &cands[i]
		if absDur(c.Published.Sub(e.Published)) > d.opts.DuplicateWindow {
			continue
		}
		score, ok := d.versionScore(e, c)
		if !ok && urlKey != 0 && slices.Contains(c.Keys, urlKey) {
			// The same page reached by another address or feed.
			score, ok = 1, true
		}
		if ok && score > bestScore {
			best, bestScore = c, score
		}
	}
	return best, max(bestScore, 0)
}

// versionScore reports whether two entries' texts are versions of one
// article, with their estimated Jaccard similarity.
func (d *Deduper) versionScore(a, b *Entry) (float64, bool) {
	if int(a.Shingles) < d.opts.MinShingles || int(b.Shingles) < d.opts.MinShingles {
		return 0, false
	}
	j := a.Signature.Similarity(&b.Signature)
	small, large := float64(min(a.Shingles, b.Shingles)), float64(max(a.Shingles, b.Shingles))
	// |A∩B| = J(|A|+|B|)/(1+J), so the share of the smaller set in the
	// larger follows from J and the sizes.
	contain := min(j*(small+large)/((1+j)*small), 1)
	ok := j >= d.opts.DuplicateJaccard ||
		(contain >= d.opts.DuplicateContainment && small/large >= d.opts.MinSizeRatio)
	if ok && large < float64(d.opts.ShortShingles) {
		ok = titleOverlap(a.TitleWords, b.TitleWords) >= 0.2
	}
	return j, ok
}

// titleOverlap returns the Jaccard similarity of two sorted word-hash
// sets, 0 if either is empty.
func titleOverlap(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// bestStory returns the story e should join, or nil, with e's cosine
// similarity to its centroid.
func (d *Deduper) bestStory(ctx context.Context, e *Entry) (*Cluster, float64, error) {
	if len(e.Vector) == 0 {
		return nil, 0, nil
	}
	stories, err := d.storiesNear(ctx, e.Vector, e.Published, e.Published)
	if err != nil {
		return nil, 0, err
	}
	var best *Cluster
	bestScore := d.opts.ClusterThreshold
	for i := range stories {
		c := &stories[i]
		if !d.mayJoin(e, c) {
			continue
		}
		if s := e.Vector.Cosine(c.Centroid); s > bestScore || (s == bestScore && (best == nil || c.ID < best.ID)) {
			best, bestScore = c, s
		}
	}
	return best, bestScore, nil
}

// mayJoin reports whether article e may join story c at all, whatever
// their similarity: they name a person or an organisation in common (or
// either names none), and the story with e spans at most MaxSpan.
func (d *Deduper) mayJoin(e *Entry, c *Cluster) bool {
	return sharesName(e.Vector, c.Centroid) && d.withinSpan(c.First, c.Last, e.Published, e.Published)
}

// withinSpan reports whether a story over [first, last] and one over
// [first2, last2] together span at most MaxSpan; a zero time is no bound.
func (d *Deduper) withinSpan(first, last, first2, last2 time.Time) bool {
	lo, hi := first, last
	if lo.IsZero() || (!first2.IsZero() && first2.Before(lo)) {
		lo = first2
	}
	if last2.After(hi) {
		hi = last2
	}
	return lo.IsZero() || hi.Sub(lo) <= d.opts.MaxSpan
}

// storiesNear returns the stories that share the most of v's TermKeys
// heaviest terms and overlap [first, last] widened by the Window option.
func (d *Deduper) storiesNear(ctx context.Context, v Vector, first, last time.Time) ([]Cluster, error) {
	stories, err := d.idx.Stories(ctx, Query{
		Keys: storyKeys(v.top(TermKeys)), Limit: maxStories, PerKey: storyPerKey,
		Since: first.Add(-d.opts.Window), Until: last.Add(d.opts.Window),
	})
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	return stories, nil
}

// joinCluster adds entries to story id, creating it if needed.
func (d *Deduper) joinCluster(ctx context.Context, id int64, es []Entry) error {
	c, err := d.idx.Cluster(ctx, id)
	if errors.Is(err, taglines.ErrNotFound) {
		c, err = Cluster{ID: id}, nil
	}
	if err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	return d.addToCluster(ctx, c, es)
}

// startCluster is joinCluster for a story known not to exist yet.
func (d *Deduper) startCluster(ctx context.Context, id int64, es []Entry) error {
	return d.addToCluster(ctx, Cluster{ID: id}, es)
}

// addToCluster adds entries to story c, as stored, and stores it.
func (d *Deduper) addToCluster(ctx context.Context, c Cluster, es []Entry) error {
	for _, e := range es {
		c.Centroid = c.Centroid.add(e.Vector, 1).top(CentroidTerms)
		c.Size++
		if c.First.IsZero() || e.Published.Before(c.First) {
			c.First = e.Published
		}
		if e.Published.After(c.Last) {
			c.Last = e.Published
		}
	}
	c.Keys = storyKeys(c.Centroid)
	if err := d.idx.PutCluster(ctx, c); err != nil {
		return fmt.Errorf("story %d: %w", c.ID, err)
	}
	return nil
}

// storyKeys returns the keys of the StoryKeys heaviest terms of a
// centroid, sorted.
func storyKeys(centroid Vector) []uint64 {
	top := centroid.top(StoryKeys)
	keys := make([]uint64, len(top))
	for i, t := range top {
		keys[i] = t.Key
	}
	slices.Sort(keys)
	return keys
}

// leaveCluster removes entries from story id.
func (d *Deduper) leaveCluster(ctx context.Context, id int64, es []Entry) error {
	c, err := d.idx.Cluster(ctx, id)
	if err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	for _, e := range es {
		c.Centroid = c.Centroid.add(e.Vector, -1)
		c.Size--
	}
	// The centroid was truncated, so a member's terms may fall below zero.
	c.Centroid = slices.DeleteFunc(c.Centroid, func(t Term) bool { return t.Weight <= 0 })
	c.Keys = storyKeys(c.Centroid)
	if err := d.idx.PutCluster(ctx, c); err != nil {
		return fmt.Errorf("story %d: %w", id, err)
	}
	return nil
}

// SplitKind says what an operator's Split undoes.
type SplitKind int

const (
	// SplitVersion makes a near-duplicate an article of its own again; it
	// stays in its story.
	SplitVersion SplitKind = iota + 1
	// SplitStory moves an article, with its versions, out of its story
	// into a story of its own (a duplicate also stops being one).
	SplitStory
)

// Split undoes a wrong merge of article id and returns where the article
// now belongs; later articles are compared with it as with any other.
// Splitting an article that is not merged that way changes nothing.
// Returns an error wrapping taglines.ErrNotFound for an unknown article,
// and one wrapping taglines.ErrInvalid for an unknown kind or for moving
// out the article a story with other articles in it is named after (split
// the others instead).
func (d *Deduper) Split(ctx context.Context, id int64, kind SplitKind) (Result, error) {
	if kind != SplitVersion && kind != SplitStory {
		return Result{}, fmt.Errorf("dedup split %d: kind %d: %w", id, kind, taglines.ErrInvalid)
	}
	var res Result
	err := d.lockedThen(ctx, func(ctx context.Context) error {
		var err error
		res, err = d.split(ctx, id, kind)
		return err
	}, nil)
	if err != nil {
		return Result{}, fmt.Errorf("dedup split %d: %w", id, err)
	}
	return res, nil
}

// split is Split under the lock, in a batch.
func (d *Deduper) split(ctx context.Context, id int64, kind SplitKind) (Result, error) {
	e, err := d.idx.Entry(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if kind == SplitVersion {
		if e.DuplicateOf != 0 {
			e.DuplicateOf = 0
			if err := d.idx.Put(ctx, e); err != nil {
				return Result{}, err
			}
		}
		return Result{ID: id, Cluster: e.Cluster}, nil
	}

	group := []Entry{e}
	if e.DuplicateOf == 0 {
		vs, err := d.idx.Versions(ctx, id)
		if err != nil {
			return Result{}, err
		}
		group = append(group, vs...)
	}
	old, err := d.idx.Cluster(ctx, e.Cluster)
	if err != nil {
		return Result{}, err
	}
	if old.Size <= len(group) && e.DuplicateOf == 0 {
		return Result{ID: id, Cluster: e.Cluster}, nil // alone already
	}
	if e.Cluster == id {
		return Result{}, fmt.Errorf("it started story %d, which has other articles: %w", id, taglines.ErrInvalid)
	}
	if err := d.leaveCluster(ctx, e.Cluster, group); err != nil {
		return Result{}, err
	}
	for i := range group {
		group[i].Cluster = id
		if group[i].ID == id {
			group[i].DuplicateOf = 0
			group[i].Pinned = true // Refine must not undo the operator
		}
		if err := d.idx.Put(ctx, group[i]); err != nil {
			return Result{}, err
		}
	}
	if err := d.joinCluster(ctx, id, group); err != nil {
		return Result{}, err
	}
	return Result{ID: id, Cluster: id}, nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// Similarity is how alike two articles are, by the measures the Deduper
// decides with.
type Similarity struct {
	// Text is the estimated Jaccard similarity of the texts' shingle sets,
	// 0 if either text is too short to fingerprint.
	Text float64
	// Duplicate reports whether the two would be versions of one article.
	Duplicate bool
	// Story is the cosine similarity of the articles' term vectors,
	// weighted by the index's document frequencies.
	Story float64
}

// Compare measures two articles against each other without recording
// either, to explain a decision or to evaluate the measures. IDs, times
// and windows are ignored. Returns index errors as they come.
func (d *Deduper) Compare(ctx context.Context, a, b Document) (Similarity, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ea, err := d.entry(ctx, &a)
	if err != nil {
		return Similarity{}, err
	}
	eb, err := d.entry(ctx, &b)
	if err != nil {
		return Similarity{}, err
	}
	var s Similarity
	if ea.Shingles > 0 && eb.Shingles > 0 {
		s.Text, s.Duplicate = d.versionScore(&ea.Entry, &eb.Entry)
	}
	s.Story = ea.Vector.Cosine(eb.Vector)
	return s, nil
}

// Learn counts doc's terms in the index's document frequencies without
// recording doc, to prime a new index with a background corpus. Returns
// index errors as they come.
func (d *Deduper) Learn(ctx context.Context, doc Document) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := analyze(&doc)
	if err := d.idx.AddDocFreq(ctx, f.terms()); err != nil {
		return fmt.Errorf("dedup learn: %w", err)
	}
	return nil
}

// terms returns the distinct term keys of f, sorted.
func (f *features) terms() []uint64 {
	terms := make([]uint64, 0, len(f.raw))
	for k := range f.raw {
		terms = append(terms, k)
	}
	slices.Sort(terms)
	return terms
}

// prepared is a new article's entry with what Process needs besides.
type prepared struct {
	Entry
	terms  []uint64
	urlKey uint64
}

// entry analyses doc into an entry that is not yet placed (Cluster is
// doc.ID, DuplicateOf 0). Shingles is 0 unless the text has MinShingles.
func (d *Deduper) entry(ctx context.Context, doc *Document) (prepared, error) {
	f := analyze(doc)
	terms := f.terms()
	docs, df, err := d.idx.DocFreq(ctx, terms)
	if err != nil {
		return prepared{}, fmt.Errorf("dedup article %d: doc freq: %w", doc.ID, err)
	}
	vec := vector(f.raw, docs, terms, df)
	for i := range vec {
		vec[i].Name = f.names[vec[i].Key]
	}
	pub := doc.Published
	if pub.IsZero() {
		pub = d.opts.Now()
	}
	p := prepared{Entry: Entry{ID: doc.ID, Published: pub, Cluster: doc.ID, TitleWords: f.titleWords, Vector: vec}, terms: terms, urlKey: f.urlKey}
	if f.shingles >= d.opts.MinShingles {
		p.Shingles = int32(f.shingles)
		p.Signature = signatureOf(&f.mins)
		p.Keys = append(p.Keys, bandKeys(&f.mins)...)
	}
	if f.urlKey != 0 {
		p.Keys = append(p.Keys, f.urlKey)
	}
	return p, nil
}
