package dedup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/taglines/taglines"
)

func words(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.word
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		capitals []string
	}{
		{"possessive dropped", "Trump's ‘reasonable' position", []string{"trump", "reasonable", "position"}, nil},
		{"apostrophe joins", "don't won’t", []string{"dont", "wont"}, nil},
		{"single letters skipped", "a US-led plan I saw", []string{"us", "led", "plan", "saw"}, nil},
		{"names after sentence start", "Russian President Vladimir Putin met Erdogan. Then he left.", []string{"russian", "president", "vladimir", "putin", "met", "erdogan", "then", "he", "left"}, []string{"president", "vladimir", "putin", "erdogan"}},
		{"non-latin", "Владимир Путин, Türkiye 2025", []string{"владимир", "путин", "türkiye", "2025"}, []string{"путин", "türkiye"}},
		{"invalid utf-8 separates", "ab\xffcd", []string{"ab", "cd"}, nil},
		{"empty", "", []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := tokenize(tt.in)
			if got := words(toks); !slices.Equal(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			var caps []string
			for _, tok := range toks {
				if tok.capital {
					caps = append(caps, tok.word)
				}
			}
			if !slices.Equal(caps, tt.capitals) {
				t.Errorf("tokenize(%q) capitals = %q, want %q", tt.in, caps, tt.capitals)
			}
		})
	}
}

func TestShinglesIgnoreParagraphOrder(t *testing.T) {
	a := "The Kremlin has blamed Ukraine for a car bomb near Moscow.\n\nInvestigators work the scene where the officer was killed on Friday."
	b := "Investigators work the scene where the officer was killed on Friday.\n\nThe Kremlin has blamed Ukraine for a car bomb near Moscow."
	sa, sb := shingles(tokenize(a)), shingles(tokenize(b))
	if !slices.Equal(sa, sb) || len(sa) == 0 {
		t.Errorf("shingles of re-ordered paragraphs differ: %d vs %d", len(sa), len(sb))
	}
}

func TestSignatureSimilarity(t *testing.T) {
	base := strings.Fields(loremNews)
	sig := func(ws []string) Signature {
		m, ok := minhash(shingles(tokenize(strings.Join(ws, " "))))
		if !ok {
			t.Fatal("no shingles")
		}
		return signatureOf(&m)
	}
	s0 := sig(base)
	tests := []struct {
		name     string
		ws       []string
		min, max float64
	}{
		{"identical", base, 1, 1},
		{"half replaced", append(slices.Clone(base[:len(base)/2]), strings.Fields(otherNews)...), 0.15, 0.6},
		{"unrelated", strings.Fields(otherNews), 0, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sig(tt.ws)
			if got := s0.Similarity(&s); got < tt.min || got > tt.max {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f]", got, tt.min, tt.max)
			}
		})
	}
}

const loremNews = `Moscow hopes the reasonable position on the Ukrainian conflict displayed by US President Donald Trump will have an impact on the stance of the EU, Russian Foreign Minister Sergey Lavrov has said. Speaking during a press conference in Moscow following talks with his Mozambican counterpart, Russia's top diplomat expressed hopes the EU will, at some point, show a willingness to engage in meaningful dialogue. While the US president had repeatedly promised to end the hostilities between Moscow and Kiev, he admitted last month that the task had proven to be more difficult than people would have any idea.`

const otherNews = `The European Union's top diplomat said the latest coalition of the willing meeting had failed to present clear plans on enforcing a post-war settlement in Ukraine. Kaja Kallas was asked on Friday whether the gathering a day before in Brussels had cleared up any confusion over the stalled plans. The different member states have different opinions and the discussions are still ongoing, she told reporters in the Belgian capital on Friday afternoon.`

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func process(t *testing.T, d *Deduper, docs ...Document) []Result {
	t.Helper()
	out := make([]Result, len(docs))
	for i, doc := range docs {
		r, err := d.Process(context.Background(), doc)
		if err != nil {
			t.Fatalf("Process(%d): %v", doc.ID, err)
		}
		out[i] = r
	}
	return out
}

