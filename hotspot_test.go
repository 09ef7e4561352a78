package civicgrid_test

import (
	"math"
	"testing"
	"time"

	"civicgrid"
)

// TestPoissonTail checks the one-sided p-value against values computed
// exactly (80-digit decimal sums of the Poisson terms).
func TestPoissonTail(t *testing.T) {
	for _, tc := range []struct {
		k      int64
		lambda float64
		want   float64
	}{
		{0, 3, 1},
		{1, 1, 6.321205588285577e-01}, // 1 − e^−1
		{3, 0.5, 1.438767796697069e-02},
		{5, 5, 5.595067149347875e-01},
		{10, 2, 4.649807501726380e-05},
		{12, 2, 1.364615159615195e-06},
		{5, 0.25, 6.611710561034247e-06},
		{30, 3, 4.277047721426897e-20},
		{50, 40, 7.033506665939496e-02},
		{100, 10, 5.398589728139581e-63},
		{1, 0, 0},
	} {
		got := civicgrid.PoissonTail(tc.k, tc.lambda)
		if math.Abs(got-tc.want) > 1e-12*tc.want {
			t.Errorf("P(X ≥ %d | λ = %g) = %.15e, want %.15e", tc.k, tc.lambda, got, tc.want)
		}
	}
	if s := civicgrid.HotspotScore(math.Log(0.01)); math.Abs(s-2) > 1e-12 {
		t.Errorf("score of p = 0.01 = %v, want 2", s)
	}
	// Far beyond a float64's smallest p the log still orders places.
	if lp := civicgrid.LogPoissonTail(2000, 1); math.IsInf(lp, 0) || lp > -10000 {
		t.Errorf("ln P(X ≥ 2000 | λ = 1) = %v, want a finite number below −10000", lp)
	}
}

// TestRecurrence: a new case of a category in a cell that had one within
// the window (30 days by default, then the configured one) is marked at
// intake and counted as recurred; a folded report and an older case are
// not recurrences.
func TestRecurrence(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	hot := civicgrid.NewHotspotService(stats)
	open := func(distinct bool) *civicgrid.IntakeResult {
		return w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Distinct: distinct})
	}
	recurs := func(c *civicgrid.Case) string {
		t.Helper()
		var evs []*civicgrid.CaseEvent
		err := w.db.View(ctx, func(tx civicgrid.Tx) error {
			var err error
			evs, err = tx.FindEvents(ctx, c.ID)
			return err
		})
		if err != nil || len(evs) == 0 {
			t.Fatalf("events of %s: %v", c.Number, err)
		}
		return evs[0].Data[civicgrid.DataRecurs]
	}

	first := open(false).Case
	if got := recurs(first); got != "" {
		t.Errorf("the first case recurs %q", got)
	}
	if res := open(false); !res.Folded {
		t.Fatal("a second report at once was not folded")
	}
	w.clock.Advance(5 * 24 * time.Hour)
	second := open(true).Case
	if got := recurs(second); got != first.Number {
		t.Errorf("five days later: recurs %q, want %s", got, first.Number)
	}
	w.clock.Advance(31 * 24 * time.Hour)
	third := open(true).Case
	if got := recurs(third); got != "" {
		t.Errorf("31 days after the last: recurs %q, want none", got)
	}
	if err := hot.SetConfig(w.as(ctx, civicgrid.RoleOperator), civicgrid.HotspotConfig{RecurrenceDays: 60}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("an operator configures hotspots: %v", err)
	}
	for _, bad := range []civicgrid.HotspotConfig{{MaxP: math.NaN()}, {ZeroBaseline: math.NaN()}, {MaxP: 1}} {
		if err := hot.SetConfig(sys, bad); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("SetConfig(%+v): %v, want invalid", bad, err)
		}
	}
	if err := hot.SetConfig(sys, civicgrid.HotspotConfig{RecurrenceDays: 60}); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(40 * 24 * time.Hour)
	fourth := open(true).Case
	if got := recurs(fourth); got != third.Number {
		t.Errorf("40 days later with a 60-day window: recurs %q, want %s", got, third.Number)
	}
	w.act(t, fourth, civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionCancel, Note: "不属实"})
	w.clock.Advance(24 * time.Hour)
	if got := recurs(open(true).Case); got != fourth.Number {
		t.Errorf("after a case cancelled since: recurs %q, want %s (what became of a case does not change the rule)", got, fourth.Number)
	}

	from, to := civicgrid.DateOf(first.CreatedAt), civicgrid.DateOf(w.clock.Now()).AddDays(1)
	res, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: civicgrid.DimCellCategory, From: from, To: to, Metrics: []string{"reported", "recurred"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 || res.Rows[0].Key != "330102001001001|"+garbage || res.Rows[0].Counts["recurred"] != 3 || res.Rows[0].Counts["reported"] != 6 {
		t.Fatalf("cell × category: %+v", res.Rows)
	}
	rec, err := hot.Recurring(w.as(ctx, civicgrid.RoleLeader), civicgrid.HotspotQuery{Category: garbage, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Rows) != 1 || rec.Rows[0].Recurred != 3 || rec.Rows[0].Cases.Query != "category="+garbage+"&cell=330102001001001&created_from="+from.String()+"&created_to="+to.AddDays(-1).String() {
		t.Errorf("recurring: %+v", rec.Rows[0])
	}
	if _, err := hot.Top(w.as(ctx, civicgrid.RoleInspector), civicgrid.HotspotQuery{From: from, To: to}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("an inspector asks for hotspots: %v", err)
	}
	if check, err := stats.Verify(sys); err != nil || len(check.Diffs) > 0 {
		t.Fatalf("verify: %v %v", check, err)
	}
}

// TestCellScores: the map's shading is the Poisson score of each cell's
// reports in the period against its baseline, the floor for a cell with
// none before; a quiet cell is absent.
func TestCellScores(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	hot := civicgrid.NewHotspotService(civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig()))
	for range 3 {
		w.reportAt(t, civicgrid.RoleOperator, civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Distinct: true})
		w.clock.Advance(time.Minute)
	}
	day := civicgrid.DateOf(w.clock.Now())
	scores, err := hot.CellScores(w.as(ctx, civicgrid.RoleLeader), day, day.AddDays(1))
	if err != nil {
		t.Fatal(err)
	}
	// A one-day period: the baseline is the 56 days before, all quiet,
	// so the floor of 0.25 a week, 0.25/7 a day.
	want := civicgrid.HotspotScore(civicgrid.LogPoissonTail(3, 0.25/7))
	if len(scores) != 1 || math.Abs(scores["330102001001001"]-want) > 1e-9 || want < 3 {
		t.Errorf("scores = %v, want only 330102001001001 at %.3f", scores, want)
	}
	if _, err := hot.CellScores(w.as(ctx, civicgrid.RoleUnit), day, day.AddDays(1)); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("a unit's scores: %v", err)
	}
	if _, err := hot.CellScores(w.as(ctx, civicgrid.RoleLeader), day, day); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("an empty period: %v", err)
	}
}
