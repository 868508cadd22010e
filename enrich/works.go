package enrich

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleWords are the function words that title case capitalises and
// names almost never do ("Bank of England", not "Bank Of England").
var titleWords = map[string]bool{
	"To": true, "Of": true, "And": true, "In": true, "For": true, "On": true,
	"At": true, "From": true, "With": true, "A": true, "An": true, "The": true,
}

// workTitles returns the spans of doc[from:] (offsets into doc) that are
// titles of works in title case: runs of at least four capitalised words
// with a capitalised function word inside, such as "The Hitchhiker's
// Guide To The Galaxy" or "Lord Of The Rings". The names inside them are
// not people or places of the article's own.
func workTitles(doc string, from int) [][2]int {
	var spans [][2]int
	// inner is set by a capitalised function word followed by a
	// capitalised word ("Guide To The Galaxy"), not by an initial ("A.").
	start, words, inner, pending, last := -1, 0, false, false, 0
	flush := func() {
		if start >= 0 && words >= 4 && inner {
			spans = append(spans, [2]int{start, last})
		}
		start, words, inner, pending = -1, 0, false, false
	}
	i := from
	possessiveEnd := false // the last word ended in 's
	for i < len(doc) {
		// One word: up to the next space.
		j := i
		for j < len(doc) && doc[j] != ' ' && doc[j] != '\n' {
			j++
		}
		w := doc[i:j]
		core := strings.TrimRightFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		core = strings.TrimSuffix(strings.TrimSuffix(core, "'s"), "’s")
		r, _ := utf8.DecodeRuneInString(core)
		rest := w[len(core):]
		possessive := strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s")
		if core != "" && unicode.IsUpper(r) {
			if start >= 0 && titleWords[core] && possessiveEnd {
				// "Mel Gibson's The Passion Of The Christ": the work
				// starts after the possessive.
				flush()
			}
			if start < 0 {
				start = i
			} else if titleWords[core] && rest == "" {
				pending = true
			} else if pending && !titleWords[core] {
				inner = true
			}
			words++
			last = i + len(core)
			if rest != "" && !possessive {
				flush() // punctuation ends the run
			} else if rest != "" {
				last = i + len(w)
			}
		} else {
			flush()
		}
		if j < len(doc) && doc[j] == '\n' {
			flush()
		}
		possessiveEnd = possessive
		i = j + 1
	}
	flush()
	return spans
}

// fromWork reports whether a name is made of a work title's words ("The
// Guide" of "The Hitchhiker's Guide To The Galaxy").
func fromWork(name string, words map[string]bool) bool {
	some := false
	for _, w := range strings.Fields(name) {
		switch {
		case words[w]:
			some = true
		case !titleWords[w]:
			return false
		}
	}
	return some
}

// covers reports whether [start, end) holds one of spans whole.
func covers(spans [][2]int, start, end int) bool {
	for _, s := range spans {
		if start <= s[0] && s[1] <= end {
			return true
		}
	}
	return false
}

// workWords returns the capitalised words of the work titles in doc, as
// cleanName gives them.
func workWords(doc string, works [][2]int) map[string]bool {
	if len(works) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, s := range works {
		for _, w := range strings.Fields(doc[s[0]:s[1]]) {
			if w = cleanName(w); w != "" && !titleWords[w] {
				out[w] = true
			}
		}
	}
	return out
}
