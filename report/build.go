package report

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"civicgrid"
)

// Builder builds reports. Stats and City are required; Cases adds the
// open overdue cases per unit and the recurrences (a cell producing the
// same category again); Evaluations, Hotspots and Components, when set,
// add their sections.
type Builder struct {
	Stats       Stats
	Cases       Cases
	City        func() *civicgrid.City
	Now         func() time.Time
	Evaluations SectionSource // composite scores and league tables; nil omits them
	Hotspots    SectionSource // emerging hotspots; nil omits them
	Components  SectionSource // repeat problems at the same component (部件); nil omits them
	Thresholds  Thresholds
}

// Build returns the report of kind k for the period containing day, as
// the actor in ctx may see it.
func (b *Builder) Build(ctx context.Context, k Kind, day civicgrid.Date) (*Report, error) {
	if !k.Valid() {
		return nil, civicgrid.FieldError("kind", "one of daily, weekly, monthly")
	}
	if day.IsZero() {
		return nil, civicgrid.FieldError("date", "a date written like 2026-01-01")
	}
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	th := b.Thresholds
	if th == (Thresholds{}) {
		th = DefaultThresholds(k)
	}
	city := b.City()
	p := PeriodOf(k, day)
	r := &Report{Kind: k, City: city.Name, Period: p, Previous: p.Previous(), Generated: now().In(city.Location())}
	d := &data{b: b, th: th, city: city, p: p, prev: r.Previous}
	d.scope(ctx)
	if err := d.load(ctx); err != nil {
		return nil, err
	}
	r.DefinitionsVersion = d.cur[civicgrid.DimCity].DefinitionsVersion
	if d.area != "" {
		r.City += " " + areaName(city, d.area)
	}
	r.Summary = d.summary()
	var trend *Trend
	var overdue, recurring *Table
	err := parallel(
		func() (err error) { trend, err = d.trend(ctx); return err },
		func() (err error) { overdue, err = d.overdueUnits(ctx); return err },
		func() (err error) { recurring, err = d.recurrences(ctx); return err },
		func() (err error) { r.Sections, err = b.sections(ctx, p); return err },
	)
	if err != nil {
		return nil, err
	}
	r.Tables = []*Table{d.operationTable(), d.intakeTable(), d.ratesTable(), d.unitTable(), d.closingTable(), d.areaTable(civicgrid.DimDistrict),
		d.areaTable(civicgrid.DimStreet), d.cellTable(), d.communityTable(), overdue, recurring, trendTable(trend)}
	r.Trend = trend
	r.Map = d.hotMap()
	r.Recommendations = d.recommend()
	return r, nil
}

