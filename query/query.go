// Package query parses and evaluates the boolean rule language of topics
// and search:
//
//	ukraine AND (russia OR kremlin) NOT title:"live updates"
//	tag:VladimirPutin OR putin NEAR/3 "peace talks"
//	section:Business lang:en climat* after:2025-01-01 before:7d
//
// Terms match whole words of the title and text after case folding and
// stemming (Snowball English for Latin script, Russian for Cyrillic:
// "sanctions" finds "sanctioned"); a trailing * matches the beginning of a
// word's stem; "quoted phrases" match consecutive words; a NEAR/n b
// matches when a and b occur within n words of each other, in either
// order. AND, OR, NOT and NEAR are upper case (lower-case "and" is a
// word); adjacent terms are ANDed; NOT binds tightest, then NEAR, AND, OR;
// parentheses group. Fields: title:, text:, tag: (a hashtag, compared by
// slug), source:, section:, lang: (language code, "en" matches "en-GB"),
// after: and before: (a day YYYY-MM-DD, midnight UTC, or a time back from
// now: 12h, 7d, 2w; after: includes its instant, before: excludes it).
//
// The same rule selects the same articles as a topic (Match, on text) and
// as a search (the stores compile Root to SQLite FTS5 and PostgreSQL
// tsquery over IndexTerms).
//
// Parse errors are *SyntaxError values carrying the byte position; they
// wrap taglines.ErrInvalid. A parsed *Query is immutable and safe for
// concurrent use.
package query

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/enrich/token"
)

// MaxLen is the longest rule Parse accepts, in bytes.
const MaxLen = 4096

// maxDepth bounds nesting so that hostile rules cannot exhaust the stack.
const maxDepth = 64

// SyntaxError is a rule that does not parse: Pos is the byte offset of the
// offending token in the rule.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("query: at %d: %s", e.Pos, e.Msg) }

// Unwrap makes every SyntaxError match taglines.ErrInvalid.
func (e *SyntaxError) Unwrap() error { return taglines.ErrInvalid }

// Field names a part of a document.
type Field string

// Fields of a Doc a term can be restricted to. FieldAny is title and text.
const (
	FieldAny     Field = ""
	FieldTitle   Field = "title"
	FieldText    Field = "text"
	FieldTag     Field = "tag"
	FieldSource  Field = "source"
	FieldSection Field = "section"
	FieldLang    Field = "lang"
	FieldBefore  Field = "before"
	FieldAfter   Field = "after"
)

var fields = map[string]Field{
	"title": FieldTitle, "text": FieldText, "tag": FieldTag,
	"source": FieldSource, "section": FieldSection, "lang": FieldLang,
	"before": FieldBefore, "after": FieldAfter,
}

// Query is a parsed rule.
type Query struct {
	root Node
	src  string
}

// String returns the rule in canonical form: Parse(q.String()) yields an
// equivalent query with the same String.
func (q *Query) String() string { return q.root.String() }

// Source returns the rule as it was given to Parse.
func (q *Query) Source() string { return q.src }

// Root returns the rule's syntax tree, for the stores that compile it to
// their own query languages. The tree must not be modified.
func (q *Query) Root() Node { return q.root }

// Node is a node of a rule's syntax tree: *And, *Or, *Not, *Term, *Near or
// *Date.
type Node interface {
	match(d *Doc) bool
	String() string
}

type (
	// And matches when both sides do.
	And struct{ L, R Node }
	// Or matches when either side does.
	Or struct{ L, R Node }
	// Not matches when X does not.
	Not struct{ X Node }
	// Term is a word, a prefix (word*) or a phrase in one field, or the
	// value of a tag:, source:, section: or lang: field.
	Term struct {
		Field Field
		// Words are the words as written, normalised (Normalise); Terms
		// the same words as the index holds them (IndexTerm), which is
		// what they are compared by.
		Words, Terms []string
		Prefix       bool // the last word is a prefix, compared unstemmed
		// Stems are, for a prefix, the terms of words it begins that the
		// index holds under a shorter stem (PrefixStems): the last word
		// matches a term it begins or one of these.
		Stems []string
		Value string // the value as written, for tag/section/lang
		pos   int
	}
	// Near matches when L and R occur in the same field with at most N
	// words between them, in either order, without overlapping.
	Near struct {
		L, R *Term
		N    int
		pos  int
	}
	// Date is before: or after: a day (At, midnight UTC) or a time
	// before now (Ago). after: includes its instant, before: excludes it.
	Date struct {
		Before bool
		At     time.Time
		Ago    time.Duration
		raw    string
	}
)

