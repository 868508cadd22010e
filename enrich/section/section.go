// Package section classifies news articles into the sections taglines
// shows (Politics, Business, Technology, Sports, Entertainment, ...) with a
// logistic regression over word unigrams and bigrams.
//
// The shipped model (model.bin.gz, built by ./train from the BBC News data
// set) knows the five BBC sections: Business, Entertainment, Politics,
// Sports and Technology. The other section names (World, Science, Health,
// Opinion) come from feed categories and URL paths (enrich.Section).
package section

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/taglines/taglines/enrich/token"
)

// Doc is one labelled document.
type Doc struct {
	Section string // a section name, e.g. "Sports"
	Text    string
	Name    string // where it came from, for reports
	// Accept lists other sections that count as right when scoring, for
	// corpora whose classes are wider than one section (UCI's "science and
	// technology").
	Accept []string
}

// Correct reports whether section is a right answer for d.
func (d Doc) Correct(section string) bool {
	return section == d.Section || slices.Contains(d.Accept, section)
}

// Result is a classification: the section's Name and the model's
// Confidence in it, in (0, 1].
type Result struct {
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
}

// Classifier is a trained section model. It is immutable and safe for
// concurrent use; get one from Train, Load or Default.
type Classifier struct {
	classes []string
	bias    []float32
	// terms maps a term to its row: its weights per class are
	// w[row·C : (row+1)·C], its idf idf[row]. One flat array instead of a
	// slice a term keeps the model's memory near its size.
	terms map[string]int32
	w     []float32
	// idf holds each term's inverse document frequency when the model
	// weighs terms by tf-idf; nil for binary weights.
	idf []float32
	// expert, when set, is a model of fewer sections trained on one
	// publisher's full articles; its log-probabilities, times expertWeight,
	// are added to this model's for the sections it knows (see WithExpert).
	expert       *Classifier
	expertWeight float64
}

// expertMinWords is the length below which the expert is not asked: on
// headlines and short summaries it did not help (measured on validation
// slices of the training corpora), and it would double the cost.
const expertMinWords = 50

// WithExpert returns a classifier in which expert, a model of fewer
// sections, decides among its own sections and k decides between them and
// the rest: k's probability of the expert's sections as a whole is shared
// among them in proportion to p_k · p_expert^weight, and the other
// sections keep k's probabilities. It lets a model of many sections
// trained on headlines from many publishers keep, among the sections both
// know, the accuracy of a model trained on one publisher's full articles,
// without the expert's silence on the other sections counting against
// them.
func (k *Classifier) WithExpert(expert *Classifier, weight float64) *Classifier {
	c := *k
	c.expert, c.expertWeight = expert, weight
	return &c
}

// words returns the lower-case words of text that have a letter.
func words(text string) []string {
	var out []string
	for _, t := range token.Tokenize(text) {
		w := strings.ToLower(t.Text)
		for _, r := range w {
			if unicode.IsLetter(r) {
				out = append(out, w)
				break
			}
		}
	}
	return out
}

// terms returns the lower-case words of text (letters only) and their bigrams.
func terms(text string) []string {
	ws := words(text)
	out := make([]string, 0, 2*len(ws))
	out = append(out, ws...)
	for i := 1; i < len(ws); i++ {
		out = append(out, ws[i-1]+" "+ws[i])
	}
	return out
}

// TrainOptions configure Train; the zero value is usable.
type TrainOptions struct {
	Epochs   int     // SGD passes; 0 means 15
	Rate     float64 // learning rate; 0 means 0.5
	L2       float64 // weight decay per example; 0 means 1e-6
	MinCount int     // terms in fewer documents are dropped; 0 means 2
	Seed     uint64  // shuffle seed; 0 means 1
	// TFIDF weighs each term by (1+log tf)·idf instead of 1 before the
	// document vector is scaled to unit length.
	TFIDF bool
	// MinBigram drops bigrams in fewer documents; 0 means MinCount.
	MinBigram int
	// Balance weighs each example by (N/(C·n))^Balance, n its class's
	// count, so that small classes are not drowned by large ones; 0
	// weighs all alike, 1 fully evens the classes out.
	Balance float64
}

// docVector returns the rows of the distinct known terms of text and the
// value of each term in the document's unit-length vector: 1/sqrt(n) for
// binary weights, else (1+log tf)·idf scaled.
func (k *Classifier) docVector(text string) ([][]float32, []float32) {
	return k.vectorOf(words(text))
}

