package enrich

import (
	"fmt"

	"github.com/taglines/taglines"
)

// TagRules is an operator's set of tag corrections, ready to apply to
// tags already made (feed categories, stored tags) by their slugs.
// The zero value applies nothing. It is safe for concurrent reads.
type TagRules struct {
	replace map[string]taglines.Tag // slug → the tag it becomes (alias, merge)
	blocked map[string]bool
}

// NewTagRules compiles rules and teaches them to aliases (nil: none), so
// that the tagger resolves names in text the same way.
func NewTagRules(rules []taglines.TagRule, aliases *Aliases) (*TagRules, error) {
	r := &TagRules{replace: map[string]taglines.Tag{}, blocked: map[string]bool{}}
	for _, rule := range rules {
		if err := rule.Validate(); err != nil {
			return nil, err
		}
		if rule.Kind == taglines.TagTopic {
			continue // topics are rules over text: see Topics
		}
		from, ok := taglines.NewTag(rule.Name)
		if !ok {
			return nil, fmt.Errorf("tag rule %s %q: not a tag: %w", rule.Kind, rule.Name, taglines.ErrInvalid)
		}
		switch rule.Kind {
		case taglines.TagBlock:
			r.blocked[from.Slug] = true
			if aliases != nil {
				aliases.Block(rule.Name)
			}
		default:
			to, ok := taglines.NewTag(rule.Target)
			if !ok {
				return nil, fmt.Errorf("tag rule %s %q: target %q is not a tag: %w", rule.Kind, rule.Name, rule.Target, taglines.ErrInvalid)
			}
			r.replace[from.Slug] = to
			if aliases != nil {
				// The target names itself too, so that a shipped alias
				// pointing the other way ("Lavrov" → "Sergey Lavrov")
				// cannot send it back.
				for _, name := range []string{rule.Name, rule.Target} {
					if err := aliases.Add(name, rule.Target, ""); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return r, nil
}

// Apply returns tags with aliases and merges followed, blocked tags
// dropped and duplicates removed, in order, at most MaxTags.
func (r *TagRules) Apply(tags []taglines.Tag) []taglines.Tag {
	out := make([]taglines.Tag, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		if r != nil {
			if to, ok := r.replace[t.Slug]; ok {
				t = to
			}
			if r.blocked[t.Slug] {
				continue
			}
		}
		if seen[t.Slug] || len(out) == MaxTags {
			continue
		}
		seen[t.Slug] = true
		out = append(out, t)
	}
	return out
}

// Canonical maps a tag name through the rules: the tag an alias or merge
// sends it to, ok false if no rule names it.
func (r *TagRules) Canonical(name string) (string, bool) {
	t, ok := taglines.NewTag(name)
	if r == nil || !ok {
		return name, false
	}
	if to, ok := r.replace[t.Slug]; ok {
		return to.Name, true
	}
	for _, to := range r.replace {
		if to.Slug == t.Slug {
			return to.Name, true // a rule's target is canonical, whatever the shipped aliases say
		}
	}
	return name, false
}

// Topics returns the operators' topics among rules, parsed. A rule that
// does not parse is an error naming it and the position of the fault.
func Topics(rules []taglines.TagRule) ([]Topic, error) {
	var out []Topic
	for _, r := range rules {
		if r.Kind != taglines.TagTopic {
			continue
		}
		tp, err := NewTopic(r.Name, r.Target)
		if err != nil {
			return nil, fmt.Errorf("topic %s: %w", r.Name, err)
		}
		out = append(out, tp)
	}
	return out, nil
}
