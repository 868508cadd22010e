package postgres_test

import (
	"testing"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
)

// TestDedupIndex runs the dedup.Index suite with a fresh schema per test.
func TestDedupIndex(t *testing.T) {
	u, admin := server(t)
	indextest.Run(t, func(t *testing.T) dedup.Index {
		return openIn(t, schema(t, u, admin)).DedupIndex()
	})
}
