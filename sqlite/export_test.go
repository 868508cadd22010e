package sqlite

// SetNewestWindow lowers the first try of newest-first searches, so that
// the shared search suite also runs the walk taken by common queries.
// The walk's chunks are narrowed to n articles too, so that a page takes
// several chunks.
func SetNewestWindow(n int) (restore func()) {
	old, oldChunk := newestWindow, newestChunk
	newestWindow, newestChunk = n, n
	return func() { newestWindow, newestChunk = old, oldChunk }
}
