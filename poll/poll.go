// Package poll decides which source is polled when: it claims due sources
// through the Store (a lease, so several processes can share one database),
// hands them to a bounded pool of workers, and schedules each source's next
// poll with backoff for failing ones. The clock is injected.
package poll

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/ingest"
)

// Defaults for Options.
const (
	DefaultWorkers     = 16
	DefaultInterval    = 15 * time.Minute
	DefaultMinInterval = 5 * time.Minute
	DefaultMaxInterval = 6 * time.Hour
	DefaultLease       = 5 * time.Minute
	DefaultMinBackoff  = time.Minute
	DefaultMaxBackoff  = 24 * time.Hour
	DefaultTick        = 5 * time.Second
	DefaultGrace       = 15 * time.Second
	// DefaultRefineInterval: at 20,000 articles a day, an hour is about
	// 800 articles; `taglines bench dedup` measured hourly refinement.
	DefaultRefineInterval = time.Hour
)

// Ingester polls one source; *ingest.Ingester is the real one.
type Ingester interface {
	Ingest(ctx context.Context, src *taglines.Source) ingest.Outcome
}

// Options configure a Poller. The zero value selects the defaults.
type Options struct {
	// Owner names this process in leases; default "poller". With
	// OwnerName's form, a restarted process releases the leases its dead
	// predecessors on the same host left (ReclaimGone).
	Owner   string
	Workers int // sources polled at once
	// HostConcurrency bounds the sources of one host polled at once
	// (default 2, as fetch's connections per host).
	HostConcurrency int
	// Interval is the time between polls of a healthy source whose
	// publishing rate is not known yet; once it is, the interval follows it
	// between MinInterval and MaxInterval.
	Interval    time.Duration
	MinInterval time.Duration
	MaxInterval time.Duration
	Lease       time.Duration // how long a claim lasts if its poller dies
	MinBackoff  time.Duration // first delay after a failure, doubled per failure
	MaxBackoff  time.Duration // cap on the delay of a failing source
	Tick        time.Duration // how often Run looks for due sources
	Grace       time.Duration // how long in-flight polls may finish after shutdown
	Logger      *slog.Logger
	Now         func() time.Time
	// Refine, if set, is run by Run after its first round and then every
	// RefineInterval (default 1h), between rounds: the dedup stage's second
	// look at recent stories (ingest.Ingester.Refine). It returns how many
	// articles moved.
	Refine         func(ctx context.Context) (int, error)
	RefineInterval time.Duration
}

// Poller schedules polls. It is safe for concurrent use, though one Run per
// process is the intended use.
type Poller struct {
	store   taglines.Store
	ingest  Ingester
	opts    Options
	reclaim sync.Once // the first round releases the leases of gone processes
}

