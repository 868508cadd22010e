package dedup

import (
	"fmt"
	"math"
)

// PairScores compares a predicted partition of items with the true one,
// counting pairs of items: a pair is positive when both items are in one
// group. NMI is the normalised mutual information of the two partitions
// (arithmetic-mean normalisation), 1 for identical partitions.
type PairScores struct {
	Items                        int
	TruePairs, PredPairs, Common int64
	Precision, Recall, F1, NMI   float64
}

// String formats the scores on one line.
func (s PairScores) String() string {
	return fmt.Sprintf("items %d  pairs true %d predicted %d common %d  precision %.4f  recall %.4f  F1 %.4f  NMI %.4f",
		s.Items, s.TruePairs, s.PredPairs, s.Common, s.Precision, s.Recall, s.F1, s.NMI)
}

// ScorePairs scores the predicted groups pred against the true groups
// truth, where truth[i] and pred[i] label item i. Labels only need to be
// comparable. It panics if the slices differ in length. Precision (or
// recall) is 1 when no pair is predicted (or true).
func ScorePairs[T, P comparable](truth []T, pred []P) PairScores {
	if len(truth) != len(pred) {
		panic(fmt.Sprintf("dedup.ScorePairs: %d true labels, %d predicted", len(truth), len(pred)))
	}
	type cell struct {
		t T
		p P
	}
	nt, np, nc := map[T]int64{}, map[P]int64{}, map[cell]int64{}
	for i := range truth {
		nt[truth[i]]++
		np[pred[i]]++
		nc[cell{truth[i], pred[i]}]++
	}
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	s := PairScores{Items: len(truth)}
	for _, n := range nt {
		s.TruePairs += pairs(n)
	}
	for _, n := range np {
		s.PredPairs += pairs(n)
	}
	for _, n := range nc {
		s.Common += pairs(n)
	}
	s.Precision, s.Recall = 1, 1
	if s.PredPairs > 0 {
		s.Precision = float64(s.Common) / float64(s.PredPairs)
	}
	if s.TruePairs > 0 {
		s.Recall = float64(s.Common) / float64(s.TruePairs)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}

	n := float64(len(truth))
	if n == 0 {
		s.NMI = 1
		return s
	}
	entropy := func(counts []int64) float64 {
		var h float64
		for _, c := range counts {
			p := float64(c) / n
			h -= p * math.Log(p)
		}
		return h
	}
	var ct, cp []int64
	for _, c := range nt {
		ct = append(ct, c)
	}
	for _, c := range np {
		cp = append(cp, c)
	}
	ht, hp := entropy(ct), entropy(cp)
	var mi float64
	for k, c := range nc {
		pij := float64(c) / n
		mi += pij * math.Log(pij*n*n/(float64(nt[k.t])*float64(np[k.p])))
	}
	switch {
	case ht+hp == 0:
		s.NMI = 1
	default:
		s.NMI = 2 * mi / (ht + hp)
	}
	return s
}
