package ner

import "math/bits"

// featIndex maps feature keys to weight rows: an open-addressing table
// with linear probing, a lookup being one or two cache lines where a Go
// map takes several. Each slot holds key<<32 | row+1; 0 is empty. It is
// read-only after building.
type featIndex struct {
	slots []uint64
	shift uint
}

func newFeatIndex(n int) featIndex {
	size := 1 << max(4, bits.Len(uint(2*n)))
	return featIndex{slots: make([]uint64, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

func (x *featIndex) slot(key uint32) int {
	return int((uint64(key) * 0x9e3779b97f4a7c15) >> x.shift)
}

// put adds key with row; keys must be distinct.
func (x *featIndex) put(key uint32, row int32) {
	mask := len(x.slots) - 1
	for i := x.slot(key); ; i = (i + 1) & mask {
		if x.slots[i] == 0 {
			x.slots[i] = uint64(key)<<32 | uint64(uint32(row+1))
			return
		}
	}
}

func (x *featIndex) get(key uint32) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := len(x.slots) - 1
	for i := x.slot(key); ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if uint32(s>>32) == key {
			return int32(uint32(s)) - 1, true
		}
	}
}
