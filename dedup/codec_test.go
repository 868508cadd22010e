package dedup

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	var sig Signature
	for i := range sig {
		sig[i] = uint16(i * 977)
	}
	if got, err := DecodeSignature(EncodeSignature(&sig)); err != nil || got != sig {
		t.Errorf("signature round trip = %v, %v", got, err)
	}
	var zero Signature
	if b := EncodeSignature(&zero); len(b) != 1 {
		t.Errorf("the empty signature takes %d bytes, want the version byte alone", len(b))
	}
	words := []uint32{1, 1 << 31, 42}
	if got, err := DecodeWords(EncodeWords(words)); err != nil || !reflect.DeepEqual(got, words) {
		t.Errorf("words round trip = %v, %v", got, err)
	}
	keys := []uint64{1 << 63, 7}
	if got, err := DecodeKeys(EncodeKeys(keys)); err != nil || !reflect.DeepEqual(got, keys) {
		t.Errorf("keys round trip = %v, %v", got, err)
	}
	vec := Vector{{Key: 1 << 62, Weight: 0.5}, {Key: 3, Weight: -1.25}}
	if got, err := DecodeVector(EncodeVector(vec)); err != nil || !reflect.DeepEqual(got, vec) {
		t.Errorf("vector round trip = %v, %v", got, err)
	}
	if b := EncodeVector(vec); b[0] != codecV1 {
		t.Errorf("a vector without names is written in version %d, want 1 (what earlier releases read)", b[0])
	}
	named := Vector{{Key: 2, Weight: 0.25, Name: true}, {Key: 9, Weight: 0.75}}
	if got, err := DecodeVector(EncodeVector(named)); err != nil || !reflect.DeepEqual(got, named) {
		t.Errorf("named vector round trip = %v, %v", got, err)
	}
	badFlags := EncodeVector(named)
	badFlags[13] = 7
	for _, bad := range [][]byte{nil, {3}, {2, 0}, badFlags, {1, 0, 0}} {
		if _, err := DecodeVector(bad); !errors.Is(err, ErrCodec) {
			t.Errorf("DecodeVector(%v) error = %v, want ErrCodec", bad, err)
		}
	}
	for _, bad := range [][]byte{nil, {2}, {1, 0, 0}} {
		if _, err := DecodeKeys(bad); !errors.Is(err, ErrCodec) {
			t.Errorf("DecodeKeys(%v) error = %v, want ErrCodec", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(EncodeVector(Vector{{Key: 9, Weight: 1}}))
	f.Add([]byte{1})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Stored bytes are untrusted: decoding must fail cleanly, and what
		// decodes must encode back to the same bytes.
		if v, err := DecodeVector(b); err == nil && len(b) > 1 && !reflect.DeepEqual(EncodeVector(v), b) {
			t.Errorf("vector %v does not re-encode to %v", v, b)
		}
		if k, err := DecodeKeys(b); err == nil && len(b) > 1 && !reflect.DeepEqual(EncodeKeys(k), b) {
			t.Errorf("keys %v do not re-encode to %v", k, b)
		}
		_, _ = DecodeSignature(b)
		_, _ = DecodeWords(b)
	})
}

func TestKeysDiff(t *testing.T) {
	for _, tt := range []struct {
		old, new, removed, added []uint64
	}{
		{nil, []uint64{1, 2}, nil, []uint64{1, 2}},
		{[]uint64{1, 2}, nil, []uint64{1, 2}, nil},
		{[]uint64{3, 1, 3, 5}, []uint64{1, 4, 5}, []uint64{3}, []uint64{4}}, // old unsorted, repeated
		{[]uint64{1, 2}, []uint64{1, 2}, nil, nil},
	} {
		removed, added := KeysDiff(tt.old, tt.new)
		if !slices.Equal(removed, tt.removed) || !slices.Equal(added, tt.added) {
			t.Errorf("KeysDiff(%v, %v) = %v, %v, want %v, %v", tt.old, tt.new, removed, added, tt.removed, tt.added)
		}
	}
}
