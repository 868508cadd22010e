// Command train builds the section classifier of enrich/section from the
// BBC News data set and writes it gzipped:
//
//	go run ./enrich/section/train -data ../shared/data -out enrich/section/model.bin.gz
//
// Four fifths of each section train it; the held-out fifth (see
// section.ReadBBC) is only scored. The output is deterministic.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/taglines/taglines/enrich/section"
)

func main() {
	data := flag.String("data", "../shared/data", "folder of the shared data sets")
	out := flag.String("out", "enrich/section/model.bin.gz", "model file to write")
	var o section.TrainOptions
	flag.IntVar(&o.Epochs, "epochs", 0, "SGD passes (0: the package default)")
	flag.Float64Var(&o.Rate, "rate", 0, "learning rate (0: the package default)")
	flag.Float64Var(&o.L2, "l2", 0, "weight decay (0: the package default)")
	flag.IntVar(&o.MinCount, "min-count", 0, "drop terms in fewer documents (0: the package default)")
	flag.IntVar(&o.MinBigram, "min-bigram", 3, "drop bigrams in fewer documents")
	flag.BoolVar(&o.TFIDF, "tfidf", true, "weigh terms by sublinear tf-idf instead of presence")
	tune := flag.Bool("tune", false, "score a grid of options by 5-fold cross-validation on the training part only, and write nothing")
	flag.Parse()
	if *tune {
		if err := tuneGrid(*data); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(*data, *out, o); err != nil {
		log.Fatal(err)
	}
}

func readBBC(data string) (train, test []section.Doc, err error) {
	p := filepath.Join(data, "sections", "bbc", "bbc-dev.zip")
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	return section.ReadBBC(f, st.Size())
}

// tuneGrid prints the 5-fold cross-validated accuracy of each option set
// on the training part; the held-out part is not read.
func tuneGrid(data string) error {
	train, _, err := readBBC(data)
	if err != nil {
		return err
	}
	var grid []section.TrainOptions
	for _, tfidf := range []bool{false, true} {
		for _, mb := range []int{2, 3, 5} {
			for _, l2 := range []float64{1e-6, 1e-5} {
				for _, ep := range []int{15, 30} {
					grid = append(grid, section.TrainOptions{TFIDF: tfidf, MinBigram: mb, L2: l2, Epochs: ep})
				}
			}
		}
	}
	for _, o := range grid {
		correct := 0
		for fold := range 5 {
			var tr, te []section.Doc
			for i, d := range train {
				if i%5 == fold {
					te = append(te, d)
				} else {
					tr = append(tr, d)
				}
			}
			k, err := section.Train(tr, o)
			if err != nil {
				return err
			}
			for _, d := range te {
				if k.Classify(d.Text).Name == d.Section {
					correct++
				}
			}
		}
		fmt.Printf("tfidf=%v min-bigram=%d l2=%g epochs=%d: cross-validated accuracy %.4f (%d/%d)\n",
			o.TFIDF, o.MinBigram, o.L2, o.Epochs, float64(correct)/float64(len(train)), correct, len(train))
	}
	return nil
}

func run(data, out string, o section.TrainOptions) error {
	train, test, err := readBBC(data)
	if err != nil {
		return err
	}
	k, err := section.Train(train, o)
	if err != nil {
		return err
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
	correct := 0
	for _, d := range test {
		if k.Classify(d.Text).Name == d.Section {
			correct++
		}
	}
	fmt.Printf("wrote %s (%d bytes); %d training, %d held-out articles; held-out accuracy %.4f\n",
		out, buf.Len(), len(train), len(test), float64(correct)/float64(len(test)))
	return nil
}
