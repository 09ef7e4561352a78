package civicgrid_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/sqlite"
)

// fakeClock is a settable clock for services.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// world is a city on a real SQLite file with its services.
type world struct {
	db    *sqlite.DB
	city  *civicgrid.CityHolder
	ref   *civicgrid.ReferenceService
	cases *civicgrid.CaseService
	clock *fakeClock
	users map[civicgrid.Role]*civicgrid.User
	units map[string]*civicgrid.Unit
}

// square returns a d-degree square polygon with its south-west corner at
// lat, lon.
func square(lat, lon, d float64) civicgrid.MultiPolygon {
	return civicgrid.MultiPolygon{{{{Lat: lat, Lon: lon}, {Lat: lat, Lon: lon + d}, {Lat: lat + d, Lon: lon + d}, {Lat: lat + d, Lon: lon}, {Lat: lat, Lon: lon}}}}
}

// featureOf makes a GeoJSON-like feature for ImportGrid.
func featureOf(i int, code string, shape civicgrid.MultiPolygon) civicgrid.Feature {
	return civicgrid.Feature{Index: i, Properties: map[string]any{"code": code, "name": "n" + code}, Geometry: shape}
}

// newWorld opens a fresh store, imports a 2×2 block of cells in community
// 330102001001, loads the gbt47678 taxonomy, and creates two units routed
// by class, and one user per role.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "cg.db"), sqlite.Options{Location: cst})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{db: db, clock: &fakeClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, cst)},
		users: map[civicgrid.Role]*civicgrid.User{}, units: map[string]*civicgrid.Unit{}}
	if w.city, err = civicgrid.NewCityHolder(ctx, db); err != nil {
		t.Fatal(err)
	}
	w.ref = civicgrid.NewReferenceService(db, w.city, w.clock.Now)
	w.cases = civicgrid.NewCaseService(db, w.city.City, w.clock.Now)
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	var feats []civicgrid.Feature
	for i := range 4 {
		feats = append(feats, featureOf(i, fmt.Sprintf("33010200100100%d", i+1), square(30.25+float64(i/2)*0.001, 120.15+float64(i%2)*0.001, 0.001)))
	}
	if _, err := w.ref.ImportGrid(sys, feats, civicgrid.GridImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ref.UseTaxonomy(sys, civicgrid.TaxonomyGBT47678); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*civicgrid.Unit{
		{Code: "sanitation", Name: civicgrid.Text{Zh: "环卫处"}, Active: true},
		{Code: "municipal", Name: civicgrid.Text{Zh: "市政处"}, Active: true},
	} {
		if err := w.ref.CreateUnit(sys, u); err != nil {
			t.Fatal(err)
		}
		w.units[u.Code] = u
	}
	for _, r := range []*civicgrid.RoutingRule{
		{CategoryPrefix: "06", UnitID: w.units["sanitation"].ID},
		{CategoryPrefix: "01", UnitID: w.units["municipal"].ID},
	} {
		if err := w.ref.AddRoutingRule(sys, r); err != nil {
			t.Fatal(err)
		}
	}
	err = db.Update(ctx, func(tx civicgrid.Tx) error {
		for _, role := range civicgrid.Roles {
			u := &civicgrid.User{Name: string(role), Role: role, Active: true, CreatedAt: w.clock.Now()}
			if role == civicgrid.RoleUnit {
				u.UnitID = w.units["sanitation"].ID
			}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			w.users[role] = u
		}
		return tx.SetCellInspectors(ctx, "330102001001001", []civicgrid.UserID{w.users[civicgrid.RoleInspector].ID})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.city.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	return w
}

// as returns a context acting as the user with role.
func (w *world) as(ctx context.Context, role civicgrid.Role) context.Context {
	return civicgrid.WithActor(ctx, w.users[role])
}

// report opens a case of category in the first cell.
func (w *world) report(t *testing.T, category string) *civicgrid.Case {
	t.Helper()
	c, err := w.cases.Report(w.as(t.Context(), civicgrid.RoleOperator), civicgrid.ReportInput{
		CategoryCode: category, Lat: 30.2505, Lon: 120.1505, Description: "问题", Source: civicgrid.SourceHotline})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// act takes action as role, failing the test on error.
func (w *world) act(t *testing.T, c *civicgrid.Case, role civicgrid.Role, in civicgrid.ActionInput) *civicgrid.Case {
	t.Helper()
	in.Version = c.Version
	got, err := w.cases.Act(w.as(t.Context(), role), c.ID, in)
	if err != nil {
		t.Fatalf("%s by %s: %v", in.Action, role, err)
	}
	return got
}
