package taglines

import "errors"

// Sentinel errors shared by every Store implementation. Stores translate
// driver errors into these so callers never import a database driver.
var (
	// ErrNotFound means the requested row does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a row with the same unique key already exists.
	ErrConflict = errors.New("already exists")
	// ErrInvalid means the input was rejected before it reached storage.
	ErrInvalid = errors.New("invalid input")
)
