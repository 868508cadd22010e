package query

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/taglines/taglines/enrich/token"
)

// snippetLen is the length of a search result's passage, in bytes of text.
const snippetLen = 320

// maxSnippetScan bounds how much of a text is searched for a passage, so
// that a snippet costs the same for a long article as for a short one.
const maxSnippetScan = 16 << 10

// highlighter marks the words of a text that match a search's terms.
type highlighter struct {
	words    map[string]bool // index terms of single words and phrase words
	prefixes []string
	first    map[rune]bool // first letters of all of them: a cheap filter
}

func newHighlighter(terms []*Term) *highlighter {
	h := &highlighter{words: map[string]bool{}, first: map[rune]bool{}}
	for _, t := range terms {
		for i, w := range t.Terms {
			if t.Prefix && i == len(t.Terms)-1 {
				h.prefixes = append(h.prefixes, w)
				for _, st := range t.Stems {
					h.words[st] = true
					r, _ := utf8.DecodeRuneInString(st)
					h.first[r] = true
				}
			} else {
				h.words[w] = true
			}
			r, _ := utf8.DecodeRuneInString(w)
			h.first[r] = true
		}
	}
	return h
}

// matches reports whether a token of the text holds a term.
func (h *highlighter) matches(tok string) bool {
	r, _ := utf8.DecodeRuneInString(strings.ToLower(tok[:min(len(tok), 4)]))
	if !h.first[r] {
		return false
	}
	for _, t := range IndexTerms(tok) {
		if h.words[t] {
			return true
		}
		for _, p := range h.prefixes {
			if strings.HasPrefix(t, p) {
				return true
			}
		}
	}
	return false
}

// all returns s as HTML with every matching word in <mark>.
func (h *highlighter) all(s string) string {
	return h.render(s, token.Tokenize(s), 0, len(s))
}

// passage returns about max bytes of text, starting a few words before
// the first match (or at the start), as HTML with matches in <mark> and
// "…" where it was cut.
func (h *highlighter) passage(text string, max int) string {
	text = strings.Join(strings.Fields(text[:min(len(text), maxSnippetScan)]), " ")
	toks := token.Tokenize(text)
	start := 0
	if len(h.first) > 0 {
		for i, t := range toks {
			if h.matches(t.Text) {
				start = toks[max0(i-8)].Start
				break
			}
		}
	}
	end := min(len(text), start+max)
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end--
	}
	if end < len(text) {
		if i := strings.LastIndexByte(text[start:end], ' '); i > max/2 {
			end = start + i
		}
	}
	var sel []token.Token
	for _, t := range toks {
		if t.Start >= start && t.End <= end {
			sel = append(sel, t)
		}
	}
	out := h.render(text, sel, start, end)
	if start > 0 {
		out = "…" + out
	}
	if end < len(text) {
		out += "…"
	}
	return out
}

func max0(i int) int { return max(i, 0) }

// render escapes text[start:end], wrapping the matching tokens of toks.
func (h *highlighter) render(text string, toks []token.Token, start, end int) string {
	var b strings.Builder
	at := start
	for _, t := range toks {
		if len(h.first) == 0 || !h.matches(t.Text) {
			continue
		}
		b.WriteString(html.EscapeString(text[at:t.Start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(t.Text))
		b.WriteString("</mark>")
		at = t.End
	}
	b.WriteString(html.EscapeString(text[at:end]))
	return b.String()
}
