package civicgrid

import (
	"context"
	"regexp"
	"time"
)

// Role is what a user does in the command centre. Permissions follow from
// the role and the user's scope (unit, area, cells).
type Role string

// The roles.
const (
	RoleAdmin       Role = "admin"        // 管理员: configures everything and may act in any role
	RoleOperator    Role = "operator"     // 受理员: takes reports, sends verify and check tasks
	RoleShiftLeader Role = "shift_leader" // 值班长: files, cancels, closes
	RoleDispatcher  Role = "dispatcher"   // 派遣员: dispatches, approves extensions and suspensions
	RoleUnit        Role = "unit_handler" // 专业部门/处置单位: signs, handles, returns
	RoleInspector   Role = "inspector"    // 监督员/信息采集员: reports, verifies, checks
	RoleLeader      Role = "leader"       // 领导/指挥长: watches, urges
	RoleCitizen     Role = "citizen"      // 市民: reports and follows their own cases
	RoleApp         Role = "app"          // an application acting through an API key (Open311 clients)
	RoleSystem      Role = "system"       // background jobs; never a login
)

// Roles lists the roles a user may have.
var Roles = []Role{RoleAdmin, RoleOperator, RoleShiftLeader, RoleDispatcher, RoleUnit, RoleInspector, RoleLeader, RoleCitizen}

var roleNames = map[Role]Text{
	RoleAdmin:       {"管理员", "Administrator"},
	RoleOperator:    {"受理员", "Operator"},
	RoleShiftLeader: {"值班长", "Shift leader"},
	RoleDispatcher:  {"派遣员", "Dispatcher"},
	RoleUnit:        {"处置单位", "Unit handler"},
	RoleInspector:   {"监督员", "Inspector"},
	RoleLeader:      {"领导", "Leader"},
	RoleCitizen:     {"市民", "Citizen"},
	RoleApp:         {"接入应用", "Application"},
	RoleSystem:      {"系统", "System"},
}

// Valid reports whether r is a role a user may have.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok && r != RoleSystem }

// Centre reports whether r works in or leads the command centre (or is
// the admin or the system): the roles that see the whole picture, the
// dashboard, the evaluations and the hotspots.
func (r Role) Centre() bool {
	switch r {
	case RoleAdmin, RoleSystem, RoleOperator, RoleShiftLeader, RoleDispatcher, RoleLeader:
		return true
	}
	return false
}

// Name returns the role's display name.
func (r Role) Name() Text { return roleNames[r] }

// UserID identifies a user.
type UserID int64

// User is a person who logs in, or an application acting through a token.
// Scope: a unit handler acts for UnitID; a leader, operator or dispatcher
// with an AreaCode sees only that district, street or community; an
// inspector works in the cells assigned to them and on their own tasks.
type User struct {
	ID           UserID    `json:"id"`
	Name         string    `json:"name"` // login name
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	UnitID       UnitID    `json:"unit_id,omitempty"`
	AreaCode     string    `json:"area_code,omitempty"`
	Phone        string    `json:"phone,omitempty"`
	PasswordHash string    `json:"-"`
	Active       bool      `json:"active"`
	CreatedAt    time.Time `json:"created_at"`
}

var loginNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.\-@]{2,64}$`)

// Validate checks the user's own fields.
func (u *User) Validate() error {
	fe := FieldErrors{}
	if !loginNamePattern.MatchString(u.Name) {
		fe.Add("name", "2–64 letters, digits or _ . - @")
	}
	if !u.Role.Valid() {
		fe.Add("role", "unknown role")
	}
	if u.Role == RoleUnit && u.UnitID == 0 {
		fe.Add("unit", "a unit handler needs a unit")
	}
	if u.AreaCode != "" && !areaCodePattern.MatchString(u.AreaCode) {
		fe.Add("area_code", "must be a 6, 9 or 12 digit area code")
	}
	return fe.Err()
}

// SystemUser is the actor of background jobs and imports.
var SystemUser = &User{ID: 0, Name: "system", DisplayName: "系统", Role: RoleSystem, Active: true}

// Token is an API token. Only its SHA-256 hash is stored.
type Token struct {
	ID        int64     `json:"id"`
	UserID    UserID    `json:"user_id"`
	Name      string    `json:"name"`
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// UserFilter selects users. Nil fields do not filter.
type UserFilter struct {
	Role   *Role
	UnitID *UnitID
	// Search, when not empty, keeps the users whose login or display name
	// contains it (case-insensitive for ASCII letters).
	Search string
}

// UserStore persists users and tokens.
type UserStore interface {
	// CreateUser stores u and sets u.ID; Conflict when the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser replaces the stored user u.ID; NotFound when absent.
	UpdateUser(ctx context.Context, u *User) error
	// FindUser returns the user with id, or NotFound.
	FindUser(ctx context.Context, id UserID) (*User, error)
	// FindUserByName returns the user with login name, or NotFound.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers returns the users matching f, ordered by id.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// CreateToken stores t and sets t.ID; Conflict when the hash exists.
	CreateToken(ctx context.Context, t *Token) error
	// FindUserByToken returns the active user owning the token with hash,
	// or NotFound.
	FindUserByToken(ctx context.Context, hash string) (*User, error)
}

type actorKey struct{}

// WithActor returns a context carrying the acting user.
func WithActor(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, actorKey{}, u)
}

// ActorFrom returns the acting user in ctx, or nil.
func ActorFrom(ctx context.Context) *User {
	u, _ := ctx.Value(actorKey{}).(*User)
	return u
}
