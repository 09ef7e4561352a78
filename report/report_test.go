package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/report"
)

func date(s string) civicgrid.Date {
	d, err := civicgrid.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		kind               report.Kind
		day                string
		from, to, prevFrom string
		label              string
	}{
		{report.Daily, "2026-03-15", "2026-03-15", "2026-03-16", "2026-03-14", "2026-03-15"},
		{report.Daily, "2026-03-01", "2026-03-01", "2026-03-02", "2026-02-28", "2026-03-01"},
		{report.Weekly, "2026-03-15", "2026-03-09", "2026-03-16", "2026-03-02", "2026-W11 (2026-03-09 – 2026-03-15)"}, // a Sunday
		{report.Weekly, "2026-03-09", "2026-03-09", "2026-03-16", "2026-03-02", "2026-W11 (2026-03-09 – 2026-03-15)"}, // a Monday
		{report.Weekly, "2026-01-01", "2025-12-29", "2026-01-05", "2025-12-22", "2026-W01 (2025-12-29 – 2026-01-04)"},
		{report.Monthly, "2026-03-15", "2026-03-01", "2026-04-01", "2026-02-01", "2026-03"},
		{report.Monthly, "2025-12-31", "2025-12-01", "2026-01-01", "2025-11-01", "2025-12"},
		{report.Monthly, "2026-01-10", "2026-01-01", "2026-02-01", "2025-12-01", "2026-01"},
	} {
		t.Run(string(tc.kind)+" "+tc.day, func(t *testing.T) {
			p := report.PeriodOf(tc.kind, date(tc.day))
			if p.From.String() != tc.from || p.To.String() != tc.to || p.Previous().From.String() != tc.prevFrom || p.Label() != tc.label {
				t.Errorf("got %s..%s, previous from %s, label %q", p.From, p.To, p.Previous().From, p.Label())
			}
			if p.Previous().To != p.From {
				t.Errorf("the previous period ends %s, not at %s", p.Previous().To, p.From)
			}
		})
	}
	today := date("2026-03-18") // a Wednesday
	for k, want := range map[report.Kind]string{report.Daily: "2026-03-17", report.Weekly: "2026-03-15", report.Monthly: "2026-02-28"} {
		if got := report.DefaultDate(k, today); got.String() != want {
			t.Errorf("DefaultDate(%s) = %s, want %s", k, got, want)
		}
	}
	if _, err := report.ParseKind("yearly"); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("ParseKind(yearly): %v", err)
	}
}

// fakeStats answers from fixed counts: unit rows per period start, and a
// city row made of their sums.
type fakeStats struct {
	units map[civicgrid.Date]map[string]map[string]int64 // period start → unit id → counts
}

func (f *fakeStats) Query(ctx context.Context, q civicgrid.StatsQuery) (*civicgrid.StatsResult, error) {
	res := &civicgrid.StatsResult{GroupBy: q.GroupBy, From: q.From, To: q.To, DefinitionsVersion: 1}
	units := f.units[q.From]
	switch q.GroupBy {
	case civicgrid.DimUnit:
		for id, counts := range units {
			res.Rows = append(res.Rows, statRow(id, "单位"+id, counts))
		}
	case civicgrid.DimCity:
		sum := map[string]int64{}
		for _, counts := range units {
			for k, n := range counts {
				sum[k] += n
			}
		}
		res.Rows = append(res.Rows, statRow("all", "城市", sum))
	}
	return res, nil
}

// Series answers each period of q's span as Query does for a period
// starting then.
func (f *fakeStats) Series(ctx context.Context, q civicgrid.StatsQuery, iv civicgrid.Interval) (*civicgrid.StatsSeries, error) {
	out := &civicgrid.StatsSeries{GroupBy: q.GroupBy, Interval: iv, From: q.From, To: q.To, DefinitionsVersion: 1}
	for from := q.From; from.Before(q.To); from = iv.Next(from) {
		pq := q
		pq.From, pq.To = from, iv.Next(from)
		res, err := f.Query(ctx, pq)
		if err != nil {
			return nil, err
		}
		out.Periods = append(out.Periods, &civicgrid.StatsPeriod{From: pq.From, To: pq.To, Rows: res.Rows})
	}
	return out, nil
}

