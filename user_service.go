package civicgrid

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// PasswordHasher hashes and checks passwords (argon2id in production).
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) bool
}

// UserService creates users, issues API tokens and checks logins.
type UserService struct {
	store  Store
	hasher PasswordHasher
	now    func() time.Time
}

// NewUserService returns a UserService.
func NewUserService(store Store, hasher PasswordHasher, now func() time.Time) *UserService {
	return &UserService{store: store, hasher: hasher, now: now}
}

// NewUser is a user to create. UnitCode names the unit of a unit handler.
type NewUser struct {
	Name        string
	DisplayName string
	Role        Role
	UnitCode    string
	AreaCode    string
	Phone       string
	Password    string
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// Create stores a new user. Only an admin (or the system) may create users.
// An empty password creates a user who can sign in only with a token.
func (s *UserService) Create(ctx context.Context, in NewUser) (*User, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	u := &User{Name: strings.TrimSpace(in.Name), DisplayName: strings.TrimSpace(in.DisplayName), Role: in.Role,
		AreaCode: in.AreaCode, Phone: in.Phone, Active: true, CreatedAt: s.now()}
	if u.DisplayName == "" {
		u.DisplayName = u.Name
	}
	if in.Password != "" && len([]rune(in.Password)) < MinPasswordLength {
		return nil, FieldError("password", "at least 8 characters")
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		if in.UnitCode != "" {
			unit, err := findUnitByCode(ctx, tx, in.UnitCode)
			if err != nil {
				return err
			}
			u.UnitID = unit.ID
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if in.Password != "" {
			h, err := s.hasher.Hash(in.Password)
			if err != nil {
				return err
			}
			u.PasswordHash = h
		}
		return tx.CreateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// findUnitByCode returns the unit with code, or an Unprocessable error.
func findUnitByCode(ctx context.Context, tx Tx, code string) (*Unit, error) {
	units, err := tx.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.Code == code {
			return u, nil
		}
	}
	return nil, &Error{Code: Unprocessable, Message: "unknown unit " + code, Fields: map[string]string{"unit": "unknown unit"}}
}

// IssueToken creates an API token for the user and returns it; only its
// hash is stored, so it cannot be shown again.
func (s *UserService) IssueToken(ctx context.Context, userID UserID, name string) (string, error) {
	if err := requireAdmin(ctx); err != nil {
		return "", err
	}
	return s.issue(ctx, userID, name)
}

// issue creates and stores a token for the user.
func (s *UserService) issue(ctx context.Context, userID UserID, name string) (string, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	token := "cg_" + base64.RawURLEncoding.EncodeToString(raw[:])
	err := s.store.Update(ctx, func(tx Tx) error {
		if _, err := tx.FindUser(ctx, userID); err != nil {
			return err
		}
		return tx.CreateToken(ctx, &Token{UserID: userID, Name: name, Hash: HashToken(token), CreatedAt: s.now()})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Authenticate returns the active user with name and password, or
// Unauthorized without saying which of the two was wrong.
func (s *UserService) Authenticate(ctx context.Context, name, password string) (*User, error) {
	var u *User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.FindUserByName(ctx, name)
		return err
	})
	bad := Errorf(Unauthorized, "wrong name or password")
	if ErrorCodeOf(err) == NotFound {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if !u.Active || u.PasswordHash == "" || !s.hasher.Verify(u.PasswordHash, password) {
		return nil, bad
	}
	return u, nil
}

// Login checks name and password and issues an API token for that user, so
// that apps (the inspector's phone, a hotline system) can sign in without an
// administrator. label names the token, e.g. the device.
func (s *UserService) Login(ctx context.Context, name, password, label string) (string, *User, error) {
	u, err := s.Authenticate(ctx, name, password)
	if err != nil {
		return "", nil, err
	}
	if label == "" {
		label = "login"
	}
	token, err := s.issue(ctx, u.ID, label)
	return token, u, err
}

// AuthenticateToken returns the active user owning the API token, or
// Unauthorized.
func (s *UserService) AuthenticateToken(ctx context.Context, token string) (*User, error) {
	bad := Errorf(Unauthorized, "the API token is unknown or revoked")
	if token == "" || len(token) > 512 {
		return nil, bad
	}
	var u *User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.FindUserByToken(ctx, HashToken(token))
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

// HashToken returns the stored form of an API token: its hex SHA-256.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// requireAdmin refuses anyone but an admin or the system.
func requireAdmin(ctx context.Context) error {
	u := ActorFrom(ctx)
	switch {
	case u == nil || !u.Active:
		return Errorf(Unauthorized, "sign in first")
	case u.Role != RoleAdmin && u.Role != RoleSystem:
		return Errorf(Forbidden, "only an administrator may do this")
	}
	return nil
}

// requireCentre returns the actor in ctx if they work in the command
// centre, lead it or administer the system (Role.Centre): Unauthorized
// without an active actor, Forbidden for anyone else, saying that what is
// the centre's.
func requireCentre(ctx context.Context, what string) (*User, error) {
	u := ActorFrom(ctx)
	switch {
	case u == nil || !u.Active:
		return nil, Errorf(Unauthorized, "sign in first")
	case !u.Role.Centre():
		return nil, Errorf(Forbidden, "%s the command centre's: the %s role may not see them", what, u.Role)
	}
	return u, nil
}

// List returns the users matching f, ordered by id. Only an admin may do
// this.
func (s *UserService) List(ctx context.Context, f UserFilter) ([]*User, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	f.Search = strings.TrimSpace(f.Search)
	var users []*User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		users, err = tx.FindUsers(ctx, f)
		return err
	})
	return users, err
}

// Find returns the user with id. Only an admin may do this.
func (s *UserService) Find(ctx context.Context, id UserID) (*User, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var u *User
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		u, err = tx.FindUser(ctx, id)
		return err
	})
	return u, err
}

// UserUpdate changes a user; nil fields stay as they are. UnitCode names
// the unit of a unit handler; "" clears it.
type UserUpdate struct {
	DisplayName *string
	Role        *Role
	UnitCode    *string
	AreaCode    *string
	Phone       *string
}

// Update changes the user id. Only an admin may do this, and an admin may
// not take away their own admin role (someone must be left to configure
// the city).
func (s *UserService) Update(ctx context.Context, id UserID, in UserUpdate) (*User, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var u *User
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if u, err = tx.FindUser(ctx, id); err != nil {
			return err
		}
		if u.Role == RoleApp {
			return Errorf(Conflict, "an application's user is managed through its API key")
		}
		if in.DisplayName != nil {
			u.DisplayName = strings.TrimSpace(*in.DisplayName)
			if u.DisplayName == "" {
				u.DisplayName = u.Name
			}
		}
		if in.Role != nil {
			if self := ActorFrom(ctx); self.ID == u.ID && u.Role == RoleAdmin && *in.Role != RoleAdmin {
				return FieldError("role", "you may not take away your own admin role")
			}
			u.Role = *in.Role
		}
		if in.AreaCode != nil {
			u.AreaCode = strings.TrimSpace(*in.AreaCode)
		}
		if in.Phone != nil {
			u.Phone = strings.TrimSpace(*in.Phone)
		}
		if in.UnitCode != nil {
			u.UnitID = 0
			if code := strings.TrimSpace(*in.UnitCode); code != "" {
				unit, err := findUnitByCode(ctx, tx, code)
				if err != nil {
					return err
				}
				u.UnitID = unit.ID
			}
		}
		if err := u.Validate(); err != nil {
			return err
		}
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// SetActive deactivates or reactivates the user id. A deactivated user
// cannot sign in, their sessions are ended and their API tokens refused
// until they are reactivated. Only an admin may do this, and not to
// themselves.
func (s *UserService) SetActive(ctx context.Context, id UserID, active bool) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if self := ActorFrom(ctx); self.ID == id && !active {
		return Errorf(Conflict, "you may not deactivate yourself")
	}
	return s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.FindUser(ctx, id)
		if err != nil {
			return err
		}
		u.Active = active
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if !active {
			_, err = tx.DeleteUserSessions(ctx, id, "")
		}
		return err
	})
}

// ResetPassword sets a new password for the user id and ends their
// sessions, so that whoever knew the old one is signed out. Only an admin
// may do this.
func (s *UserService) ResetPassword(ctx context.Context, id UserID, password string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if len([]rune(password)) < MinPasswordLength {
		return FieldError("password", "at least 8 characters")
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		u, err := tx.FindUser(ctx, id)
		if err != nil {
			return err
		}
		if u.Role == RoleApp {
			return Errorf(Conflict, "an application signs in with its API key, not a password")
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		_, err = tx.DeleteUserSessions(ctx, id, "")
		return err
	})
}
