package open311_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/open311"
	"civicgrid/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The fixture city: four 100 m cells in a 2×2 block of one community,
// south-west corner at 30.25N 120.15E.
const (
	originLat = 30.25
	originLon = 120.15
	cellDLat  = 0.0009  // about 100 m
	cellDLon  = 0.00104 // about 100 m at 30°N

	catGarbage  = "06010" // 暴露垃圾
	catManhole  = "01001" // 供水井盖异常, urgent
	catRoad     = "06013" // 道路破损
	catPrivate  = "01055" // not open to the public
	catInactive = "06012" // made inactive

	jurisdiction = "demo.civicgrid.local"
	testStart    = "2026-03-10T09:00:00+08:00" // a Tuesday, in working time
)

// cellCodes are the fixture's cells: south-west, south-east, north-west,
// north-east.
var cellCodes = []string{"330102001001001", "330102001001002", "330102001001003", "330102001001004"}

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

// env is an Open311 endpoint mounted as the web server mounts it, on a
// fresh SQLite file with the fixture city.
type env struct {
	tb    testing.TB
	db    *sqlite.DB
	city  *civicgrid.CityHolder
	cases *civicgrid.CaseService
	keys  *civicgrid.APIKeyService
	clock *clock
	srv   *httptest.Server
	key   string // an API key
	users map[civicgrid.Role]*civicgrid.User
	unit  *civicgrid.Unit
}

// envOptions adjust the fixture.
type envOptions struct {
	synchronous string                       // the store's synchronous pragma; "" is durable FULL
	categories  func() []*civicgrid.Category // the city's categories; nil is the gbt47678 subset
	cells       func() []*civicgrid.GridCell
	config      func(*env, *open311.Config)
}

// newEnv starts an endpoint over a new database.
func newEnv(tb testing.TB, opts envOptions) *env {
	tb.Helper()
	ctx := context.Background()
	loc := civicgrid.DefaultCalendar().Location()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "civicgrid.db"), sqlite.Options{Location: loc, Synchronous: opts.synchronous})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	start, _ := time.Parse(time.RFC3339, testStart)
	e := &env{tb: tb, db: db, clock: &clock{t: start.In(loc)}, users: map[civicgrid.Role]*civicgrid.User{}}
	if opts.categories == nil {
		opts.categories = fixtureCategories(tb)
	}
	if opts.cells == nil {
		opts.cells = fixtureCells
	}
	e.seed(ctx, opts.categories(), opts.cells())
	if e.city, err = civicgrid.NewCityHolder(ctx, db); err != nil {
		tb.Fatalf("load city: %v", err)
	}
	e.cases = civicgrid.NewCaseService(db, e.city.City, e.clock.Now)
	e.keys = civicgrid.NewAPIKeyService(db, e.clock.Now)
	if e.key, _, err = e.keys.Create(civicgrid.WithActor(ctx, civicgrid.SystemUser), "fixmystreet"); err != nil {
		tb.Fatalf("create api key: %v", err)
	}
	cfg := open311.Config{
		Logger: slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		City:   e.city.City, Cases: e.cases, Keys: e.keys, Jurisdiction: jurisdiction, Now: e.clock.Now,
		Changeset: time.Date(2026, 3, 1, 0, 0, 0, 0, loc),
	}
	if opts.config != nil {
		opts.config(e, &cfg)
	}
	mux := http.NewServeMux()
	mux.Handle("/open311/v2/", open311.New(cfg)) // as web mounts it
	e.srv = httptest.NewServer(mux)
	tb.Cleanup(e.srv.Close)
	return e
}

// seed writes the fixture city in one transaction.
func (e *env) seed(ctx context.Context, cats []*civicgrid.Category, cells []*civicgrid.GridCell) {
	e.tb.Helper()
	err := e.db.Update(ctx, func(tx civicgrid.Tx) error {
		for _, a := range areasOf(cells) {
			if err := tx.UpsertArea(ctx, a); err != nil {
				return err
			}
		}
		if err := tx.SaveCells(ctx, cells, e.clock.Now().AddDate(-1, 0, 0)); err != nil {
			return err
		}
		for _, c := range cats {
			if err := tx.UpsertCategory(ctx, c); err != nil {
				return err
			}
		}
		e.unit = &civicgrid.Unit{Code: "sanitation", Name: civicgrid.Text{Zh: "环卫处", En: "Sanitation"}, Kind: "department", Active: true}
		if err := tx.CreateUnit(ctx, e.unit); err != nil {
			return err
		}
		for _, role := range []civicgrid.Role{civicgrid.RoleAdmin, civicgrid.RoleOperator, civicgrid.RoleInspector} {
			u := &civicgrid.User{Name: string(role), DisplayName: string(role), Role: role, Active: true, CreatedAt: e.clock.Now()}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			e.users[role] = u
		}
		return nil
	})
	if err != nil {
		e.tb.Fatalf("seed: %v", err)
	}
}

