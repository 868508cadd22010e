package dedup

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// refEntry is one entry of a saved reference tag page.
type refEntry struct {
	Source, Section, Title, Text string
	Published                    time.Time
}

// refSaved is about when the reference pages were saved; their relative
// times count back from it.
var refSaved = time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)

var relTime = regexp.MustCompile(`^(a|an|\d+) (minute|hour|day)s? ago$`)

// parseRefTime reads "a day ago", "6 days ago" or "25-04-2025".
func parseRefTime(s string) (time.Time, bool) {
	if m := relTime.FindStringSubmatch(s); m != nil {
		n := 1
		if m[1] != "a" && m[1] != "an" {
			n, _ = strconv.Atoi(m[1])
		}
		unit := map[string]time.Duration{"minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour}[m[2]]
		return refSaved.Add(-time.Duration(n) * unit), true
	}
	t, err := time.Parse("02-01-2006", s)
	return t.Add(12 * time.Hour), err == nil
}

// parseRefPage splits a saved tag page into its entries: an entry starts
// with a source line and a time line followed by "- Section" and
// "- Source" lines; its title is the next line and its text runs to the
// next entry.
func parseRefPage(t testing.TB, page string) []refEntry {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(page, "\r\n", "\n"), "\n")
	var starts []int // index of each entry's "- Section" line
	for i := 2; i+2 < len(lines); i++ {
		if strings.HasPrefix(lines[i], "- ") && strings.HasPrefix(lines[i+1], "- ") {
			if _, ok := parseRefTime(strings.TrimSpace(lines[i-1])); ok {
				starts = append(starts, i)
			}
		}
	}
	var out []refEntry
	for n, i := range starts {
		end := len(lines)
		if n+1 < len(starts) {
			end = starts[n+1] - 2
		}
		pub, _ := parseRefTime(strings.TrimSpace(lines[i-1]))
		var body []string
		for _, l := range lines[i+3 : end] {
			if l = strings.TrimSpace(l); l != "" {
				body = append(body, l)
			}
		}
		out = append(out, refEntry{
			Source:    strings.TrimSpace(lines[i-2]),
			Section:   strings.TrimPrefix(lines[i], "- "),
			Title:     strings.TrimSpace(lines[i+2]),
			Text:      strings.Join(body, "\n\n"),
			Published: pub,
		})
	}
	return out
}

func loadReference(t testing.TB) []refEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "reference", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no reference pages in testdata/reference: %v", err)
	}
	var all []refEntry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, parseRefPage(t, string(b))...)
	}
	return all
}

// TestReferencePages processes the ten articles of the reference tag
// pages, oldest first as ingest would have met them, and checks that the
// two stories listed twice become one entry each and nothing else merges.
func TestReferencePages(t *testing.T) {
	entries := loadReference(t)
	if len(entries) != 10 {
		for _, e := range entries {
			t.Logf("%s | %s | %q", e.Source, e.Published.Format(time.DateOnly), e.Title)
		}
		t.Fatalf("parsed %d reference entries, want 10", len(entries))
	}
	for _, e := range entries {
		if e.Title == "" || len(e.Text) < 500 {
			t.Fatalf("entry %q of %s: text of %d bytes, want a title and a long text", e.Title, e.Source, len(e.Text))
		}
	}
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return entries[a].Published.Compare(entries[b].Published) })

	d := New(NewMemIndex(), Options{})
	res := map[string]Result{} // by title
	title := map[int64]string{}
	for _, i := range order {
		e := entries[i]
		r, err := d.Process(context.Background(), Document{
			ID: int64(i + 1), Title: e.Title, Text: e.Text, Source: e.Source, Published: e.Published, Tags: []string{e.Section},
		})
		if err != nil {
			t.Fatalf("Process(%q): %v", e.Title, err)
		}
		res[e.Title] = r
		title[r.ID] = e.Title
	}
	find := func(prefix string) Result {
		t.Helper()
		for ti, r := range res {
			if strings.HasPrefix(ti, prefix) {
				return r
			}
		}
		t.Fatalf("no reference entry titled %q...", prefix)
		return Result{}
	}
	root := func(r Result) int64 {
		if r.DuplicateOf != 0 {
			return r.DuplicateOf
		}
		return r.ID
	}

	pairs := []struct{ name, a, b string }{
		{"Russia Today re-titled", "Moscow hopes ‘reasonable' Trump", "Moscow hopes Trump's ‘reasonable' position"},
		{"ABC News updated", "Russian general killed in car explosion", "Senior Russian killed in car explosion"},
	}
	want := map[int64]int64{} // article → the root it must have
	for _, p := range pairs {
		a, b := find(p.a), find(p.b)
		if root(a) != root(b) {
			t.Errorf("%s: %q → %+v and %q → %+v, want one entry", p.name, p.a, a, p.b, b)
		}
		want[a.ID], want[b.ID] = root(a), root(a)
	}
	moscow, erdogan := find("Moscow hopes ‘reasonable'"), find("Putin and Erdogan")
	if root(moscow) == root(erdogan) {
		t.Errorf("%q is a version of %q, want separate entries", title[erdogan.ID], title[moscow.ID])
	}
	for id, r := range res {
		w, ok := want[r.ID]
		if !ok {
			w = r.ID
		}
		if root(r) != w {
			t.Errorf("%q: version of %q, want an entry of its own", id, title[root(r)])
		}
	}
	stories := map[int64][]string{}
	for ti, r := range res {
		stories[r.Cluster] = append(stories[r.Cluster], ti)
	}
	for c, ts := range stories {
		slices.Sort(ts)
		t.Logf("story %d: %q", c, ts)
	}
}

func TestParseRefPage(t *testing.T) {
	page := "Latest news with #X\n\n\nRussia Today\na day ago\n- Politics\n- Russia Today\nTitle one\nBody one.\nAbc News\n26-04-2025\n- Business\n- ABC\nTitle two\n\nBody two.\n\n"
	got := parseRefPage(t, page)
	want := []refEntry{
		{Source: "Russia Today", Section: "Politics", Title: "Title one", Text: "Body one.", Published: refSaved.Add(-24 * time.Hour)},
		{Source: "Abc News", Section: "Business", Title: "Title two", Text: "Body two.", Published: time.Date(2025, 4, 26, 12, 0, 0, 0, time.UTC)},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseRefPage = %+v, want %+v", got, want)
	}
}
