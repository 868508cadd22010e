package token

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func texts(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"possessive", "Russia's top diplomat", []string{"Russia", "'s", "top", "diplomat"}},
		{"curly possessive", "Russia’s leader", []string{"Russia", "’s", "leader"}},
		{"abbreviation", "the U.S. president", []string{"the", "U.S.", "president"}},
		{"domain", "Photo: Kremlin.ru.", []string{"Photo", ":", "Kremlin.ru", "."}},
		{"title", "Mr. Witkoff said", []string{"Mr.", "Witkoff", "said"}},
		{"numbers", "1,250.5 tonnes at 10:30", []string{"1,250.5", "tonnes", "at", "10:30"}},
		{"quotes", "'reasonable' position", []string{"'", "reasonable", "'", "position"}},
		{"hyphen", "Russia-Ukraine talks", []string{"Russia-Ukraine", "talks"}},
		{"ellipsis", "expense of… European", []string{"expense", "of", "…", "European"}},
		{"contraction", "don't stop", []string{"don't", "stop"}},
		{"brackets", "(AP Photo)", []string{"(", "AP", "Photo", ")"}},
		{"cyrillic", "Путин сказал.", []string{"Путин", "сказал", "."}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := Tokenize(tt.in)
			if got := texts(toks); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, tok := range toks {
				if tt.in[tok.Start:tok.End] != tok.Text {
					t.Errorf("Tokenize(%q): token %q at [%d,%d) does not match the text", tt.in, tok.Text, tok.Start, tok.End)
				}
			}
		})
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"two", "Putin spoke. Lavrov listened.", []string{"Putin spoke.", "Lavrov listened."}},
		{"abbreviation", "Mr. Witkoff met the U.S. envoy. Then he left.", []string{"Mr. Witkoff met the U.S. envoy.", "Then he left."}},
		{"quote closes", `He said "no." Then he left.`, []string{`He said "no."`, "Then he left."}},
		{"lower case continues", "It was 5 p.m. in Moscow.", []string{"It was 5 p.m. in Moscow."}},
		{"lines", "Title here\n\nBody text. More", []string{"Title here", "Body text.", "More"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(Tokenize(tt.in)) {
				got = append(got, tt.in[s.Start:s.End])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Russia's U.S. Kremlin.ru", "a\xffb", "...", "'s", "Mr. X.\n\nY", strings.Repeat("-", 10)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		prev := 0
		for _, tok := range toks {
			if tok.Start < prev || tok.End <= tok.Start || tok.End > len(s) || s[tok.Start:tok.End] != tok.Text {
				t.Fatalf("Tokenize(%q): bad token %+v after %d", s, tok, prev)
			}
			if utf8.ValidString(s) && !utf8.ValidString(tok.Text) {
				t.Fatalf("Tokenize(%q): token %q splits a rune", s, tok.Text)
			}
			prev = tok.End
		}
		n := 0
		for _, sent := range Sentences(toks) {
			n += len(sent.Tokens)
		}
		if n != len(toks) {
			t.Fatalf("Sentences(Tokenize(%q)) holds %d tokens, want %d", s, n, len(toks))
		}
	})
}
