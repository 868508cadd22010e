package ner

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/taglines/taglines/enrich/token"
)

// TrainOptions configure Train. The zero value trains 10 epochs with seed 1.
type TrainOptions struct {
	Epochs   int    // passes over the data; 0 means 10
	Seed     uint64 // seed of the per-epoch shuffle; 0 means 1
	MinCount int    // features seen fewer times are dropped; 0 means 2
	// Texts are unlabelled news texts from which the case classes of words
	// are learnt (how often each is capitalised mid-sentence).
	Texts []string
	// Gazetteer maps lower-case names (words separated by single spaces)
	// to one or more of PER, LOC, ORG, MISC, FIRST, comma-separated.
	Gazetteer map[string]string
	// Clusters maps words (see ClusterKey) to their paths in a binary
	// hierarchy of word clusters, as read by ReadClusters; prefixes of the
	// paths become features.
	Clusters map[string]string
	// Logf, when set, receives progress lines.
	Logf func(format string, args ...any)
	// Domain is the domain the model decodes with by default (see
	// Model.WithDomain); "" means that of the first sentence.
	Domain string
}

// Train fits a model to sents with the averaged structured perceptron.
// It is deterministic for the same inputs and options.
func Train(sents []Sentence, opts TrainOptions) (*Model, error) {
	if opts.Epochs == 0 {
		opts.Epochs = 10
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.MinCount == 0 {
		opts.MinCount = 2
	}
	logf := opts.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	labels := defaultLabels
	lid := map[string]int{}
	for i, l := range labels {
		lid[l] = i
	}
	L := len(labels)
	feat := featurizer{cases: caseClasses(opts.Texts), gaz: map[string]uint8{}}
	for name, types := range opts.Gazetteer {
		for _, t := range strings.Split(types, ",") {
			i := slices.Index(gazNames[:], strings.TrimSpace(t))
			if i < 0 {
				return nil, fmt.Errorf("train: gazetteer entry %q: unknown type %q", name, t)
			}
			feat.gaz[name] |= 1 << i
		}
	}
	if len(opts.Clusters) > 0 {
		feat.clusters = make(map[string]uint32, len(opts.Clusters))
		for w, path := range opts.Clusters {
			c, err := encodePath(path)
			if err != nil {
				return nil, fmt.Errorf("train: word %q: %w", w, err)
			}
			feat.clusters[w] = c
		}
	}
	logf("case classes: %d words; gazetteer: %d names; clusters: %d words", len(feat.cases), len(feat.gaz), len(feat.clusters))

	// Extract every token's feature keys once.
	type sent struct {
		feats []uint32 // flattened
		off   []int32  // token i has feats[off[i]:off[i+1]]
		gold  []int
	}
	data := make([]sent, 0, len(sents))
	counts := map[uint32]int32{}
	var buf []uint32
	for _, s := range sents {
		if len(s.Words) != len(s.Labels) {
			return nil, fmt.Errorf("train: sentence of %d words has %d labels", len(s.Words), len(s.Labels))
		}
		infos := feat.infos(s.Words)
		allCaps := isAllCaps(s.Words)
		d := sent{off: []int32{0}}
		for i := range s.Words {
			buf = feat.features(buf[:0], infos, i, allCaps)
			buf = withDomain(buf, 0, s.Domain)
			d.feats = append(d.feats, buf...)
			d.off = append(d.off, int32(len(d.feats)))
			for _, k := range buf {
				counts[k]++
			}
			y, ok := lid[s.Labels[i]]
			if !ok {
				return nil, fmt.Errorf("train: unknown label %q", s.Labels[i])
			}
			d.gold = append(d.gold, y)
		}
		data = append(data, d)
	}
	// Keep features seen often enough; rows are assigned in key order so
	// the result does not depend on map iteration.
	keys := make([]uint32, 0, len(counts))
	for k, c := range counts {
		if int(c) >= opts.MinCount {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	row := make(map[uint32]int32, len(keys))
	for i, k := range keys {
		row[k] = int32(i)
	}
	counts = nil
	for di := range data {
		d := &data[di]
		var kept []uint32
		off := []int32{0}
		for i := 0; i+1 < len(d.off); i++ {
			for _, k := range d.feats[d.off[i]:d.off[i+1]] {
				if r, ok := row[k]; ok {
					kept = append(kept, uint32(r))
				}
			}
			off = append(off, int32(len(kept)))
		}
		d.feats, d.off = kept, off
	}
	logf("features: %d kept of those seen at least %d times", len(keys), opts.MinCount)

	nf := len(keys)
	w := make([]float32, nf*L)
	u := make([]float64, nf*L) // Σ c·Δw, for averaging (Daumé's trick)
	tw := make([]float32, (L+1)*L)
	tu := make([]float64, (L+1)*L)
	allowed := allowedTransitions(labels)
	c := 1.0
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7461676c696e6573))
	emit := make([]float32, 0, 256*L)
	for epoch := range opts.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		errs, toks := 0, 0
		for _, di := range order {
			d := &data[di]
			n := len(d.gold)
			emit = emit[:0]
			for i := range n {
				for range L {
					emit = append(emit, 0)
				}
				e := emit[i*L : i*L+L]
				for _, f := range d.feats[d.off[i]:d.off[i+1]] {
					ws := w[int(f)*L : int(f)*L+L]
					for y := range L {
						e[y] += ws[y]
					}
				}
			}
			pred := viterbi(emit, n, L, tw, allowed)
			toks += n
			for i := range n {
				g, p := d.gold[i], pred[i]
				prevG, prevP := L, L
				if i > 0 {
					prevG, prevP = d.gold[i-1], pred[i-1]
				}
				if g != p {
					errs++
					for _, f := range d.feats[d.off[i]:d.off[i+1]] {
						w[int(f)*L+g]++
						w[int(f)*L+p]--
						u[int(f)*L+g] += c
						u[int(f)*L+p] -= c
					}
				}
				if g != p || prevG != prevP {
					tw[prevG*L+g]++
					tw[prevP*L+p]--
					tu[prevG*L+g] += c
					tu[prevP*L+p] -= c
				}
			}
			c++
		}
		logf("epoch %d: %d token errors of %d (%.2f%%)", epoch+1, errs, toks, 100*float64(errs)/float64(toks))
	}
	// Average, quantise, and drop rows that became all zero.
	avg := make([]float32, len(w))
	maxAbs := float32(0)
	for i := range w {
		avg[i] = w[i] - float32(u[i]/c)
		maxAbs = max(maxAbs, float32(math.Abs(float64(avg[i]))))
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	m := &Model{labels: labels, scale: maxAbs / 32767, feat: feat, allowed: allowed, domain: opts.Domain}
	if m.domain == "" && len(sents) > 0 {
		m.domain = sents[0].Domain
	}
	m.trans = make([]float32, len(tw))
	for i := range tw {
		m.trans[i] = tw[i] - float32(tu[i]/c)
	}
	for r, k := range keys {
		var q [16]int16
		nz := false
		for y := range L {
			v := int16(math.Round(float64(avg[r*L+y] / m.scale)))
			q[y] = v
			nz = nz || v != 0
		}
		if !nz {
			continue
		}
		m.keys = append(m.keys, k)
		m.weights = append(m.weights, q[:L]...)
	}
	m.index = newFeatIndex(len(m.keys))
	for r, k := range m.keys {
		m.index.put(k, int32(r))
	}
	logf("model: %d feature rows", len(m.keys))
	return m.prepare(), nil
}

// caseClasses learns, for each word seen at least 3 times in texts outside
// a sentence start, whether it is written lower case, capitalised or in
// capitals.
func caseClasses(texts []string) map[string]uint8 {
	type count struct{ lower, capital, upper int32 }
	counts := map[string]*count{}
	for _, text := range texts {
		for _, s := range token.Sentences(token.Tokenize(text)) {
			if isAllCaps(wordsOf(s.Tokens)) {
				continue
			}
			for i, t := range s.Tokens {
				if i == 0 || !hasLetter(t.Text) {
					continue
				}
				lw := strings.ToLower(normalise(t.Text))
				c := counts[lw]
				if c == nil {
					c = &count{}
					counts[lw] = c
				}
				switch {
				case t.Text == lw:
					c.lower++
				case t.Text == strings.ToUpper(t.Text) && len(t.Text) > 1:
					c.upper++
				case startsUpper(t.Text):
					c.capital++
				}
			}
		}
	}
	out := map[string]uint8{}
	for w, c := range counts {
		n := c.lower + c.capital + c.upper
		if n < 3 {
			continue
		}
		switch {
		case c.lower*10 >= n*9:
			out[w] = caseLower
		case c.upper*10 >= n*9:
			out[w] = caseUpper
		case (c.capital+c.upper)*10 >= n*9:
			out[w] = caseCapital
		default:
			out[w] = caseMixed
		}
	}
	return out
}

func wordsOf(toks []token.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

func hasLetter(s string) bool {
	for _, r := range s {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r > 127 {
			return true
		}
	}
	return false
}
