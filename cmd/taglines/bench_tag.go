package main

import "github.com/taglines/taglines/bench"

// benchTagCmd scores the tagger's models: see bench.Tag.
type benchTagCmd struct {
	Data string `default:"../shared/data" help:"Folder of the shared data sets (ner/conll2003, ner/gmb, sections/bbc)."`
}

func (c *benchTagCmd) Run(m *Main) error {
	return bench.Tag(m.Stdout, bench.TagOptions{Data: c.Data})
}
