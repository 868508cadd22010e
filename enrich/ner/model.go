// Package ner recognises named entities (people, organisations, places and
// other names) in English news text with a linear-chain model: hashed
// lexical, shape, gazetteer, case and word-cluster features scored by an
// averaged structured perceptron and decoded with Viterbi over IOB2 labels.
// The word clusters (clusters.txt.gz, built by ./clusters from unlabelled
// news) let the model generalise from names it was trained on to names
// used alike; the model file carries its own copy of them.
//
// The model is trained by ./train from CoNLL-2003 and GMB (see
// ../../README or that command's doc) and shipped gzipped in model.bin.gz;
// Default loads it once. A Model is immutable after loading and safe for
// concurrent use.
package ner

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/taglines/taglines/enrich/token"
)

// Labels of the model, in the order of its weight rows. "O" is first.
var defaultLabels = []string{"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"}

// Model is a trained entity recogniser. It is safe for concurrent use; the
// zero value is not usable: get one from Load, Default or Train.
type Model struct {
	labels  []string
	keys    []uint32  // feature key of each row, ascending
	index   featIndex // feature key → row
	weights []int16   // rows × len(labels)
	scale   float32   // weight = int16 × scale
	trans   []float32 // (len(labels)+1) × len(labels); the last row is the start
	allowed []bool    // same shape: IOB2 constraints
	feat    featurizer
	domain  string // the annotation convention decoded, see WithDomain
	words   *wordCache
	bounds  [2]*wordEntry // the sentence boundaries as words
}

// prepare sets up the decoder's word cache; a Model's weights and domain
// must not change after it.
func (m *Model) prepare() *Model {
	m.words = newWordCache()
	for i := range m.bounds {
		m.bounds[i] = m.newEntry(boundary[i])
	}
	return m
}

// WithDomain returns a copy of m that decodes with the conventions of the
// named training domain ("conll" by default, "gmb"); "" uses the shared
// weights only.
func (m *Model) WithDomain(domain string) *Model {
	c := *m
	c.domain = domain
	return c.prepare()
}

// ErrBadModel is wrapped by Load's errors when the data is not a model.
var ErrBadModel = errors.New("ner: not a model")

// magic heads a model; TGNER01 models have no word clusters.
const (
	magic   = "TGNER02\n"
	magicV1 = "TGNER01\n"
)

// Labels returns the IOB2 label of each word. It never fails; words may be
// empty.
func (m *Model) Labels(words []string) []string {
	ids := m.decode(words, nil)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = m.labels[id]
	}
	return out
}

// decode runs Viterbi and returns label ids; buf is reused when large enough.
func (m *Model) decode(words []string, buf []uint32) []int {
	n := len(words)
	if n == 0 {
		return nil
	}
	L := len(m.labels)
	acc := m.scores(words, buf)
	emit := make([]float32, n*L)
	for i, v := range acc {
		emit[i] = float32(v) * m.scale
	}
	return viterbi(emit, n, L, m.trans, m.allowed)
}

// scores returns the summed weights of every word and label (n × labels):
// the word cache's partial sums plus the contextual features.
func (m *Model) scores(words []string, buf []uint32) []int32 {
	n := len(words)
	L := len(m.labels)
	entries := make([]*wordEntry, n)
	infos := make([]tokenInfo, n)
	for i, w := range words {
		entries[i] = m.entry(w)
		infos[i] = entries[i].info
	}
	m.feat.addGazetteer(infos)
	allCaps := isAllCaps(words)
	out := make([]int32, n*L)
	for i := range n {
		acc := out[i*L : (i+1)*L]
		for p, d := range partOffsets {
			var e *wordEntry
			switch j := i + d; {
			case j < 0:
				e = m.bounds[0]
			case j >= n:
				e = m.bounds[1]
			default:
				e = entries[j]
			}
			for y, v := range e.sums[p*L : (p+1)*L] {
				acc[y] += v
			}
		}
		buf = m.feat.contextFeatures(buf[:0], infos, i, allCaps)
		buf = withDomain(buf, 0, m.domain)
		m.addWeights(acc, buf)
	}
	return out
}

