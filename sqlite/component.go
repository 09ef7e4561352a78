package sqlite

import (
	"context"
	"database/sql"

	"civicgrid"
)

// UpsertComponent creates or replaces the component with c.Code; Invalid
// when its owner or maintainer unit does not exist.
func (tx *Tx) UpsertComponent(ctx context.Context, c *civicgrid.RegisteredComponent) error {
	_, err := tx.exec(ctx, `INSERT INTO components
		(code, category_code, name, cell_code, lat, lon, owner_unit_id, maintainer_unit_id, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET category_code = excluded.category_code, name = excluded.name,
			cell_code = excluded.cell_code, lat = excluded.lat, lon = excluded.lon,
			owner_unit_id = excluded.owner_unit_id, maintainer_unit_id = excluded.maintainer_unit_id,
			state = excluded.state`,
		c.Code, c.CategoryCode, c.Name, c.CellCode, c.Point.Lat, c.Point.Lon,
		nullID(c.OwnerUnit), nullID(c.Maintainer), c.State)
	return describe(err, civicgrid.Invalid, "component %s: unit does not exist", c.Code)
}

// FindComponent returns the component with code, or NotFound.
func (tx *Tx) FindComponent(ctx context.Context, code string) (*civicgrid.RegisteredComponent, error) {
	c := &civicgrid.RegisteredComponent{}
	var owner, maintainer sql.NullInt64
	err := tx.queryRow(ctx, `SELECT code, category_code, name, cell_code, lat, lon, owner_unit_id, maintainer_unit_id, state
		FROM components WHERE code = ?`, code).
		Scan(&c.Code, &c.CategoryCode, &c.Name, &c.CellCode, &c.Point.Lat, &c.Point.Lon, &owner, &maintainer, &c.State)
	if err != nil {
		return nil, notFound(err, "component %s not found", code)
	}
	c.OwnerUnit, c.Maintainer = civicgrid.UnitID(owner.Int64), civicgrid.UnitID(maintainer.Int64)
	return c, nil
}
