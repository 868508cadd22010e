package enrich

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	taggerOnce sync.Once
	taggerVal  *Tagger
	taggerErr  error
)

// testTagger returns one Tagger with the shipped models for the whole test
// binary: loading is the slow part.
func testTagger(t testing.TB) *Tagger {
	t.Helper()
	taggerOnce.Do(func() { taggerVal, taggerErr = NewTagger(Options{}) })
	if taggerErr != nil {
		t.Fatal(taggerErr)
	}
	return taggerVal
}

func tagSlugs(r Result) map[string]bool {
	m := map[string]bool{}
	for _, t := range r.Tags {
		m[t.Tag.Slug] = true
	}
	return m
}

func TestTagCanonicalNames(t *testing.T) {
	tagger := testTagger(t)
	tests := []struct {
		name    string
		a       Article
		want    []string
		notWant []string
	}{
		{
			name: "partial person names",
			a: Article{Title: "Witkoff meets Putin in Moscow",
				Text: "US envoy Steve Witkoff met Russian President Vladimir Putin in Moscow on Friday. Putin said the talks were useful. Mr Witkoff flew back to Washington afterwards, and Witkoff will report to the White House."},
			want:    []string{"stevewitkoff", "vladimirputin"},
			notWant: []string{"putin", "witkoff", "mrwitkoff"},
		},
		{
			name: "kiev and kyiv are one tag",
			a: Article{Title: "Drone attack on Kiev",
				Text: "Russian drones struck Kiev overnight, officials in Kyiv said. The mayor of Kyiv said air defences shot down most of them over the Ukrainian capital."},
			want:    []string{"kyiv"},
			notWant: []string{"kiev"},
		},
		{
			name: "no tag from a photo credit",
			a: Article{Title: "Markets rise as oil falls",
				Text: "Shares rose in Europe on Monday as the price of oil fell for a third day, traders said.\n\nPhoto: Kremlin.ru\n\nInvestors bought bank shares. (AP Photo/Alexander Zemlianichenko)"},
			notWant: []string{"kremlin", "kremlin.ru", "ap", "alexanderzemlianichenko"},
		},
		{
			name: "blocked",
			a:    Article{Title: "Trump speaks", Text: "Donald Trump spoke in Washington on Monday. Trump said he would meet reporters."},
			want: []string{"donaldtrump"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tagSlugs(tagger.Tag(tt.a))
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("Tag(%q) tags = %v, want #%s", tt.a.Title, got, w)
				}
			}
			for _, w := range tt.notWant {
				if got[w] {
					t.Errorf("Tag(%q) tags = %v, want no #%s", tt.a.Title, got, w)
				}
			}
		})
	}
}

func TestTagBlockAndAlias(t *testing.T) {
	a := DefaultAliases()
	tagger, err := NewTagger(Options{Aliases: a, NER: testTagger(t).ner, Sections: testTagger(t).sections})
	if err != nil {
		t.Fatal(err)
	}
	art := Article{Title: "Trump and Biden debate", Text: "Donald Trump and Joe Biden met in Atlanta. Trump attacked Biden on the economy; Biden replied."}
	if got := tagSlugs(tagger.Tag(art)); !got["donaldtrump"] || !got["joebiden"] {
		t.Fatalf("Tag(%q) = %v, want #DonaldTrump and #JoeBiden", art.Title, got)
	}
	a.Block("#DonaldTrump")
	if err := a.Merge("Joe Biden", "Joseph Robinette Biden"); err != nil {
		t.Fatal(err)
	}
	got := tagSlugs(tagger.Tag(art))
	if got["donaldtrump"] || !got["josephrobinettebiden"] {
		t.Errorf("after Block and Merge, Tag(%q) = %v, want no #DonaldTrump and #JosephRobinetteBiden", art.Title, got)
	}
}

