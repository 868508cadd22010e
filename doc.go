// Package taglines holds the domain of the taglines news aggregation engine:
// sources, articles, tags and the Store that keeps them.
//
// The pipeline lives in sub-packages named for its stages (fetch, feed,
// extract, enrich, ingest, poll) around this package; the databases (sqlite,
// postgres) implement Store, and only cmd/taglines chooses one. This package
// depends on the standard library only.
package taglines
