package enrich

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidSectionMap wraps every error of ParseSectionMap.
var ErrInvalidSectionMap = errors.New("invalid section map")

// SectionMap is an operator's section map for one source: its own labels
// (feed categories, or the sections taglines gives) renamed, and
// optionally one section for all its articles. The zero value maps
// nothing.
type SectionMap struct {
	rename map[string]string // lower-cased label → section
	all    string            // "*": every article's section, "" if unset
}

// Limits on a map, so that a setting cannot make ingest expensive.
const (
	maxSectionPairs = 64
	maxSectionName  = 64
)

// ParseSectionMap reads comma-separated "label=Section" pairs, such as
// "Footie=Sports, Culture=Entertainment, Opinion=Comment" or "*=Sports".
// Labels match case-insensitively; a section is kept as written. An empty
// string is the empty map.
func ParseSectionMap(s string) (SectionMap, error) {
	var m SectionMap
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	pairs := strings.Split(s, ",")
	if len(pairs) > maxSectionPairs {
		return m, fmt.Errorf("%d pairs, at most %d: %w", len(pairs), maxSectionPairs, ErrInvalidSectionMap)
	}
	for _, p := range pairs {
		from, to, ok := strings.Cut(p, "=")
		from, to = strings.Join(strings.Fields(from), " "), strings.Join(strings.Fields(to), " ")
		switch {
		case !ok || from == "" || to == "":
			return SectionMap{}, fmt.Errorf("%q is not label=Section: %w", strings.TrimSpace(p), ErrInvalidSectionMap)
		case len(from) > maxSectionName || len(to) > maxSectionName:
			return SectionMap{}, fmt.Errorf("%q: a name longer than %d bytes: %w", strings.TrimSpace(p), maxSectionName, ErrInvalidSectionMap)
		case from == "*":
			m.all = to
		default:
			if m.rename == nil {
				m.rename = map[string]string{}
			}
			m.rename[strings.ToLower(from)] = to
		}
	}
	return m, nil
}

// All returns the section of all the source's articles, or "".
func (m SectionMap) All() string { return m.all }

// FromCategories returns the section the source's own feed categories
// name through the map, or "" if none does: the operator's labels first,
// before taglines' own (Section).
func (m SectionMap) FromCategories(categories []string) string {
	for _, c := range categories {
		if s, ok := m.rename[strings.ToLower(strings.TrimSpace(c))]; ok {
			return s
		}
	}
	return ""
}

// Rename returns the operator's name for a section taglines gave, or the
// section itself.
func (m SectionMap) Rename(section string) string {
	if s, ok := m.rename[strings.ToLower(section)]; ok {
		return s
	}
	return section
}
