package indextest_test

import (
	"testing"

	"github.com/taglines/taglines/dedup"
	"github.com/taglines/taglines/dedup/indextest"
)

func TestMemIndex(t *testing.T) {
	indextest.Run(t, func(*testing.T) dedup.Index { return dedup.NewMemIndex() })
}
