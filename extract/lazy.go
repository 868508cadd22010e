package extract

import (
	"regexp"
	"strings"
	"sync"
)

// lazyRegexp compiles expr on first use, once, safely for concurrent
// callers. The package's patterns cost milliseconds to compile; at init they
// would delay every command's start, most of which never extract.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// boundedRegexp matches the strings that expr matches. expr's bounded
// repeats (.{0,120}) make it slow to compile, an instruction per
// repetition; loose is expr with every repeat unbounded (.*), cheap to
// compile, and matches every string expr does, so only what loose
// matches is tried against expr, which is compiled on first need. Both
// compile on first use, once, safely for concurrent callers.
type boundedRegexp struct {
	loose, exact func() *regexp.Regexp
}

func lazyBounded(expr string) *boundedRegexp {
	return &boundedRegexp{
		loose: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(unbounded(expr)) }),
		exact: lazyRegexp(expr),
	}
}

// MatchString reports whether s matches the pattern.
func (b *boundedRegexp) MatchString(s string) bool {
	return b.loose().MatchString(s) && b.exact().MatchString(s)
}

// unbounded returns expr with the upper bound of every repeat dropped:
// x{0,n} becomes x*, x{1,n} x+ and x{m,n} x{m,}. It works on the text, so
// that \p{L} classes are not spelt out (parsed, they print as long lists
// of ranges that cost more to compile than the bounds saved); expr must
// hold no escaped or bracketed braces.
func unbounded(expr string) string {
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		if expr[i] == '{' {
			if min, n, ok := repeatBounds(expr[i:]); ok {
				switch min {
				case "0":
					b.WriteByte('*')
				case "1":
					b.WriteByte('+')
				default:
					b.WriteString("{" + min + ",}")
				}
				i += n - 1
				continue
			}
		}
		b.WriteByte(expr[i])
	}
	return b.String()
}

// repeatBounds reads a bounded repeat {m,n} at the start of s: its minimum
// and its length in bytes.
func repeatBounds(s string) (min string, n int, ok bool) {
	digits := func(i int) int {
		j := i
		for j < len(s) && '0' <= s[j] && s[j] <= '9' {
			j++
		}
		return j
	}
	comma := digits(1)
	if comma == 1 || comma >= len(s) || s[comma] != ',' {
		return "", 0, false
	}
	end := digits(comma + 1)
	if end == comma+1 || end >= len(s) || s[end] != '}' {
		return "", 0, false
	}
	return s[1:comma], end + 1, true
}
