package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"

	"github.com/taglines/taglines/extract"
)

// ExtractOptions say what Extract scores. Data is required.
type ExtractOptions struct {
	Data     string // the directory holding evaldata.json and pages/
	Baseline bool   // score plain go-readability instead of taglines
	Failures int    // keep up to this many pages with missed or leaked snippets
	Verbose  bool   // with Failures, keep the pages with metadata mismatches too, and write the snippets
}

// evalPage is one entry of evaldata.json.
type evalPage struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
	Title   string   `json:"title"`
	Date    string   `json:"date"`
	Author  names    `json:"author"`
}

// names is an author field: a string ("A, B") or a list of names.
type names []string

func (n *names) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "" {
			*n = names{s}
		}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*n = l
	return nil
}

// extracted is what one extractor returned for a page, reduced to what is scored.
type extracted struct {
	text, title, date string
	authors           []string
}

// score accumulates the figures of one set.
type score struct {
	pages, tp, fp, tn, fn  int
	titles, titleOK        int
	dates, dateOK          int
	authors, authorOK      int
	errors                 int
	extractTime            time.Duration
	missed, leaked, badMsg []string
}

func (s *score) add(o *score) {
	s.pages += o.pages
	s.tp, s.fp, s.tn, s.fn = s.tp+o.tp, s.fp+o.fp, s.tn+o.tn, s.fn+o.fn
	s.titles, s.titleOK = s.titles+o.titles, s.titleOK+o.titleOK
	s.dates, s.dateOK = s.dates+o.dates, s.dateOK+o.dateOK
	s.authors, s.authorOK = s.authors+o.authors, s.authorOK+o.authorOK
	s.errors += o.errors
	s.extractTime += o.extractTime
}

// ExtractReport is what Extract measured, per set of pages and in all.
type ExtractReport struct {
	Extractor  string // the extractor scored, as the report names it
	Data       string
	PeakRSSMiB float64 // the process's peak resident set after the run

	opts     ExtractOptions
	sets     map[string]*score
	failures []*pageFailure
}

// Extract scores extraction on a labelled page set in the layout of
// trafilatura's evaluation (evaldata.json plus pages/*.html.gz), with the
// metric trafilatura defines: a `with` snippet found in the text is a true
// positive, one missing a false negative; a `without` snippet found is a
// false positive, one absent a true negative. The extraction is timed on
// one core: it sets GOMAXPROCS to 1 while it runs, so it must not run
// beside other work of the process.
func Extract(ctx context.Context, opts ExtractOptions) (*ExtractReport, error) {
	raw, err := os.ReadFile(filepath.Join(opts.Data, "evaldata.json"))
	if err != nil {
		return nil, fmt.Errorf("bench extract: %w", err)
	}
	var eval map[string]evalPage
	if err := json.Unmarshal(raw, &eval); err != nil {
		return nil, fmt.Errorf("bench extract: evaldata.json: %w", err)
	}
	keys := make([]string, 0, len(eval))
	for k := range eval {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	run := taglinesExtract
	name := "taglines"
	if opts.Baseline {
		run, name = baseline, "go-readability v2.1.3 (baseline)"
	}

	// The timed extraction runs on one core; reading and gunzipping the
	// pages is outside the timer, one page at a time so the peak RSS is the
	// extractor's and not the data set's.
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)

	r := &ExtractReport{Extractor: name, Data: opts.Data, opts: opts, sets: map[string]*score{}}
	for _, key := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ev := eval[key]
		set, pageURL := "main", key
		if i := strings.Index(key, "::"); i > 0 && !strings.Contains(key[:i], "/") {
			set, pageURL = key[:i], ""
		}
		page, err := readGz(filepath.Join(opts.Data, "pages", ev.File+".gz"))
		if err != nil {
			return nil, fmt.Errorf("bench extract: %w", err)
		}
		var u *url.URL
		if pageURL != "" {
			u, _ = url.Parse(strings.TrimSpace(pageURL))
		}
		start := time.Now()
		got, err := run(page, u)
		elapsed := time.Since(start)
		s := r.sets[set]
		if s == nil {
			s = &score{}
			r.sets[set] = s
		}
		ps := scorePage(ev, got)
		ps.extractTime = elapsed
		if err != nil {
			ps.errors++
		}
		s.add(ps)
		if opts.Failures > 0 && (len(ps.missed) > 0 || len(ps.leaked) > 0 || (opts.Verbose && len(ps.badMsg) > 0)) {
			r.failures = append(r.failures, &pageFailure{key: key, file: ev.File, s: ps})
		}
	}
	r.PeakRSSMiB = peakRSSMiB()
	return r, nil
}

