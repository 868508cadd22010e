package ner

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Sentence is one labelled sentence: Words and their IOB2 Labels
// ("O", "B-PER", "I-PER", ...), of equal length.
type Sentence struct {
	Words  []string
	Labels []string
	// Domain names the annotation convention ("conll", "gmb"); Train
	// learns a copy of every feature per domain besides the shared one.
	Domain string
}

// ReadCoNLL reads CoNLL-2003 data: one token a line, the word in the first
// column and its IOB label in the last, sentences separated by blank lines;
// -DOCSTART- lines are skipped. IOB1 labels are converted to IOB2.
func ReadCoNLL(r io.Reader) ([]Sentence, error) {
	var out []Sentence
	var cur Sentence
	flush := func() {
		if len(cur.Words) > 0 {
			cur.Labels = toIOB2(cur.Labels)
			cur.Domain = "conll"
			out = append(out, cur)
		}
		cur = Sentence{}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			flush()
			continue
		}
		if f[0] == "-DOCSTART-" {
			flush()
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("conll line %d: %d columns, want at least 2", line, len(f))
		}
		cur.Words = append(cur.Words, f[0])
		cur.Labels = append(cur.Labels, f[len(f)-1])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read conll: %w", err)
	}
	flush()
	return out, nil
}

// toIOB2 rewrites an I-X that starts an entity as B-X.
func toIOB2(labels []string) []string {
	prev := "O"
	for i, l := range labels {
		if strings.HasPrefix(l, "I-") && (prev == "O" || prev[2:] != l[2:]) {
			labels[i] = "B-" + l[2:]
		}
		prev = labels[i]
	}
	return labels
}

// gmbTitles are words the GMB annotators put at the head of person names
// ("President Bush", "Mr. Smith") and CoNLL leaves outside them.
var gmbTitles = map[string]bool{
	"mr.": true, "mrs.": true, "ms.": true, "dr.": true, "mr": true, "mrs": true, "ms": true, "dr": true,
	"president": true, "prime": true, "minister": true, "secretary": true, "general": true, "gen.": true,
	"chancellor": true, "senator": true, "sen.": true, "king": true, "queen": true, "prince": true, "princess": true,
	"pope": true, "governor": true, "gov.": true, "vice": true, "foreign": true, "defense": true, "defence": true,
	"interior": true, "finance": true, "chairman": true, "leader": true, "ambassador": true, "envoy": true,
	"spokesman": true, "spokeswoman": true, "commander": true, "lieutenant": true, "colonel": true, "col.": true,
	"judge": true, "justice": true, "cardinal": true, "archbishop": true, "bishop": true, "sheikh": true,
	"ayatollah": true, "representative": true, "rep.": true, "congressman": true, "premier": true, "former": true,
	"presidential": true, "candidate": true, "opposition": true, "chief": true, "deputy": true, "u.s.": true,
	"mayor": true, "captain": true, "sergeant": true, "major": true, "admiral": true, "rev.": true, "reverend": true,
	"first": true, "lady": true, "crown": true, "emperor": true, "sir": true, "lord": true, "dame": true,
}

// ReadGMB reads the Kaggle edition of the Groningen Meaning Bank
// (ner_dataset.csv, already decoded from Latin-1 to UTF-8) and maps its
// tags onto CoNLL's: per → PER (without leading titles such as "President"
// or "Mr."), org → ORG, geo → LOC, gpe → LOC for proper nouns and MISC for
// adjectives and plurals (nationalities, as CoNLL has them), art, eve, nat →
// MISC, tim → O.
func ReadGMB(r io.Reader) ([]Sentence, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var out []Sentence
	var cur Sentence
	flush := func() {
		if len(cur.Words) > 0 {
			cur.Labels = toIOB2(stripTitles(cur.Words, cur.Labels))
			cur.Domain = "gmb"
			out = append(out, cur)
		}
		cur = Sentence{}
	}
	header := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read gmb: %w", err)
		}
		if header {
			header = false
			continue
		}
		if len(rec) < 4 {
			return nil, fmt.Errorf("read gmb: record %q has %d fields, want 4", rec, len(rec))
		}
		if strings.HasPrefix(rec[0], "Sentence:") {
			flush()
		}
		word, pos, tag := rec[1], rec[2], rec[3]
		cur.Words = append(cur.Words, word)
		cur.Labels = append(cur.Labels, mapGMB(tag, pos))
	}
	flush()
	return out, nil
}

func mapGMB(tag, pos string) string {
	if tag == "O" || len(tag) < 3 {
		return "O"
	}
	prefix, typ := tag[:2], tag[2:]
	switch typ {
	case "per":
		return prefix + "PER"
	case "org":
		return prefix + "ORG"
	case "geo":
		return prefix + "LOC"
	case "gpe":
		if pos == "NNP" {
			return prefix + "LOC"
		}
		return prefix + "MISC"
	case "art", "eve", "nat":
		return prefix + "MISC"
	}
	return "O"
}

// stripTitles moves titles at the head of PER spans outside the span.
func stripTitles(words, labels []string) []string {
	for i := 0; i < len(labels); i++ {
		if labels[i] != "B-PER" {
			continue
		}
		j := i
		for j < len(labels) && (j == i || labels[j] == "I-PER") && gmbTitles[strings.ToLower(words[j])] {
			j++
		}
		if j == i {
			continue
		}
		for k := i; k < j; k++ {
			labels[k] = "O"
		}
		if j < len(labels) && labels[j] == "I-PER" {
			labels[j] = "B-PER"
		}
		i = j
	}
	return labels
}

// SplitGMB splits GMB sentences into the nine tenths used for training and
// the contiguous last tenth held out for evaluation (contiguous, so the
// held-out documents share no sentence with the training part).
func SplitGMB(sents []Sentence) (train, test []Sentence) {
	cut := len(sents) - len(sents)/10
	return sents[:cut:cut], sents[cut:]
}

// ReadGMBZip reads GMB's Latin-1 ner_dataset.csv from its zip archive at
// path with ReadGMB.
func ReadGMBZip(path string) ([]Sentence, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("read gmb: %w", err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var sb strings.Builder
		sb.Grow(len(raw))
		for _, c := range raw {
			sb.WriteRune(rune(c)) // Latin-1 bytes are the first 256 code points
		}
		s, err := ReadGMB(strings.NewReader(sb.String()))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("read gmb %s: no csv file", path)
}
