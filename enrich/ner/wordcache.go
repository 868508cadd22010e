package ner

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Most of a token's features depend on one word: its own (word, shape,
// affixes, case class, cluster) or a neighbour's on its own (the previous
// word's lower case, shape, cluster, suffix...). Their weights are summed
// once per distinct word and kept in a wordCache, so that decoding a token
// looks up a handful of contextual features instead of about eighty. News
// words follow a long tail: a few tens of thousands of words cover almost
// every token. Sums of integer weights are exact, so the labels are those
// of the full feature set (TestDecodeMatchesFeatures).

// Offsets of the partial sums a word carries: as the token itself, and as
// the previous, next, second previous and second next word of a token.
const (
	partSelf = iota
	partPrev
	partNext
	partPrev2
	partNext2
	nParts
)

var partOffsets = [nParts]int{0, -1, 1, -2, 2}

// wordEntry is what the cache keeps of one word.
type wordEntry struct {
	info tokenInfo // without gazetteer values
	sums []int32   // nParts × labels
}

// wordCacheShards × wordCacheShardSize bounds the cache: about 16k words,
// some 5 MiB with 9 labels. A full shard is emptied and refills with the
// words in use: cheaper than an LRU's bookkeeping on every token.
const (
	wordCacheShards    = 64
	wordCacheShardSize = 256
)

type wordCache struct {
	seed   maphash.Seed
	shards [wordCacheShards]struct {
		mu sync.RWMutex
		m  map[string]*wordEntry
	}
}

func newWordCache() *wordCache {
	return &wordCache{seed: maphash.MakeSeed()}
}

// entry returns the cached entry of word w, computing it on a miss.
func (m *Model) entry(w string) *wordEntry {
	c := m.words
	sh := &c.shards[maphash.String(c.seed, w)%wordCacheShards]
	sh.mu.RLock()
	e := sh.m[w]
	sh.mu.RUnlock()
	if e != nil {
		return e
	}
	w = strings.Clone(w) // the key must not pin the article's text
	e = m.newEntry(m.feat.info(w))
	sh.mu.Lock()
	if sh.m == nil || len(sh.m) >= wordCacheShardSize {
		sh.m = make(map[string]*wordEntry, wordCacheShardSize)
	}
	sh.m[w] = e
	sh.mu.Unlock()
	return e
}

// newEntry sums the weights of the features of info's word for every part.
func (m *Model) newEntry(info tokenInfo) *wordEntry {
	L := len(m.labels)
	e := &wordEntry{info: info, sums: make([]int32, nParts*L)}
	var keys []uint32
	for p := range nParts {
		if p == partSelf {
			keys = m.feat.selfFeatures(keys[:0], &info)
		} else {
			keys = m.feat.neighbourFeatures(keys[:0], &info, partOffsets[p])
		}
		keys = withDomain(keys, 0, m.domain)
		m.addWeights(e.sums[p*L:(p+1)*L], keys)
	}
	return e
}

// addWeights adds to acc the weight rows of keys.
func (m *Model) addWeights(acc []int32, keys []uint32) {
	L := len(m.labels)
	for _, k := range keys {
		row, ok := m.index.get(k)
		if !ok {
			continue
		}
		w := m.weights[int(row)*L : int(row)*L+L]
		for y := range L {
			acc[y] += int32(w[y])
		}
	}
}