// New returns a Poller that claims from store and polls with ing.
func New(store taglines.Store, ing Ingester, opts Options) *Poller {
	if opts.Owner == "" {
		opts.Owner = "poller"
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.HostConcurrency <= 0 {
		opts.HostConcurrency = 2
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.MinInterval <= 0 {
		opts.MinInterval = min(DefaultMinInterval, opts.Interval)
	}
	if opts.RefineInterval <= 0 {
		opts.RefineInterval = DefaultRefineInterval
	}
	if opts.MaxInterval <= 0 {
		opts.MaxInterval = max(DefaultMaxInterval, opts.Interval)
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.Tick <= 0 {
		opts.Tick = DefaultTick
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Poller{store: store, ingest: ing, opts: opts}
}

// Round counts what one round of polling did.
type Round struct {
	Sources     int64 `json:"sources"`
	OK          int64 `json:"ok"`
	NotModified int64 `json:"not_modified"`
	Failed      int64 `json:"failed"`
	New         int64 `json:"new_articles"`
	Interrupted int64 `json:"interrupted"`
}

// RunOnce polls every source that is due now, then returns. When ctx ends,
// no new source is claimed; polls in flight get Options.Grace to finish,
// and a poll cut short records nothing, so its lease expires and the source
// is polled again later.
//
// Sources are dispatched so that at most Options.HostConcurrency of them
// are polled at once per host: fifty feeds of one slow or rate-limited
// publisher occupy that many workers, not all of them, and the other
// hosts' sources keep their schedule.
func (p *Poller) RunOnce(ctx context.Context) (Round, error) {
	var r Round
	// Work outlives ctx by the grace period so that a shutdown does not
	// abort polls that are about to finish.
	work, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(p.opts.Grace, cancel)
		context.AfterFunc(work, func() { t.Stop() })
	})
	defer stop()

	p.reclaim.Do(func() {
		if _, err := p.ReclaimGone(ctx); err != nil {
			p.opts.Logger.Warn("leases of gone processes not released", "err", err)
		}
	})

	// Every claim is either recorded by its poll or released when the
	// round ends, so that no source waits out a lease after a clean stop.
	var claimMu sync.Mutex
	claimed := map[int64]bool{}
	queue := make(chan *taglines.Source)
	done := make(chan string, p.opts.Workers)
	var wg sync.WaitGroup
	for range p.opts.Workers {
		wg.Go(func() {
			for src := range queue {
				if p.pollOne(work, src, &r) {
					claimMu.Lock()
					delete(claimed, src.ID)
					claimMu.Unlock()
				}
				done <- hostOf(src.URL)
			}
		})
	}
	defer func() {
		close(queue)
		wg.Wait()
		p.release(context.WithoutCancel(ctx), claimed)
	}()

	var (
		pending   []*taglines.Source
		inflight  = map[string]int{}
		busy      int
		exhausted bool
		err       error
	)
	maxPending := 4 * p.opts.Workers
	for {
		if !exhausted && ctx.Err() == nil && len(pending) < maxPending && busy < p.opts.Workers {
			var due []*taglines.Source
			// Not cancelled midway: a claim that commits while its caller
			// gives up would hold sources this round never learns of, and
			// so cannot release.
			due, err = p.store.ClaimDueSources(context.WithoutCancel(ctx), p.opts.Owner, p.opts.Now(), p.opts.Workers, p.opts.Lease)
			if err != nil || len(due) == 0 {
				exhausted = true
			}
			claimMu.Lock()
			for _, src := range due {
				claimed[src.ID] = true
			}
			claimMu.Unlock()
			pending = append(pending, due...)
		}
		if ctx.Err() != nil {
			pending = nil // claimed but not started: released when the round ends
		}
		// Start every pending source whose host has room, oldest first.
		next := -1
		if busy < p.opts.Workers {
			for i, src := range pending {
				if inflight[hostOf(src.URL)] < p.opts.HostConcurrency {
					next = i
					break
				}
			}
		}
		switch {
		case next >= 0:
			src := pending[next]
			pending = append(pending[:next], pending[next+1:]...)
			inflight[hostOf(src.URL)]++
			busy++
			queue <- src
		case busy > 0:
			h := <-done
			inflight[h]--
			busy--
		case exhausted || ctx.Err() != nil:
			if err != nil && ctx.Err() == nil {
				return r, err
			}
			return r, nil
		}
	}
}

// hostOf is the host a source's polls go to, for per-host dispatch.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return strings.ToLower(u.Host)
}

// release ends the leases of the sources claimed and not recorded.
func (p *Poller) release(ctx context.Context, claimed map[int64]bool) {
	if len(claimed) == 0 {
		return
	}
	ids := make([]int64, 0, len(claimed))
	for id := range claimed {
		ids = append(ids, id)
	}
	if _, err := p.store.ReleaseClaims(ctx, p.opts.Owner, ids...); err != nil {
		p.opts.Logger.Warn("leases not released; they expire", "sources", len(ids), "err", err)
	}
}

// pollOne polls src and records the outcome, which ends its lease; it
// reports whether it did.
func (p *Poller) pollOne(ctx context.Context, src *taglines.Source, r *Round) bool {
	atomic.AddInt64(&r.Sources, 1)
	out := p.ingest.Ingest(ctx, src)
	if out.Interrupted {
		atomic.AddInt64(&r.Interrupted, 1)
		return false
	}
	res := out.Result
	res.NextPollAt = p.next(src, out)
	res.ItemsPerDay = out.ItemsPerDay
	switch res.Status {
	case taglines.FetchOK:
		atomic.AddInt64(&r.OK, 1)
	case taglines.FetchNotModified:
		atomic.AddInt64(&r.NotModified, 1)
	default:
		atomic.AddInt64(&r.Failed, 1)
	}
	atomic.AddInt64(&r.New, int64(out.New))
	// Record even if shutdown began: the articles are stored, and the
	// source's health must say so.
	if err := p.store.RecordFetch(context.WithoutCancel(ctx), src.ID, res); err != nil {
		if errors.Is(err, taglines.ErrNotFound) {
			return true // the source is gone, and its lease with it
		}
		p.opts.Logger.Error("record fetch", "source", src.ID, "err", err)
		return false
	}
	return true
}

// next schedules a source's next poll: after a success, an interval that
// follows the source's publishing rate, never sooner than the publisher's
// cache lifetime; after failures, exponential backoff with jitter, capped,
// and never sooner than the server's Retry-After.
func (p *Poller) next(src *taglines.Source, out ingest.Outcome) time.Time {
	now := p.opts.Now()
	if out.Result.Status != taglines.FetchFailed {
		return now.Add(jitter(p.interval(src, out), 0.1))
	}
	delay := p.opts.MinBackoff
	for i := 0; i < src.ConsecutiveFailures && delay < p.opts.MaxBackoff; i++ {
		delay *= 2
	}
	delay = min(jitter(delay, 0.2), p.opts.MaxBackoff)
	if out.RetryAfter > delay {
		delay = min(out.RetryAfter, p.opts.MaxBackoff)
	}
	return now.Add(delay)
}

// interval is the adaptive polling interval: about half the average gap
// between items, so a new article waits on average a quarter of its
// source's gap, clamped to [MinInterval, MaxInterval] and raised to the
// publisher's own cache lifetime (still capped, so a year-long max-age
// does not silence a source).
func (p *Poller) interval(src *taglines.Source, out ingest.Outcome) time.Duration {
	d := p.opts.Interval
	rate := out.ItemsPerDay
	if rate < 0 {
		rate = src.ItemsPerDay // a 304 carries no dates: keep the last rate
	}
	switch {
	case rate > 0:
		d = time.Duration(float64(24*time.Hour) / rate / 2)
	case rate == 0:
		d = p.opts.MaxInterval // dated items, none this week
	}
	d = min(max(d, p.opts.MinInterval, out.MinInterval), p.opts.MaxInterval)
	return d
}

// jitter spreads d by ±frac so that sources added together do not stay
// synchronised forever.
func jitter(d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 + frac*(2*rand.Float64()-1)))
}

// Run polls until ctx ends, looking for due sources every Options.Tick.
// It returns nil after a clean shutdown.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.opts.Tick)
	defer t.Stop()
	var refined time.Time // zero: refine after the first round, then every interval
	for {
		r, err := p.RunOnce(ctx)
		if err != nil {
			p.opts.Logger.Error("poll round", "err", err)
		} else if r.Sources > 0 {
			p.opts.Logger.Info("poll round", "sources", r.Sources, "new", r.New, "failed", r.Failed, "not_modified", r.NotModified)
		}
		if p.opts.Refine != nil && p.opts.Now().Sub(refined) >= p.opts.RefineInterval {
			refined = p.opts.Now()
			start := time.Now()
			if n, err := p.opts.Refine(ctx); err != nil && ctx.Err() == nil {
				p.opts.Logger.Error("refine stories", "err", err)
			} else if err == nil {
				p.opts.Logger.Info("refine stories", "moved", n, "took", time.Since(start).Round(time.Millisecond))
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