func viterbi(emit []float32, n, L int, trans []float32, allowed []bool) []int {
	neg := float32(math.Inf(-1))
	score := make([]float32, n*L)
	back := make([]int, n*L)
	for y := range L {
		if allowed[L*L+y] {
			score[y] = trans[L*L+y] + emit[y]
		} else {
			score[y] = neg
		}
	}
	for i := 1; i < n; i++ {
		for y := range L {
			best, arg := neg, 0
			for x := range L {
				if !allowed[x*L+y] {
					continue
				}
				if s := score[(i-1)*L+x] + trans[x*L+y]; s > best {
					best, arg = s, x
				}
			}
			score[i*L+y] = best + emit[i*L+y]
			back[i*L+y] = arg
		}
	}
	out := make([]int, n)
	best := neg
	for y := range L {
		if s := score[(n-1)*L+y]; s > best || y == 0 && best == neg {
			best, out[n-1] = s, y
		}
	}
	for i := n - 1; i > 0; i-- {
		out[i-1] = back[i*L+out[i]]
	}
	return out
}

// allowedTransitions returns the IOB2 constraint matrix: I-X only after
// B-X or I-X, never first.
func allowedTransitions(labels []string) []bool {
	L := len(labels)
	a := make([]bool, (L+1)*L)
	for x := 0; x <= L; x++ {
		for y, ly := range labels {
			ok := true
			if strings.HasPrefix(ly, "I-") {
				ok = x < L && len(labels[x]) > 2 && labels[x][2:] == ly[2:]
			}
			a[x*L+y] = ok
		}
	}
	return a
}

// Type is an entity type: PER, LOC, ORG or MISC.
type Type string

// Entity types of the model.
const (
	PER  Type = "PER"
	LOC  Type = "LOC"
	ORG  Type = "ORG"
	MISC Type = "MISC"
)

// Entity is a recognised name: text[Start:End] of Type, with UTF-8 byte
// offsets into the text given to Entities.
type Entity struct {
	Start, End int
	Text       string
	Type       Type
}

// maxSentence bounds the tokens decoded at once; longer runs without a
// sentence end (tables, lists) are cut.
const maxSentence = 200

// Entities tokenizes text, splits it into sentences and returns the
// entities in order. It never fails; text need not be valid UTF-8.
func (m *Model) Entities(text string) []Entity {
	return m.EntitiesOf(text, token.Sentences(token.Tokenize(text)))
}

// EntitiesOf is Entities over sentences already cut from text.
func (m *Model) EntitiesOf(text string, sents []token.Sentence) []Entity {
	var out []Entity
	var words []string
	var buf []uint32
	for _, s := range sents {
		for off := 0; off < len(s.Tokens); off += maxSentence {
			toks := s.Tokens[off:min(off+maxSentence, len(s.Tokens))]
			words = words[:0]
			for _, t := range toks {
				words = append(words, t.Text)
			}
			ids := m.decode(words, buf)
			for _, sp := range spansOf(ids, m.labels) {
				start, end := toks[sp.Start].Start, toks[sp.End-1].End
				out = append(out, Entity{Start: start, End: end, Text: text[start:end], Type: Type(sp.Type)})
			}
		}
	}
	return out
}

func spansOf(ids []int, labels []string) []Span {
	ls := make([]string, len(ids))
	for i, id := range ids {
		ls[i] = labels[id]
	}
	return Spans(ls)
}

