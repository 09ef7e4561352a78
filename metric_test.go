package civicgrid_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// history builds a case's events by hand: each step is one event at the
// step's minute after 2026-03-02 09:00 (a Monday) in the city's zone.
type history struct {
	events []*civicgrid.CaseEvent
}

// base is the first event's time in the hand-built histories.
var base = time.Date(2026, 3, 2, 9, 0, 0, 0, cst)

// add appends an event: action by actor (id, role) at minute, moving
// from → to, ending stage (on time or late) when stage is set, and setting
// a deadline due days later when due > 0.
func (h *history) add(minute int, a civicgrid.Action, actor civicgrid.UserID, role civicgrid.Role, from, to civicgrid.Status,
	stage civicgrid.Stage, onTime bool, due int, data ...string) *history {
	ev := &civicgrid.CaseEvent{Action: a, ActorID: actor, Role: role, At: base.Add(time.Duration(minute) * time.Minute),
		From: from, To: to, Data: map[string]string{}}
	if stage != "" {
		ev.StageEnded, ev.OnTime = stage, &onTime
	}
	if due > 0 {
		d := ev.At.AddDate(0, 0, due)
		ev.Deadline = &d
	}
	for i := 0; i+1 < len(data); i += 2 {
		ev.Data[data[i]] = data[i+1]
	}
	h.events = append(h.events, ev)
	return h
}

// sums adds up deltas by "dim=value metric", leaving out zeros.
func sums(deltas []civicgrid.StatDelta) map[string]int64 {
	out := map[string]int64{}
	for _, d := range deltas {
		k := fmt.Sprintf("%s=%s %s", d.Key.Dim, d.Key.Value, d.Metric)
		out[k] += d.N
		if out[k] == 0 {
			delete(out, k)
		}
	}
	return out
}

// only keeps the sums of one dimension value.
func only(all map[string]int64, dimValue string) map[string]int64 {
	out := map[string]int64{}
	for k, n := range all {
		if len(k) > len(dimValue) && k[:len(dimValue)+1] == dimValue+" " {
			out[k[len(dimValue)+1:]] = n
		}
	}
	return out
}

// The actors of the hand-built histories.
const (
	operator    civicgrid.UserID = 11
	dispatcher  civicgrid.UserID = 12
	shiftLeader civicgrid.UserID = 13
	handler     civicgrid.UserID = 21
	inspector   civicgrid.UserID = 31
)

func handBuiltCase(unit civicgrid.UnitID) *civicgrid.Case {
	return &civicgrid.Case{ID: 1, Source: civicgrid.SourceHotline, CategoryCode: garbage, CellCode: "330102001001001",
		CommunityCode: "330102001001", StreetCode: "330102001", DistrictCode: "330102", UnitID: unit}
}

