// Package token splits raw UTF-8 news text into word tokens with byte
// offsets and groups them into sentences. It is the tokenizer every
// enrichment stage shares, so entity offsets, rule matching and the
// classifiers agree on what a word is.
//
// Tokenization follows the CoNLL-2003 conventions closely enough for the
// entity model trained on it: punctuation is split off, the possessive 's
// is its own token, while abbreviations (U.S.), domain names (Kremlin.ru),
// numbers (1,250.5), hyphenated compounds and inner apostrophes stay whole.
package token

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word or punctuation mark: Text is s[Start:End] of the text
// it was cut from, with Start and End UTF-8 byte offsets.
type Token struct {
	Start, End int
	Text       string
	// NewLine is true when a line break separates this token from the
	// previous one, which makes it a sentence start for Sentences.
	NewLine bool
}

// Tokenize returns the tokens of s in order. Invalid UTF-8 bytes are kept
// inside tokens as they are, so offsets always index s. It never fails.
func Tokenize(s string) []Token {
	toks := make([]Token, 0, len(s)/5+1)
	newline := false
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
				newline = true
			}
			i += size
			continue
		}
		// A run of non-space runes; split it into tokens.
		j := i
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if isSpace(r2) {
				break
			}
			j += sz
		}
		toks = splitChunk(s, i, j, toks, newline)
		newline = false
		i = j
	}
	return toks
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == utf8.RuneError
}

