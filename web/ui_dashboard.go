package web

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"civicgrid"
	"civicgrid/report"
)

// The dashboard's parts.
const (
	dashOverdueRows = 20 // the overdue list's length
	dashEvery       = 15 // seconds between refreshes, by default
)

// dashSources are the intake channels in the order the dashboard lists
// them, every one shown even when nothing came in through it.
var dashSources = []civicgrid.Source{
	civicgrid.SourceInspector, civicgrid.SourceHotline, civicgrid.SourceWeb, civicgrid.SourceOpen311, civicgrid.SourceCamera,
	civicgrid.SourceWalkIn, civicgrid.SourceVisit, civicgrid.SourcePatrol, civicgrid.SourceLeader,
}

// dashRates are the month's rates the dashboard shows, by metric code.
var dashRates = []string{"rate_handled", "rate_handled_on_time", "rate_closed", "rate_closed_on_time", "rate_reworked", "rate_accurately_filed"}

// dashboard is a snapshot of the command centre's dashboard: the page
// renders it and GET /api/v1/dashboard answers it, so the page's script
// refreshes exactly what the server drew.
type dashboard struct {
	At       time.Time      `json:"at"`
	Area     string         `json:"area"` // the viewer's area; "" is the whole city
	Today    civicgrid.Date `json:"today"`
	Month    dashSpan       `json:"month"`
	Headline dashHeadline   `json:"headline"`
	Intake   []dashIntake   `json:"intake"`
	Stages   []dashStage    `json:"stages"`
	Overdue  []dashOverdue  `json:"overdue"`
	Rates    []dashRate     `json:"rates"`
	Closing  dashClosing    `json:"closing"`
}

// dashSpan is the days from From up to To (exclusive).
type dashSpan struct {
	From civicgrid.Date `json:"from"`
	To   civicgrid.Date `json:"to"`
}

// dashHeadline are the few numbers at the top.
type dashHeadline struct {
	IntakeToday int   `json:"intake_today"`
	Open        int   `json:"open"`
	Yellow      int   `json:"yellow"`  // open, 80–100% of the stage's time used
	Overdue     int   `json:"overdue"` // open and past the stage's deadline
	ClosedMonth int64 `json:"closed_month"`
}

// dashIntake is today's intake through one channel.
type dashIntake struct {
	Source civicgrid.Source `json:"source"`
	Name   civicgrid.Text   `json:"name"`
	Count  int              `json:"count"`
}

// dashStage counts the open cases of one status by traffic light; None
// are those with no running clock (suspended).
type dashStage struct {
	Status civicgrid.Status `json:"status"`
	Name   civicgrid.Text   `json:"name"`
	Green  int              `json:"green"`
	Yellow int              `json:"yellow"`
	Red    int              `json:"red"`
	None   int              `json:"none"`
	Total  int              `json:"total"`
}

// dashOverdue is one case of the overdue list.
type dashOverdue struct {
	ID       civicgrid.CaseID `json:"id"`
	Number   string           `json:"number"`
	Category civicgrid.Text   `json:"category"`
	Place    string           `json:"place"`
	Status   civicgrid.Text   `json:"status"`
	Unit     civicgrid.Text   `json:"unit,omitzero"`
	Deadline time.Time        `json:"deadline"`
	Late     int              `json:"late_minutes"` // natural minutes past the deadline
}

// dashRate is one of the month's rates, from the statistics.
type dashRate struct {
	Code  string         `json:"code"`
	Name  civicgrid.Text `json:"name"`
	Value *float64       `json:"value"` // nil when nothing was due
}

// dashClosing is the month's closing time (结案用时): the calendar time
// from report to close of the cases closed this month, from the
// statistics (StatsService.Durations), with the median and 90th
// percentile also written out as the page shows them.
type dashClosing struct {
	N             int64          `json:"n"`
	MedianSeconds *float64       `json:"median_seconds"`
	P90Seconds    *int64         `json:"p90_seconds"`
	Median        civicgrid.Text `json:"median"` // 2天3小时 / 2 d 3 h; — when nothing closed
	P90           civicgrid.Text `json:"p90"`
}

