package ner

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestSpans(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		want   []Span
	}{
		{"iob2", []string{"B-PER", "I-PER", "O", "B-LOC"}, []Span{{0, 2, "PER"}, {3, 4, "LOC"}}},
		{"adjacent", []string{"B-PER", "B-PER"}, []Span{{0, 1, "PER"}, {1, 2, "PER"}}},
		{"stray I", []string{"O", "I-ORG", "I-ORG"}, []Span{{1, 3, "ORG"}}},
		{"type change", []string{"B-ORG", "I-LOC"}, []Span{{0, 1, "ORG"}, {1, 2, "LOC"}}},
		{"none", []string{"O"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Spans(tt.labels); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Spans(%q) = %v, want %v", tt.labels, got, tt.want)
			}
		})
	}
}

func TestDefaultModel(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string // "Type:text"
	}{
		{"Russian President Vladimir Putin spoke to Recep Tayyip Erdogan in Istanbul on Friday.",
			[]string{"MISC:Russian", "PER:Vladimir Putin", "PER:Recep Tayyip Erdogan", "LOC:Istanbul"}},
		{"Officials at Gazprom said it would cut supplies to Germany.", []string{"ORG:Gazprom", "LOC:Germany"}},
		{"It rained all day.", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range m.Entities(tt.text) {
			got = append(got, string(e.Type)+":"+e.Text)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Entities(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("Sergey Lavrov met Steve Witkoff at the United Nations in New York .")
	if a, b := m.Labels(words), m2.Labels(words); !reflect.DeepEqual(a, b) {
		t.Errorf("reloaded model labels %q, want %q", b, a)
	}
}

func TestLoadGarbage(t *testing.T) {
	for _, in := range []string{"", "TGNER01\n", "TGNER01\n\xff\xff\xff", "not a model at all"} {
		if _, err := Load(strings.NewReader(in)); !errors.Is(err, ErrBadModel) {
			t.Errorf("Load(%q) error = %v, want ErrBadModel", in, err)
		}
	}
}

// TestHeldOutF1 guards the model's quality on CoNLL eng.testa when the
// shared data is present; a retrained model must not regress.
func TestHeldOutF1(t *testing.T) {
	f, err := os.Open("../../../shared/data/ner/conll2003/eng.testa")
	if err != nil {
		t.Skip("shared data not present:", err)
	}
	defer f.Close()
	sents, err := ReadCoNLL(f)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Default()
	if f1 := Evaluate(m, sents).Total("PER", "LOC", "ORG").F1(); f1 < 0.90 {
		t.Errorf("eng.testa PER+LOC+ORG F1 = %.4f, want at least 0.90", f1)
	}
}

// BenchmarkLabels decodes eng.testa sentences with the shipped model:
//
//	go test -run '^$' -bench Labels ./enrich/ner/
func BenchmarkLabels(b *testing.B) {
	f, err := os.Open("../../../shared/data/ner/conll2003/eng.testa")
	if err != nil {
		b.Skip("shared data not present:", err)
	}
	sents, err := ReadCoNLL(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	sents = sents[:500]
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	tokens := 0
	for _, s := range sents {
		tokens += len(s.Words)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range sents {
			m.Labels(s.Words)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
