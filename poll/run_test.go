package poll_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/ingest"
	"github.com/taglines/taglines/poll"
	"github.com/taglines/taglines/sqlite"
)

// fakeIngester records polls and holds each for a while, as a fetch would.
type fakeIngester struct {
	delay    time.Duration
	mu       sync.Mutex
	polls    map[int64]int
	inflight map[string]int
	maxHost  map[string]int
	order    []string // host of each finished poll
}

func newFake(delay time.Duration) *fakeIngester {
	return &fakeIngester{delay: delay, polls: map[int64]int{}, inflight: map[string]int{}, maxHost: map[string]int{}}
}

func (f *fakeIngester) Ingest(ctx context.Context, src *taglines.Source) ingest.Outcome {
	u, _ := url.Parse(src.URL)
	f.mu.Lock()
	f.polls[src.ID]++
	f.inflight[u.Host]++
	f.maxHost[u.Host] = max(f.maxHost[u.Host], f.inflight[u.Host])
	f.mu.Unlock()
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return ingest.Outcome{Interrupted: true}
	}
	f.mu.Lock()
	f.inflight[u.Host]--
	f.order = append(f.order, u.Host)
	f.mu.Unlock()
	return ingest.Outcome{Result: taglines.FetchResult{At: time.Now(), Status: taglines.FetchOK, HTTPStatus: 200}, ItemsPerDay: -1}
}

