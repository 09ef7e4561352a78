package civicgrid

import (
	"context"
	"regexp"
)

// RegisteredComponent is one registered facility (部件) with its identifier:
// 16 digits in the legacy scheme (6 district + 2 class + 2 subclass + 6
// serial) or 17 under GB/T 47678.5 (6 + 2 + 3 + 6). A case on a registered
// component routes to its maintainer, or else its owner.
type RegisteredComponent struct {
	Code         string `json:"code"`
	CategoryCode string `json:"category_code"`
	Name         string `json:"name"`
	CellCode     string `json:"cell_code"`
	Point        Point  `json:"point"`
	OwnerUnit    UnitID `json:"owner_unit_id,omitempty"`
	Maintainer   UnitID `json:"maintainer_unit_id,omitempty"`
	State        string `json:"state"` // 完好 intact, 破损 damaged, 丢失 missing, 占用 occupied, 废弃 abandoned
}

var componentCodePattern = regexp.MustCompile(`^\d{16,17}$`)

// Validate checks the component's own fields.
func (c *RegisteredComponent) Validate() error {
	fe := FieldErrors{}
	if !componentCodePattern.MatchString(c.Code) {
		fe.Add("code", "must be 16 (legacy) or 17 (GB/T 47678.5) digits")
	}
	if c.CategoryCode == "" {
		fe.Add("category_code", "required")
	}
	if c.OwnerUnit == 0 && c.Maintainer == 0 {
		fe.Add("owner_unit_id", "an owner or maintainer unit is required")
	}
	return fe.Err()
}

// ResponsibleUnit returns the maintainer, or the owner when there is none.
func (c *RegisteredComponent) ResponsibleUnit() UnitID {
	if c.Maintainer != 0 {
		return c.Maintainer
	}
	return c.OwnerUnit
}

// ComponentStore persists the component registry.
type ComponentStore interface {
	// UpsertComponent creates or replaces the component with c.Code.
	UpsertComponent(ctx context.Context, c *RegisteredComponent) error
	// FindComponent returns the component with code, or NotFound.
	FindComponent(ctx context.Context, code string) (*RegisteredComponent, error)
}
