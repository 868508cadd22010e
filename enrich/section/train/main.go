// Command train builds the section classifier of enrich/section and writes
// it gzipped:
//
//	go run ./enrich/section/train -data ../shared/data \
//	    -uci newsCorpora.csv -huffpost News_Category_Dataset_v3.json,News_Category_Dataset_v2.json \
//	    -out enrich/section/model.bin.gz
//
// It learns from several publishers: the BBC News data set's full articles
// (four fifths of each section; section.ReadBBC), the UCI News
// Aggregator's headlines from some 11,000 publishers (all but one
// publisher in ten; section.ReadUCI) and HuffPost's headlines and short
// descriptions (nine lines in ten; section.ReadHuffPost), which alone have
// World, Science and Health. Each corpus gives at most -cap examples a
// section, so that no corpus's style drowns the others. The held-out parts
// are only scored, once, after training; -tune chooses options on a
// validation slice of the training parts instead. The output is
// deterministic. Where each file comes from, with its checksum, is in
// enrich/section/DATA.md.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/taglines/taglines/enrich/section"
)

func main() {
	data := flag.String("data", "../shared/data", "folder of the shared data sets (BBC)")
	uci := flag.String("uci", "", "the UCI News Aggregator's newsCorpora.csv (optional)")
	huff := flag.String("huffpost", "", "comma-separated News Category Dataset JSON-lines files (optional)")
	out := flag.String("out", "enrich/section/model.bin.gz", "model file to write")
	limit := flag.Int("cap", 6000, "most training examples a section takes from one corpus")
	var o section.TrainOptions
	flag.IntVar(&o.Epochs, "epochs", 0, "SGD passes (0: the package default)")
	flag.Float64Var(&o.Rate, "rate", 0, "learning rate (0: the package default)")
	flag.Float64Var(&o.L2, "l2", 0, "weight decay (0: the package default)")
	flag.IntVar(&o.MinCount, "min-count", 0, "drop terms in fewer documents (0: the package default)")
	flag.IntVar(&o.MinBigram, "min-bigram", 3, "drop bigrams in fewer documents")
	flag.BoolVar(&o.TFIDF, "tfidf", true, "weigh terms by sublinear tf-idf instead of presence")
	flag.Float64Var(&o.Balance, "balance", 0.5, "weigh examples by (N/(C·n))^balance to even the sections out")
	flag.IntVar(&huffCap, "huffpost-cap", 6000, "most training examples a section takes from HuffPost, whose politics is American and plentiful")
	flag.Float64Var(&expertWeight, "expert", 4, "weight, for a text of 400 words or more, of a BBC-only model of full articles in the product with the model of all corpora (0: none)")
	flag.IntVar(&bbcRepeat, "bbc-repeat", 6, "how many times the BBC's full articles count, against the corpora of headlines")
	verbose = flag.Bool("v", false, "with -tune, print the errors by section")
	cv := flag.Bool("cv-expert", false, "print the 5-fold cross-validated accuracy on the BBC training part of several expert weights, and write nothing")
	tune := flag.Bool("tune", false, "score a grid of options on a validation slice of the training parts, and write nothing")
	flag.Parse()
	sets, err := readAll(*data, *uci, *huff)
	if err != nil {
		log.Fatal(err)
	}
	if *tune {
		tuneGrid(sets, o)
		return
	}
	if *cv {
		cvExpert(sets, *limit, o)
		return
	}
	if err := run(sets, *out, *limit, o); err != nil {
		log.Fatal(err)
	}
}

var (
	verbose   *bool
	bbcRepeat int
	huffCap   int

	expertWeight float64
)

// capFor returns the cap of a corpus.
func capFor(c corpus, limit int) int {
	if c.name == "huffpost" {
		return min(limit, huffCap)
	}
	return limit
}

// weighted returns a corpus's training documents as many times as they
// count.
func weighted(c corpus, docs []section.Doc) []section.Doc {
	if c.name != "bbc" {
		return docs
	}
	var out []section.Doc
	for range max(bbcRepeat, 1) {
		out = append(out, docs...)
	}
	return out
}

// corpus is one data set's training and held-out parts.
type corpus struct {
	name        string
	train, test []section.Doc
}

func readAll(data, uci, huff string) ([]corpus, error) {
	var sets []corpus
	p := filepath.Join(data, "sections", "bbc", "bbc-dev.zip")
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	tr, te, err := section.ReadBBC(f, st.Size())
	if err != nil {
		return nil, err
	}
	sets = append(sets, corpus{"bbc", tr, te})
	if uci != "" {
		f, err := os.Open(uci)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		tr, te, skipped, err := section.ReadUCI(f)
		if err != nil {
			return nil, err
		}
		if skipped > 0 {
			log.Printf("%s: %d lines skipped", uci, skipped)
		}
		sets = append(sets, corpus{"uci", tr, te})
	}
	if huff != "" {
		var c corpus
		c.name = "huffpost"
		for _, p := range strings.Split(huff, ",") {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			tr, te, skipped, err := section.ReadHuffPost(f)
			if err != nil {
				return nil, err
			}
			if skipped > 0 {
				log.Printf("%s: %d lines skipped", p, skipped)
			}
			c.train, c.test = append(c.train, tr...), append(c.test, te...)
		}
		sets = append(sets, c)
	}
	return sets, nil
}

