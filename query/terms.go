package query

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// IndexTerms returns the words of s as the search index holds them: the
// words of Normalise, each through IndexTerm.
func IndexTerms(s string) []string {
	words := Normalise(s)
	for i, w := range words {
		words[i] = IndexTerm(w)
	}
	return words
}

// IndexTerm returns a normalised word as the index holds it: letters and
// digits only (so that both databases' tokenisers keep it whole), stemmed
// by the script of its letters. A word without letters or digits gives "".
func IndexTerm(w string) string {
	return stem(keepAlnum(w))
}

// PrefixTerm returns a prefix as the index compares it: cleaned like a
// word, never stemmed (a stem of a prefix is not a prefix of the stems).
func PrefixTerm(w string) string { return keepAlnum(w) }

func keepAlnum(w string) string {
	clean := true
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			clean = false
			break
		}
	}
	if clean {
		return w
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, w)
}

// stems caches the stems of the words seen, up to maxStems words: the
// vocabulary of news repeats, and a map lookup is cheaper than Snowball.
var (
	stems    sync.Map
	nstems   atomic.Int64
	maxStems = int64(500_000)
)

func stem(w string) string {
	if w == "" {
		return ""
	}
	if s, ok := stems.Load(w); ok {
		return s.(string)
	}
	s := stemWord(w)
	if nstems.Load() < maxStems {
		if _, loaded := stems.LoadOrStore(strings.Clone(w), s); !loaded {
			nstems.Add(1)
		}
	}
	return s
}

// stemWord stems a word of one script's letters; words mixing scripts or
// holding digits stay as they are.
func stemWord(w string) string {
	latin, cyrillic := 0, 0
	for _, r := range w {
		switch {
		case r < 0x80 && r >= 'a' && r <= 'z':
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		default:
			return w
		}
	}
	switch {
	case latin > 0 && cyrillic == 0:
		if len(w) <= 2 {
			return w
		}
		if s := english.Stem(w, true); s != "" {
			return s
		}
		return w
	case cyrillic > 0 && latin == 0:
		return russian.Stem(w, true)
	}
	return w
}
