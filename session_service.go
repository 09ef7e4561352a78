package civicgrid

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"
)

// DefaultSessionTTL is how long a browser stays signed in: a week, so that
// a unit handler who looks in twice a day is not asked to sign in each
// time.
const DefaultSessionTTL = 7 * 24 * time.Hour

// SessionService signs browsers in and out. Passwords are checked by the
// UserService; the session id is 32 random bytes, and only its hash is
// stored.
type SessionService struct {
	store Store
	users *UserService
	now   func() time.Time
	ttl   time.Duration
}

// NewSessionService returns a SessionService whose sessions last ttl
// (DefaultSessionTTL when ttl <= 0).
func NewSessionService(store Store, users *UserService, now func() time.Time, ttl time.Duration) *SessionService {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	return &SessionService{store: store, users: users, now: now, ttl: ttl}
}

// TTL returns how long a new session lasts.
func (s *SessionService) TTL() time.Duration { return s.ttl }

// Login checks name and password and starts a session for that user. It
// returns the session id, which only the browser keeps, and the user;
// Unauthorized when the name or password is wrong.
func (s *SessionService) Login(ctx context.Context, name, password string) (string, *User, error) {
	u, err := s.users.Authenticate(ctx, name, password)
	if err != nil {
		return "", nil, err
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now().Truncate(time.Millisecond)
	sess := &Session{Hash: HashToken(id), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.CreateSession(ctx, sess) }); err != nil {
		return "", nil, err
	}
	return id, u, nil
}

// User returns the active user of the session with id, or Unauthorized
// when there is no such session, it has expired or its user was
// deactivated.
func (s *SessionService) User(ctx context.Context, id string) (*User, error) {
	bad := Errorf(Unauthorized, "sign in first")
	if id == "" || len(id) > 100 {
		return nil, bad
	}
	var u *User
	err := s.store.View(ctx, func(tx Tx) error {
		sess, err := tx.FindSession(ctx, HashToken(id))
		if err != nil {
			return err
		}
		if !s.now().Before(sess.ExpiresAt) {
			return Errorf(NotFound, "session expired")
		}
		u, err = tx.FindUser(ctx, sess.UserID)
		return err
	})
	if ErrorCodeOf(err) == NotFound || (err == nil && !u.Active) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Logout ends the session with id; ending one that does not exist is not
// an error.
func (s *SessionService) Logout(ctx context.Context, id string) error {
	if id == "" || len(id) > 100 {
		return nil
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, HashToken(id)) })
}

// ChangePassword changes the signed-in actor's password, after checking
// the current one, and ends their other sessions (the one with id keep
// stays signed in). A wrong current password is Invalid on the field
// current, a short new one on the field new.
func (s *SessionService) ChangePassword(ctx context.Context, keep, current, next string) error {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active || actor.Role == RoleSystem {
		return Errorf(Unauthorized, "sign in first")
	}
	if _, err := s.users.Authenticate(ctx, actor.Name, current); err != nil {
		if ErrorCodeOf(err) == Unauthorized {
			return FieldError("current", "wrong password")
		}
		return err
	}
	if len([]rune(next)) < MinPasswordLength {
		return FieldError("new", "at least 8 characters")
	}
	hash, err := s.users.hasher.Hash(next)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.FindUser(ctx, actor.ID)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		keepHash := ""
		if keep != "" {
			keepHash = HashToken(keep)
		}
		_, err = tx.DeleteUserSessions(ctx, u.ID, keepHash)
		return err
	})
}

// Purge removes the expired sessions and returns how many; it is the
// "session.purge" job.
func (s *SessionService) Purge(ctx context.Context) (int, error) {
	var n int
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		n, err = tx.DeleteExpiredSessions(ctx, s.now())
		return err
	})
	return n, err
}
