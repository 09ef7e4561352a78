package civicgrid_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// manhole is a component category of the gbt47678 directory: 供水井盖异常.
const manhole = "01001"

// inCell is a point in cell 330102001001001 of the test world.
var inCell = civicgrid.Point{Lat: 30.2505, Lon: 120.1505}

// TestComponentServiceRoles: staff read the register, only an admin
// changes it; a missing cell is found from the point; unknown units,
// cells and categories are refused by field.
func TestComponentServiceRoles(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	comps := civicgrid.NewComponentService(w.db, w.city.City)
	admin := w.as(ctx, civicgrid.RoleAdmin)
	c := &civicgrid.RegisteredComponent{Code: "3301020101000001", CategoryCode: manhole, Name: "供水井盖", Point: inCell,
		Maintainer: w.units["municipal"].ID}
	if err := comps.Upsert(w.as(ctx, civicgrid.RoleOperator), c); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Fatalf("Upsert by an operator: %v, want forbidden", err)
	}
	if err := comps.Upsert(ctx, c); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Fatalf("Upsert signed out: %v, want unauthorized", err)
	}
	if err := comps.Upsert(admin, c); err != nil {
		t.Fatal(err)
	}
	got, err := comps.Find(w.as(ctx, civicgrid.RoleInspector), c.Code)
	if err != nil {
		t.Fatal(err)
	}
	if got.CellCode != "330102001001001" || got.State != "完好" || got.Maintainer != w.units["municipal"].ID {
		t.Errorf("stored %+v, want it in cell 330102001001001, 完好, maintained by municipal", got)
	}
	for _, role := range []civicgrid.Role{civicgrid.RoleUnit, civicgrid.RoleLeader, civicgrid.RoleAdmin} {
		list, total, err := comps.List(w.as(ctx, role), civicgrid.ComponentQuery{CellPrefix: "330102001"})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("List as %s: %d of %d, %v; want the one", role, len(list), total, err)
		}
	}
	if _, _, err := comps.List(w.as(ctx, civicgrid.RoleCitizen), civicgrid.ComponentQuery{}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("List as a citizen: %v, want forbidden", err)
	}
	if _, _, err := comps.List(admin, civicgrid.ComponentQuery{Limit: 5000}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("List with limit 5000: %v, want invalid", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(c *civicgrid.RegisteredComponent)
		code  civicgrid.ErrorCode
		field string
	}{
		{"UnknownMaintainer", func(c *civicgrid.RegisteredComponent) { c.Maintainer = 999 }, civicgrid.Unprocessable, "maintainer_unit_id"},
		{"UnknownOwner", func(c *civicgrid.RegisteredComponent) { c.OwnerUnit = 998 }, civicgrid.Unprocessable, "owner_unit_id"},
		{"UnknownCell", func(c *civicgrid.RegisteredComponent) { c.CellCode = "330102001001009" }, civicgrid.Unprocessable, "cell_code"},
		{"Outside", func(c *civicgrid.RegisteredComponent) { c.CellCode, c.Point = "", civicgrid.Point{Lat: 31, Lon: 121} }, civicgrid.Unprocessable, "lat"},
		{"EventCategory", func(c *civicgrid.RegisteredComponent) { c.CategoryCode = garbage }, civicgrid.Unprocessable, "category_code"},
		{"BadCode", func(c *civicgrid.RegisteredComponent) { c.Code = "12-34" }, civicgrid.Invalid, "code"},
		{"BadState", func(c *civicgrid.RegisteredComponent) { c.State = "坏了" }, civicgrid.Invalid, "state"},
		{"NoPoint", func(c *civicgrid.RegisteredComponent) { c.Point = civicgrid.Point{} }, civicgrid.Invalid, "lat"},
	} {
		bad := *got
		tc.edit(&bad)
		err := comps.Upsert(admin, &bad)
		if e := civicgrid.AsError(err); e == nil || e.Code != tc.code || e.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want %s naming %s", tc.name, err, tc.code, tc.field)
		}
	}
}

