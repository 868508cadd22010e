package bench

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/testpub"
)

// DedupOptions say what Dedup measures; the fields are those of `taglines
// bench dedup`, whose help says more.
type DedupOptions struct {
	Data  string   // the folder of the shared data sets: dedup/googlenews-clusters, dedup/msrp
	Sets  []string // which of stories, versions, msrp and cost to run, in this order
	Sizes []int    // cost: index sizes (articles) at which to measure the per-article cost
	Seed  uint64   // of the generated sets and of the arrival order
	Seeds int      // stories: score this many arrival orders (Seed, Seed+1, ...)
	Half  string   // stories: all, tune, test, tune-items or test-items

	StoryThreshold float64       // the cosine at which an article joins a story (0: the Deduper's default)
	MergeThreshold float64       // the cosine between two stories at which they merge (0: the Deduper's default)
	RefineEvery    time.Duration // stories and cost: refine every this much publication time (0: never)

	// Store is where the cost set's index lives: "memory", an SQLite file
	// or a postgres:// URL holding no dedup index yet.
	Store      string
	Batch      int           // cost: articles decided together with ProcessAll
	CPUProfile string        // cost: write a CPU profile of the cost set to this file
	Cache      time.Duration // cost on a database: the span of recent stories kept in memory (0: none)

	// OpenStore opens the database db (an SQLite file or a postgres://
	// URL) as the commands do; required for a Store other than memory.
	OpenStore func(ctx context.Context, db string) (taglines.Store, error)
	// Deduper returns the dedup stage over store's index as ingest wires
	// it, with a cache of the given span of recent stories (none if 0),
	// and the index it runs on; required with OpenStore.
	Deduper func(store taglines.Store, cache time.Duration) (*dedup.Deduper, dedup.Index)
}

// Dedup runs the sets of opts in order and writes their figures to w as
// they are measured, each followed by the time it took.
func Dedup(ctx context.Context, w io.Writer, opts DedupOptions) error {
	o := &opts
	for _, set := range o.Sets {
		start := time.Now()
		var err error
		switch set {
		case "stories":
			err = o.stories(ctx, w)
		case "versions":
			err = o.versions(ctx, w)
		case "msrp":
			err = o.msrp(ctx, w)
		case "cost":
			err = o.cost(ctx, w)
		default:
			err = fmt.Errorf("unknown set: %w", taglines.ErrInvalid)
		}
		if err != nil {
			return fmt.Errorf("bench dedup %s: %w", set, err)
		}
		fmt.Fprintf(w, "  (%s in %.1fs)\n\n", set, time.Since(start).Seconds())
	}
	return nil
}

// stories scores story clusters on the Google News set: the items of
// GoogleNews-TS.tsv (title and snippet), each split into its title where
// GoogleNews-T.tsv's item of the same story and rank is its prefix, in a
// seeded random arrival order spread over one day. With Seeds > 1 it
// scores that many arrival orders and reports their mean and spread; with
// Half it keeps only the stories of one half of the set.
func (o *DedupOptions) stories(ctx context.Context, w io.Writer) error {
	dir := filepath.Join(o.Data, "dedup", "googlenews-clusters")
	titles, err := readDedupLabelled(filepath.Join(dir, "GoogleNews-T.tsv"))
	if err != nil {
		return err
	}
	items, err := readDedupLabelled(filepath.Join(dir, "GoogleNews-TS.tsv"))
	if err != nil {
		return err
	}
	byLabel := map[string][]string{}
	for _, t := range titles {
		byLabel[t.label] = append(byLabel[t.label], t.text)
	}
	rank := map[string]int{}
	var docs []dedup.Document
	var labels []string
	split := 0
	for _, it := range items {
		r := rank[it.label]
		rank[it.label]++
		if !dedupInHalf(o.Half, it.label, r) {
			continue
		}
		doc := dedup.Document{ID: int64(len(docs) + 1), Text: it.text}
		if ts := byLabel[it.label]; r < len(ts) && ts[r] != "" {
			if rest, ok := strings.CutPrefix(it.text, ts[r]); ok {
				doc.Title, doc.Text = ts[r], strings.TrimSpace(rest)
				split++
			}
		}
		docs = append(docs, doc)
		labels = append(labels, it.label)
	}
	fmt.Fprintf(w, "stories: Google News (Yin and Wang 2016), %s stories: %d items (%d with a separate title), %d true stories\n",
		o.Half, len(docs), split, dedupDistinct(labels))
	var f1s []float64
	for seed := o.Seed; seed < o.Seed+uint64(max(o.Seeds, 1)); seed++ {
		s, found, dups, err := o.storyRun(ctx, docs, labels, seed)
		if err != nil {
			return err
		}
		f1s = append(f1s, s.F1)
		fmt.Fprintf(w, "  seed %d: %s  (%d found, %d marked versions)\n", seed, s, found, dups)
	}
	if len(f1s) > 1 {
		var mean float64
		for _, f := range f1s {
			mean += f
		}
		mean /= float64(len(f1s))
		var sd float64
		for _, f := range f1s {
			sd += (f - mean) * (f - mean)
		}
		sd = math.Sqrt(sd / float64(len(f1s)-1))
		fmt.Fprintf(w, "  F1 over %d seeds: mean %.4f  sd %.4f  min %.4f  max %.4f\n", len(f1s), mean, sd, slices.Min(f1s), slices.Max(f1s))
	}
	fmt.Fprintf(w, "  target: pair F1 >= 0.85\n")
	return nil
}

