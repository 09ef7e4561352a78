package civicgrid

import (
	"fmt"
	"math"
)

// LimitUnit says how a TimeLimit is counted.
type LimitUnit string

// The limit units. Working hours and working days run only inside the
// working calendar's periods (工作时 / 工作日); natural hours run around the
// clock and are used for emergencies.
const (
	WorkingHours LimitUnit = "working_hours"
	WorkingDays  LimitUnit = "working_days"
	NaturalHours LimitUnit = "natural_hours"
)

// Valid reports whether u is one of the limit units.
func (u LimitUnit) Valid() bool {
	switch u {
	case WorkingHours, WorkingDays, NaturalHours:
		return true
	}
	return false
}

// TimeLimit is how long a stage may take: 4 working hours, 2 working days,
// 2 natural hours. Amount may be fractional (0.5 working hours = 30 minutes).
type TimeLimit struct {
	Amount float64   `json:"amount"`
	Unit   LimitUnit `json:"unit"`
}

// Validate reports an Invalid error when the limit is not usable.
func (l TimeLimit) Validate() error {
	if !l.Unit.Valid() {
		return Errorf(Invalid, "time limit unit %q is not one of working_hours, working_days, natural_hours", l.Unit)
	}
	if math.IsNaN(l.Amount) || l.Amount <= 0 || l.Amount > 10000 {
		return Errorf(Invalid, "time limit amount %v must be positive", l.Amount)
	}
	return nil
}

// IsZero reports whether no limit is set.
func (l TimeLimit) IsZero() bool { return l.Amount == 0 && l.Unit == "" }

// Minutes returns the amount in minutes of its own unit: working minutes
// for working hours, natural minutes for natural hours. Working days are
// converted by the caller with the calendar's working minutes per day.
func (l TimeLimit) Minutes() int { return int(math.Round(l.Amount * 60)) }

// String renders the limit as "4 working_hours".
func (l TimeLimit) String() string { return fmt.Sprintf("%g %s", l.Amount, l.Unit) }