// TestComponentImport: a CSV file is imported all or nothing; every bad
// row is named by its line; units go by id or code; cells are found.
func TestComponentImport(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	comps := civicgrid.NewComponentService(w.db, w.city.City)
	admin := w.as(ctx, civicgrid.RoleAdmin)
	muni := w.units["municipal"].ID
	bad := "\uFEFFcode,category_code,name,lat,lon,owner_unit_id,maintainer_unit_id,state\n" +
		"3301020101000001,01001,井盖 1,30.2505,120.1505,municipal,,完好\n" + // line 2: good
		"3301020101000002,01001,井盖 2,30.2505,120.1505,nobody,,完好\n" + // line 3: unknown unit
		"\"3301020101000003\",01001,\"井盖\n3\",30.2515,120.1515,municipal,,破损\n" + // lines 4–5: good, a quoted newline
		"3301020101000004,01001,井盖 4,abc,120.1505,municipal,,\n" + // line 6: lat
		"3301020101000001,01001,井盖 1,30.2505,120.1505,municipal,,\n" + // line 7: the same code as line 2
		"3301020101000005,06010,垃圾,30.2505,120.1505,municipal,,\n" // line 8: not a component category
	_, err := comps.Import(admin, strings.NewReader(bad))
	e := civicgrid.AsError(err)
	if e == nil || e.Code != civicgrid.Invalid {
		t.Fatalf("Import of a bad file: %v, want invalid", err)
	}
	for _, k := range []string{"line 3: owner_unit_id", "line 6: lat", "line 7: code", "line 8: category_code"} {
		if e.Fields[k] == "" {
			t.Errorf("no problem %q in %v", k, e.Fields)
		}
	}
	if len(e.Fields) != 4 {
		t.Errorf("problems %v, want 4", e.Fields)
	}
	if _, total, err := comps.List(admin, civicgrid.ComponentQuery{}); err != nil || total != 0 {
		t.Fatalf("after a failed import: %d components, %v; want none", total, err)
	}
	if _, err := comps.Import(w.as(ctx, civicgrid.RoleOperator), strings.NewReader(bad)); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("Import by an operator: %v, want forbidden", err)
	}
	for name, file := range map[string]string{
		"Empty":         "",
		"HeaderOnly":    "code,category_code,lat,lon\n",
		"UnknownColumn": "code,category_code,lat,lon,colour\n3301020101000001,01001,30.25,120.15,red\n",
		"MissingColumn": "code,category_code,lat\n3301020101000001,01001,30.25\n",
	} {
		if _, err := comps.Import(admin, strings.NewReader(file)); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	good := "code,category_code,name,cell_code,lat,lon,owner_unit_id,maintainer_unit_id,state\n" +
		"3301020101000001,01001,井盖 1,,30.2505,120.1505,municipal,,完好\n" +
		"33010201010000002,01001,井盖 2,330102001001004,30.2515,120.1515,," + strconv.FormatInt(int64(muni), 10) + ",破损\n"
	n, err := comps.Import(admin, strings.NewReader(good))
	if err != nil || n != 2 {
		t.Fatalf("Import: %d, %v; want 2", n, err)
	}
	list, _, err := comps.List(admin, civicgrid.ComponentQuery{})
	if err != nil || len(list) != 2 {
		t.Fatalf("List: %v, %v", list, err)
	}
	if c := list[1]; c.Code != "3301020101000001" || c.CellCode != "330102001001001" || c.OwnerUnit != muni || c.State != "完好" {
		t.Errorf("first row stored as %+v", c)
	}
	if c := list[0]; c.CellCode != "330102001001004" || c.Maintainer != muni || c.OwnerUnit != 0 || c.State != "破损" {
		t.Errorf("second row stored as %+v", c)
	}
}

