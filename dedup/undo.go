package dedup

import (
	"context"
	"fmt"

	"github.com/taglines/taglines"
)

// Undo undoes a wrong merge of a stored article, as an operator asks:
// SplitVersion makes a near-duplicate an article of its own again, in the
// same story; SplitStory moves the article, with its versions, into a story
// of its own. The store's groups are updated in one call, and, when d is
// not nil, d's index too, so that later articles are compared with the
// article as with any other. It returns the groups it wrote. Returns an
// error wrapping taglines.ErrNotFound for an unknown article and
// taglines.ErrInvalid for an unknown kind.
func Undo(ctx context.Context, store taglines.Store, d *Deduper, id int64, kind SplitKind) ([]taglines.Group, error) {
	a, err := store.Article(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("undo merge of article %d: %w", id, err)
	}
	g := taglines.Group{ArticleID: id, Cluster: a.Cluster}
	switch kind {
	case SplitVersion:
	case SplitStory:
		g.Cluster = id
	default:
		return nil, fmt.Errorf("undo merge of article %d: kind %d: %w", id, kind, taglines.ErrInvalid)
	}
	if g.Cluster == 0 {
		g.Cluster = id
	}
	if d != nil {
		res, err := d.Split(ctx, id, kind)
		if err != nil {
			return nil, fmt.Errorf("undo merge of article %d: %w", id, err)
		}
		g.DuplicateOf, g.Cluster = res.DuplicateOf, res.Cluster
	}
	groups := []taglines.Group{g}
	if kind == SplitStory && a.Cluster != 0 && a.Cluster != g.Cluster {
		// The article's own versions go with it.
		members, err := store.Articles(ctx, taglines.ArticleQuery{Cluster: a.Cluster, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("undo merge of article %d: %w", id, err)
		}
		for _, m := range members {
			if m.DuplicateOf == id {
				groups = append(groups, taglines.Group{ArticleID: m.ID, DuplicateOf: id, Cluster: g.Cluster})
			}
		}
	}
	if err := store.SetGroups(ctx, groups); err != nil {
		return nil, fmt.Errorf("undo merge of article %d: %w", id, err)
	}
	return groups, nil
}
