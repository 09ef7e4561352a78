package demo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
	"civicgrid/sqlite"
)

// testNow is the end of the demo year in the tests: a Wednesday morning.
var testNow = time.Date(2026, 5, 20, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

// smallCases is the size of the demo most tests look at.
const smallCases = 2000

// hasher is a real argon2id hasher, made cheap for the tests.
var hasher = password.New(password.Params{Memory: 64, Time: 1, Threads: 1})

// built is a demo city in an SQLite file, with what was read back from it.
type built struct {
	db     *sqlite.DB
	res    *demo.Result
	city   *civicgrid.City
	cases  []*civicgrid.Case // oldest first
	events map[civicgrid.CaseID][]*civicgrid.CaseEvent
	users  []*civicgrid.User
}

var (
	tmpDir    string
	smallOnce sync.Once
	small     *built
	smallErr  error
)

func TestMain(m *testing.M) {
	var err error
	tmpDir, err = os.MkdirTemp("", "civicgrid-demo-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if small != nil {
		small.db.Close()
	}
	os.RemoveAll(tmpDir)
	os.Exit(code)
}

// build makes a demo city in a new SQLite file under dir.
func build(ctx context.Context, dir string, opts demo.Options) (*sqlite.DB, *demo.Result, error) {
	db, err := sqlite.Open(ctx, filepath.Join(dir, "demo.db"), sqlite.Options{Synchronous: "NORMAL", Location: testNow.Location()})
	if err != nil {
		return nil, nil, err
	}
	if opts.Hash == nil {
		opts.Hash = hasher.Hash
	}
	res, err := demo.Build(ctx, db, db.BulkLoad, opts)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, res, nil
}

// smallCity returns the shared small demo, building it on first use.
func smallCity(t *testing.T) *built {
	t.Helper()
	smallOnce.Do(func() {
		ctx := context.Background()
		dir := filepath.Join(tmpDir, "small")
		if smallErr = os.Mkdir(dir, 0o755); smallErr != nil {
			return
		}
		start := time.Now()
		db, res, err := build(ctx, dir, demo.Options{Seed: 7, Now: testNow, Cases: smallCases})
		if err != nil {
			smallErr = err
			return
		}
		fmt.Printf("small demo (%d cases, %d events) built in %v\n", res.Cases, res.Events, time.Since(start).Round(time.Millisecond))
		small, smallErr = load(ctx, db, res)
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return small
}

// load reads the city, every case and every event back from db.
func load(ctx context.Context, db *sqlite.DB, res *demo.Result) (*built, error) {
	b := &built{db: db, res: res, events: map[civicgrid.CaseID][]*civicgrid.CaseEvent{}}
	err := db.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		if b.city, err = civicgrid.LoadCity(ctx, tx); err != nil {
			return err
		}
		if b.cases, _, err = tx.FindCases(ctx, civicgrid.CaseFilter{}); err != nil {
			return err
		}
		slices.Reverse(b.cases)
		for _, c := range b.cases {
			if b.events[c.ID], err = tx.FindEvents(ctx, c.ID); err != nil {
				return err
			}
		}
		b.users, err = tx.FindUsers(ctx, civicgrid.UserFilter{})
		return err
	})
	return b, err
}

func TestCityShape(t *testing.T) {
	b := smallCity(t)
	g := b.city.Grid
	levels := map[civicgrid.AreaLevel]int{}
	for _, a := range g.Areas() {
		levels[a.Level]++
		if err := a.Validate(); err != nil {
			t.Errorf("area %s %s: %v", a.Code, a.Name, err)
		}
		if len(a.Shape) == 0 {
			t.Errorf("area %s %s has no outline", a.Code, a.Name)
		}
	}
	if levels[civicgrid.LevelDistrict] != 4 || levels[civicgrid.LevelStreet] != 40 || levels[civicgrid.LevelCommunity] != 200 {
		t.Errorf("areas by level = %v, want 4 districts, 40 streets, 200 communities", levels)
	}
	if g.Len() < 5000 || b.res.Cells != g.Len() {
		t.Errorf("%d cells stored (result says %d), want at least 5,000", g.Len(), b.res.Cells)
	}
	if n := len(b.city.Units); n < 25 || n > 35 {
		t.Errorf("%d units, want about 30", n)
	}
	if len(b.city.Categories) < 200 {
		t.Errorf("%d categories stored", len(b.city.Categories))
	}
	if b.city.Name != demo.CityName {
		t.Errorf("city name %q", b.city.Name)
	}

	load := map[civicgrid.UserID]int{}
	seq := map[string][]*civicgrid.GridCell{}
	total := 0.0
	for _, c := range g.CellsWithin(civicgrid.Bounds{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90}, 0) {
		if err := c.Validate(); err != nil {
			t.Errorf("cell %s: %v", c.Code, err)
		}
		// Corners move up to 20 m each way, so a cell may grow or
		// shrink by almost half.
		if c.AreaM2 < 5000 || c.AreaM2 > 17000 {
			t.Errorf("cell %s has %.0f m², want about 10,000", c.Code, c.AreaM2)
		}
		total += c.AreaM2
		if !c.Shape.Contains(c.Centroid) {
			t.Errorf("cell %s: centroid %v outside the cell", c.Code, c.Centroid)
		}
		if len(c.Inspectors) != 1 {
			t.Errorf("cell %s has %d inspectors, want 1", c.Code, len(c.Inspectors))
		} else {
			load[c.Inspectors[0]]++
		}
		for _, code := range []string{c.CommunityCode(), c.StreetCode(), c.DistrictCode()} {
			if a := g.Area(code); a == nil || !a.Shape.Contains(c.Centroid) {
				t.Errorf("cell %s: centroid not inside area %s", c.Code, code)
			}
		}
		seq[c.CommunityCode()] = append(seq[c.CommunityCode()], c)
	}
	if mean := total / float64(g.Len()); mean < 9800 || mean > 10200 {
		t.Errorf("cells have %.0f m² on average, want 10,000", mean)
	}
	lo, hi := g.Len(), 0
	for id, n := range load {
		if n < 40 || n > 110 {
			t.Errorf("inspector %d patrols %d cells, want 50–100", id, n)
		}
		lo, hi = min(lo, n), max(hi, n)
	}
	t.Logf("%d cells, %.0f m² on average; %d inspectors patrol %d–%d cells each", g.Len(), total/float64(g.Len()), len(load), lo, hi)
	// Sequence numbers run west to east, then north to south: each cell
	// is either east of the one before on the same row or on a row south.
	for comm, cells := range seq {
		for i := 1; i < len(cells); i++ {
			a, c := cells[i-1], cells[i]
			if want := fmt.Sprintf("%s%03d", comm, i+1); c.Code != want {
				t.Errorf("community %s: cell %d is %s", comm, i+1, c.Code)
			}
			sameRow := abs(a.Centroid.Lat-c.Centroid.Lat) < 0.0004
			if (sameRow && c.Centroid.Lon < a.Centroid.Lon) || (!sameRow && c.Centroid.Lat > a.Centroid.Lat) {
				t.Errorf("cell %s is not east of or south of %s", c.Code, a.Code)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestCellsTile throws 10,000 random points at the city: a point inside a
// district lies in exactly one cell, which is the cell Locate finds and
// whose community and street hold it; a point outside every district lies
// in no cell.
func TestCellsTile(t *testing.T) {
	b := smallCity(t)
	g := b.city.Grid
	var districts []*civicgrid.Area
	bounds := civicgrid.EmptyBounds()
	for _, a := range g.Areas() {
		if a.Level == civicgrid.LevelDistrict {
			districts = append(districts, a)
			db := a.Shape.Bounds()
			bounds = bounds.Extend(civicgrid.Point{Lat: db.MinLat, Lon: db.MinLon}).Extend(civicgrid.Point{Lat: db.MaxLat, Lon: db.MaxLon})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	inside := 0
	for range 10000 {
		p := civicgrid.Point{Lat: bounds.MinLat + r.Float64()*(bounds.MaxLat-bounds.MinLat),
			Lon: bounds.MinLon + r.Float64()*(bounds.MaxLon-bounds.MinLon)}
		var hits []string
		for _, c := range g.CellsWithin(civicgrid.Bounds{MinLon: p.Lon, MinLat: p.Lat, MaxLon: p.Lon, MaxLat: p.Lat}, 0) {
			if c.Shape.Contains(p) {
				hits = append(hits, c.Code)
			}
		}
		var in []string
		for _, d := range districts {
			if d.Shape.Contains(p) {
				in = append(in, d.Code)
			}
		}
		loc, err := g.Locate(p)
		switch {
		case len(in) > 1:
			t.Errorf("%v lies in districts %v", p, in)
		case len(in) == 0 && len(hits) > 0:
			t.Errorf("%v lies in no district but in cells %v", p, hits)
		case len(in) == 0 && err == nil:
			t.Errorf("%v lies in no district but Locate found %s", p, loc.CellCode)
		case len(in) == 1 && len(hits) != 1:
			t.Errorf("%v lies in district %s and in cells %v, want exactly one", p, in[0], hits)
		case len(in) == 1 && err != nil:
			t.Errorf("%v: Locate: %v", p, err)
		case len(in) == 1 && loc.CellCode != hits[0]:
			t.Errorf("%v: Locate says %s, the polygons %s", p, loc.CellCode, hits[0])
		case len(in) == 1:
			inside++
			if !strings.HasPrefix(hits[0], in[0]) {
				t.Errorf("%v: cell %s lies in district %s", p, hits[0], in[0])
			}
			for _, code := range []string{hits[0][:9], hits[0][:12]} {
				if !g.Area(code).Shape.Contains(p) {
					t.Errorf("%v: in cell %s but not in its area %s", p, hits[0], code)
				}
			}
		}
	}
	if inside < 6000 {
		t.Errorf("only %d of 10,000 points fell inside the city", inside)
	}
	t.Logf("%d of 10,000 points inside the city, each in exactly one cell", inside)

	// Every case lies in the cell it names.
	for _, c := range b.cases {
		loc, err := g.Locate(civicgrid.Point{Lat: c.Lat, Lon: c.Lon})
		if err != nil || loc.CellCode != c.CellCode {
			t.Errorf("case %s at %.6f,%.6f names cell %s; Locate: %v %v", c.Number, c.Lat, c.Lon, c.CellCode, loc, err)
		}
	}
}

// TestHistoriesFollowWorkflow checks every case's events against the
// default transition table and the stage clocks, and the case against its
// events.
func TestHistoriesFollowWorkflow(t *testing.T) {
	b := smallCity(t)
	if len(b.cases) != smallCases || b.res.Cases != smallCases {
		t.Fatalf("%d cases stored, result says %d, want %d", len(b.cases), b.res.Cases, smallCases)
	}
	events := 0
	for _, c := range b.cases {
		evs := b.events[c.ID]
		events += len(evs)
		if err := checkHistory(b.city, c, evs, testNow); err != nil {
			t.Errorf("case %s: %v", c.Number, err)
		}
	}
	if events != b.res.Events {
		t.Errorf("%d events stored, result says %d", events, b.res.Events)
	}
	checkNumbers(t, b.cases, b.city.Location())
}

// checkNumbers checks that numbers run 1, 2, ... per year in id order,
// which is report order.
func checkNumbers(t *testing.T, cases []*civicgrid.Case, loc *time.Location) {
	t.Helper()
	seq := map[int]int{}
	for i, c := range cases {
		y := c.CreatedAt.In(loc).Year()
		seq[y]++
		if want := fmt.Sprintf("%d-%06d", y, seq[y]); c.Number != want {
			t.Fatalf("case %d is %s, want %s", c.ID, c.Number, want)
		}
		if i > 0 && c.CreatedAt.Before(cases[i-1].CreatedAt) {
			t.Fatalf("case %s was reported before %s", c.Number, cases[i-1].Number)
		}
	}
}

// reporterRoles may open cases.
var reporterRoles = []civicgrid.Role{civicgrid.RoleAdmin, civicgrid.RoleOperator, civicgrid.RoleShiftLeader,
	civicgrid.RoleInspector, civicgrid.RoleLeader, civicgrid.RoleCitizen, civicgrid.RoleSystem}

// checkHistory replays evs against the workflow's rules: each action is
// allowed from its From status and for its role, To is where the rule
// leads, stage clocks start and end where the rules say with deadlines on
// the city's calendar, the sweep's overdue events come after a deadline;
// and the case matches the end of its history.
func checkHistory(city *civicgrid.City, c *civicgrid.Case, evs []*civicgrid.CaseEvent, now time.Time) error {
	wf := city.Workflow
	cat := city.Categories[c.CategoryCode]
	if cat == nil {
		return fmt.Errorf("unknown category %s", c.CategoryCode)
	}
	if len(evs) == 0 || evs[0].Action != civicgrid.ActionReport {
		return fmt.Errorf("history does not start with a report")
	}
	var (
		status        civicgrid.Status
		stage         civicgrid.Stage
		due           *time.Time
		overdue       bool
		suspendedFrom civicgrid.Status
		pending       bool
		unit          civicgrid.UnitID
		count         = map[string]int{}
		lastAt        time.Time
		closedAt      *time.Time
		deadlines     = map[civicgrid.Stage]time.Time{}
	)
	start := func(ev *civicgrid.CaseEvent, st civicgrid.Stage) error {
		want := city.Deadline(ev.At, city.Limit(cat, st))
		if ev.Deadline == nil || !ev.Deadline.Equal(want) {
			return fmt.Errorf("%s at %v starts %s due %v, want %v", ev.Action, ev.At, st, ev.Deadline, want)
		}
		stage, due, overdue = st, ev.Deadline, false
		deadlines[st] = want
		return nil
	}
	end := func(ev *civicgrid.CaseEvent) error {
		if stage == "" || due == nil {
			if ev.StageEnded != "" {
				return fmt.Errorf("%s ends stage %s, but none was running", ev.Action, ev.StageEnded)
			}
			return nil
		}
		onTime := !ev.At.After(*due)
		if ev.StageEnded != stage || ev.OnTime == nil || *ev.OnTime != onTime {
			return fmt.Errorf("%s at %v ends %q on time %v, want %s on time %v (due %v)", ev.Action, ev.At, ev.StageEnded, ev.OnTime, stage, onTime, due)
		}
		return nil
	}
	for i, ev := range evs {
		if ev.At.Before(lastAt) {
			return fmt.Errorf("event %d (%s) at %v is before the one before it", i, ev.Action, ev.At)
		}
		if ev.At.After(now) {
			return fmt.Errorf("event %d (%s) at %v is in the future", i, ev.Action, ev.At)
		}
		lastAt = ev.At
		if i == 0 {
			if ev.From != "" || ev.To != civicgrid.StatusReported || !slices.Contains(reporterRoles, ev.Role) ||
				ev.Data["source"] != string(c.Source) || !ev.At.Equal(c.CreatedAt) {
				return fmt.Errorf("bad report event %+v", ev)
			}
			if err := start(ev, civicgrid.StageAccept); err != nil {
				return err
			}
			status = civicgrid.StatusReported
			continue
		}
		if ev.From != status {
			return fmt.Errorf("event %d (%s) is from %s, but the case was %s", i, ev.Action, ev.From, status)
		}
		if ev.Action == civicgrid.ActionOverdue {
			if ev.Role != civicgrid.RoleSystem || ev.To != status || !status.Open() || due == nil || overdue ||
				ev.At.Before(*due) || ev.Deadline == nil || !ev.Deadline.Equal(*due) || ev.Data["stage"] != string(stage) {
				return fmt.Errorf("bad overdue event %d at %v (due %v, already overdue %v)", i, ev.At, due, overdue)
			}
			overdue = true
			continue
		}
		rule := wf.Rule(ev.Action)
		if rule == nil {
			return fmt.Errorf("event %d: unknown action %s", i, ev.Action)
		}
		if !slices.Contains(rule.From, status) {
			return fmt.Errorf("event %d: %s is not allowed from %s", i, ev.Action, status)
		}
		roles := rule.Roles
		if e := rule.Escalate; e != nil && count[e.Counter] >= e.AtLeast {
			roles = e.Roles
		}
		if !slices.Contains(roles, ev.Role) {
			return fmt.Errorf("event %d: a %s may not %s (extensions %d)", i, ev.Role, ev.Action, count["extensions"])
		}
		for _, g := range rule.Guards {
			if (g == civicgrid.GuardExtensionPending) != pending {
				return fmt.Errorf("event %d: %s with an extension pending: %v", i, ev.Action, pending)
			}
		}
		for _, need := range rule.Needs {
			if need == civicgrid.InputNote && ev.Note == "" {
				return fmt.Errorf("event %d: %s without a note", i, ev.Action)
			}
		}
		to := rule.To
		switch to {
		case "":
			to = status
		case civicgrid.Previous:
			to = suspendedFrom
		}
		if ev.To != to {
			return fmt.Errorf("event %d: %s leads to %s, want %s", i, ev.Action, ev.To, to)
		}
		switch ev.Action {
		case civicgrid.ActionDispatch:
			count["dispatches"]++
			unit = unitOf(ev)
		case civicgrid.ActionReturn:
			count["returns"]++
			if unitOf(ev) != unit {
				return fmt.Errorf("event %d: returned by unit %d, dispatched to %d", i, unitOf(ev), unit)
			}
			unit = 0
		case civicgrid.ActionCheckFail:
			count["reworks"]++
		case civicgrid.ActionUrge:
			count["urges"]++
		case civicgrid.ActionExtendRequest:
			pending = true
		case civicgrid.ActionExtendDeny:
			pending = false
		case civicgrid.ActionExtendApprove:
			pending = false
			count["extensions"]++
			ext, err := parseLimit(ev.Data["extension"])
			if err != nil {
				return fmt.Errorf("event %d: %v", i, err)
			}
			from := *due
			if from.Before(ev.At) {
				from = ev.At
			}
			want := city.Deadline(from, ext)
			if ev.Deadline == nil || !ev.Deadline.Equal(want) {
				return fmt.Errorf("event %d: extension moves the deadline to %v, want %v", i, ev.Deadline, want)
			}
			due, overdue = ev.Deadline, false
		case civicgrid.ActionSuspend:
			suspendedFrom, due = status, nil
		case civicgrid.ActionResume:
			if ev.Deadline == nil {
				return fmt.Errorf("event %d: resume without a new deadline", i)
			}
			due = ev.Deadline
		}
		switch {
		case rule.Starts != "":
			if err := end(ev); err != nil {
				return err
			}
			if err := start(ev, rule.Starts); err != nil {
				return err
			}
		case !to.Open():
			if err := end(ev); err != nil {
				return err
			}
			stage, due = "", nil
			at := ev.At
			closedAt = &at
		case ev.StageEnded != "":
			return fmt.Errorf("event %d: %s ends stage %s", i, ev.Action, ev.StageEnded)
		}
		status = to
	}
	switch {
	case c.Status != status:
		return fmt.Errorf("case is %s, its history ends %s", c.Status, status)
	case c.Version != len(evs):
		return fmt.Errorf("version %d with %d events", c.Version, len(evs))
	case c.Returns != count["returns"] || c.Reworks != count["reworks"] || c.Extensions != count["extensions"] ||
		c.Dispatches != count["dispatches"] || c.Urges != count["urges"]:
		return fmt.Errorf("counters %d/%d/%d/%d/%d, history %v", c.Returns, c.Reworks, c.Extensions, c.Dispatches, c.Urges, count)
	case c.Stage != stage || (c.Deadline == nil) != (due == nil) || (due != nil && !c.Deadline.Equal(*due)):
		return fmt.Errorf("stage %s due %v, history %s due %v", c.Stage, c.Deadline, stage, due)
	case c.Overdue != overdue && status.Open():
		return fmt.Errorf("overdue %v, history %v", c.Overdue, overdue)
	case (c.ClosedAt == nil) != (closedAt == nil) || (closedAt != nil && !c.ClosedAt.Equal(*closedAt)):
		return fmt.Errorf("closed at %v, history %v", c.ClosedAt, closedAt)
	case c.UnitID != unit:
		return fmt.Errorf("unit %d, history %d", c.UnitID, unit)
	case (c.PendingExtension != nil) != pending:
		return fmt.Errorf("pending extension %v, history %v", c.PendingExtension, pending)
	case !c.UpdatedAt.Equal(evs[len(evs)-1].At):
		return fmt.Errorf("updated at %v, last event at %v", c.UpdatedAt, evs[len(evs)-1].At)
	}
	for st, d := range deadlines {
		if got, ok := c.Deadlines[st]; !ok || !got.Started.Before(got.Due) {
			return fmt.Errorf("stage %s clock %+v (first due %v)", st, got, d)
		}
	}
	// The sweep runs every minute: a running clock more than two minutes
	// past its deadline has been marked.
	if status.Open() && due != nil && !overdue && now.Sub(*due) > 2*time.Minute {
		return fmt.Errorf("open and %v past its deadline without an overdue event", now.Sub(*due))
	}
	return nil
}

func unitOf(ev *civicgrid.CaseEvent) civicgrid.UnitID {
	var id int64
	fmt.Sscan(ev.Data["unit_id"], &id)
	return civicgrid.UnitID(id)
}

// parseLimit reads a TimeLimit as TimeLimit.String writes it.
func parseLimit(s string) (civicgrid.TimeLimit, error) {
	var l civicgrid.TimeLimit
	var unit string
	if _, err := fmt.Sscanf(s, "%g %s", &l.Amount, &unit); err != nil {
		return l, fmt.Errorf("extension %q: %v", s, err)
	}
	l.Unit = civicgrid.LimitUnit(unit)
	return l, l.Validate()
}

// mix sorts cases by where they ended and the paths they took.
type mix struct {
	status                           map[civicgrid.Status]int
	onTime, late, verifyFail, cancel int
	returned, reworked, extended     int
	suspended, urged, overdueOpen    int
	handlingOverdue, handlingOnTime  int
	bySource                         map[civicgrid.Source]int
	byCategory                       map[string]int
	n                                int
}

func mixOf(cases []*civicgrid.Case, events map[civicgrid.CaseID][]*civicgrid.CaseEvent) *mix {
	m := &mix{status: map[civicgrid.Status]int{}, bySource: map[civicgrid.Source]int{}, byCategory: map[string]int{}, n: len(cases)}
	for _, c := range cases {
		m.status[c.Status]++
		m.bySource[c.Source]++
		m.byCategory[c.CategoryCode]++
		late := false
		for _, ev := range events[c.ID] {
			if ev.OnTime != nil && !*ev.OnTime {
				late = true
			}
			switch ev.Action {
			case civicgrid.ActionVerifyFail:
				m.verifyFail++
			case civicgrid.ActionCancel:
				m.cancel++
			}
		}
		hasSuspend := slices.ContainsFunc(events[c.ID], func(ev *civicgrid.CaseEvent) bool { return ev.Action == civicgrid.ActionSuspend })
		hasExtend := slices.ContainsFunc(events[c.ID], func(ev *civicgrid.CaseEvent) bool { return ev.Action == civicgrid.ActionExtendRequest })
		switch {
		case c.Status == civicgrid.StatusClosed && late:
			m.late++
		case c.Status == civicgrid.StatusClosed:
			m.onTime++
		}
		if c.Returns > 0 {
			m.returned++
		}
		if c.Reworks > 0 {
			m.reworked++
		}
		if hasExtend {
			m.extended++
		}
		if hasSuspend {
			m.suspended++
		}
		if c.Urges > 0 {
			m.urged++
		}
		if c.Status.Open() && c.Overdue {
			m.overdueOpen++
		}
		if c.Status == civicgrid.StatusHandling {
			if c.Overdue {
				m.handlingOverdue++
			} else {
				m.handlingOnTime++
			}
		}
	}
	return m
}

func (m *mix) share(n int) float64 { return float64(n) / float64(m.n) }

// table renders the mix for the log.
func (m *mix) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d cases\n", m.n)
	for _, s := range civicgrid.Statuses {
		fmt.Fprintf(&b, "  %-12s %6d  %5.2f%%\n", s, m.status[s], 100*m.share(m.status[s]))
	}
	fmt.Fprintf(&b, "  handling: %d overdue, %d within the deadline; open and overdue: %d\n", m.handlingOverdue, m.handlingOnTime, m.overdueOpen)
	closed := m.status[civicgrid.StatusClosed]
	fmt.Fprintf(&b, "  closed on time %d (%.1f%% of closed), closed late %d (%.1f%%)\n", m.onTime, 100*float64(m.onTime)/float64(closed), m.late, 100*float64(m.late)/float64(closed))
	for _, p := range []struct {
		name string
		n    int
	}{{"cancelled by verify_fail", m.verifyFail}, {"cancelled by cancel", m.cancel}, {"returned", m.returned}, {"reworked", m.reworked},
		{"extension asked", m.extended}, {"suspended", m.suspended}, {"urged", m.urged}} {
		fmt.Fprintf(&b, "  %-25s %6d  %5.2f%%\n", p.name, p.n, 100*m.share(p.n))
	}
	var sources []string
	for s, n := range m.bySource {
		sources = append(sources, fmt.Sprintf("%s %.1f%%", s, 100*m.share(n)))
	}
	sort.Strings(sources)
	fmt.Fprintf(&b, "  sources: %s\n", strings.Join(sources, ", "))
	type kv struct {
		code string
		n    int
	}
	var cats []kv
	for c, n := range m.byCategory {
		cats = append(cats, kv{c, n})
	}
	sort.Slice(cats, func(i, j int) bool {
		return cats[i].n > cats[j].n || (cats[i].n == cats[j].n && cats[i].code < cats[j].code)
	})
	var top []string
	for _, c := range cats[:min(10, len(cats))] {
		top = append(top, fmt.Sprintf("%s %.1f%%", c.code, 100*m.share(c.n)))
	}
	fmt.Fprintf(&b, "  top categories: %s\n", strings.Join(top, ", "))
	return b.String()
}

// checkMix checks the shares the demo promises, within tol of their
// targets (wider for small demos).
func checkMix(t *testing.T, m *mix, tol float64) {
	t.Helper()
	closed := m.status[civicgrid.StatusClosed]
	cancelled := m.status[civicgrid.StatusCancelled]
	within := func(name string, got, want float64) {
		t.Helper()
		if got < want*(1-tol) || got > want*(1+tol) {
			t.Errorf("%s: %.2f%%, want about %.2f%%", name, 100*got, 100*want)
		}
	}
	within("closed", m.share(closed), 0.955)
	within("closed on time, of closed", float64(m.onTime)/float64(closed), 0.85)
	within("cancelled", m.share(cancelled), 0.03)
	within("returned", m.share(m.returned), 0.03)
	within("reworked", m.share(m.reworked), 0.04)
	within("extension asked", m.share(m.extended), 0.02)
	within("suspended", m.share(m.suspended), 0.012)
	within("urged", m.share(m.urged), 0.012)
	within("inspector reports", m.share(m.bySource[civicgrid.SourceInspector]), 0.6)
	within("hotline reports", m.share(m.bySource[civicgrid.SourceHotline]), 0.2)
	for _, s := range civicgrid.Statuses {
		if m.status[s] == 0 {
			t.Errorf("no case is %s", s)
		}
	}
	if m.handlingOverdue == 0 || m.handlingOnTime == 0 {
		t.Errorf("cases in handling: %d overdue, %d not; want some of each", m.handlingOverdue, m.handlingOnTime)
	}
}

func TestMix(t *testing.T) {
	b := smallCity(t)
	m := mixOf(b.cases, b.events)
	t.Log("\n" + m.table())
	checkMix(t, m, 0.6)
	// Most cases open at the end were reported in the last days.
	recent := 0
	open := 0
	for _, c := range b.cases {
		if c.Status.Open() && c.Status != civicgrid.StatusSuspended {
			open++
			if testNow.Sub(c.CreatedAt) < 21*24*time.Hour {
				recent++
			}
		}
	}
	if recent < open*9/10 {
		t.Errorf("%d of %d open cases reported in the last three weeks", recent, open)
	}
}

// TestLogins signs in every login Build lists and checks every role has a
// user with the demo password.
func TestLogins(t *testing.T) {
	b := smallCity(t)
	ctx := context.Background()
	svc := civicgrid.NewUserService(b.db, hasher, time.Now)
	roles := map[civicgrid.Role]bool{}
	for _, l := range b.res.Logins {
		u, err := svc.Authenticate(ctx, l.Name, l.Password)
		if err != nil {
			t.Errorf("login %s: %v", l.Name, err)
			continue
		}
		if u.Role != l.Role || l.Password != demo.Password {
			t.Errorf("login %s: role %s, listed as %s", l.Name, u.Role, l.Role)
		}
		roles[u.Role] = true
	}
	for _, r := range civicgrid.Roles {
		if !roles[r] {
			t.Errorf("no login listed for role %s", r)
		}
	}
	if len(b.users) != b.res.Users {
		t.Errorf("%d users stored, result says %d", len(b.users), b.res.Users)
	}
	units := map[civicgrid.UnitID]bool{}
	for _, u := range b.users {
		if err := u.Validate(); err != nil || !u.Active || !hasher.Verify(u.PasswordHash, demo.Password) {
			t.Errorf("user %s: %v, active %v, or the demo password does not verify", u.Name, err, u.Active)
		}
		if u.Role == civicgrid.RoleUnit {
			units[u.UnitID] = true
		}
	}
	for id, u := range b.city.Units {
		if !units[id] {
			t.Errorf("unit %s has no handler", u.Code)
		}
	}
}

// TestDeterministic builds the same city twice.
func TestDeterministic(t *testing.T) {
	b := smallCity(t)
	ctx := context.Background()
	dir := t.TempDir()
	db, res, err := build(ctx, dir, demo.Options{Seed: 7, Now: testNow, Cases: smallCases})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again, err := load(ctx, db, res)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != b.res.Events || len(again.cases) != len(b.cases) {
		t.Fatalf("second build: %d cases, %d events; first %d, %d", len(again.cases), res.Events, len(b.cases), b.res.Events)
	}
	for i := range 100 {
		x, y := b.cases[i], again.cases[i]
		if x.Number != y.Number || x.CategoryCode != y.CategoryCode || x.CellCode != y.CellCode || x.Status != y.Status || !x.CreatedAt.Equal(y.CreatedAt) {
			t.Errorf("case %d: %s %s %s %s, then %s %s %s %s", i, x.Number, x.CategoryCode, x.CellCode, x.Status, y.Number, y.CategoryCode, y.CellCode, y.Status)
		}
	}
	odb, ores, err := build(ctx, t.TempDir(), demo.Options{Seed: 8, Now: testNow, Cases: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer odb.Close()
	if ores.Cells == b.res.Cells && ores.Users == b.res.Users {
		t.Errorf("seed 8 made the same city as seed 7: %d cells, %d users", ores.Cells, ores.Users)
	}
}

// TestNotEmpty refuses to build over a city.
func TestNotEmpty(t *testing.T) {
	b := smallCity(t)
	_, err := demo.Build(context.Background(), b.db, b.db.BulkLoad, demo.Options{Seed: 1, Now: testNow, Cases: 10, Hash: hasher.Hash})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
		t.Fatalf("Build over a city: %v, want a conflict", err)
	}
}
