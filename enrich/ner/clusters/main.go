// Command clusters learns hierarchical word clusters for the entity model of
// enrich/ner from unlabelled news text and writes them gzipped:
//
//	go run ./enrich/ner/clusters -data ../shared/data -out enrich/ner/clusters.txt.gz
//
// The text is the Reuters-21578 bodies, the BBC News articles and the words
// of the training sentences (CoNLL-2003 eng.train and the first nine tenths
// of GMB); eng.testa and GMB's last tenth are never read. Words are taken
// as written, digits folded to 0 (ner.ClusterKey).
//
// By default (-method brown) the words seen often enough are put into a
// fixed number of classes by the exchange algorithm, which maximises the
// likelihood of a class bigram model as Brown clustering does but without
// its costly merges; the classes are then arranged in a binary hierarchy by
// splitting them in two again and again (spherical 2-means over their
// bigram profiles), so that every word gets a bit string whose prefixes
// are coarser classes. -method pmi instead splits the words themselves by
// their left and right neighbours (positive PMI vectors); on a dev split of
// the training data it helped the entity model less.
//
// The output has one "word<TAB>bits" line per word, sorted by word; the
// same inputs and flags give the same file byte for byte.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"html"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/taglines/taglines/enrich/ner"
	"github.com/taglines/taglines/enrich/token"
)

func main() {
	data := flag.String("data", "../shared/data", "folder of the shared data sets")
	out := flag.String("out", "enrich/ner/clusters.txt.gz", "clusters file to write")
	minCount := flag.Int("min-count", 3, "cluster words seen at least this often")
	maxWords := flag.Int("max-words", 60000, "cluster at most this many of the most frequent words")
	contexts := flag.Int("contexts", 2000, "pmi: context words, the most frequent ones")
	depth := flag.Int("depth", 12, "levels of binary splits (at most 2^depth clusters)")
	minSize := flag.Int("min-size", 8, "pmi: do not split clusters smaller than this")
	window := flag.Int("window", 1, "pmi: context words at up to this distance on each side")
	method := flag.String("method", "brown", "brown: exchange algorithm on class bigrams, then a hierarchy over the classes; pmi: divisive 2-means over word context vectors")
	classes := flag.Int("classes", 1000, "brown: number of classes")
	iters := flag.Int("iters", 15, "brown: exchange iterations at most")
	refine := flag.Int("refine", 5, "2-means iterations refining each principal-direction split")
	flag.Parse()
	if *method != "brown" && *method != "pmi" {
		log.Fatalf("-method %q: want brown or pmi", *method)
	}
	p := params{minCount: *minCount, maxWords: *maxWords, contexts: *contexts, depth: *depth, minSize: *minSize, refine: *refine, window: *window, method: *method, classes: *classes, iters: *iters}
	if err := run(*data, *out, p); err != nil {
		log.Fatal(err)
	}
}

type params struct {
	minCount, maxWords, contexts, depth, minSize, refine, window int
	method                                                       string
	classes, iters                                               int
}

