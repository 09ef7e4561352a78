package civicgrid

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ComponentService keeps the component register (部件台账): the facilities
// (manhole covers, street lamps, bins, …) with their codes, places and
// responsible units. Any signed-in staff member may read it; only an
// admin (or the system) may change it.
type ComponentService struct {
	store Store
	city  func() *City
}

// NewComponentService returns a service over store, reading the units,
// categories and grid from city.
func NewComponentService(store Store, city func() *City) *ComponentService {
	return &ComponentService{store: store, city: city}
}

// Component list page sizes.
const (
	defaultComponentLimit = 50
	maxComponentLimit     = 1000
)

// List returns the components matching q, ordered by code, and how many
// match q in all. A zero q.Limit is 50; at most 1000.
func (s *ComponentService) List(ctx context.Context, q ComponentQuery) ([]*RegisteredComponent, int, error) {
	if err := requireStaff(ctx); err != nil {
		return nil, 0, err
	}
	switch {
	case q.Limit == 0:
		q.Limit = defaultComponentLimit
	case q.Limit < 0 || q.Limit > maxComponentLimit:
		return nil, 0, FieldError("limit", fmt.Sprintf("from 1 to %d", maxComponentLimit))
	}
	if q.Offset < 0 {
		return nil, 0, FieldError("offset", "0 or more")
	}
	var out []*RegisteredComponent
	var total int
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, total, err = tx.ListComponents(ctx, q)
		return err
	})
	return out, total, err
}

// Find returns the component with code, or NotFound.
func (s *ComponentService) Find(ctx context.Context, code string) (*RegisteredComponent, error) {
	if err := requireStaff(ctx); err != nil {
		return nil, err
	}
	var c *RegisteredComponent
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.FindComponent(ctx, code)
		return err
	})
	return c, err
}

// Upsert registers c or replaces the component with its code. Admins
// only. A component without a cell is placed in the cell of the grid that
// contains its point, as intake places a report; an unknown category,
// cell or unit is Unprocessable, naming the field.
func (s *ComponentService) Upsert(ctx context.Context, c *RegisteredComponent) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if fields := s.check(c); len(fields) > 0 {
		msg := "the component names a category, cell or unit this city does not have"
		if _, ok := fields["lat"]; ok && len(fields) == 1 {
			msg = "the component lies outside the managed area"
		}
		return &Error{Code: Unprocessable, Message: msg, Fields: fields}
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.UpsertComponent(ctx, c) })
}

// check resolves c against the city: its category must be a component
// category, its units must exist, and its cell must exist or be found
// from its point (c.CellCode is then set). It returns the problems by
// field, and sets an empty State to 完好 (intact).
func (s *ComponentService) check(c *RegisteredComponent) map[string]string {
	city := s.city()
	fields := map[string]string{}
	if cat := city.Categories[c.CategoryCode]; cat == nil {
		fields["category_code"] = "unknown category"
	} else if cat.Kind != Component {
		fields["category_code"] = "not a component category (部件类)"
	}
	for field, id := range map[string]UnitID{"owner_unit_id": c.OwnerUnit, "maintainer_unit_id": c.Maintainer} {
		if id != 0 && city.Units[id] == nil {
			fields[field] = "unknown unit"
		}
	}
	switch {
	case c.CellCode != "" && city.Grid.Cell(c.CellCode) == nil:
		fields["cell_code"] = "unknown cell"
	case c.CellCode == "":
		if loc, err := city.Grid.Locate(c.Point); err != nil {
			fields["lat"] = "outside the managed area: no cell contains this point"
		} else {
			c.CellCode = loc.CellCode
		}
	}
	if c.State == "" {
		c.State = ComponentStates[0]
	}
	return fields
}

// componentColumns are the columns of a component CSV file; code,
// category_code, lat and lon are required.
var componentColumns = []string{"code", "category_code", "name", "cell_code", "lat", "lon", "owner_unit_id", "maintainer_unit_id", "state"}

// maxComponentRows is the most rows one import takes, and
// maxComponentBytes the largest file.
const (
	maxComponentRows  = 200000
	maxComponentBytes = 64 << 20
)