// TestComponentHotspots counts the cases at a component created in the
// period, its first instant included and the instant after its last day
// excluded; the case is dispatched to the component's maintainer.
func TestComponentHotspots(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	admin := w.as(ctx, civicgrid.RoleAdmin)
	comps := civicgrid.NewComponentService(w.db, w.city.City)
	hot := civicgrid.NewHotspotService(civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig()))
	sanitation := w.units["sanitation"].ID // not the routing rules' unit for class 01
	for _, code := range []string{"3301020101000001", "3301020101000002"} {
		if err := comps.Upsert(admin, &civicgrid.RegisteredComponent{Code: code, CategoryCode: manhole, Name: "井盖 " + code[15:],
			Point: inCell, Maintainer: sanitation}); err != nil {
			t.Fatal(err)
		}
	}
	from, to := civicgrid.Date{Year: 2026, Month: 3, Day: 10}, civicgrid.Date{Year: 2026, Month: 3, Day: 13} // 10th–12th
	report := func(at time.Time, component string) *civicgrid.Case {
		w.clock.Set(at)
		return w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: manhole, Lat: inCell.Lat, Lon: inCell.Lon,
			ComponentCode: component, Distinct: true}).Case
	}
	a, b := "3301020101000001", "3301020101000002"
	report(from.At(0, cst).Add(-time.Millisecond), a) // before the period
	report(from.At(0, cst), a)                        // its first instant
	last := report(to.At(0, cst).Add(-time.Second), a)
	report(to.At(0, cst), a) // after it
	report(from.At(600, cst), b)
	report(from.At(660, cst), "")
	res, err := hot.Components(w.as(ctx, civicgrid.RoleLeader), civicgrid.HotspotQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.MinCases != 2 {
		t.Fatalf("rows %+v (min %d), want component %s only, min 2", res.Rows, res.MinCases, a)
	}
	r := res.Rows[0]
	if r.Code != a || r.Count != 2 || r.LatestNumber != last.Number || !r.LatestAt.Equal(last.CreatedAt) || r.Unit != sanitation ||
		r.UnitName.Zh != "环卫处" || r.Cell != "330102001001001" || r.Category != manhole || r.CategoryName.Zh != "供水井盖异常" {
		t.Errorf("row %+v", r)
	}
	if want := "component=" + a + "&created_from=2026-03-10&created_to=2026-03-12"; r.Cases.Query != want {
		t.Errorf("drill-down %q, want %q", r.Cases.Query, want)
	}
	// The drill-down lists exactly the counted cases.
	f := civicgrid.CaseFilter{ComponentCode: a, CreatedFrom: ptrTime(from.At(0, cst)), CreatedTo: ptrTime(to.At(0, cst)), Limit: 10}
	if page, err := w.cases.List(admin, f); err != nil || page.Total != 2 {
		t.Errorf("drill-down lists %v, %v; want 2 cases", page, err)
	}
	// A component's case goes to its maintainer.
	c := w.act(t, last, civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch})
	if c.UnitID != sanitation {
		t.Errorf("dispatched to unit %d, want the maintainer %d", c.UnitID, sanitation)
	}

	if err := hot.SetConfig(w.as(ctx, civicgrid.RoleAdmin), civicgrid.HotspotConfig{ComponentMinCases: 1}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("component_min_cases 1: %v, want invalid", err)
	}
	// An operator of another district sees none of it.
	elsewhere := *w.users[civicgrid.RoleOperator]
	elsewhere.AreaCode = "330103"
	if res, err := hot.Components(civicgrid.WithActor(ctx, &elsewhere), civicgrid.HotspotQuery{From: from, To: to}); err != nil || len(res.Rows) != 0 {
		t.Errorf("an operator of 330103: %+v, %v; want no rows", res, err)
	}
	elsewhere.AreaCode = "330102001"
	if res, err := hot.Components(civicgrid.WithActor(ctx, &elsewhere), civicgrid.HotspotQuery{From: from, To: to}); err != nil || len(res.Rows) != 1 {
		t.Errorf("an operator of 330102001: %+v, %v; want the row", res, err)
	}
	if _, err := hot.Components(w.as(ctx, civicgrid.RoleInspector), civicgrid.HotspotQuery{From: from, To: to}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("an inspector: %v, want forbidden", err)
	}
	if _, err := hot.Components(admin, civicgrid.HotspotQuery{From: to, To: from}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("to before from: %v, want invalid", err)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
