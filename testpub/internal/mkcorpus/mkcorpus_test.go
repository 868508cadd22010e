package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string
	}{
		{"simple", "One here. Two there. Three.", []string{"One here.", "Two there.", "Three."}},
		{"abbreviation", "Mr. Smith went to Washington. He left.", []string{"Mr. Smith went to Washington.", "He left."}},
		{"quote", "He said 'yes.' Then he left.", []string{"He said 'yes.'", "Then he left."}},
		{"initials", "The U.S. Senate voted. It passed.", []string{"The U.S. Senate voted.", "It passed."}},
		{"lowercase next", "Prices rose 2.5 pct. in March.", []string{"Prices rose 2.5 pct. in March."}},
		{"curly quote", "It said: ‘Go.’ ‘Now’ he said.", []string{"It said: ‘Go.’", "‘Now’ he said."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sentences(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	long := strings.Repeat("word ", 40) // 200 bytes
	text := ""
	for i := 0; i < 9; i++ {
		text += "Sentence " + long + "ends here. "
	}
	paras := paragraphs(text)
	for _, p := range paras {
		if n := len(sentences(p)); n < 2 || n > 4 {
			t.Errorf("paragraphs(...) made a paragraph of %d sentences, want 2-4: %q", n, p)
		}
	}
	if got := strings.Join(paras, " "); got != strings.TrimSpace(text) {
		t.Errorf("paragraphs(...) lost text: %q", got)
	}
}

func TestParseAge(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"a day ago", 1440},
		{"2 days ago", 2880},
		{"6 days ago", 6 * 1440},
		{"09-07-2025", 6 * 1440},
		{"26-04-2025", 80 * 1440},
	} {
		if got, err := parseAge(tt.in); err != nil || got != tt.want {
			t.Errorf("parseAge(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
	if _, err := parseAge("yesterday"); err == nil {
		t.Errorf("parseAge(%q) succeeded, want error", "yesterday")
	}
}

func TestTitleCase(t *testing.T) {
	for _, tt := range []struct {
		title, body, want string
	}{
		{"BAHIA COCOA REVIEW", "Showers continued in the Bahia cocoa zone.", "Bahia Cocoa Review"},
		{"U.S. SAYS OPEC OUTPUT UP", "The U.S. said OPEC output rose.", "U.S. Says OPEC Output Up"},
		{"MCDONALD'S TO BUY UNIT OF THE GROUP", "McDonald's Corp said.", "McDonald's to Buy Unit of the Group"},
	} {
		if got := titleCase(tt.title, tt.body); got != tt.want {
			t.Errorf("titleCase(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestParseReferencePage(t *testing.T) {
	page := "Latest news with #X\n\n\nRussia Today\na day ago\n- Politics\n- Russia Today\nTitle one\nBody one. Body two.\nABC News\n26-04-2025\n- Politics\n- ABC News\nTitle two\nSecond body.\n\n"
	recs, err := parseReferencePage(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("parseReferencePage: %d records, want 2", len(recs))
	}
	if r := recs[0]; r.Source != "Russia Today" || r.Section != "Politics" || r.Title != "Title one" || r.AgeMinutes != 1440 {
		t.Errorf("record 0 = %+v", r)
	}
	if r := recs[1]; r.Source != "ABC News" || r.Title != "Title two" || r.Paragraphs[0] != "Second body." {
		t.Errorf("record 1 = %+v", r)
	}
}
