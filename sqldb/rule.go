package sqldb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

// RuleSQL is how one dialect renders the conditions of a search rule that
// differ between the databases; the rest Compiler renders alike for both.
type RuleSQL struct {
	// Text renders a text-only subtree as a condition on the full-text
	// index, binding its query with arg, or reports that it cannot.
	Text func(n query.Node, arg func(any) string) (string, bool)
	// Section is the condition, with %s for the bound value, that
	// a.section equals the value under ASCII case folding.
	Section string
	// Sources renders the condition that a.source_id is one of ids.
	Sources func(ids []int64, arg func(any) string) string
}

// Compiler renders the parts of a search rule that the full-text index
// does not answer alone as SQL over the articles (alias a), every value a
// bound parameter, appended to Args in the order of the text. It serves
// one search and is not safe for concurrent use.
type Compiler struct {
	Args    []any
	now     time.Time
	sql     *SQL
	sources func(query.Node) ([]int64, error)
}

// Compiler returns the compiler of one search, whose dates are relative
// to now.
func (q *Queries) Compiler(ctx context.Context, now time.Time) *Compiler {
	return &Compiler{now: now, sql: &q.sql, sources: q.SourcesMatching(ctx)}
}

// Arg binds v as the next argument and returns its placeholder.
func (c *Compiler) Arg(v any) string {
	c.Args = append(c.Args, v)
	return c.sql.Param(len(c.Args))
}

// Cond renders n as a condition. Returns ErrInvalid for a node it does not
// know.
func (c *Compiler) Cond(n query.Node) (string, error) {
	if query.TextOnly(n) {
		if e, ok := c.sql.Rule.Text(n, c.Arg); ok {
			return e, nil
		}
	}
	switch n := n.(type) {
	case *query.And:
		return c.pair(n.L, " AND ", n.R)
	case *query.Or:
		return c.pair(n.L, " OR ", n.R)
	case *query.Not:
		x, err := c.Cond(n.X)
		if err != nil {
			return "", err
		}
		return "NOT " + x, nil
	case *query.Date:
		t := c.Arg(c.sql.Time(n.Time(c.now)))
		if n.Before {
			return `a.published_at < ` + t, nil
		}
		return `a.published_at >= ` + t, nil
	case *query.Near:
		return c.source(n)
	case *query.Term:
		switch n.Field {
		case query.FieldTag:
			tag, ok := taglines.NewTag(n.Value)
			if !ok {
				return `FALSE`, nil
			}
			return `EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = (SELECT id FROM tags WHERE slug = ` + c.Arg(tag.Slug) + `))`, nil
		case query.FieldSection:
			return fmt.Sprintf(c.sql.Rule.Section, c.Arg(n.Value)), nil
		case query.FieldLang:
			want := strings.ToLower(n.Value)
			esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(want)
			return `(lower(a.language) = ` + c.Arg(want) + ` OR lower(a.language) LIKE ` + c.Arg(esc+"-%") +
				` ESCAPE '\' OR lower(a.language) LIKE ` + c.Arg(esc+`\_%`) + ` ESCAPE '\')`, nil
		case query.FieldSource:
			return c.source(n)
		}
	}
	return "", fmt.Errorf("search: cannot compile %s: %w", n, taglines.ErrInvalid)
}

func (c *Compiler) pair(l query.Node, op string, r query.Node) (string, error) {
	ls, err := c.Cond(l)
	if err != nil {
		return "", err
	}
	rs, err := c.Cond(r)
	if err != nil {
		return "", err
	}
	return "(" + ls + op + rs + ")", nil
}

// source compiles a source: term (or a NEAR of them) to the IDs of the
// sources whose names it matches.
func (c *Compiler) source(n query.Node) (string, error) {
	ids, err := c.sources(n)
	if err != nil {
		return "", err
	}
	return c.sql.Rule.Sources(ids, c.Arg), nil
}
