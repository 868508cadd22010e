package postgres

// SetFirstWindow narrows the first window of ranked searches, so that the
// shared search suite also runs the windows after it: the bitmap reads,
// the sizing by density, the jump to the rest after an empty window.
func SetFirstWindow(n int64) (restore func()) {
	old := firstWindow
	firstWindow = n
	return func() { firstWindow = old }
}