func TestTagOffsets(t *testing.T) {
	tagger := testTagger(t)
	tests := []struct {
		name string
		a    Article
	}{
		{"title and text", Article{Title: "Putin’s envoy in Kyiv", Text: "Vladimir Putin sent Dmitry Peskov to Türkiye."}},
		{"empty title", Article{Text: "Vladimir Putin sent Dmitry Peskov to Türkiye."}},
		{"plain", Article{Text: "Vladimir Putin sent Dmitry Peskov to Türkiye.", Plain: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.a.Document()
			res := tagger.Tag(tt.a)
			if len(res.Entities) == 0 {
				t.Fatalf("Tag(%q) found no entities", doc)
			}
			for _, e := range res.Entities {
				if e.Start < 0 || e.End > len(doc) || doc[e.Start:e.End] != e.Text {
					t.Errorf("entity %+v does not match document %q", e, doc)
				}
			}
		})
	}
}

func TestTagBadInput(t *testing.T) {
	tagger := testTagger(t)
	tests := []struct {
		name     string
		a        Article
		wantNote string
	}{
		{"empty", Article{}, "empty"},
		{"spaces", Article{Text: " \n\t "}, "empty"},
		{"binary", Article{Text: string([]byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8, 9, 0, 0, 0, 1, 2, 3, 4, 5})}, "binary"},
		{"russian", Article{Text: "Президент России Владимир Путин провёл телефонный разговор с президентом Турции Реджепом Тайипом Эрдоганом. Стороны обсудили ситуацию на Украине и в Сирии."}, "language"},
		{"huge", Article{Text: strings.Repeat("Vladimir Putin spoke in Moscow. ", 20000)}, "truncated"},
		{"given language", Article{Text: "Vladimir Putin spoke in Moscow.", Lang: "de"}, "language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tagger.Tag(tt.a)
			if !strings.Contains(res.Note, tt.wantNote) {
				t.Errorf("Tag(%.40q).Note = %q, want it to mention %q", tt.a.Text, res.Note, tt.wantNote)
			}
			if tt.wantNote != "truncated" && len(res.Tags) != 0 {
				t.Errorf("Tag(%.40q) = %v tags, want none", tt.a.Text, res.Tags)
			}
		})
	}
}

func TestDefaultTopics(t *testing.T) {
	ts := DefaultTopics()
	if len(ts) < 25 {
		t.Errorf("DefaultTopics() has %d topics, want about 30", len(ts))
	}
	for _, want := range []string{"ukrainianconflict", "middleeast", "climatechange", "artificialintelligence", "elections", "economy"} {
		found := false
		for _, tp := range ts {
			found = found || tp.Tag.Slug == want
		}
		if !found {
			t.Errorf("DefaultTopics() lacks #%s", want)
		}
	}
}

