package web_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/filestore"
	"civicgrid/password"
	"civicgrid/sqlite"
	"civicgrid/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The fixture city's places: four 100 m cells in a row, eastwards from
// 30.25N 120.15E, in two streets of one district.
const (
	cellA1 = "330102001001001" // 湖滨街道 东坡社区
	cellA2 = "330102001001002" // 湖滨街道 东坡社区
	cellB1 = "330102001002001" // 湖滨街道 岳王社区
	cellC1 = "330102002001001" // 清波街道 清波门社区

	originLat = 30.25
	originLon = 120.15
	cellDLat  = 0.0009  // about 100 m
	cellDLon  = 0.00104 // about 100 m at 30°N
)

// cellCodes are the fixture's cells, west to east.
var cellCodes = []string{cellA1, cellA2, cellB1, cellC1}

// The fixture's categories (from the legacy directory).
const (
	catGarbage  = "SJ0102" // 暴露垃圾: an event, routed to 环卫 in 湖滨街道
	catManhole  = "BJ0101" // 上水井盖: an urgent component, routed to 市政
	unitSanit   = "huanwei"
	unitMunic   = "shizheng"
	unitStreet  = "qingbo"
	testStartAt = "2026-03-10T09:00:00+08:00" // a Tuesday, in working time
)

// actors are the fixture's users by login name; each has an API token.
var actors = []struct {
	name string
	role civicgrid.Role
	unit string
}{
	{"admin", civicgrid.RoleAdmin, ""},
	{"operator", civicgrid.RoleOperator, ""},
	{"shift_leader", civicgrid.RoleShiftLeader, ""},
	{"dispatcher", civicgrid.RoleDispatcher, ""},
	{"sanitation", civicgrid.RoleUnit, unitSanit},
	{"street_office", civicgrid.RoleUnit, unitStreet},
	{"inspector", civicgrid.RoleInspector, ""},
	{"leader", civicgrid.RoleLeader, ""},
	{"citizen", civicgrid.RoleCitizen, ""},
	{"citizen2", civicgrid.RoleCitizen, ""},
}

// env is a running server on a fresh SQLite file with the fixture city.
type env struct {
	tb     testing.TB
	db     *sqlite.DB
	city   *civicgrid.CityHolder
	clock  *clock
	srv    *httptest.Server
	client *http.Client
	tokens map[string]string // login name → API token
	users  map[string]*civicgrid.User
	units  map[string]*civicgrid.Unit // by code
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newEnv starts a server over a new database; opts adjust its Config.
func newEnv(tb testing.TB, opts ...func(*web.Config)) *env {
	tb.Helper()
	ctx := context.Background()
	loc := civicgrid.DefaultCalendar().Location()
	dir := tb.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "civicgrid.db"), sqlite.Options{Location: loc})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	start, _ := time.Parse(time.RFC3339, testStartAt)
	e := &env{tb: tb, db: db, clock: &clock{t: start.In(loc)}, tokens: map[string]string{},
		users: map[string]*civicgrid.User{}, units: map[string]*civicgrid.Unit{}}
	e.seed(ctx)
	if e.city, err = civicgrid.NewCityHolder(ctx, db); err != nil {
		tb.Fatalf("load city: %v", err)
	}
	blobs, err := filestore.Open(filepath.Join(dir, "photos"))
	if err != nil {
		tb.Fatalf("open blob store: %v", err)
	}
	cfg := web.Config{
		Logger:  slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Store:   db,
		City:    e.city,
		Cases:   civicgrid.NewCaseService(db, e.city.City, e.clock.Now),
		Users:   civicgrid.NewUserService(db, password.New(password.Params{Memory: 64, Time: 1, Threads: 1}), e.clock.Now),
		Photos:  civicgrid.NewPhotoService(db, blobs, e.clock.Now),
		APIKeys: civicgrid.NewAPIKeyService(db, e.clock.Now),
		Blobs:   blobs,
		Now:     e.clock.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.srv = httptest.NewServer(web.NewServer(cfg))
	tb.Cleanup(e.srv.Close)
	e.client = e.srv.Client()
	return e
}