// splitChunk appends the tokens of the whitespace-free s[start:end].
func splitChunk(s string, start, end int, toks []Token, newline bool) []Token {
	add := func(a, b int) {
		if a < b {
			toks = append(toks, Token{Start: a, End: b, Text: s[a:b], NewLine: newline})
			newline = false
		}
	}
	i := start
	for i < end {
		r, size := utf8.DecodeRuneInString(s[i:end])
		if !isWordRune(r) {
			// Punctuation: one token per rune, except runs of the same
			// mark ("...", "--") which stay together.
			j := i + size
			if r == '.' || r == '-' || r == '?' || r == '!' {
				for j < end {
					r2, sz := utf8.DecodeRuneInString(s[j:end])
					if r2 != r {
						break
					}
					j += sz
				}
			}
			// The possessive 's / ’s and the contraction n't.
			if (r == '\'' || r == '’') && i > start && j < end {
				rest := s[j:end]
				if (strings.HasPrefix(rest, "s") || strings.HasPrefix(rest, "S")) && (len(rest) == 1 || !isWordRune(firstRune(rest[1:]))) {
					j++
				}
			}
			add(i, j)
			i = j
			continue
		}
		// A word: letters/digits joined by inner '.', '-', ',', '\'', '&', '@' or '/' between word runes.
		j := i + size
		for j < end {
			r2, sz := utf8.DecodeRuneInString(s[j:end])
			if isWordRune(r2) {
				j += sz
				continue
			}
			if j+sz < end && isJoiner(r2) {
				next := firstRune(s[j+sz : end])
				if isWordRune(next) && joins(s[i:j], r2, s[j+sz:end]) {
					j += sz
					continue
				}
			}
			break
		}
		// Abbreviation with a final dot: "U.S.", "Mr.", "Jan."
		if j < end && s[j] == '.' && isAbbrev(s[i:j]) {
			if j+1 == end || !isWordRune(firstRune(s[j+1:end])) {
				j++
			}
		}
		add(i, j)
		i = j
	}
	return toks
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isJoiner(r rune) bool {
	switch r {
	case '.', '-', ',', '\'', '’', '&', '@', '/', '_', ':':
		return true
	}
	return r == '\u2010' || r == '\u2011'
}

// joins reports whether the joiner r between word and rest keeps them in one token.
func joins(word string, r rune, rest string) bool {
	last, _ := utf8.DecodeLastRuneInString(word)
	next := firstRune(rest)
	switch r {
	case ',', ':':
		// Digit groups and times: 1,250 and 10:30.
		return unicode.IsDigit(last) && unicode.IsDigit(next)
	case '\'', '’':
		// "don't", "O'Brien", but not the possessive "Russia's" (handled as its own token).
		if (next == 's' || next == 'S') && (len(rest) == 1 || !isWordRune(firstRune(rest[1:]))) {
			return false
		}
		return true
	case '/':
		return unicode.IsDigit(last) && unicode.IsDigit(next)
	case '&':
		// AT&T, S&P
		return unicode.IsUpper(last) && unicode.IsUpper(next)
	}
	return true
}

// isAbbrev reports whether word followed by '.' is an abbreviation whose
// dot belongs to it: dotted initials (U.S, U.N) single letters and common titles.
func isAbbrev(word string) bool {
	if strings.Contains(word, ".") {
		// U.S, e.g, Kremlin.ru is a domain (no final dot kept unless initials).
		parts := strings.Split(word, ".")
		for _, p := range parts {
			if utf8.RuneCountInString(p) > 1 {
				return false
			}
		}
		return true
	}
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper(firstRune(word)) {
		return true
	}
	_, ok := abbrevs[strings.ToLower(word)]
	return ok
}

var abbrevs = map[string]struct{}{
	"mr": {}, "mrs": {}, "ms": {}, "dr": {}, "prof": {}, "gen": {}, "col": {}, "lt": {}, "sgt": {},
	"capt": {}, "gov": {}, "sen": {}, "rep": {}, "rev": {}, "st": {}, "jr": {}, "sr": {}, "co": {},
	"corp": {}, "inc": {}, "ltd": {}, "jan": {}, "feb": {}, "mar": {}, "apr": {}, "jun": {}, "jul": {},
	"aug": {}, "sep": {}, "sept": {}, "oct": {}, "nov": {}, "dec": {}, "vs": {}, "etc": {},
	"mt": {}, "ft": {}, "adm": {}, "maj": {}, "pres": {}, "approx": {}, "dept": {}, "est": {},
}

// Sentence is a run of tokens; Start and End are the byte offsets of its
// first and last token.
type Sentence struct {
	Start, End int
	Tokens     []Token
}

// Sentences groups toks into sentences: a sentence ends after '.', '!' or
// '?' (optionally followed by closing quotes or brackets) when the next
// token starts with an upper-case letter, a digit or an opening quote, and
// at every line break. A token list is never split inside an abbreviation.
func Sentences(toks []Token) []Sentence {
	var out []Sentence
	begin := 0
	flush := func(end int) {
		if begin < end {
			out = append(out, Sentence{Start: toks[begin].Start, End: toks[end-1].End, Tokens: toks[begin:end:end]})
		}
		begin = end
	}
	for i := range toks {
		if i > begin && toks[i].NewLine {
			flush(i)
		}
		t := toks[i].Text
		if t != "." && t != "!" && t != "?" && t != "..." && t != "?!" && !strings.HasPrefix(t, "!!") && !strings.HasPrefix(t, "??") {
			continue
		}
		j := i + 1
		for j < len(toks) && isCloser(toks[j].Text) && !toks[j].NewLine {
			j++
		}
		if j >= len(toks) {
			continue
		}
		if toks[j].NewLine {
			continue // handled at the next iteration
		}
		next := firstRune(toks[j].Text)
		if unicode.IsUpper(next) || unicode.IsDigit(next) || isOpener(toks[j].Text) || !unicode.IsLetter(next) && next != ',' && next != ';' {
			// The closing quotes and brackets belong to this sentence.
			flush(j)
		}
	}
	flush(len(toks))
	return out
}

func isCloser(t string) bool {
	switch t {
	case "\"", "'", "’", "”", ")", "]", "»":
		return true
	}
	return false
}

func isOpener(t string) bool {
	switch t {
	case "\"", "'", "‘", "“", "(", "[", "«":
		return true
	}
	return false
}
