package feed

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use, once, safely for concurrent
// callers, so that commands that read no feed do not pay for it at start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
