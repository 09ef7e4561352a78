package civicgrid

import (
	"context"
	"regexp"
)

// UnitID identifies a unit.
type UnitID int64

// Unit is a responsible unit (专业部门 / 处置单位): a city department, a
// district bureau, a street office, a utility company.
type Unit struct {
	ID       UnitID `json:"id"`
	Code     string `json:"code"`
	Name     Text   `json:"name"`
	Kind     string `json:"kind"`                // department, district, street, company
	AreaCode string `json:"area_code,omitempty"` // the area it serves; "" for city-wide
	Phone    string `json:"phone,omitempty"`
	Active   bool   `json:"active"`
}

var unitCodePattern = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,32}$`)

// Validate checks the unit's own fields.
func (u *Unit) Validate() error {
	fe := FieldErrors{}
	if !unitCodePattern.MatchString(u.Code) {
		fe.Add("code", "1–32 letters, digits, _ or -")
	}
	if u.Name.Zh == "" {
		fe.Add("name", "a Chinese name is required")
	}
	if u.AreaCode != "" && !areaCodePattern.MatchString(u.AreaCode) {
		fe.Add("area_code", "must be a 6, 9 or 12 digit area code")
	}
	return fe.Err()
}

// UnitStore persists units.
type UnitStore interface {
	// CreateUnit stores u and sets u.ID; Conflict when the code is taken.
	CreateUnit(ctx context.Context, u *Unit) error
	// UpdateUnit replaces the stored unit u.ID; NotFound when absent,
	// Conflict when its code is taken by another unit.
	UpdateUnit(ctx context.Context, u *Unit) error
	// FindUnits returns every unit, ordered by code.
	FindUnits(ctx context.Context) ([]*Unit, error)
}
