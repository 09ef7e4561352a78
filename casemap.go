package civicgrid

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// The map (地图) draws the grid shaded by one value per cell or area and
// the cases as markers. MapService answers it within the actor's scope.

// MarkerClass is how a case looks on the map: open, overdue or closed.
type MarkerClass string

// The marker classes.
const (
	MarkerOpen    MarkerClass = "open"    // 办理中
	MarkerOverdue MarkerClass = "overdue" // 超期
	MarkerClosed  MarkerClass = "closed"  // 已结案
)

// MarkerClasses lists the classes in legend order.
var MarkerClasses = []MarkerClass{MarkerOpen, MarkerOverdue, MarkerClosed}

// Valid reports whether m is a known class.
func (m MarkerClass) Valid() bool { return slices.Contains(MarkerClasses, m) }

// CasePoint is a case as the map draws it: where it is, what and how it
// stands, and no more.
type CasePoint struct {
	ID           CaseID  `json:"id"`
	Number       string  `json:"number"`
	CategoryCode string  `json:"category_code"`
	Status       Status  `json:"status"`
	Overdue      bool    `json:"overdue"`
	Lat          float64 `json:"lat"`
	Lon          float64 `json:"lon"`
	CellCode     string  `json:"cell_code"`
}

// Class returns how the case looks on the map; "" for a cancelled case,
// which the map does not draw.
func (p *CasePoint) Class() MarkerClass {
	switch {
	case p.Status == StatusClosed:
		return MarkerClosed
	case !p.Status.Open():
		return ""
	case p.Overdue:
		return MarkerOverdue
	}
	return MarkerOpen
}

// CaseMapStore reads cases for the map.
type CaseMapStore interface {
	// FindCasePoints returns the cases matching f (its cursor, offset and
	// limit aside) whose location lies within b (edges included), newest
	// first, at most limit (all when limit <= 0).
	FindCasePoints(ctx context.Context, f CaseFilter, b Bounds, limit int) ([]*CasePoint, error)
	// CountCasesByCell returns how many cases match f (its cursor, offset
	// and limit aside) in each cell; cells with none are absent.
	CountCasesByCell(ctx context.Context, f CaseFilter) (map[string]int, error)
	// FindCaseBuckets groups the cases matching f within b by the squares
	// of step and returns the squares holding any, in no particular order.
	FindCaseBuckets(ctx context.Context, f CaseFilter, b Bounds, step BucketStep) ([]*CaseBucket, error)
}

// BucketStep is a grid of squares laid over the map from longitude −180
// and latitude 90: the square of a place is X = ⌊(lon+180)/Lon⌋, Y =
// ⌊(90−lat)/Lat⌋.
type BucketStep struct{ Lon, Lat float64 }

// CaseBucket is the cases of one square of a BucketStep grid.
type CaseBucket struct {
	X, Y     int
	Count    int
	Lat, Lon float64 // the mean of the cases' places
	Bounds   Bounds  // of the cases' places
	MaxID    CaseID  // the newest case: the only one when Count is 1
}

// MapBuckets returns the grid of squares px pixels wide on the Web
// Mercator map at zoom (256-pixel tiles, as tile servers draw them) near
// latitude lat. Within a city the map's scale hardly changes with the
// latitude, so the squares are even in degrees, taken at lat rounded to
// a degree: panning keeps them where they are.
func MapBuckets(zoom, px, lat float64) BucketStep {
	lon := px * 360 / (256 * math.Exp2(zoom))
	return BucketStep{Lon: lon, Lat: lon * math.Cos(math.Round(lat)*math.Pi/180)}
}

// MapQuery selects the cases the map shows.
type MapQuery struct {
	Classes  []MarkerClass // none: open and overdue
	Category string        // a category code; "" for all
	From, To Date          // created on or after From, before To; zero: no bound
	Cell     string        // a cell code; "" for all
	Bounds   Bounds
}

// classes returns the classes q shows.
func (q MapQuery) classes() []MarkerClass {
	if len(q.Classes) == 0 {
		return []MarkerClass{MarkerOpen, MarkerOverdue}
	}
	return q.Classes
}