func TestProcessVersions(t *testing.T) {
	long := loremNews + "\n\n" + otherNews
	tests := []struct {
		name string
		a, b Document
		dup  bool
	}{
		{"re-titled", Document{Title: "Moscow hopes 'reasonable' Trump will influence EU", Text: long},
			Document{Title: "Moscow hopes Trump's 'reasonable' position will influence EU", Text: long}, true},
		{"syndicated with boilerplate", Document{Title: "Lavrov on Trump", Text: long},
			Document{Title: "Lavrov on Trump | Yahoo", Text: "Advertisement\n\n" + long + "\n\nBroaden your horizons with award-winning British journalism. Try The Telegraph free for 1 month."}, true},
		{"same URL, different text", Document{Title: "Live", Text: loremNews, URL: "https://example.com/live?utm_source=x"},
			Document{Title: "Live updates", Text: otherNews, URL: "https://EXAMPLE.com/live"}, true},
		{"different stories", Document{Title: "Lavrov on Trump", Text: loremNews}, Document{Title: "Kallas on coalition", Text: otherNews}, false},
		{"empty texts", Document{Title: "Video", Text: ""}, Document{Title: "Video", Text: ""}, false},
		{"tiny identical texts", Document{Title: "Gallery", Text: "Photos of the day."}, Document{Title: "Gallery", Text: "Photos of the day."}, false},
		{"boilerplate-only under different titles",
			Document{Title: "Putin and Erdogan discuss Ukraine and Syria", Text: boilerplate},
			Document{Title: "Ukrainian terror plot targeting railway bridge foiled", Text: boilerplate}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(NewMemIndex(), Options{})
			tt.a.ID, tt.a.Published = 1, t0
			tt.b.ID, tt.b.Published = 2, t0.Add(time.Hour)
			r := process(t, d, tt.a, tt.b)
			if got := r[1].DuplicateOf == 1; got != tt.dup {
				t.Errorf("Process(b) = %+v, duplicate %v, want %v", r[1], got, tt.dup)
			}
			if tt.dup && r[1].Cluster != r[0].Cluster {
				t.Errorf("duplicate in story %d, original in %d", r[1].Cluster, r[0].Cluster)
			}
			if r[0].Cluster != 1 || r[0].DuplicateOf != 0 {
				t.Errorf("first article = %+v, want alone in its own story", r[0])
			}
		})
	}
}

const boilerplate = `We use cookies to improve your experience on our site and to show you relevant advertising. By continuing to browse you agree to our use of cookies.

Subscribe to our newsletter to get the day's top stories delivered to your inbox every morning, hand-picked by our editors.

Follow us on social media for breaking news, analysis and opinion.`

func TestProcessWindowAndChains(t *testing.T) {
	d := New(NewMemIndex(), Options{DuplicateWindow: 48 * time.Hour})
	doc := func(id int64, at time.Duration) Document {
		return Document{ID: id, Title: "Lavrov on Trump", Text: loremNews + "\n\n" + otherNews, Published: t0.Add(at)}
	}
	r := process(t, d, doc(1, 0), doc(2, time.Hour), doc(3, 2*time.Hour), doc(4, 30*24*time.Hour))
	if r[1].DuplicateOf != 1 || r[2].DuplicateOf != 1 {
		t.Errorf("versions = %+v, %+v; want both DuplicateOf 1 (groups are stars)", r[1], r[2])
	}
	if r[3].DuplicateOf != 0 || r[3].Cluster != 4 {
		t.Errorf("a month later = %+v, want a new entry and story", r[3])
	}
	again := process(t, d, doc(2, time.Hour))
	if again[0].DuplicateOf != 1 {
		t.Errorf("processing id 2 again = %+v, want the recorded decision", again[0])
	}
}

func TestProcessEnormousText(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		fmt.Fprintf(&b, "word%d filler text %d of an enormous page.\n", i%5000, i)
	}
	d := New(NewMemIndex(), Options{})
	start := time.Now()
	r := process(t, d,
		Document{ID: 1, Title: "Huge", Text: b.String(), Published: t0},
		Document{ID: 2, Title: "Lavrov on Trump", Text: loremNews, Published: t0})
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("two articles took %v, want the work bounded", el)
	}
	if r[1].DuplicateOf != 0 || r[1].Cluster != 2 {
		t.Errorf("article after an enormous one = %+v, want alone", r[1])
	}
}

func TestProcessInvalid(t *testing.T) {
	d := New(NewMemIndex(), Options{})
	for _, id := range []int64{0, -3} {
		if _, err := d.Process(context.Background(), Document{ID: id, Text: "x"}); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Process(id %d) error = %v, want ErrInvalid", id, err)
		}
	}
}

