package civicgrid_test

import (
	"strconv"
	"testing"

	"civicgrid"
)

// TestPersonAttribution plays, through the real services on SQLite, the
// events that make DOMAIN §6.3's per-person items measurable: an inspector's
// report filed (their valid report), a dispatch returned by the unit (held
// against the dispatcher who made it) and dispatched again, and a public
// report filed in the inspector's cell (their 漏报). The statistics keep
// each by the right person, agree with a recomputation from the events,
// and the inspector and dispatcher leagues score every item.
func TestPersonAttribution(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	insp, disp := w.users[civicgrid.RoleInspector], w.users[civicgrid.RoleDispatcher]

	c, err := w.cases.Report(w.as(ctx, civicgrid.RoleInspector), civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Description: "垃圾满溢", Source: civicgrid.SourceInspector})
	if err != nil {
		t.Fatal(err)
	}
	if full, _, err := w.cases.Find(w.as(ctx, civicgrid.RoleAdmin), c.ID); err != nil || full.Reporter.UserID != insp.ID {
		t.Fatalf("an inspector's report: %v, reporter %+v, want user %d", err, full, insp.ID)
	}
	c = w.act(t, c, civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch})
	if c.DispatcherID != disp.ID {
		t.Fatalf("dispatched case: dispatcher %d, want %d", c.DispatcherID, disp.ID)
	}
	c = w.act(t, c, civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionReturn, Note: "非我单位"})
	got, events, err := w.cases.Find(w.as(ctx, civicgrid.RoleAdmin), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DispatcherID != 0 {
		t.Errorf("returned case keeps dispatcher %d", got.DispatcherID)
	}
	last := events[len(events)-1]
	if last.Action != civicgrid.ActionReturn || last.Data[civicgrid.DataDispatcher] != strconv.FormatInt(int64(disp.ID), 10) {
		t.Errorf("return event %s names dispatcher %q, want %d", last.Action, last.Data[civicgrid.DataDispatcher], disp.ID)
	}
	w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch, UnitID: w.units["municipal"].ID})

	// A hotline report in the inspector's cell, not a duplicate of theirs.
	pub, err := w.cases.Report(w.as(ctx, civicgrid.RoleOperator), civicgrid.ReportInput{CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505,
		Description: "又有垃圾", Source: civicgrid.SourceHotline, Distinct: true})
	if err != nil {
		t.Fatal(err)
	}
	w.act(t, pub, civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionFile})

	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	day := civicgrid.DateOf(w.clock.Now())
	q := func(dim civicgrid.StatDim, key string) *civicgrid.StatRow {
		t.Helper()
		res, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: dim, From: day, To: day.AddDays(1)})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Rows {
			if r.Key == key {
				return r
			}
		}
		t.Fatalf("no %s row %s", dim, key)
		return nil
	}
	d := q(civicgrid.DimOperator, strconv.FormatInt(int64(disp.ID), 10))
	if d.Counts["dispatched"] != 2 || d.Counts["returned"] != 1 || d.Counts["accurately_dispatched"] != 1 {
		t.Errorf("dispatcher counts %v, want 2 dispatched, 1 returned, 1 accurate", d.Counts)
	}
	if r := d.Rates["rate_accurately_dispatched"]; r == nil || *r != 0.5 {
		t.Errorf("dispatcher's accurate dispatch rate %v, want 0.5", r)
	}
	i := q(civicgrid.DimInspector, strconv.FormatInt(int64(insp.ID), 10))
	if i.Counts["reported"] != 1 || i.Counts["valid_reported"] != 1 {
		t.Errorf("inspector counts %v, want 1 reported, 1 valid", i.Counts)
	}
	if check, err := stats.Verify(sys); err != nil || len(check.Diffs) != 0 {
		t.Fatalf("verify: %v, %v", check, err)
	}

	evals := civicgrid.NewEvaluationService(w.db, stats, w.city.City, civicgrid.DefaultEvaluationConfig(), w.clock.Now)
	month := w.clock.Now().Format("2006-01")
	il, err := evals.League(sys, civicgrid.EvaluationQuery{Kind: civicgrid.EvalInspector, Month: month})
	if err != nil {
		t.Fatal(err)
	}
	row := il.Row(strconv.FormatInt(int64(insp.ID), 10))
	switch {
	case len(il.Unavailable) != 0:
		t.Errorf("inspector league: items %v unavailable", il.Unavailable)
	case row == nil:
		t.Fatal("no league row for the inspector")
	case row.Counts["public_reported"] != 1 || row.Counts["filed"] != 2:
		t.Errorf("inspector's cells: %v, want 1 public report of 2 filed", row.Counts)
	case row.SubScores["rate_public_reported"] == nil || *row.SubScores["rate_public_reported"] != 50:
		t.Errorf("漏报 sub-score %v, want 50", row.SubScores["rate_public_reported"])
	case row.SubScores["rate_valid_reported"] == nil || *row.SubScores["rate_valid_reported"] != 100:
		t.Errorf("valid report sub-score %v, want 100", row.SubScores["rate_valid_reported"])
	}
	dl, err := evals.League(sys, civicgrid.EvaluationQuery{Kind: civicgrid.EvalDispatcher, Month: month})
	if err != nil {
		t.Fatal(err)
	}
	if dr := dl.Row(strconv.FormatInt(int64(disp.ID), 10)); len(dl.Unavailable) != 0 || dr == nil ||
		dr.SubScores["rate_accurately_dispatched"] == nil || *dr.SubScores["rate_accurately_dispatched"] != 50 {
		t.Errorf("dispatcher league: unavailable %v, row %+v", dl.Unavailable, dr)
	}
}
