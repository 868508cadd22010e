// Package query parses and evaluates the boolean rule language of topics
// (and, later, search):
//
//	ukraine AND (russia OR kremlin) NOT title:"live updates"
//	tag:VladimirPutin OR putin NEAR/3 "peace talks"
//	section:Business lang:en climat*
//
// Terms match whole words case-insensitively in the title and text; a
// trailing * matches a prefix; "quoted phrases" match consecutive words;
// a NEAR/n b matches when a and b occur within n words of each other, in
// either order. AND, OR, NOT and NEAR are upper case (lower-case "and" is
// a word); adjacent terms are ANDed; NOT binds tightest, then NEAR, AND,
// OR; parentheses group. Fields: title:, text:, tag: (a hashtag, compared
// by slug), source:, section:, lang: (language code, "en" matches "en-GB").
//
// Parse errors are *SyntaxError values carrying the byte position; they
// wrap taglines.ErrInvalid. A parsed *Query is immutable and safe for
// concurrent use.
package query

import (
	"fmt"
	"strconv"
	"strings"
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
)

var fields = map[string]Field{
	"title": FieldTitle, "text": FieldText, "tag": FieldTag,
	"source": FieldSource, "section": FieldSection, "lang": FieldLang,
}

// Query is a parsed rule.
type Query struct {
	root node
	src  string
}

// String returns the rule in canonical form: Parse(q.String()) yields an
// equivalent query with the same String.
func (q *Query) String() string { return q.root.String() }

// Source returns the rule as it was given to Parse.
func (q *Query) Source() string { return q.src }

type node interface {
	match(d *Doc) bool
	String() string
}

type (
	andNode struct{ l, r node }
	orNode  struct{ l, r node }
	notNode struct{ x node }
	// termNode is a word, a prefix (word*) or a phrase in one field.
	termNode struct {
		field  Field
		words  []string // normalised
		prefix bool     // last word is a prefix
		raw    string   // the value as written, for tag/source/section/lang
	}
	nearNode struct {
		l, r *termNode
		n    int
	}
)

func (n *andNode) String() string { return "(" + n.l.String() + " AND " + n.r.String() + ")" }
func (n *orNode) String() string  { return "(" + n.l.String() + " OR " + n.r.String() + ")" }
func (n *notNode) String() string { return "NOT " + n.x.String() }
func (n *nearNode) String() string {
	return "(" + n.l.String() + " NEAR/" + strconv.Itoa(n.n) + " " + n.r.String() + ")"
}

func (n *termNode) String() string {
	var b strings.Builder
	if n.field != FieldAny {
		b.WriteString(string(n.field) + ":")
	}
	switch n.field {
	case FieldTag, FieldSection, FieldLang:
		// Values never hold '"': the lexer ends phrases and words there.
		b.WriteString(`"` + n.raw + `"`)
		return b.String()
	}
	b.WriteString(`"` + strings.Join(n.words, " ") + `"`)
	if n.prefix {
		b.WriteByte('*')
	}
	return b.String()
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
		for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '/' || r == '\u2010' || r == '\u2011' }) {
			if strings.Contains(part, ".") && isInitials(part) {
				part = strings.ReplaceAll(part, ".", "")
			}
			part = strings.Map(func(r rune) rune {
				if r == '’' {
					return '\''
				}
				return r
			}, part)
			if hasAlnum(part) {
				out = append(out, part)
			}
		}
	}
	return out
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
	d.title = Normalise(d.Title)
	d.body = Normalise(d.Text)
	d.source = Normalise(d.Source)
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

func (n *andNode) match(d *Doc) bool { return n.l.match(d) && n.r.match(d) }
func (n *orNode) match(d *Doc) bool  { return n.l.match(d) || n.r.match(d) }
func (n *notNode) match(d *Doc) bool { return !n.x.match(d) }

func (n *termNode) match(d *Doc) bool {
	switch n.field {
	case FieldTag:
		tag, ok := taglines.NewTag(n.raw)
		return ok && d.tags[tag.Slug]
	case FieldSection:
		return strings.EqualFold(strings.TrimSpace(d.Section), n.raw)
	case FieldLang:
		lang := strings.ToLower(strings.TrimSpace(d.Lang))
		want := strings.ToLower(n.raw)
		return lang == want || strings.HasPrefix(lang, want+"-") || strings.HasPrefix(lang, want+"_")
	case FieldSource:
		return len(n.positions(d.source, 1)) > 0
	case FieldTitle:
		return len(n.positions(d.title, 1)) > 0
	case FieldText:
		return len(n.positions(d.body, 1)) > 0
	}
	return len(n.positions(d.title, 1)) > 0 || len(n.positions(d.body, 1)) > 0
}

// positions returns up to limit start positions of n in words (limit < 0: all).
func (n *termNode) positions(words []string, limit int) []int {
	var out []int
	k := len(n.words)
	if k == 0 {
		return nil
	}
	for i := 0; i+k <= len(words); i++ {
		ok := true
		for j, w := range n.words {
			if j == k-1 && n.prefix {
				ok = strings.HasPrefix(words[i+j], w)
			} else {
				ok = words[i+j] == w
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

func (n *nearNode) match(d *Doc) bool {
	lists := [][]string{d.title, d.body}
	switch n.l.field {
	case FieldTitle:
		lists = lists[:1]
	case FieldText:
		lists = lists[1:]
	case FieldSource:
		lists = [][]string{d.source}
	}
	for _, words := range lists {
		a, b := n.l.positions(words, -1), n.r.positions(words, -1)
		la, lb := len(n.l.words), len(n.r.words)
		for _, i := range a {
			for _, j := range b {
				// Words strictly between the two operands.
				gap := j - (i + la)
				if j < i {
					gap = i - (j + lb)
				}
				if gap >= 0 && gap <= n.n || gap < 0 && i != j {
					return true
				}
			}
		}
	}
	return false
}