func openStore(t *testing.T, urls []string) taglines.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "poll.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, u := range urls {
		if err := st.AddSource(context.Background(), &taglines.Source{URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func TestRunOncePerHost(t *testing.T) {
	var urls []string
	for i := range 30 {
		urls = append(urls, fmt.Sprintf("https://big.example/feed/%d.xml", i)) // one host, many feeds
	}
	for i := range 30 {
		urls = append(urls, fmt.Sprintf("https://site%d.example/feed.xml", i))
	}
	st := openStore(t, urls)
	fake := newFake(10 * time.Millisecond)
	p := poll.New(st, fake, poll.Options{Workers: 8, HostConcurrency: 2})
	r, err := p.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Sources != 60 || r.OK != 60 {
		t.Fatalf("RunOnce = %+v, want 60 sources polled ok", r)
	}
	for id, n := range fake.polls {
		if n != 1 {
			t.Errorf("source %d polled %d times in one round", id, n)
		}
	}
	if m := fake.maxHost["big.example"]; m > 2 {
		t.Errorf("%d polls of one host at once, want <= 2", m)
	}
	// The one-host feeds queue behind each other; the other hosts must not
	// wait for them: all of them finish before the big host's last feeds.
	lastOther, lastBig := 0, 0
	for i, h := range fake.order {
		if h == "big.example" {
			lastBig = i
		} else {
			lastOther = i
		}
	}
	if lastOther > lastBig {
		t.Errorf("other hosts finished at %d, after the big host's last poll at %d: they waited behind it", lastOther, lastBig)
	}
	// Nothing is due any more in this round.
	again, err := p.RunOnce(context.Background())
	if err != nil || again.Sources != 0 {
		t.Errorf("second RunOnce = %+v, %v; want nothing due", again, err)
	}
}

// TestTwoPollersShareAStore runs two pollers on one database at once, as
// two processes would: every source is polled exactly once.
func TestTwoPollersShareAStore(t *testing.T) {
	var urls []string
	for i := range 80 {
		urls = append(urls, fmt.Sprintf("https://s%d.example/feed.xml", i))
	}
	st := openStore(t, urls)
	fake := newFake(2 * time.Millisecond)
	var total atomic.Int64
	var wg sync.WaitGroup
	for _, owner := range []string{"a", "b"} {
		p := poll.New(st, fake, poll.Options{Owner: owner, Workers: 4})
		wg.Go(func() {
			r, err := p.RunOnce(context.Background())
			if err != nil {
				t.Error(err)
			}
			total.Add(r.Sources)
		})
	}
	wg.Wait()
	if total.Load() != 80 || len(fake.polls) != 80 {
		t.Fatalf("two pollers polled %d sources (%d distinct), want 80", total.Load(), len(fake.polls))
	}
	for id, n := range fake.polls {
		if n != 1 {
			t.Errorf("source %d polled %d times", id, n)
		}
	}
}

// TestShutdown cancels a round: polls in flight finish within the grace
// period and are recorded; nothing new starts.
func TestShutdown(t *testing.T) {
	var urls []string
	for i := range 40 {
		urls = append(urls, fmt.Sprintf("https://s%d.example/feed.xml", i))
	}
	st := openStore(t, urls)
	fake := newFake(50 * time.Millisecond)
	p := poll.New(st, fake, poll.Options{Workers: 4, Grace: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the first polls are under way, however slow claiming is.
	go func() {
		for {
			fake.mu.Lock()
			n := len(fake.polls)
			fake.mu.Unlock()
			if n > 0 {
				time.Sleep(20 * time.Millisecond)
				cancel()
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	r, err := p.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sources == 0 || r.Sources >= 40 || r.Interrupted != 0 || r.OK != r.Sources {
		t.Fatalf("RunOnce cancelled early = %+v, want some polls finished and recorded, none interrupted", r)
	}
	srcs, err := st.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, s := range srcs {
		if s.Status == taglines.FetchOK {
			recorded++
		}
	}
	if int64(recorded) != r.OK {
		t.Errorf("%d sources recorded ok, want the %d polls that finished", recorded, r.OK)
	}
	// The sources claimed and not polled were released: another poller
	// (the next cron run) finds every one of them due at once.
	due, err := st.ClaimDueSources(context.Background(), "next", time.Now(), 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 40-recorded {
		t.Errorf("after a clean stop %d sources are claimable, want the %d not polled", len(due), 40-recorded)
	}
}

// A poller restarted after a kill -9 releases the leases its dead
// predecessor on this host held, and polls those sources at once; a live
// process's and another host's leases are left to expire.
func TestRestartReclaimsDeadLeases(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no procfs")
	}
	var urls []string
	for i := range 12 {
		urls = append(urls, fmt.Sprintf("https://s%d.example/feed.xml", i))
	}
	st := openStore(t, urls)
	ctx := context.Background()
	dead := exec.Command("sleep", "30")
	if err := dead.Start(); err != nil {
		t.Skip(err)
	}
	deadOwner := poll.OwnerOf(dead.Process.Pid)
	_ = dead.Process.Kill()
	_ = dead.Wait()
	live := exec.Command("sleep", "30")
	if err := live.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = live.Process.Kill(); _ = live.Wait() }()
	claim := func(owner string, n int) {
		if _, err := st.ClaimDueSources(ctx, owner, time.Now(), n, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	claim(deadOwner, 6)
	claim(poll.OwnerOf(live.Process.Pid), 3)
	claim("elsewhere.example:1:1", 3)

	fake := newFake(0)
	p := poll.New(st, fake, poll.Options{Owner: poll.OwnerName(), Workers: 4})
	r, err := p.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sources != 6 || r.OK != 6 {
		t.Errorf("restarted round = %+v, want the dead process's 6 sources polled", r)
	}
	owners, err := st.ClaimOwners(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(owners) != 2 || slices.Contains(owners, deadOwner) {
		t.Errorf("lease owners after the round = %q, want the live process and the other host", owners)
	}
}

// Run refines stories after its first round, then every RefineInterval of
// its clock, between rounds.
func TestRunRefines(t *testing.T) {
	st := openStore(t, nil)
	var mu sync.Mutex
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(10 * time.Minute) // each look at the clock: ten minutes on
		return now
	}
	var refines atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := poll.New(st, newFake(0), poll.Options{
		Tick: time.Millisecond, Now: clock, RefineInterval: time.Hour,
		Refine: func(ctx context.Context) (int, error) {
			if refines.Add(1) == 3 {
				cancel()
			}
			return 1, nil
		},
	})
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not refine three times in 10s")
	}
	mu.Lock()
	elapsed := now.Sub(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	mu.Unlock()
	if elapsed < 2*time.Hour {
		t.Errorf("three refinements within %s of the clock, want the first at once, then one an hour at most", elapsed)
	}
}
