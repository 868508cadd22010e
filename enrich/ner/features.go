package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Case classes of a word in unlabelled news text, learnt by the training
// command: a capitalised word that is usually written in lower case ("The",
// "Police" at a sentence start) is rarely a name.
const (
	caseUnknown = iota
	caseLower   // almost always lower case
	caseMixed
	caseCapital // almost always capitalised mid-sentence
	caseUpper   // almost always all capitals (acronyms)
)

// Gazetteer types, as bits.
const (
	gazPER = 1 << iota
	gazLOC
	gazORG
	gazMISC
	gazFirst // a first name
)

var gazNames = [...]string{"PER", "LOC", "ORG", "MISC", "FIRST"}

// maxGazLen is the longest gazetteer entry in words.
const maxGazLen = 5

// hasher builds 32-bit feature keys without allocating: FNV-1a over a
// template byte and string values.
type hasher uint64

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func newHash(template byte) hasher {
	return hasher((fnvOffset ^ uint64(template)) * fnvPrime)
}

func (h hasher) str(s string) hasher {
	x := uint64(h)
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= fnvPrime
	}
	x ^= 0xff // separator
	x *= fnvPrime
	return hasher(x)
}

func (h hasher) u32(v uint32) hasher {
	x := uint64(h)
	for range 4 {
		x ^= uint64(v & 0xff)
		x *= fnvPrime
		v >>= 8
	}
	return hasher(x)
}

func (h hasher) key() uint32 {
	x := uint64(h)
	return uint32(x ^ x>>32)
}

// tokenInfo is what the features need of one word, computed once.
type tokenInfo struct {
	word, lower, shape, short string
	cls                       uint8
	clu                       uint32   // encoded word-cluster path, 0 if unknown
	gaz                       []string // gazetteer feature values of this token
}

// featurizer holds the lookup tables features depend on.
type featurizer struct {
	cases map[string]uint8 // lower-case word → case class
	gaz   map[string]uint8 // lower-case phrase (words joined by ' ') → gazetteer bits
	// clusters maps a word (ClusterKey) to its encoded cluster path.
	clusters map[string]uint32
}

func wordShape(w string) (full, short string) {
	var b, s strings.Builder
	var last rune = -1
	n := 0
	for _, r := range w {
		var c rune
		switch {
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		case unicode.IsLetter(r):
			c = 'l'
		default:
			c = r
		}
		if n < 6 {
			b.WriteRune(c)
		}
		n++
		if c != last {
			s.WriteRune(c)
		}
		last = c
	}
	if n > 6 {
		b.WriteByte('+')
	}
	return b.String(), s.String()
}

// normalise folds digits to 0 so that numbers share features, and curly
// quotes and dashes to their ASCII forms.
func normalise(w string) string {
	var b []byte
	for i, r := range w {
		var rep rune = -1
		switch {
		case r >= '1' && r <= '9':
			rep = '0'
		case r == '’' || r == '‘':
			rep = '\''
		case r == '“' || r == '”':
			rep = '"'
		case r == '–' || r == '—':
			rep = '-'
		}
		if rep >= 0 {
			if b == nil {
				b = append(make([]byte, 0, len(w)), w[:i]...)
			}
			b = utf8.AppendRune(b, rep)
		} else if b != nil {
			b = utf8.AppendRune(b, r)
		}
	}
	if b == nil {
		return w
	}
	return string(b)
}

func (f *featurizer) infos(words []string) []tokenInfo {
	infos := make([]tokenInfo, len(words))
	for i, w := range words {
		infos[i] = f.info(w)
	}
	f.addGazetteer(infos)
	return infos
}

// info is the tokenInfo of word w, without the gazetteer values.
func (f *featurizer) info(w string) tokenInfo {
	w = normalise(w)
	lower := strings.ToLower(w)
	full, short := wordShape(w)
	return tokenInfo{word: w, lower: lower, shape: full, short: short, cls: f.cases[lower], clu: f.cluster(w, lower)}
}

