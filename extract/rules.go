package extract

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Rules are one source's extraction rules, as data: CSS selectors of the
// elements that hold the article (Keep) or must go (Drop), and regular
// expressions (RE2 syntax) of text to strip from the extracted text.
// Compile checks them; a nil *Rules applies nothing. A compiled Rules is
// safe for concurrent use.
type Rules struct {
	Keep  []string `json:"keep,omitempty"`
	Drop  []string `json:"drop,omitempty"`
	Strip []string `json:"strip,omitempty"`

	keepSel, dropSel []cascadia.Sel
	stripRE          []*regexp.Regexp
}

// Limits on rules, so that rules edited at runtime cannot make extraction
// expensive.
const (
	maxRules    = 64
	maxRuleSize = 512
)

// ErrInvalidRules wraps every error of Compile and ParseRules.
var ErrInvalidRules = errors.New("invalid extraction rules")

// ParseRules reads rules from JSON ({"keep":[...],"drop":[...],"strip":[...]})
// and compiles them. Unknown fields are an error, so a typo is not silently
// ignored.
func ParseRules(b []byte) (*Rules, error) {
	var r Rules
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidRules, err)
	}
	if err := r.Compile(); err != nil {
		return nil, err
	}
	return &r, nil
}

// Compile validates and compiles the selectors and patterns. Every error
// names the rule at fault and wraps ErrInvalidRules.
func (r *Rules) Compile() error {
	if r == nil {
		return nil
	}
	var errs []error
	if n := len(r.Keep) + len(r.Drop) + len(r.Strip); n > maxRules {
		errs = append(errs, fmt.Errorf("%d rules, at most %d", n, maxRules))
	}
	sels := func(kind string, src []string) []cascadia.Sel {
		var out []cascadia.Sel
		for i, s := range src {
			if strings.TrimSpace(s) == "" || len(s) > maxRuleSize {
				errs = append(errs, fmt.Errorf("%s[%d]: selector empty or longer than %d bytes", kind, i, maxRuleSize))
				continue
			}
			sel, err := cascadia.Parse(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s[%d] %q: %w", kind, i, s, err))
				continue
			}
			out = append(out, sel)
		}
		return out
	}
	r.keepSel = sels("keep", r.Keep)
	r.dropSel = sels("drop", r.Drop)
	r.stripRE = nil
	for i, s := range r.Strip {
		if s == "" || len(s) > maxRuleSize {
			errs = append(errs, fmt.Errorf("strip[%d]: pattern empty or longer than %d bytes", i, maxRuleSize))
			continue
		}
		re, err := regexp.Compile(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("strip[%d] %q: %w", i, s, err))
			continue
		}
		if re.MatchString("") {
			errs = append(errs, fmt.Errorf("strip[%d] %q: matches the empty string", i, s))
			continue
		}
		r.stripRE = append(r.stripRE, re)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidRules, errors.Join(errs...))
	}
	return nil
}

func (r *Rules) compiled() bool {
	return r != nil && len(r.keepSel)+len(r.dropSel)+len(r.stripRE) == len(r.Keep)+len(r.Drop)+len(r.Strip)
}

// drop removes the elements the Drop selectors match.
func (r *Rules) drop(doc *html.Node) {
	if !r.compiled() {
		return
	}
	for _, sel := range r.dropSel {
		for _, n := range cascadia.QueryAll(doc, sel) {
			if n.Parent != nil {
				n.Parent.RemoveChild(n)
			}
		}
	}
}

// keep returns a new element holding copies of the elements the Keep
// selectors match, in document order, or nil if none match.
func (r *Rules) keep(doc *html.Node) *html.Node {
	if !r.compiled() || len(r.keepSel) == 0 {
		return nil
	}
	var found []*html.Node
	seen := map[*html.Node]bool{}
	for _, sel := range r.keepSel {
		for _, n := range cascadia.QueryAll(doc, sel) {
			if !seen[n] {
				seen[n] = true
				found = append(found, n)
			}
		}
	}
	if len(found) == 0 {
		return nil
	}
	// A match inside another match is already kept.
	root := &html.Node{Type: html.ElementNode, Data: "div"}
	for _, n := range inDocumentOrder(doc, found) {
		nested := false
		for p := n.Parent; p != nil; p = p.Parent {
			if seen[p] {
				nested = true
				break
			}
		}
		if !nested {
			root.AppendChild(cloneNode(n, 0))
		}
	}
	return root
}

func inDocumentOrder(doc *html.Node, set []*html.Node) []*html.Node {
	want := make(map[*html.Node]bool, len(set))
	for _, n := range set {
		want[n] = true
	}
	out := make([]*html.Node, 0, len(set))
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if want[n] {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// strip removes the Strip patterns' matches from text, and the paragraphs
// they leave empty.
func (r *Rules) strip(text string) string {
	if !r.compiled() || len(r.stripRE) == 0 {
		return text
	}
	for _, re := range r.stripRE {
		text = re.ReplaceAllString(text, "")
	}
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}
