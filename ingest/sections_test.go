package ingest

import (
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/feed"
	"github.com/taglines/taglines/sqlite"
)

func TestSectionHabit(t *testing.T) {
	h := &sectionHabit{}
	for range 4 {
		h.learn("Sports")
	}
	if got := h.usual(); got != "" {
		t.Errorf("usual() after 4 articles = %q, want none yet", got)
	}
	h.learn("Sports")
	h.learn(taglines.DefaultSection) // not a section: not counted
	if got := h.usual(); got != "Sports" {
		t.Errorf("usual() = %q, want Sports", got)
	}
	for range 6 {
		h.learn("Business")
	}
	if got := h.usual(); got != "Business" {
		t.Errorf("usual() with 6 Business of 11 = %q, want Business", got)
	}
	h.learn("World")
	h.learn("World")
	if got := h.usual(); got != "" {
		t.Errorf("usual() with no section at half = %q, want none", got)
	}
	// Bounded: a source that changes is followed.
	for range 2 * habitLimit {
		h.learn("Health")
	}
	total := 0
	for _, n := range h.Counts {
		total += n
	}
	if total > habitLimit || h.usual() != "Health" {
		t.Errorf("after many Health: counts %v (total %d), usual %q; want at most %d and Health", h.Counts, total, h.usual(), habitLimit)
	}
}

// unsureFixture returns a real-looking headline and text that the shipped
// model is unsure of, and its classification.
func unsureFixture(t *testing.T, tagger *enrich.Tagger) (title, text string, res enrich.Result) {
	t.Helper()
	for _, c := range [][2]string{
		{"Weekend round-up", "What happened this week, and what comes next."},
		{"Letters to the editor", "Readers write about the week's news."},
		{"In pictures", "The week in photographs."},
		{"Your questions answered", "Our reporters reply to what you asked us this week."},
	} {
		if res = tagger.Tag(enrich.Article{Title: c[0], Text: c[1]}); res.Section.Confidence < minSectionConfidence {
			return c[0], c[1], res
		}
	}
	t.Fatalf("no fixture is ambiguous to this model (last: %+v); add another", res.Section)
	return
}