func run(data, out string, p params) error {
	start := time.Now()
	sents, err := corpus(data)
	if err != nil {
		return err
	}
	ntok := 0
	for _, s := range sents {
		ntok += len(s)
	}
	log.Printf("%d sentences, %d tokens", len(sents), ntok)
	paths := cluster(sents, p)
	words := make([]string, 0, len(paths))
	for w := range paths {
		words = append(words, w)
	}
	slices.Sort(words)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	for _, w := range words {
		fmt.Fprintf(bw, "%s\t%s\n", w, paths[w])
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip clusters: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	log.Printf("wrote %s: %d words (%d bytes) in %s", out, len(words), buf.Len(), time.Since(start).Round(time.Second))
	return nil
}

// cluster returns the bit-string path of every word kept.
func cluster(sents [][]string, p params) map[string]string {
	freq := map[string]int{}
	for _, s := range sents {
		for _, w := range s {
			freq[w]++
		}
	}
	byFreq := make([]string, 0, len(freq))
	for w, n := range freq {
		if n >= p.minCount {
			byFreq = append(byFreq, w)
		}
	}
	// Most frequent first, ties by word, so that nothing depends on map order.
	slices.SortFunc(byFreq, func(a, b string) int {
		if freq[a] != freq[b] {
			return freq[b] - freq[a]
		}
		return strings.Compare(a, b)
	})
	if len(byFreq) > p.maxWords {
		byFreq = byFreq[:p.maxWords]
	}
	id := make(map[string]int32, len(byFreq))
	for i, w := range byFreq {
		id[w] = int32(i)
	}
	if p.method == "brown" {
		return brown(sents, byFreq, id, p)
	}
	// Context dimensions: left and right neighbour among the most frequent
	// words, and the sentence boundaries.
	nc := min(p.contexts, len(byFreq))
	dims := 2 * p.window * (nc + 1)
	ctx := func(w string) int {
		if w == "" {
			return nc // boundary
		}
		if i, ok := id[w]; ok && int(i) < nc {
			return int(i)
		}
		return -1
	}
	counts := make([]map[int32]float64, len(byFreq))
	for i := range counts {
		counts[i] = map[int32]float64{}
	}
	for _, s := range sents {
		for i, w := range s {
			wi, ok := id[w]
			if !ok {
				continue
			}
			for d := 1; d <= p.window; d++ {
				l, r := "", ""
				if i-d >= 0 {
					l = s[i-d]
				}
				if i+d < len(s) {
					r = s[i+d]
				}
				// Block 2(d-1) holds left neighbours at distance d, the next one right ones.
				base := 2 * (d - 1) * (nc + 1)
				if c := ctx(l); c >= 0 {
					counts[wi][int32(base+c)]++
				}
				if c := ctx(r); c >= 0 {
					counts[wi][int32(base+nc+1+c)]++
				}
			}
		}
	}
	vecs := ppmi(counts, dims)
	counts = nil
	weight := make([]float32, len(byFreq))
	for i, w := range byFreq {
		weight[i] = float32(math.Sqrt(float64(freq[w])))
	}
	paths := make([]string, len(byFreq))
	members := make([]int32, len(byFreq))
	for i := range members {
		members[i] = int32(i)
	}
	split(vecs, weight, members, "", paths, dims, p)
	out := make(map[string]string, len(byFreq))
	for i, w := range byFreq {
		out[w] = paths[i]
	}
	return out
}

// ppmi turns co-occurrence counts into unit-length vectors of positive
// pointwise mutual information.
func ppmi(counts []map[int32]float64, dims int) []sparse {
	// Positive PMI, then unit length.
	colSum := make([]float64, dims)
	total := 0.0
	for _, m := range counts {
		for c, v := range m {
			colSum[c] += v
			total += v
		}
	}
	vecs := make([]sparse, len(counts))
	for i, m := range counts {
		rowSum := 0.0
		for _, v := range m {
			rowSum += v
		}
		keys := make([]int32, 0, len(m))
		for c := range m {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		var v sparse
		norm := 0.0
		for _, c := range keys {
			pmi := math.Log(m[c] * total / (rowSum * colSum[c]))
			if pmi <= 0 {
				continue
			}
			v.idx = append(v.idx, c)
			v.val = append(v.val, float32(pmi))
			norm += pmi * pmi
		}
		norm = math.Sqrt(norm)
		for k := range v.val {
			v.val[k] /= float32(norm)
		}
		vecs[i] = v
	}
	return vecs
}

type sparse struct {
	idx []int32
	val []float32
}

func (v sparse) dot(c []float32) float32 {
	s := float32(0)
	for k, i := range v.idx {
		s += v.val[k] * c[i]
	}
	return s
}

// split divides members (in frequency order) by spherical 2-means and
// recurses into both halves, writing each word's path.
func split(vecs []sparse, weight []float32, members []int32, prefix string, paths []string, dims int, p params) {
	if len(prefix) >= p.depth || len(members) < p.minSize {
		for _, m := range members {
			paths[m] = prefix
		}
		return
	}
	// Start from the sign of each member's projection on the principal
	// direction of the (weighted, centred) vectors, as principal direction
	// divisive partitioning does; 2-means then refines the cut.
	side := principalSplit(vecs, weight, members, dims)
	ca := make([]float32, dims)
	cb := make([]float32, dims)
	centroids := func() {
		clear(ca)
		clear(cb)
		for j, m := range members {
			c := ca
			if side[j] {
				c = cb
			}
			for k, i := range vecs[m].idx {
				c[i] += weight[m] * vecs[m].val[k]
			}
		}
		normalize(ca)
		normalize(cb)
	}
	for range p.refine {
		centroids()
		changed := 0
		for j, m := range members {
			s := vecs[m].dot(cb) > vecs[m].dot(ca)
			if s != side[j] {
				changed++
			}
			side[j] = s
		}
		if changed == 0 {
			break
		}
	}
	var left, right []int32
	for j, m := range members {
		if side[j] {
			right = append(right, m)
		} else {
			left = append(left, m)
		}
	}
	if len(left) == 0 || len(right) == 0 {
		for _, m := range members {
			paths[m] = prefix
		}
		return
	}
	split(vecs, weight, left, prefix+"0", paths, dims, p)
	split(vecs, weight, right, prefix+"1", paths, dims, p)
}

// principalSplit returns, for each member, whether its projection on the
// first principal component of the members' vectors is positive. The
// component is found by power iteration from a fixed start.
func principalSplit(vecs []sparse, weight []float32, members []int32, dims int) []bool {
	mean := make([]float64, dims)
	wsum := 0.0
	for _, m := range members {
		for k, i := range vecs[m].idx {
			mean[i] += float64(weight[m] * vecs[m].val[k])
		}
		wsum += float64(weight[m])
	}
	for i := range mean {
		mean[i] /= wsum
	}
	v := make([]float64, dims)
	for i := range v {
		v[i] = 1 / float64(1+i%7) // fixed, not orthogonal to anything in particular
	}
	next := make([]float64, dims)
	proj := make([]float64, len(members))
	project := func() {
		mv := 0.0
		for i := range v {
			mv += mean[i] * v[i]
		}
		for j, m := range members {
			s := 0.0
			for k, i := range vecs[m].idx {
				s += float64(vecs[m].val[k]) * v[i]
			}
			proj[j] = s - mv
		}
	}
	for range 30 {
		project()
		clear(next)
		ps := 0.0
		for j, m := range members {
			wp := float64(weight[m]) * proj[j]
			ps += wp
			for k, i := range vecs[m].idx {
				next[i] += wp * float64(vecs[m].val[k])
			}
		}
		n := 0.0
		for i := range next {
			next[i] -= ps * mean[i]
			n += next[i] * next[i]
		}
		if n == 0 {
			break
		}
		n = math.Sqrt(n)
		for i := range next {
			v[i] = next[i] / n
		}
	}
	project()
	side := make([]bool, len(members))
	for j := range members {
		side[j] = proj[j] > 0
	}
	return side
}

func normalize(c []float32) {
	n := 0.0
	for _, x := range c {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(n))
	for i := range c {
		c[i] *= inv
	}
}

var reBody = regexp.MustCompile(`(?s)<BODY>(.*?)</BODY>`)

// corpus returns the sentences of the unlabelled texts and of the training
// sentences, as normalised words (see ner.ClusterKey).
func corpus(data string) ([][]string, error) {
	var out [][]string
	addText := func(text string) {
		for _, s := range token.Sentences(token.Tokenize(text)) {
			ws := make([]string, len(s.Tokens))
			for i, t := range s.Tokens {
				ws[i] = ner.ClusterKey(t.Text)
			}
			out = append(out, ws)
		}
	}
	files, _ := filepath.Glob(filepath.Join(data, "corpus", "reuters21578", "reut2-*.sgm.gz"))
	if len(files) == 0 {
		return nil, fmt.Errorf("no Reuters-21578 files in %s", data)
	}
	slices.Sort(files)
	for _, p := range files {
		b, err := readGzip(p)
		if err != nil {
			return nil, err
		}
		for _, m := range reBody.FindAllSubmatch(b, -1) {
			addText(html.UnescapeString(string(m[1])))
		}
	}
	zr, err := zip.OpenReader(filepath.Join(data, "sections", "bbc", "bbc-dev.zip"))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	files = files[:0]
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".txt") {
			files = append(files, f.Name)
			byName[f.Name] = f
		}
	}
	slices.Sort(files)
	for _, name := range files {
		rc, err := byName[name].Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		addText(string(b))
	}
	f, err := os.Open(filepath.Join(data, "ner", "conll2003", "eng.train"))
	if err != nil {
		return nil, err
	}
	conll, err := ner.ReadCoNLL(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	gmb, err := ner.ReadGMBZip(filepath.Join(data, "ner", "gmb", "ner_dataset.csv.zip"))
	if err != nil {
		return nil, err
	}
	gmbTrain, _ := ner.SplitGMB(gmb)
	for _, s := range append(conll, gmbTrain...) {
		ws := make([]string, len(s.Words))
		for i, w := range s.Words {
			ws[i] = ner.ClusterKey(w)
		}
		out = append(out, ws)
	}
	return out, nil
}

func readGzip(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return b, nil
}
