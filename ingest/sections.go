package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich"
)

// sourceSectionMap parses a source's section map. A broken map (only a
// direct edit of the database makes one: "sources set" checks it) fails
// the poll, so the operator sees the error on the source.
func sourceSectionMap(src *taglines.Source) (enrich.SectionMap, error) {
	m, err := enrich.ParseSectionMap(src.Sections)
	if err != nil {
		return m, fmt.Errorf("source sections: %w", err)
	}
	return m, nil
}

// sectionsKey names a source's section habit in the store.
const sectionsKey = "enrich.sections"

// habitLimit bounds a habit's total count: past it the counts are halved,
// so that a source that changes what it publishes is followed within a
// few hundred articles.
const habitLimit = 400

// sectionHabit counts the sections of a source's articles that the
// publisher named or the classifier was sure of. When the classifier is
// unsure of an article, the source's usual section decides: a feed of
// sport is sport.
type sectionHabit struct {
	Counts map[string]int `json:"counts"`
	// stored is the total count the store holds and storedUsual its usual
	// section: the habit is written when its usual section changes or it
	// has learnt habitSaveEvery articles since, not on every poll (a
	// summary may lose a few counts in a crash; the writer's time is worth
	// more).
	stored      int
	storedUsual string
}

// habitSaveEvery is how many new counts make a habit worth writing.
const habitSaveEvery = 50

func (h *sectionHabit) total() int {
	n := 0
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// due reports whether the habit should be written.
func (h *sectionHabit) due() bool {
	return h.usual() != h.storedUsual || h.total()-h.stored >= habitSaveEvery || h.total() < h.stored
}

func (h *sectionHabit) clone() *sectionHabit {
	c := *h
	c.Counts = maps.Clone(h.Counts)
	return &c
}

// usual returns the section of at least half of the habit's articles, out
// of at least 5, or "".
func (h *sectionHabit) usual() string {
	total := h.total()
	if total < 5 {
		return ""
	}
	names := slices.Sorted(maps.Keys(h.Counts))
	best := slices.MaxFunc(names, func(a, b string) int { return cmp.Compare(h.Counts[a], h.Counts[b]) })
	if 2*h.Counts[best] < total {
		return ""
	}
	return best
}

// learn counts a section of which the publisher or the classifier was sure.
func (h *sectionHabit) learn(section string) {
	if section == "" || section == taglines.DefaultSection {
		return
	}
	if h.Counts == nil {
		h.Counts = map[string]int{}
	}
	h.Counts[section]++
	if h.total() > habitLimit {
		for k, n := range h.Counts {
			if n/2 == 0 {
				delete(h.Counts, k)
			} else {
				h.Counts[k] = n / 2
			}
		}
	}
}

// loadHabit returns a source's section habit: the cached one, else the
// store's; an unreadable one starts anew (it is a summary of what the
// store holds, not data of its own). The caller owns the copy it gets.
func (in *Ingester) loadHabit(ctx context.Context, src *taglines.Source) *sectionHabit {
	in.habitsMu.Lock()
	h, ok := in.habits[src.ID]
	in.habitsMu.Unlock()
	if ok {
		return h.clone()
	}
	h = &sectionHabit{}
	data, err := in.store.SourceState(ctx, src.ID, sectionsKey)
	if err != nil {
		in.opts.Logger.Warn("section habit not read", "source", src.ID, "err", err)
		return h
	}
	if len(data) > 0 && json.Unmarshal(data, h) != nil {
		in.opts.Logger.Warn("section habit unreadable, relearning", "source", src.ID)
		h = &sectionHabit{}
	}
	h.stored, h.storedUsual = h.total(), h.usual()
	return h
}

// saveHabit keeps a source's habit after a poll, and writes it to the
// store when it is due.
func (in *Ingester) saveHabit(ctx context.Context, src *taglines.Source, h *sectionHabit) error {
	if h == nil {
		return nil
	}
	var err error
	if h.due() {
		var data []byte
		if data, err = json.Marshal(h); err == nil {
			if err = in.store.SetSourceState(ctx, src.ID, sectionsKey, data); err == nil {
				h.stored, h.storedUsual = h.total(), h.usual()
			}
		}
	}
	in.habitsMu.Lock()
	if in.habits == nil {
		in.habits = map[int64]*sectionHabit{}
	}
	in.habits[src.ID] = h
	in.habitsMu.Unlock()
	return err
}
