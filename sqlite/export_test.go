package sqlite

// SetNewestWindow lowers the first try of newest-first searches, so that
// the shared search suite also runs the walk taken by common queries.
func SetNewestWindow(n int) (restore func()) {
	old := newestWindow
	newestWindow = n
	return func() { newestWindow = old }
}
