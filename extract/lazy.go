package extract

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use, once, safely for concurrent
// callers. The package's patterns cost milliseconds to compile; at init they
// would delay every command's start, most of which never extract.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
