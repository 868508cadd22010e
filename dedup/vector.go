package dedup

import (
	"math"
	"slices"
)

// Term is one weighted word of an article's or a story's vector. Key is
// the word's term key (the key the index files the article under), Weight
// its tf-idf weight. Name marks the word of a specific entity (a person or
// an organisation the article is tagged with, see Document.Names): a
// story's articles share one (sharesName).
type Term struct {
	Key    uint64
	Weight float32
	Name   bool
}

// Vector is a sparse term vector sorted by Key, with no repeated keys.
type Vector []Term

// Dot returns the dot product of two vectors.
func (v Vector) Dot(o Vector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(v) && j < len(o) {
		switch {
		case v[i].Key < o[j].Key:
			i++
		case v[i].Key > o[j].Key:
			j++
		default:
			s += float64(v[i].Weight) * float64(o[j].Weight)
			i++
			j++
		}
	}
	return s
}

// Norm returns the Euclidean length of v.
func (v Vector) Norm() float64 {
	var s float64
	for _, t := range v {
		s += float64(t.Weight) * float64(t.Weight)
	}
	return math.Sqrt(s)
}

// Cosine returns the cosine similarity of v and o, 0 if either is empty.
func (v Vector) Cosine(o Vector) float64 {
	n := v.Norm() * o.Norm()
	if n == 0 {
		return 0
	}
	return v.Dot(o) / n
}

// add returns v + f*o, dropping terms whose weight falls to about zero.
func (v Vector) add(o Vector, f float32) Vector {
	out := make(Vector, 0, len(v)+len(o))
	i, j := 0, 0
	for i < len(v) || j < len(o) {
		var t Term
		switch {
		case j >= len(o) || (i < len(v) && v[i].Key < o[j].Key):
			t = v[i]
			i++
		case i >= len(v) || v[i].Key > o[j].Key:
			t = Term{o[j].Key, f * o[j].Weight, o[j].Name}
			j++
		default:
			t = Term{v[i].Key, v[i].Weight + f*o[j].Weight, v[i].Name || o[j].Name}
			i++
			j++
		}
		if t.Weight > 1e-6 || t.Weight < -1e-6 {
			out = append(out, t)
		}
	}
	return out
}

// top returns the n heaviest terms of v, sorted by Key.
func (v Vector) top(n int) Vector {
	if len(v) <= n {
		return v
	}
	s := slices.Clone(v)
	slices.SortFunc(s, func(a, b Term) int {
		if a.Weight != b.Weight {
			if a.Weight > b.Weight {
				return -1
			}
			return 1
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	s = s[:n]
	slices.SortFunc(s, func(a, b Term) int {
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
	return s
}

// normalized returns v scaled to unit length.
func (v Vector) normalized() Vector {
	n := v.Norm()
	if n == 0 {
		return v
	}
	out := make(Vector, len(v))
	for i, t := range v {
		out[i] = Term{t.Key, float32(float64(t.Weight) / n), t.Name}
	}
	return out
}

// hasNames reports whether v has a Name term.
func (v Vector) hasNames() bool {
	for _, t := range v {
		if t.Name {
			return true
		}
	}
	return false
}

// sharesName reports whether an article's or a story's vector v may be of
// one story with o by the entities they name: yes when both name people or
// organisations and share one, or when either names none (text without
// entity tags, such as the lower-cased Google News set, is judged by its
// words alone). Words in common are not enough: two economic reports share
// "pct" and "billion", two countries' news a country's name.
func sharesName(v, o Vector) bool {
	if vn, on := v.hasNames(), o.hasNames(); !vn || !on {
		return vn == on
	}
	i, j := 0, 0
	for i < len(v) && j < len(o) {
		switch {
		case v[i].Key < o[j].Key:
			i++
		case v[i].Key > o[j].Key:
			j++
		default:
			if v[i].Name && o[j].Name {
				return true
			}
			i++
			j++
		}
	}
	return false
}