// storyRun processes docs in the arrival order of seed and scores the
// stories found against labels.
func (o *DedupOptions) storyRun(ctx context.Context, docs []dedup.Document, labels []string, seed uint64) (s dedup.PairScores, found, dups int, err error) {
	order := rand.New(rand.NewPCG(seed, 7)).Perm(len(docs))
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	step := 24 * time.Hour / time.Duration(max(len(order), 1))
	st := NewDedupStream(dedup.Options{ClusterThreshold: o.StoryThreshold, MergeThreshold: o.MergeThreshold}, o.RefineEvery, base)
	for k, i := range order {
		doc := docs[i]
		doc.Published = base.Add(time.Duration(k) * step)
		if err := st.Add(ctx, doc); err != nil {
			return s, 0, 0, err
		}
	}
	if err := st.Finish(ctx); err != nil {
		return s, 0, 0, err
	}
	truth, pred := make([]string, len(docs)), make([]int64, len(docs))
	for i, doc := range docs {
		dup, cluster := st.Result(doc.ID)
		truth[i], pred[i] = labels[i], cluster
		if dup != 0 {
			dups++
		}
	}
	return dedup.ScorePairs(truth, pred), dedupDistinct(pred), dups, nil
}

// dedupInHalf reports whether the item of rank r in story label belongs to
// half: "all"; "tune" or "test" split the stories (dedupHalf), so the
// halves share no story but each has about half the stories;
// "tune-items" and "test-items" split each story's items by rank parity,
// so both halves keep every story and the full set's confusable
// neighbours, at half the items.
func dedupInHalf(half, label string, r int) bool {
	switch half {
	case "tune", "test":
		return dedupHalf(label) == half
	case "tune-items":
		return r%2 == 0
	case "test-items":
		return r%2 == 1
	}
	return true
}

// dedupHalf assigns a story label to the "tune" or the "test" half of the
// story set, by a hash of the label, so that settings tuned on one half
// can be checked on stories they never saw.
func dedupHalf(label string) string {
	h := fnv.New32a()
	h.Write([]byte(label))
	if h.Sum32()%2 == 0 {
		return "tune"
	}
	return "test"
}

type dedupLabelled struct{ label, text string }

func readDedupLabelled(path string) ([]dedupLabelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []dedupLabelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		label, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: no tab", path, n)
		}
		out = append(out, dedupLabelled{strings.TrimPrefix(label, "\ufeff"), text})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

func dedupDistinct[T comparable](s []T) int {
	m := map[T]bool{}
	for _, v := range s {
		m[v] = true
	}
	return len(m)
}

// versions scores near-duplicates on a set made from the testpub corpus
// (BBC and Reuters articles) the way publishers make versions.
func (o *DedupOptions) versions(ctx context.Context, w io.Writer) error {
	docs, truth, kinds, err := dedupVersionSet(o.Seed)
	if err != nil {
		return err
	}
	d := dedup.New(dedup.NewMemIndex(), dedup.Options{})
	pred := make([]int64, len(docs))
	for i, doc := range docs {
		res, err := d.Process(ctx, doc)
		if err != nil {
			return err
		}
		pred[i] = res.ID
		if res.DuplicateOf != 0 {
			pred[i] = res.DuplicateOf
		}
	}
	s := dedup.ScorePairs(truth, pred)
	fmt.Fprintf(w, "versions: testpub corpus (BBC + Reuters), %d articles: %d originals, %d versions (%s)\n",
		len(docs), dedupDistinct(truth), len(docs)-dedupDistinct(truth), dedupKindSummary(kinds))
	fmt.Fprintf(w, "  %s\n  target: precision >= 0.98, F1 >= 0.95\n", s)
	// Recall by kind of version: was each version put with its original?
	root := map[int]int64{}
	for i := range docs {
		if kinds[i] == "" {
			root[truth[i]] = pred[i]
		}
	}
	found, total := map[string]int{}, map[string]int{}
	for i := range docs {
		if kinds[i] != "" {
			total[kinds[i]]++
			if pred[i] == root[truth[i]] {
				found[kinds[i]]++
			}
		}
	}
	keys := make([]string, 0, len(total))
	for k := range total {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-28s %4d/%4d joined their original\n", k, found[k], total[k])
	}
	return nil
}

