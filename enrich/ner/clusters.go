package ner

import (
	"bufio"
	"fmt"
	"io"
	"math/bits"
	"strings"
)

// ClusterKey is the form in which words are clustered and looked up in the
// word clusters: the word as written, with digits folded to 0 and curly
// quotes and dashes to ASCII.
func ClusterKey(w string) string { return normalise(w) }

// ReadClusters reads word clusters written by ./clusters: one
// "word<TAB>bits" line per word, bits a string of at most 31 '0' and '1'
// (the word's path in a binary hierarchy of clusters).
func ReadClusters(r io.Reader) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		w, path, ok := strings.Cut(sc.Text(), "\t")
		if !ok || w == "" {
			return nil, fmt.Errorf("clusters line %d: want word<TAB>bits", line)
		}
		if _, err := encodePath(path); err != nil {
			return nil, fmt.Errorf("clusters line %d: %w", line, err)
		}
		out[w] = path
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read clusters: %w", err)
	}
	return out, nil
}

// encodePath packs a bit string as 1<<len | bits, so that prefixes of
// different lengths never collide and 0 means "no cluster".
func encodePath(path string) (uint32, error) {
	if len(path) > 31 {
		return 0, fmt.Errorf("cluster path %q longer than 31 bits", path)
	}
	c := uint32(1)
	for i := 0; i < len(path); i++ {
		switch path[i] {
		case '0':
			c <<= 1
		case '1':
			c = c<<1 | 1
		default:
			return 0, fmt.Errorf("cluster path %q: not a bit string", path)
		}
	}
	return c, nil
}

// pathPrefix returns the first k bits of an encoded path, encoded.
func pathPrefix(c uint32, k int) uint32 {
	n := bits.Len32(c) - 1
	if c == 0 || n <= k {
		return c
	}
	return c >> (n - k)
}

// cluster returns the encoded cluster path of a normalised word, trying
// its lower-case and capitalised forms when the word itself is unknown
// (headlines in capitals); 0 if none is known.
func (f *featurizer) cluster(w, lower string) uint32 {
	if len(f.clusters) == 0 {
		return 0
	}
	if c, ok := f.clusters[w]; ok {
		return c
	}
	if c, ok := f.clusters[lower]; ok {
		return c
	}
	if len(lower) > 1 && lower[0] >= 'a' && lower[0] <= 'z' {
		if c, ok := f.clusters[string(lower[0]-'a'+'A')+lower[1:]]; ok {
			return c
		}
	}
	return 0
}
