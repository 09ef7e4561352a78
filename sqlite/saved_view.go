package sqlite

import (
	"context"

	"civicgrid"
)

// CreateSavedView stores v and sets v.ID; Conflict when the user has a
// view of that name, Invalid when the user does not exist.
func (tx *Tx) CreateSavedView(ctx context.Context, v *civicgrid.SavedView) error {
	res, err := tx.exec(ctx, "INSERT INTO saved_views (user_id, name, query, created_at) VALUES (?, ?, ?, ?)",
		int64(v.UserID), v.Name, v.Query, millis(v.CreatedAt))
	if err != nil {
		err = describe(err, civicgrid.Conflict, "a view named %q exists", v.Name)
		return describe(err, civicgrid.Invalid, "user %d does not exist", v.UserID)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return formatError(err)
	}
	v.ID = civicgrid.SavedViewID(id)
	return nil
}

// FindSavedViews returns the user's views, by name.
func (tx *Tx) FindSavedViews(ctx context.Context, user civicgrid.UserID) ([]*civicgrid.SavedView, error) {
	var out []*civicgrid.SavedView
	err := tx.queryAll(ctx, func(s scanner) error {
		v := &civicgrid.SavedView{}
		var created int64
		if err := s.Scan(&v.ID, &v.UserID, &v.Name, &v.Query, &created); err != nil {
			return err
		}
		v.CreatedAt = tx.at(created)
		out = append(out, v)
		return nil
	}, "SELECT id, user_id, name, query, created_at FROM saved_views WHERE user_id = ? ORDER BY name, id", int64(user))
	return out, err
}

// DeleteSavedView removes the user's view id; NotFound when the user has
// no such view.
func (tx *Tx) DeleteSavedView(ctx context.Context, user civicgrid.UserID, id civicgrid.SavedViewID) error {
	res, err := tx.exec(ctx, "DELETE FROM saved_views WHERE id = ? AND user_id = ?", int64(id), int64(user))
	if err == nil {
		err = changed(res)
	}
	return notFound(err, "saved view %d not found", id)
}