// Durations answers no closing times.
func (f *fakeStats) Durations(ctx context.Context, q civicgrid.StatsQuery) (*civicgrid.DurationsResult, error) {
	return &civicgrid.DurationsResult{GroupBy: q.GroupBy, From: q.From, To: q.To, Rows: []*civicgrid.DurationRow{}}, nil
}

// statRow is a row with counts and the rates they make.
func statRow(key, name string, counts map[string]int64) *civicgrid.StatRow {
	r := &civicgrid.StatRow{Key: key, Name: civicgrid.Text{Zh: name, En: "Unit " + key}, Counts: map[string]int64{}, Rates: map[string]*float64{}}
	for k, n := range counts {
		r.Counts[k] = n
	}
	for _, m := range civicgrid.DefaultStatsConfig().Metrics() {
		if m.Kind == civicgrid.MetricRate && r.Counts[m.Counts[1]] > 0 {
			v := float64(r.Counts[m.Counts[0]]) / float64(r.Counts[m.Counts[1]])
			r.Rates[m.Code] = &v
		}
	}
	return r
}

// fixtureCity is an empty city.
func fixtureCity() *civicgrid.City {
	return &civicgrid.City{Name: "测试市", Grid: civicgrid.NewGrid(nil, nil), Calendar: civicgrid.DefaultCalendar()}
}

func counts(due, onTime int64) map[string]int64 {
	return map[string]int64{"due_closing": due, "closed": due, "closed_on_time": onTime}
}

// TestSlippingUnit: a unit whose on-time closing rate drops sharply on a
// large volume is named with its numbers; a stable unit, and a sharp drop
// on too few cases, are not.
func TestSlippingUnit(t *testing.T) {
	march, april := date("2026-03-01"), date("2026-04-01")
	for _, tc := range []struct {
		name       string
		prev, cur  map[string]int64
		wantKind   string
		wantZh     []string
		wantEn     []string
		notSlipped bool
	}{
		{name: "sharp drop", prev: counts(200, 180), cur: counts(200, 140), wantKind: "slipping_unit",
			wantZh: []string{"单位7 按期结案率由上期 90.0% 降至 70.0%，下降 20.0 个百分点", "本期应结案 200 件，约少 40 件按期结案", "z = 5.00"},
			wantEn: []string{"Unit 7: on-time closing fell from 90.0% to 70.0%, down 20.0 points (200 cases due, about 40 fewer closed on time; z = 5.00, significant"}},
		{name: "stable", prev: counts(200, 180), cur: counts(210, 187), wantKind: "units_stable", notSlipped: true,
			wantZh: []string{"两期应结案均不少于 30 件的 1 个单位中，没有单位的按期结案率显著下降"}},
		{name: "drop on few cases", prev: counts(40, 36), cur: counts(30, 24), notSlipped: true},
		{name: "small significant drop", prev: counts(5000, 4750), cur: counts(5000, 4600), notSlipped: true, wantKind: "units_stable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stats := &fakeStats{units: map[civicgrid.Date]map[string]map[string]int64{
				march: {"7": tc.prev}, april: {"7": tc.cur},
			}}
			b := &report.Builder{Stats: stats, City: fixtureCity, Now: func() time.Time { return time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC) }}
			r, err := b.Build(t.Context(), report.Monthly, date("2026-04-15"))
			if err != nil {
				t.Fatal(err)
			}
			var got *report.Recommendation
			for _, rec := range r.Recommendations {
				if rec.Kind == "slipping_unit" && tc.notSlipped {
					t.Errorf("a slipping line for a unit that did not slip: %s", rec.Text.Zh)
				}
				if rec.Kind == tc.wantKind {
					got = rec
				}
			}
			if tc.wantKind == "" {
				return
			}
			if got == nil {
				t.Fatalf("no %s recommendation in %+v", tc.wantKind, r.Recommendations)
			}
			for _, s := range tc.wantZh {
				if !strings.Contains(got.Text.Zh, s) {
					t.Errorf("the line %q lacks %q", got.Text.Zh, s)
				}
			}
			for _, s := range tc.wantEn {
				if !strings.Contains(got.Text.En, s) {
					t.Errorf("the line %q lacks %q", got.Text.En, s)
				}
			}
		})
	}
}

// fakeCases answers a list of a cell's cases with the same category
// over and over, and the overdue count of a unit.
type fakeCases struct{ cases []*civicgrid.Case }