// fixtureCategories returns a few categories of the gbt47678 directory:
// three public ones, one not open to the public and one inactive.
func fixtureCategories(tb testing.TB) func() []*civicgrid.Category {
	return func() []*civicgrid.Category {
		all, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyGBT47678)
		if err != nil {
			tb.Fatal(err)
		}
		var out []*civicgrid.Category
		for _, c := range all {
			switch c.Code {
			case catGarbage, catManhole, catRoad, catPrivate:
				out = append(out, c)
			case catInactive:
				c.Active = false
				out = append(out, c)
			}
		}
		return out
	}
}

// areasOf returns the district, street and community of the cells.
func areasOf(cells []*civicgrid.GridCell) []*civicgrid.Area {
	seen := map[string]bool{}
	var out []*civicgrid.Area
	for _, c := range cells {
		for _, a := range []*civicgrid.Area{
			{Code: c.DistrictCode(), Level: civicgrid.LevelDistrict, Name: "区" + c.DistrictCode()},
			{Code: c.StreetCode(), Level: civicgrid.LevelStreet, Name: "街道" + c.StreetCode(), ParentCode: c.DistrictCode()},
			{Code: c.CommunityCode(), Level: civicgrid.LevelCommunity, Name: "社区" + c.CommunityCode(), ParentCode: c.StreetCode()},
		} {
			if !seen[a.Code] {
				seen[a.Code] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// fixtureCells are the four 100 m cells.
func fixtureCells() []*civicgrid.GridCell {
	var cells []*civicgrid.GridCell
	for i, code := range cellCodes {
		s, w := originLat+cellDLat*float64(i/2), originLon+cellDLon*float64(i%2)
		cells = append(cells, rectCell(code, s, w, s+cellDLat, w+cellDLon))
	}
	return cells
}

// rectCell is a rectangular cell.
func rectCell(code string, s, w, n, e float64) *civicgrid.GridCell {
	shape := civicgrid.MultiPolygon{{civicgrid.Ring{{Lat: s, Lon: w}, {Lat: s, Lon: e}, {Lat: n, Lon: e}, {Lat: n, Lon: w}, {Lat: s, Lon: w}}}}
	return &civicgrid.GridCell{Code: code, Name: "网格" + code[12:], Shape: shape, AreaM2: shape.AreaM2(), Centroid: shape.Centroid()}
}

// cellCenter returns the middle of the i-th fixture cell as the 6-decimal
// strings clients send.
func cellCenter(i int) (lat, lon string) {
	return coord(originLat + cellDLat*(float64(i/2)+0.5)), coord(originLon + cellDLon*(float64(i%2)+0.5))
}

// coord formats a degree with the 6 decimals FixMyStreet sends.
func coord(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

// response is what the server answered.
type response struct {
	status int
	ctype  string
	body   []byte
}

// do sends req and reads the answer.
func (e *env) do(req *http.Request) *response {
	e.tb.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.tb.Fatal(err)
	}
	return &response{status: resp.StatusCode, ctype: resp.Header.Get("Content-Type"), body: body}
}

// get sends GET path (which starts with /open311/v2 or is relative to it).
func (e *env) get(path string, header ...string) *response {
	e.tb.Helper()
	req, err := http.NewRequest("GET", e.url(path), nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.do(req)
}

// post sends form url-encoded to path.
func (e *env) post(path string, form url.Values) *response {
	e.tb.Helper()
	req, err := http.NewRequest("POST", e.url(path), strings.NewReader(form.Encode()))
	if err != nil {
		e.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return e.do(req)
}

// postMultipart sends form as multipart/form-data to path, with a photo
// part as FixMyStreet adds one.
func (e *env) postMultipart(path string, form url.Values) *response {
	e.tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("photo1", "photo1.jpg")
	_, _ = fw.Write([]byte("\xff\xd8\xff\xe0 not really a jpeg"))
	_ = mw.Close()
	req, err := http.NewRequest("POST", e.url(path), &buf)
	if err != nil {
		e.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.do(req)
}

// url returns the full URL of path.
func (e *env) url(path string) string {
	if !strings.HasPrefix(path, "/") {
		path = open311.Prefix + "/" + path
	}
	return e.srv.URL + path
}

// report posts a report of category at lat, lon and returns its id.
func (e *env) report(category, lat, lon string, extra ...string) string {
	e.tb.Helper()
	form := url.Values{"api_key": {e.key}, "service_code": {category}, "lat": {lat}, "long": {lon}, "description": {"问题描述"}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	r := e.post("requests.json", form)
	if r.status != http.StatusOK {
		e.tb.Fatalf("POST requests.json: %d %s", r.status, r.body)
	}
	var got []struct {
		ID string `json:"service_request_id"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || len(got) != 1 || got[0].ID == "" {
		e.tb.Fatalf("POST requests.json: %s (%v)", r.body, err)
	}
	return got[0].ID
}

// act takes the action on case number as an admin, at the case's current
// version.
func (e *env) act(number string, in civicgrid.ActionInput) *civicgrid.Case {
	e.tb.Helper()
	c := e.findCase(number)
	in.Version = c.Version
	got, err := e.cases.Act(civicgrid.WithActor(context.Background(), e.users[civicgrid.RoleAdmin]), c.ID, in)
	if err != nil {
		e.tb.Fatalf("%s on %s: %v", in.Action, number, err)
	}
	return got
}

// closeCase walks case number through the whole workflow to closed.
func (e *env) closeCase(number string) {
	e.tb.Helper()
	for _, in := range closingPath(e.unit.ID, e.users[civicgrid.RoleInspector].ID) {
		e.act(number, in)
	}
}

// closingPath is the quickest way from reported to closed.
func closingPath(unit civicgrid.UnitID, inspector civicgrid.UserID) []civicgrid.ActionInput {
	return []civicgrid.ActionInput{
		{Action: civicgrid.ActionFile},
		{Action: civicgrid.ActionDispatch, UnitID: unit},
		{Action: civicgrid.ActionSign},
		{Action: civicgrid.ActionFinish, Note: "已处置完毕"},
		{Action: civicgrid.ActionCheckRequest, InspectorID: inspector},
		{Action: civicgrid.ActionCheckPass},
		{Action: civicgrid.ActionClose},
	}
}

// findCase reads case number from the store.
func (e *env) findCase(number string) *civicgrid.Case {
	e.tb.Helper()
	var c *civicgrid.Case
	err := e.db.View(context.Background(), func(tx civicgrid.Tx) error {
		var err error
		c, err = tx.FindCaseByNumber(context.Background(), number)
		return err
	})
	if err != nil {
		e.tb.Fatalf("find case %s: %v", number, err)
	}
	return c
}

// countCases returns how many cases the store holds.
func (e *env) countCases() int {
	e.tb.Helper()
	var n int
	err := e.db.View(context.Background(), func(tx civicgrid.Tx) error {
		var err error
		_, n, err = tx.FindCases(context.Background(), civicgrid.CaseFilter{Limit: 1})
		return err
	})
	if err != nil {
		e.tb.Fatal(err)
	}
	return n
}

// golden compares the answer with testdata/name.golden (rewriting it with
// -update), after normalising what changes from run to run: the server's
// address. JSON is indented (member order kept) so diffs are readable.
func (e *env) golden(t *testing.T, name string, r *response) {
	t.Helper()
	body := r.body
	if strings.HasPrefix(r.ctype, "application/json") {
		var buf bytes.Buffer
		if err := json.Indent(&buf, body, "", "  "); err != nil {
			t.Fatalf("%s: not JSON: %v\n%s", name, err, body)
		}
		body = buf.Bytes()
	}
	got := []byte(strings.ReplaceAll(string(body), e.srv.URL, "http://open311.test"))
	got = append([]byte("status "+strconv.Itoa(r.status)+"\ncontent-type "+r.ctype+"\n\n"), got...)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test -update to accept):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
