package web

import (
	"net/http"
	"net/url"
	"strconv"

	"civicgrid"
)

// hotspotRows is the length of each hotspot table, hotspotBars of the chart.
const (
	hotspotRows = 20
	hotspotBars = 10
)

// hotspotsPage is the hotspots page (热点分析): the period, category and
// level picked, and the three tables of HotspotService.
type hotspotsPage struct {
	page
	From, Until, Category, Level string // the form's values; Until is the period's last day
	Categories                   []optgroup
	Levels                       []option
	Top, Recurring, Emerging     []hotspotRow
	Week                         string // the emerging table's week, "2026-05-14 – 2026-05-20"
	Config                       civicgrid.HotspotConfig
	Chart                        hotspotChart
	// Components is the table of repeat problems at the same registered
	// component (部件重复问题).
	Components []componentRow
}

// componentRow is a row of the repeats table, with the link to its cases.
type componentRow struct {
	Rank                   int
	Code, Name             string
	Category, CategoryName string
	Cell, CellName         string
	Unit                   string
	Count                  int64
	Latest                 string // the newest case's number
	LatestAt               string
	CasesURL               string
}

// hotspotRow is a row of a hotspot table, with its links.
type hotspotRow struct {
	Rank     int
	Code     string
	Name     string
	Reported int64
	Recurred int64
	Test     *civicgrid.PoissonTest
	CasesURL string // the case list of its cases
	MapURL   string // the map at the cell; "" for a community or street
}

// hotspotChart is the inline SVG bar chart of the top places.
type hotspotChart struct {
	Height int
	Bars   []hotspotBar
}

// hotspotBar is one bar: its row's place and count, its position and
// length in the chart's coordinates (600 wide, the bars from x = 200).
type hotspotBar struct {
	Label    string
	Code     string
	N        int64
	Y, TextY int
	Width    int
	URL      string
}

// Chart geometry: label column, bar area and row height.
const (
	chartLabelW = 200
	chartBarW   = 340
	chartRowH   = 26
)

func (s *Server) handleHotspotsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	v := r.URL.Query()
	today := s.hotspotToday()
	m := &hotspotsPage{page: s.newPage(r, "hot.title", "hotspots"), Category: v.Get("category"), Level: v.Get("level")}
	if m.Level == "" {
		m.Level = string(civicgrid.DimCell)
	}
	// The page asks for a period's last day (until, included); the API's
	// to is the day after.
	api := url.Values{"category": {m.Category}, "level": {m.Level}, "from": {v.Get("from")}, "limit": {strconv.Itoa(hotspotRows)}}
	if u := v.Get("until"); u != "" {
		var d civicgrid.Date
		if err := d.UnmarshalText([]byte(u)); err == nil {
			api.Set("to", d.AddDays(1).String())
			api.Set("date", u)
		} else {
			api.Set("to", u) // refused below with the field's problem
		}
	}
	q, err := parseHotspotQuery(api, today)
	m.From, m.Until = q.From.String(), q.To.AddDays(-1).String()
	m.Categories = categoryGroups(&m.page, s.city.City(), false, m.Category)
	for _, l := range []civicgrid.StatDim{civicgrid.DimCell, civicgrid.DimCommunity, civicgrid.DimStreet} {
		m.Levels = append(m.Levels, option{Value: string(l), Label: m.T("hot.level." + string(l)), Selected: string(l) == m.Level})
	}
	if err != nil {
		return &refusedForm{err: err, name: "hotspots", model: m}
	}
	if err := s.fillHotspots(r, m, q); err != nil {
		if civicgrid.ErrorCodeOf(err) == civicgrid.Invalid || civicgrid.ErrorCodeOf(err) == civicgrid.Unprocessable {
			return &refusedForm{err: err, name: "hotspots", model: m}
		}
		return err
	}
	return s.render(w, http.StatusOK, "hotspots", m)
}

