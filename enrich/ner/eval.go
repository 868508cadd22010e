package ner

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Span is an entity of a labelled token sequence: tokens [Start, End) of Type.
type Span struct {
	Start, End int
	Type       string
}

// Spans returns the entities of an IOB2 (or IOB1) label sequence the way
// conlleval reads them: an I-X that does not continue an X starts a new entity.
func Spans(labels []string) []Span {
	var out []Span
	cur := -1
	typ := ""
	for i := 0; i <= len(labels); i++ {
		l := "O"
		if i < len(labels) {
			l = labels[i]
		}
		continues := strings.HasPrefix(l, "I-") && cur >= 0 && l[2:] == typ
		if cur >= 0 && !continues {
			out = append(out, Span{cur, i, typ})
			cur = -1
		}
		if (strings.HasPrefix(l, "B-") || strings.HasPrefix(l, "I-")) && !continues {
			cur, typ = i, l[2:]
		}
	}
	return out
}

// Counts are the entity-level true positives, false positives and false
// negatives of one type.
type Counts struct{ TP, FP, FN int }

// Precision returns TP/(TP+FP), or 0 without predictions.
func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }

// Recall returns TP/(TP+FN), or 0 without gold entities.
func (c Counts) Recall() float64 { return ratio(c.TP, c.TP+c.FN) }

// F1 returns 2TP/(2TP+FP+FN), or 0 when every count is 0.
func (c Counts) F1() float64 { return ratio(2*c.TP, 2*c.TP+c.FP+c.FN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Scores are conlleval's exact span-and-type counts per entity type.
// The zero value is empty and ready to Add to.
type Scores map[string]*Counts

// Add counts the entities of one sentence.
func (s Scores) Add(gold, pred []string) {
	g := map[Span]bool{}
	for _, sp := range Spans(gold) {
		g[sp] = true
		s.get(sp.Type).FN++
	}
	for _, sp := range Spans(pred) {
		c := s.get(sp.Type)
		if g[sp] {
			c.TP++
			c.FN--
		} else {
			c.FP++
		}
	}
}

func (s Scores) get(t string) *Counts {
	c := s[t]
	if c == nil {
		c = &Counts{}
		s[t] = c
	}
	return c
}

// Total sums the counts of the given types (all types when none are given).
func (s Scores) Total(types ...string) Counts {
	var t Counts
	for typ, c := range s {
		if len(types) > 0 && !contains(types, typ) {
			continue
		}
		t.TP += c.TP
		t.FP += c.FP
		t.FN += c.FN
	}
	return t
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Write prints a conlleval-style table: one line per type in sorted order,
// then PER+LOC+ORG and all types.
func (s Scores) Write(w io.Writer) {
	types := make([]string, 0, len(s))
	for t := range s {
		types = append(types, t)
	}
	sort.Strings(types)
	line := func(name string, c Counts) {
		fmt.Fprintf(w, "  %-14s P %.4f  R %.4f  F1 %.4f  (gold %d, predicted %d)\n",
			name, c.Precision(), c.Recall(), c.F1(), c.TP+c.FN, c.TP+c.FP)
	}
	for _, t := range types {
		line(t, *s[t])
	}
	line("PER+LOC+ORG", s.Total("PER", "LOC", "ORG"))
	line("all", s.Total())
}

// Evaluate tags every sentence with m and returns its scores against the
// gold labels.
func Evaluate(m *Model, sents []Sentence) Scores {
	s := Scores{}
	for _, sent := range sents {
		s.Add(sent.Labels, m.Labels(sent.Words))
	}
	return s
}
