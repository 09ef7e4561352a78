package civicgrid

import (
	"context"
	"regexp"
)

// AreaLevel is a level of the administrative tree.
type AreaLevel string

// The levels, from the top. A district is a county-level division with a
// 6-digit GB/T 2260 code; a street (街道/乡镇) adds 3 digits, a community
// (社区/村) 3 more.
const (
	LevelCity      AreaLevel = "city"
	LevelDistrict  AreaLevel = "district"
	LevelStreet    AreaLevel = "street"
	LevelCommunity AreaLevel = "community"
)

var (
	areaCodePattern = regexp.MustCompile(`^(\d{6}|\d{9}|\d{12})$`)
	cellCodePattern = regexp.MustCompile(`^\d{15}$`)
)

// LevelOfCode returns the level implied by an area code's length, or "".
func LevelOfCode(code string) AreaLevel {
	if !areaCodePattern.MatchString(code) {
		return ""
	}
	switch len(code) {
	case 6:
		return LevelDistrict
	case 9:
		return LevelStreet
	default:
		return LevelCommunity
	}
}

// Area is a node of the administrative tree below the city.
type Area struct {
	Code       string       `json:"code"`
	Level      AreaLevel    `json:"level"`
	Name       string       `json:"name"`
	ParentCode string       `json:"parent_code,omitempty"`
	Shape      MultiPolygon `json:"-"`
}

// Validate checks the area's code, level and parent.
func (a *Area) Validate() error {
	fe := FieldErrors{}
	lvl := LevelOfCode(a.Code)
	switch {
	case lvl == "":
		fe.Add("code", "must be a 6, 9 or 12 digit area code")
	case a.Level != "" && a.Level != lvl:
		fe.Add("level", "does not match the code's length")
	case lvl != LevelDistrict && (len(a.ParentCode) != len(a.Code)-3 || a.Code[:len(a.ParentCode)] != a.ParentCode):
		fe.Add("parent_code", "must be the code without its last 3 digits")
	}
	if a.Name == "" {
		fe.Add("name", "required")
	}
	if len(a.Shape) > 0 {
		if err := a.Shape.Validate(); err != nil {
			fe.Add("geometry", ErrorMessage(err))
		}
	}
	return fe.Err()
}

// AreaStore persists the administrative tree.
type AreaStore interface {
	// UpsertArea creates or renames the area with a.Code.
	UpsertArea(ctx context.Context, a *Area) error
	// FindAreas returns every area, ordered by code.
	FindAreas(ctx context.Context) ([]*Area, error)
}
