package postgres

import (
	"context"
	"fmt"
	"time"
)

// dedupLockKey names the advisory lock of the dedup stage; the schema's
// name is mixed in so that schemas sharing a server do not share it.
const dedupLockKey int32 = 0x74676c6e // "tgln"

// DedupLock takes the session-level advisory lock that serialises dedup
// decisions across every process writing this database, for
// dedup.Options.Lock. It holds one pooled connection until the returned
// function releases it.
func (s *Store) DedupLock(ctx context.Context) (func(), error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("dedup lock: %w", err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1, hashtext(current_schema()))`, dedupLockKey); err != nil {
		conn.Release()
		return nil, fmt.Errorf("dedup lock: %w", err)
	}
	return func() {
		// The unlock must run on the same session, even if the caller's
		// context has ended.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1, hashtext(current_schema()))`, dedupLockKey); err != nil {
			// A lock we cannot release must not return to the pool with
			// its session: close the connection, which releases it.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}
