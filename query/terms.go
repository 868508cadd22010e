package query

import (
	"hash/maphash"
	"slices"
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

// prefixEndings are endings of the words a prefix begins, for PrefixStems:
// English and Russian inflections and the suffixes their stemmers cut.
var prefixEndings = []string{
	"", "s", "es", "e", "ed", "ing", "ion", "ions", "ation", "ations", "al", "y", "ies", "er", "ers", "ic", "ics",
	"ical", "ity", "ment", "ments", "ence", "ences", "ance", "ances", "ant", "ants", "nt", "nts", "tion", "tions",
	"ism", "ist", "ists", "ive", "ous", "ness", "ly", "ate", "ated", "ates",
	"а", "я", "и", "ы", "у", "ю", "е", "о", "ой", "ей", "ом", "ем", "ам", "ям", "ами", "ями", "ах", "ях", "ия", "ии",
	"ий", "ого", "его", "ому", "ему", "ых", "их", "ым", "им", "ая", "яя", "ое", "ее", "ые", "ие", "ов", "ев",
}

// PrefixStems returns the index terms of words that begin with prefix p
// (cleaned, as PrefixTerm) but are not held under it, sorted: the index
// holds stems, and a stemmer may cut into the prefix ("wildfires" is held
// as "wildfir", "elections" as "elect", "Olympics" as "olymp"), so that
// wildfire* compared with the stems alone would match none of them. A
// prefix matches a term that begins with it or is one of these.
func PrefixStems(p string) []string {
	p = keepAlnum(p)
	if p == "" {
		return nil
	}
	var out []string
	for _, e := range prefixEndings {
		if s := stem(p + e); s != "" && !strings.HasPrefix(s, p) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

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
// Sharded maps under read locks: sync.Map's interface keys cost more than
// the stemming they save on every word of every article indexed.
const stemShards = 64

var (
	stems [stemShards]struct {
		sync.RWMutex
		m map[string]string
	}
	stemSeed = maphash.MakeSeed()
	nstems   atomic.Int64
	maxStems = int64(500_000)
)

func stem(w string) string {
	if w == "" {
		return ""
	}
	sh := &stems[maphash.String(stemSeed, w)%stemShards]
	sh.RLock()
	s, ok := sh.m[w]
	sh.RUnlock()
	if ok {
		return s
	}
	s = stemWord(w)
	if nstems.Load() < maxStems {
		sh.Lock()
		if sh.m == nil {
			sh.m = make(map[string]string)
		}
		if _, ok := sh.m[w]; !ok {
			sh.m[strings.Clone(w)] = s
			nstems.Add(1)
		}
		sh.Unlock()
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

// The index holds at most this many terms of a title and of a text: the
// positions PostgreSQL's tsvector can hold (16383) are shared by both, and
// both databases must hold the same words. Topic rules see the whole text.
const (
	MaxTitleTerms = 200
	MaxBodyTerms  = 16000
)

// IndexFields returns the index terms of an article's title and text, as
// both stores write them.
func IndexFields(title, text string) (titleTerms, bodyTerms []string) {
	titleTerms, bodyTerms = IndexTerms(title), IndexTerms(text)
	return titleTerms[:min(len(titleTerms), MaxTitleTerms)], bodyTerms[:min(len(bodyTerms), MaxBodyTerms)]
}

// Conjuncts returns the operands of the top-level ANDs of n.
func Conjuncts(n Node) []Node {
	if a, ok := n.(*And); ok {
		return append(Conjuncts(a.L), Conjuncts(a.R)...)
	}
	return []Node{n}
}

// TextOnly reports whether every leaf of n compares words of the title or
// text, so that a full-text index alone can answer it.
func TextOnly(n Node) bool {
	switch n := n.(type) {
	case *And:
		return TextOnly(n.L) && TextOnly(n.R)
	case *Or:
		return TextOnly(n.L) && TextOnly(n.R)
	case *Not:
		return TextOnly(n.X)
	case *Near:
		return n.L.Textual()
	case *Term:
		return n.Textual()
	}
	return false
}

// SourceMatch reports whether a source named name satisfies n, a source:
// term or a NEAR of source: terms; the stores evaluate these over their
// few sources rather than index source names.
func SourceMatch(n Node, name string) bool {
	d := &Doc{Source: name}
	d.prepare()
	return n.match(d)
}

// termCount is the number of terms of a stored field (terms joined by
// single spaces).
func termCount(field string) int {
	if field == "" {
		return 0
	}
	return strings.Count(field, " ") + 1
}

// countIn counts the occurrences of n in a stored field (terms joined by
// single spaces), as len(n.Positions(strings.Split(field, " "), -1))
// would, overlaps included, but with a substring search instead of a
// split: ranking reads hundreds of texts per query.
func (n *Term) countIn(field string) int {
	if len(n.Terms) == 0 {
		return 0
	}
	pat := strings.Join(n.Terms, " ")
	count := 0
	for from := 0; from+len(pat) <= len(field); {
		i := strings.Index(field[from:], pat)
		if i < 0 {
			break
		}
		at := from + i
		end := at + len(pat)
		if (at == 0 || field[at-1] == ' ') && (n.Prefix || end == len(field) || field[end] == ' ') {
			count++
		}
		from = at + 1
	}
	return count
}