// ClosedDays is how far back the map shows closed cases when no period is
// chosen: those reported in the last 90 days (the closed cases are most
// of all, and old ones say little about today).
const ClosedDays = 90

// MapService answers the map within the actor's scope: the cases in a box,
// the open cases per cell, and the shading layers.
type MapService struct {
	store Store
	city  func() *City
	stats *StatsService
	now   func() time.Time
}

// NewMapService returns a service over store; stats answers the
// "reported" layer, so the map shows the statistics' own numbers.
func NewMapService(store Store, city func() *City, stats *StatsService, now func() time.Time) *MapService {
	return &MapService{store: store, city: city, stats: stats, now: now}
}

// ClosedSince returns the first day of the closed cases the map shows
// when q has no period, or the zero Date when q has one or shows no
// closed cases.
func (s *MapService) ClosedSince(q MapQuery) Date {
	if !slices.Contains(q.classes(), MarkerClosed) || !q.From.IsZero() || !q.To.IsZero() {
		return Date{}
	}
	return DateOf(s.now().In(s.city().Location())).AddDays(1 - ClosedDays)
}

// mapActor returns the actor in ctx if they may use the map: staff only.
func mapActor(ctx context.Context) (*User, error) {
	u := ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	if u.Role == RoleCitizen {
		return nil, Errorf(Forbidden, "the map is for staff")
	}
	return u, nil
}

// filters turns q into one case filter per class, each narrowed to the
// actor's scope: a class is a set of statuses and the overdue flag.
// Closed cases reported before closedSince (when set) are left out.
func (q MapQuery) filters(actor *User, loc *time.Location, closedSince Date) []CaseFilter {
	var out []CaseFilter
	for _, c := range MarkerClasses {
		if !slices.Contains(q.classes(), c) {
			continue
		}
		f := CaseFilter{CategoryCode: q.Category, AreaCode: q.Cell}
		switch c {
		case MarkerOpen, MarkerOverdue:
			overdue := c == MarkerOverdue
			f.Statuses, f.Overdue = openStatuses, &overdue
		case MarkerClosed:
			f.Statuses = []Status{StatusClosed}
		}
		from := q.From
		if c == MarkerClosed && from.IsZero() {
			from = closedSince
		}
		if !from.IsZero() {
			t := from.At(0, loc)
			f.CreatedFrom = &t
		}
		if !q.To.IsZero() {
			t := q.To.At(0, loc)
			f.CreatedTo = &t
		}
		actor.ScopeFilter(&f)
		out = append(out, f)
	}
	return out
}

