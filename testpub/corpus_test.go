package testpub

import (
	"strings"
	"testing"
)

func TestCorpus(t *testing.T) {
	arts, err := Corpus()
	if err != nil {
		t.Fatalf("Corpus() error: %v", err)
	}
	if len(arts) < 600 {
		t.Fatalf("Corpus() has %d articles, want >= 600", len(arts))
	}
	byOrigin := map[string]int{}
	ids := map[string]bool{}
	for i, a := range arts {
		byOrigin[a.Origin]++
		if ids[a.ID] {
			t.Errorf("article %d: duplicate id %q", i, a.ID)
		}
		ids[a.ID] = true
		if strings.TrimSpace(a.Title) == "" || a.Source == "" || a.Section == "" {
			t.Errorf("article %s: title %q, source %q, section %q", a.ID, a.Title, a.Source, a.Section)
		}
		if len(a.Paragraphs) == 0 {
			t.Errorf("article %s: no paragraphs", a.ID)
		}
		if len(a.Categories) == 0 || a.Categories[0] != a.Section {
			t.Errorf("article %s: categories %q, want section %q first", a.ID, a.Categories, a.Section)
		}
		if a.Ordinal != i || !a.Published.IsZero() || a.Path != "" {
			t.Errorf("article %s: ordinal %d, published %v, path %q; want %d, zero, empty", a.ID, a.Ordinal, a.Published, a.Path, i)
		}
		for _, p := range a.Paragraphs {
			if strings.TrimSpace(p) == "" || strings.Contains(p, "&#3;") || strings.Contains(p, "&lt;") || strings.ContainsRune(p, '\x03') {
				t.Errorf("article %s: bad paragraph %q", a.ID, p)
			}
		}
		if a.Origin == OriginReuters && strings.HasSuffix(a.Paragraphs[len(a.Paragraphs)-1], "Reuter") {
			t.Errorf("article %s: Reuters sign-off left in", a.ID)
		}
	}
	for _, tt := range []struct {
		origin string
		min    int
	}{
		{OriginReference, 10},
		{OriginBBC, 300},
		{OriginReuters, 300},
	} {
		if got := byOrigin[tt.origin]; got < tt.min {
			t.Errorf("Corpus() has %d %s articles, want >= %d", got, tt.origin, tt.min)
		}
	}
}

// The reference articles are test material for boilerplate removal,
// duplicates and dates; their text must stay as saved.
func TestCorpusReference(t *testing.T) {
	arts, err := Corpus()
	if err != nil {
		t.Fatal(err)
	}
	var ref []Article
	text := ""
	for _, a := range arts {
		if a.Origin == OriginReference {
			ref = append(ref, a)
			text += strings.Join(a.Paragraphs, " ") + "\n"
		}
	}
	for _, want := range []string{"Advertisement", "Credit:", "Try The Telegraph free for 1 month", "( AP Photo )", "TO FOLLOW", "Sergey Lavrov", "Kremlin"} {
		if !strings.Contains(text, want) {
			t.Errorf("reference text lacks %q", want)
		}
	}
	sources := map[string]bool{}
	for _, a := range ref {
		sources[a.Source] = true
		if a.Age <= 0 {
			t.Errorf("reference %s (%q): age %v, want > 0", a.ID, a.Title, a.Age)
		}
	}
	for _, s := range []string{"Russia Today", "South China Morning Post", "Memri", "ABC News", "Yahoo"} {
		if !sources[s] {
			t.Errorf("reference sources lack %q", s)
		}
	}
	for _, tt := range []struct {
		title string
		age   string
	}{
		{"Moscow hopes ‘reasonable' Trump will influence EU", "24h0m0s"},
		{"Moscow hopes Trump's ‘reasonable' position will influence EU", "48h0m0s"},
	} {
		found := false
		for _, a := range ref {
			if a.Title == tt.title {
				found = true
				if a.Age.String() != tt.age {
					t.Errorf("reference %q: age %v, want %s", tt.title, a.Age, tt.age)
				}
			}
		}
		if !found {
			t.Errorf("reference lacks %q", tt.title)
		}
	}
	// Within one page, the order of the entries is their order in time.
	for i := 1; i < 5; i++ {
		if ref[i].Age <= ref[i-1].Age {
			t.Errorf("reference %s age %v not older than %s age %v", ref[i].ID, ref[i].Age, ref[i-1].ID, ref[i-1].Age)
		}
	}
}
