package bench

import "testing"

// TestScorePage checks the metric trafilatura defines, and the metadata
// comparisons, on one page.
func TestScorePage(t *testing.T) {
	ev := evalPage{
		With:    []string{"first  paragraph", "missing one"},
		Without: []string{"Share this", "Cookie"},
		Title:   " A  title ", Date: "2024-05-01", Author: names{"Ann Lee", "Bo Ray"},
	}
	got := extracted{text: "The first\nparagraph. Share this.", title: "A title", date: "2024-05-01", authors: []string{"Ann Lee", "Bo Ray"}}
	s := scorePage(ev, got)
	if s.tp != 1 || s.fn != 1 || s.fp != 1 || s.tn != 1 {
		t.Errorf("scorePage: tp %d fn %d fp %d tn %d, want 1 1 1 1", s.tp, s.fn, s.fp, s.tn)
	}
	if s.titleOK != 1 || s.dateOK != 1 || s.authorOK != 1 {
		t.Errorf("scorePage: title %d date %d author %d right, want 1 1 1 (%q)", s.titleOK, s.dateOK, s.authorOK, s.badMsg)
	}
	if p, r, f, a := s.metrics(); p != 0.5 || r != 0.5 || f != 0.5 || a != 0.5 {
		t.Errorf("metrics() = %v, %v, %v, %v, want 0.5 each", p, r, f, a)
	}
	got.authors = []string{"Someone Else"}
	if s := scorePage(ev, got); s.authorOK != 0 || len(s.badMsg) != 1 {
		t.Errorf("scorePage with a wrong author: %d right, %q", s.authorOK, s.badMsg)
	}
}
