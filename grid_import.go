package civicgrid

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// GridImportOptions names the feature properties that hold a feature's code
// and name.
type GridImportOptions struct {
	CodeProperty string // default "code"
	NameProperty string // default "name"
	// Progress, when set, is told how far validation and writing have got.
	Progress func(step string, done, total int)
}

// GridImportReport summarises an import.
type GridImportReport struct {
	Districts   int `json:"districts"`
	Streets     int `json:"streets"`
	Communities int `json:"communities"`
	Cells       int `json:"cells"`
	Redrawn     int `json:"redrawn"` // cells that replaced a current version
}

// maxImportProblems caps the problems listed in one failed import.
const maxImportProblems = 20

// ImportGrid stores the cells and areas of a GeoJSON FeatureCollection, all
// or nothing. A feature whose code has 15 digits (or the legacy 14) is a
// cell; 6, 9 or 12 digits a district, street or community. Missing tree
// nodes are created, named by their code. The import is refused, naming
// the features, when any code is malformed or repeated, any geometry is
// broken, or a cell lies outside the polygon of the community its code
// names.
func (s *ReferenceService) ImportGrid(ctx context.Context, features []Feature, opts GridImportOptions) (*GridImportReport, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if opts.CodeProperty == "" {
		opts.CodeProperty = "code"
	}
	if opts.NameProperty == "" {
		opts.NameProperty = "name"
	}
	existing := map[string]*Area{}
	var current *Grid
	if s.city != nil {
		current = s.city.City().Grid
		for _, a := range current.Areas() {
			existing[a.Code] = a
		}
	}
	plan, err := planGridImport(features, opts, existing)
	if err != nil {
		return nil, err
	}
	for _, c := range plan.cells {
		if current != nil && current.Cell(c.Code) != nil {
			plan.report.Redrawn++
		}
	}
	now := s.now()
	err = s.update(ctx, func(tx Tx) error {
		for _, a := range plan.areas {
			if err := tx.UpsertArea(ctx, a); err != nil {
				return err
			}
		}
		if opts.Progress != nil {
			opts.Progress("write", 0, len(plan.cells))
		}
		if err := tx.SaveCells(ctx, plan.cells, now); err != nil {
			return err
		}
		if opts.Progress != nil {
			opts.Progress("write", len(plan.cells), len(plan.cells))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &plan.report, nil
}

type gridPlan struct {
	areas  []*Area
	cells  []*GridCell
	report GridImportReport
}

// planGridImport validates every feature and works out what to write.
func planGridImport(features []Feature, opts GridImportOptions, existing map[string]*Area) (*gridPlan, error) {
	var problems []string
	fail := func(f Feature, format string, args ...any) {
		if len(problems) < maxImportProblems {
			problems = append(problems, fmt.Sprintf("feature %d%s: %s", f.Index, featureLabel(f, opts), fmt.Sprintf(format, args...)))
		}
	}
	areas := map[string]*Area{}
	var cells []*GridCell
	seen := map[string]int{}
	for i, f := range features {
		if opts.Progress != nil && (i%1000 == 0 || i == len(features)-1) {
			opts.Progress("validate", i+1, len(features))
		}
		raw, ok := f.StringProperty(opts.CodeProperty)
		if !ok || raw == "" {
			fail(f, "no %q property", opts.CodeProperty)
			continue
		}
		code := strings.TrimSpace(raw)
		if len(code) == 14 || len(code) == 15 {
			if code, ok = normalizeOrFail(code); !ok {
				fail(f, "code %q is not 15 digits (or the legacy 14)", raw)
				continue
			}
		}
		if prev, dup := seen[code]; dup {
			fail(f, "code %s repeats feature %d", code, prev)
			continue
		}
		seen[code] = f.Index
		name, _ := f.StringProperty(opts.NameProperty)
		if len(code) == 15 {
			c := &GridCell{Code: code, Name: name, Shape: f.Geometry}
			if err := c.Validate(); err != nil {
				fail(f, "%s", ErrorMessage(err))
				continue
			}
			c.AreaM2, c.Centroid = c.Shape.AreaM2(), c.Shape.Centroid()
			cells = append(cells, c)
			continue
		}
		a := &Area{Code: code, Level: LevelOfCode(code), Name: name, Shape: f.Geometry}
		if a.Level != LevelDistrict && len(code) > 3 {
			a.ParentCode = code[:len(code)-3]
		}
		if a.Name == "" {
			a.Name = code
		}
		if err := a.Validate(); err != nil {
			fail(f, "%s", ErrorMessage(err))
			continue
		}
		areas[code] = a
	}
	if len(problems) == 0 {
		checkNesting(cells, areas, existing, func(c *GridCell, msg string) {
			fail(Feature{Index: seen[c.Code], Properties: map[string]any{opts.CodeProperty: c.Code}}, "%s", msg)
		})
	}
	if len(problems) > 0 {
		return nil, importError(problems)
	}
	return buildPlan(cells, areas, existing), nil
}

func normalizeOrFail(code string) (string, bool) {
	c, err := NormalizeCellCode(code)
	return c, err == nil
}

// featureLabel renders a feature's code for messages.
func featureLabel(f Feature, opts GridImportOptions) string {
	if code, ok := f.StringProperty(opts.CodeProperty); ok {
		return " (" + code + ")"
	}
	return ""
}

// checkNesting reports cells that lie outside the polygon of the community
// their code names (when that polygon is known).
func checkNesting(cells []*GridCell, areas, existing map[string]*Area, fail func(*GridCell, string)) {
	for _, c := range cells {
		comm := areas[c.CommunityCode()]
		if comm == nil {
			comm = existing[c.CommunityCode()]
		}
		if comm == nil || len(comm.Shape) == 0 {
			continue
		}
		if !comm.Shape.Contains(c.Centroid) {
			fail(c, fmt.Sprintf("cell does not nest in community %s: its centre lies outside the community's polygon", comm.Code))
		}
	}
}

// buildPlan adds the tree nodes the cells and areas need but nobody drew.
func buildPlan(cells []*GridCell, areas, existing map[string]*Area) *gridPlan {
	p := &gridPlan{cells: cells}
	need := func(code string) {
		if areas[code] != nil || existing[code] != nil {
			return
		}
		a := &Area{Code: code, Level: LevelOfCode(code), Name: code}
		if len(code) > 6 {
			a.ParentCode = code[:len(code)-3]
		}
		areas[code] = a
	}
	for _, c := range cells {
		need(c.DistrictCode())
		need(c.StreetCode())
		need(c.CommunityCode())
	}
	for code := range areas {
		for n := 6; n < len(code); n += 3 {
			need(code[:n])
		}
	}
	for _, a := range areas {
		p.areas = append(p.areas, a)
		switch a.Level {
		case LevelDistrict:
			p.report.Districts++
		case LevelStreet:
			p.report.Streets++
		case LevelCommunity:
			p.report.Communities++
		}
	}
	sort.Slice(p.areas, func(i, j int) bool { return p.areas[i].Code < p.areas[j].Code })
	p.report.Cells = len(cells)
	return p
}

// importError lists the problems of a refused import.
func importError(problems []string) error {
	fields := map[string]string{}
	for i, p := range problems {
		fields[fmt.Sprintf("problem_%02d", i+1)] = p
	}
	msg := fmt.Sprintf("grid import refused, nothing was written: %s", problems[0])
	if len(problems) > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", len(problems)-1)
	}
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}
