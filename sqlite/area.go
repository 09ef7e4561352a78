package sqlite

import (
	"context"

	"civicgrid"
)

// UpsertArea creates or renames the area with a.Code. An area saved without
// a shape keeps the one stored before.
func (tx *Tx) UpsertArea(ctx context.Context, a *civicgrid.Area) error {
	_, err := tx.exec(ctx, `INSERT INTO areas (code, level, name, parent_code, shape) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET level = excluded.level, name = excluded.name,
			parent_code = excluded.parent_code, shape = coalesce(excluded.shape, areas.shape)`,
		a.Code, a.Level, a.Name, a.ParentCode, encodeShape(a.Shape))
	return formatError(err)
}

// FindAreas returns every area, ordered by code.
func (tx *Tx) FindAreas(ctx context.Context) ([]*civicgrid.Area, error) {
	var areas []*civicgrid.Area
	err := tx.queryAll(ctx, func(s scanner) error {
		a := &civicgrid.Area{}
		var shape []byte
		if err := s.Scan(&a.Code, &a.Level, &a.Name, &a.ParentCode, &shape); err != nil {
			return err
		}
		var err error
		a.Shape, err = decodeShape(shape)
		areas = append(areas, a)
		return err
	}, "SELECT code, level, name, parent_code, shape FROM areas ORDER BY code")
	return areas, err
}