// fillHotspots asks HotspotService for the three tables of q.
func (s *Server) fillHotspots(r *http.Request, m *hotspotsPage, q civicgrid.HotspotQuery) error {
	t, err := s.hotspots.Tables(r.Context(), q)
	if err != nil {
		return err
	}
	m.Config = t.Top.Config
	m.Top, m.Recurring, m.Emerging = hotspotRowsOf(&m.page, t.Top), hotspotRowsOf(&m.page, t.Recurring), hotspotRowsOf(&m.page, t.Emerging)
	m.Week = t.Emerging.From.String() + " – " + t.Emerging.To.AddDays(-1).String()
	m.Chart = hotspotChartOf(m.Top)
	comps, err := s.hotspots.Components(r.Context(), q)
	if err != nil {
		return err
	}
	loc := s.city.City().Location()
	for i, h := range comps.Rows {
		m.Components = append(m.Components, componentRow{Rank: i + 1, Code: h.Code, Name: h.Name, Category: h.Category,
			CategoryName: m.Text(h.CategoryName), Cell: h.Cell, CellName: h.CellName, Unit: m.Text(h.UnitName), Count: h.Count,
			Latest: h.LatestNumber, LatestAt: h.LatestAt.In(loc).Format("2006-01-02 15:04"), CasesURL: "/cases?" + h.Cases.Query})
	}
	return nil
}

// hotspotRowsOf turns a hotspot table into the page's rows.
func hotspotRowsOf(p *page, res *civicgrid.HotspotResult) []hotspotRow {
	rows := make([]hotspotRow, 0, len(res.Rows))
	for i, h := range res.Rows {
		row := hotspotRow{Rank: i + 1, Code: h.Key, Name: p.Text(h.Name), Reported: h.Reported, Recurred: h.Recurred, Test: h.Test,
			CasesURL: "/cases?" + h.Cases.Query}
		if res.Level == civicgrid.DimCell {
			row.MapURL = "/map?cell=" + url.QueryEscape(h.Key)
		}
		rows = append(rows, row)
	}
	return rows
}

// hotspotChartOf draws the first hotspotBars rows of the top table.
func hotspotChartOf(rows []hotspotRow) hotspotChart {
	rows = rows[:min(len(rows), hotspotBars)]
	c := hotspotChart{Height: max(len(rows), 1) * chartRowH}
	var most int64 = 1
	for _, r := range rows {
		most = max(most, r.Reported)
	}
	for i, r := range rows {
		c.Bars = append(c.Bars, hotspotBar{Label: r.Name, Code: r.Code, N: r.Reported, Y: i*chartRowH + 4, TextY: i*chartRowH + 18,
			Width: max(int(r.Reported*chartBarW/most), 1), URL: r.CasesURL})
	}
	return c
}

// P formats a p-value for people: 3 significant digits, or "< 1e-10".
func (p *hotspotsPage) P(v float64) string {
	if v < 1e-10 {
		return "< 1e-10"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// Num formats a mean or a score to one decimal.
func (p *hotspotsPage) Num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// ChartLabelX is where the chart's labels end (they are right-aligned).
func (p *hotspotsPage) ChartLabelX() int { return chartLabelW - 8 }

// ChartBarX is where the bars start.
func (p *hotspotsPage) ChartBarX() int { return chartLabelW }

// NumX is where a bar's count is written, after the bar.
func (b hotspotBar) NumX() int { return chartLabelW + b.Width + 6 }

// hotspotTable is what the "hotrows" template draws: one table's rows, the
// page (for its messages and formats), and whether the rows are tested.
type hotspotTable struct {
	P        *hotspotsPage
	Rows     []hotspotRow
	Emerging bool
}

// Table returns the table of kind (top, recurring, emerging).
func (p *hotspotsPage) Table(kind string) hotspotTable {
	switch civicgrid.HotspotKind(kind) {
	case civicgrid.HotspotRecurring:
		return hotspotTable{P: p, Rows: p.Recurring}
	case civicgrid.HotspotEmerging:
		return hotspotTable{P: p, Rows: p.Emerging, Emerging: true}
	}
	return hotspotTable{P: p, Rows: p.Top}
}

// hiddenField is a filter the case list's form keeps without showing a
// control for it.
type hiddenField struct{ Name, Value string }

// DrillDown returns the case list's filters that a hotspot's link sets and
// its form has no control for (the cell, the creation dates), so that the
// form keeps them when other filters change.
func (m *caseListPage) DrillDown() []hiddenField {
	q, _ := url.ParseQuery(m.Query)
	var out []hiddenField
	for _, k := range []string{"cell", "component", "created_from", "created_to"} {
		if v := q.Get(k); v != "" {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}
