package section

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestDefaultClassify(t *testing.T) {
	k, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, text, want string }{
		{"sport", "Arsenal beat Chelsea 2-1 in the Premier League on Saturday; the striker scored twice and the coach praised the defence.", "Sports"},
		{"business", "Shares in the bank fell 5% after it reported lower quarterly profits and warned that interest rates would squeeze margins.", "Business"},
		{"tech", "The new smartphone software update lets users run apps faster, and the company said its broadband network and online services would follow.", "Technology"},
		{"entertainment", "The actress won an Oscar for best film at the awards ceremony, and the album by the singer topped the music charts.", "Entertainment"},
		{"politics", "The Labour party leader said the government's election manifesto would cut taxes, and Tory MPs attacked the prime minister.", "Politics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := k.Classify(tt.text)
			if got.Name != tt.want || got.Confidence <= 0 || got.Confidence > 1 {
				t.Errorf("Classify(%q) = %+v, want %s with a confidence in (0, 1]", tt.text, got, tt.want)
			}
		})
	}
	if got := k.Classify(""); got.Confidence > 0.5 {
		t.Errorf("Classify(\"\") = %+v, want a low confidence", got)
	}
}

func TestLoadGarbage(t *testing.T) {
	for _, in := range []string{"", "TGSEC01\n", "junk"} {
		if _, err := Load(strings.NewReader(in)); !errors.Is(err, ErrBadModel) {
			t.Errorf("Load(%q) error = %v, want ErrBadModel", in, err)
		}
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	docs := []Doc{
		{Section: "Sports", Text: "the striker scored a goal in the match"},
		{Section: "Sports", Text: "the match ended after a late goal"},
		{Section: "Business", Text: "shares fell as the bank reported profits"},
		{Section: "Business", Text: "the bank said profits and shares rose"},
	}
	for _, tfidf := range []bool{false, true} {
		k, err := Train(docs, TrainOptions{TFIDF: tfidf, MinCount: 1})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := k.Write(&buf); err != nil {
			t.Fatal(err)
		}
		k2, err := Load(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"a late goal in the match", "the bank profits", ""} {
			if a, b := k.Classify(text), k2.Classify(text); a.Name != b.Name || math.Abs(a.Confidence-b.Confidence) > 0.002 {
				t.Errorf("tfidf=%v: reloaded Classify(%q) = %+v, want %+v", tfidf, text, b, a)
			}
		}
	}
}
