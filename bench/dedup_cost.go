package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/testpub"
)

// cost measures the per-article cost of the dedup stage on an index
// holding n synthetic articles, for each n in Sizes: in memory
// (dedup.MemIndex), or in a database store as ingest uses it (the store's
// DedupIndex and DedupLock), deciding Batch articles at a time with
// ProcessAll. Each size starts from an empty index; only ProcessAll is
// timed, not making the articles. The dedup tables have no foreign key
// to articles, so no article rows are stored.
func (o *DedupOptions) cost(ctx context.Context, w io.Writer) error {
	if o.Batch < 1 {
		return fmt.Errorf("--batch %d: want a positive number", o.Batch)
	}
	targets, err := o.costTargets()
	if err != nil {
		return err
	}
	for _, t := range targets {
		if err := t.check(ctx); err != nil {
			return err
		}
	}
	gen, err := newDedupSynth(o.Seed)
	if err != nil {
		return err
	}
	if o.CPUProfile != "" {
		stop, err := startCPUProfile(o.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(w, "cost: synthetic articles from the corpus vocabulary (%d words), 20,000 a day, 5%% versions, 30%% follow-ups; decided in batches of %d with ProcessAll\n",
		len(gen.words), o.Batch)
	fmt.Fprintf(w, "  index: %s\n", o.costWhere())
	for _, t := range targets {
		if err := o.costRun(ctx, w, gen, t); err != nil {
			return fmt.Errorf("%d articles: %w", t.n, err)
		}
	}
	fmt.Fprintf(w, "  target: < 2000 µs/article at 1,000,000 stored articles")
	if o.Store == "memory" {
		fmt.Fprintf(w, " (with a database; this is the in-memory index)")
	}
	fmt.Fprintln(w)
	return nil
}

// costTarget is the index one size of the cost set runs on.
type costTarget struct {
	n  int
	db string // "" for memory, else an SQLite file or a postgres:// URL
	// schema is the PostgreSQL schema the bench creates for this size, ""
	// to use the one db selects.
	schema string
}

func (t costTarget) postgres() bool {
	return t.db != "" && isPostgres(t.db)
}

// costTargets returns one target per size: the store as given for one
// size; for several, a file or a schema per size named after it.
func (o *DedupOptions) costTargets() ([]costTarget, error) {
	if o.Store == "" {
		return nil, fmt.Errorf("--store is empty: want memory, an SQLite file or a postgres:// URL")
	}
	var out []costTarget
	for _, n := range o.Sizes {
		if n <= 0 {
			return nil, fmt.Errorf("size %d: want a positive number", n)
		}
		t := costTarget{n: n}
		switch {
		case o.Store == "memory":
		case isPostgres(o.Store):
			t.db = o.Store
			if len(o.Sizes) > 1 {
				u, err := url.Parse(o.Store)
				if err != nil {
					return nil, fmt.Errorf("--store: %w", err)
				}
				base, _, _ := strings.Cut(u.Query().Get("search_path"), ",")
				if base = strings.TrimSpace(base); base == "" || base == "public" {
					base = "dedup_cost"
				}
				t.schema = base + "_" + strconv.Itoa(n)
				q := u.Query()
				q.Set("search_path", t.schema)
				u.RawQuery = q.Encode()
				t.db = u.String()
			}
		default:
			t.db = o.Store
			if len(o.Sizes) > 1 {
				ext := filepath.Ext(o.Store)
				t.db = strings.TrimSuffix(o.Store, ext) + "-" + strconv.Itoa(n) + ext
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// costWhere describes where the index lives, for the report.
func (o *DedupOptions) costWhere() string {
	switch {
	case o.Store == "memory":
		return "in memory (dedup.MemIndex)"
	case isPostgres(o.Store):
		where := "PostgreSQL " + redactURL(o.Store)
		if len(o.Sizes) > 1 {
			where += ", a schema per size (SCHEMA_SIZE, dedup_cost_SIZE by default)"
		}
		return where
	}
	where := "SQLite " + o.Store
	if len(o.Sizes) > 1 {
		ext := filepath.Ext(o.Store)
		where += ", a file per size (" + strings.TrimSuffix(o.Store, ext) + "-SIZE" + ext + ")"
	}
	return where
}

// isPostgres reports whether db names a PostgreSQL database, as the
// commands tell one from an SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// check refuses a database that already holds data before anything is
// run: the bench never deletes a user's data, and a size must start from
// an empty index.
func (t costTarget) check(ctx context.Context) error {
	switch {
	case t.db == "":
		return nil
	case t.postgres():
		docs, err := pgDedupDocs(ctx, t.db)
		if err != nil {
			return fmt.Errorf("check %s: %w", redactURL(t.db), err)
		}
		if docs > 0 {
			return fmt.Errorf("%s already holds a dedup index (%d documents counted): the cost set needs an empty one; use a fresh database or schema", redactURL(t.db), docs)
		}
		return nil
	}
	for _, p := range []string{t.db, t.db + "-wal"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if st.IsDir() || st.Size() > 0 {
			return fmt.Errorf("%s exists and is not empty: the cost set needs a fresh SQLite file per size and never deletes one; remove it or choose another path", p)
		}
	}
	return nil
}

// pgDedupDocs returns the documents counted by the dedup index in the
// schema url selects, 0 if it has no dedup tables (or no such schema).
func pgDedupDocs(ctx context.Context, dbURL string) (int64, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var docs int64
	err = conn.QueryRow(ctx, `SELECT docs FROM dedup_doc_count`).Scan(&docs)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
		return 0, nil
	}
	return docs, err
}

// costIndex is an open index of the cost set.
type costIndex struct {
	d       *dedup.Deduper
	batched bool // the index commits a ProcessAll batch as one transaction
	keep    any  // the in-memory index, kept alive until its heap is read
	cache   *dedup.Cache
	close   func() error
}

// open opens the target's index, which must be empty, as the ingest
// commands open it.
func (o *DedupOptions) open(ctx context.Context, t costTarget) (*costIndex, error) {
	if t.db == "" {
		idx := dedup.NewMemIndex()
		return &costIndex{d: dedup.New(idx, dedup.Options{}), keep: idx, close: func() error { return nil }}, nil
	}
	if o.OpenStore == nil || o.Deduper == nil {
		return nil, fmt.Errorf("--store %s: no way to open a database: %w", redactURL(t.db), taglines.ErrInvalid)
	}
	if t.schema != "" {
		if err := pgCreateSchema(ctx, t.db, t.schema); err != nil {
			return nil, err
		}
	}
	store, err := o.OpenStore(ctx, t.db)
	if err != nil {
		return nil, err
	}
	s, ok := store.(interface{ DedupIndex() dedup.Index })
	if !ok {
		_ = store.Close()
		return nil, fmt.Errorf("%T keeps no dedup index", store)
	}
	idx := s.DedupIndex()
	docs, _, err := idx.DocFreq(ctx, nil)
	if err == nil && docs > 0 {
		err = fmt.Errorf("%s already holds a dedup index (%d documents counted): the cost set needs an empty one", redactURL(t.db), docs)
	}
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	_, batched := idx.(dedup.Batcher)
	d, idx := o.Deduper(store, o.Cache)
	cached, _ := idx.(*dedup.Cache)
	return &costIndex{
		d:       d,
		batched: batched,
		cache:   cached,
		close:   store.Close,
	}, nil
}

// pgCreateSchema creates schema in the database dbURL names, if missing.
func pgCreateSchema(ctx context.Context, dbURL, schema string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("create schema %s: %w", schema, err)
	}
	return nil
}

// size returns the bytes the target's index takes on disk: the SQLite
// file, or the dedup tables of the PostgreSQL schema with their indexes
// and TOAST; what it measured, for the report.
func (t costTarget) size(ctx context.Context) (int64, string, error) {
	if t.postgres() {
		conn, err := pgx.Connect(ctx, t.db)
		if err != nil {
			return 0, "", err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		var n int64
		err = conn.QueryRow(ctx, `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
			FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
			WHERE ns.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'dedup\_%'`).Scan(&n)
		return n, "dedup tables", err
	}
	var n int64
	for _, p := range []string{t.db, t.db + "-wal"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return 0, "", err
		}
		n += st.Size()
	}
	return n, "file", nil
}

// costRun processes t.n articles from gen into an empty index and prints
// their cost; for 100,000 articles or more it also prints the cost of
// each tenth as it goes, which shows how the cost grows with the index.
// Beside the wall time of ProcessAll it reports this process's CPU time
// per article (making the articles and GC included, a PostgreSQL server's
// work not), which other work on the machine inflates less.
func (o *DedupOptions) costRun(ctx context.Context, w io.Writer, gen *dedupSynth, t costTarget) (err error) {
	runtime.GC()
	start, cpu0 := time.Now(), cpuSeconds()
	x, err := o.open(ctx, t)
	if err != nil {
		return err
	}
	defer func() {
		if x != nil {
			err = errors.Join(err, x.close())
		}
	}()
	if t.db != "" {
		tx := "no batch transaction: each index call commits on its own"
		if x.batched {
			tx = "one transaction per batch"
		}
		fmt.Fprintf(w, "  %8d articles into %s (%s)\n", t.n, costName(t), tx)
	}
	n := t.n
	tail := max(1, min(10000, n/10))
	tenth := 0
	if n >= 100000 {
		tenth = n / 10
	}
	var all, last, sinceMark time.Duration
	mark, markAt, markCPU := 0, time.Now(), cpuSeconds()
	dups, stories := 0, 0
	// Stories are refined every RefineEvery of publication time, as the
	// poller does every --refine-interval; timed apart from ingest.
	var refineTime time.Duration
	refines, refined := 0, 0
	var lastRefine time.Time
	gen.reset(o.Seed)
	batch := make([]dedup.Document, 0, o.Batch)
	for i := 0; i < n; i += len(batch) {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		for j := i; j < min(n, i+o.Batch); j++ {
			batch = append(batch, gen.next(int64(j+1)))
		}
		t0 := time.Now()
		res, err := x.d.ProcessAll(ctx, batch)
		el := time.Since(t0)
		if err != nil {
			return err
		}
		all += el
		sinceMark += el
		// A batch that straddles the tail counts for its share.
		if inTail := i + len(batch) - max(i, n-tail); inTail > 0 {
			last += el * time.Duration(inTail) / time.Duration(len(batch))
		}
		for _, r := range res {
			if r.DuplicateOf != 0 {
				dups++
			} else if r.Cluster != r.ID {
				stories++
			}
		}
		if now := batch[len(batch)-1].Published; o.RefineEvery > 0 {
			if lastRefine.IsZero() {
				lastRefine = now
			} else if now.Sub(lastRefine) >= o.RefineEvery {
				lastRefine = now
				t0 := time.Now()
				moved, err := x.d.Refine(ctx, now.Add(-x.d.RefineSpan()), time.Time{})
				if err != nil {
					return fmt.Errorf("refine: %w", err)
				}
				refineTime += time.Since(t0)
				refines++
				refined += len(moved)
			}
		}
		if done := i + len(batch); tenth > 0 && done-mark >= tenth && done < n {
			cpu := cpuSeconds()
			fmt.Fprintf(w, "    %8d/%d: %6.1f µs/article for the last %d, CPU %6.1f µs/article (%.0fs)\n",
				done, n, perArticleMicros(sinceMark, done-mark), done-mark, (cpu-markCPU)*1e6/float64(done-mark), time.Since(markAt).Seconds())
			mark, markAt, markCPU, sinceMark = done, time.Now(), cpu, 0
		}
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(x.keep)
	cacheLine := ""
	if x.cache != nil {
		s := x.cache.Stats()
		cacheLine = fmt.Sprintf("            cache of the last %s of stories: %d loads (%d stories, keys of %d entries read), %d refreshed from other writers, %d look-ups sent to the database\n",
			o.Cache, s.Loads, s.Loaded, s.Entries, s.Refreshed, s.Misses)
	}
	where := fmt.Sprintf("heap %4d MiB (%d B/article)", ms.HeapAlloc>>20, ms.HeapAlloc/uint64(n))
	if t.db != "" {
		// Closed first, so that SQLite folds its write-ahead log into the file.
		cerr := x.close()
		x = nil
		if cerr != nil {
			return cerr
		}
		size, what, err := t.size(ctx)
		if err != nil {
			return fmt.Errorf("size: %w", err)
		}
		where = fmt.Sprintf("%s %d MiB (%d B/article), heap %d MiB", what, size>>20, size/int64(n), ms.HeapAlloc>>20)
	}
	fmt.Fprintf(w, "  %8d articles: %6.1f µs/article on average, %6.1f µs/article for the last %d; CPU %.1f µs/article (refining included); %s, peak RSS so far %.0f MiB; %d versions, %d joined stories; %.0fs\n",
		n, perArticleMicros(all, n), perArticleMicros(last, tail), tail, (cpuSeconds()-cpu0)*1e6/float64(n), where, peakRSSMiB(), dups, stories, time.Since(start).Seconds())
	fmt.Fprint(w, cacheLine)
	if refines > 0 {
		fmt.Fprintf(w, "            refined every %s of publication time: %d runs, %.0f ms each, %6.1f µs per article ingested; %d articles moved\n",
			o.RefineEvery, refines, float64(refineTime.Milliseconds())/float64(refines), perArticleMicros(refineTime, n), refined)
	}
	return nil
}

// costName names a target's database for the report.
func costName(t costTarget) string {
	switch {
	case t.schema != "":
		return "PostgreSQL schema " + t.schema
	case t.postgres():
		return "PostgreSQL " + redactURL(t.db)
	}
	return "SQLite " + t.db
}

func perArticleMicros(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(n) }

// dedupSynth generates articles from the corpus vocabulary: words drawn by
// their corpus frequency, some articles following up a recent one (same
// names and title words) and some versions of a recent one.
type dedupSynth struct {
	words  []string
	cum    []int // cumulative frequency
	rng    *rand.Rand
	recent []dedup.Document
	base   time.Time
	n      int64
}

func newDedupSynth(seed uint64) (*dedupSynth, error) {
	corpus, err := testpub.Corpus()
	if err != nil {
		return nil, err
	}
	freq := map[string]int{}
	for _, a := range corpus {
		for _, p := range a.Paragraphs {
			for _, w := range strings.Fields(p) {
				freq[w]++
			}
		}
	}
	s := &dedupSynth{}
	for w := range freq {
		s.words = append(s.words, w)
	}
	sort.Strings(s.words)
	total := 0
	for _, w := range s.words {
		total += freq[w]
		s.cum = append(s.cum, total)
	}
	s.reset(seed)
	return s, nil
}

func (s *dedupSynth) reset(seed uint64) {
	s.rng = rand.New(rand.NewPCG(seed, 13))
	s.recent = s.recent[:0]
	s.base = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.n = 0
}

func (s *dedupSynth) word() string {
	x := s.rng.IntN(s.cum[len(s.cum)-1])
	return s.words[sort.SearchInts(s.cum, x+1)]
}

func (s *dedupSynth) sentence(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.word())
	}
	return b.String()
}

func (s *dedupSynth) next(id int64) dedup.Document {
	s.n++
	pub := s.base.Add(time.Duration(s.n) * (24 * time.Hour / 20000))
	var doc dedup.Document
	switch r := s.rng.IntN(100); {
	case r < 5 && len(s.recent) > 0: // a version
		doc = s.recent[s.rng.IntN(len(s.recent))]
		doc.Title = "Update: " + doc.Title
		doc.Text += "\n\n" + s.sentence(40)
	case r < 35 && len(s.recent) > 0: // a follow-up
		prev := s.recent[s.rng.IntN(len(s.recent))]
		doc.Title = strings.Join(strings.Fields(prev.Title)[:4], " ") + " " + s.sentence(4)
		doc.Text = s.body()
	default:
		doc.Title = s.sentence(8)
		doc.Text = s.body()
	}
	doc.ID, doc.Published, doc.Source = id, pub, "synthetic-"+strconv.Itoa(s.rng.IntN(200))
	if len(s.recent) < 256 {
		s.recent = append(s.recent, doc)
	} else {
		s.recent[s.rng.IntN(len(s.recent))] = doc
	}
	return doc
}

func (s *dedupSynth) body() string {
	paras := make([]string, 4+s.rng.IntN(4))
	for i := range paras {
		paras[i] = s.sentence(40 + s.rng.IntN(40))
	}
	return strings.Join(paras, "\n\n")
}
