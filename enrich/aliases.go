package enrich

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/taglines/taglines"
)

// EntityType is the kind of a named entity or tag.
type EntityType string

// Entity types as shown in tags and the JSON output. TypeTopic marks topic tags.
const (
	TypePerson       EntityType = "person"
	TypeOrganization EntityType = "organization"
	TypePlace        EntityType = "place"
	TypeOther        EntityType = "other"
	TypeTopic        EntityType = "topic"
)

// Aliases links the forms of names to canonical names ("Kiev" → "Kyiv",
// "Kremlin.ru" → "Kremlin"), names demonyms' countries, and holds merged
// and blocked tags. Lookups ignore case, dots, a leading "the" and
// hashtag spelling, so "U.S.", "US" and "#us" are one key. It is safe for
// concurrent use; the zero value is not: use NewAliases or DefaultAliases.
type Aliases struct {
	mu       sync.RWMutex // guards the maps
	canon    map[string]entry
	demonyms map[string]string // key → country (canonical)
	// demonymWords are the demonyms of each country, as written.
	demonymWords map[string][]string
	blocked      map[string]bool // tag slugs
}

type entry struct {
	name string
	typ  EntityType
	// ifNamed: the alias stands for name only in an article that also
	// names it, or calls something by its demonym ("SA" is South Africa
	// beside "South African", not in "Ryanair SA").
	ifNamed bool
}

// NewAliases returns an empty table.
func NewAliases() *Aliases {
	return &Aliases{canon: map[string]entry{}, demonyms: map[string]string{}, blocked: map[string]bool{}}
}

//go:embed aliases.txt
var defaultAliases string

// DefaultAliases returns a new table holding the shipped aliases.txt.
func DefaultAliases() *Aliases {
	a := NewAliases()
	if err := a.Load(strings.NewReader(defaultAliases)); err != nil {
		panic("enrich: shipped aliases.txt: " + err.Error()) // caught by TestDefaultAliases
	}
	return a
}

// aliasKey folds a name for lookups: lower case, no dots or '#', no
// leading "the", single spaces, "’" as "'", and CamelCase hashtags equal
// to their spaced form ("VladimirPutin" = "Vladimir Putin").
func aliasKey(name string) string {
	name = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(name), "#"))
	name = strings.ReplaceAll(name, "’", "'")
	name = strings.ReplaceAll(name, ".", "")
	name = strings.ToLower(strings.Join(strings.Fields(name), " "))
	name = strings.TrimPrefix(name, "the ")
	return strings.ReplaceAll(name, " ", "")
}