func dedupKindSummary(kinds []string) string {
	n := map[string]int{}
	for _, k := range kinds {
		if k != "" {
			n[k]++
		}
	}
	var parts []string
	for k, v := range n {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Boilerplate that syndicating sites wrap round a copy. Distinct articles
// syndicated by one site share it, which makes them hard negatives.
var dedupSyndicators = []struct{ name, head, tail string }{
	{"Yahoo News", "Yahoo News is better in the app. Get breaking news and personalised alerts.",
		"Advertisement\n\nBroaden your horizons with award-winning journalism. Try our partner free for one month with unlimited access to the website, the exclusive app, money-saving offers and more. Cancel at any time."},
	{"MSN", "Story continues below advertisement.",
		"Sign up for our morning briefing and get the day's top stories, hand-picked by our editors, delivered to your inbox every weekday. By signing up you agree to our terms of use and privacy policy.\n\nCopyright 2026. All rights reserved. This material may not be published, broadcast, rewritten or redistributed."},
	{"Newsdesk Wire", "This article first appeared on our partner's website and is republished with permission.",
		"Credit: Wire services\n\nRelated: More stories from around the world, updated every hour. Follow us on social media for breaking news, analysis and opinion from our correspondents."},
}

// dedupVersionSet builds the near-duplicate set: each BBC and Reuters article
// of the corpus, and for about half of them one to three versions made as
// publishers make them. It returns the documents in arrival order, the
// original each came from, and the kind of each version ("" for an
// original).
func dedupVersionSet(seed uint64) ([]dedup.Document, []int, []string, error) {
	corpus, err := testpub.Corpus()
	if err != nil {
		return nil, nil, nil, err
	}
	var arts []testpub.Article
	for _, a := range corpus {
		if a.Origin != testpub.OriginReference { // the reference pairs are the reference test's
			arts = append(arts, a)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	type item struct {
		doc   dedup.Document
		orig  int
		kind  string
		order int
	}
	var items []item
	for i, a := range arts {
		pub := base.Add(time.Duration(i) * 20 * time.Minute)
		items = append(items, item{doc: dedup.Document{Title: a.Title, Text: strings.Join(a.Paragraphs, "\n\n"), Source: a.Source, Published: pub}, orig: i})
		if rng.IntN(2) == 0 {
			continue
		}
		for range 1 + rng.IntN(3) {
			kind, title, paras, source := makeDedupVersion(rng, a, arts)
			items = append(items, item{
				doc: dedup.Document{Title: title, Text: strings.Join(paras, "\n\n"), Source: source,
					Published: pub.Add(time.Duration(rng.IntN(48*60)) * time.Minute)},
				orig: i, kind: kind,
			})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return a.doc.Published.Compare(b.doc.Published) })
	docs := make([]dedup.Document, len(items))
	truth := make([]int, len(items))
	kinds := make([]string, len(items))
	for i, it := range items {
		it.doc.ID = int64(i + 1)
		docs[i], truth[i], kinds[i] = it.doc, it.orig, it.kind
	}
	return docs, truth, kinds, nil
}

// makeDedupVersion returns a version of a: re-titled, re-ordered, updated, or
// syndicated with another site's boilerplate.
func makeDedupVersion(rng *rand.Rand, a testpub.Article, all []testpub.Article) (kind, title string, paras []string, source string) {
	title, paras, source = a.Title, slices.Clone(a.Paragraphs), a.Source
	switch rng.IntN(4) {
	case 0:
		kind = "re-titled"
		title = dedupRetitle(rng, a)
	case 1:
		kind = "re-ordered paragraphs"
		if len(paras) > 1 {
			i, j := rng.IntN(len(paras)), rng.IntN(len(paras))
			paras[i], paras[j] = paras[j], paras[i]
			if len(paras) > 2 { // and the lead moved down
				p := paras[0]
				paras = append(paras[1:], p)
			}
		}
		if rng.IntN(2) == 0 {
			title = dedupRetitle(rng, a)
		}
	case 2:
		kind = "updated"
		// An edited sentence, a paragraph added from the same desk, and
		// often a new title.
		i := rng.IntN(len(paras))
		words := strings.Fields(paras[i])
		for range max(1, len(words)/10) {
			words[rng.IntN(len(words))] = []string{"reportedly", "later", "also", "officials", "on Friday"}[rng.IntN(5)]
		}
		paras[i] = strings.Join(words, " ")
		other := all[rng.IntN(len(all))]
		extra := other.Paragraphs[rng.IntN(len(other.Paragraphs))]
		paras = slices.Insert(paras, rng.IntN(len(paras)+1), "Update: "+extra)
		if rng.IntN(2) == 0 {
			title = dedupRetitle(rng, a)
		}
	default:
		kind = "syndicated"
		s := dedupSyndicators[rng.IntN(len(dedupSyndicators))]
		source = s.name
		if len(paras) > 3 && rng.IntN(2) == 0 { // trimmed to fit
			paras = paras[:len(paras)-1]
		}
		paras = append([]string{s.head}, paras...)
		paras = append(paras, strings.Split(s.tail, "\n\n")...)
		if rng.IntN(3) == 0 {
			title = title + " | " + s.name
		}
	}
	return kind, title, paras, source
}

// dedupRetitle rewrites a headline as editors do: a prefix, a different word
// order, or the first words of the lead.
func dedupRetitle(rng *rand.Rand, a testpub.Article) string {
	switch rng.IntN(3) {
	case 0:
		return []string{"UPDATE 1-", "Breaking: ", "Live: ", "Analysis: "}[rng.IntN(4)] + a.Title
	case 1:
		words := strings.Fields(a.Title)
		if len(words) > 3 {
			k := 1 + rng.IntN(len(words)-2)
			return strings.Join(append(words[k:], words[:k]...), " ")
		}
		return a.Title + " - latest"
	default:
		words := strings.Fields(a.Paragraphs[0])
		return strings.Join(words[:min(len(words), 9)], " ")
	}
}

// msrp checks sentence-level similarity on the MSR paraphrase pairs: how
// well the story vectors' cosine separates paraphrases from other
// sentence pairs (ROC AUC), and the best accuracy of one threshold.
func (o *DedupOptions) msrp(ctx context.Context, w io.Writer) error {
	path := filepath.Join(o.Data, "dedup", "msrp", "msr_paraphrase_train.txt")
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	type pair struct {
		para bool
		a, b string
	}
	var pairs []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 5 {
			return fmt.Errorf("%s:%d: %d columns, want 5", path, n, len(cols))
		}
		pairs = append(pairs, pair{cols[0] == "1", cols[3], cols[4]})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	idx := dedup.NewMemIndex()
	d := dedup.New(idx, dedup.Options{})
	for _, p := range pairs { // document frequencies of the whole set
		for _, s := range []string{p.a, p.b} {
			if err := d.Learn(ctx, dedup.Document{Text: s}); err != nil {
				return err
			}
		}
	}
	type scored struct {
		s    float64
		para bool
	}
	var all []scored
	for _, p := range pairs {
		sim, err := d.Compare(ctx, dedup.Document{Text: p.a}, dedup.Document{Text: p.b})
		if err != nil {
			return err
		}
		all = append(all, scored{sim.Story, p.para})
	}
	slices.SortFunc(all, func(a, b scored) int {
		switch {
		case a.s < b.s:
			return -1
		case a.s > b.s:
			return 1
		}
		return 0
	})
	var npos, nneg int
	for _, x := range all {
		if x.para {
			npos++
		} else {
			nneg++
		}
	}
	// AUC by ranks; best accuracy by sweeping the threshold upwards.
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].s == all[i].s {
			j++
		}
		for k := i; k < j; k++ {
			if all[k].para {
				rankSum += float64(i+j+1) / 2
			}
		}
		i = j
	}
	auc := (rankSum - float64(npos)*float64(npos+1)/2) / (float64(npos) * float64(nneg))
	best, bestT := 0, 0.0
	below := 0 // correct below the threshold: negatives
	posBelow := 0
	for i, x := range all {
		if correct := below + (npos - posBelow); correct > best {
			best, bestT = correct, x.s
		}
		if x.para {
			posBelow++
		} else {
			below++
		}
		_ = i
	}
	fmt.Fprintf(w, "msrp: MSR paraphrase corpus (train), %d sentence pairs, %d paraphrases\n", len(pairs), npos)
	fmt.Fprintf(w, "  story-vector cosine: ROC AUC %.3f, best accuracy %.3f at cosine >= %.2f (majority class %.3f)\n",
		auc, float64(best)/float64(len(all)), bestT, float64(npos)/float64(len(all)))
	return nil
}
