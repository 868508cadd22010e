package dedup

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
)

// The binary forms of the index's values, shared by the stores that
// persist an Index.
//
// The binary forms of the index's values start with a version byte, so
// that a later release can change them and still read old rows. Version 1
// is little-endian fixed-width values: uint16 for signatures (an all-zero
// signature, that of a text too short to fingerprint, is the version byte
// alone), uint32 for title words, uint64 for keys, and for vectors each
// term's key then the IEEE 754 bits of its float32 weight.
const codecV1 = 1

// codecV2 is the vector form with a flags byte after each term's weight
// (bit 0: Term.Name). A vector without names is still written in version
// 1, which earlier releases read.
const codecV2 = 2

// ErrCodec is returned for a binary form that is malformed or of an
// unknown version.
var ErrCodec = errors.New("malformed or unknown binary form")

// EncodeSignature is the binary form of a signature.
func EncodeSignature(s *Signature) []byte {
	if *s == (Signature{}) {
		return []byte{codecV1}
	}
	b := make([]byte, 1, 1+2*len(s))
	b[0] = codecV1
	for _, v := range s {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

// DecodeSignature reads EncodeSignature's form, or returns ErrCodec.
func DecodeSignature(b []byte) (Signature, error) {
	var s Signature
	switch {
	case len(b) == 1 && b[0] == codecV1:
		return s, nil
	case len(b) != 1+2*len(s) || b[0] != codecV1:
		return s, ErrCodec
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint16(b[1+2*i:])
	}
	return s, nil
}

// EncodeWords is the binary form of title-word hashes.
func EncodeWords(vs []uint32) []byte {
	b := make([]byte, 1, 1+4*len(vs))
	b[0] = codecV1
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// DecodeWords reads EncodeWords' form, or returns ErrCodec.
func DecodeWords(b []byte) ([]uint32, error) {
	if len(b) == 0 || b[0] != codecV1 || (len(b)-1)%4 != 0 {
		return nil, ErrCodec
	}
	b = b[1:]
	if len(b) == 0 {
		return nil, nil
	}
	vs := make([]uint32, len(b)/4)
	for i := range vs {
		vs[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return vs, nil
}

// EncodeKeys is the binary form of index keys.
func EncodeKeys(vs []uint64) []byte {
	b := make([]byte, 1, 1+8*len(vs))
	b[0] = codecV1
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

// DecodeKeys reads EncodeKeys' form, or returns ErrCodec.
func DecodeKeys(b []byte) ([]uint64, error) {
	if len(b) == 0 || b[0] != codecV1 || (len(b)-1)%8 != 0 {
		return nil, ErrCodec
	}
	b = b[1:]
	if len(b) == 0 {
		return nil, nil
	}
	vs := make([]uint64, len(b)/8)
	for i := range vs {
		vs[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return vs, nil
}

// EncodeVector is the binary form of a term vector.
func EncodeVector(v Vector) []byte {
	if !v.hasNames() {
		b := make([]byte, 1, 1+12*len(v))
		b[0] = codecV1
		for _, t := range v {
			b = binary.LittleEndian.AppendUint64(b, t.Key)
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.Weight))
		}
		return b
	}
	b := make([]byte, 1, 1+13*len(v))
	b[0] = codecV2
	for _, t := range v {
		b = binary.LittleEndian.AppendUint64(b, t.Key)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.Weight))
		var flags byte
		if t.Name {
			flags = 1
		}
		b = append(b, flags)
	}
	return b
}

// DecodeVector reads EncodeVector's forms, or returns ErrCodec.
func DecodeVector(b []byte) (Vector, error) {
	size := 0
	switch {
	case len(b) > 0 && b[0] == codecV1:
		size = 12
	case len(b) > 0 && b[0] == codecV2:
		size = 13
	}
	if size == 0 || (len(b)-1)%size != 0 {
		return nil, ErrCodec
	}
	b = b[1:]
	if len(b) == 0 {
		return nil, nil
	}
	v := make(Vector, len(b)/size)
	for i := range v {
		v[i] = Term{
			Key:    binary.LittleEndian.Uint64(b[size*i:]),
			Weight: math.Float32frombits(binary.LittleEndian.Uint32(b[size*i+8:])),
		}
		if size == 13 {
			switch b[size*i+12] {
			case 0:
			case 1:
				v[i].Name = true
			default:
				return nil, ErrCodec
			}
		}
	}
	return v, nil
}

// KeysDiff returns the keys of old not in new, and of new not in old, each
// sorted and distinct: what a store refiles when a story's keys change.
// old, as stored, is normalised rather than trusted; new must be sorted
// and distinct.
func KeysDiff(old, new []uint64) (removed, added []uint64) {
	old = slices.Compact(slices.Sorted(slices.Values(old)))
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case j == len(new) || (i < len(old) && old[i] < new[j]):
			removed = append(removed, old[i])
			i++
		case i == len(old) || new[j] < old[i]:
			added = append(added, new[j])
			j++
		default:
			i++
			j++
		}
	}
	return removed, added
}
