// Command taglines is the news aggregation engine: it polls publisher feeds,
// extracts and tags their articles, and serves "Latest news with #Tag"
// pages. Every pipeline stage is also a subcommand that works on files.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "taglines:", err)
		os.Exit(1)
	}
}
