package civicgrid

import (
	"context"
	"math"
	"regexp"
	"slices"
	"time"
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
	switch p := c.Point; {
	case p.Lat == 0 && p.Lon == 0:
		fe.Add("lat", "required: where the component stands")
	case math.IsNaN(p.Lat) || p.Lat < -90 || p.Lat > 90:
		fe.Add("lat", "must be a latitude between -90 and 90")
	case math.IsNaN(p.Lon) || p.Lon < -180 || p.Lon > 180:
		fe.Add("lon", "must be a longitude between -180 and 180")
	}
	if len([]rune(c.Name)) > 100 {
		fe.Add("name", "at most 100 characters")
	}
	if c.State != "" && !slices.Contains(ComponentStates, c.State) {
		fe.Add("state", "one of 完好, 破损, 丢失, 占用, 废弃")
	}
	return fe.Err()
}

// ComponentStates are the states a registered component may be in: intact,
// damaged, missing, occupied, abandoned.
var ComponentStates = []string{"完好", "破损", "丢失", "占用", "废弃"}

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
	// ListComponents returns the components matching q, ordered by code,
	// after skipping q.Offset, at most q.Limit (all when 0), and how many
	// match q without the offset and limit.
	ListComponents(ctx context.Context, q ComponentQuery) ([]*RegisteredComponent, int, error)
	// ComponentRepeats counts, per component code, the cases created in
	// [q.From, q.To) that name it (component_code), whatever became of
	// them since: a cancelled case was still a report of a problem there,
	// and a duplicate report folded into an open case is not a case of its
	// own, so it is not counted twice. Only codes with at least q.MinCases
	// cases are returned, most cases first, then by code, at most q.Limit.
	ComponentRepeats(ctx context.Context, q ComponentRepeatQuery) ([]*ComponentRepeat, error)
}

// ComponentQuery filters the component register (部件台账).
type ComponentQuery struct {
	CellPrefix   string // a district, street, community or cell code: the components in it
	CategoryCode string
	CodePrefix   string // e.g. the 6-digit district and 2-digit class of the code
	Offset       int
	Limit        int
}

// ComponentRepeatQuery asks for the components with repeated cases.
type ComponentRepeatQuery struct {
	From, To time.Time // the cases created from From up to To (exclusive)
	MinCases int       // the fewest cases of a component returned; at least 1
	// Area, when set, counts only the cases in cells whose code starts with
	// it (an area-scoped actor's area); Category only cases of it.
	Area, Category string
	Limit          int // 0 means no limit
}

// ComponentRepeat is one component's cases in a period.
type ComponentRepeat struct {
	Code         string    `json:"code"`
	Cases        int64     `json:"cases"`
	LatestNumber string    `json:"latest_number"` // the newest case's public number
	LatestAt     time.Time `json:"latest_at"`     // when it was created
}