func TestStoryClusters(t *testing.T) {
	d := New(NewMemIndex(), Options{})
	r := process(t, d,
		Document{ID: 1, Title: "Russian general killed in car bomb near Moscow", Text: "Lieutenant General Yaroslav Moskalik was killed by a car bomb in Balashikha near Moscow, Russian investigators said. The Kremlin blamed Kyiv.", Source: "ABC", Published: t0},
		Document{ID: 2, Title: "Kallas says coalition talks failed", Text: otherNews, Source: "Yahoo", Published: t0.Add(time.Hour)},
		Document{ID: 3, Title: "Car bomb kills Russian general Moskalik in Balashikha", Text: "Russian investigators say a car bomb killed General Yaroslav Moskalik outside Moscow; the Kremlin blames Kyiv for the explosion.", Source: "Reuters", Published: t0.Add(2 * time.Hour)},
		// A late article: published before the others, processed last.
		Document{ID: 4, Title: "Explosion in Balashikha: general Moskalik killed", Text: "A car exploded in Balashikha near Moscow killing Lieutenant General Yaroslav Moskalik, investigators say.", Source: "TASS", Published: t0.Add(-3 * time.Hour)},
		Document{ID: 5, Title: "Car bomb kills Russian general Moskalik", Text: "Same names, a week later, are another story for the window.", Published: t0.Add(10 * 24 * time.Hour)},
	)
	for i, want := range []int64{1, 2, 1, 1, 5} {
		if r[i].Cluster != want || r[i].DuplicateOf != 0 {
			t.Errorf("article %d = %+v, want story %d, no duplicate", i+1, r[i], want)
		}
	}
}

func TestSplit(t *testing.T) {
	ctx := context.Background()
	long := loremNews + "\n\n" + otherNews
	setup := func(t *testing.T) (*Deduper, *MemIndex) {
		idx := NewMemIndex()
		d := New(idx, Options{})
		r := process(t, d,
			Document{ID: 1, Title: "Lavrov on Trump", Text: long, Published: t0},
			Document{ID: 2, Title: "Lavrov on Trump, updated", Text: long, Published: t0.Add(time.Hour)},
			Document{ID: 3, Title: "Lavrov on Trump | Yahoo", Text: long + "\n\nAdvertisement", Published: t0.Add(2 * time.Hour)},
		)
		if r[1].DuplicateOf != 1 || r[2].DuplicateOf != 1 {
			t.Fatalf("setup: %+v", r)
		}
		return d, idx
	}
	t.Run("version", func(t *testing.T) {
		d, idx := setup(t)
		got, err := d.Split(ctx, 3, SplitVersion)
		if err != nil || got != (Result{ID: 3, Cluster: 1}) {
			t.Fatalf("Split(3, SplitVersion) = %+v, %v; want {ID:3 Cluster:1}", got, err)
		}
		if vs, _ := idx.Versions(ctx, 1); len(vs) != 1 || vs[0].ID != 2 {
			t.Errorf("Versions(1) after split = %+v, want only 2", vs)
		}
	})
	t.Run("story", func(t *testing.T) {
		d, idx := setup(t)
		got, err := d.Split(ctx, 2, SplitStory)
		if err != nil || got != (Result{ID: 2, Cluster: 2}) {
			t.Fatalf("Split(2, SplitStory) = %+v, %v; want {ID:2 Cluster:2}", got, err)
		}
		e, _ := idx.Entry(ctx, 2)
		if e.DuplicateOf != 0 || e.Cluster != 2 {
			t.Errorf("entry 2 after split = dup %d story %d", e.DuplicateOf, e.Cluster)
		}
		c1, _ := idx.Cluster(ctx, 1)
		c2, _ := idx.Cluster(ctx, 2)
		if c1.Size != 2 || c2.Size != 1 {
			t.Errorf("story sizes after split = %d, %d; want 2, 1", c1.Size, c2.Size)
		}
		// Later copies still find a version to join.
		r := process(t, d, Document{ID: 4, Title: "Lavrov on Trump", Text: long, Published: t0.Add(3 * time.Hour)})
		if r[0].DuplicateOf == 0 {
			t.Errorf("copy after split = %+v, want a duplicate", r[0])
		}
	})
	t.Run("founder refused", func(t *testing.T) {
		d, _ := setup(t)
		if _, err := d.Split(ctx, 2, SplitVersion); err != nil {
			t.Fatal(err)
		}
		// 1 and its version 3 share the story with 2, which 1 started.
		if _, err := d.Split(ctx, 1, SplitStory); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Split(founder) error = %v, want ErrInvalid", err)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		d, _ := setup(t)
		if _, err := d.Split(ctx, 99, SplitVersion); !errors.Is(err, taglines.ErrNotFound) {
			t.Errorf("Split(99) error = %v, want ErrNotFound", err)
		}
		if _, err := d.Split(ctx, 2, SplitKind(9)); !errors.Is(err, taglines.ErrInvalid) {
			t.Errorf("Split(kind 9) error = %v, want ErrInvalid", err)
		}
	})
}

