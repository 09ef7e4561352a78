package sqlite

import (
	"context"

	"civicgrid"
)

// UpsertCategory creates or replaces the category with c.Code.
func (tx *Tx) UpsertCategory(ctx context.Context, c *civicgrid.Category) error {
	data, err := jsonColumn(c, false)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO categories (code, data) VALUES (?, ?)
		ON CONFLICT (code) DO UPDATE SET data = excluded.data`, c.Code, data)
	return formatError(err)
}

// FindCategory returns the category with code, or NotFound.
func (tx *Tx) FindCategory(ctx context.Context, code string) (*civicgrid.Category, error) {
	var data []byte
	if err := tx.queryRow(ctx, "SELECT data FROM categories WHERE code = ?", code).Scan(&data); err != nil {
		return nil, notFound(err, "category %s not found", code)
	}
	c := &civicgrid.Category{}
	return c, fromJSON(data, c)
}

// FindCategories returns every category, ordered by code.
func (tx *Tx) FindCategories(ctx context.Context) ([]*civicgrid.Category, error) {
	var cats []*civicgrid.Category
	err := tx.queryAll(ctx, func(s scanner) error {
		var data []byte
		if err := s.Scan(&data); err != nil {
			return err
		}
		c := &civicgrid.Category{}
		cats = append(cats, c)
		return fromJSON(data, c)
	}, "SELECT data FROM categories ORDER BY code")
	return cats, err
}
