// Command startup measures how long commands take to start and finish:
// the minimum and the median of -n runs each, run in turns so that a
// change in the machine's load touches every command alike.
//
//	go run ./bench/startup -n 15 'hello=/tmp/hello' 'help=/tmp/taglines --help' 'extract=/tmp/taglines extract page.html'
//
// `make startup` builds the binaries and runs it on a page of extract's
// test data.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 15, "runs of each command")
	flag.Parse()
	type command struct {
		name string
		argv []string
		runs []time.Duration
	}
	var cmds []*command
	for _, a := range flag.Args() {
		name, line, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(line) == "" {
			fmt.Fprintf(os.Stderr, "startup: %q is not name=command\n", a)
			os.Exit(2)
		}
		cmds = append(cmds, &command{name: name, argv: strings.Fields(line)})
	}
	if len(cmds) == 0 || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: startup [-n runs] name=command ...")
		os.Exit(2)
	}
	for range *n {
		for _, c := range cmds {
			cmd := exec.Command(c.argv[0], c.argv[1:]...)
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			start := time.Now()
			if err := cmd.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "startup: %s: %v\n", c.name, err)
				os.Exit(1)
			}
			c.runs = append(c.runs, time.Since(start))
		}
	}
	base := slices.Min(cmds[0].runs)
	fmt.Printf("%-10s %10s %10s %8s\n", "command", "min", "median", "min/"+cmds[0].name)
	for _, c := range cmds {
		slices.Sort(c.runs)
		fmt.Printf("%-10s %10s %10s %7.1fx\n", c.name, c.runs[0].Round(10*time.Microsecond),
			c.runs[len(c.runs)/2].Round(10*time.Microsecond), float64(c.runs[0])/float64(base))
	}
}
