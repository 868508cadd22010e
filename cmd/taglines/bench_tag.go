package main

import "github.com/taglines/taglines/bench"

// benchTagCmd scores the tagger's models: see bench.Tag.
type benchTagCmd struct {
	Data     string `default:"../shared/data" help:"Folder of the shared data sets (ner/conll2003, ner/gmb, sections/bbc)."`
	UCI      string `name:"uci" placeholder:"FILE" help:"The UCI News Aggregator's newsCorpora.csv: also score sections on its held-out publishers (see enrich/section/DATA.md)."`
	HuffPost string `name:"huffpost" placeholder:"FILES" help:"News Category Dataset JSON-lines files, comma-separated: also score sections on their held-out tenth."`
}

func (c *benchTagCmd) Run(m *Main) error {
	return bench.Tag(m.Stdout, bench.TagOptions{Data: c.Data, UCI: c.UCI, HuffPost: c.HuffPost})
}
