package civicgrid

import "context"

// Store persists the domain. View runs fn in a read-only transaction;
// Update runs fn in a read-write transaction and commits if fn returns nil,
// and changes nothing if fn returns an error. A committed Update is durable
// before Update returns.
//
// Rules every backend keeps (storetest checks them): fn must not call View
// or Update itself and must not keep the Tx after it returns; times are kept
// to the millisecond; an id of 0 means "none" (no unit, no inspector), and a
// reference to a unit, user or case that does not exist is Invalid.
type Store interface {
	View(ctx context.Context, fn func(Tx) error) error
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction's view of every aggregate.
type Tx interface {
	AreaStore
	CellStore
	CategoryStore
	UnitStore
	RoutingStore
	ComponentStore
	CalendarStore
	SettingStore
	UserStore
	CaseStore
	CaseReportStore
	CaseMapStore
	CaseClockStore
	SavedViewStore
	AttachmentStore
	OutboxStore
	StatsStore
	HistoryStore
	EvaluationStore
	DurationStore
	APIKeyStore
	IdempotencyStore
	SessionStore
	HotspotStore
}

// SettingStore persists small named settings (the city's name, its
// taxonomy, the default stage limits) as text.
type SettingStore interface {
	// Setting returns the value of key, or NotFound.
	Setting(ctx context.Context, key string) (string, error)
	// SetSetting creates or replaces the value of key.
	SetSetting(ctx context.Context, key, value string) error
}

// CalendarStore persists the working calendar.
type CalendarStore interface {
	// SaveCalendar replaces the working periods and the dated overrides.
	SaveCalendar(ctx context.Context, periods []WorkPeriod, overrides []DayOverride) error
	// LoadCalendar returns the stored periods and overrides; NotFound when
	// no calendar was ever saved.
	LoadCalendar(ctx context.Context) ([]WorkPeriod, []DayOverride, error)
}
