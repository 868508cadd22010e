package query

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tNear
)

type tok struct {
	kind  tokKind
	pos   int
	text  string // word or phrase content
	field string // field prefix, if any
	n     int    // NEAR distance
}

func lex(s string) ([]tok, error) {
	var out []tok
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, &SyntaxError{i, "invalid UTF-8"}
		case unicode.IsSpace(r):
			i += size
		case r == '(':
			out = append(out, tok{kind: tLParen, pos: i})
			i++
		case r == ')':
			out = append(out, tok{kind: tRParen, pos: i})
			i++
		default:
			start := i
			field := ""
			// A field prefix: letters then ':'.
			j := i
			for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
				j++
			}
			if j > i && j < len(s) && s[j] == ':' {
				name := strings.ToLower(s[i:j])
				if _, ok := fields[name]; !ok {
					return nil, &SyntaxError{i, "unknown field " + strconv.Quote(s[i:j]) + " (want title, text, tag, source, section, lang, after or before)"}
				}
				field = name
				i = j + 1
				if i >= len(s) || s[i] == ' ' || s[i] == ')' {
					return nil, &SyntaxError{i, "missing value after " + name + ":"}
				}
			}
			if i < len(s) && (s[i] == '"' || strings.HasPrefix(s[i:], "“")) {
				q := i
				open := 1
				closeQ := "\""
				if s[i] != '"' {
					open = len("“")
					closeQ = "”"
				}
				end := strings.Index(s[i+open:], closeQ)
				if end < 0 && closeQ == "”" {
					end = strings.Index(s[i+open:], "\"")
					closeQ = "\""
				}
				if end < 0 {
					return nil, &SyntaxError{q, "unterminated phrase"}
				}
				text := s[i+open : i+open+end]
				if strings.Contains(text, "\"") {
					return nil, &SyntaxError{q, "phrase contains a straight quote"}
				}
				i = i + open + end + len(closeQ)
				prefix := false
				if i < len(s) && s[i] == '*' {
					prefix = true
					i++
				}
				t := tok{kind: tPhrase, pos: start, text: text, field: field}
				if prefix {
					t.text += "*"
				}
				out = append(out, t)
				continue
			}
			j = i
			for j < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r2) || r2 == '(' || r2 == ')' || r2 == '"' {
					break
				}
				j += sz
			}
			word := s[i:j]
			i = j
			if field == "" {
				switch {
				case word == "AND":
					out = append(out, tok{kind: tAnd, pos: start})
					continue
				case word == "OR":
					out = append(out, tok{kind: tOr, pos: start})
					continue
				case word == "NOT":
					out = append(out, tok{kind: tNot, pos: start})
					continue
				case strings.HasPrefix(word, "NEAR/") || word == "NEAR":
					n := 5
					if word != "NEAR" {
						v, err := strconv.Atoi(word[5:])
						if err != nil || v < 0 || v > 1000 {
							return nil, &SyntaxError{start, "NEAR/n needs a distance from 0 to 1000"}
						}
						n = v
					}
					out = append(out, tok{kind: tNear, pos: start, n: n})
					continue
				}
			}
			out = append(out, tok{kind: tWord, pos: start, text: word, field: field})
		}
	}
	out = append(out, tok{kind: tEOF, pos: len(s)})
	return out, nil
}

type parser struct {
	toks  []tok
	i     int
	depth int
}

func (p *parser) peek() tok { return p.toks[p.i] }
func (p *parser) next() tok { t := p.toks[p.i]; p.i++; return t }

// Parse parses a rule. Errors are *SyntaxError (wrapping
// taglines.ErrInvalid) with the byte position of the problem.
func Parse(s string) (*Query, error) {
	if len(s) > MaxLen {
		return nil, &SyntaxError{MaxLen, "rule longer than " + strconv.Itoa(MaxLen) + " bytes"}
	}
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, &SyntaxError{i, "invalid UTF-8"}
			}
			i += size
		}
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tEOF {
		return nil, &SyntaxError{0, "empty rule"}
	}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.kind == tRParen {
			return nil, &SyntaxError{t.pos, "unbalanced )"}
		}
		return nil, &SyntaxError{t.pos, "unexpected " + describe(t)}
	}
	return &Query{root: root, src: s}, nil
}

// MustParse is Parse for rules known to be valid; it panics otherwise.
func MustParse(s string) *Query {
	q, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return q
}

