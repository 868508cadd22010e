package extract

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"sync"
)

// Boilerplate learns the lines and sentences that recur across many
// articles of one source (promotions, "Credit:" lines, subscription
// pitches, "Read more" prompts) and drops them from its articles' text.
//
// It keeps, for the hash of each normalised paragraph and sentence, a count
// of the distinct articles it appeared in; every HalfLife articles the
// counts halve, so lines a source stopped using are forgotten, and at most
// MaxLines hashes are kept. A line is boilerplate once it appeared in at
// least MinSupport articles and in at least MinShare of the (decayed)
// articles seen. Its state serialises with MarshalBinary, to be stored per
// source.
//
// The zero value is not usable; call NewBoilerplate. It is safe for
// concurrent use; mu guards all of its state.
type Boilerplate struct {
	mu       sync.Mutex
	cfg      BoilerplateConfig
	articles float64            // decayed count of articles learnt
	since    int                // articles learnt since the last decay
	counts   map[uint64]float64 // line hash → decayed count of articles
}

// BoilerplateConfig tunes a Boilerplate; zero fields take the defaults.
type BoilerplateConfig struct {
	MinSupport int     // articles a line must appear in; default 3
	MinShare   float64 // share of articles it must appear in; default 0.2
	HalfLife   int     // articles after which counts halve; default 200
	MaxLines   int     // hashes kept; default 5000
}

func (c BoilerplateConfig) withDefaults() BoilerplateConfig {
	if c.MinSupport <= 0 {
		c.MinSupport = 3
	}
	if c.MinShare <= 0 {
		c.MinShare = 0.2
	}
	if c.HalfLife <= 0 {
		c.HalfLife = 200
	}
	if c.MaxLines <= 0 {
		c.MaxLines = 5000
	}
	return c
}

// NewBoilerplate returns an empty Boilerplate.
func NewBoilerplate(cfg BoilerplateConfig) *Boilerplate {
	return &Boilerplate{cfg: cfg.withDefaults(), counts: map[uint64]float64{}}
}

// sentenceEnd splits a paragraph into sentences.
var sentenceEnd = lazyRegexp(`[.!?…]["'”’»)]*\s+`)

// units returns the hashes of a paragraph and of its sentences of four
// words or more (shorter sentences recur by chance: "He said.").
func units(p string, each func(h uint64, start, end int)) {
	each(lineHash(p), 0, len(p))
	locs := sentenceEnd().FindAllStringIndex(p, -1)
	if len(locs) == 0 {
		return
	}
	start := 0
	emit := func(end int) {
		s := p[start:end]
		if len(strings.Fields(s)) >= 4 {
			each(lineHash(s), start, end)
		}
	}
	for _, l := range locs {
		emit(l[1])
		start = l[1]
	}
	if start < len(p) {
		emit(len(p))
	}
}

// lineHash is a stable hash of a line, ignoring case, spaces and
// punctuation.
func lineHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(fold(s)))
	return h.Sum64()
}

