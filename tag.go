package taglines

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tag is a hashtag: Name is its display form without the '#'
// ("UkrainianConflict", "Kremlin.ru"), Slug the stable lower-case key used in
// URLs and lookups ("ukrainianconflict", "kremlin.ru").
type Tag struct {
	Slug string
	Name string
}

// String returns the tag as it is displayed, with its '#'.
func (t Tag) String() string { return "#" + t.Name }

// TagCount is a tag with the number of articles that carry it.
type TagCount struct {
	Tag
	Count int
}

// maxTagLen bounds a tag's name in bytes; longer labels are not tags but
// sentences that a publisher put in a category field.
const maxTagLen = 64

// NewTag turns a free-form label ("Ukrainian conflict", "kremlin.ru",
// "#Vladimir Putin", "U.S.") into a Tag. Words are joined in CamelCase, the
// first letter of each word is upper-cased and the rest kept as written, so
// "iPhone" and "NATO" survive; letters and digits of any script are kept, as
// are dots between alphanumerics (domain names). It returns false if nothing
// usable remains or the label is too long to be a tag.
func NewTag(label string) (Tag, bool) {
	label = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(label), "#"))
	if label == "" || len(label) > 4*maxTagLen {
		return Tag{}, false
	}
	var b strings.Builder
	upper := true
	runes := []rune(label)
	for i, r := range runes {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if upper {
				r = unicode.ToUpper(r)
				upper = false
			}
			b.WriteRune(r)
		case r == '.' && b.Len() > 0 && i+1 < len(runes) && isAlnum(runes[i+1]) && isAlnum(runes[i-1]):
			// A dot inside a word: a domain name (Kremlin.ru) or an
			// abbreviation (U.S.); keep domains, drop abbreviation dots.
			if isDomainish(runes, i) {
				b.WriteRune('.')
			}
		default:
			// Apostrophes join ("Women's" → "Womens"); other separators start a new word.
			if r != '\'' && r != '’' {
				upper = true
			}
		}
	}
	name := b.String()
	if name == "" || len(name) > maxTagLen || !utf8.ValidString(name) {
		return Tag{}, false
	}
	return Tag{Slug: TagSlug(name), Name: name}, true
}

// TagSlug returns the lookup key of a tag name: lower case, without '#'.
func TagSlug(name string) string {
	return strings.ToLower(strings.TrimLeft(strings.TrimSpace(name), "#"))
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isDomainish reports whether the dot at runes[i] separates two parts of at
// least two letters each, as in "Kremlin.ru", and not single letters, as in "U.S".
func isDomainish(runes []rune, i int) bool {
	left := 0
	for j := i - 1; j >= 0 && isAlnum(runes[j]); j-- {
		left++
	}
	right := 0
	for j := i + 1; j < len(runes) && isAlnum(runes[j]); j++ {
		right++
	}
	return left >= 2 && right >= 2
}

// Canonicalizer maps a tag name to the canonical name it is an alias of
// ("Kiev" → "Kyiv", "Kremlin.ru" → "Kremlin"); ok is false for a name
// that is no known alias.
type Canonicalizer func(name string) (canonical string, ok bool)

// LookupTag resolves a tag as a visitor typed it: through the alias table
// first (so /tag/Kremlin.ru shows the Kremlin's page), then as it is,
// case-insensitively. canonical may be nil. Returns ErrNotFound if no
// stored tag matches.
func LookupTag(ctx context.Context, s Store, name string, canonical Canonicalizer) (Tag, error) {
	name = strings.TrimLeft(strings.TrimSpace(name), "#")
	if canonical != nil {
		if c, ok := canonical(name); ok {
			if t, ok := NewTag(c); ok && t.Slug != TagSlug(name) {
				if found, err := s.Tag(ctx, t.Slug); err == nil {
					return found, nil
				}
			}
		}
	}
	return s.Tag(ctx, name)
}

// TagRuleKind names what an operator's tag rule does.
type TagRuleKind string

// Kinds of tag rules.
const (
	// TagAlias: Name is another spelling of the entity Target.
	TagAlias TagRuleKind = "alias"
	// TagMerge: the tag Name is folded into the tag Target.
	TagMerge TagRuleKind = "merge"
	// TagBlock: Name is never a tag; Target is empty.
	TagBlock TagRuleKind = "block"
	// TagTopic: Name is a topic tag given to the articles that Target, a
	// rule of the query language, matches; the layer that stores it checks
	// the rule's syntax.
	TagTopic TagRuleKind = "topic"
)

// TagRule is an operator's correction to tagging, applied to new articles
// at once and to stored ones by a retag.
type TagRule struct {
	Kind   TagRuleKind
	Name   string
	Target string
}

// Validate reports whether r can be applied.
func (r TagRule) Validate() error {
	switch {
	case r.Kind != TagAlias && r.Kind != TagMerge && r.Kind != TagBlock && r.Kind != TagTopic:
		return fmt.Errorf("tag rule kind %q: %w", r.Kind, ErrInvalid)
	case strings.TrimSpace(r.Name) == "":
		return fmt.Errorf("tag rule without a name: %w", ErrInvalid)
	case r.Kind != TagBlock && strings.TrimSpace(r.Target) == "":
		return fmt.Errorf("tag rule %s %q without a target: %w", r.Kind, r.Name, ErrInvalid)
	case r.Kind == TagBlock && r.Target != "":
		return fmt.Errorf("tag rule block %q with a target: %w", r.Name, ErrInvalid)
	}
	return nil
}
