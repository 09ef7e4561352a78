package demo_test

import (
	"context"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
)

// TestStatsOfTheDemo: the aggregates the demo wrote with its events equal
// a recomputation from the events, and the city's totals match what the
// cases themselves say.
func TestStatsOfTheDemo(t *testing.T) {
	b := smallCity(t)
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	stats := civicgrid.NewStatsService(b.db, func() *civicgrid.City { return b.city }, civicgrid.DefaultStatsConfig())
	check, err := stats.Verify(sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Diffs) > 0 || check.Cases != len(b.cases) {
		t.Fatalf("verify: %s; first differences %+v", check, check.Diffs[:min(5, len(check.Diffs))])
	}
	t.Logf("verify: %s in %v", check, check.Took)

	res, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: civicgrid.DimCity, From: civicgrid.DateOf(testNow).AddDays(-400), To: civicgrid.DateOf(testNow).AddDays(60)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("%d city rows", len(res.Rows))
	}
	got := res.Rows[0].Counts
	want := map[string]int64{}
	for _, c := range b.cases {
		want["reported"] += int64(c.Reports)
		switch c.Status {
		case civicgrid.StatusClosed:
			want["closed"]++
		case civicgrid.StatusCancelled:
			want["cancelled"]++
		}
		for _, ev := range b.events[c.ID] {
			if ev.Action == civicgrid.ActionFile {
				want["filed"]++
			}
		}
	}
	for code, n := range want {
		if got[code] != n {
			t.Errorf("city %s = %d, the cases say %d", code, got[code], n)
		}
	}
	for _, code := range []string{"rate_closed", "rate_handled_on_time", "rate_valid_reported", "rate_accurately_filed"} {
		if r := res.Rows[0].Rates[code]; r == nil || *r <= 0.3 || *r > 1.2 {
			t.Errorf("city %s = %v: implausible", code, r)
		}
	}
}

// BenchmarkStatsMonthByUnit times the month × unit table of every count
// and rate on the full demo (50,000 cases): the query a dashboard makes.
// The 10-million-case benchmark is a later step.
func BenchmarkStatsMonthByUnit(b *testing.B) {
	if raceEnabled {
		b.Skip("the full demo takes minutes under the race detector")
	}
	ctx := context.Background()
	start := time.Now()
	db, res, err := build(ctx, b.TempDir(), demo.Options{Seed: 1, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.Logf("demo of %d cases and %d events built in %v", res.Cases, res.Events, time.Since(start).Round(time.Millisecond))
	city, err := civicgrid.NewCityHolder(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	stats := civicgrid.NewStatsService(db, city.City, civicgrid.DefaultStatsConfig())
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	q := civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: civicgrid.Date{Year: 2026, Month: 4, Day: 1}, To: civicgrid.Date{Year: 2026, Month: 5, Day: 1}}
	var rows int
	for b.Loop() {
		out, err := stats.Query(sys, q)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(out.Rows)
	}
	if rows < 20 {
		b.Fatalf("%d unit rows", rows)
	}
	b.ReportMetric(float64(rows), "rows")
	check, err := stats.Verify(sys)
	if err != nil || len(check.Diffs) > 0 {
		b.Fatalf("verify: %v %v", check, err)
	}
	b.Logf("verify: %s in %v", check, check.Took.Round(time.Millisecond))
}