// Time returns the instant d compares publication times with.
func (d *Date) Time(now time.Time) time.Time {
	if d.Ago != 0 {
		return now.Add(-d.Ago)
	}
	return d.At
}

func (n *And) String() string { return "(" + n.L.String() + " AND " + n.R.String() + ")" }
func (n *Or) String() string  { return "(" + n.L.String() + " OR " + n.R.String() + ")" }
func (n *Not) String() string { return "NOT " + n.X.String() }
func (n *Near) String() string {
	return "(" + n.L.String() + " NEAR/" + strconv.Itoa(n.N) + " " + n.R.String() + ")"
}
func (n *Date) String() string {
	if n.Before {
		return "before:" + n.raw
	}
	return "after:" + n.raw
}

func (n *Term) String() string {
	var b strings.Builder
	if n.Field != FieldAny {
		b.WriteString(string(n.Field) + ":")
	}
	switch n.Field {
	case FieldTag, FieldSection, FieldLang:
		// Values never hold '"': the lexer ends phrases and words there.
		b.WriteString(`"` + n.Value + `"`)
		return b.String()
	}
	b.WriteString(`"` + strings.Join(n.Words, " ") + `"`)
	if n.Prefix {
		b.WriteByte('*')
	}
	return b.String()
}

// Textual reports whether the term compares words of the title or text
// (not a tag, the source, the section or the language).
func (n *Term) Textual() bool {
	return n.Field == FieldAny || n.Field == FieldTitle || n.Field == FieldText
}

// Normalise returns the words of s as rules and documents compare them:
// lower case, split at hyphens and slashes, dots of abbreviations dropped
// (U.S. → us), possessive 's and punctuation removed.
func Normalise(s string) []string {
	var out []string
	// Lower-case first: the tokenizer's rules depend on case, and the
	// words must normalise to themselves when a canonical rule is reparsed.
	for _, t := range token.Tokenize(strings.ToLower(s)) {
		w := t.Text
		if w == "'s" || w == "’s" {
			continue
		}
		// Most words are plain: split, strip and map only those that are not.
		if plainWord(w) {
			out = append(out, w)
			continue
		}
		parts := []string{w}
		if strings.ContainsAny(w, "-/\u2010\u2011") {
			parts = strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '/' || r == '\u2010' || r == '\u2011' })
		}
		for _, part := range parts {
			if strings.Contains(part, ".") && isInitials(part) {
				part = strings.ReplaceAll(part, ".", "")
			}
			if strings.Contains(part, "’") {
				part = strings.ReplaceAll(part, "’", "'")
			}
			if hasAlnum(part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// plainWord reports whether w is ASCII letters, digits and apostrophes
// with at least one letter or digit: a word Normalise keeps as it is.
func plainWord(w string) bool {
	alnum := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z':
			alnum = true
		case c == '\'':
		default:
			return false
		}
	}
	return alnum
}

func isInitials(w string) bool {
	for _, p := range strings.Split(strings.TrimSuffix(w, "."), ".") {
		if utf8.RuneCountInString(p) > 1 {
			return false
		}
	}
	return true
}

func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Doc is what a rule is evaluated against. Fill the exported fields; the
// word lists are computed on first use, so a Doc is not safe for concurrent
// use but may be matched against many queries cheaply.
type Doc struct {
	Title, Text string
	Tags        []string // hashtags or names; compared by slug
	Source      string
	Section     string
	Lang        string
	// Published is compared with before: and after:, relative ones
	// counted back from Now (the current time if zero). A Doc without a
	// Published time matches no date.
	Published, Now time.Time

	prepared    bool
	title, body []string
	source      []string
	tags        map[string]bool
}

