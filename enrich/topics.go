package enrich

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/query"
)

// Topic is a hashtag given to every article that matches its rule.
type Topic struct {
	Tag  taglines.Tag
	Rule *query.Query
}

// NewTopic parses a topic from its hashtag and rule. Errors wrap
// taglines.ErrInvalid; a bad rule's error is a *query.SyntaxError with the
// position of the problem.
func NewTopic(tag, rule string) (Topic, error) {
	t, ok := taglines.NewTag(tag)
	if !ok {
		return Topic{}, fmt.Errorf("topic %q: not a hashtag: %w", tag, taglines.ErrInvalid)
	}
	q, err := query.Parse(rule)
	if err != nil {
		return Topic{}, fmt.Errorf("topic %s: %w", t, err)
	}
	return Topic{Tag: t, Rule: q}, nil
}

// ParseTopics reads topics, one a line as "#Tag<TAB>rule"; blank lines and
// lines starting with "# " are comments. It returns the first error with
// its line number, and no topics then.
func ParseTopics(r io.Reader) ([]Topic, error) {
	var out []Topic
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), query.MaxLen+1024)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "# ") || line == "#" {
			continue
		}
		tag, rule, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("topics line %d: want #Tag<TAB>rule: %w", n, taglines.ErrInvalid)
		}
		t, err := NewTopic(tag, rule)
		if err != nil {
			return nil, fmt.Errorf("topics line %d: %w", n, err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read topics: %w", err)
	}
	return out, nil
}

//go:embed topics.txt
var defaultTopics string

// DefaultTopics returns the shipped topics (topics.txt), parsed afresh.
func DefaultTopics() []Topic {
	ts, err := ParseTopics(strings.NewReader(defaultTopics))
	if err != nil {
		panic("enrich: shipped topics.txt: " + err.Error()) // caught by TestDefaultTopics
	}
	return ts
}
