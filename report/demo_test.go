package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
	"civicgrid/report"
	"civicgrid/sqlite"
)

// demoNow is the end of the demo year.
var demoNow = time.Date(2026, 5, 20, 10, 30, 0, 0, civicgrid.DefaultCalendar().Location())

// openDemo builds a demo city of n cases in a fresh SQLite file and returns
// a builder over it and a context acting as the system.
func openDemo(t testing.TB, n int) (*report.Builder, context.Context) {
	t.Helper()
	ctx := context.Background()
	loc := civicgrid.DefaultCalendar().Location()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), sqlite.Options{Location: loc, Synchronous: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hasher := password.New(password.Params{Memory: 64, Time: 1, Threads: 1})
	if _, err := demo.Build(ctx, db, db.BulkLoad, demo.Options{Seed: 1, Now: demoNow, Cases: n, Hash: hasher.Hash}); err != nil {
		t.Fatal(err)
	}
	city, err := civicgrid.NewCityHolder(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return demoNow }
	b := &report.Builder{Stats: civicgrid.NewStatsService(db, city.City, civicgrid.DefaultStatsConfig()),
		Cases: civicgrid.NewCaseService(db, city.City, clock), City: city.City, Now: clock}
	return b, civicgrid.WithActor(ctx, civicgrid.SystemUser)
}

// TestDemoMonthlyReportSpeed builds and renders the monthly report of the
// full demo city (50,000 cases) and checks it takes under a second.
func TestDemoMonthlyReportSpeed(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the full demo takes twenty seconds to build (minutes under -race); run without -short and -race")
	}
	b, ctx := openDemo(t, demo.DefaultCases)
	day := civicgrid.Date{Year: 2026, Month: 4, Day: 15}
	for _, k := range report.Kinds {
		var best time.Duration
		var size int
		for range 3 {
			start := time.Now()
			r, err := b.Build(ctx, k, day)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Create(filepath.Join(t.TempDir(), "r.html"))
			if err != nil {
				t.Fatal(err)
			}
			if err := report.WriteHTML(f, r, report.HTMLOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := report.WriteXLSX(f, r, "zh"); err != nil {
				t.Fatal(err)
			}
			st, _ := f.Stat()
			size = int(st.Size())
			f.Close()
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		t.Logf("%s report of the demo city: built and rendered (HTML and XLSX, %d bytes) in %v", k, size, best)
		if best > time.Second {
			t.Errorf("%s report took %v, over 1 s", k, best)
		}
	}
}

// TestBuildDemo builds each kind of report over a small demo city and
// checks that its numbers are the statistics service's, and that the
// HTML and the workbook are whole.
func TestBuildDemo(t *testing.T) {
	b, ctx := openDemo(t, 800)
	day := civicgrid.Date{Year: 2026, Month: 4, Day: 15}
	r, err := b.Build(ctx, report.Monthly, day)
	if err != nil {
		t.Fatal(err)
	}
	// The same numbers as GET /api/v1/stats.
	for _, dim := range []civicgrid.StatDim{civicgrid.DimCity, civicgrid.DimUnit} {
		res, err := b.Stats.Query(ctx, civicgrid.StatsQuery{GroupBy: dim, From: r.Period.From, To: r.Period.To})
		if err != nil {
			t.Fatal(err)
		}
		switch dim {
		case civicgrid.DimCity:
			for _, f := range r.Summary {
				if f.Duration {
					continue // checked against the durations below
				}
				want := res.Rows[0].Rates[f.Code]
				if !f.Rate {
					v := float64(res.Rows[0].Counts[f.Code])
					want = &v
				}
				if (want == nil) != (f.Value == nil) || (want != nil && *want != *f.Value) {
					t.Errorf("summary %s = %v, stats say %v", f.Code, f.Value, want)
				}
			}
		case civicgrid.DimUnit:
			due := map[string]int64{}
			for _, row := range res.Rows {
				due[row.Name.Zh] = row.Counts["due_closing"]
			}
			units := r.Table("units")
			if len(units.Rows) == 0 {
				t.Fatal("no unit ranked")
			}
			for _, row := range units.Rows {
				if int64(row[2].Num) != due[row[1].Text.Zh] {
					t.Errorf("unit %s: due %v, stats say %d", row[1].Text.Zh, row[2].Num, due[row[1].Text.Zh])
				}
			}
		}
	}
	// The closing times (结案用时) are GET /api/v1/stats/durations's.
	checkClosing(t, ctx, b, r)
	for _, id := range []string{"operation", "intake", "rates", "units", "closing_units", "districts", "streets", "cells", "communities", "overdue_units", "recurrences", "trend"} {
		if r.Table(id) == nil {
			t.Errorf("no table %s", id)
		}
	}
	if n := len(r.Trend.Labels); n != 12 || r.Trend.Labels[11] != "2026-04" {
		t.Errorf("trend labels %v", r.Trend.Labels)
	}
	for _, lang := range []string{"zh", "en"} {
		var buf bytes.Buffer
		if err := report.WriteHTML(&buf, r, report.HTMLOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		html := buf.String()
		if strings.Contains(html, "<script") || strings.Count(html, "http") != strings.Count(html, `xmlns="http://www.w3.org/2000/svg"`) {
			t.Errorf("%s: the HTML has a script or an external URL", lang)
		}
		if strings.Count(html, "<svg") != 3 || !strings.Contains(html, "@media print") || !strings.Contains(html, "break-before: page") {
			t.Errorf("%s: the HTML lacks its charts or print styles", lang)
		}
		if strings.Contains(html, "[") && regexp.MustCompile(`\[[a-z_]+\]`).MatchString(html) {
			t.Errorf("%s: a missing label: %s", lang, regexp.MustCompile(`\[[a-z_]+\]`).FindString(html))
		}
		want := map[string]string{"zh": "按期结案率", "en": "On-time closing rate"}[lang]
		if !strings.Contains(html, want) {
			t.Errorf("%s: no %q", lang, want)
		}
	}
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, r, "zh"); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	sheets := 0
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			sheets++
		}
	}
	if sheets != 1+len(r.AllTables()) {
		t.Errorf("%d sheets for %d tables", sheets, len(r.AllTables()))
	}
	// A district's leader gets the district's report: its numbers as the
	// totals, no unit ranking (units cross districts).
	leader := civicgrid.WithActor(context.Background(), &civicgrid.User{ID: 1 << 40, Role: civicgrid.RoleLeader, AreaCode: "330106", Active: true})
	dr, err := b.Build(leader, report.Monthly, day)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Stats.Query(leader, civicgrid.StatsQuery{GroupBy: civicgrid.DimDistrict, From: dr.Period.From, To: dr.Period.To})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("district stats: %v %+v", err, res)
	}
	if *dr.Summary[0].Value != float64(res.Rows[0].Counts["reported"]) || *dr.Summary[0].Value >= *r.Summary[0].Value ||
		len(dr.Table("units").Rows) != 0 || !strings.HasSuffix(dr.City, res.Rows[0].Name.Zh) {
		t.Errorf("district report: %s, reported %v (district %d, city %v), %d units", dr.City, *dr.Summary[0].Value,
			res.Rows[0].Counts["reported"], *r.Summary[0].Value, len(dr.Table("units").Rows))
	}
	for _, row := range dr.Table("cells").Rows {
		if !strings.HasPrefix(row[1].Text.Zh, "330106") {
			t.Errorf("the district report lists cell %s", row[1].Text.Zh)
		}
	}
	for _, k := range []report.Kind{report.Daily, report.Weekly} {
		r, err := b.Build(ctx, k, day)
		if err != nil {
			t.Fatal(err)
		}
		if r.Period.Kind != k || len(r.Trend.Labels) != map[report.Kind]int{report.Daily: 30, report.Weekly: 8}[k] {
			t.Errorf("%s: period %+v, %d trend points", k, r.Period, len(r.Trend.Labels))
		}
	}
}

