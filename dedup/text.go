package dedup

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds on the work done for one article, so that an enormous text costs
// no more than a long one. News articles are far below them; a text past
// them is compared by its beginning.
const (
	// MaxTextBytes is how much of a text is read.
	MaxTextBytes = 256 << 10
	// MaxTokens is how many words of a text are read.
	MaxTokens = 8000
	// MaxShingles is how many distinct shingles an article is hashed by.
	MaxShingles = 4000
)

// ShingleSize is the number of consecutive words in a shingle. Shingles
// never span a line break, so re-ordered paragraphs keep all their shingles.
const ShingleSize = 4

// token is one word of a text: the FNV-1a hash of its case-folded form,
// and where it stood.
type token struct {
	hash uint64
	word string // case-folded
	// capital: the word starts with an upper-case letter and is not the
	// first word of a sentence, a crude sign of a name.
	capital bool
	// lineStart: the word is the first of its line (paragraph).
	lineStart bool
}

// FNV-1a, 64 bits: stable across processes and versions, unlike hash/maphash.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnv64(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// mix64 is the SplitMix64 finaliser: a bijection that spreads every input
// bit over the output.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '‘' }

// tokenize splits text into words: runs of letters, digits and combining
// marks, case-folded. An apostrophe inside a word joins its parts ("don't"
// → "dont"), except a possessive "'s", which is dropped ("Trump's" →
// "trump"). Words of a single letter or digit are skipped. At most
// MaxTextBytes of text and MaxTokens words are read. Invalid UTF-8 is read
// as U+FFFD and separates words.
func tokenize(text string) []token {
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
	}
	toks := make([]token, 0, min(len(text)/6+1, MaxTokens))
	var b strings.Builder
	sentenceStart, lineStart := true, true
	var first rune
	flush := func() {
		if b.Len() == 0 {
			return
		}
		w := b.String()
		b.Reset()
		if utf8.RuneCountInString(w) < 2 {
			return
		}
		toks = append(toks, token{
			hash:      fnv64(w),
			word:      w,
			capital:   unicode.IsUpper(first) && !sentenceStart,
			lineStart: lineStart,
		})
		sentenceStart, lineStart = false, false
	}
	for i := 0; i < len(text) && len(toks) < MaxTokens; {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (b.Len() > 0 && unicode.Is(unicode.Mn, r)):
			if b.Len() == 0 {
				first = r
			}
			b.WriteRune(unicode.ToLower(r))
		case isApostrophe(r) && b.Len() > 0 && i < len(text):
			next, nsize := utf8.DecodeRuneInString(text[i:])
			if next == 's' || next == 'S' {
				after, _ := utf8.DecodeRuneInString(text[i+nsize:])
				if i+nsize >= len(text) || !(unicode.IsLetter(after) || unicode.IsDigit(after)) {
					i += nsize // possessive: drop "'s"
					flush()
					continue
				}
			}
			if !(unicode.IsLetter(next) || unicode.IsDigit(next)) {
				flush()
			}
		default:
			flush()
			switch r {
			case '\n', '\r', '\u2029':
				sentenceStart, lineStart = true, true
			case '.', '!', '?', ':', '"', '“', '”':
				sentenceStart = true
			}
		}
	}
	flush()
	return toks
}

// shingles returns the distinct hashes of the ShingleSize-word runs of
// toks that do not cross a line start, sorted, at most MaxShingles of them
// (those of the text's beginning).
func shingles(toks []token) []uint64 {
	out := make([]uint64, 0, min(len(toks), MaxShingles))
	for i := 0; i+ShingleSize <= len(toks) && len(out) < MaxShingles; i++ {
		h := uint64(0x9e3779b97f4a7c15)
		ok := true
		for j := 0; j < ShingleSize; j++ {
			if j > 0 && toks[i+j].lineStart {
				ok = false
				break
			}
			h = mix64(h ^ toks[i+j].hash)
		}
		if ok {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return compact(out)
}

func compact(s []uint64) []uint64 {
	if len(s) == 0 {
		return s
	}
	n := 1
	for _, v := range s[1:] {
		if v != s[n-1] {
			s[n] = v
			n++
		}
	}
	return s[:n]
}

// isStopWord reports whether a case-folded word carries no topic: English
// function words and the verbs of reporting that every story uses.
func isStopWord(w string) bool { _, ok := stopWords[w]; return ok }

// stopWords is read-only after package initialisation.
var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`
		about above after again against all also am an and any are aren as at be because been
		before being below between both but by can cannot could couldn did didn do does doesn
		doing don down during each few for from further had hadn has hasn have haven having he
		her here hers herself him himself his how if in into is isn it its itself just let
		me more most mustn my myself no nor not now of off on once only or other ought our ours
		ourselves out over own same shan she should shouldn so some such than that the their
		theirs them themselves then there these they this those through to too under until up
		very was wasn we were weren what when where which while who whom why will with won
		would wouldn you your yours yourself yourselves
		said says say told according also would could may might must one two new last first
		year years day days week weeks month months time mr mrs ms per cent percent
		monday tuesday wednesday thursday friday saturday sunday
		advertisement credit photo image video read reuters ap afp
	`) {
		m[w] = struct{}{}
	}
	return m
}()