func TestStatDeltasHandBuilt(t *testing.T) {
	const (
		op, disp, lead = civicgrid.RoleOperator, civicgrid.RoleDispatcher, civicgrid.RoleShiftLeader
		unit, insp     = civicgrid.RoleUnit, civicgrid.RoleInspector
	)
	s := civicgrid.Status("")
	rep, filed, disd, hing := civicgrid.StatusReported, civicgrid.StatusFiled, civicgrid.StatusDispatched, civicgrid.StatusHandling
	hed, cing, ced := civicgrid.StatusHandled, civicgrid.StatusChecking, civicgrid.StatusChecked

	// file, dispatch, sign, finish late, check fails, finish on time,
	// check passes late, close.
	full := (&history{}).
		add(0, civicgrid.ActionReport, operator, op, s, rep, "", false, 0, "source", "hotline").
		add(10, civicgrid.ActionFile, operator, op, rep, filed, civicgrid.StageAccept, true, 1).
		add(20, civicgrid.ActionDispatch, dispatcher, disp, filed, disd, civicgrid.StageDispatch, true, 1, "unit_id", "3").
		add(30, civicgrid.ActionSign, handler, unit, disd, hing, civicgrid.StageSign, true, 2).
		add(4000, civicgrid.ActionFinish, handler, unit, hing, hed, civicgrid.StageHandle, false, 1).
		add(4010, civicgrid.ActionCheckRequest, operator, op, hed, cing, "", false, 0, "inspector_id", "31").
		add(4020, civicgrid.ActionCheckFail, inspector, insp, cing, hing, civicgrid.StageCheck, true, 1).
		add(4030, civicgrid.ActionFinish, handler, unit, hing, hed, civicgrid.StageHandle, true, 1).
		add(4040, civicgrid.ActionCheckRequest, operator, op, hed, cing, "", false, 0, "inspector_id", "31").
		add(4500, civicgrid.ActionCheckPass, inspector, insp, cing, ced, civicgrid.StageCheck, false, 1).
		add(4510, civicgrid.ActionClose, shiftLeader, lead, ced, civicgrid.StatusClosed, civicgrid.StageClose, true, 0)
	closedOnTime := handBuiltCase(3)
	closedOnTime.Status = civicgrid.StatusClosed
	ended := base.Add(4030 * time.Minute)
	closedOnTime.Deadlines = map[civicgrid.Stage]civicgrid.Deadline{civicgrid.StageHandle: {Started: base, Due: ended.Add(time.Hour), Ended: &ended}}

	// verify, verified late, filed, then cancelled: accepted once, and
	// the filing was not accurate; a folded report on the way.
	cancelled := (&history{}).
		add(0, civicgrid.ActionReport, inspector, insp, s, rep, "", false, 0, "source", "inspector").
		add(5, civicgrid.ActionFold, 0, civicgrid.RoleCitizen, rep, rep, "", false, 0, "source", "web").
		add(10, civicgrid.ActionVerifyRequest, operator, op, rep, civicgrid.StatusVerifying, civicgrid.StageAccept, false, 1, "inspector_id", "31").
		add(200, civicgrid.ActionVerifyPass, inspector, insp, civicgrid.StatusVerifying, rep, civicgrid.StageVerify, false, 1).
		add(210, civicgrid.ActionFile, operator, op, rep, filed, civicgrid.StageFile, true, 1).
		add(220, civicgrid.ActionCancel, shiftLeader, lead, filed, civicgrid.StatusCancelled, civicgrid.StageDispatch, true, 0)

	// a report split off (it leaves this case, its new case counts it)
	// and the case merged into another before it was filed.
	merged := (&history{}).
		add(0, civicgrid.ActionReport, operator, op, s, rep, "", false, 0, "source", "hotline").
		add(5, civicgrid.ActionFold, operator, op, rep, rep, "", false, 0, "source", "web").
		add(6, civicgrid.ActionSplit, operator, op, rep, rep, "", false, 0, "source", "web").
		add(7, civicgrid.ActionMergedInto, operator, op, rep, civicgrid.StatusCancelled, civicgrid.StageAccept, true, 0)

	c1, c2 := handBuiltCase(0), handBuiltCase(0)
	c1.Source = civicgrid.SourceInspector
	c1.Reporter.UserID = inspector // the inspector reported it: its filing is their valid report
	tests := []struct {
		name   string
		c      *civicgrid.Case
		events []*civicgrid.CaseEvent
		want   map[string]map[string]int64 // dim=value → metric → sum
	}{
		{"handled late, reworked, closed on time", closedOnTime, full.events, map[string]map[string]int64{
			"city=all": {"reported": 1, "valid_reported": 1, "accepted": 1, "accepted_on_time": 1, "filed": 1, "accurately_filed": 1,
				"filed_on_time": 1, "public_reported": 1, "due_dispatching": 1, "dispatched_on_time": 1, "accurately_dispatched": 1, "closed_timely": 1,
				"dispatched": 1, "due_handling": 2, "handled": 2, "handled_on_time": 1, "handled_late": 1, "due_checking": 2,
				"checked": 2, "checked_on_time": 1, "reworked": 1, "due_closing": 1, "closed": 1, "closed_on_time": 1},
			"unit=3": {"dispatched": 1, "dispatched_on_time": 1, "accurately_dispatched": 1, "closed_timely": 1, "due_handling": 2, "handled": 2, "handled_on_time": 1, "handled_late": 1, "due_checking": 2,
				"checked": 2, "checked_on_time": 1, "reworked": 1, "due_closing": 1, "closed": 1, "closed_on_time": 1},
			"operator=11":  {"reported": 1, "accepted": 1, "accepted_on_time": 1, "filed": 1, "accurately_filed": 1, "filed_on_time": 1, "due_checking": 2},
			"operator=12":  {"dispatched": 1, "dispatched_on_time": 1, "accurately_dispatched": 1},
			"operator=13":  {"closed": 1, "closed_on_time": 1, "closed_timely": 1},
			"inspector=31": {"due_checking": 2, "checked": 2, "checked_on_time": 1, "reworked": 1},
			"source=hotline": {"reported": 1, "valid_reported": 1, "accepted": 1, "accepted_on_time": 1, "filed": 1, "accurately_filed": 1,
				"filed_on_time": 1, "public_reported": 1, "due_dispatching": 1, "dispatched_on_time": 1, "accurately_dispatched": 1, "closed_timely": 1,
				"dispatched": 1, "due_handling": 2, "handled": 2, "handled_on_time": 1, "handled_late": 1, "due_checking": 2,
				"checked": 2, "checked_on_time": 1, "reworked": 1, "due_closing": 1, "closed": 1, "closed_on_time": 1},
		}},
		{"handled late, closed late", handBuiltCase(3), full.events, map[string]map[string]int64{
			"operator=13": {"closed": 1, "closed_late": 1, "closed_timely": 1},
		}},
		{"verified late, filed, cancelled", c1, cancelled.events, map[string]map[string]int64{
			"city=all":         {"reported": 2, "accepted": 1, "due_verifying": 1, "verified": 1, "filed": 1, "valid_reported": 1, "cancelled": 1, "filed_on_time": 1, "due_dispatching": 1},
			"source=inspector": {"reported": 1, "accepted": 1, "due_verifying": 1, "verified": 1, "filed": 1, "valid_reported": 1, "cancelled": 1, "filed_on_time": 1, "due_dispatching": 1},
			"source=web":       {"reported": 1},
			"inspector=31":     {"reported": 1, "due_verifying": 1, "verified": 1, "valid_reported": 1},
			"operator=11":      {"accepted": 1, "due_verifying": 1, "filed": 1, "accurately_filed": 1, "filed_on_time": 1},
			"operator=13":      {"cancelled": 1, "accurately_filed": -1},
		}},
		{"folded, split, merged away", c2, merged.events, map[string]map[string]int64{
			"city=all":       {"reported": 1, "cancelled": 1},
			"source=hotline": {"reported": 1, "cancelled": 1},
			"source=web":     {},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := sums(civicgrid.HistoryStatDeltas(tc.c, tc.events))
			for dv, want := range tc.want {
				if d := cmp.Diff(want, only(all, dv)); d != "" {
					t.Errorf("%s (-want +got):\n%s", dv, d)
				}
			}
			// Every area level and the category see what the city sees.
			city := only(all, "city=all")
			for _, dv := range []string{"district=330102", "street=330102001", "community=330102001001", "cell=330102001001001", "category=" + garbage} {
				if d := cmp.Diff(city, only(all, dv)); d != "" {
					t.Errorf("%s differs from the city (-city +got):\n%s", dv, d)
				}
			}
		})
	}
}