// Learn counts the paragraphs and sentences of one article. Each is counted
// once per article however often it appears in it. Call it once for each
// distinct article of the source.
func (b *Boilerplate) Learn(paragraphs []string) {
	seen := map[uint64]bool{}
	for _, p := range paragraphs {
		units(strings.TrimSpace(p), func(h uint64, _, _ int) { seen[h] = true })
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for h := range seen {
		b.counts[h]++
	}
	b.articles++
	b.since++
	if b.since >= b.cfg.HalfLife {
		b.decay()
	}
	if len(b.counts) > 2*b.cfg.MaxLines {
		b.prune()
	}
}

// decay halves every count and forgets the lines that fall below one
// half. b.mu must be held.
func (b *Boilerplate) decay() {
	b.since = 0
	b.articles /= 2
	for h, c := range b.counts {
		if c /= 2; c < 0.5 {
			delete(b.counts, h)
		} else {
			b.counts[h] = c
		}
	}
}

// prune keeps the MaxLines most frequent lines. b.mu must be held.
func (b *Boilerplate) prune() {
	cs := make([]float64, 0, len(b.counts))
	for _, c := range b.counts {
		cs = append(cs, c)
	}
	sort.Float64s(cs)
	cut := cs[len(cs)-b.cfg.MaxLines]
	for h, c := range b.counts {
		if c < cut || len(b.counts) > b.cfg.MaxLines && c == cut {
			delete(b.counts, h)
		}
	}
}

// is reports whether hash h is boilerplate. b.mu must be held.
func (b *Boilerplate) is(h uint64) bool {
	c := b.counts[h]
	return c >= float64(b.cfg.MinSupport) && c >= b.cfg.MinShare*b.articles
}

// Filter returns the paragraphs without the learnt boilerplate: a
// paragraph that is boilerplate goes, and so do boilerplate sentences in
// it. It does not learn; a nil *Boilerplate returns paragraphs unchanged.
func (b *Boilerplate) Filter(paragraphs []string) []string {
	if b == nil {
		return paragraphs
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(paragraphs))
	for _, p := range paragraphs {
		p = strings.TrimSpace(p)
		if p == "" || b.is(lineHash(p)) {
			continue
		}
		if p = norm(rebuild(p, b)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// rebuild returns p without its boilerplate sentences. b.mu must be held.
func rebuild(p string, b *Boilerplate) string {
	var out strings.Builder
	start := 0
	add := func(end int) {
		s := p[start:end]
		if len(strings.Fields(s)) < 4 || !b.is(lineHash(s)) {
			out.WriteString(s)
		}
	}
	for _, l := range sentenceEnd().FindAllStringIndex(p, -1) {
		add(l[1])
		start = l[1]
	}
	if start < len(p) {
		add(len(p))
	}
	return out.String()
}

// Clean is Filter over a text of paragraphs separated by blank lines, as
// in Result.Text.
func (b *Boilerplate) Clean(text string) string {
	return strings.Join(b.Filter(strings.Split(text, "\n\n")), "\n\n")
}

// Len returns the number of line hashes held.
func (b *Boilerplate) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.counts)
}

const boilerplateVersion = 1

// MarshalBinary encodes the learnt state and the configuration: a version
// byte, then uvarints and float64 bits, hashes sorted so equal states encode
// equally.
func (b *Boilerplate) MarshalBinary() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	buf := []byte{boilerplateVersion}
	buf = binary.AppendUvarint(buf, uint64(b.cfg.MinSupport))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(b.cfg.MinShare))
	buf = binary.AppendUvarint(buf, uint64(b.cfg.HalfLife))
	buf = binary.AppendUvarint(buf, uint64(b.cfg.MaxLines))
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(b.articles))
	buf = binary.AppendUvarint(buf, uint64(b.since))
	hs := make([]uint64, 0, len(b.counts))
	for h := range b.counts {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i] < hs[j] })
	buf = binary.AppendUvarint(buf, uint64(len(hs)))
	for _, h := range hs {
		buf = binary.LittleEndian.AppendUint64(buf, h)
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(b.counts[h]))
	}
	return buf, nil
}

// ErrBadState is wrapped by UnmarshalBinary's errors.
var ErrBadState = errors.New("bad boilerplate state")

// UnmarshalBinary replaces b's state and configuration with data from
// MarshalBinary. On error b is unchanged.
func (b *Boilerplate) UnmarshalBinary(data []byte) error {
	if len(data) == 0 || data[0] != boilerplateVersion {
		return fmt.Errorf("%w: unknown version", ErrBadState)
	}
	r := data[1:]
	var err error
	uv := func() uint64 {
		v, n := binary.Uvarint(r)
		if n <= 0 {
			err = fmt.Errorf("%w: truncated", ErrBadState)
			return 0
		}
		r = r[n:]
		return v
	}
	f64 := func() float64 {
		if len(r) < 8 {
			err = fmt.Errorf("%w: truncated", ErrBadState)
			return 0
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(r))
		r = r[8:]
		return v
	}
	var cfg BoilerplateConfig
	cfg.MinSupport = int(min(uv(), 1<<20))
	cfg.MinShare = f64()
	cfg.HalfLife = int(min(uv(), 1<<30))
	cfg.MaxLines = int(min(uv(), 1<<24))
	articles := f64()
	since := int(min(uv(), 1<<30))
	n := uv()
	if err != nil {
		return err
	}
	if n > uint64(len(r)/16) {
		return fmt.Errorf("%w: %d lines in %d bytes", ErrBadState, n, len(r))
	}
	counts := make(map[uint64]float64, n)
	for range n {
		h := binary.LittleEndian.Uint64(r)
		c := math.Float64frombits(binary.LittleEndian.Uint64(r[8:]))
		r = r[16:]
		if math.IsNaN(c) || c < 0 {
			return fmt.Errorf("%w: bad count", ErrBadState)
		}
		counts[h] = c
	}
	if math.IsNaN(articles) || articles < 0 || math.IsNaN(cfg.MinShare) {
		return fmt.Errorf("%w: bad counts", ErrBadState)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cfg = cfg.withDefaults()
	b.articles, b.since, b.counts = articles, since, counts
	return nil
}