// capped returns at most limit documents a section of docs, in their
// order: deterministic, and spread over the file when it is sorted by time
// (the stride).
func capped(docs []section.Doc, limit int) []section.Doc {
	n := map[string]int{}
	for _, d := range docs {
		n[d.Section]++
	}
	seen := map[string]int{}
	var out []section.Doc
	for _, d := range docs {
		i := seen[d.Section]
		seen[d.Section]++
		stride := (n[d.Section] + limit - 1) / limit
		if stride < 1 {
			stride = 1
		}
		if i%stride == 0 {
			out = append(out, d)
		}
	}
	return out
}

// accuracy returns the share of docs k classifies right.
func accuracy(k *section.Classifier, docs []section.Doc) float64 {
	if len(docs) == 0 {
		return 0
	}
	right := 0
	for _, d := range docs {
		if d.Correct(k.Classify(d.Text).Name) {
			right++
		}
	}
	return float64(right) / float64(len(docs))
}

// tuneGrid trains on nine tenths of each training part and prints the
// accuracy on the tenth left, per corpus; the held-out parts are not read.
func tuneGrid(sets []corpus, base section.TrainOptions) {
	for _, limit := range []int{6000} {
		for _, bal := range []float64{0.5} {
			o := base
			o.Balance = bal
			var tr []section.Doc
			val := map[string][]section.Doc{}
			for _, c := range sets {
				for i, d := range c.train {
					if i%10 == 3 {
						val[c.name] = append(val[c.name], d)
					}
				}
				var rest []section.Doc
				for i, d := range c.train {
					if i%10 != 3 {
						rest = append(rest, d)
					}
				}
				tr = append(tr, weighted(c, capped(rest, capFor(c, limit)))...)
			}
			wide, err := section.Train(tr, o)
			if err != nil {
				log.Fatal(err)
			}
			var bbcRest []section.Doc
			for i, d := range sets[0].train {
				if i%10 != 3 {
					bbcRest = append(bbcRest, d)
				}
			}
			expert, err := section.Train(bbcRest, o)
			if err != nil {
				log.Fatal(err)
			}
			var k *section.Classifier
			for _, ew := range []float64{0, 4, 8} {
				k = wide.WithExpert(expert, ew)
				fmt.Printf("cap=%d balance=%g expert=%g:", limit, bal, ew)
				for _, c := range sets {
					fmt.Printf(" %s %.4f", c.name, accuracy(k, val[c.name]))
				}
				fmt.Println()
			}
			if *verbose {
				for _, c := range sets {
					confusion := map[string]int{}
					for _, d := range val[c.name] {
						if got := k.Classify(d.Text).Name; !d.Correct(got) {
							confusion[d.Section+" as "+got]++
						}
					}
					fmt.Printf("  %s errors: %v\n", c.name, confusion)
				}
			}
		}
	}
}

func run(sets []corpus, out string, limit int, o section.TrainOptions) error {
	var train []section.Doc
	for _, c := range sets {
		train = append(train, weighted(c, capped(c.train, capFor(c, limit)))...)
	}
	k, err := section.Train(train, o)
	if err != nil {
		return err
	}
	if expertWeight > 0 && len(sets) > 1 {
		expert, err := section.Train(sets[0].train, o)
		if err != nil {
			return err
		}
		k = k.WithExpert(expert, expertWeight)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := k.Write(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	// Score what ships: the model as loaded back.
	zr, err := gzip.NewReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return err
	}
	if k, err = section.Load(zr); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes); %d training examples; sections %s\n", out, buf.Len(), len(train), strings.Join(k.Sections(), ", "))
	for _, c := range sets {
		fmt.Printf("held-out %s: %d examples, accuracy %.4f\n", c.name, len(c.test), accuracy(k, c.test))
	}
	return nil
}

// cvExpert cross-validates the expert's weight on the BBC's full articles:
// each fifth of the BBC training part is scored by models trained without
// it (the other corpora whole). The held-out parts are not read.
func cvExpert(sets []corpus, limit int, o section.TrainOptions) {
	weights := []float64{0, 0.5, 1, 2, 4}
	right := make([]int, len(weights))
	n := 0
	for fold := range 5 {
		var tr, bbcRest, val []section.Doc
		for i, d := range sets[0].train {
			if i%5 == fold {
				val = append(val, d)
			} else {
				bbcRest = append(bbcRest, d)
			}
		}
		tr = append(tr, weighted(sets[0], bbcRest)...)
		for _, c := range sets[1:] {
			tr = append(tr, weighted(c, capped(c.train, capFor(c, limit)))...)
		}
		wide, err := section.Train(tr, o)
		if err != nil {
			log.Fatal(err)
		}
		expert, err := section.Train(bbcRest, o)
		if err != nil {
			log.Fatal(err)
		}
		for j, w := range weights {
			k := wide.WithExpert(expert, w)
			for _, d := range val {
				if d.Correct(k.Classify(d.Text).Name) {
					right[j]++
				}
			}
		}
		n += len(val)
	}
	for j, w := range weights {
		fmt.Printf("expert=%g: BBC cross-validated accuracy %.4f (%d/%d)\n", w, float64(right[j])/float64(n), right[j], n)
	}
}