func describe(t tok) string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tRParen:
		return ")"
	case tLParen:
		return "("
	case tAnd:
		return "AND"
	case tOr:
		return "OR"
	case tNot:
		return "NOT"
	case tNear:
		return "NEAR"
	}
	return strconv.Quote(t.text)
}

func (p *parser) or() (Node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOr {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &Or{l, r}
	}
	return l, nil
}

func startsOperand(k tokKind) bool {
	return k == tWord || k == tPhrase || k == tLParen || k == tNot
}

func (p *parser) and() (Node, error) {
	l, err := p.near()
	if err != nil {
		return nil, err
	}
	for {
		k := p.peek().kind
		if k == tAnd {
			p.next()
		} else if !startsOperand(k) {
			return l, nil
		}
		r, err := p.near()
		if err != nil {
			return nil, err
		}
		l = &And{l, r}
	}
}

func (p *parser) near() (Node, error) {
	start := p.peek()
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tNear {
		op := p.next()
		lt, ok := l.(*Term)
		if !ok || !textual(lt.Field) {
			return nil, &SyntaxError{start.pos, "NEAR joins words or phrases of the text, title or source"}
		}
		rstart := p.peek()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		rt, ok := r.(*Term)
		if !ok || !textual(rt.Field) {
			return nil, &SyntaxError{rstart.pos, "NEAR joins words or phrases of the text, title or source"}
		}
		if rt.Field != lt.Field {
			return nil, &SyntaxError{rstart.pos, "NEAR joins terms of the same field"}
		}
		l = &Near{L: lt, R: rt, N: op.n, pos: op.pos}
		// A chain a NEAR b NEAR c is not a term any more.
		if p.peek().kind == tNear {
			return nil, &SyntaxError{p.peek().pos, "NEAR cannot be chained; use AND between NEAR pairs"}
		}
	}
	return l, nil
}

func textual(f Field) bool {
	return f == FieldAny || f == FieldTitle || f == FieldText || f == FieldSource
}

func (p *parser) unary() (Node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, &SyntaxError{p.peek().pos, "rule nested too deeply"}
	}
	t := p.next()
	switch t.kind {
	case tNot:
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Not{x}, nil
	case tLParen:
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, &SyntaxError{t.pos, "unbalanced ("}
		}
		return x, nil
	case tWord, tPhrase:
		return term(t)
	}
	return nil, &SyntaxError{t.pos, "expected a term, phrase or ( but found " + describe(t)}
}

func term(t tok) (Node, error) {
	field := fields[t.field]
	raw := t.text
	switch field {
	case FieldBefore, FieldAfter:
		return date(t, field == FieldBefore)
	}
	n := &Term{Field: field, pos: t.pos}
	switch field {
	case FieldTag, FieldSection, FieldLang:
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return nil, &SyntaxError{t.pos, "empty " + string(field) + " value"}
		}
		n.Value = raw
		return n, nil
	}
	if strings.HasSuffix(raw, "*") {
		n.Prefix = true
		raw = strings.TrimRight(raw, "*")
	}
	n.Words = Normalise(raw)
	for i, w := range n.Words {
		term := IndexTerm(w)
		if n.Prefix && i == len(n.Words)-1 {
			term = PrefixTerm(w)
			n.Stems = PrefixStems(w)
		}
		if term == "" {
			// A word of marks only (an apostrophe between dots): it is
			// no word of the index either.
			continue
		}
		n.Terms = append(n.Terms, term)
	}
	if len(n.Terms) == 0 {
		return nil, &SyntaxError{t.pos, "term " + strconv.Quote(t.text) + " has no letters or digits"}
	}
	return n, nil
}

// date parses the value of before: or after:.
func date(t tok, before bool) (Node, error) {
	v := strings.TrimSpace(t.text)
	d := &Date{Before: before, raw: v}
	if at, err := time.Parse(time.DateOnly, v); err == nil {
		d.At = at.UTC()
		return d, nil
	}
	if len(v) >= 2 {
		n, err := strconv.Atoi(v[:len(v)-1])
		unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[v[len(v)-1]]
		if err == nil && unit != 0 && n > 0 && n <= 100*366 {
			d.Ago = time.Duration(n) * unit
			return d, nil
		}
	}
	return nil, &SyntaxError{t.pos, "a date is YYYY-MM-DD or a time back from now such as 12h, 7d or 2w, not " + strconv.Quote(v)}
}
