package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"civicgrid"
)

// cellColumns are the columns scanCell reads, in order.
const cellColumns = "code, name, shape, area_m2, lat, lon, valid_from, valid_to"

// SaveCells stores cells as the current version of their codes: a code's
// current row is closed at validFrom and the new one inserted. The
// inspectors of a code are kept unless the new cell lists some; an unknown
// inspector is Invalid.
func (tx *Tx) SaveCells(ctx context.Context, cells []*civicgrid.GridCell, validFrom time.Time) error {
	from := millis(validFrom)
	for _, c := range cells {
		if _, err := tx.exec(ctx, "UPDATE grid_cells SET valid_to = ? WHERE code = ? AND valid_to IS NULL", from, c.Code); err != nil {
			return formatError(err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO grid_cells (code, name, shape, area_m2, lat, lon, valid_from)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.Code, c.Name, encodeShape(c.Shape), c.AreaM2, c.Centroid.Lat, c.Centroid.Lon, from); err != nil {
			return formatError(err)
		}
		if len(c.Inspectors) > 0 {
			if err := tx.setInspectors(ctx, c.Code, c.Inspectors); err != nil {
				return err
			}
		}
	}
	return nil
}

// SetCellInspectors replaces the inspectors assigned to the current cell
// code; NotFound when there is no such cell, Invalid for an unknown user.
func (tx *Tx) SetCellInspectors(ctx context.Context, code string, inspectors []civicgrid.UserID) error {
	var one int
	err := tx.queryRow(ctx, "SELECT 1 FROM grid_cells WHERE code = ? AND valid_to IS NULL", code).Scan(&one)
	if err != nil {
		return notFound(err, "cell %s not found", code)
	}
	return tx.setInspectors(ctx, code, inspectors)
}

func (tx *Tx) setInspectors(ctx context.Context, code string, inspectors []civicgrid.UserID) error {
	if _, err := tx.exec(ctx, "DELETE FROM cell_inspectors WHERE cell_code = ?", code); err != nil {
		return formatError(err)
	}
	for _, id := range inspectors {
		_, err := tx.exec(ctx, "INSERT OR IGNORE INTO cell_inspectors (cell_code, user_id) VALUES (?, ?)", code, int64(id))
		if err != nil {
			return describe(err, civicgrid.Invalid, "cell %s: inspector %d does not exist", code, id)
		}
	}
	return nil
}

// FindCurrentCells returns the current (not closed) cells, ordered by code,
// each with its inspectors in id order.
func (tx *Tx) FindCurrentCells(ctx context.Context) ([]*civicgrid.GridCell, error) {
	var cells []*civicgrid.GridCell
	err := tx.queryAll(ctx, func(s scanner) error {
		c, err := tx.scanCell(s)
		cells = append(cells, c)
		return err
	}, "SELECT "+cellColumns+" FROM grid_cells WHERE valid_to IS NULL ORDER BY code")
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*civicgrid.GridCell, len(cells))
	for _, c := range cells {
		byCode[c.Code] = c
	}
	err = tx.queryAll(ctx, func(s scanner) error {
		var code string
		var id civicgrid.UserID
		if err := s.Scan(&code, &id); err != nil {
			return err
		}
		if c := byCode[code]; c != nil {
			c.Inspectors = append(c.Inspectors, id)
		}
		return nil
	}, "SELECT cell_code, user_id FROM cell_inspectors ORDER BY cell_code, user_id")
	return cells, err
}

// FindCellHistory returns every version of the cell code, oldest first;
// each carries the code's inspectors.
func (tx *Tx) FindCellHistory(ctx context.Context, code string) ([]*civicgrid.GridCell, error) {
	var cells []*civicgrid.GridCell
	err := tx.queryAll(ctx, func(s scanner) error {
		c, err := tx.scanCell(s)
		cells = append(cells, c)
		return err
	}, "SELECT "+cellColumns+" FROM grid_cells WHERE code = ? ORDER BY valid_from, id", code)
	if err != nil || len(cells) == 0 {
		return cells, err
	}
	var inspectors []civicgrid.UserID
	err = tx.queryAll(ctx, func(s scanner) error {
		var id civicgrid.UserID
		err := s.Scan(&id)
		inspectors = append(inspectors, id)
		return err
	}, "SELECT user_id FROM cell_inspectors WHERE cell_code = ? ORDER BY user_id", code)
	for _, c := range cells {
		c.Inspectors = slices.Clone(inspectors)
	}
	return cells, err
}

// scanCell reads one row of cellColumns.
func (tx *Tx) scanCell(s scanner) (*civicgrid.GridCell, error) {
	c := &civicgrid.GridCell{}
	var shape []byte
	var from int64
	var to sql.NullInt64
	if err := s.Scan(&c.Code, &c.Name, &shape, &c.AreaM2, &c.Centroid.Lat, &c.Centroid.Lon, &from, &to); err != nil {
		return nil, err
	}
	var err error
	c.Shape, err = decodeShape(shape)
	c.ValidFrom, c.ValidTo = tx.at(from), tx.nullAt(to)
	return c, err
}
