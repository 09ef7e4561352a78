package sqlite

import (
	"context"

	"civicgrid"
)

// CreateRoutingRule stores r and sets r.ID; Conflict when a rule for the
// same prefixes exists, Invalid when the unit does not.
func (tx *Tx) CreateRoutingRule(ctx context.Context, r *civicgrid.RoutingRule) error {
	res, err := tx.exec(ctx, "INSERT INTO routing_rules (category_prefix, area_prefix, unit_id) VALUES (?, ?, ?)",
		r.CategoryPrefix, r.AreaPrefix, int64(r.UnitID))
	if err != nil {
		err = describe(err, civicgrid.Conflict, "a rule for category %q in area %q exists", r.CategoryPrefix, r.AreaPrefix)
		return describe(err, civicgrid.Invalid, "unit %d does not exist", r.UnitID)
	}
	r.ID, err = res.LastInsertId()
	return formatError(err)
}

// DeleteRoutingRule removes the rule, or returns NotFound.
func (tx *Tx) DeleteRoutingRule(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, "DELETE FROM routing_rules WHERE id = ?", id)
	if err != nil {
		return formatError(err)
	}
	return notFound(changed(res), "routing rule %d not found", id)
}

// FindRoutingRules returns every rule, ordered by id.
func (tx *Tx) FindRoutingRules(ctx context.Context) ([]*civicgrid.RoutingRule, error) {
	var rules []*civicgrid.RoutingRule
	err := tx.queryAll(ctx, func(s scanner) error {
		r := &civicgrid.RoutingRule{}
		rules = append(rules, r)
		return s.Scan(&r.ID, &r.CategoryPrefix, &r.AreaPrefix, &r.UnitID)
	}, "SELECT id, category_prefix, area_prefix, unit_id FROM routing_rules ORDER BY id")
	return rules, err
}
