package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"civicgrid"
)

// userColumns are the columns scanUser reads, in order.
const userColumns = "users.id, users.name, users.display_name, users.role, users.unit_id, users.area_code, " +
	"users.phone, users.password_hash, users.active, users.created_at"

// scanUser reads one row of userColumns.
func (tx *Tx) scanUser(s scanner) (*civicgrid.User, error) {
	u := &civicgrid.User{}
	var unit sql.NullInt64
	var created int64
	if err := s.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &unit, &u.AreaCode,
		&u.Phone, &u.PasswordHash, &u.Active, &created); err != nil {
		return nil, err
	}
	u.UnitID = civicgrid.UnitID(unit.Int64)
	u.CreatedAt = tx.at(created)
	return u, nil
}

// CreateUser stores u and sets u.ID; Conflict when the name is taken,
// Invalid when its unit does not exist.
func (tx *Tx) CreateUser(ctx context.Context, u *civicgrid.User) error {
	res, err := tx.exec(ctx, `INSERT INTO users
		(name, display_name, role, unit_id, area_code, phone, password_hash, active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Name, u.DisplayName, u.Role, nullID(u.UnitID), u.AreaCode, u.Phone, u.PasswordHash, bit(u.Active), millis(u.CreatedAt))
	if err != nil {
		return userError(err, u)
	}
	id, err := res.LastInsertId()
	u.ID = civicgrid.UserID(id)
	return formatError(err)
}

// UpdateUser replaces the stored user u.ID; NotFound when absent, Conflict
// when renamed to a taken name.
func (tx *Tx) UpdateUser(ctx context.Context, u *civicgrid.User) error {
	res, err := tx.exec(ctx, `UPDATE users SET name = ?, display_name = ?, role = ?, unit_id = ?, area_code = ?,
		phone = ?, password_hash = ?, active = ?, created_at = ? WHERE id = ?`,
		u.Name, u.DisplayName, u.Role, nullID(u.UnitID), u.AreaCode, u.Phone, u.PasswordHash, bit(u.Active),
		millis(u.CreatedAt), int64(u.ID))
	if err != nil {
		return userError(err, u)
	}
	return notFound(changed(res), "user %d not found", u.ID)
}

// userError describes a failed insert or update of u.
func userError(err error, u *civicgrid.User) error {
	err = describe(err, civicgrid.Conflict, "user name %s is taken", u.Name)
	return describe(err, civicgrid.Invalid, "unit %d does not exist", u.UnitID)
}

// FindUser returns the user with id, or NotFound.
func (tx *Tx) FindUser(ctx context.Context, id civicgrid.UserID) (*civicgrid.User, error) {
	u, err := tx.scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", int64(id)))
	if err != nil {
		return nil, notFound(err, "user %d not found", id)
	}
	return u, nil
}

// FindUserByName returns the user with login name, or NotFound.
func (tx *Tx) FindUserByName(ctx context.Context, name string) (*civicgrid.User, error) {
	u, err := tx.scanUser(tx.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE name = ?", name))
	if err != nil {
		return nil, notFound(err, "user %s not found", name)
	}
	return u, nil
}

// FindUsers returns the users matching f, ordered by id.
func (tx *Tx) FindUsers(ctx context.Context, f civicgrid.UserFilter) ([]*civicgrid.User, error) {
	where, args := []string{"1"}, []any{}
	if f.Role != nil {
		where, args = append(where, "role = ?"), append(args, string(*f.Role))
	}
	if f.UnitID != nil {
		if *f.UnitID == 0 {
			where = append(where, "unit_id IS NULL")
		} else {
			where, args = append(where, "unit_id = ?"), append(args, int64(*f.UnitID))
		}
	}
	if f.Search != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Search) + "%"
		where = append(where, `(name LIKE ? ESCAPE '\' OR display_name LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	var users []*civicgrid.User
	err := tx.queryAll(ctx, func(s scanner) error {
		u, err := tx.scanUser(s)
		users = append(users, u)
		return err
	}, "SELECT "+userColumns+" FROM users WHERE "+strings.Join(where, " AND ")+" ORDER BY id", args...)
	return users, err
}

// CreateToken stores t and sets t.ID; Conflict when the hash exists,
// Invalid when the user does not.
func (tx *Tx) CreateToken(ctx context.Context, t *civicgrid.Token) error {
	res, err := tx.exec(ctx, "INSERT INTO tokens (user_id, name, hash, created_at) VALUES (?, ?, ?, ?)",
		int64(t.UserID), t.Name, t.Hash, millis(t.CreatedAt))
	if err != nil {
		err = describe(err, civicgrid.Conflict, "token exists")
		return describe(err, civicgrid.Invalid, "user %d does not exist", t.UserID)
	}
	t.ID, err = res.LastInsertId()
	return formatError(err)
}

// FindUserByToken returns the active user owning the token with hash, or
// NotFound.
func (tx *Tx) FindUserByToken(ctx context.Context, hash string) (*civicgrid.User, error) {
	u, err := tx.scanUser(tx.queryRow(ctx, "SELECT "+userColumns+
		" FROM tokens JOIN users ON users.id = tokens.user_id WHERE tokens.hash = ? AND users.active = 1", hash))
	if err != nil {
		return nil, notFound(err, "token not found")
	}
	return u, nil
}