func (d *Doc) prepare() {
	if d.prepared {
		return
	}
	d.prepared = true
	d.title = IndexTerms(d.Title)
	d.body = IndexTerms(d.Text)
	d.source = IndexTerms(d.Source)
	d.tags = map[string]bool{}
	for _, t := range d.Tags {
		if tag, ok := taglines.NewTag(t); ok {
			d.tags[tag.Slug] = true
		}
	}
}

// Match reports whether d satisfies q.
func (q *Query) Match(d *Doc) bool {
	d.prepare()
	return q.root.match(d)
}

// MatchTerms reports whether a document whose title and text have the
// given index terms (IndexTerms), and whose other fields are in d,
// satisfies q: the stores' index holds terms, not text.
func (q *Query) MatchTerms(title, body []string, d *Doc) bool {
	d.prepare()
	d.title, d.body = title, body
	return q.root.match(d)
}

func (n *And) match(d *Doc) bool { return n.L.match(d) && n.R.match(d) }
func (n *Or) match(d *Doc) bool  { return n.L.match(d) || n.R.match(d) }
func (n *Not) match(d *Doc) bool { return !n.X.match(d) }

func (n *Date) match(d *Doc) bool {
	if d.Published.IsZero() {
		return false
	}
	now := d.Now
	if now.IsZero() {
		now = time.Now()
	}
	t := n.Time(now)
	if n.Before {
		return d.Published.Before(t)
	}
	return !d.Published.Before(t)
}

func (n *Term) match(d *Doc) bool {
	switch n.Field {
	case FieldTag:
		tag, ok := taglines.NewTag(n.Value)
		return ok && d.tags[tag.Slug]
	case FieldSection:
		return strings.EqualFold(strings.TrimSpace(d.Section), n.Value)
	case FieldLang:
		return LangMatches(d.Lang, n.Value)
	case FieldSource:
		return len(n.Positions(d.source, 1)) > 0
	case FieldTitle:
		return len(n.Positions(d.title, 1)) > 0
	case FieldText:
		return len(n.Positions(d.body, 1)) > 0
	}
	return len(n.Positions(d.title, 1)) > 0 || len(n.Positions(d.body, 1)) > 0
}

// LangMatches reports whether a document's language code lang is want or
// one of its regional forms ("en" matches "en-GB").
func LangMatches(lang, want string) bool {
	lang = strings.ToLower(strings.TrimSpace(lang))
	want = strings.ToLower(want)
	return lang == want || strings.HasPrefix(lang, want+"-") || strings.HasPrefix(lang, want+"_")
}

// Positions returns up to limit start positions of n in terms (limit < 0:
// all).
func (n *Term) Positions(terms []string, limit int) []int {
	var out []int
	k := len(n.Terms)
	if k == 0 {
		return nil
	}
	for i := 0; i+k <= len(terms); i++ {
		ok := true
		for j, w := range n.Terms {
			if j == k-1 && n.Prefix {
				ok = strings.HasPrefix(terms[i+j], w) || slices.Contains(n.Stems, terms[i+j])
			} else {
				ok = terms[i+j] == w
			}
			if !ok {
				break
			}
		}
		if ok {
			out = append(out, i)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
	}
	return out
}

func (n *Near) match(d *Doc) bool {
	lists := [][]string{d.title, d.body}
	switch n.L.Field {
	case FieldTitle:
		lists = lists[:1]
	case FieldText:
		lists = lists[1:]
	case FieldSource:
		lists = [][]string{d.source}
	}
	for _, words := range lists {
		if n.In(words) {
			return true
		}
	}
	return false
}

// In reports whether n matches within one field's terms.
func (n *Near) In(terms []string) bool {
	a, b := n.L.Positions(terms, -1), n.R.Positions(terms, -1)
	la, lb := len(n.L.Terms), len(n.R.Terms)
	for _, i := range a {
		for _, j := range b {
			// Words strictly between the two operands; overlapping
			// operands do not match (neither index can tell them).
			gap := j - (i + la)
			if j < i {
				gap = i - (j + lb)
			}
			if gap >= 0 && gap <= n.N {
				return true
			}
		}
	}
	return false
}
