package sqlite

import (
	"context"

	"civicgrid"
)

// CreateUnit stores u and sets u.ID; Conflict when the code is taken.
func (tx *Tx) CreateUnit(ctx context.Context, u *civicgrid.Unit) error {
	res, err := tx.exec(ctx, `INSERT INTO units (code, name_zh, name_en, kind, area_code, phone, active)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Code, u.Name.Zh, u.Name.En, u.Kind, u.AreaCode, u.Phone, bit(u.Active))
	if err != nil {
		return describe(err, civicgrid.Conflict, "unit code %s is taken", u.Code)
	}
	id, err := res.LastInsertId()
	u.ID = civicgrid.UnitID(id)
	return formatError(err)
}

// UpdateUnit replaces the stored unit u.ID; NotFound when absent,
// Conflict when its code is taken by another unit.
func (tx *Tx) UpdateUnit(ctx context.Context, u *civicgrid.Unit) error {
	res, err := tx.exec(ctx, `UPDATE units SET code = ?, name_zh = ?, name_en = ?, kind = ?, area_code = ?, phone = ?,
		active = ? WHERE id = ?`, u.Code, u.Name.Zh, u.Name.En, u.Kind, u.AreaCode, u.Phone, bit(u.Active), int64(u.ID))
	if err != nil {
		return describe(err, civicgrid.Conflict, "unit code %s is taken", u.Code)
	}
	return notFound(changed(res), "unit %d not found", u.ID)
}

// FindUnits returns every unit, ordered by code.
func (tx *Tx) FindUnits(ctx context.Context) ([]*civicgrid.Unit, error) {
	var units []*civicgrid.Unit
	err := tx.queryAll(ctx, func(s scanner) error {
		u := &civicgrid.Unit{}
		units = append(units, u)
		return s.Scan(&u.ID, &u.Code, &u.Name.Zh, &u.Name.En, &u.Kind, &u.AreaCode, &u.Phone, &u.Active)
	}, "SELECT id, code, name_zh, name_en, kind, area_code, phone, active FROM units ORDER BY code")
	return units, err
}
