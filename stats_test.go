package civicgrid_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// TestStatsIncrementalEqualsRecompute plays random action sequences through
// the real CaseService on SQLite (reports, folds, every workflow action
// the roles may take, overdue sweeps, merges and splits, with the clock
// jumping so that stages end on time and late) and checks that the
// aggregates kept with the events equal a recomputation from the events,
// before and after a rebuild.
func TestStatsIncrementalEqualsRecompute(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	r := rand.New(rand.NewPCG(5, 2026))
	var ids []civicgrid.CaseID
	counts := map[civicgrid.Action]int{}

	report := func() {
		role, source := civicgrid.RoleOperator, civicgrid.SourceHotline
		switch r.IntN(3) {
		case 1:
			role, source = civicgrid.RoleInspector, civicgrid.SourceInspector
		case 2:
			role, source = civicgrid.RoleCitizen, civicgrid.SourceWeb
		}
		cat := []string{garbage, "01001"}[r.IntN(2)]
		res := w.reportAt(t, role, civicgrid.ReportInput{CategoryCode: cat, Source: source,
			Lat: 30.2500 + r.Float64()*0.0019, Lon: 120.1500 + r.Float64()*0.0019})
		if !res.Folded {
			ids = append(ids, res.Case.ID)
		}
	}
	for range 10 {
		report()
	}
	for range 1500 {
		w.clock.Advance(time.Duration(r.IntN(300)) * time.Minute)
		switch p := r.IntN(100); {
		case p < 5:
			report()
		case p < 8:
			if _, err := w.cases.SweepOverdue(sys); err != nil {
				t.Fatal(err)
			}
		case p < 10:
			merge(t, w, r, ids)
		case p < 12:
			ids = split(t, w, r, ids)
		default:
			if a := actOnce(t, w, r, ids[r.IntN(len(ids))]); a != "" {
				counts[a]++
			}
		}
	}
	t.Logf("%d cases; actions taken: %v", len(ids), counts)
	for _, a := range []civicgrid.Action{civicgrid.ActionFile, civicgrid.ActionDispatch, civicgrid.ActionSign, civicgrid.ActionFinish,
		civicgrid.ActionCheckFail, civicgrid.ActionClose, civicgrid.ActionVerifyRequest, civicgrid.ActionSuspend} {
		if counts[a] == 0 {
			t.Errorf("the random walk never took %s; change the seed or the walk", a)
		}
	}

	check, err := stats.Verify(sys)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("verify: %s", check)
	if len(check.Diffs) > 0 || check.Events == 0 {
		t.Fatalf("incremental aggregates differ from the recomputation: %s; first: %+v", check, check.Diffs[:min(5, len(check.Diffs))])
	}
	before, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: civicgrid.DateOf(w.clock.Now()).AddDays(-400), To: civicgrid.DateOf(w.clock.Now()).AddDays(400)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stats.Rebuild(sys); err != nil {
		t.Fatal(err)
	}
	after, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: before.From, To: before.To})
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Rows) == 0 {
		t.Fatal("no unit has any count")
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("unit table after a rebuild (-before +after):\n%s", d)
	}
	if check, err := stats.Verify(sys); err != nil || len(check.Diffs) > 0 {
		t.Fatalf("after a rebuild: %v %v", check, err)
	}
}

// actOnce takes a random action some user may take on case id now, and
// returns it ("" when nobody may act).
func actOnce(t *testing.T, w *world, r *rand.Rand, id civicgrid.CaseID) civicgrid.Action {
	t.Helper()
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	c, _, err := w.cases.Find(sys, id)
	if err != nil {
		t.Fatal(err)
	}
	type choice struct {
		role civicgrid.Role
		a    civicgrid.Action
	}
	var choices []choice
	for _, role := range civicgrid.Roles {
		if role == civicgrid.RoleAdmin {
			continue
		}
		for _, a := range w.cases.Allowed(w.as(t.Context(), role), c) {
			choices = append(choices, choice{role, a})
		}
	}
	if len(choices) == 0 {
		for _, a := range w.cases.Allowed(w.as(t.Context(), civicgrid.RoleAdmin), c) {
			choices = append(choices, choice{civicgrid.RoleAdmin, a})
		}
	}
	if len(choices) == 0 {
		return ""
	}
	// Side roads (urging, suspending, cancelling) are taken less often
	// than the way forward, so that cases get to the end.
	weight := func(c choice) int {
		switch c.a {
		case civicgrid.ActionUrge, civicgrid.ActionSuspend, civicgrid.ActionCancel, civicgrid.ActionVerifyFail,
			civicgrid.ActionReturn, civicgrid.ActionExtendRequest:
			return 1
		}
		return 8
	}
	total := 0
	for _, c := range choices {
		total += weight(c)
	}
	pick := r.IntN(total)
	ch := choices[0]
	for _, c := range choices {
		if pick -= weight(c); pick < 0 {
			ch = c
			break
		}
	}
	in := civicgrid.ActionInput{Action: ch.a, Version: c.Version, Note: "说明", InspectorID: w.users[civicgrid.RoleInspector].ID}
	if ch.a == civicgrid.ActionExtendRequest {
		in.Extension = &civicgrid.TimeLimit{Amount: float64(1 + r.IntN(2)), Unit: civicgrid.WorkingDays}
	}
	if _, err := w.cases.Act(w.as(t.Context(), ch.role), id, in); err != nil {
		if code := civicgrid.ErrorCodeOf(err); code == civicgrid.Internal {
			t.Fatalf("%s by %s: %v", ch.a, ch.role, err)
		}
		return ""
	}
	return ch.a
}

// merge merges one random open case into another.
func merge(t *testing.T, w *world, r *rand.Rand, ids []civicgrid.CaseID) {
	t.Helper()
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	from, _, err1 := w.cases.Find(sys, ids[r.IntN(len(ids))])
	into, _, err2 := w.cases.Find(sys, ids[r.IntN(len(ids))])
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if from.ID == into.ID || !from.Status.Open() || !into.Status.Open() {
		return
	}
	_, err := w.cases.Merge(w.as(t.Context(), civicgrid.RoleOperator), civicgrid.MergeInput{From: from.ID, FromVersion: from.Version,
		Into: into.ID, IntoVersion: into.Version})
	if err != nil && civicgrid.ErrorCodeOf(err) == civicgrid.Internal {
		t.Fatal(err)
	}
}

// split splits the last report off a random open case that has two.
func split(t *testing.T, w *world, r *rand.Rand, ids []civicgrid.CaseID) []civicgrid.CaseID {
	t.Helper()
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	c, _, err := w.cases.Find(sys, ids[r.IntN(len(ids))])
	if err != nil {
		t.Fatal(err)
	}
	reports, err := w.cases.Reports(sys, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 2 || !c.Status.Open() {
		return ids
	}
	nc, err := w.cases.Split(w.as(t.Context(), civicgrid.RoleOperator), c.ID, civicgrid.SplitInput{Version: c.Version, ReportID: reports[len(reports)-1].ID})
	if err != nil {
		if civicgrid.ErrorCodeOf(err) == civicgrid.Internal {
			t.Fatal(err)
		}
		return ids
	}
	return slices.Concat(ids, []civicgrid.CaseID{nc.ID})
}