func TestMemIndexCandidates(t *testing.T) {
	ctx := context.Background()
	m := NewMemIndex()
	for i := int64(1); i <= 100; i++ {
		if err := m.Put(ctx, Entry{ID: i, Published: t0.Add(time.Duration(i) * time.Hour), Keys: []uint64{7, uint64(1000 + i)}}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		q    Query
		want int
	}{
		{"per-key cap", Query{Keys: []uint64{7}, PerKey: 10}, 10},
		{"window", Query{Keys: []uint64{7}, Since: t0.Add(91 * time.Hour), Until: t0.Add(95 * time.Hour)}, 5},
		{"distinct", Query{Keys: []uint64{7, 1005}, Since: t0.Add(5 * time.Hour), Until: t0.Add(5 * time.Hour)}, 1},
		{"unknown key", Query{Keys: []uint64{8}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Candidates(ctx, tt.q)
			if err != nil || len(got) != tt.want {
				t.Errorf("Candidates(%+v) = %d entries, %v; want %d", tt.q, len(got), err, tt.want)
			}
		})
	}
	if err := m.Put(ctx, Entry{ID: 5, Keys: []uint64{1}}); !errors.Is(err, taglines.ErrInvalid) {
		t.Errorf("Put with changed keys error = %v, want ErrInvalid", err)
	}
	if _, err := m.Entry(ctx, 1000); !errors.Is(err, taglines.ErrNotFound) {
		t.Errorf("Entry(1000) error = %v, want ErrNotFound", err)
	}
}

func TestScorePairs(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []int
		p, r, nmi   float64
	}{
		{"perfect", []int{1, 1, 2, 2}, []int{5, 5, 6, 6}, 1, 1, 1},
		{"all apart", []int{1, 1, 2, 2}, []int{1, 2, 3, 4}, 1, 0, 2 * 0.6931471805599453 / (0.6931471805599453 + 1.3862943611198906)},
		{"all together", []int{1, 1, 2, 2}, []int{1, 1, 1, 1}, 2.0 / 6, 1, 0},
		{"one wrong", []int{1, 1, 1, 2}, []int{1, 1, 2, 2}, 0.5, 1.0 / 3, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ScorePairs(tt.truth, tt.pred)
			if !near(s.Precision, tt.p) || !near(s.Recall, tt.r) || (tt.nmi >= 0 && !near(s.NMI, tt.nmi)) {
				t.Errorf("ScorePairs(%v, %v) = %v; want precision %.3f recall %.3f NMI %.3f", tt.truth, tt.pred, s, tt.p, tt.r, tt.nmi)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// FuzzTokenize checks the invariants of normalisation and shingling on
// any input: words are case-folded runs of at least two letters or
// digits, the work is bounded, shingles are sorted and distinct, and the
// same text always hashes the same.
func FuzzTokenize(f *testing.F) {
	for _, e := range []string{loremNews, otherNews, boilerplate, "Trump's ‘reasonable' position", "ab\xffcd", "Ǆemal İstanbul ΣΑΣ", "a\u0301\u0301b"} {
		f.Add(e)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := tokenize(text)
		if len(toks) > MaxTokens {
			t.Fatalf("tokenize: %d tokens, want <= %d", len(toks), MaxTokens)
		}
		for _, tok := range toks {
			if utf8.RuneCountInString(tok.word) < 2 || !utf8.ValidString(tok.word) {
				t.Fatalf("tokenize(%q): bad word %q", text, tok.word)
			}
			for _, r := range tok.word {
				if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
					t.Fatalf("tokenize(%q): word %q has %q", text, tok.word, r)
				}
			}
			if tok.hash != fnv64(tok.word) {
				t.Fatalf("tokenize(%q): hash of %q is not its FNV-1a", text, tok.word)
			}
		}
		sh := shingles(toks)
		if len(sh) > MaxShingles || !slices.IsSorted(sh) || len(slices.Compact(slices.Clone(sh))) != len(sh) {
			t.Fatalf("shingles(%q): %d, sorted %v, want <= %d distinct sorted", text, len(sh), slices.IsSorted(sh), MaxShingles)
		}
		if again := shingles(tokenize(text)); !slices.Equal(again, sh) {
			t.Fatalf("shingles(%q) not deterministic", text)
		}
		d := New(NewMemIndex(), Options{})
		if _, err := d.Process(context.Background(), Document{ID: 1, Title: text, Text: text, URL: text, Tags: []string{text}}); err != nil {
			t.Fatalf("Process(%q): %v", text, err)
		}
	})
}

func TestSharesName(t *testing.T) {
	plain := Vector{{Key: 1, Weight: 1}, {Key: 2, Weight: 1}}
	putin := Vector{{Key: 1, Weight: 1}, {Key: 5, Weight: 1, Name: true}}
	putinToo := Vector{{Key: 2, Weight: 1}, {Key: 5, Weight: 1, Name: true}, {Key: 8, Weight: 1, Name: true}}
	erdogan := Vector{{Key: 1, Weight: 1}, {Key: 6, Weight: 1, Name: true}}
	wordOnly := Vector{{Key: 6, Weight: 1}} // the name's word, not tagged as a name here
	for _, tt := range []struct {
		name string
		a, b Vector
		want bool
	}{
		{"neither names anyone", plain, plain, true},
		{"a shared name", putin, putinToo, true},
		{"different names", putin, erdogan, false},
		{"names on one side only", putin, plain, false},
		{"the word of a name is not the name", erdogan, append(wordOnly, Term{Key: 9, Weight: 1, Name: true}), false},
	} {
		if got := sharesName(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: sharesName = %v, want %v", tt.name, got, tt.want)
		}
		if got := sharesName(tt.b, tt.a); got != tt.want {
			t.Errorf("%s, swapped: sharesName = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestStorySpan: a story does not grow past MaxSpan, neither with one
// article a year later nor a day at a time.
func TestStorySpan(t *testing.T) {
	ctx := context.Background()
	text := "Flooding closed the river road at Bewdley on Monday as the Severn rose past its barriers, and the Environment Agency warned of more rain."
	doc := func(id int64, at time.Time, extra string) Document {
		return Document{ID: id, Title: "Severn floods close Bewdley road", Text: text + " " + extra, Published: at, Names: []string{"environmentagency"}, Tags: []string{"environmentagency", "bewdley"}}
	}
	d := New(NewMemIndex(), Options{})
	if _, err := d.Process(ctx, doc(1, t0, "Residents were moved.")); err != nil {
		t.Fatal(err)
	}
	res, err := d.Process(ctx, doc(2, t0.Add(395*24*time.Hour), "A year on, the barriers held."))
	if err != nil {
		t.Fatal(err)
	}
	if res.Cluster == 1 || res.DuplicateOf != 0 {
		t.Errorf("an article 13 months later joined the story: %+v", res)
	}
	d = New(NewMemIndex(), Options{MaxSpan: 5 * 24 * time.Hour})
	span := map[int64][2]time.Time{} // story → first and last article
	for i := range int64(8) {
		days := []string{"Sandbags ran out in Worcester.", "Schools shut in Upton.", "The army built a wall at Tewkesbury.", "Trains stopped at Shrewsbury.",
			"A farmer lost his flock near Ironbridge.", "Insurers counted the claims.", "The water fell at last.", "Cleaning began on the quay."}
		dd := doc(10+i, t0.Add(time.Duration(i)*24*time.Hour), "")
		dd.Text = fmt.Sprintf("Severn flooding at Bewdley, day %d: the Environment Agency kept its warnings. %s", i+1, days[i])
		res, err := d.Process(ctx, dd)
		if err != nil {
			t.Fatal(err)
		}
		if res.DuplicateOf != 0 {
			t.Fatalf("day %d is a version of article %d", i+1, res.DuplicateOf)
		}
		sp, ok := span[res.Cluster]
		if !ok {
			sp[0] = dd.Published
		}
		sp[1] = dd.Published
		span[res.Cluster] = sp
	}
	longest := time.Duration(0)
	for id, sp := range span {
		if sp[1].Sub(sp[0]) > 5*24*time.Hour {
			t.Errorf("story %d spans %v, past MaxSpan", id, sp[1].Sub(sp[0]))
		}
		longest = max(longest, sp[1].Sub(sp[0]))
	}
	if len(span) == 8 || longest < 2*24*time.Hour {
		t.Errorf("the daily articles do not form stories at all (%d stories, the longest over %v): the test shows nothing", len(span), longest)
	}
}

func BenchmarkProcess(b *testing.B) {
	entries := loadReference(b)
	d := New(NewMemIndex(), Options{})
	ctx := context.Background()
	id := int64(0)
	for b.Loop() {
		e := entries[int(id)%len(entries)]
		id++
		if _, err := d.Process(ctx, Document{ID: id, Title: e.Title, Text: e.Text, Published: t0.Add(time.Duration(id) * time.Minute)}); err != nil {
			b.Fatal(err)
		}
	}
}