// TestUnsureSection: when the classifier is unsure, the source's usual
// section decides; without one, the classifier's best guess; the
// non-section "News" only for an article without words.
func TestUnsureSection(t *testing.T) {
	tagger, err := enrich.NewTagger(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := New(nil, nil, Options{Tagger: tagger})
	// one runs the enrich stage on a single article of a source whose
	// habit has usual as its usual section ("" for none).
	one := func(a *taglines.Article, usual string) {
		h := &sectionHabit{}
		if usual != "" {
			h.Counts = map[string]int{usual: 10}
		}
		in.enrich(&taglines.Source{URL: "http://127.0.0.1:1/feed"}, enrich.SectionMap{}, h, make([]feed.Item, 1), []*taglines.Article{a})
	}
	title, text, res := unsureFixture(t, tagger)
	a := &taglines.Article{Title: title, Text: text, Section: taglines.DefaultSection}
	one(a, "Sports")
	if a.Section != "Sports" || a.SectionConfidence >= minSectionConfidence {
		t.Errorf("unsure with a usual section: %s %.3f, want Sports below %.2f", a.Section, a.SectionConfidence, minSectionConfidence)
	}
	a = &taglines.Article{Title: title, Text: text, Section: taglines.DefaultSection}
	one(a, "")
	if a.Section != res.Section.Name {
		t.Errorf("unsure without a usual section: %s, want the best guess %s", a.Section, res.Section.Name)
	}
	a = &taglines.Article{Section: taglines.DefaultSection}
	one(a, "")
	if a.Section != taglines.DefaultSection {
		t.Errorf("no words: %s, want %s", a.Section, taglines.DefaultSection)
	}
	// A sure classification is not overridden by the habit.
	a = &taglines.Article{Section: taglines.DefaultSection, Title: "Arsenal beat Chelsea 2-1",
		Text: "Arsenal beat Chelsea 2-1 in the Premier League on Saturday; the striker scored twice and the coach praised the defence."}
	one(a, "Business")
	if a.Section != "Sports" {
		t.Errorf("sure of Sports with a Business habit: %s", a.Section)
	}
}

func TestHabitStored(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "habit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := &taglines.Source{URL: "http://127.0.0.1:1/feed.xml"}
	if err := store.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	in := New(store, nil, Options{Logger: slog.New(slog.DiscardHandler)})
	h := in.loadHabit(ctx, src)
	if h.usual() != "" {
		t.Fatalf("a new source has a habit: %v", h.Counts)
	}
	for range 7 {
		h.learn("Technology")
	}
	if err := in.saveHabit(ctx, src, h); err != nil {
		t.Fatal(err)
	}
	if got := in.loadHabit(ctx, src).usual(); got != "Technology" {
		t.Errorf("cached habit's usual() = %q, want Technology", got)
	}
	fresh := New(store, nil, Options{Logger: slog.New(slog.DiscardHandler)}) // a restarted process
	h = fresh.loadHabit(ctx, src)
	if got := h.usual(); got != "Technology" {
		t.Errorf("stored habit's usual() = %q, want Technology", got)
	}
	// A few more of the same are not worth a write; a change of the usual
	// section is.
	h.learn("Technology")
	if h.due() {
		t.Errorf("one more count made the habit due: %+v", h)
	}
	for range 9 {
		h.learn("Science")
	}
	if !h.due() {
		t.Errorf("a new usual section (%s) did not make the habit due", h.usual())
	}
	// Garbage in the store is relearnt, not an error.
	if err := store.SetSourceState(ctx, src.ID, sectionsKey, []byte("{broken")); err != nil {
		t.Fatal(err)
	}
	if got := New(store, nil, Options{Logger: slog.New(slog.DiscardHandler)}).loadHabit(ctx, src); got.usual() != "" {
		t.Errorf("a broken habit gave %v", got.Counts)
	}
}

// TestSourceSectionMap: the operator's map renames a source's labels and
// the sections taglines gives, or sets one section for all its articles.
func TestSourceSectionMap(t *testing.T) {
	tagger, err := enrich.NewTagger(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sport := func() *taglines.Article {
		return &taglines.Article{Section: taglines.DefaultSection, Title: "Arsenal beat Chelsea 2-1",
			Text: "Arsenal beat Chelsea 2-1 in the Premier League on Saturday; the striker scored twice and the coach praised the defence."}
	}
	m, err := enrich.ParseSectionMap("Footie=Football, Sports=Sport")
	if err != nil {
		t.Fatal(err)
	}
	a := sport()
	tagArticle(tagger, nil, a, "A feed", []string{"footie"}, m)
	if a.Section != "Football" || a.SectionConfidence != 1 {
		t.Errorf("feed label mapped: %s %.2f, want Football 1", a.Section, a.SectionConfidence)
	}
	a = sport()
	tagArticle(tagger, nil, a, "A feed", nil, m)
	if a.Section != "Sport" {
		t.Errorf("classifier's Sports renamed: %s, want Sport", a.Section)
	}
	m, _ = enrich.ParseSectionMap("*=Business")
	a = sport()
	a.Section, a.SectionConfidence = "Sports", 1 // the feed named one
	tagArticle(tagger, nil, a, "A feed", []string{"Sport"}, m)
	if a.Section != "Business" {
		t.Errorf("*=Business: %s, want Business for every article", a.Section)
	}
}

// TestFirstPollHabit: on a source's first poll there is no habit yet; the
// unsure articles take the usual section learnt from the poll's sure ones.
func TestFirstPollHabit(t *testing.T) {
	tagger, err := enrich.NewTagger(enrich.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := New(nil, nil, Options{Tagger: tagger})
	var arts []*taglines.Article
	for i := range 6 {
		arts = append(arts, &taglines.Article{Section: taglines.DefaultSection, Title: "Arsenal beat Chelsea " + strconv.Itoa(i),
			Text: "Arsenal beat Chelsea 2-1 in the Premier League on Saturday; the striker scored twice and the coach praised the defence."})
	}
	title, text, _ := unsureFixture(t, tagger)
	odd := &taglines.Article{Section: taglines.DefaultSection, Title: title, Text: text}
	arts = append(arts, odd, nil)
	h := &sectionHabit{}
	in.enrich(&taglines.Source{URL: "http://127.0.0.1:1/feed"}, enrich.SectionMap{}, h, make([]feed.Item, len(arts)), arts)
	if odd.Section != "Sports" || odd.SectionConfidence >= minSectionConfidence {
		t.Errorf("unsure article on a sport feed: %s %.3f, want Sports, unsure", odd.Section, odd.SectionConfidence)
	}
	if h.Counts["Sports"] != 6 {
		t.Errorf("habit %v, want the 6 sure articles only", h.Counts)
	}
}