func (f *fakeCases) List(ctx context.Context, flt civicgrid.CaseFilter) (*civicgrid.CasePage, error) {
	var out []*civicgrid.Case
	for _, c := range f.cases {
		if strings.HasPrefix(c.CellCode, flt.AreaCode) {
			out = append(out, c)
		}
	}
	return &civicgrid.CasePage{Items: out, Total: len(out)}, nil
}

// cellStats adds cell rows to fakeStats.
type cellStats struct {
	fakeStats
	cells map[string]int64 // cell → reports, in every period
	pairs map[string]int64 // cell|category → reports, in every period
}

func (f *cellStats) Query(ctx context.Context, q civicgrid.StatsQuery) (*civicgrid.StatsResult, error) {
	counts := f.cells
	switch q.GroupBy {
	case civicgrid.DimCell:
	case civicgrid.DimCellCategory:
		counts = f.pairs
	default:
		return f.fakeStats.Query(ctx, q)
	}
	res := &civicgrid.StatsResult{GroupBy: q.GroupBy, From: q.From, To: q.To}
	for key, n := range counts {
		res.Rows = append(res.Rows, statRow(key, "", map[string]int64{"reported": n}))
	}
	return res, nil
}

// TestRecurringCell: a cell producing exposed garbage again and again is
// named, with the count, and put on tomorrow's patrol list.
func TestRecurringCell(t *testing.T) {
	const cell, quiet = "330102001001001", "330102001001002"
	// Five reports of exposed garbage (暴露垃圾) and one other in the cell,
	// one in a quiet cell.
	pairs := map[string]int64{cell + "|SJ0102": 5, cell + "|SJ0201": 1, quiet + "|SJ0102": 1}
	city := fixtureCity()
	city.Categories = map[string]*civicgrid.Category{"SJ0102": {Code: "SJ0102", Name: civicgrid.Text{Zh: "暴露垃圾", En: "Exposed garbage"}}}
	b := &report.Builder{Stats: &cellStats{cells: map[string]int64{cell: 6, quiet: 1}, pairs: pairs}, Cases: &fakeCases{},
		City: func() *civicgrid.City { return city }}
	r, err := b.Build(t.Context(), report.Daily, date("2026-04-15"))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, rec := range r.Recommendations {
		text.WriteString(rec.Kind + ": " + rec.Text.Zh + "\n")
	}
	for _, want := range []string{
		"recurring_cell: 网格 330102001001001（）在 2026-03-19 至 2026-04-15 反复出现「暴露垃圾」5 件（该网格同期上报 6 件）",
		"patrol_cells: 2026-04-16 的巡查建议重点覆盖：330102001001001（，近 7 天上报 6 件）。",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the recommendations lack %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), quiet) {
		t.Errorf("a cell with one report is recommended:\n%s", text.String())
	}
	if tb := r.Table("recurrences"); tb == nil || len(tb.Rows) != 1 || tb.Rows[0][3].Num != 5 {
		t.Errorf("recurrences table: %+v", tb)
	}
}

// TestCSV: a BOM, the titles in the language, rates as percentages and
// nothing for a missing rate.
func TestCSV(t *testing.T) {
	tb := &report.Table{ID: "units", Columns: []report.Column{
		{Key: "unit", Title: civicgrid.Text{Zh: "单位", En: "Unit"}, Kind: report.Label},
		{Key: "n", Title: civicgrid.Text{Zh: "数, \"量\"", En: "N"}, Kind: report.Count},
		{Key: "r", Title: civicgrid.Text{Zh: "率", En: "Rate"}, Kind: report.Rate},
	}, Rows: [][]report.Value{
		{{Text: civicgrid.Text{Zh: "环卫处", En: "Sanitation"}}, {Num: 12}, {Num: 0.8527}},
		{{Text: civicgrid.Text{Zh: "市政"}}, {Num: 0}, {Null: true}},
	}}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, tb, "zh"); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF单位,\"数, \"\"量\"\"\",率\r\n环卫处,12,85.27%\r\n市政,0,\r\n"
	if buf.String() != want {
		t.Errorf("got %q\nwant %q", buf.String(), want)
	}
	buf.Reset()
	report.WriteCSV(&buf, tb, "en")
	if !strings.HasPrefix(buf.String(), "\uFEFFUnit,N,Rate\r\nSanitation,12,") || !strings.Contains(buf.String(), "\r\n市政,0,") {
		t.Errorf("English: %q", buf.String())
	}
}
