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
	c, err := scanComponent(tx.queryRow(ctx, "SELECT "+componentColumns+" FROM components WHERE code = ?", code))
	if err != nil {
		return nil, notFound(err, "component %s not found", code)
	}
	return c, nil
}

// componentColumns are the columns scanComponent reads.
const componentColumns = `code, category_code, name, cell_code, lat, lon, owner_unit_id, maintainer_unit_id, state`

// ListComponents returns the components matching q, ordered by code, and
// how many match without the offset and limit.
func (tx *Tx) ListComponents(ctx context.Context, q civicgrid.ComponentQuery) ([]*civicgrid.RegisteredComponent, int, error) {
	w := &where{}
	w.prefix("cell_code", q.CellPrefix)
	if q.CategoryCode != "" {
		w.add("category_code = ?", q.CategoryCode)
	}
	w.prefix("code", q.CodePrefix)
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM components"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	out := []*civicgrid.RegisteredComponent{}
	err := tx.queryAll(ctx, func(s scanner) error {
		c, err := scanComponent(s)
		out = append(out, c)
		return err
	}, "SELECT "+componentColumns+" FROM components"+w.String()+" ORDER BY code LIMIT ? OFFSET ?", append(w.args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// scanComponent reads a row of componentColumns.
func scanComponent(s scanner) (*civicgrid.RegisteredComponent, error) {
	c := &civicgrid.RegisteredComponent{}
	var owner, maintainer sql.NullInt64
	if err := s.Scan(&c.Code, &c.CategoryCode, &c.Name, &c.CellCode, &c.Point.Lat, &c.Point.Lon, &owner, &maintainer, &c.State); err != nil {
		return nil, err
	}
	c.OwnerUnit, c.Maintainer = civicgrid.UnitID(owner.Int64), civicgrid.UnitID(maintainer.Int64)
	return c, nil
}

// ComponentRepeats counts the cases created in [q.From, q.To) per
// component code. The literal condition on component_code lets the partial index
// cases_component serve it: only the cases naming a component are read.
func (tx *Tx) ComponentRepeats(ctx context.Context, q civicgrid.ComponentRepeatQuery) ([]*civicgrid.ComponentRepeat, error) {
	w := &where{}
	w.add("component_code <> ''")
	w.add("created_at >= ? AND created_at < ?", millis(q.From), millis(q.To))
	w.prefix("cell_code", q.Area)
	if q.Category != "" {
		w.add("category_code = ?", q.Category)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	// The newest case is the one created last, the highest id among those
	// created at the same millisecond.
	out := []*civicgrid.ComponentRepeat{}
	err := tx.queryAll(ctx, func(s scanner) error {
		r := &civicgrid.ComponentRepeat{}
		var latest int64
		if err := s.Scan(&r.Code, &r.Cases, &latest, &r.LatestNumber); err != nil {
			return err
		}
		r.LatestAt = tx.at(latest)
		out = append(out, r)
		return nil
	}, `SELECT component_code, n, latest,
			(SELECT number FROM cases l WHERE l.component_code = g.component_code AND l.component_code <> ''
				AND l.created_at = g.latest ORDER BY l.id DESC LIMIT 1)
		FROM (SELECT component_code, COUNT(*) AS n, MAX(created_at) AS latest FROM cases`+w.String()+`
			GROUP BY component_code HAVING COUNT(*) >= ?) g
		ORDER BY n DESC, component_code LIMIT ?`, append(w.args, max(q.MinCases, 1), limit)...)
	if err != nil {
		return nil, err
	}
	return out, nil
}