// dashboardOf gathers the snapshot the actor in ctx may see at now.
func (s *Server) dashboardOf(ctx context.Context, now time.Time) (*dashboard, error) {
	city := s.city.City()
	loc := city.Location()
	now = now.In(loc)
	today := civicgrid.DateOf(now)
	d := &dashboard{At: now.Truncate(time.Second), Today: today, Month: dashSpan{From: civicgrid.Date{Year: today.Year, Month: today.Month, Day: 1}, To: today.AddDays(1)}}
	if u := civicgrid.ActorFrom(ctx); u != nil && u.Role != civicgrid.RoleAdmin {
		d.Area = u.AreaCode
	}
	intake, err := s.cases.IntakeBySource(ctx, today.At(0, loc), today.AddDays(1).At(0, loc))
	if err != nil {
		return nil, err
	}
	for _, src := range dashSources {
		d.Intake = append(d.Intake, dashIntake{Source: src, Name: src.Name(), Count: intake[src]})
		d.Headline.IntakeToday += intake[src]
	}
	clocks, err := s.cases.OpenClocks(ctx)
	if err != nil {
		return nil, err
	}
	red := s.countStages(d, city, clocks, now)
	if d.Overdue, err = s.overdueRows(ctx, city, red, now); err != nil {
		return nil, err
	}
	if err := s.monthRates(ctx, d); err != nil {
		return nil, err
	}
	if err := s.monthClosing(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// countStages counts clocks into d's stages and headline, and returns the
// overdue ones, most overdue (earliest deadline) first. The light is the
// work queue's (stageLight), so the two never disagree.
func (s *Server) countStages(d *dashboard, city *civicgrid.City, clocks []civicgrid.CaseClock, now time.Time) []civicgrid.CaseClock {
	byStatus := map[civicgrid.Status]*dashStage{}
	for _, st := range civicgrid.Statuses {
		if st.Open() {
			d.Stages = append(d.Stages, dashStage{Status: st, Name: st.Name()})
		}
	}
	for i := range d.Stages {
		byStatus[d.Stages[i].Status] = &d.Stages[i]
	}
	var red []civicgrid.CaseClock
	for _, k := range clocks {
		st := byStatus[k.Status]
		if st == nil {
			continue
		}
		st.Total++
		d.Headline.Open++
		switch light, _ := stageLight(city, k.Case(), now); light {
		case lightGreen:
			st.Green++
		case lightYellow:
			st.Yellow++
			d.Headline.Yellow++
		case lightRed:
			st.Red++
			d.Headline.Overdue++
			red = append(red, k)
		default:
			st.None++
		}
	}
	slices.SortFunc(red, func(a, b civicgrid.CaseClock) int {
		return cmp.Or(a.Deadline.Compare(*b.Deadline), cmp.Compare(a.ID, b.ID))
	})
	return red
}

// overdueRows returns the first of the overdue clocks as rows of the
// overdue list, in the clocks' order.
func (s *Server) overdueRows(ctx context.Context, city *civicgrid.City, red []civicgrid.CaseClock, now time.Time) ([]dashOverdue, error) {
	red = red[:min(len(red), dashOverdueRows)]
	if len(red) == 0 {
		return []dashOverdue{}, nil
	}
	ids := make([]civicgrid.CaseID, len(red))
	for i, k := range red {
		ids[i] = k.ID
	}
	page, err := s.cases.List(ctx, civicgrid.CaseFilter{IDs: ids, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	byID := map[civicgrid.CaseID]*civicgrid.Case{}
	for _, c := range page.Items {
		byID[c.ID] = c
	}
	out := make([]dashOverdue, 0, len(red))
	for _, k := range red {
		c := byID[k.ID]
		if c == nil {
			continue // closed since the clocks were read
		}
		row := dashOverdue{ID: c.ID, Number: c.Number, Place: placeName(city, c), Status: c.Status.Name(), Deadline: *k.Deadline,
			Late: int(now.Sub(*k.Deadline) / time.Minute)}
		if cat := city.Categories[c.CategoryCode]; cat != nil {
			row.Category = cat.Name
		} else {
			row.Category = civicgrid.Text{Zh: c.CategoryCode}
		}
		if u := city.Units[c.UnitID]; u != nil {
			row.Unit = u.Name
		}
		out = append(out, row)
	}
	return out, nil
}

// monthQuery asks for metrics over d's month: the city's row, or for a
// viewer with an area, that area's row, whose key it returns.
func (d *dashboard) monthQuery(metrics ...string) (civicgrid.StatsQuery, string) {
	q := civicgrid.StatsQuery{GroupBy: civicgrid.DimCity, From: d.Month.From, To: d.Month.To, Metrics: metrics}
	if d.Area == "" {
		return q, "all"
	}
	q.GroupBy = civicgrid.AreaDim(d.Area)
	return q, d.Area
}

// monthRates fills d's rates and the month's closed count from the
// statistics (StatsService.Query), the numbers every page and report
// shows: the city's row, or for a viewer with an area, that area's.
func (s *Server) monthRates(ctx context.Context, d *dashboard) error {
	q, key := d.monthQuery(dashRates...)
	res, err := s.stats.Query(ctx, q)
	if err != nil {
		return err
	}
	var row *civicgrid.StatRow
	for _, r := range res.Rows {
		if r.Key == key || q.GroupBy == civicgrid.DimCity {
			row = r
		}
	}
	metrics, _ := s.stats.Metrics()
	for _, code := range dashRates {
		i := slices.IndexFunc(metrics, func(m *civicgrid.Metric) bool { return m.Code == code })
		if i < 0 {
			continue
		}
		r := dashRate{Code: code, Name: metrics[i].Name}
		if row != nil {
			r.Value = row.Rates[code]
		}
		d.Rates = append(d.Rates, r)
	}
	if row != nil {
		d.Headline.ClosedMonth = row.Counts["closed"]
	}
	return nil
}

// monthClosing fills d's closing time from the statistics' durations,
// the city's row or, for a viewer with an area, that area's: the numbers
// GET /api/v1/stats/durations and the reports give for the same days.
func (s *Server) monthClosing(ctx context.Context, d *dashboard) error {
	q, key := d.monthQuery("closing_time")
	res, err := s.stats.Durations(ctx, q)
	if err != nil {
		return err
	}
	none := civicgrid.Text{Zh: "—", En: "—"}
	d.Closing = dashClosing{Median: none, P90: none}
	for _, r := range res.Rows {
		st := r.Durations["closing_time"]
		if (r.Key != key && q.GroupBy != civicgrid.DimCity) || st == nil {
			continue
		}
		d.Closing.N, d.Closing.MedianSeconds, d.Closing.P90Seconds = st.N, st.MedianSeconds, st.P90Seconds
		if st.MedianSeconds != nil {
			d.Closing.Median = report.DurationText(*st.MedianSeconds)
		}
		if st.P90Seconds != nil {
			d.Closing.P90 = report.DurationText(float64(*st.P90Seconds))
		}
	}
	return nil
}

// dashboardPage is the command centre's dashboard (指挥中心大屏).
type dashboardPage struct {
	page
	D     *dashboard
	Every int // seconds between the script's refreshes
	Place string
}

func (s *Server) handleDashboardPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	m := &dashboardPage{page: s.newPage(r, "dash.title", "dashboard"), Every: dashEvery}
	if n, err := strconv.Atoi(r.URL.Query().Get("every")); err == nil {
		m.Every = min(max(n, 2), 600)
	}
	var err error
	if m.D, err = s.dashboardOf(r.Context(), s.now()); err != nil {
		return err
	}
	m.Place = m.City
	if a := s.city.City().Grid.Area(m.D.Area); a != nil {
		m.Place = a.Name
	}
	return s.render(w, http.StatusOK, "dashboard", m)
}

// handleDashboard answers GET /api/v1/dashboard: the dashboard's snapshot
// for the caller's area, which the page's script polls.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dashboardOf(r.Context(), s.now())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return encode(w, http.StatusOK, d)
}

// Rate formats a rate as a percentage with one decimal, or "—".
func (p *dashboardPage) Rate(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// Late describes how long ago a deadline passed, in minutes, hours or
// days; dashboard.js has the same rule.
func (p *dashboardPage) Late(minutes int) string {
	switch {
	case minutes < 60:
		return p.Tf("dash.late.min", max(minutes, 0))
	case minutes < 48*60:
		return p.Tf("dash.late.hour", minutes/60)
	}
	return p.Tf("dash.late.day", minutes/(24*60))
}

// IntakeMax is the top of the intake meters' scale: the busiest channel.
func (p *dashboardPage) IntakeMax() int {
	top := 1
	for _, in := range p.D.Intake {
		top = max(top, in.Count)
	}
	return top
}