// sections gathers the sections of the optional sources, in order.
func (b *Builder) sections(ctx context.Context, p Period) ([]*Section, error) {
	srcs := []SectionSource{b.Evaluations, b.Hotspots, b.Components}
	got := make([]*Section, len(srcs))
	fns := make([]func() error, 0, len(srcs))
	for i, src := range srcs {
		if src != nil {
			fns = append(fns, func() (err error) { got[i], err = src.ReportSection(ctx, p); return err })
		}
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(got, func(s *Section) bool { return s == nil }), nil
}

// data is what a build has read.
type data struct {
	b    *Builder
	th   Thresholds
	city *civicgrid.City
	p    Period
	prev Period
	cur  map[civicgrid.StatDim]*civicgrid.StatsResult // this period
	old  map[civicgrid.StatDim]*civicgrid.StatsResult // the previous period
	// recent is the reports per cell in the days before the period ends
	// (the patrol window).
	recent *civicgrid.StatsResult
	// window is the recurrence window: the period, or the last
	// RecurrenceDays up to its end when the period is shorter.
	window Period
	// found are the recurrences, most cases first.
	found []recurrence
	// area is the area the actor's statistics are limited to ("" for the
	// whole city), and areaDim its level: the "city" rows are then that
	// area's row.
	area    string
	areaDim civicgrid.StatDim
	// closing and closingOld are the city's closing times (结案用时) in
	// the period and the one before; closingUnits the period's by unit.
	closing, closingOld, closingUnits *civicgrid.DurationsResult
}

// scope limits d to the area of the actor in ctx, if they have one.
func (d *data) scope(ctx context.Context) {
	a := civicgrid.ActorFrom(ctx)
	if a == nil || a.AreaCode == "" || a.Role == civicgrid.RoleAdmin || a.Role == civicgrid.RoleSystem {
		return
	}
	d.area, d.areaDim = a.AreaCode, civicgrid.AreaDim(a.AreaCode)
}

// load runs the statistics queries every table needs.
func (d *data) load(ctx context.Context) error {
	d.cur, d.old = map[civicgrid.StatDim]*civicgrid.StatsResult{}, map[civicgrid.StatDim]*civicgrid.StatsResult{}
	// The hotspot tables need few metrics, and cells are many.
	cells, communities := []string{"reported"}, []string{"reported", "rate_closed_on_time"}
	type job struct {
		dim     civicgrid.StatDim
		into    map[civicgrid.StatDim]*civicgrid.StatsResult
		p       Period
		metrics []string
	}
	jobs := []job{
		{civicgrid.DimCity, d.cur, d.p, nil}, {civicgrid.DimCity, d.old, d.prev, nil}, {civicgrid.DimSource, d.cur, d.p, nil},
		{civicgrid.DimUnit, d.cur, d.p, nil}, {civicgrid.DimUnit, d.old, d.prev, nil},
		{civicgrid.DimDistrict, d.cur, d.p, nil}, {civicgrid.DimStreet, d.cur, d.p, nil},
		{civicgrid.DimCell, d.cur, d.p, cells}, {civicgrid.DimCell, d.old, d.prev, cells},
		{civicgrid.DimCommunity, d.cur, d.p, communities}, {civicgrid.DimCommunity, d.old, d.prev, communities},
	}
	results := make([]*civicgrid.StatsResult, len(jobs))
	fns := make([]func() error, len(jobs))
	for i, j := range jobs {
		fns[i] = func() (err error) { results[i], err = d.query(ctx, j.dim, j.p, j.metrics...); return err }
	}
	if err := parallel(fns...); err != nil {
		return err
	}
	for i, j := range jobs {
		j.into[j.dim] = results[i]
	}
	d.window = d.p
	if n := d.th.RecurrenceDays; d.p.Days() < n {
		d.window = Period{Kind: d.p.Kind, From: d.p.To.AddDays(-n), To: d.p.To}
	}
	var err error
	d.recent, err = d.query(ctx, civicgrid.DimCell, Period{Kind: d.p.Kind, From: d.p.To.AddDays(-d.th.PatrolDays), To: d.p.To}, "reported")
	if err != nil {
		return err
	}
	return parallel(
		func() (err error) { d.closing, err = d.durations(ctx, civicgrid.DimCity, d.p); return err },
		func() (err error) { d.closingOld, err = d.durations(ctx, civicgrid.DimCity, d.prev); return err },
		func() (err error) { d.closingUnits, err = d.durations(ctx, civicgrid.DimUnit, d.p); return err },
	)
}

// query asks the statistics service for dimension dim over p. For an
// actor limited to an area, the city is that area, and a grouping the
// area cannot be cut out of (units, channels, a level above the area) is
// answered with no rows.
func (d *data) query(ctx context.Context, dim civicgrid.StatDim, p Period, metrics ...string) (*civicgrid.StatsResult, error) {
	group := dim
	if dim == civicgrid.DimCity && d.area != "" {
		group = d.areaDim
	}
	res, err := d.b.Stats.Query(ctx, civicgrid.StatsQuery{GroupBy: group, From: p.From, To: p.To, Metrics: metrics})
	if d.area != "" && civicgrid.ErrorCodeOf(err) == civicgrid.Forbidden {
		return &civicgrid.StatsResult{GroupBy: dim, From: p.From, To: p.To}, nil
	}
	if err != nil || group == dim {
		return res, err
	}
	res.Rows = slices.DeleteFunc(res.Rows, func(r *civicgrid.StatRow) bool { return r.Key != d.area })
	return res, nil
}

// cityRow returns the city's row of res, or an empty row.
func cityRow(res *civicgrid.StatsResult) *civicgrid.StatRow {
	if res != nil && len(res.Rows) > 0 {
		return res.Rows[0]
	}
	return &civicgrid.StatRow{Counts: map[string]int64{}, Rates: map[string]*float64{}}
}

// byKey indexes rows by key.
func byKey(res *civicgrid.StatsResult) map[string]*civicgrid.StatRow {
	m := map[string]*civicgrid.StatRow{}
	if res != nil {
		for _, r := range res.Rows {
			m[r.Key] = r
		}
	}
	return m
}

// summaryCodes are the headline figures.
var summaryCodes = []string{"reported", "filed", "dispatched", "closed", "rate_closed", "rate_closed_on_time", "rate_handled_on_time", "rate_reworked"}

func (d *data) summary() []Figure {
	cur, old := cityRow(d.cur[civicgrid.DimCity]), cityRow(d.old[civicgrid.DimCity])
	out := make([]Figure, 0, len(summaryCodes))
	for _, code := range summaryCodes {
		m := civicgrid.MetricByCode(code)
		f := Figure{Code: code, Name: m.Name, Rate: m.Kind == civicgrid.MetricRate}
		f.Value, f.Previous = metricValue(cur, m), metricValue(old, m)
		out = append(out, f)
	}
	// The closing time (结案用时) of the city, from the same statistics.
	now, before := closingOf(d.closing), closingOf(d.closingOld)
	out = append(out,
		Figure{Code: "closing_time_median", Name: civicgrid.Text{Zh: "结案用时中位数", En: "Median time to close"}, Duration: true,
			Value: now.MedianSeconds, Previous: before.MedianSeconds},
		Figure{Code: "closing_time_p90", Name: civicgrid.Text{Zh: "结案用时 90% 分位数", En: "90th percentile time to close"}, Duration: true,
			Value: seconds(now.P90Seconds), Previous: seconds(before.P90Seconds)})
	return out
}

// seconds is a whole number of seconds as a figure's value.
func seconds(v *int64) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// metricValue is m's value in row r.
func metricValue(r *civicgrid.StatRow, m *civicgrid.Metric) *float64 {
	if m.Kind == civicgrid.MetricRate {
		return r.Rates[m.Code]
	}
	v := float64(r.Counts[m.Code])
	return &v
}

// trend reads the city's (or the viewer's area's) counts over the trend's
// points, in one series query.
func (d *data) trend(ctx context.Context) (*Trend, error) {
	codes := []string{"reported", "filed", "closed", "rate_closed_on_time"}
	points := trendPoints(d.p)
	t := &Trend{Title: trendTitle[d.p.Kind]}
	for _, code := range codes {
		m := civicgrid.MetricByCode(code)
		t.Series = append(t.Series, Series{Code: code, Name: m.Name, Rate: m.Kind == civicgrid.MetricRate})
	}
	group := civicgrid.DimCity
	if d.area != "" {
		group = d.areaDim
	}
	series, err := d.b.Stats.Series(ctx, civicgrid.StatsQuery{GroupBy: group, From: points[0].From, To: d.p.To, Metrics: codes}, intervalOf[d.p.Kind])
	switch {
	case d.area != "" && civicgrid.ErrorCodeOf(err) == civicgrid.Forbidden:
		series = &civicgrid.StatsSeries{}
	case err != nil:
		return nil, err
	}
	for i, p := range points {
		var res civicgrid.StatsResult
		if i < len(series.Periods) {
			res.Rows = series.Periods[i].Rows
			if group != civicgrid.DimCity {
				res.Rows = slices.DeleteFunc(slices.Clone(res.Rows), func(r *civicgrid.StatRow) bool { return r.Key != d.area })
			}
		}
		row := cityRow(&res)
		t.Labels = append(t.Labels, pointLabel(p))
		for i := range t.Series {
			t.Series[i].Values = append(t.Series[i].Values, metricValue(row, civicgrid.MetricByCode(t.Series[i].Code)))
		}
	}
	return t, nil
}

var trendTitle = map[Kind]civicgrid.Text{
	Daily:   {Zh: "近 30 天趋势", En: "The last 30 days"},
	Weekly:  {Zh: "近 8 周趋势", En: "The last 8 weeks"},
	Monthly: {Zh: "近 12 个月趋势", En: "The last 12 months"},
}

// pointLabel names a trend point: 03-15, W11, 2026-03.
func pointLabel(p Period) string {
	switch p.Kind {
	case Daily:
		return p.From.String()[5:]
	case Weekly:
		_, w := p.From.At(0, time.UTC).ISOWeek()
		return "W" + strconv.Itoa(w)
	}
	return p.From.String()[:7]
}

// openStatuses are the statuses in which a unit holds a case.
var openStatuses = []civicgrid.Status{civicgrid.StatusDispatched, civicgrid.StatusHandling}

// overdueUnits is the table of units by late handling, with their open
// overdue cases now (at most OverdueUnits units are looked up).
func (d *data) overdueUnits(ctx context.Context) (*Table, error) {
	t := &Table{ID: "overdue_units", Title: civicgrid.Text{Zh: "超期单位", En: "Units handling late"},
		Note: civicgrid.Text{Zh: "按本期超期处置数排序；超期未办结为当前仍在处置中的超期案卷。", En: "By cases handled late in the period; open overdue are the overdue cases the unit holds now."},
		Columns: []Column{col("unit", "单位", "Unit", Label), col("handled", "处置数", "Handled", Count), col("handled_late", "超期处置数", "Handled late", Count),
			col("rate_handled_on_time", "按期处置率", "On-time handling rate", Rate), col("open_overdue", "超期未办结", "Open overdue", Count)}}
	rows := slices.Clone(d.cur[civicgrid.DimUnit].Rows)
	rows = slices.DeleteFunc(rows, func(r *civicgrid.StatRow) bool { return r.Counts["handled"] == 0 && r.Counts["due_handling"] == 0 })
	slices.SortStableFunc(rows, func(a, b *civicgrid.StatRow) int {
		return cmp.Or(cmp.Compare(b.Counts["handled_late"], a.Counts["handled_late"]), cmpRate(a.Rates["rate_handled_on_time"], b.Rates["rate_handled_on_time"]))
	})
	if len(rows) > d.th.OverdueUnits {
		rows = rows[:d.th.OverdueUnits]
	}
	open, err := d.openOverdue(ctx, rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		v := Value{Null: true}
		if open != nil {
			v = num(open[r.Key])
		}
		t.Rows = append(t.Rows, []Value{text(r.Name), num(r.Counts["handled"]), num(r.Counts["handled_late"]), rate(r.Rates["rate_handled_on_time"]), v})
	}
	return t, nil
}

// maxOverdue is how many open overdue cases are read at once to count
// them by unit.
const maxOverdue = 500

// openOverdue counts the open overdue cases of each unit of rows (nil
// without a case source): from one list of all of them when there are at
// most maxOverdue, else by a count per unit.
func (d *data) openOverdue(ctx context.Context, rows []*civicgrid.StatRow) (map[string]int64, error) {
	if d.b.Cases == nil {
		return nil, nil
	}
	yes := true
	page, err := d.b.Cases.List(ctx, civicgrid.CaseFilter{Overdue: &yes, Statuses: openStatuses, Limit: maxOverdue})
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	if !page.More {
		for _, c := range page.Items {
			out[strconv.FormatInt(int64(c.UnitID), 10)]++
		}
		return out, nil
	}
	for _, r := range rows {
		id, err := strconv.ParseInt(r.Key, 10, 64)
		if err != nil {
			continue
		}
		unit := civicgrid.UnitID(id)
		page, err := d.b.Cases.List(ctx, civicgrid.CaseFilter{UnitID: &unit, Overdue: &yes, Statuses: openStatuses, Limit: 1})
		if err != nil {
			return nil, err
		}
		out[r.Key] = int64(page.Total)
	}
	return out, nil
}

// cmpRate orders rates high to low, missing last.
func cmpRate(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*b, *a)
}

// parallel runs fns at once and returns the first of their errors.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// areaName is the name of the area code, or the code.
func areaName(city *civicgrid.City, code string) string {
	if a := city.Grid.Area(code); a != nil {
		return a.Name
	}
	return code
}