// TestStatDeltasDays: counts are dated on the day of the event, in the
// event's zone; due_closing on the day of the handle deadline the sign set.
func TestStatDeltasDays(t *testing.T) {
	c := handBuiltCase(3)
	late := time.Date(2026, 3, 2, 23, 30, 0, 0, cst) // 15:30 UTC: still the 2nd in the city
	due := time.Date(2026, 3, 5, 18, 0, 0, 0, cst)
	ev := &civicgrid.CaseEvent{Action: civicgrid.ActionSign, ActorID: handler, Role: civicgrid.RoleUnit, At: late, Deadline: &due}
	days := map[string]string{}
	for _, d := range civicgrid.StatDeltas(c, ev) {
		if d.Key.Dim == civicgrid.DimUnit {
			days[d.Metric] = d.Key.Day.String() + " " + strconv.FormatInt(d.N, 10)
		}
	}
	want := map[string]string{"due_handling": "2026-03-02 1", "due_closing": "2026-03-05 1"}
	if d := cmp.Diff(want, days); d != "" {
		t.Errorf("unit deltas (-want +got):\n%s", d)
	}
}

// TestMetricDefinitions: codes are unique, every rate's counts exist, the
// dimension list matches its constant, and a configured exclusion shows
// in the formula.
func TestMetricDefinitions(t *testing.T) {
	cfg := civicgrid.DefaultStatsConfig()
	seen := map[string]bool{}
	for _, m := range cfg.Metrics() {
		if seen[m.Code] || m.Name.Zh == "" || m.Name.En == "" || m.Formula.Zh == "" || m.Doc.Zh == "" || m.Doc.En == "" {
			t.Errorf("metric %+v: repeated or missing a name, formula or doc", m)
		}
		seen[m.Code] = true
		if m.Kind == civicgrid.MetricRate {
			for _, c := range m.Counts {
				if mm := civicgrid.MetricByCode(c); mm == nil || mm.Kind != civicgrid.MetricCount {
					t.Errorf("rate %s: %s is not a count", m.Code, c)
				}
			}
		}
	}
	if len(civicgrid.CountCodes()) < 20 {
		t.Errorf("only %d counts", len(civicgrid.CountCodes()))
	}
	jinhua := civicgrid.StatsConfig{DefinitionsVersion: 2, Exclude: map[string][]string{"rate_closed_on_time": {"suspended"}}}
	if err := jinhua.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, m := range jinhua.Metrics() {
		if m.Code == "rate_closed_on_time" && m.Formula.Zh != "按期结案数 / (应结案数 − 挂账数)" {
			t.Errorf("formula %q", m.Formula.Zh)
		}
	}
	for _, bad := range []civicgrid.StatsConfig{
		{DefinitionsVersion: 0},
		{DefinitionsVersion: 1, Exclude: map[string][]string{"closed": {"suspended"}}},
		{DefinitionsVersion: 1, Exclude: map[string][]string{"rate_closed": {"rate_closed"}}},
	} {
		if civicgrid.ErrorCodeOf(bad.Validate()) != civicgrid.Invalid {
			t.Errorf("%+v: want Invalid", bad)
		}
	}
}
