package main

import (
	"log"
	"math"
	"slices"
)

// exchange clusters the vocabulary (ids 0..len(vocab)-1, most frequent
// first) into p.classes classes maximising the likelihood of a class
// bigram model, by the exchange algorithm (Martin, Liermann and Ney, 1998):
// each word in turn moves to the class that raises the likelihood most.
// Words outside the vocabulary and the sentence boundaries are kept in
// classes of their own. It returns each word's class and the class bigram
// counts.
func exchange(sents [][]int32, vocab int, p params) (class []int32, big [][]int64) {
	C := p.classes
	unk, bos, eos := int32(vocab), int32(vocab+1), int32(vocab+2)
	K := C + 3
	// Word bigram counts, both ways, as sorted adjacency lists.
	type edge struct {
		v int32
		n int32
	}
	right := make([]map[int32]int32, vocab+3)
	for i := range right {
		right[i] = map[int32]int32{}
	}
	for _, s := range sents {
		prev := bos
		for _, w := range append(s, eos) {
			right[prev][w]++
			prev = w
		}
	}
	rightE := make([][]edge, vocab+3)
	leftE := make([][]edge, vocab+3)
	for u := range right {
		keys := make([]int32, 0, len(right[u]))
		for v := range right[u] {
			keys = append(keys, v)
		}
		slices.Sort(keys)
		for _, v := range keys {
			n := right[u][v]
			rightE[u] = append(rightE[u], edge{v, n})
			leftE[v] = append(leftE[v], edge{int32(u), n})
		}
		right[u] = nil
	}
	class = make([]int32, vocab+3)
	for w := range vocab {
		class[w] = int32(w % C) // the C most frequent words start alone
	}
	class[unk], class[bos], class[eos] = int32(C), int32(C+1), int32(C+2)
	big = make([][]int64, K)
	for i := range big {
		big[i] = make([]int64, K)
	}
	nl := make([]int64, K) // class as the left of a bigram
	nr := make([]int64, K)
	wl := make([]int64, vocab+3)
	wr := make([]int64, vocab+3)
	for u, es := range rightE {
		for _, e := range es {
			big[class[u]][class[e.v]] += int64(e.n)
			nl[class[u]] += int64(e.n)
			nr[class[e.v]] += int64(e.n)
			wl[u] += int64(e.n)
			wr[e.v] += int64(e.n)
		}
	}
	// f(x) = x log x, tabulated for small counts.
	table := make([]float64, 1<<20)
	for i := 1; i < len(table); i++ {
		table[i] = float64(i) * math.Log(float64(i))
	}
	f := func(x int64) float64 {
		if x < int64(len(table)) {
			return table[x]
		}
		return float64(x) * math.Log(float64(x))
	}
	R := make([]int64, K)
	L := make([]int64, K)
	var rs, ls []int32 // classes with R or L non-zero
	gain := make([]float64, C)
	for iter := range p.iters {
		moved := 0
		for w := range int32(vocab) {
			a := class[w]
			var self int64
			rs, ls = rs[:0], ls[:0]
			for _, e := range rightE[w] {
				if e.v == w {
					self += int64(e.n)
					continue
				}
				c := class[e.v]
				if R[c] == 0 {
					rs = append(rs, c)
				}
				R[c] += int64(e.n)
			}
			for _, e := range leftE[w] {
				if e.v == w {
					continue
				}
				c := class[e.v]
				if L[c] == 0 {
					ls = append(ls, c)
				}
				L[c] += int64(e.n)
			}
			// Take w out of a.
			for _, c := range rs {
				big[a][c] -= R[c]
			}
			for _, c := range ls {
				big[c][a] -= L[c]
			}
			big[a][a] -= self
			nl[a] -= wl[w]
			nr[a] -= wr[w]
			// The gain of putting it into each class b.
			for b := range int32(C) {
				g := 0.0
				for _, c := range rs {
					if c != b {
						g += f(big[b][c]+R[c]) - f(big[b][c])
					}
				}
				for _, c := range ls {
					if c != b {
						g += f(big[c][b]+L[c]) - f(big[c][b])
					}
				}
				g += f(big[b][b]+R[b]+L[b]+self) - f(big[b][b])
				g -= f(nl[b]+wl[w]) - f(nl[b])
				g -= f(nr[b]+wr[w]) - f(nr[b])
				gain[b] = g
			}
			best := a
			for b := range int32(C) {
				if gain[b] > gain[best]+1e-9 {
					best = b
				}
			}
			for _, c := range rs {
				big[best][c] += R[c]
			}
			for _, c := range ls {
				big[c][best] += L[c]
			}
			big[best][best] += self
			nl[best] += wl[w]
			nr[best] += wr[w]
			if best != a {
				class[w] = best
				moved++
				// Bigrams of w with itself moved with it; those with words
				// of class a or best are already counted by R and L.
			}
			for _, c := range rs {
				R[c] = 0
			}
			for _, c := range ls {
				L[c] = 0
			}
		}
		log.Printf("exchange iteration %d: %d words moved", iter+1, moved)
		if moved == 0 {
			break
		}
	}
	return class[:vocab], big
}

// brown clusters the vocabulary words (most frequent first, id their
// index) with exchange, then arranges the classes in a binary hierarchy by
// divisive 2-means over their bigram profiles; a word's path is its class's.
func brown(sents [][]string, vocab []string, id map[string]int32, p params) map[string]string {
	unk := int32(len(vocab))
	ids := make([][]int32, len(sents))
	for i, s := range sents {
		ids[i] = make([]int32, len(s))
		for j, w := range s {
			if k, ok := id[w]; ok {
				ids[i][j] = k
			} else {
				ids[i][j] = unk
			}
		}
	}
	class, big := exchange(ids, len(vocab), p)
	K := len(big)
	counts := make([]map[int32]float64, p.classes)
	for c := range counts {
		counts[c] = map[int32]float64{}
		for d := range K {
			if n := big[c][d]; n > 0 {
				counts[c][int32(d)] = float64(n)
			}
			if n := big[d][c]; n > 0 {
				counts[c][int32(K+d)] = float64(n)
			}
		}
	}
	vecs := ppmi(counts, 2*K)
	size := make([]float64, p.classes)
	for _, c := range class {
		size[c]++
	}
	weight := make([]float32, p.classes)
	members := make([]int32, 0, p.classes)
	for c := range p.classes {
		weight[c] = float32(math.Sqrt(float64(size[c]) + 1))
		if size[c] > 0 {
			members = append(members, int32(c))
		}
	}
	// Most populous classes first, as split expects.
	slices.SortStableFunc(members, func(a, b int32) int { return int(size[b] - size[a]) })
	paths := make([]string, p.classes)
	q := p
	q.minSize = 2
	split(vecs, weight, members, "", paths, 2*K, q)
	out := make(map[string]string, len(vocab))
	for w, c := range class {
		out[vocab[w]] = paths[c]
	}
	return out
}
