package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/taglines/taglines/enrich"
	"github.com/taglines/taglines/enrich/ner"
	"github.com/taglines/taglines/enrich/section"
)

// TagOptions say where Tag finds its data sets.
type TagOptions struct {
	Data string // the folder of the shared data sets: ner/conll2003, ner/gmb, sections/bbc
	// UCI and HuffPost, when set, are the UCI News Aggregator's
	// newsCorpora.csv and News Category Dataset files (comma-separated)
	// whose held-out parts are scored too (see enrich/section/DATA.md).
	UCI, HuffPost string
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

	if err := tagSections(w, opts); err != nil {
		return err
	}
	tagSpeed(w, model, testa)
	return nil
}

// tagSections scores the section model on the held-out BBC fifth and,
// when given, on the held-out parts of the UCI and HuffPost corpora.
func tagSections(w io.Writer, opts TagOptions) error {
	p := filepath.Join(opts.Data, "sections", "bbc", "bbc-dev.zip")
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
	scoreSections(w, k, "held-out BBC fifth", "articles", test)
	if opts.UCI != "" {
		f, err := os.Open(opts.UCI)
		if err != nil {
			return err
		}
		_, test, _, err := section.ReadUCI(f)
		f.Close()
		if err != nil {
			return err
		}
		scoreSections(w, k, "UCI News Aggregator, held-out publishers (t: Technology or Science)", "headlines", test)
	}
	if opts.HuffPost != "" {
		var test []section.Doc
		for _, p := range strings.Split(opts.HuffPost, ",") {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			_, te, _, err := section.ReadHuffPost(f)
			f.Close()
			if err != nil {
				return err
			}
			test = append(test, te...)
		}
		scoreSections(w, k, "HuffPost, held-out tenth", "headlines with descriptions", test)
	}
	// Speed on the BBC's full articles, one core.
	prev := runtime.GOMAXPROCS(1)
	start := time.Now()
	for _, d := range test {
		k.Classify(d.Text)
	}
	runtime.GOMAXPROCS(prev)
	fmt.Fprintf(w, "section model speed (GOMAXPROCS=1): %.0f µs per text\n\n", time.Since(start).Seconds()*1e6/float64(max(len(test), 1)))
	return nil
}

// scoreSections writes the accuracy, the macro-F1 and the share of sure
// answers (and their accuracy) of k on docs.
func scoreSections(w io.Writer, k *section.Classifier, name, unit string, docs []section.Doc) {
	type pr struct{ tp, fp, fn int }
	per := map[string]*pr{}
	for _, name := range k.Sections() {
		per[name] = &pr{}
	}
	correct, sure, sureRight := 0, 0, 0
	for _, d := range docs {
		r := k.Classify(d.Text)
		got := r.Name
		if _, ok := per[d.Section]; !ok {
			per[d.Section] = &pr{}
		}
		right := d.Correct(got)
		if right {
			correct++
			per[d.Section].tp++
		} else {
			per[got].fp++
			per[d.Section].fn++
		}
		if r.Confidence >= enrich.SureSection {
			sure++
			if right {
				sureRight++
			}
		}
	}
	macro, n := 0.0, 0
	for _, x := range per {
		if x.tp+x.fn > 0 {
			macro += tagRatio(2*x.tp, 2*x.tp+x.fp+x.fn)
			n++
		}
	}
	fmt.Fprintf(w, "sections, %s (%d %s): accuracy %.4f, macro-F1 %.4f; sure (≥ %.1f) of %.1f%%, accuracy there %.4f\n",
		name, len(docs), unit, tagRatio(correct, len(docs)), macro/float64(max(n, 1)),
		enrich.SureSection, 100*tagRatio(sure, len(docs)), tagRatio(sureRight, sure))
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
