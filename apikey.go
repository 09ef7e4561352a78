package civicgrid

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"
)

// APIKey lets an application (a citizen app, a CRM, an Open311 client) open
// cases. Each key acts as its own user of role app; only the key's hash is
// stored.
type APIKey struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"` // the first characters, to tell keys apart in lists
	Hash      string     `json:"-"`
	UserID    UserID     `json:"user_id"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// APIKeyStore persists API keys.
type APIKeyStore interface {
	// CreateAPIKey stores k and sets k.ID; Conflict when the name is taken.
	CreateAPIKey(ctx context.Context, k *APIKey) error
	// FindAPIKeyByHash returns the key with hash, revoked or not, or NotFound.
	FindAPIKeyByHash(ctx context.Context, hash string) (*APIKey, error)
	// FindAPIKeys returns every key, ordered by id.
	FindAPIKeys(ctx context.Context) ([]*APIKey, error)
	// RevokeAPIKey marks the key revoked at at; NotFound when absent.
	RevokeAPIKey(ctx context.Context, id int64, at time.Time) error
}

// APIKeyService issues, checks and revokes API keys.
type APIKeyService struct {
	store Store
	now   func() time.Time
}

// NewAPIKeyService returns an APIKeyService.
func NewAPIKeyService(store Store, now func() time.Time) *APIKeyService {
	return &APIKeyService{store: store, now: now}
}

// Create issues a key for the application name and returns it; only its
// hash is kept, so it cannot be shown again. Only an admin may do this.
func (s *APIKeyService) Create(ctx context.Context, name string) (string, *APIKey, error) {
	if err := requireAdmin(ctx); err != nil {
		return "", nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 {
		return "", nil, FieldError("name", "1–64 characters")
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", nil, err
	}
	key := "ak_" + base64.RawURLEncoding.EncodeToString(raw[:])
	k := &APIKey{Name: name, Prefix: key[:10], Hash: HashToken(key), CreatedAt: s.now()}
	err := s.store.Update(ctx, func(tx Tx) error {
		u := &User{Name: "app-" + strings.Map(loginSafe, name), DisplayName: name, Role: RoleApp, Active: true, CreatedAt: k.CreatedAt}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		k.UserID = u.ID
		return tx.CreateAPIKey(ctx, k)
	})
	if err != nil {
		return "", nil, err
	}
	return key, k, nil
}

// loginSafe maps a rune of an application name to one allowed in a login.
func loginSafe(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		return r
	}
	return '_'
}

// Authenticate returns the key and the user it acts as, or Forbidden for a
// missing, unknown or revoked key (Open311 answers 403 for those).
func (s *APIKeyService) Authenticate(ctx context.Context, key string) (*APIKey, *User, error) {
	bad := Errorf(Forbidden, "api_key is missing, unknown or revoked")
	if key == "" || len(key) > 256 {
		return nil, nil, bad
	}
	var k *APIKey
	var u *User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if k, err = tx.FindAPIKeyByHash(ctx, HashToken(key)); err != nil {
			return err
		}
		u, err = tx.FindUser(ctx, k.UserID)
		return err
	})
	if ErrorCodeOf(err) == NotFound || (err == nil && (k.RevokedAt != nil || !u.Active)) {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	return k, u, nil
}

// List returns every key. Only an admin may do this.
func (s *APIKeyService) List(ctx context.Context) ([]*APIKey, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var keys []*APIKey
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		keys, err = tx.FindAPIKeys(ctx)
		return err
	})
	return keys, err
}

// Revoke stops the key working at once. Only an admin may do this.
func (s *APIKeyService) Revoke(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.RevokeAPIKey(ctx, id, s.now()) })
}