// Import registers the components of a CSV file (UTF-8, a header row
// naming componentColumns in any order), all or nothing: when any row is
// bad, nothing is stored and the Invalid error names every bad row's
// problems by line ("line 7: owner_unit_id"). Units may be given by id or
// by code; an empty cell_code is found from lat and lon. Admins only. It
// returns how many components were registered.
func (s *ComponentService) Import(ctx context.Context, r io.Reader) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	comps, fe, err := s.parseCSV(r)
	if err != nil {
		return 0, err
	}
	if len(fe) > 0 {
		return 0, &Error{Code: Invalid, Message: fmt.Sprintf("%d problems in the component file; nothing was imported", len(fe)), Fields: fe}
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		for _, c := range comps {
			if err := tx.UpsertComponent(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(comps), nil
}

// parseCSV reads and checks every row of a component file. A file that
// cannot be read as CSV at all is an Invalid error; problems of single
// rows are returned in fe.
func (s *ComponentService) parseCSV(r io.Reader) ([]*RegisteredComponent, FieldErrors, error) {
	cr, header, err := openCSV(r, maxComponentBytes)
	if ErrorCodeOf(err) == Invalid {
		return nil, nil, err
	}
	if errors.Is(err, io.EOF) {
		return nil, nil, FieldError("file", "the component file is empty")
	}
	if err != nil {
		return nil, nil, FieldError("file", "not a CSV file: "+err.Error())
	}
	col, err := componentHeader(header)
	if err != nil {
		return nil, nil, err
	}
	fe := FieldErrors{}
	seen := map[string]int{}
	var out []*RegisteredComponent
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			fe.Add(fmt.Sprintf("line %d", line), "not valid CSV: "+err.Error())
			break
		}
		if len(out) >= maxComponentRows {
			return nil, nil, FieldError("file", fmt.Sprintf("at most %d components in one file", maxComponentRows))
		}
		c, problems := s.componentRow(rec, col)
		if prev, ok := seen[c.Code]; ok && c.Code != "" {
			problems["code"] = fmt.Sprintf("the same code as line %d", prev)
		}
		seen[c.Code] = line
		for f, p := range problems {
			fe.Add(fmt.Sprintf("line %d: %s", line, f), p)
		}
		out = append(out, c)
	}
	if len(out) == 0 && len(fe) == 0 {
		return nil, nil, FieldError("file", "the component file has a header and no rows")
	}
	return out, fe, nil
}

// componentHeader maps each known column to its index in header.
func componentHeader(header []string) (map[string]int, error) {
	col := map[string]int{}
	fe := FieldErrors{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			fe.Add("header", fmt.Sprintf("column %q twice", h))
			continue
		} else if !slices.Contains(componentColumns, h) {
			fe.Add("header", fmt.Sprintf("unknown column %q; the columns are %s", h, strings.Join(componentColumns, ",")))
		}
		col[h] = i
	}
	for _, need := range []string{"code", "category_code", "lat", "lon"} {
		if _, ok := col[need]; !ok {
			fe.Add("header", "the header needs the columns code, category_code, lat and lon")
		}
	}
	return col, fe.Err()
}

// componentRow decodes and checks one row: its problems by column.
func (s *ComponentService) componentRow(rec []string, col map[string]int) (*RegisteredComponent, map[string]string) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	problems := map[string]string{}
	c := &RegisteredComponent{Code: get("code"), CategoryCode: get("category_code"), Name: get("name"), CellCode: get("cell_code"), State: get("state")}
	for _, f := range []struct {
		name string
		dst  *float64
	}{{"lat", &c.Point.Lat}, {"lon", &c.Point.Lon}} {
		v, err := strconv.ParseFloat(get(f.name), 64)
		if err != nil {
			problems[f.name] = "a number is required"
		}
		*f.dst = v
	}
	city := s.city()
	for _, f := range []struct {
		name string
		dst  *UnitID
	}{{"owner_unit_id", &c.OwnerUnit}, {"maintainer_unit_id", &c.Maintainer}} {
		v := get(f.name)
		if v == "" {
			continue
		}
		if id, ok := city.UnitByIDOrCode(v); ok {
			*f.dst = id
		} else {
			problems[f.name] = "unknown unit " + strconv.Quote(v)
		}
	}
	if err := AsError(c.Validate()); err != nil {
		for f, p := range err.Fields {
			if _, ok := problems[f]; !ok {
				problems[f] = p
			}
		}
	}
	if len(problems) == 0 {
		for f, p := range s.check(c) {
			problems[f] = p
		}
	}
	return c, problems
}

// requireStaff checks that the actor is a signed-in member of staff: not
// a citizen, nor an application acting with an API key.
func requireStaff(ctx context.Context) error {
	u := ActorFrom(ctx)
	switch {
	case u == nil || !u.Active:
		return Errorf(Unauthorized, "sign in first")
	case u.Role == RoleCitizen || u.Role == RoleApp:
		return Errorf(Forbidden, "the %s role may not read the component register", u.Role)
	}
	return nil
}
