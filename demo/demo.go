// Package demo builds a synthetic city for trying civicgrid out: four urban
// districts of a city modelled on Hangzhou, their streets and communities,
// about 5,500 unit grid cells with ragged edges, the city's departments and
// 属地 units with routing rules, users for every role, and a year of cases
// that went through the workflow the way real ones do.
//
// The cases are played through an in-memory replay of the default
// transition table (the rules of civicgrid.DefaultWorkflow, its effects and
// stage clocks on the working calendar), so their histories are ones the
// engine could have written; then everything is written in one bulk
// transaction.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"civicgrid"
)

// Password is every demo user's password.
const Password = "demo"

// CityName is the demo city's name.
const CityName = "演示市 (Demo City)"

// DefaultCases is how many cases Build makes unless told otherwise.
const DefaultCases = 50000

// Options configures Build.
type Options struct {
	// Seed draws the city: the same Seed, Now and Cases give the same
	// city, cases and histories.
	Seed int64
	// Now is the end of the year of cases; time.Now() when zero.
	Now time.Time
	// Cases is how many cases to make; DefaultCases when zero or less.
	Cases int
	// Hash hashes a password for storage; required. It is called once:
	// every user shares the one password.
	Hash func(password string) (string, error)
	// Progress, when set, is told how far each stage ("city", "users",
	// "cases") has got. It is called from one goroutine at a time.
	Progress func(stage string, done, total int)
}

// Login is a demo login to show the user.
type Login struct {
	Name     string
	Role     civicgrid.Role
	Password string
}

// Result counts what Build made.
type Result struct {
	Districts, Streets, Communities, Cells int
	Units, Users, Cases, Events            int
	// Components counts the component register (部件台账).
	Components int
	// Logins lists a user of every role (all users share Password).
	Logins []Login
}