// addGazetteer sets the gazetteer values of a sentence's tokens.
func (f *featurizer) addGazetteer(infos []tokenInfo) {
	if len(f.gaz) > 0 {
		for i := range infos {
			phrase := ""
			for n := 1; n <= maxGazLen && i+n <= len(infos); n++ {
				if n == 1 {
					phrase = infos[i].lower
				} else {
					phrase += " " + infos[i+n-1].lower
				}
				bits, ok := f.gaz[phrase]
				if !ok {
					continue
				}
				// A one-word entry must look like a name in the text.
				if n == 1 && !startsUpper(infos[i].word) {
					continue
				}
				for t, name := range gazNames {
					if bits&(1<<t) == 0 {
						continue
					}
					if n == 1 {
						infos[i].gaz = append(infos[i].gaz, name+"-S")
						continue
					}
					infos[i].gaz = append(infos[i].gaz, name+"-B")
					for k := i + 1; k < i+n; k++ {
						infos[k].gaz = append(infos[k].gaz, name+"-I")
					}
				}
			}
		}
	}
}

func startsUpper(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

// Feature templates.
const (
	fBias byte = iota
	fWord
	fLower
	fShape
	fShort
	fPrefix
	fSuffix
	fPrevLower
	fNextLower
	fPrev2Lower
	fNext2Lower
	fPrevShape
	fNextShape
	fShapeTri
	fBigramPrev
	fBigramNext
	fFirstCap
	fCase
	fCaseFirst
	fPrevCase
	fNextCase
	fGaz
	fPrevGaz
	fNextGaz
	fAllCapsSent
	fPrevSuffix
	fNextSuffix
	fLen
	fInQuote
	fCluster
	fPrevCluster
	fNextCluster
	fClusterShape
)

// Prefix lengths of the word-cluster paths used as features: short
// prefixes are coarse classes (names, verbs, numbers), long ones near
// synonyms.
var (
	clusterPrefixes    = [...]int{4, 6, 10, 31}
	ctxClusterPrefixes = [...]int{4, 8}
)

// withDomain appends to keys[from:] a domain-specific copy of each.
func withDomain(keys []uint32, from int, domain string) []uint32 {
	if domain == "" {
		return keys
	}
	d := uint32(newHash(0xfe).str(domain).key()) | 1
	for _, k := range keys[from:] {
		keys = append(keys, (k^d)*0x9e3779b1)
	}
	return keys
}

// features appends the feature keys of token i to dst: those of the word
// itself, those its neighbours contribute on their own, and those of the
// context (see the decoder's word cache, which sums the first two kinds
// once per word).
func (f *featurizer) features(dst []uint32, infos []tokenInfo, i int, allCaps bool) []uint32 {
	get := func(j int) *tokenInfo {
		if j < 0 {
			return &boundary[0]
		}
		if j >= len(infos) {
			return &boundary[1]
		}
		return &infos[j]
	}
	dst = f.selfFeatures(dst, &infos[i])
	dst = f.neighbourFeatures(dst, get(i-1), -1)
	dst = f.neighbourFeatures(dst, get(i+1), 1)
	dst = f.neighbourFeatures(dst, get(i-2), -2)
	dst = f.neighbourFeatures(dst, get(i+2), 2)
	return f.contextFeatures(dst, infos, i, allCaps)
}

// selfFeatures appends the keys that depend on the word of t alone (its
// tokenInfo without the gazetteer, which is contextual).
func (f *featurizer) selfFeatures(dst []uint32, t *tokenInfo) []uint32 {
	add := func(h hasher) { dst = append(dst, h.key()) }
	add(newHash(fBias))
	add(newHash(fWord).str(t.word))
	add(newHash(fLower).str(t.lower))
	add(newHash(fShape).str(t.shape))
	add(newHash(fShort).str(t.short))
	// Prefixes and suffixes of up to four runes, sliced without allocating.
	lw := t.lower
	for k, end := 0, 0; k < 4 && end < len(lw); k++ {
		_, size := utf8.DecodeRuneInString(lw[end:])
		end += size
		add(newHash(fPrefix).str(lw[:end]))
	}
	for k, start := 0, len(lw); k < 4 && start > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(lw[:start])
		start -= size
		add(newHash(fSuffix).str(lw[start:]))
	}
	add(newHash(fCase).str(caseDigit(t.cls)).str(t.short))
	if len(f.clusters) > 0 {
		last := ^uint32(0)
		for _, k := range clusterPrefixes {
			if c := pathPrefix(t.clu, k); c != last {
				add(newHash(fCluster).u32(c))
				last = c
			}
		}
		add(newHash(fClusterShape).u32(pathPrefix(t.clu, 6)).str(t.short))
	}
	return dst
}

