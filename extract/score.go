package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scoring of blocks by their prose, after trafilatura and jusText: the
// article is the block with the most text in sentences, not the block
// with the most characters. A signatory list, a row of teasers, a cookie
// notice or a menu has as many characters as a short article but few
// sentences of running text.

// proseLen is the length in runes of p's text outside links when p reads
// as running text, else 0: few links, sentence punctuation, and, in
// scripts that separate words with spaces, enough words that start in
// lower case (names, titles and menu items are capitalised; running text
// has function words in every language that capitalises).
func proseLen(p para) int {
	n := utf8.RuneCountInString(p.text)
	if n < 25 || p.links*3 > len(p.text) {
		return 0
	}
	if !strings.ContainsAny(p.text, ".!?。！？;:") {
		return 0
	}
	words, lower, cjk := 0, 0, 0
	inWord := false
	for _, r := range p.text {
		switch {
		case unicode.IsSpace(r):
			inWord = false
		case !inWord:
			inWord = true
			words++
			if unicode.IsLower(r) {
				lower++
			}
			fallthrough
		default:
			if r >= 0x2E80 {
				cjk++
			}
		}
	}
	if cjk*2 < n && (words < 5 || lower*10 < words*3) {
		return 0
	}
	return n - p.links*n/max(len(p.text), 1)
}

// prose is the prose length of ps.
func prose(ps []para) int {
	s := 0
	for _, p := range ps {
		s += proseLen(p)
	}
	return s
}

// trimEdges drops the paragraphs at the start and at the end of ps that
// read as page chrome rather than article: short lines without sentence
// punctuation (a section name, a date label, a "Community" link), lines
// that are mostly links, and, at the end, headings that introduce
// nothing. Headings at the start and every paragraph between two of
// prose are kept, however short.
func trimEdges(ps []para) []para {
	for len(ps) > 0 && edgeChrome(ps[0], false) {
		ps = ps[1:]
	}
	for len(ps) > 0 && edgeChrome(ps[len(ps)-1], true) {
		ps = ps[:len(ps)-1]
	}
	return ps
}

// edgeChrome reports whether p, the first paragraph left or, if tail, the
// last, is chrome by trimEdges' rules.
func edgeChrome(p para, tail bool) bool {
	n := utf8.RuneCountInString(p.text)
	if isHeading(p.tag) {
		// A heading at the start is the title, linked or not; one at the
		// end introduces what was cut, unless it is a sentence the page
		// styled as a heading (a pull quote).
		return tail && n < 2*edgeShort && !endsSentence(p.text, ".!?…。！？")
	}
	if p.links*2 > len(p.text) {
		return true
	}
	return n < edgeShort && !endsSentence(p.text, ".!?…。！？:")
}

// edgeShort is the length in runes under which an edge paragraph without
// sentence punctuation is taken for chrome.
const edgeShort = 40

// endsSentence reports whether s ends with one of the runes of punct,
// closing quotes and brackets aside.
func endsSentence(s, punct string) bool {
	s = strings.TrimRight(s, " \"'”’»«)]")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(punct, r)
}