// vectorOf is docVector for the words of a text. It looks bigrams up
// without building a string for each (the article's unknown bigrams are
// most of them).
func (k *Classifier) vectorOf(ws []string) ([][]float32, []float32) {
	type hit struct {
		row int32
		tf  int
	}
	var hits []hit
	at := make(map[int32]int, len(ws)) // a row's index in hits
	count := func(row int32) {
		if i, ok := at[row]; ok {
			hits[i].tf++
			return
		}
		at[row] = len(hits)
		hits = append(hits, hit{row, 1})
	}
	var buf []byte
	for i, w := range ws {
		if row, ok := k.terms[w]; ok {
			count(row)
		}
		if i == 0 {
			continue
		}
		buf = append(append(append(buf[:0], ws[i-1]...), ' '), w...)
		if row, ok := k.terms[string(buf)]; ok {
			count(row)
		}
	}
	if len(hits) == 0 {
		return nil, nil
	}
	rows := make([][]float32, len(hits))
	xs := make([]float32, len(hits))
	norm := 0.0
	for i, h := range hits {
		rows[i] = k.row(h.row)
		x := 1.0
		if k.idf != nil {
			x = (1 + math.Log(float64(h.tf))) * float64(k.idf[h.row])
		}
		xs[i] = float32(x)
		norm += x * x
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range xs {
		xs[i] *= inv
	}
	return rows, xs
}

// row returns the weights per class of the term in row i.
func (k *Classifier) row(i int32) []float32 {
	c := len(k.classes)
	return k.w[int(i)*c : int(i+1)*c : int(i+1)*c]
}

// Train fits a multinomial logistic regression to docs with SGD over
// unit-length vectors of unigrams and bigrams, binary or tf-idf weighted
// (TrainOptions.TFIDF). It is deterministic.
func Train(docs []Doc, opts TrainOptions) (*Classifier, error) {
	if len(docs) == 0 {
		return nil, errors.New("section: no training documents")
	}
	if opts.Epochs == 0 {
		opts.Epochs = 15
	}
	if opts.Rate == 0 {
		opts.Rate = 0.5
	}
	if opts.L2 == 0 {
		opts.L2 = 1e-6
	}
	if opts.MinCount == 0 {
		opts.MinCount = 2
	}
	if opts.MinBigram == 0 {
		opts.MinBigram = opts.MinCount
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	var classes []string
	for _, d := range docs {
		if !slices.Contains(classes, d.Section) {
			classes = append(classes, d.Section)
		}
	}
	slices.Sort(classes)
	C := len(classes)
	df := map[string]int{}
	counted := map[string]bool{} // a document given more than once counts once
	for _, d := range docs {
		if key := d.Name + "\x00" + d.Text; counted[key] {
			continue
		} else {
			counted[key] = true
		}
		seen := map[string]bool{}
		for _, t := range terms(d.Text) {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	k := &Classifier{classes: classes, bias: make([]float32, C), terms: map[string]int32{}}
	// Rows in sorted term order, so that training is deterministic.
	for _, t := range slices.Sorted(maps.Keys(df)) {
		least := opts.MinCount
		if strings.Contains(t, " ") {
			least = opts.MinBigram
		}
		if df[t] >= least {
			k.terms[t] = int32(len(k.terms))
			if opts.TFIDF {
				k.idf = append(k.idf, quantIDF(math.Log(float64(len(counted)+1)/float64(df[t]))))
			}
		}
	}
	k.w = make([]float32, len(k.terms)*C)
	type vec struct {
		rows [][]float32
		x    []float32
		y    int
		// alt are the other sections that count as right (Doc.Accept):
		// the target is shared evenly between y and them.
		alt []int
	}
	data := make([]vec, len(docs))
	count := make([]int, C)
	for i, d := range docs {
		rows, x := k.docVector(d.Text)
		data[i] = vec{rows, x, slices.Index(classes, d.Section), nil}
		for _, a := range d.Accept {
			if j := slices.Index(classes, a); j >= 0 && j != data[i].y {
				data[i].alt = append(data[i].alt, j)
			}
		}
		count[data[i].y]++
	}
	weight := make([]float32, C)
	for c := range C {
		weight[c] = float32(math.Pow(float64(len(docs))/float64(C*count[c]), opts.Balance))
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x73656374696f6e))
	order := rng.Perm(len(data))
	p := make([]float64, C)
	for epoch := range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rate := float32(opts.Rate / (1 + float64(epoch)*0.2))
		for _, i := range order {
			d := data[i]
			k.probs(d.rows, d.x, p)
			share := float32(1) / float32(1+len(d.alt))
			for c := range C {
				g := float32(p[c])
				if c == d.y || slices.Contains(d.alt, c) {
					g -= share
				}
				g *= weight[d.y]
				k.bias[c] -= rate * g
				for j, w := range d.rows {
					w[c] -= rate * (g*d.x[j] + float32(opts.L2)*w[c])
				}
			}
		}
	}
	return k, nil
}

// probs sets p to the class probabilities of a document vector.
func (k *Classifier) probs(rows [][]float32, x []float32, p []float64) {
	for c := range p {
		s := k.bias[c]
		for j, w := range rows {
			s += w[c] * x[j]
		}
		p[c] = float64(s)
	}
	hi := slices.Max(p)
	sum := 0.0
	for c := range p {
		p[c] = math.Exp(p[c] - hi)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

// Classify returns the most probable section of text and its probability.
// Text without any known word returns the most frequent-looking section by
// bias alone, with the low confidence that implies. It never fails.
func (k *Classifier) Classify(text string) Result { return k.Scores(text)[0] }

// Scores returns every section with its probability for text, the most
// probable first.
func (k *Classifier) Scores(text string) []Result {
	ws := words(text)
	rows, x := k.vectorOf(ws)
	p := make([]float64, len(k.classes))
	k.probs(rows, x, p)
	if k.expert != nil && k.expertWeight > 0 && len(ws) >= expertMinWords {
		q := make([]float64, len(k.expert.classes))
		erows, ex := k.expert.vectorOf(ws)
		k.expert.probs(erows, ex, q)
		// Within the expert's sections, the product of the two models;
		// their total, and the other sections, stay this model's. The
		// expert learnt from full articles: its say grows with the text's
		// length, from an eighth of its weight at 50 words to all of it
		// from 400 words on.
		weight := k.expertWeight * min(1, float64(len(ws))/400)
		total, sum := 0.0, 0.0
		mix := make([]float64, len(p)) // 0 for the sections the expert lacks
		for c, name := range k.classes {
			if i := slices.Index(k.expert.classes, name); i >= 0 {
				total += p[c]
				mix[c] = math.Exp(math.Log(max(p[c], 1e-12)) + weight*math.Log(max(q[i], 1e-12)))
				sum += mix[c]
			}
		}
		for c := range p {
			if mix[c] > 0 {
				p[c] = total * mix[c] / sum
			}
		}
	}
	out := make([]Result, len(p))
	for c := range p {
		out[c] = Result{Name: k.classes[c], Confidence: math.Round(p[c]*1000) / 1000}
	}
	slices.SortStableFunc(out, func(a, b Result) int { return cmp.Compare(b.Confidence, a.Confidence) })
	return out
}

// Sections returns the section names the classifier can return, sorted.
func (k *Classifier) Sections() []string { return slices.Clone(k.classes) }

// magic heads a classifier; TGSEC01 ones have binary weights and no idf.
const (
	magic   = "TGSEC02\n"
	magicV1 = "TGSEC01\n"
)

// quantIDF rounds an idf to the 1/256 steps it is stored in, so that a
// trained and a loaded model compute the same vectors.
func quantIDF(x float64) float32 { return float32(math.Round(x*256) / 256) }

// ErrBadModel is wrapped by Load's errors for malformed data.
var ErrBadModel = errors.New("section: not a model")

// Write serialises k (uncompressed).
func (k *Classifier) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	put := func(v uint64) { bw.Write(binary.AppendUvarint(nil, v)) }
	putStr := func(s string) { put(uint64(len(s))); bw.WriteString(s) }
	putF := func(f float32) { put(uint64(math.Float32bits(f))) }
	bw.WriteString(magic)
	put(uint64(len(k.classes)))
	for c, name := range k.classes {
		putStr(name)
		putF(k.bias[c])
	}
	keys := make([]string, 0, len(k.terms))
	for t, i := range k.terms {
		// A term whose weights all round to zero changes nothing but the
		// vector's length; dropping it keeps the model small.
		if slices.ContainsFunc(k.row(i), func(f float32) bool { return math.Round(float64(f)*1024) != 0 }) {
			keys = append(keys, t)
		}
	}
	sort.Strings(keys)
	put(uint64(len(keys)))
	if k.idf != nil {
		put(1)
	} else {
		put(0)
	}
	for _, t := range keys {
		putStr(t)
		if k.idf != nil {
			put(uint64(math.Round(float64(k.idf[k.terms[t]]) * 256)))
		}
		for _, f := range k.row(k.terms[t]) {
			// Weights quantised to 1/1024: far below their noise.
			put(zigzag(int64(math.Round(float64(f) * 1024))))
		}
	}
	if k.expert != nil {
		// A trailer: the expert's weight and the expert, a model of its own.
		put(1)
		put(math.Float64bits(k.expertWeight))
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("write section model: %w", err)
		}
		return k.expert.Write(w)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write section model: %w", err)
	}
	return nil
}

// Load reads a classifier written by Write; errors wrap ErrBadModel.
func Load(r io.Reader) (*Classifier, error) {
	br := bufio.NewReader(r)
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
	var buf []byte
	getStr := func() string {
		n := get()
		if err != nil || n > 1<<12 {
			if err == nil {
				err = ErrBadModel
			}
			return ""
		}
		buf = slices.Grow(buf[:0], int(n))[:n]
		_, err = io.ReadFull(br, buf)
		return string(buf) // one allocation a term, not two
	}
	k := &Classifier{}
	nc := get()
	if err != nil || nc == 0 || nc > 64 {
		return nil, fmt.Errorf("load: %d classes: %w", nc, ErrBadModel)
	}
	for range nc {
		k.classes = append(k.classes, getStr())
		k.bias = append(k.bias, math.Float32frombits(uint32(get())))
	}
	nt := get()
	if err != nil || nt > 1<<24 {
		return nil, fmt.Errorf("load: %d terms: %w", nt, ErrBadModel)
	}
	k.terms = make(map[string]int32, nt)
	k.w = make([]float32, 0, int(nt)*int(nc))
	if string(head) == magic && get() == 1 {
		k.idf = make([]float32, 0, nt)
	}
	for range nt {
		t := getStr()
		if _, dup := k.terms[t]; dup && err == nil {
			err = fmt.Errorf("term %q twice", t)
		}
		k.terms[t] = int32(len(k.terms))
		if k.idf != nil {
			k.idf = append(k.idf, float32(get())/256)
		}
		for range nc {
			k.w = append(k.w, float32(unzigzag(get()))/1024)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("load: %w: %w", ErrBadModel, err)
	}
	switch more, err := binary.ReadUvarint(br); {
	case err == io.EOF:
		return k, nil
	case err != nil || more != 1:
		return nil, fmt.Errorf("load: bad trailer: %w", ErrBadModel)
	}
	w, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("load: expert weight: %w: %w", ErrBadModel, err)
	}
	k.expertWeight = math.Float64frombits(w)
	if k.expert, err = Load(br); err != nil {
		return nil, fmt.Errorf("load: expert: %w", err)
	}
	if k.expert.expert != nil || math.IsNaN(k.expertWeight) || k.expertWeight < 0 || k.expertWeight > 100 {
		return nil, fmt.Errorf("load: bad expert: %w", ErrBadModel)
	}
	return k, nil
}

func zigzag(v int64) uint64   { return uint64(v<<1) ^ uint64(v>>63) }
func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

//go:embed model.bin.gz
var defaultModel []byte

var loadDefault = sync.OnceValues(func() (*Classifier, error) {
	zr, err := gzip.NewReader(bytes.NewReader(defaultModel))
	if err != nil {
		return nil, fmt.Errorf("section: default model: %w", err)
	}
	return Load(zr)
})

// Default returns the shipped classifier, loaded on first use and shared.
func Default() (*Classifier, error) { return loadDefault() }

// bbcSections maps the BBC data set's folders to section names.
var bbcSections = map[string]string{
	"business": "Business", "entertainment": "Entertainment", "politics": "Politics",
	"sport": "Sports", "tech": "Technology",
}

// ReadBBC reads the BBC News zip (bbc/<label>/<n>.txt) and splits it: in
// each section, in file-name order, every fifth article is held out for
// testing, the rest is for training.
func ReadBBC(r io.ReaderAt, size int64) (train, test []Doc, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("read bbc: %w", err)
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	seen := map[string]int{}
	for _, f := range files {
		label := path.Base(path.Dir(f.Name))
		name, ok := bbcSections[label]
		if !ok || !strings.HasSuffix(f.Name, ".txt") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, nil, fmt.Errorf("read bbc %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("read bbc %s: %w", f.Name, err)
		}
		d := Doc{Section: name, Text: string(b), Name: f.Name}
		if seen[label]%5 == 4 {
			test = append(test, d)
		} else {
			train = append(train, d)
		}
		seen[label]++
	}
	return train, test, nil
}