// seed writes the fixture city in one transaction.
func (e *env) seed(ctx context.Context) {
	e.tb.Helper()
	cats, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyLegacy)
	if err != nil {
		e.tb.Fatal(err)
	}
	err = e.db.Update(ctx, func(tx civicgrid.Tx) error {
		for _, a := range fixtureAreas() {
			if err := tx.UpsertArea(ctx, a); err != nil {
				return err
			}
		}
		if err := tx.SaveCells(ctx, fixtureCells(), e.clock.Now().AddDate(-1, 0, 0)); err != nil {
			return err
		}
		for _, c := range cats {
			if err := tx.UpsertCategory(ctx, c); err != nil {
				return err
			}
		}
		if err := e.seedUnits(ctx, tx); err != nil {
			return err
		}
		if err := e.seedUsers(ctx, tx); err != nil {
			return err
		}
		for _, code := range cellCodes {
			if err := tx.SetCellInspectors(ctx, code, []civicgrid.UserID{e.users["inspector"].ID}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.tb.Fatalf("seed: %v", err)
	}
}

func fixtureAreas() []*civicgrid.Area {
	return []*civicgrid.Area{
		{Code: "330102", Level: civicgrid.LevelDistrict, Name: "上城区"},
		{Code: "330102001", Level: civicgrid.LevelStreet, Name: "湖滨街道", ParentCode: "330102"},
		{Code: "330102001001", Level: civicgrid.LevelCommunity, Name: "东坡社区", ParentCode: "330102001"},
		{Code: "330102001002", Level: civicgrid.LevelCommunity, Name: "岳王社区", ParentCode: "330102001"},
		{Code: "330102002", Level: civicgrid.LevelStreet, Name: "清波街道", ParentCode: "330102"},
		{Code: "330102002001", Level: civicgrid.LevelCommunity, Name: "清波门社区", ParentCode: "330102002"},
	}
}

// cellCenter returns the middle of the i-th fixture cell.
func cellCenter(i int) (lat, lon float64) {
	return originLat + cellDLat/2, originLon + cellDLon*(float64(i)+0.5)
}

func fixtureCells() []*civicgrid.GridCell {
	var cells []*civicgrid.GridCell
	for i, code := range cellCodes {
		w, s := originLon+cellDLon*float64(i), originLat
		e, n := w+cellDLon, s+cellDLat
		shape := civicgrid.MultiPolygon{{civicgrid.Ring{{Lat: s, Lon: w}, {Lat: s, Lon: e}, {Lat: n, Lon: e}, {Lat: n, Lon: w}, {Lat: s, Lon: w}}}}
		cells = append(cells, &civicgrid.GridCell{Code: code, Name: "网格" + code[12:], Shape: shape,
			AreaM2: shape.AreaM2(), Centroid: shape.Centroid()})
	}
	return cells
}

// seedUnits creates three units and their routing: garbage in 湖滨街道 to
// sanitation, manholes anywhere to the municipal unit, and everything else
// in the district to the 清波 street office.
func (e *env) seedUnits(ctx context.Context, tx civicgrid.Tx) error {
	units := []*civicgrid.Unit{
		{Code: unitSanit, Name: civicgrid.Text{Zh: "区环卫处", En: "Sanitation"}, Kind: "department", AreaCode: "330102", Active: true},
		{Code: unitMunic, Name: civicgrid.Text{Zh: "区市政管理处", En: "Municipal works"}, Kind: "department", AreaCode: "330102", Active: true},
		{Code: unitStreet, Name: civicgrid.Text{Zh: "清波街道办事处", En: "Qingbo street office"}, Kind: "street", AreaCode: "330102002", Active: true},
	}
	for _, u := range units {
		if err := tx.CreateUnit(ctx, u); err != nil {
			return err
		}
		e.units[u.Code] = u
	}
	rules := []*civicgrid.RoutingRule{
		{CategoryPrefix: "SJ01", AreaPrefix: "330102001", UnitID: e.units[unitSanit].ID},
		{CategoryPrefix: "BJ01", AreaPrefix: "", UnitID: e.units[unitMunic].ID},
		{CategoryPrefix: "", AreaPrefix: "330102", UnitID: e.units[unitStreet].ID},
	}
	for _, r := range rules {
		if err := tx.CreateRoutingRule(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// seedUsers creates one user per actor with an API token, storing only the
// token's hash as the UserStore expects.
func (e *env) seedUsers(ctx context.Context, tx civicgrid.Tx) error {
	for _, a := range actors {
		u := &civicgrid.User{Name: a.name, DisplayName: a.name, Role: a.role, Active: true, CreatedAt: e.clock.Now()}
		if a.unit != "" {
			u.UnitID = e.units[a.unit].ID
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		var raw [16]byte
		_, _ = rand.Read(raw[:])
		token := "test_" + a.name + "_" + hex.EncodeToString(raw[:])
		if err := tx.CreateToken(ctx, &civicgrid.Token{UserID: u.ID, Name: "test", Hash: civicgrid.HashToken(token), CreatedAt: e.clock.Now()}); err != nil {
			return err
		}
		e.users[a.name], e.tokens[a.name] = u, token
	}
	return nil
}
