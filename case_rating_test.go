package civicgrid_test

import (
	"testing"
	"time"

	"civicgrid"
)

// citizenCase has the citizen report a garbage problem and walks it to
// closed unless open is set.
func (w *world) citizenCase(t *testing.T, open bool) *civicgrid.Case {
	t.Helper()
	c, err := w.cases.Report(w.as(t.Context(), civicgrid.RoleCitizen), civicgrid.ReportInput{
		CategoryCode: garbage, Lat: 30.2505, Lon: 120.1505, Description: "垃圾", Source: civicgrid.SourceWeb, Distinct: true})
	if err != nil {
		t.Fatal(err)
	}
	if open {
		return c
	}
	for _, st := range []struct {
		role civicgrid.Role
		in   civicgrid.ActionInput
	}{
		{civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionFile}},
		{civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch}},
		{civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionSign}},
		{civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionFinish, Note: "已清运"}},
		{civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionCheckRequest}},
		{civicgrid.RoleInspector, civicgrid.ActionInput{Action: civicgrid.ActionCheckPass}},
		{civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionClose}},
	} {
		c = w.act(t, c, st.role, st.in)
	}
	if c.Status != civicgrid.StatusClosed {
		t.Fatalf("walked to %s, want closed", c.Status)
	}
	return c
}

// TestRateRefusals: only the reporting citizen rates, only a closed case,
// only once, only 1 to 5; each refusal has its own code.
func TestRateRefusals(t *testing.T) {
	w := newWorld(t)
	closed := w.citizenCase(t, false)
	open := w.citizenCase(t, true)
	other := &civicgrid.User{Name: "citizen2", Role: civicgrid.RoleCitizen, Active: true, CreatedAt: w.clock.Now()}
	if err := w.db.Update(t.Context(), func(tx civicgrid.Tx) error { return tx.CreateUser(t.Context(), other) }); err != nil {
		t.Fatal(err)
	}
	citizen := w.as(t.Context(), civicgrid.RoleCitizen)
	good := civicgrid.RatingInput{Score: 5, Remark: "很快"}
	for _, tc := range []struct {
		name string
		ctx  func() any
		id   civicgrid.CaseID
		in   civicgrid.RatingInput
		want civicgrid.ErrorCode
	}{
		{"staff may not rate", nil, closed.ID, good, civicgrid.Forbidden},
		{"another citizen may not rate", nil, closed.ID, good, civicgrid.Forbidden},
		{"not closed", nil, open.ID, good, civicgrid.Conflict},
		{"score 0", nil, closed.ID, civicgrid.RatingInput{Score: 0}, civicgrid.Invalid},
		{"score 6", nil, closed.ID, civicgrid.RatingInput{Score: 6}, civicgrid.Invalid},
		{"no such case", nil, 999999, good, civicgrid.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := citizen
			switch tc.name {
			case "staff may not rate":
				ctx = w.as(t.Context(), civicgrid.RoleOperator)
			case "another citizen may not rate":
				ctx = civicgrid.WithActor(t.Context(), other)
			}
			_, err := w.cases.Rate(ctx, tc.id, tc.in)
			if got := civicgrid.ErrorCodeOf(err); got != tc.want {
				t.Fatalf("Rate: %v (%s), want %s", err, got, tc.want)
			}
		})
	}

	w.clock.Advance(time.Hour)
	ev, err := w.cases.Rate(citizen, closed.ID, good)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Action != civicgrid.ActionRate || ev.Data["score"] != "5" || ev.Note != "很快" || ev.To != civicgrid.StatusClosed {
		t.Errorf("rate event %+v", ev)
	}
	_, err = w.cases.Rate(citizen, closed.ID, civicgrid.RatingInput{Score: 1})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
		t.Fatalf("second rating: %v, want a conflict", err)
	}
	st, err := w.cases.RatingState(citizen, closed.ID)
	if err != nil || !st.Reporter || !st.Closed || st.Mine == nil || st.Mine.Score != 5 || st.CanRate() {
		t.Errorf("RatingState = %+v (%v), want the reporter's 5 and no second rating", st, err)
	}
	st, err = w.cases.RatingState(civicgrid.WithActor(t.Context(), other), closed.ID)
	if err != nil || st.Reporter || st.CanRate() {
		t.Errorf("another citizen's RatingState = %+v (%v)", st, err)
	}
	// The public timeline shows that the case was rated, not the remark.
	_, events, err := w.cases.PublicFind(t.Context(), closed.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Action != civicgrid.ActionRate || last.Note != "" || last.ActorID != 0 {
		t.Errorf("public rate event %+v, want no remark and no actor", last)
	}
}

// TestRateCounts: ratings are counted as rated and, at 4 or 5, satisfied,
// and the satisfaction rate is their ratio, through StatsService.
func TestRateCounts(t *testing.T) {
	w := newWorld(t)
	a, b := w.citizenCase(t, false), w.citizenCase(t, false)
	citizen := w.as(t.Context(), civicgrid.RoleCitizen)
	for _, r := range []struct {
		c     *civicgrid.Case
		score int
	}{{a, 4}, {b, 2}} {
		if _, err := w.cases.Rate(citizen, r.c.ID, civicgrid.RatingInput{Score: r.score}); err != nil {
			t.Fatal(err)
		}
	}
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	day := civicgrid.DateOf(w.clock.Now())
	res, err := stats.Query(w.as(t.Context(), civicgrid.RoleAdmin), civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: day, To: day.AddDays(1),
		Metrics: []string{"rated", "satisfied", "rate_satisfied"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 1 {
		t.Fatalf("rows %+v, want the sanitation unit's", res.Rows)
	}
	row := res.Rows[0]
	if row.Counts["rated"] != 2 || row.Counts["satisfied"] != 1 || row.Rates["rate_satisfied"] == nil || *row.Rates["rate_satisfied"] != 0.5 {
		t.Errorf("unit row counts %v rate %v, want rated 2, satisfied 1, rate 0.5", row.Counts, row.Rates["rate_satisfied"])
	}
}
