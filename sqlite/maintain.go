package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/taglines/taglines"
)

// UpdateArticles rewrites the content and tags of stored articles in one
// transaction; unknown IDs are skipped.
func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	n := 0
	docs := make([]indexDoc, len(articles))
	for i, a := range articles {
		docs[i] = newIndexDoc(a.Title, a.Text)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		tagIDs := map[string]int64{}
		for i, a := range articles {
			var published int64
			err := tx.QueryRowContext(ctx, `
				UPDATE articles SET title = ?, text = ?, section = ?, section_confidence = ?
				WHERE id = ? RETURNING published_at`,
				a.Title, a.Text, a.Section, a.SectionConfidence, a.ID).Scan(&published)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			n++
			if err := indexArticle(ctx, tx, a.ID, docs[i], true); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if err := linkTags(ctx, tx, a.ID, a.Tags, published, tagIDs); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("update articles: %w", err)
	}
	return n, nil
}

// ScanArticles walks the articles by ascending ID.
func (s *Store) ScanArticles(ctx context.Context, afterID int64, limit int, sourceID int64) ([]*taglines.Article, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	out, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id > ? AND (? = 0 OR a.source_id = ?) ORDER BY a.id LIMIT ?`, afterID, sourceID, sourceID, limit)
	if err != nil {
		return nil, fmt.Errorf("scan articles: %w", err)
	}
	return out, nil
}

// TagRules lists the tag rules by kind and name.
func (s *Store) TagRules(ctx context.Context) ([]taglines.TagRule, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, name, target FROM tag_rules ORDER BY kind, name`)
	if err != nil {
		return nil, fmt.Errorf("tag rules: %w", err)
	}
	defer rows.Close()
	var out []taglines.TagRule
	for rows.Next() {
		var r taglines.TagRule
		if err := rows.Scan(&r.Kind, &r.Name, &r.Target); err != nil {
			return nil, fmt.Errorf("tag rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetTagRule stores a tag rule, replacing one of the same kind and name.
func (s *Store) SetTagRule(ctx context.Context, r taglines.TagRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO tag_rules (kind, name, target, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, name) DO UPDATE SET target = excluded.target`,
		string(r.Kind), r.Name, r.Target, time.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("set tag rule %s %q: %w", r.Kind, r.Name, err)
	}
	return nil
}

// DeleteTagRule removes a tag rule, or returns ErrNotFound.
func (s *Store) DeleteTagRule(ctx context.Context, kind taglines.TagRuleKind, name string) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM tag_rules WHERE kind = ? AND name = ?`, string(kind), name)
	if err != nil {
		return fmt.Errorf("delete tag rule %s %q: %w", kind, name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete tag rule %s %q: %w", kind, name, err)
	} else if n == 0 {
		return fmt.Errorf("delete tag rule %s %q: %w", kind, name, taglines.ErrNotFound)
	}
	return nil
}
