package main

// benchCmd groups the benchmarks that measure each stage on files or on
// testpub; each prints its figures.
type benchCmd struct {
	Ingest  benchIngestCmd  `cmd:"" help:"Ingest N sources x M items from testpub and report throughput, CPU, memory and requests."`
	Extract benchExtractCmd `cmd:"" help:"Score extraction on a labelled page set (F1, precision, recall, title, date) and its speed."`
	Tag     benchTagCmd     `cmd:"" help:"Score entity recognition and sections on held-out data and the tagger's speed."`
	Dedup   benchDedupCmd   `cmd:"" help:"Score near-duplicates and story clusters on labelled sets and the cost per article."`
	Fill    benchFillCmd    `cmd:"" help:"Fill an empty store (--db) with a generated year of news from the demo corpus, through the real write path."`
	Search  benchSearchCmd  `cmd:"" help:"Drive searches (common and rare words, a phrase, AND) against a server on --db started in a second process, or --remote; print latency percentiles."`
	Serve   benchServeCmd   `cmd:"" help:"Drive every page, feed and API route (tags popular to rare, a deep cursor, search, feeds, trending) against a server on --db in a second process, or --remote; print latency percentiles, server CPU and peak RSS."`
}
