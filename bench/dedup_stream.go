package bench

import (
	"context"
	"time"

	"github.com/taglines/taglines/dedup"
)

// DedupStream decides articles in arrival order as ingest does: each as it
// comes, and the recent window again every refineEvery of publication time
// (the poller's --refine-interval) and at the end. It follows each
// article's story through merges and refinement to where it ends. Make
// one with NewDedupStream; it is not safe for concurrent use.
type DedupStream struct {
	d           *dedup.Deduper
	span        time.Duration // of each refinement
	refineEvery time.Duration
	last        time.Time // the latest publication time seen
	refined     time.Time // last's value at the last refinement
	dupOf       map[int64]int64
	cluster     map[int64]int64
}

// NewDedupStream returns a stream over a new in-memory index whose clock
// is the latest publication time seen, or start before any. opts.Now is
// replaced by that clock.
func NewDedupStream(opts dedup.Options, refineEvery time.Duration, start time.Time) *DedupStream {
	s := &DedupStream{refineEvery: refineEvery, last: start, refined: start,
		dupOf: map[int64]int64{}, cluster: map[int64]int64{}}
	opts.Now = func() time.Time { return s.last }
	s.d = dedup.New(dedup.NewMemIndex(), opts)
	s.span = s.d.RefineSpan()
	return s
}

// Add decides doc; a zero Published is the latest seen.
func (s *DedupStream) Add(ctx context.Context, doc dedup.Document) error {
	if doc.Published.After(s.last) {
		s.last = doc.Published
	}
	res, err := s.d.Process(ctx, doc)
	if err != nil {
		return err
	}
	s.note(res)
	if s.refineEvery > 0 && s.last.Sub(s.refined) >= s.refineEvery {
		return s.refine(ctx)
	}
	return nil
}

// Finish refines a last time, unless refining is off.
func (s *DedupStream) Finish(ctx context.Context) error {
	if s.refineEvery <= 0 {
		return nil
	}
	return s.refine(ctx)
}

// Result returns where the article id stands: the article it is a
// version of (0 if none) and its story. Both are 0 for an id never added.
func (s *DedupStream) Result(id int64) (duplicateOf, cluster int64) {
	return s.dupOf[id], s.cluster[id]
}

func (s *DedupStream) note(rs ...dedup.Result) {
	for _, r := range rs {
		s.dupOf[r.ID], s.cluster[r.ID] = r.DuplicateOf, r.Cluster
	}
}

func (s *DedupStream) refine(ctx context.Context) error {
	s.refined = s.last
	moved, err := s.d.Refine(ctx, s.last.Add(-s.span), time.Time{})
	s.note(moved...)
	return err
}
