package civicgrid

import (
	"context"
	"fmt"
	"time"
)

// GridCell is a unit grid cell (万米单元网格): about 10,000 m², coded with 15
// digits (6 district + 3 street + 3 community + 3 sequence), drawn as a
// polygon in WGS84. Cells are versioned: a redrawn cell gets a new row and
// the old one a ValidTo, so cases keep pointing at the cell they were in.
type GridCell struct {
	Code       string       `json:"code"`
	Name       string       `json:"name,omitempty"`
	Shape      MultiPolygon `json:"-"`
	AreaM2     float64      `json:"area_m2"`
	Centroid   Point        `json:"centroid"`
	Inspectors []UserID     `json:"inspectors,omitempty"`
	ValidFrom  time.Time    `json:"valid_from"`
	ValidTo    *time.Time   `json:"valid_to,omitempty"`
}

// CommunityCode returns the 12-digit community code the cell nests in.
func (c *GridCell) CommunityCode() string { return c.Code[:12] }

// StreetCode returns the 9-digit street code the cell nests in.
func (c *GridCell) StreetCode() string { return c.Code[:9] }

// DistrictCode returns the 6-digit district code the cell nests in.
func (c *GridCell) DistrictCode() string { return c.Code[:6] }

// Validate checks the code and the geometry.
func (c *GridCell) Validate() error {
	fe := FieldErrors{}
	if !cellCodePattern.MatchString(c.Code) {
		fe.Add("code", "must be 15 digits")
	} else if c.Code[12:] == "000" {
		fe.Add("code", "cell sequence 000 is reserved")
	}
	if err := c.Shape.Validate(); err != nil {
		fe.Add("geometry", ErrorMessage(err))
	}
	return fe.Err()
}

// NormalizeCellCode accepts a 15-digit cell code, or the legacy 14-digit
// form (9-digit street + 3-digit community + 2-digit sequence) and widens
// its sequence to 3 digits.
func NormalizeCellCode(code string) (string, error) {
	switch {
	case cellCodePattern.MatchString(code):
		return code, nil
	case len(code) == 14 && isDigits(code):
		return code[:12] + "0" + code[12:], nil
	}
	return "", fmt.Errorf("cell code %q is neither 15 digits nor the legacy 14", code)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Location is where a point falls in the grid and the administrative tree.
type Location struct {
	Point         Point  `json:"point"`
	CellCode      string `json:"cell_code"`
	CommunityCode string `json:"community_code"`
	StreetCode    string `json:"street_code"`
	DistrictCode  string `json:"district_code"`
	CommunityName string `json:"community_name,omitempty"`
	StreetName    string `json:"street_name,omitempty"`
	DistrictName  string `json:"district_name,omitempty"`
}

// Grid is the city's current cells and areas in memory, with a spatial index
// for point lookup. It is immutable once built and safe for concurrent use;
// a changed grid is a new Grid.
type Grid struct {
	cells map[string]*GridCell
	areas map[string]*Area
	index *SpatialIndex
}

// NewGrid indexes the currently valid cells.
func NewGrid(cells []*GridCell, areas []*Area) *Grid {
	g := &Grid{cells: make(map[string]*GridCell, len(cells)), areas: make(map[string]*Area, len(areas))}
	shapes := make([]IndexedShape, 0, len(cells))
	for _, c := range cells {
		if c.ValidTo != nil {
			continue
		}
		g.cells[c.Code] = c
		shapes = append(shapes, IndexedShape{Code: c.Code, Shape: c.Shape})
	}
	for _, a := range areas {
		g.areas[a.Code] = a
	}
	g.index = NewSpatialIndex(shapes)
	return g
}

// Bounds returns the bounds of all cells.
func (g *Grid) Bounds() Bounds { return g.index.Bounds() }

// Len returns the number of cells.
func (g *Grid) Len() int { return len(g.cells) }

// Cell returns the current cell with code, or nil.
func (g *Grid) Cell(code string) *GridCell { return g.cells[code] }

// Area returns the area with code, or nil.
func (g *Grid) Area(code string) *Area { return g.areas[code] }

// Areas returns every area, in no particular order.
func (g *Grid) Areas() []*Area {
	out := make([]*Area, 0, len(g.areas))
	for _, a := range g.areas {
		out = append(out, a)
	}
	return out
}

// CellsWithin returns the cells whose bounds intersect b, ordered by code,
// at most limit of them (all when limit <= 0).
func (g *Grid) CellsWithin(b Bounds, limit int) []*GridCell {
	codes := g.index.Within(b, limit)
	out := make([]*GridCell, len(codes))
	for i, code := range codes {
		out[i] = g.cells[code]
	}
	return out
}

// Locate finds the cell containing p (WGS84) and its ancestors. A point in
// no cell is Unprocessable ("outside the managed area"). Where cells
// overlap or share an edge, the smallest cell wins, then the lowest code.
func (g *Grid) Locate(p Point) (*Location, error) {
	code, ok := g.index.Lookup(p)
	if !ok {
		return nil, &Error{Code: Unprocessable, Message: fmt.Sprintf("location %.6f,%.6f is outside the managed area", p.Lat, p.Lon),
			Fields: map[string]string{"location": "outside the managed area"}}
	}
	loc := &Location{Point: p, CellCode: code, CommunityCode: code[:12], StreetCode: code[:9], DistrictCode: code[:6]}
	if a := g.areas[loc.CommunityCode]; a != nil {
		loc.CommunityName = a.Name
	}
	if a := g.areas[loc.StreetCode]; a != nil {
		loc.StreetName = a.Name
	}
	if a := g.areas[loc.DistrictCode]; a != nil {
		loc.DistrictName = a.Name
	}
	return loc, nil
}

// CellStore persists grid cells and their history.
type CellStore interface {
	// SaveCells stores cells as the current version of their codes: a cell
	// whose code already has a current row closes that row at validFrom
	// (ValidTo) and inserts the new one.
	SaveCells(ctx context.Context, cells []*GridCell, validFrom time.Time) error
	// FindCurrentCells returns the current (not closed) cells, ordered by code.
	FindCurrentCells(ctx context.Context) ([]*GridCell, error)
	// FindCellHistory returns every version of the cell code, oldest first.
	FindCellHistory(ctx context.Context, code string) ([]*GridCell, error)
	// SetCellInspectors replaces the inspectors assigned to the current cell
	// code; NotFound when there is no such cell.
	SetCellInspectors(ctx context.Context, code string, inspectors []UserID) error
}
