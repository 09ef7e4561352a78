package sqlite

import (
	"context"
	"time"

	"civicgrid"
)

// CreateSession stores s; Conflict when the hash exists, Invalid when the
// user does not.
func (tx *Tx) CreateSession(ctx context.Context, s *civicgrid.Session) error {
	_, err := tx.exec(ctx, "INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		s.Hash, int64(s.UserID), millis(s.CreatedAt), millis(s.ExpiresAt))
	err = describe(err, civicgrid.Conflict, "session exists")
	return describe(err, civicgrid.Invalid, "user %d does not exist", s.UserID)
}

// FindSession returns the session with hash, expired or not, or NotFound.
func (tx *Tx) FindSession(ctx context.Context, hash string) (*civicgrid.Session, error) {
	s := &civicgrid.Session{}
	var created, expires int64
	err := tx.queryRow(ctx, "SELECT hash, user_id, created_at, expires_at FROM sessions WHERE hash = ?", hash).
		Scan(&s.Hash, &s.UserID, &created, &expires)
	if err != nil {
		return nil, notFound(err, "session not found")
	}
	s.CreatedAt, s.ExpiresAt = tx.at(created), tx.at(expires)
	return s, nil
}

// DeleteSession removes the session with hash, if there is one.
func (tx *Tx) DeleteSession(ctx context.Context, hash string) error {
	_, err := tx.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
	return formatError(err)
}

// DeleteUserSessions removes the user's sessions but the one with hash
// keep, and returns how many it removed.
func (tx *Tx) DeleteUserSessions(ctx context.Context, id civicgrid.UserID, keep string) (int, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND hash <> ?", int64(id), keep)
	return affected(res, err)
}

// DeleteExpiredSessions removes the sessions that expired at or before now
// and returns how many it removed.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := tx.exec(ctx, "DELETE FROM sessions WHERE expires_at <= ?", millis(now))
	return affected(res, err)
}
