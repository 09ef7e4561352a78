package civicgrid

import (
	"context"
	"time"
)

// ReferenceService changes a city's reference data (grid, taxonomy, units,
// routing, calendar) and makes the change visible by reloading the City
// snapshot. Only an admin or the system may use it.
type ReferenceService struct {
	store Store
	city  *CityHolder
	now   func() time.Time
}

// NewReferenceService returns a ReferenceService.
func NewReferenceService(store Store, city *CityHolder, now func() time.Time) *ReferenceService {
	return &ReferenceService{store: store, city: city, now: now}
}

// update runs fn in a write transaction as an admin and reloads the City.
func (s *ReferenceService) update(ctx context.Context, fn func(Tx) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := s.store.Update(ctx, fn); err != nil {
		return err
	}
	if s.city == nil {
		return nil
	}
	return s.city.Reload(ctx)
}

// UseTaxonomy stores the shipped directory t as the city's categories
// (replacing same-coded ones; city extensions stay) and records the choice.
func (s *ReferenceService) UseTaxonomy(ctx context.Context, t Taxonomy) (int, error) {
	cats, err := BuiltinCategories(t)
	if err != nil {
		return 0, err
	}
	return len(cats), s.update(ctx, func(tx Tx) error {
		if err := tx.SetSetting(ctx, SettingTaxonomy, string(t)); err != nil {
			return err
		}
		return upsertCategories(ctx, tx, cats)
	})
}

// ImportCategories adds or replaces categories from a city's own file, all
// or nothing.
func (s *ReferenceService) ImportCategories(ctx context.Context, cats []*Category) error {
	for _, c := range cats {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return s.update(ctx, func(tx Tx) error { return upsertCategories(ctx, tx, cats) })
}

func upsertCategories(ctx context.Context, tx Tx, cats []*Category) error {
	for _, c := range cats {
		if err := tx.UpsertCategory(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// CreateUnit stores a new unit.
func (s *ReferenceService) CreateUnit(ctx context.Context, u *Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error { return tx.CreateUnit(ctx, u) })
}

// AddRoutingRule stores a routing rule for an existing unit.
func (s *ReferenceService) AddRoutingRule(ctx context.Context, r *RoutingRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if s.city != nil && s.city.City().Units[r.UnitID] == nil {
		return &Error{Code: Unprocessable, Message: "unknown unit", Fields: map[string]string{"unit_id": "unknown unit"}}
	}
	return s.update(ctx, func(tx Tx) error { return tx.CreateRoutingRule(ctx, r) })
}

// SaveCalendar replaces the working calendar after checking it.
func (s *ReferenceService) SaveCalendar(ctx context.Context, periods []WorkPeriod, overrides []DayOverride) error {
	if _, err := NewCalendar(DefaultCalendar().Location(), periods, overrides); err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error { return tx.SaveCalendar(ctx, periods, overrides) })
}
