package civicgrid

import (
	"context"
	"regexp"
)

// CategoryKind tells a component (部件: a facility such as a manhole cover)
// from an event (事件: an act or condition such as exposed garbage).
type CategoryKind string

// The category kinds.
const (
	Component CategoryKind = "component"
	Event     CategoryKind = "event"
)

// Valid reports whether k is a known kind.
func (k CategoryKind) Valid() bool { return k == Component || k == Event }

// Taxonomy names a category directory a city may pick.
type Taxonomy string

// The shipped directories.
const (
	// TaxonomyLegacy is the CJ/T 214 / GB/T 30428.2 era classes: components
	// coded BJ + 2-digit class + 2-digit subclass, events SJ + class + subclass.
	TaxonomyLegacy Taxonomy = "legacy"
	// TaxonomyGBT47678 is the GB/T 47678.5-2026 directory of management
	// matters (管理事项), coded 2-digit class + 3-digit item.
	TaxonomyGBT47678 Taxonomy = "gbt47678"
)

// Valid reports whether t is a shipped directory.
func (t Taxonomy) Valid() bool { return t == TaxonomyLegacy || t == TaxonomyGBT47678 }

// Category is one leaf of the taxonomy (a subclass or matter) and the rules
// that go with it: when a report is filed, when it may be closed, how long
// each stage may take, and whether it is urgent.
type Category struct {
	Code             string       `json:"code"`
	Taxonomy         Taxonomy     `json:"taxonomy"`
	Kind             CategoryKind `json:"kind"`
	ClassCode        string       `json:"class_code"`
	ClassName        Text         `json:"class_name"`
	Name             Text         `json:"name"`
	FilingCondition  Text         `json:"filing_condition"`
	ClosingCondition Text         `json:"closing_condition"`
	Limits           StageLimits  `json:"limits,omitempty"`
	Urgent           bool         `json:"urgent"`
	Public           bool         `json:"public"` // open to citizens' reports and Open311
	DuplicateRadiusM float64      `json:"duplicate_radius_m,omitempty"`
	// DuplicateWindowHours is how long after an open case was reported a
	// new report nearby is folded into it (0: DefaultDuplicateWindow).
	DuplicateWindowHours int  `json:"duplicate_window_hours,omitempty"`
	Active               bool `json:"active"`
}

var categoryCodePattern = regexp.MustCompile(`^[A-Z]{0,3}[0-9]{2,8}$`)

// Validate checks the category's own fields.
func (c *Category) Validate() error {
	fe := FieldErrors{}
	if !categoryCodePattern.MatchString(c.Code) {
		fe.Add("code", "must be up to 3 capital letters followed by 2–8 digits")
	}
	if !c.Taxonomy.Valid() && c.Taxonomy != "" {
		fe.Add("taxonomy", "unknown taxonomy")
	}
	if !c.Kind.Valid() {
		fe.Add("kind", "must be component or event")
	}
	if c.Name.Zh == "" {
		fe.Add("name", "a Chinese name is required")
	}
	for s, l := range c.Limits {
		if !s.Valid() {
			fe.Add("limits", "unknown stage "+string(s))
		} else if err := l.Validate(); err != nil {
			fe.Add("limits."+string(s), ErrorMessage(err))
		}
	}
	return fe.Err()
}

// CategoryStore persists categories.
type CategoryStore interface {
	// UpsertCategory creates or replaces the category with c.Code.
	UpsertCategory(ctx context.Context, c *Category) error
	// FindCategory returns the category with code, or NotFound.
	FindCategory(ctx context.Context, code string) (*Category, error)
	// FindCategories returns every category, ordered by code.
	FindCategories(ctx context.Context) ([]*Category, error)
}
