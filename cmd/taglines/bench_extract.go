package main

import (
	"context"

	"github.com/taglines/taglines/bench"
)

// benchExtractCmd scores extraction on a labelled page set in the layout of
// trafilatura's evaluation: see bench.Extract.
type benchExtractCmd struct {
	Data     string `default:"../shared/data/extraction/trafilatura-dev" help:"Directory holding evaldata.json and pages/."`
	Baseline bool   `help:"Score plain go-readability (the library taglines starts from) instead of taglines."`
	Failures int    `help:"Print up to N pages with missed or leaked snippets, for study."`
	Verbose  bool   `help:"With --failures, print the missed and leaked snippets and the metadata mismatches."`
}

func (c *benchExtractCmd) Run(ctx context.Context, m *Main) error {
	r, err := bench.Extract(ctx, bench.ExtractOptions{Data: c.Data, Baseline: c.Baseline, Failures: c.Failures, Verbose: c.Verbose})
	if err != nil {
		return err
	}
	return r.Write(m.Stdout)
}