// Build fills the empty store with the demo city. bulk runs fn in one
// write transaction, as (*sqlite.DB).BulkLoad does; nothing is written if
// Build fails. A store that already holds areas or units is a Conflict.
func Build(ctx context.Context, store civicgrid.Store, bulk func(ctx context.Context, fn func(civicgrid.Tx) error) error, opts Options) (*Result, error) {
	if opts.Hash == nil {
		return nil, civicgrid.Errorf(civicgrid.Invalid, "demo: Options.Hash is required")
	}
	if opts.Cases <= 0 {
		opts.Cases = DefaultCases
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Progress == nil {
		opts.Progress = func(string, int, int) {}
	}
	if err := checkEmpty(ctx, store); err != nil {
		return nil, err
	}
	b, err := plan(opts)
	if err != nil {
		return nil, err
	}
	if err := bulk(ctx, func(tx civicgrid.Tx) error { return b.write(ctx, tx) }); err != nil {
		return nil, err
	}
	return b.res, nil
}

// checkEmpty refuses a store that already has a city.
func checkEmpty(ctx context.Context, store civicgrid.Store) error {
	return store.View(ctx, func(tx civicgrid.Tx) error {
		areas, err := tx.FindAreas(ctx)
		if err != nil {
			return err
		}
		units, err := tx.FindUnits(ctx)
		if err != nil {
			return err
		}
		if len(areas) > 0 || len(units) > 0 {
			return civicgrid.Errorf(civicgrid.Conflict, "demo: the store already holds a city (%d areas, %d units)", len(areas), len(units))
		}
		return nil
	})
}

// builder holds everything drawn before the write.
type builder struct {
	opts  Options
	now   time.Time
	cal   *civicgrid.Calendar
	geo   *geography
	cats  []*civicgrid.Category
	units []*unitPlan
	staff *staff
	plans []*casePlan
	res   *Result
	// comps is the component register; registered is its stored form.
	comps      []*componentPlan
	registered map[string]*civicgrid.RegisteredComponent
}

// plan draws the city, its people and its cases' reports; only the IDs the
// store hands out are left for write.
func plan(opts Options) (*builder, error) {
	cal := civicgrid.DefaultCalendar()
	b := &builder{opts: opts, cal: cal, now: opts.Now.In(cal.Location()).Truncate(time.Second), res: &Result{}}
	r := rand.New(rand.NewPCG(uint64(opts.Seed), 0x63697669636772))
	var err error
	if b.geo, err = buildGeography(r); err != nil {
		return nil, err
	}
	if b.cats, err = civicgrid.BuiltinCategories(civicgrid.TaxonomyGBT47678); err != nil {
		return nil, err
	}
	hash, err := opts.Hash(Password)
	if err != nil {
		return nil, fmt.Errorf("demo: hash the password: %w", err)
	}
	b.units = planUnits(b.geo)
	// Users exist from before the first case.
	b.staff = planUsers(b.geo, b.units, r, hash, b.now.AddDate(-1, 0, -7))
	b.plans = planCases(r, cal, b.now, b.geo, b.cats, opts.Cases)
	b.comps = planComponents(opts.Seed, b.plans, b.now)
	b.res.Logins = b.staff.logins()
	return b, nil
}

// write stores the city in tx.
func (b *builder) write(ctx context.Context, tx civicgrid.Tx) error {
	city, err := b.writeReference(ctx, tx)
	if err != nil {
		return err
	}
	return b.writeCases(ctx, tx, city)
}

// writeReference stores settings, calendar, taxonomy, areas, units,
// routing, users and cells, and returns the city as the engine will load
// it.
func (b *builder) writeReference(ctx context.Context, tx civicgrid.Tx) (*civicgrid.City, error) {
	progress := b.opts.Progress
	if err := tx.SetSetting(ctx, civicgrid.SettingCityName, CityName); err != nil {
		return nil, err
	}
	if err := tx.SetSetting(ctx, civicgrid.SettingTaxonomy, string(civicgrid.TaxonomyGBT47678)); err != nil {
		return nil, err
	}
	if err := tx.SaveCalendar(ctx, b.cal.Periods(), b.cal.Overrides()); err != nil {
		return nil, err
	}
	for _, c := range b.cats {
		if err := tx.UpsertCategory(ctx, c); err != nil {
			return nil, err
		}
	}
	areas := b.geo.areas()
	for _, a := range areas {
		if err := tx.UpsertArea(ctx, a); err != nil {
			return nil, err
		}
	}
	city := &civicgrid.City{Name: CityName, Categories: map[string]*civicgrid.Category{}, Units: map[civicgrid.UnitID]*civicgrid.Unit{},
		Calendar: b.cal, Workflow: civicgrid.DefaultWorkflow(), StageLimits: civicgrid.DefaultStageLimits()}
	for _, c := range b.cats {
		city.Categories[c.Code] = c
	}
	for _, p := range b.units {
		if err := tx.CreateUnit(ctx, p.unit); err != nil {
			return nil, err
		}
		city.Units[p.unit.ID] = p.unit
		for _, rule := range p.rules {
			rule.UnitID = p.unit.ID
			if err := tx.CreateRoutingRule(ctx, rule); err != nil {
				return nil, err
			}
			city.Routing = append(city.Routing, rule)
		}
	}
	for i, p := range b.units {
		b.staff.handlers[i].UnitID = p.unit.ID
	}
	progress("users", 0, len(b.staff.all))
	for _, u := range b.staff.all {
		if err := tx.CreateUser(ctx, u); err != nil {
			return nil, err
		}
	}
	progress("users", len(b.staff.all), len(b.staff.all))
	cells := make([]*civicgrid.GridCell, len(b.geo.cells))
	validFrom := b.now.AddDate(-1, 0, -7)
	for i, gc := range b.geo.cells {
		gc.cell.Inspectors = []civicgrid.UserID{b.staff.inspectorOf[gc.community].ID}
		gc.cell.ValidFrom = validFrom
		cells[i] = gc.cell
	}
	progress("city", 0, len(cells))
	if err := tx.SaveCells(ctx, cells, validFrom); err != nil {
		return nil, err
	}
	progress("city", len(cells), len(cells))
	city.Grid = civicgrid.NewGrid(cells, areas)
	b.res.Districts, b.res.Streets, b.res.Communities = len(b.geo.districts), len(b.geo.streets), len(b.geo.comms)
	b.res.Cells, b.res.Units, b.res.Users = len(cells), len(b.units), len(b.staff.all)
	b.registered = make(map[string]*civicgrid.RegisteredComponent, len(b.comps))
	for _, p := range b.comps {
		c := p.register(city, b.geo.lat)
		if err := tx.UpsertComponent(ctx, c); err != nil {
			return nil, err
		}
		b.registered[c.Code] = c
	}
	b.res.Components = len(b.comps)
	return city, nil
}

// chunkSize is how many cases a worker plays at a time.
const chunkSize = 500

// chunk is a run of played cases waiting to be written.
type chunk struct {
	cases  []*civicgrid.Case
	events [][]*civicgrid.CaseEvent
	err    error
	done   chan struct{}
}

// writeCases plays the cases on every core, a few chunks ahead of the
// writer, and writes them in time order, so case IDs and numbers both
// follow the reports.
func (b *builder) writeCases(ctx context.Context, tx civicgrid.Tx, city *civicgrid.City) error {
	w := &world{m: &machine{city: city, users: map[civicgrid.UserID]*civicgrid.User{}, components: b.registered}, cal: b.cal, end: b.now,
		staff: b.staff, handlerOf: map[civicgrid.UnitID]*civicgrid.User{}, lat: b.geo.lat, seed: b.opts.Seed}
	for _, u := range b.staff.all {
		w.m.users[u.ID] = u
	}
	for i, p := range b.units {
		w.handlerOf[p.unit.ID] = b.staff.handlers[i]
		w.unitIDs = append(w.unitIDs, p.unit.ID)
	}

	n := len(b.plans)
	chunks := make([]*chunk, (n+chunkSize-1)/chunkSize)
	for i := range chunks {
		chunks[i] = &chunk{done: make(chan struct{})}
	}
	ctx, cancel := context.WithCancel(ctx)
	workers := max(1, runtime.GOMAXPROCS(0))
	ahead := make(chan struct{}, 2*workers+2) // chunks played but not yet written
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case ahead <- struct{}{}:
				case <-ctx.Done():
					return
				}
				k := int(next.Add(1) - 1)
				if k >= len(chunks) {
					return
				}
				ch := chunks[k]
				for i := k * chunkSize; i < min(n, (k+1)*chunkSize) && ch.err == nil; i++ {
					c, evs, err := w.play(i, b.plans[i])
					ch.cases, ch.events, ch.err = append(ch.cases, c), append(ch.events, evs), err
				}
				close(ch.done)
			}
		})
	}
	defer func() {
		cancel()
		wg.Wait()
	}()

	progress := b.opts.Progress
	progress("cases", 0, n)
	written := 0
	for _, ch := range chunks {
		select {
		case <-ch.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if ch.err != nil {
			return ch.err
		}
		for i, c := range ch.cases {
			seq, err := tx.NextCaseSeq(ctx, c.CreatedAt.Year())
			if err != nil {
				return err
			}
			if p := b.plans[written]; seq != p.seq {
				return civicgrid.Errorf(civicgrid.Conflict, "demo: the store's %d case sequence gave %d, not %d", p.year, seq, p.seq)
			}
			// As intake does: a case whose cell had one of its category
			// in the days before recurs (复发).
			if err := civicgrid.MarkRecurrence(ctx, tx, c, ch.events[i][0], c.CreatedAt); err != nil {
				return err
			}
			if err := tx.CreateCase(ctx, c); err != nil {
				return err
			}
			first := &civicgrid.CaseReport{CaseID: c.ID, Source: c.Source, Reporter: c.Reporter, Description: c.Description,
				Lat: c.Lat, Lon: c.Lon, Photos: c.Photos, Intake: c.Intake, At: c.CreatedAt}
			if err := tx.AddCaseReport(ctx, first); err != nil {
				return err
			}
			if err := civicgrid.RecordHistory(ctx, tx, c, ch.events[i]); err != nil {
				return err
			}
			b.res.Cases++
			b.res.Events += len(ch.events[i])
			written++
			if written%1000 == 0 {
				progress("cases", written, n)
			}
		}
		ch.cases, ch.events = nil, nil
		<-ahead
	}
	if written%1000 != 0 {
		progress("cases", written, n)
	}
	return nil
}