// Write writes the report as `taglines bench extract` prints it: a table
// of the sets, the totals, and the failures kept.
func (r *ExtractReport) Write(w io.Writer) error {
	names := make([]string, 0, len(r.sets))
	total := &score{}
	for n, s := range r.sets {
		names = append(names, n)
		total.add(s)
	}
	sort.Strings(names)
	fmt.Fprintf(w, "extractor: %s\ndata: %s (%d pages)\n\n", r.Extractor, r.Data, total.pages)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "set\tpages\tF1\tprecision\trecall\taccuracy\ttitle\tdate\tauthor\terrors\tpages/s\t")
	for _, n := range append(names, "all") {
		s := total
		if n != "all" {
			s = r.sets[n]
		}
		p, rc, f, a := s.metrics()
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%d\t%.0f\t\n", n, s.pages, f, p, rc, a,
			ratio(s.titleOK, s.titles), ratio(s.dateOK, s.dates), ratio(s.authorOK, s.authors),
			s.errors, float64(s.pages)/s.extractTime.Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntp %d fp %d tn %d fn %d; extraction %.2fs on 1 core; peak RSS %.1f MiB\n",
		total.tp, total.fp, total.tn, total.fn, total.extractTime.Seconds(), r.PeakRSSMiB)

	for i, f := range r.failures {
		if i == r.opts.Failures {
			break
		}
		fmt.Fprintf(w, "\n%s (%s): %d missed, %d leaked\n", f.key, f.file, len(f.s.missed), len(f.s.leaked))
		if r.opts.Verbose {
			for _, s := range f.s.missed {
				fmt.Fprintf(w, "  - missed %q\n", clip(s, 100))
			}
			for _, s := range f.s.leaked {
				fmt.Fprintf(w, "  + leaked %q\n", clip(s, 100))
			}
			for _, s := range f.s.badMsg {
				fmt.Fprintf(w, "  ! %s\n", s)
			}
		}
	}
	return nil
}

type pageFailure struct {
	key, file string
	s         *score
}

// metrics returns precision, recall, F1 and accuracy as trafilatura defines them.
func (s *score) metrics() (p, r, f, a float64) {
	p = float64(s.tp) / float64(max(1, s.tp+s.fp))
	r = float64(s.tp) / float64(max(1, s.tp+s.fn))
	f = 2 * float64(s.tp) / float64(max(1, 2*s.tp+s.fp+s.fn))
	a = float64(s.tp+s.tn) / float64(max(1, s.tp+s.tn+s.fp+s.fn))
	return p, r, f, a
}

func ratio(ok, n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(ok)/float64(n), 'f', 3, 64) + " (" + strconv.Itoa(n) + ")"
}

// scorePage compares one extraction with the expectations of its page.
// Snippets and text are compared whitespace-normalised; title, date and
// author exactly after whitespace normalisation, on pages that have one.
// An author matches if it is the first author or the whole list joined in
// one of the usual ways ("A, B", "A; B", "A and B").
func scorePage(ev evalPage, got extracted) *score {
	s := &score{pages: 1}
	text := norm(got.text)
	for _, w := range ev.With {
		if strings.Contains(text, norm(w)) {
			s.tp++
		} else {
			s.fn++
			s.missed = append(s.missed, w)
		}
	}
	for _, w := range ev.Without {
		if strings.Contains(text, norm(w)) {
			s.fp++
			s.leaked = append(s.leaked, w)
		} else {
			s.tn++
		}
	}
	if want := norm(ev.Title); want != "" {
		s.titles++
		if norm(got.title) == want {
			s.titleOK++
		} else {
			s.badMsg = append(s.badMsg, fmt.Sprintf("title %q, want %q", norm(got.title), want))
		}
	}
	if want := norm(ev.Date); want != "" {
		s.dates++
		if got.date == want {
			s.dateOK++
		} else {
			s.badMsg = append(s.badMsg, fmt.Sprintf("date %q, want %q", got.date, want))
		}
	}
	if len(ev.Author) > 0 {
		s.authors++
		ok := false
		for _, sep := range []string{", ", "; ", " and ", " & "} {
			want := norm(strings.Join(ev.Author, sep))
			if len(got.authors) > 0 && (norm(strings.Join(got.authors, sep)) == want ||
				len(ev.Author) == 1 && norm(got.authors[0]) == want) {
				ok = true
			}
		}
		if ok {
			s.authorOK++
		} else {
			s.badMsg = append(s.badMsg, fmt.Sprintf("author %q, want %q", got.authors, ev.Author))
		}
	}
	return s
}

func norm(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// taglinesExtract is taglines' extractor, reduced to what is scored.
func taglinesExtract(page []byte, u *url.URL) (extracted, error) {
	r, err := extract.Page(page, "", u)
	if r == nil {
		return extracted{}, err
	}
	e := extracted{text: r.Text, title: r.Title, authors: r.Authors}
	if len(e.authors) == 0 && r.Author != "" {
		e.authors = []string{r.Author}
	}
	if !r.Published.IsZero() {
		e.date = r.Published.Format("2006-01-02")
	}
	return e, err
}

// baseline is plain go-readability: its text, title, byline and date.
func baseline(page []byte, u *url.URL) (extracted, error) {
	art, err := readability.FromReader(bytes.NewReader(page), u)
	if err != nil {
		return extracted{}, err
	}
	e := extracted{title: art.Title()}
	if art.Node != nil {
		e.text = render.InnerText(art.Node)
	}
	if b := strings.TrimSpace(art.Byline()); b != "" {
		e.authors = []string{b}
	}
	if t, err := art.PublishedTime(); err == nil {
		e.date = t.Format("2006-01-02")
	}
	return e, nil
}

func readGz(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}