// neighbourFeatures appends the keys that the word of t contributes, by
// itself, to the token d words after it (d = -1: t is that token's
// previous word; ±2: the word beyond, which gives its lower case only).
func (f *featurizer) neighbourFeatures(dst []uint32, t *tokenInfo, d int) []uint32 {
	add := func(h hasher) { dst = append(dst, h.key()) }
	switch d {
	case -2:
		add(newHash(fPrev2Lower).str(t.lower))
		return dst
	case 2:
		add(newHash(fNext2Lower).str(t.lower))
		return dst
	}
	lower, shape, cluster, suffix := fPrevLower, fPrevShape, fPrevCluster, fPrevSuffix
	if d == 1 {
		lower, shape, cluster, suffix = fNextLower, fNextShape, fNextCluster, fNextSuffix
	}
	add(newHash(lower).str(t.lower))
	add(newHash(shape).str(t.short))
	if len(f.clusters) > 0 {
		for _, k := range ctxClusterPrefixes {
			add(newHash(cluster).u32(pathPrefix(t.clu, k)).u32(uint32(k)))
		}
	}
	if len(t.lower) > 2 {
		add(newHash(suffix).str(t.lower[len(t.lower)-2:]))
	}
	return dst
}

// contextFeatures appends the keys of token i that depend on more than one
// word, or on the sentence.
func (f *featurizer) contextFeatures(dst []uint32, infos []tokenInfo, i int, allCaps bool) []uint32 {
	t := &infos[i]
	add := func(h hasher) { dst = append(dst, h.key()) }
	get := func(j int) *tokenInfo {
		if j < 0 {
			return &boundary[0]
		}
		if j >= len(infos) {
			return &boundary[1]
		}
		return &infos[j]
	}
	p, n := get(i-1), get(i+1)
	add(newHash(fShapeTri).str(p.short).str(t.short).str(n.short))
	add(newHash(fBigramPrev).str(p.lower).str(t.lower))
	add(newHash(fBigramNext).str(t.lower).str(n.lower))
	first := "0"
	if i == 0 || p.word == "\"" || p.word == "'" || p.word == "(" || p.word == "-" || p.word == ":" {
		first = "1"
	}
	add(newHash(fFirstCap).str(first).str(t.short))
	cls := caseDigit(t.cls)
	add(newHash(fCaseFirst).str(cls).str(first).str(t.short))
	add(newHash(fPrevCase).str(caseDigit(p.cls)).str(p.short).str(t.short))
	add(newHash(fNextCase).str(caseDigit(n.cls)).str(n.short).str(t.short))
	for _, g := range t.gaz {
		add(newHash(fGaz).str(g))
		add(newHash(fGaz).str(g).str(t.short))
	}
	for _, g := range p.gaz {
		add(newHash(fPrevGaz).str(g))
	}
	for _, g := range n.gaz {
		add(newHash(fNextGaz).str(g))
	}
	if allCaps {
		add(newHash(fAllCapsSent).str(t.lower))
	}
	return dst
}

// caseDigit is a case class as the one-character string the features hash.
func caseDigit(c uint8) string { return string(rune('0' + c)) }

var boundary = [2]tokenInfo{
	{word: "<S>", lower: "<s>", shape: "<S>", short: "<S>", clu: 1},
	{word: "</S>", lower: "</s>", shape: "</S>", short: "</S>", clu: 1},
}

// isAllCaps reports whether most letters of the sentence are capitals, as
// in CoNLL's headlines; names are then recognised by words, not case.
func isAllCaps(words []string) bool {
	up, low := 0, 0
	for _, w := range words {
		for _, r := range w {
			if unicode.IsUpper(r) {
				up++
			} else if unicode.IsLower(r) {
				low++
			}
		}
	}
	return up > 3 && low*4 < up
}
