package civicgrid

import (
	"context"
	"time"
)

// Session is a signed-in browser. The browser holds a random session id in
// a cookie; the store keeps only its hash, so a copy of the database does
// not sign anyone in.
type Session struct {
	Hash      string    `json:"-"` // hex SHA-256 of the session id
	UserID    UserID    `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// SessionStore persists sessions.
type SessionStore interface {
	// CreateSession stores s; Conflict when the hash exists, Invalid when
	// the user does not.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with hash, expired or not, or
	// NotFound.
	FindSession(ctx context.Context, hash string) (*Session, error)
	// DeleteSession removes the session with hash; removing one that does
	// not exist is not an error.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions removes every session of the user except the one
	// with hash keep ("" keeps none) and returns how many it removed.
	DeleteUserSessions(ctx context.Context, id UserID, keep string) (int, error)
	// DeleteExpiredSessions removes the sessions that expired at or before
	// now and returns how many it removed.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}
