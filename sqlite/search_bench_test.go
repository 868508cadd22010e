package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/taglines/taglines/testpub"
)

// BenchmarkSearchIndex measures what the search index adds to storing an
// article: its terms (Snowball stems of title and text) and its FTS5 row,
// flushed with the transaction, in batches of 100 as ingest writes them;
// ns/op is per article.
func BenchmarkSearchIndex(b *testing.B) {
	corpus, err := testpub.Corpus()
	if err != nil {
		b.Fatal(err)
	}
	st, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	// Warm the stem cache as a running server has it.
	for _, c := range corpus {
		newIndexDoc(c.Title, strings.Join(c.Paragraphs, "\n\n"))
	}
	const batch = 100
	id := int64(1 << 40) // clear of articles' IDs
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		n := min(batch, b.N-i)
		docs := make([]indexDoc, n)
		for k := range n {
			c := corpus[(i+k)%len(corpus)]
			docs[k] = newIndexDoc(c.Title, strings.Join(c.Paragraphs, "\n\n"))
		}
		if err := st.write(ctx, func(tx *sql.Tx) error {
			for _, d := range docs {
				id++
				if err := indexArticle(ctx, tx, id, d, false); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