// Load adds the entries of an alias file (the format of aliases.txt).
// On error nothing after the bad line is added.
func (a *Aliases) Load(r io.Reader) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return fmt.Errorf("aliases line %d: want 3 tab-separated fields: %w", n, taglines.ErrInvalid)
		}
		typ, name := EntityType(f[0]), strings.TrimSpace(f[1])
		for _, alias := range strings.Split(f[2], "|") {
			var err error
			switch {
			case typ == "demonym":
				err = a.AddDemonym(alias, name)
			case strings.HasSuffix(alias, "?"):
				err = a.addIfNamed(strings.TrimSuffix(alias, "?"), name, typ)
			default:
				err = a.Add(alias, name, typ)
			}
			if err != nil {
				return fmt.Errorf("aliases line %d: %w", n, err)
			}
		}
		if typ != "demonym" {
			if err := a.Add(name, name, typ); err != nil {
				return fmt.Errorf("aliases line %d: %w", n, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read aliases: %w", err)
	}
	return nil
}

// Add makes alias a spelling of canonical, of type typ (person,
// organization, place, other; "" keeps the type the recogniser found).
// Returns an error wrapping taglines.ErrInvalid if either name is empty
// or typ is unknown.
func (a *Aliases) Add(alias, canonical string, typ EntityType) error {
	switch typ {
	case "", TypePerson, TypeOrganization, TypePlace, TypeOther:
	default:
		return fmt.Errorf("alias %q: unknown type %q: %w", alias, typ, taglines.ErrInvalid)
	}
	k := aliasKey(alias)
	canonical = strings.Join(strings.Fields(canonical), " ")
	if k == "" || canonical == "" {
		return fmt.Errorf("alias %q → %q: empty name: %w", alias, canonical, taglines.ErrInvalid)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	// Follow an existing chain so that lookups stay one step.
	if e, ok := a.canon[aliasKey(canonical)]; ok && aliasKey(e.name) != k {
		canonical = e.name
		if typ == "" {
			typ = e.typ
		}
	}
	a.canon[k] = entry{name: canonical, typ: typ}
	// Re-point aliases of the old form.
	for key, e := range a.canon {
		if aliasKey(e.name) == k && key != k {
			a.canon[key] = entry{name: canonical, typ: e.typ, ifNamed: e.ifNamed}
		}
	}
	return nil
}

// Merge makes the tag from an alias of the tag to: articles tagged from
// are tagged to afterwards. It is Add with the recogniser's type kept.
func (a *Aliases) Merge(from, to string) error { return a.Add(from, to, "") }

// AddDemonym makes adjective (e.g. "Ukrainian") point to country when an
// article is about that country.
func (a *Aliases) AddDemonym(adjective, country string) error {
	k := aliasKey(adjective)
	if k == "" || strings.TrimSpace(country) == "" {
		return fmt.Errorf("demonym %q → %q: empty name: %w", adjective, country, taglines.ErrInvalid)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.demonyms[k] = strings.TrimSpace(country)
	if a.demonymWords == nil {
		a.demonymWords = map[string][]string{}
	}
	a.demonymWords[strings.TrimSpace(country)] = append(a.demonymWords[strings.TrimSpace(country)], strings.TrimSpace(adjective))
	return nil
}

// Block keeps the tag of name (a hashtag or a name, any alias of it) off
// every article; Unblock lifts it.
func (a *Aliases) Block(name string) {
	c, _ := a.Canonical(name)
	if t, ok := taglines.NewTag(c); ok {
		a.mu.Lock()
		a.blocked[t.Slug] = true
		a.mu.Unlock()
	}
}

// Unblock undoes Block.
func (a *Aliases) Unblock(name string) {
	c, _ := a.Canonical(name)
	if t, ok := taglines.NewTag(c); ok {
		a.mu.Lock()
		delete(a.blocked, t.Slug)
		a.mu.Unlock()
	}
}

// Blocked reports whether the tag of name is blocked.
func (a *Aliases) Blocked(name string) bool {
	c, _ := a.Canonical(name)
	t, ok := taglines.NewTag(c)
	if !ok {
		return false
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.blocked[t.Slug]
}

// addIfNamed is Add for an alias that stands for canonical only in an
// article that names it (entry.ifNamed); an alias the table knows
// otherwise stays as it is.
func (a *Aliases) addIfNamed(alias, canonical string, typ EntityType) error {
	if err := a.Add(alias, canonical, typ); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := aliasKey(alias)
	e := a.canon[k]
	e.ifNamed = true
	a.canon[k] = e
	return nil
}

// named reports whether doc names canonical: the name itself, or a
// demonym of it, as whole words, case-insensitively.
func (a *Aliases) named(doc, canonical string) bool {
	lower := strings.ToLower(doc)
	has := func(w string) bool {
		w = strings.ToLower(w)
		for i := 0; ; {
			j := strings.Index(lower[i:], w)
			if j < 0 {
				return false
			}
			j += i
			end := j + len(w)
			before, _ := utf8.DecodeLastRuneInString(lower[:j])
			after, _ := utf8.DecodeRuneInString(lower[end:])
			if (j == 0 || !unicode.IsLetter(before)) && (end == len(lower) || !unicode.IsLetter(after)) {
				return true
			}
			i = j + 1
		}
	}
	if has(canonical) {
		return true
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	for _, w := range a.demonymWords[canonical] {
		if has(w) {
			return true
		}
	}
	return false
}

// Canonical returns the canonical name of name and true when the table
// knows it; otherwise name itself (trimmed) and false.
func (a *Aliases) Canonical(name string) (string, bool) {
	e, ok := a.lookup(name)
	if !ok {
		return strings.Join(strings.Fields(name), " "), false
	}
	return e.name, true
}

func (a *Aliases) lookup(name string) (entry, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	e, ok := a.canon[aliasKey(name)]
	return e, ok
}

// Demonym returns the country a demonym points to, if it is one.
func (a *Aliases) Demonym(word string) (string, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	c, ok := a.demonyms[aliasKey(word)]
	return c, ok
}
