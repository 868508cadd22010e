package taglines

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// excerptByJoin is Excerpt as first written: every word joined, then cut.
func excerptByJoin(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if i := strings.LastIndexByte(text[:cut], ' '); i > max/2 {
		cut = i
	}
	return strings.TrimRight(text[:cut], " ,;:") + "…"
}

// TestExcerptStopsEarlySameResult: joining only the words that reach past
// max gives what joining them all gave, on texts of every shape.
func TestExcerptStopsEarlySameResult(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"word", "Кремль", "naïve", ",", ";", " ", "  ", "\n\n", "\t", "a", "—", "longerwordhere", "日本語"}
	for i := range 3000 {
		var b strings.Builder
		for range rng.IntN(200) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text, max := b.String(), rng.IntN(120)
		a := &Article{Text: text}
		if got, want := a.Excerpt(max), excerptByJoin(text, max); got != want {
			t.Fatalf("case %d: Excerpt(%q, %d) = %q, want %q", i, text, max, got, want)
		}
	}
}