// checkClosing checks the closing times of r against the statistics
// service's durations: the city's median and 90th percentile among the
// headline figures and atop the closing table, each unit's row below.
func checkClosing(t *testing.T, ctx context.Context, b *report.Builder, r *report.Report) {
	t.Helper()
	q := civicgrid.StatsQuery{GroupBy: civicgrid.DimCity, From: r.Period.From, To: r.Period.To, Metrics: []string{"closing_time"}}
	city, err := b.Stats.Durations(ctx, q)
	if err != nil || len(city.Rows) != 1 {
		t.Fatalf("city durations: %v %+v", err, city)
	}
	st := city.Rows[0].Durations["closing_time"]
	if st.N == 0 {
		t.Fatal("nothing closed in the period")
	}
	t.Logf("%s: %d cases closed, median %s, 90th percentile %s", r.Period.Label(), st.N,
		report.DurationText(*st.MedianSeconds).Zh, report.DurationText(float64(*st.P90Seconds)).Zh)
	figures := map[string]*float64{}
	for _, f := range r.Summary {
		if f.Duration {
			figures[f.Code] = f.Value
		}
	}
	if v := figures["closing_time_median"]; v == nil || *v != *st.MedianSeconds {
		t.Errorf("summary median %v, stats say %v", v, *st.MedianSeconds)
	}
	if v := figures["closing_time_p90"]; v == nil || *v != float64(*st.P90Seconds) {
		t.Errorf("summary p90 %v, stats say %v", v, *st.P90Seconds)
	}
	tb := r.Table("closing_units")
	if tb == nil || len(tb.Rows) < 2 {
		t.Fatalf("closing table: %+v", tb)
	}
	if row := tb.Rows[0]; row[1].Num != float64(st.N) || row[2].Num != *st.MedianSeconds || row[3].Num != float64(*st.P90Seconds) || row[4].Num != *st.MeanSeconds {
		t.Errorf("closing table's city row %+v, stats say %+v", row, st)
	}
	q.GroupBy = civicgrid.DimUnit
	units, err := b.Stats.Durations(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*civicgrid.DurationStat{}
	for _, u := range units.Rows {
		byName[u.Name.Zh] = u.Durations["closing_time"]
	}
	var last float64
	for _, row := range tb.Rows[1:] {
		want := byName[row[0].Text.Zh]
		if want == nil || row[1].Num != float64(want.N) || row[2].Num != *want.MedianSeconds || row[3].Num != float64(*want.P90Seconds) {
			t.Errorf("closing table row %s %+v, stats say %+v", row[0].Text.Zh, row, want)
		}
		if row[2].Num < last {
			t.Errorf("closing table not quickest first at %s", row[0].Text.Zh)
		}
		last = row[2].Num
	}
}