// Write serialises m (uncompressed; callers gzip it).
func (m *Model) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	put := func(v uint64) { bw.Write(binary.AppendUvarint(nil, v)) }
	putStr := func(s string) { put(uint64(len(s))); bw.WriteString(s) }
	bw.WriteString(magic)
	put(uint64(len(m.labels)))
	for _, l := range m.labels {
		putStr(l)
	}
	put(uint64(math.Float32bits(m.scale)))
	for _, t := range m.trans {
		put(uint64(math.Float32bits(t)))
	}
	L := len(m.labels)
	put(uint64(len(m.keys)))
	prev := uint32(0)
	for r, k := range m.keys {
		put(uint64(k - prev))
		prev = k
		row := m.weights[r*L : r*L+L]
		var mask uint64
		for y, v := range row {
			if v != 0 {
				mask |= 1 << y
			}
		}
		put(mask)
		for _, v := range row {
			if v != 0 {
				put(uint64(uint16(v)))
			}
		}
	}
	putStr(m.domain)
	writeStrMap(put, putStr, m.feat.cases)
	writeStrMap(put, putStr, m.feat.gaz)
	words := make([]string, 0, len(m.feat.clusters))
	for w := range m.feat.clusters {
		words = append(words, w)
	}
	slices.Sort(words)
	put(uint64(len(words)))
	for _, w := range words {
		putStr(w)
		put(uint64(m.feat.clusters[w]))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

func writeStrMap(put func(uint64), putStr func(string), m map[string]uint8) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	put(uint64(len(keys)))
	for _, k := range keys {
		putStr(k)
		put(uint64(m[k]))
	}
}

// Load reads a model written by Write. Errors wrap ErrBadModel when the
// data is malformed.
func Load(r io.Reader) (*Model, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic && string(head) != magicV1 {
		return nil, fmt.Errorf("load: bad header: %w", ErrBadModel)
	}
	var err error
	get := func() uint64 {
		if err != nil {
			return 0
		}
		var v uint64
		v, err = binary.ReadUvarint(br)
		return v
	}
	getStr := func() string {
		n := get()
		if err != nil || n > 1<<16 {
			if err == nil {
				err = ErrBadModel
			}
			return ""
		}
		b := make([]byte, n)
		if _, e := io.ReadFull(br, b); e != nil {
			err = e
		}
		return string(b)
	}
	m := &Model{}
	nl := get()
	if err != nil || nl == 0 || nl > 64 {
		return nil, fmt.Errorf("load: %d labels: %w", nl, ErrBadModel)
	}
	for range nl {
		m.labels = append(m.labels, getStr())
	}
	L := int(nl)
	m.scale = math.Float32frombits(uint32(get()))
	m.trans = make([]float32, (L+1)*L)
	for i := range m.trans {
		m.trans[i] = math.Float32frombits(uint32(get()))
	}
	nk := get()
	if err != nil || nk > 1<<26 {
		return nil, fmt.Errorf("load: %d features: %w", nk, ErrBadModel)
	}
	m.index = newFeatIndex(int(nk))
	m.keys = make([]uint32, 0, nk)
	m.weights = make([]int16, int(nk)*L)
	key := uint32(0)
	for i := range int(nk) {
		key += uint32(get())
		mask := get()
		for y := range L {
			if mask&(1<<y) != 0 {
				m.weights[i*L+y] = int16(uint16(get()))
			}
		}
		if i > 0 && key <= m.keys[i-1] {
			return nil, fmt.Errorf("load: feature keys out of order: %w", ErrBadModel)
		}
		m.keys = append(m.keys, key)
		m.index.put(key, int32(i))
	}
	m.domain = getStr()
	m.feat.cases = readStrMap(get, getStr)
	m.feat.gaz = readStrMap(get, getStr)
	if string(head) == magic {
		nw := get()
		if err == nil && nw > 1<<24 {
			err = fmt.Errorf("%d cluster words", nw)
		}
		if err == nil && nw > 0 {
			m.feat.clusters = make(map[string]uint32, nw)
			for range nw {
				w := getStr()
				m.feat.clusters[w] = uint32(get())
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load: %w: %w", ErrBadModel, err)
	}
	m.allowed = allowedTransitions(m.labels)
	return m.prepare(), nil
}

func readStrMap(get func() uint64, getStr func() string) map[string]uint8 {
	n := get()
	if n > 1<<24 {
		return nil
	}
	out := make(map[string]uint8, n)
	for range n {
		k := getStr()
		out[k] = uint8(get())
	}
	return out
}
