package query

import (
	"strings"
	"testing"
)

// countIn agrees with Positions on the split field, for words, phrases,
// prefixes, overlaps and boundaries.
func TestCountIn(t *testing.T) {
	fields := []string{"", "a", "a a a", "ab a b ab", "prime minist prime minist met", "minist prime", "aa a aaa a"}
	terms := []*Term{
		{Terms: []string{"a"}}, {Terms: []string{"a", "a"}}, {Terms: []string{"ab"}}, {Terms: []string{"a"}, Prefix: true},
		{Terms: []string{"prime", "minist"}}, {Terms: []string{"minist"}}, {Terms: []string{"prime", "min"}, Prefix: true},
		{Terms: []string{"aa"}}, {},
	}
	for _, f := range fields {
		var split []string
		if f != "" {
			split = strings.Split(f, " ")
		}
		if got := termCount(f); got != len(split) {
			t.Errorf("termCount(%q) = %d, want %d", f, got, len(split))
		}
		for _, tm := range terms {
			if got, want := tm.countIn(f), len(tm.Positions(split, -1)); got != want {
				t.Errorf("%v.countIn(%q) = %d, Positions finds %d", tm.Terms, f, got, want)
			}
		}
	}
}
