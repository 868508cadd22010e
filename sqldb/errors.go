package sqldb

import (
	"errors"
	"fmt"

	"github.com/taglines/taglines"
)

// Translate maps a driver's err to the taglines sentinels, keeping its
// message: a query that selected nothing (ErrNoRows, or the driver's own
// noRows) is ErrNotFound; an error to which sentinel gives a sentinel (by
// the driver's error code) wraps it; any other stays as it is.
func Translate(err, noRows error, sentinel func(error) error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNoRows) || errors.Is(err, noRows) {
		return taglines.ErrNotFound
	}
	if s := sentinel(err); s != nil {
		return fmt.Errorf("%w: %w", s, err)
	}
	return err
}
