package main

import (
	"context"
	"fmt"

	"github.com/taglines/taglines/testpub"
)

type testpubCmd struct {
	Addr    string `help:"Listen address (loopback only)." default:"127.0.0.1:8081"`
	Demo    bool   `help:"Serve the demo's publishers (the real-article corpus) instead of synthetic ones."`
	Sources int    `help:"Synthetic publishers." default:"20"`
	Items   int    `help:"Items per synthetic publisher." default:"30"`
}

// Run serves a simulated network of publishers until ctx ends, for
// trying taglines (or another reader) against it, or benchmarking from a
// second process. Its OPML list is at the listener's own address.
func (c *testpubCmd) Run(ctx context.Context, m *Main) error {
	pubs := testpub.Demo(m.now())
	if !c.Demo {
		if c.Sources < 1 || c.Items < 1 {
			return fmt.Errorf("testpub: --sources and --items must be positive")
		}
		pubs = testpub.Synthetic(c.Sources, c.Items, m.now())
	}
	network, err := testpub.Start(pubs, testpub.Options{Addr: c.Addr})
	if err != nil {
		return err
	}
	defer network.Close()
	fmt.Fprintf(m.Stdout, "testpub: %d publishers on %s; subscribe and poll with\n  taglines sources import <(curl -s http://%s%s)\n  taglines poll --allow-private-networks\n",
		len(pubs), network.Addr(), network.Addr(), testpub.OPMLPath)
	<-ctx.Done()
	return nil
}
