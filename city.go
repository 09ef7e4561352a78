package civicgrid

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync/atomic"
	"time"
)

// Setting keys.
const (
	SettingCityName    = "city.name"
	SettingTaxonomy    = "city.taxonomy"
	SettingStageLimits = "workflow.stage_limits"
	SettingWorkflow    = "workflow.table"
)

// City is an immutable snapshot of a city's reference data: the grid, the
// taxonomy, units and routing, the calendar and the workflow. Services read
// it on every request; a change to reference data builds a new snapshot.
type City struct {
	Name        string
	Grid        *Grid
	Categories  map[string]*Category
	Units       map[UnitID]*Unit
	Routing     []*RoutingRule
	Calendar    *Calendar
	Workflow    *Workflow
	StageLimits StageLimits
	// Cameras and DetectionClasses are the camera registry and the alarm
	// class table of the camera channel.
	Cameras          map[string]Camera
	DetectionClasses map[string]DetectionClass
}

// UnitByIDOrCode returns the id of the city's unit whose id or code is v,
// and whether there is one.
func (c *City) UnitByIDOrCode(v string) (UnitID, bool) {
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		_, ok := c.Units[UnitID(id)]
		return UnitID(id), ok
	}
	for _, u := range c.Units {
		if u.Code == v {
			return u.ID, true
		}
	}
	return 0, false
}

// Location returns the city's time zone.
func (c *City) Location() *time.Location { return c.Calendar.Location() }

// Limit returns the time limit of stage s for a case of category cat.
func (c *City) Limit(cat *Category, s Stage) TimeLimit {
	if cat != nil {
		return cat.Limits.Get(s, c.StageLimits)
	}
	return c.StageLimits[s]
}

// Deadline returns when a stage started at start with limit l is due.
func (c *City) Deadline(start time.Time, l TimeLimit) time.Time { return c.Calendar.Deadline(start, l) }

// LoadCity reads the reference data from tx into a snapshot. Missing
// settings fall back to the defaults (the shipped calendar, the default
// workflow and stage limits).
func LoadCity(ctx context.Context, tx Tx) (*City, error) {
	c := &City{Name: "civicgrid", StageLimits: DefaultStageLimits(), Workflow: DefaultWorkflow()}
	if err := loadSetting(ctx, tx, SettingCityName, &c.Name, false); err != nil {
		return nil, err
	}
	if err := loadSetting(ctx, tx, SettingStageLimits, &c.StageLimits, true); err != nil {
		return nil, err
	}
	if err := loadSetting(ctx, tx, SettingWorkflow, c.Workflow, true); err != nil {
		return nil, err
	}
	if err := c.Workflow.Validate(); err != nil {
		return nil, errors.Join(Errorf(Internal, "the stored workflow table is not valid"), err)
	}
	var cams []Camera
	classes := DefaultDetectionClasses() // until the city sets its own
	if err := loadSetting(ctx, tx, SettingCameras, &cams, true); err != nil {
		return nil, err
	}
	if err := loadSetting(ctx, tx, SettingDetectionClasses, &classes, true); err != nil {
		return nil, err
	}
	c.Cameras, c.DetectionClasses = map[string]Camera{}, map[string]DetectionClass{}
	for _, cam := range cams {
		c.Cameras[cam.ID] = cam
	}
	cells, err := tx.FindCurrentCells(ctx)
	if err != nil {
		return nil, err
	}
	areas, err := tx.FindAreas(ctx)
	if err != nil {
		return nil, err
	}
	c.Grid = NewGrid(cells, areas)
	cats, err := tx.FindCategories(ctx)
	if err != nil {
		return nil, err
	}
	c.Categories = make(map[string]*Category, len(cats))
	for _, cat := range cats {
		c.Categories[cat.Code] = cat
	}
	for _, cl := range classes {
		if c.Categories[cl.CategoryCode] != nil {
			c.DetectionClasses[cl.Code] = cl
		}
	}
	units, err := tx.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	c.Units = make(map[UnitID]*Unit, len(units))
	for _, u := range units {
		c.Units[u.ID] = u
	}
	if c.Routing, err = tx.FindRoutingRules(ctx); err != nil {
		return nil, err
	}
	c.Calendar = DefaultCalendar()
	periods, overrides, err := tx.LoadCalendar(ctx)
	switch {
	case err == nil:
		if c.Calendar, err = NewCalendar(c.Calendar.Location(), periods, overrides); err != nil {
			return nil, err
		}
	case ErrorCodeOf(err) != NotFound:
		return nil, err
	}
	return c, nil
}

// loadSetting decodes the setting key into dst (as JSON, or as a plain
// string when asJSON is false); a missing setting leaves dst alone.
func loadSetting(ctx context.Context, tx Tx, key string, dst any, asJSON bool) error {
	v, err := tx.Setting(ctx, key)
	if ErrorCodeOf(err) == NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !asJSON {
		*dst.(*string) = v
		return nil
	}
	if err := json.Unmarshal([]byte(v), dst); err != nil {
		return errors.Join(Errorf(Internal, "setting %s is not valid JSON", key), err)
	}
	return nil
}

// CityHolder holds the current snapshot and swaps in a new one after a
// change to reference data.
type CityHolder struct {
	store Store
	cur   atomic.Pointer[City]
}

// NewCityHolder loads the first snapshot from store.
func NewCityHolder(ctx context.Context, store Store) (*CityHolder, error) {
	h := &CityHolder{store: store}
	return h, h.Reload(ctx)
}

// City returns the current snapshot.
func (h *CityHolder) City() *City { return h.cur.Load() }

// Reload reads a new snapshot from the store and makes it current.
func (h *CityHolder) Reload(ctx context.Context) error {
	var c *City
	err := h.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = LoadCity(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	h.cur.Store(c)
	return nil
}
