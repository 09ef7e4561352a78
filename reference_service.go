package civicgrid

import (
	"context"
	"slices"
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

// UpdateUnit replaces the stored unit u.ID.
func (s *ReferenceService) UpdateUnit(ctx context.Context, u *Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error { return tx.UpdateUnit(ctx, u) })
}

// RemoveRoutingRule deletes the routing rule id.
func (s *ReferenceService) RemoveRoutingRule(ctx context.Context, id int64) error {
	return s.update(ctx, func(tx Tx) error { return tx.DeleteRoutingRule(ctx, id) })
}

// RemoveDayOverride takes the holiday or adjusted workday off date, so
// that it follows its weekday again; NotFound when date has none.
func (s *ReferenceService) RemoveDayOverride(ctx context.Context, date Date) (*Calendar, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	cur := DefaultCalendar()
	if s.city != nil {
		cur = s.city.City().Calendar
	}
	overrides := cur.Overrides()
	i := slices.IndexFunc(overrides, func(o DayOverride) bool { return o.Date == date })
	if i < 0 {
		return nil, Errorf(NotFound, "%s is neither a holiday nor an adjusted workday", date)
	}
	overrides = slices.Delete(overrides, i, i+1)
	cal, err := NewCalendar(cur.Location(), cur.Periods(), overrides)
	if err != nil {
		return nil, err
	}
	if err := s.update(ctx, func(tx Tx) error { return tx.SaveCalendar(ctx, cal.Periods(), cal.Overrides()) }); err != nil {
		return nil, err
	}
	return cal, nil
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

// MergeCalendar changes the working calendar: periods, when given, replace
// the working periods; overrides are added, replacing any on the same date.
// The result is checked before it is saved.
func (s *ReferenceService) MergeCalendar(ctx context.Context, periods []WorkPeriod, overrides []DayOverride) (*Calendar, error) {
	cur := DefaultCalendar()
	if s.city != nil {
		cur = s.city.City().Calendar
	}
	if len(periods) == 0 {
		periods = cur.Periods()
	}
	byDate := map[Date]DayOverride{}
	for _, o := range cur.Overrides() {
		byDate[o.Date] = o
	}
	for _, o := range overrides {
		byDate[o.Date] = o
	}
	merged := make([]DayOverride, 0, len(byDate))
	for _, o := range byDate {
		merged = append(merged, o)
	}
	cal, err := NewCalendar(cur.Location(), periods, merged)
	if err != nil {
		return nil, err
	}
	if err := s.update(ctx, func(tx Tx) error { return tx.SaveCalendar(ctx, cal.Periods(), cal.Overrides()) }); err != nil {
		return nil, err
	}
	return cal, nil
}

// SaveCalendar replaces the working calendar after checking it.
func (s *ReferenceService) SaveCalendar(ctx context.Context, periods []WorkPeriod, overrides []DayOverride) error {
	if _, err := NewCalendar(DefaultCalendar().Location(), periods, overrides); err != nil {
		return err
	}
	return s.update(ctx, func(tx Tx) error { return tx.SaveCalendar(ctx, periods, overrides) })
}
