package civicgrid

import (
	"context"
	"strings"
)

// RoutingRule sends cases of a category in an area to a unit. Both sides
// are prefixes: CategoryPrefix "06010" is one category, "06" a whole class,
// "" every category; AreaPrefix is a district (6 digits), street (9),
// community (12) or cell (15) code, or "" for the whole city.
type RoutingRule struct {
	ID             int64  `json:"id"`
	CategoryPrefix string `json:"category_prefix"`
	AreaPrefix     string `json:"area_prefix"`
	UnitID         UnitID `json:"unit_id"`
}

// Validate checks the rule's own fields.
func (r *RoutingRule) Validate() error {
	fe := FieldErrors{}
	if r.UnitID == 0 {
		fe.Add("unit_id", "required")
	}
	if r.AreaPrefix != "" && !areaCodePattern.MatchString(r.AreaPrefix) && !cellCodePattern.MatchString(r.AreaPrefix) {
		fe.Add("area_prefix", "must be empty or a 6, 9, 12 or 15 digit code")
	}
	return fe.Err()
}

// moreSpecific reports whether r beats o: a longer category prefix wins
// first (a responsibility defined for a category beats a catch-all 属地
// rule), then a longer area prefix, then the older rule.
func (r *RoutingRule) moreSpecific(o *RoutingRule) bool {
	if len(r.CategoryPrefix) != len(o.CategoryPrefix) {
		return len(r.CategoryPrefix) > len(o.CategoryPrefix)
	}
	if len(r.AreaPrefix) != len(o.AreaPrefix) {
		return len(r.AreaPrefix) > len(o.AreaPrefix)
	}
	return r.ID < o.ID
}

// Route returns the unit of the most specific rule matching the category
// and cell, or false when no rule matches.
func Route(rules []*RoutingRule, categoryCode, cellCode string) (UnitID, bool) {
	if best := RouteRule(rules, categoryCode, cellCode); best != nil {
		return best.UnitID, true
	}
	return 0, false
}

// RouteRule returns the most specific rule matching the category and
// cell, or nil when no rule matches.
func RouteRule(rules []*RoutingRule, categoryCode, cellCode string) *RoutingRule {
	var best *RoutingRule
	for _, r := range rules {
		if !strings.HasPrefix(categoryCode, r.CategoryPrefix) || !strings.HasPrefix(cellCode, r.AreaPrefix) {
			continue
		}
		if best == nil || r.moreSpecific(best) {
			best = r
		}
	}
	return best
}

// RoutingStore persists routing rules.
type RoutingStore interface {
	// CreateRoutingRule stores r and sets r.ID; Conflict when a rule for the
	// same prefixes exists.
	CreateRoutingRule(ctx context.Context, r *RoutingRule) error
	// DeleteRoutingRule removes the rule, or returns NotFound.
	DeleteRoutingRule(ctx context.Context, id int64) error
	// FindRoutingRules returns every rule, ordered by id.
	FindRoutingRules(ctx context.Context) ([]*RoutingRule, error)
}
