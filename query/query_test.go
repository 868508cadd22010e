package query

import (
	"errors"
	"strings"
	"testing"

	"github.com/taglines/taglines"
)

func TestParseString(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"word", "Ukraine", `"ukraine"`},
		{"implicit and", "ukraine russia", `("ukraine" AND "russia")`},
		{"precedence", "a OR b AND c", `("a" OR ("b" AND "c"))`},
		{"not", "a NOT b", `("a" AND NOT "b")`},
		{"parens", "(a OR b) c", `(("a" OR "b") AND "c")`},
		{"phrase", `"Peace Talks"`, `"peace talks"`},
		{"near", `putin NEAR/3 "peace talks"`, `("putin" NEAR/3 "peace talks")`},
		{"fields", `title:kremlin tag:"Vladimir Putin" section:Politics lang:en source:RT`,
			`((((title:"kremlin" AND tag:"Vladimir Putin") AND section:"Politics") AND lang:"en") AND source:"rt")`},
		{"prefix", "climat*", `"climat"*`},
		{"lower-case and is a word", "rock and roll", `(("rock" AND "and") AND "roll")`},
		{"abbreviation", "U.S.", `"us"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in string
		pos      int
	}{
		{"empty", "", 0},
		{"spaces", "   ", 0},
		{"unbalanced open", "(a OR b", 0},
		{"unbalanced close", "a)", 1},
		{"dangling or", "a OR", 4},
		{"dangling not", "a NOT", 5},
		{"unknown field", "foo:bar", 0},
		{"empty field", "title: x", 6},
		{"unterminated phrase", `a "b c`, 2},
		{"bad near", "a NEAR/x b", 2},
		{"near of group", "(a OR b) NEAR/2 c", 0},
		{"near of tag", "tag:x NEAR/2 c", 0},
		{"near chain", "a NEAR/2 b NEAR/2 c", 11},
		{"punctuation only", "a AND ...", 6},
		{"too deep", strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100), 64},
		{"invalid utf8", "a \xff", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) = %v, %v; want a *SyntaxError", tt.in, q, err)
			}
			if se.Pos != tt.pos {
				t.Errorf("Parse(%q) error at %d (%v), want at %d", tt.in, se.Pos, err, tt.pos)
			}
			if !errors.Is(err, taglines.ErrInvalid) {
				t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tt.in, err)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	doc := Doc{
		Title:   "Putin and Erdogan discuss Ukraine",
		Text:    "Russian President Vladimir Putin spoke to his Turkish counterpart about the Russia-Ukraine peace talks in Istanbul. The U.S. envoy was not there.",
		Tags:    []string{"#VladimirPutin", "Kremlin"},
		Source:  "Russia Today",
		Section: "Politics",
		Lang:    "en-GB",
	}
	tests := []struct {
		rule string
		want bool
	}{
		{"ukraine", true},
		{"UKRAINE AND erdogan", true},
		{"ukraine AND gaza", false},
		{"ukraine NOT gaza", true},
		{"NOT ukraine", false},
		{"gaza OR istanbul", true},
		{`"peace talks"`, true},
		{`"talks peace"`, false},
		{"title:istanbul", false},
		{"title:erdogan", true},
		{"text:erdogan", false},
		{"tag:VladimirPutin", true},
		{`tag:"vladimir putin"`, true},
		{"tag:kremlin", true},
		{"tag:Lavrov", false},
		{"section:politics", true},
		{"section:business", false},
		{"lang:en", true},
		{"lang:ru", false},
		{`source:"russia today"`, true},
		{"source:bbc", false},
		{"putin NEAR/2 spoke", true},
		{"putin NEAR/0 spoke", true},
		{"vladimir NEAR/0 spoke", false},
		{"istanbul NEAR/3 ukraine", true},
		{"envoy NEAR/1 ukraine", false},
		{"russ*", true},
		{"turkey*", false},
		{"us envoy", true},
		{`"u.s. envoy"`, true},
		{"(gaza OR israel) OR (kremlin AND putin)", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			q, err := Parse(tt.rule)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.rule, err)
			}
			if got := q.Match(&doc); got != tt.want {
				t.Errorf("Parse(%q).Match(doc) = %v, want %v", tt.rule, got, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"ukraine AND (russia OR kremlin) NOT title:\"live updates\"",
		"tag:VladimirPutin OR putin NEAR/3 \"peace talks\"",
		"section:Business lang:en climat*", "((a))", "a OR", "“curly” phrase", "U.S. NEAR/0 envoy",
	} {
		f.Add(s)
	}
	doc := &Doc{Title: "Putin talks", Text: "The U.S. and Russia-Ukraine peace talks.", Tags: []string{"Kremlin"}, Section: "World", Lang: "en"}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Pos < 0 || se.Pos > len(s) && len(s) <= MaxLen {
				t.Fatalf("Parse(%q) error %v: want a *SyntaxError within the rule", s, err)
			}
			return
		}
		canon := q.String()
		if len(canon) > MaxLen {
			return // canonical parentheses can outgrow the limit
		}
		q2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, canon, err)
		}
		if got := q2.String(); got != canon {
			t.Fatalf("Parse(%q) is not stable: %q then %q", s, canon, got)
		}
		if q.Match(doc) != q2.Match(doc) {
			t.Fatalf("Parse(%q) and its canonical form %q match differently", s, canon)
		}
	})
}