// Validate checks the query's classes and period.
func (q MapQuery) Validate() error {
	fe := FieldErrors{}
	for _, c := range q.Classes {
		if !c.Valid() {
			fe.Add("status", "one or more of open, overdue, closed")
			break
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		fe.Add("to", "must be after from (to is exclusive)")
	}
	if q.Bounds.IsEmpty() {
		fe.Add("bbox", "must be minLon,minLat,maxLon,maxLat with min ≤ max")
	}
	return fe.Err()
}

// Points returns the newest cases q selects that the actor may see, at
// most limit, and whether there were more.
func (s *MapService) Points(ctx context.Context, q MapQuery, limit int) ([]*CasePoint, bool, error) {
	actor, err := mapActor(ctx)
	if err != nil {
		return nil, false, err
	}
	if err := q.Validate(); err != nil {
		return nil, false, err
	}
	var points []*CasePoint
	err = s.store.View(ctx, func(tx Tx) error {
		for _, f := range q.filters(actor, s.city().Location(), s.ClosedSince(q)) {
			ps, err := tx.FindCasePoints(ctx, f, q.Bounds, limit+1)
			if err != nil {
				return err
			}
			points = append(points, ps...)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	slices.SortFunc(points, func(a, b *CasePoint) int { return cmp.Compare(b.ID, a.ID) })
	if len(points) > limit {
		return points[:limit], true, nil
	}
	return points, false, nil
}

// Clusters returns the cases q selects that the actor may see grouped by
// the squares of step: a square holding one case gives that case, the
// others a cluster, ordered north-west first. total counts the cases.
func (s *MapService) Clusters(ctx context.Context, q MapQuery, step BucketStep) (singles []*CasePoint, clusters []*PointCluster, total int, err error) {
	actor, err := mapActor(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := q.Validate(); err != nil {
		return nil, nil, 0, err
	}
	type key struct{ x, y int }
	merged := map[key]*PointCluster{}
	last := map[key]CaseID{}
	err = s.store.View(ctx, func(tx Tx) error {
		for i, f := range q.filters(actor, s.city().Location(), s.ClosedSince(q)) {
			class := q.classOf(i)
			buckets, err := tx.FindCaseBuckets(ctx, f, q.Bounds, step)
			if err != nil {
				return err
			}
			for _, b := range buckets {
				k := key{b.X, b.Y}
				c := merged[k]
				if c == nil {
					c = &PointCluster{Classes: map[MarkerClass]int{}, Bounds: EmptyBounds()}
					merged[k] = c
				}
				n := float64(c.Count + b.Count)
				c.Lat = (c.Lat*float64(c.Count) + b.Lat*float64(b.Count)) / n
				c.Lon = (c.Lon*float64(c.Count) + b.Lon*float64(b.Count)) / n
				c.Count += b.Count
				c.Classes[class] += b.Count
				c.Bounds = c.Bounds.Extend(Point{Lat: b.Bounds.MinLat, Lon: b.Bounds.MinLon}).Extend(Point{Lat: b.Bounds.MaxLat, Lon: b.Bounds.MaxLon})
				last[k] = b.MaxID
				total += b.Count
			}
		}
		var ids []CaseID
		for k, c := range merged {
			if c.Count == 1 {
				ids = append(ids, last[k])
			}
		}
		if len(ids) == 0 {
			return nil
		}
		singles, err = tx.FindCasePoints(ctx, CaseFilter{IDs: ids}, q.Bounds, 0)
		return err
	})
	if err != nil {
		return nil, nil, 0, err
	}
	keys := make([]key, 0, len(merged))
	for k, c := range merged {
		if c.Count > 1 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.y != b.y {
			return a.y - b.y
		}
		return a.x - b.x
	})
	for _, k := range keys {
		clusters = append(clusters, merged[k])
	}
	return singles, clusters, total, nil
}

// classOf returns the class of q's i-th filter.
func (q MapQuery) classOf(i int) MarkerClass {
	var cs []MarkerClass
	for _, c := range MarkerClasses {
		if slices.Contains(q.classes(), c) {
			cs = append(cs, c)
		}
	}
	return cs[i]
}

// OpenByCell returns the number of open cases in each cell that the actor
// may see (a cell with none is absent): the "open cases" layer. It counts
// the cases as they stand now, which no statistic keeps.
func (s *MapService) OpenByCell(ctx context.Context, category string) (map[string]float64, error) {
	actor, err := mapActor(ctx)
	if err != nil {
		return nil, err
	}
	f := CaseFilter{Statuses: openStatuses, CategoryCode: category}
	actor.ScopeFilter(&f)
	var counts map[string]int
	err = s.store.View(ctx, func(tx Tx) error {
		counts, err = tx.CountCasesByCell(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(counts))
	for code, n := range counts {
		out[code] = float64(n)
	}
	return out, nil
}

// Reported returns the cases reported from from up to to (exclusive) in
// each area of dimension d (cell or community), from the statistics: the
// "reported in a period" layer, the same numbers as GET /api/v1/stats.
func (s *MapService) Reported(ctx context.Context, d StatDim, from, to Date) (map[string]float64, error) {
	if _, err := mapActor(ctx); err != nil {
		return nil, err
	}
	res, err := s.stats.Query(ctx, StatsQuery{GroupBy: d, From: from, To: to, Metrics: []string{"reported"}})
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(res.Rows))
	for _, r := range res.Rows {
		if n := r.Counts["reported"]; n != 0 {
			out[r.Key] = float64(n)
		}
	}
	return out, nil
}

// PointCluster is a group of cases close together on the screen, drawn as
// one marker with a count.
type PointCluster struct {
	Lat     float64             `json:"lat"` // the mean of its cases' places
	Lon     float64             `json:"lon"`
	Count   int                 `json:"count"`
	Classes map[MarkerClass]int `json:"classes"`
	Bounds  Bounds              `json:"bounds"`
}
