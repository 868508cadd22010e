package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/enrich/ner"
	"github.com/taglines/taglines/enrich/section"
)

// TagOptions say where Tag finds its data sets.
type TagOptions struct {
	Data string // the folder of the shared data sets: ner/conll2003, ner/gmb, sections/bbc
}

// Tag scores entity recognition (CoNLL-2003 eng.testa and the GMB
// held-out tenth) and sections (the held-out BBC fifth) and measures the
// load times of the models and the speed of the tagger, writing each
// figure to w as it is measured. The speed runs on one core: it sets
// GOMAXPROCS to 1 while it runs.
func Tag(w io.Writer, opts TagOptions) error {
	start := time.Now()
	model, err := ner.LoadShipped()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "entity model load: %.0f ms\n", time.Since(start).Seconds()*1000)
	start = time.Now()
	if _, err := section.Default(); err != nil {
		return err
	}
	fmt.Fprintf(w, "section model load: %.0f ms\n\n", time.Since(start).Seconds()*1000)

	f, err := os.Open(filepath.Join(opts.Data, "ner", "conll2003", "eng.testa"))
	if err != nil {
		return err
	}
	testa, err := ner.ReadCoNLL(f)
	f.Close()
	if err != nil {
		return err
	}
	gmb, err := ner.ReadGMBZip(filepath.Join(opts.Data, "ner", "gmb", "ner_dataset.csv.zip"))
	if err != nil {
		return err
	}
	_, gmbTest := ner.SplitGMB(gmb)
	for _, set := range []struct {
		name  string
		sents []ner.Sentence
	}{{"CoNLL-2003 eng.testa", testa}, {"GMB held-out tenth", gmbTest}} {
		fmt.Fprintf(w, "entities, %s (%d sentences), exact span and type:\n", set.name, len(set.sents))
		ner.Evaluate(model, set.sents).Write(w)
	}
	fmt.Fprintf(w, "GMB held-out tenth with the model's GMB-convention weights (domain gmb):\n")
	s := ner.Evaluate(model.WithDomain("gmb"), gmbTest)
	t := s.Total("PER", "LOC", "ORG")
	fmt.Fprintf(w, "  PER+LOC+ORG    P %.4f  R %.4f  F1 %.4f\n\n", t.Precision(), t.Recall(), t.F1())

	if err := tagSections(w, opts.Data); err != nil {
		return err
	}
	tagSpeed(w, model, testa)
	return nil
}

// tagSections scores the section model on the held-out BBC fifth.
func tagSections(w io.Writer, data string) error {
	p := filepath.Join(data, "sections", "bbc", "bbc-dev.zip")
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_, test, err := section.ReadBBC(f, st.Size())
	if err != nil {
		return err
	}
	k, err := section.Default()
	if err != nil {
		return err
	}
	type pr struct{ tp, fp, fn int }
	per := map[string]*pr{}
	for _, name := range k.Sections() {
		per[name] = &pr{}
	}
	correct := 0
	for _, d := range test {
		got := k.Classify(d.Text).Name
		if got == d.Section {
			correct++
			per[got].tp++
		} else {
			per[got].fp++
			per[d.Section].fn++
		}
	}
	macro := 0.0
	for _, name := range k.Sections() {
		x := per[name]
		macro += tagRatio(2*x.tp, 2*x.tp+x.fp+x.fn)
	}
	macro /= float64(len(per))
	fmt.Fprintf(w, "sections, held-out BBC fifth (%d articles): accuracy %.4f, macro-F1 %.4f\n\n",
		len(test), float64(correct)/float64(len(test)), macro)
	return nil
}

func tagRatio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// tagSpeed measures tokens/s of the entity model and the full per-article
// cost of the Tagger on one core.
func tagSpeed(w io.Writer, model *ner.Model, sents []ner.Sentence) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	tokens := 0
	start := time.Now()
	for _, s := range sents {
		model.Labels(s.Words)
		tokens += len(s.Words)
	}
	el := time.Since(start)
	fmt.Fprintf(w, "entity model speed (GOMAXPROCS=1): %d tokens in %.2fs = %.0f tokens/s\n", tokens, el.Seconds(), float64(tokens)/el.Seconds())

	tagger, err := enrich.NewTagger(enrich.Options{NER: model})
	if err != nil {
		fmt.Fprintf(w, "tagger: %v\n", err)
		return
	}
	// Articles of about 600 words built from consecutive eng.testa sentences.
	var arts []enrich.Article
	var text []byte
	words := 0
	for _, s := range sents {
		for _, wd := range s.Words {
			text = append(text, wd...)
			text = append(text, ' ')
		}
		text = append(text, '\n')
		words += len(s.Words)
		if words >= 600 {
			arts = append(arts, enrich.Article{Title: s.Words[0], Text: string(text), Lang: ""})
			text, words = nil, 0
		}
	}
	start = time.Now()
	for _, a := range arts {
		tagger.Tag(a)
	}
	el = time.Since(start)
	fmt.Fprintf(w, "tagging cost (GOMAXPROCS=1): %d articles of ~600 words, %.0f µs per article (entities, aliases, salience, topics, section, language)\n",
		len(arts), float64(el.Microseconds())/float64(len(arts)))
}
