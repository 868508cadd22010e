package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/taglines/taglines/testpub"
)

// TestKillNine: `poll --once` killed with SIGKILL at random moments, again
// and again, then one round that runs to its end, leaves every article the
// publishers serve stored exactly once, on both databases. Each restart
// releases the leases its killed predecessors held (they are of this host
// and gone), so the last round does not wait out a lease.
func TestKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	for name, newDB := range databases(t) {
		t.Run(name, func(t *testing.T) { testKillNine(t, newDB(t)) })
	}
}

func testKillNine(t *testing.T, db string) {
	const sources, items, kills = 60, 10, 20
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	pubs := testpub.Synthetic(sources, items, now)
	network, err := testpub.Start(pubs, testpub.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer network.Close()
	h := &harness{t: t, db: db, clock: &clock{t: now}, hc: network.Client()}
	for _, p := range pubs {
		h.run("sources", "add", network.FeedURL(p))
	}
	poll := func() *exec.Cmd {
		// The test binary stands in for taglines (TestMain); the publishers'
		// *.localhost names resolve to testpub's loopback listener.
		cmd := exec.Command(exe, "--db", db, "--log-level", "error", "poll", "--once", "--allow-private-networks",
			"--host-rate", "1000", "--host-concurrency", "8", "--workers", "8")
		cmd.Env = append(os.Environ(), "TAGLINES_TEST_AS_MAIN=1")
		return cmd
	}
	deadline := time.Now().Add(90 * time.Second)
	var stored []int
	for i := 0; i < kills && time.Now().Before(deadline); i++ {
		cmd := poll()
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.IntN(1000)) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		var st struct{ Articles int }
		decode(t, h.run("stats"), &st)
		stored = append(stored, st.Articles)
	}
	t.Logf("articles stored after each kill: %v", stored)

	cmd := poll()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("the round after the kills: %v\n%s", err, errOut.String())
	}
	t.Logf("last round in %v: %s", time.Since(start).Round(time.Millisecond), bytes.TrimSpace(out.Bytes()))

	var list []sourceJSON
	decode(t, h.run("sources", "list", "--json"), &list)
	for _, s := range list {
		if s.Articles != items || s.Status != "ok" {
			t.Errorf("source %s: %d articles, status %q; want its %d, ok", s.URL, s.Articles, s.Status, items)
		}
	}
	var st struct{ Articles int }
	decode(t, h.run("stats"), &st)
	if st.Articles != sources*items {
		t.Errorf("%d articles stored, want each of the %d served once", st.Articles, sources*items)
	}
}
