package dedup

// MinHash parameters. A signature has SignatureLen values; LSH banding uses
// Bands bands of Rows values each, so two texts whose shingle sets have
// Jaccard similarity J share at least one band key with probability
// 1-(1-J^Rows)^Bands: 0.94 at J=0.4, 0.99 at 0.5, 0.0004 at 0.005.
const (
	SignatureLen = 64
	Bands        = 16
	Rows         = 2
)

// Signature is a b-bit MinHash signature: the low 16 bits of each of
// SignatureLen minimum hash values of a text's shingles. 16 bits make two
// unrelated values collide with probability 2^-16, which Similarity
// corrects for, at an eighth of the size of 64-bit values.
type Signature [SignatureLen]uint16

// hashParams are the odd multipliers and the offsets of the SignatureLen
// hash functions h_i(x) = (a_i*x + b_i) >> 32 over pre-mixed shingle
// hashes. They are fixed constants (SplitMix64 of 1..2*SignatureLen), so
// signatures are comparable across processes and releases. Read-only.
var hashParams = func() (p [SignatureLen][2]uint64) {
	for i := range p {
		p[i][0] = mix64(uint64(2*i+1)) | 1
		p[i][1] = mix64(uint64(2*i + 2))
	}
	return p
}()

// minhash returns the full 32-bit minimum values for shingle hashes sh;
// ok is false when sh is empty.
func minhash(sh []uint64) (mins [SignatureLen]uint32, ok bool) {
	if len(sh) == 0 {
		return mins, false
	}
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	for _, x := range sh {
		for i := range mins {
			v := uint32((hashParams[i][0]*x + hashParams[i][1]) >> 32)
			if v < mins[i] {
				mins[i] = v
			}
		}
	}
	return mins, true
}

// keyKind namespaces the keys of an Entry so that a band key never equals
// a term key or a URL key by construction of the hash input.
type keyKind uint64

const (
	kindBand keyKind = iota + 1
	kindTerm
	kindURL
)

func makeKey(kind keyKind, x uint64) uint64 { return mix64(x ^ uint64(kind)<<56 ^ 0x5bd1e9955bd1e995) }

// bandKeys returns the Bands LSH keys of a MinHash.
func bandKeys(mins *[SignatureLen]uint32) []uint64 {
	keys := make([]uint64, Bands)
	for b := range Bands {
		h := uint64(b) + 1
		for r := range Rows {
			h = mix64(h ^ uint64(mins[b*Rows+r])<<8)
		}
		keys[b] = makeKey(kindBand, h)
	}
	return keys
}

func signatureOf(mins *[SignatureLen]uint32) Signature {
	var s Signature
	for i, v := range mins {
		s[i] = uint16(v)
	}
	return s
}

// Similarity estimates the Jaccard similarity of the shingle sets behind
// two signatures, corrected for chance collisions of 16-bit values.
func (s *Signature) Similarity(o *Signature) float64 {
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	const chance = 1.0 / 65536
	j := (float64(same)/SignatureLen - chance) / (1 - chance)
	return max(j, 0)
}