func TestParseTopicsError(t *testing.T) {
	_, err := ParseTopics(strings.NewReader("#Good\tukraine\n#Bad\t(ukraine OR\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "at 11") {
		t.Errorf("ParseTopics(bad rule) error = %v, want line 2 at 11", err)
	}
}

func TestDefaultAliases(t *testing.T) {
	a := DefaultAliases()
	tests := []struct{ in, want string }{
		{"Kiev", "Kyiv"}, {"U.S.", "United States"}, {"US", "United States"}, {"the United States", "United States"},
		{"Russian Federation", "Russia"}, {"Türkiye", "Turkey"}, {"UK", "United Kingdom"}, {"Britain", "United Kingdom"},
		{"Kremlin.ru", "Kremlin"}, {"#Kremlin.ru", "Kremlin"}, {"#VladimirPutin", "Vladimir Putin"}, {"Lavrov", "Sergey Lavrov"},
	}
	for _, tt := range tests {
		if got, _ := a.Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if c, ok := a.Demonym("Ukrainian"); !ok || c != "Ukraine" {
		t.Errorf("Demonym(Ukrainian) = %q, %v; want Ukraine", c, ok)
	}
}

func BenchmarkTag(b *testing.B) {
	tagger := testTagger(b)
	a := Article{Title: "Putin and Erdogan discuss Ukraine and Syria", Text: strings.Repeat("Russian President Vladimir Putin spoke to his Turkish counterpart, Recep Tayyip Erdogan, by phone. The leaders discussed the Ukrainian conflict, as well as the recent escalation in Syria, according to a statement published by the Kremlin on Friday. ", 8)}
	for b.Loop() {
		tagger.Tag(a)
	}
}

// TestTitleCaseHeadline: a Title Case headline does not make a name of
// its capitalised words; the names of the body still count.
func TestTitleCaseHeadline(t *testing.T) {
	tg := testTagger(t)
	res := tg.Tag(Article{
		Title: "Benetton of Italy Sees Expansion, Acquisitions",
		Text: "Benetton SpA of Italy expects to further diversify into financial services and is weighing possible acquisitions, a Benetton spokeswoman said in Milan. " +
			"Benetton is holding talks with Wall Street firms about a listing on the New York Stock Exchange, the spokeswoman said.",
	})
	var names []string
	for _, tag := range res.Tags {
		names = append(names, tag.Tag.Name)
		if tag.Tag.Name == "BenettonOfItalySeesExpansion" || tag.Tag.Name == "SeesExpansion" {
			t.Errorf("tag %s made from a Title Case headline", tag.Tag)
		}
	}
	if !slices.Contains(names, "Benetton") {
		t.Errorf("tags %v lack #Benetton, named in the body", names)
	}
	for _, tt := range []struct {
		title string
		want  bool
	}{
		{"Benetton of Italy Sees Expansion, Acquisitions", true},
		{"Putin and Erdogan discuss Ukraine and Syria", false},
		{"Moscow hopes Trump's 'reasonable' position will influence EU", false},
	} {
		if got := isTitleCase(tt.title); got != tt.want {
			t.Errorf("isTitleCase(%q) = %v, want %v", tt.title, got, tt.want)
		}
	}
}

// TestTopicNeedsSubject: a topic named once in passing is not a tag; one
// in the headline, or all through the body, is.
func TestTopicNeedsSubject(t *testing.T) {
	tg := testTagger(t)
	has := func(res Result, name string) bool {
		for _, tag := range res.Tags {
			if tag.Tag.Name == name {
				return true
			}
		}
		return false
	}
	trade := "The trade panel narrowed the list of Japanese goods facing tariffs, from television sets to power tools. " +
		"Officials said the decision would come within days and that talks with Tokyo would continue. " +
		"Exporters of semiconductors were expected to bear the brunt of the measures announced by the administration. " +
		"The list also includes photographic film and some chemicals, the panel said."
	if res := tg.Tag(Article{Title: "US to announce decision on Japan tariffs", Text: trade}); has(res, "Film") {
		t.Error("#Film from a trade story that mentions photographic film once")
	}
	review := "The new film opened in cinemas across the country this weekend. Critics praised the film's direction and its cast. " +
		"The studio said the film had taken more at the box office than any of its earlier releases, and a sequel is planned."
	if res := tg.Tag(Article{Title: "Studio's new release tops the box office", Text: review}); !has(res, "Film") {
		t.Errorf("no #Film on a story about a film: %v", res.Tags)
	}
}

// TestAliasIfNamed: "SA" is South Africa in an article that says so, and
// stays itself elsewhere; US states' abbreviations are the states.
func TestAliasIfNamed(t *testing.T) {
	a := DefaultAliases()
	e, ok := a.lookup("SA")
	if !ok || e.name != "South Africa" || !e.ifNamed {
		t.Fatalf("lookup(SA) = %+v, %v; want South Africa, only where named", e, ok)
	}
	budget := "South African Finance Minister Trevor Manuel has unveiled a budget. SA's growth is forecast at 4%."
	if !a.named(budget, e.name) {
		t.Errorf("named(%q, South Africa) = false: a demonym names it", budget)
	}
	for _, doc := range []string{"The Saab SA unit cut jobs.", "Southern Africans crossed the border."} {
		if a.named(doc, e.name) {
			t.Errorf("named(%q, South Africa) = true", doc)
		}
	}
	if c, _ := a.Canonical("N.J."); c != "New Jersey" {
		t.Errorf("Canonical(N.J.) = %q, want New Jersey", c)
	}

	tg := testTagger(t)
	has := func(res Result, name string) bool {
		for _, tag := range res.Tags {
			if tag.Tag.Name == name {
				return true
			}
		}
		return false
	}
	res := tg.Tag(Article{Title: "SA unveils 'more for all' budget", Text: "The South African government has pledged to spend more on the poor. " +
		"SA Finance Minister Trevor Manuel said the budget would raise spending on housing and social grants."})
	if !has(res, "SouthAfrica") || has(res, "SA") {
		t.Errorf("tags = %v, want #SouthAfrica and no #SA", res.Tags)
	}
}
