package civicgrid_test

import (
	"testing"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// TestStatDeltasEvaluationCounts exercises the counts the evaluations add
// (definitions version 2, and version 3's return held against the
// dispatcher): a public report verified and filed, dispatched late to the
// wrong unit, returned, and dispatched on time to the right one.
func TestStatDeltasEvaluationCounts(t *testing.T) {
	const (
		op, disp, unit, insp = civicgrid.RoleOperator, civicgrid.RoleDispatcher, civicgrid.RoleUnit, civicgrid.RoleInspector
	)
	rep, ver, filed, disd := civicgrid.StatusReported, civicgrid.StatusVerifying, civicgrid.StatusFiled, civicgrid.StatusDispatched
	h := (&history{}).
		add(0, civicgrid.ActionReport, 41, civicgrid.RoleCitizen, "", rep, "", false, 0, "source", "web").
		add(10, civicgrid.ActionVerifyRequest, operator, op, rep, ver, civicgrid.StageAccept, true, 1, "inspector_id", "31").
		add(40, civicgrid.ActionVerifyPass, inspector, insp, ver, rep, civicgrid.StageVerify, true, 1).
		add(200, civicgrid.ActionFile, operator, op, rep, filed, civicgrid.StageFile, false, 1).
		add(300, civicgrid.ActionDispatch, dispatcher, disp, filed, disd, civicgrid.StageDispatch, false, 1, "unit_id", "3").
		add(320, civicgrid.ActionReturn, handler, unit, disd, filed, civicgrid.StageSign, true, 1, "unit_id", "3", civicgrid.DataDispatcher, "12").
		add(330, civicgrid.ActionDispatch, dispatcher, disp, filed, disd, civicgrid.StageDispatch, true, 1, "unit_id", "4")
	c := handBuiltCase(4)
	c.Source = civicgrid.SourceWeb
	all := sums(civicgrid.HistoryStatDeltas(c, h.events))
	want := map[string]map[string]int64{
		"city=all": {"reported": 1, "accepted": 1, "accepted_on_time": 1, "due_verifying": 1, "verify_sent_on_time": 1,
			"verified": 1, "verified_on_time": 1, "filed": 1, "valid_reported": 1, "accurately_filed": 1, "public_reported": 1,
			"due_dispatching": 2, "dispatched": 2, "dispatched_on_time": 1, "accurately_dispatched": 1, "returned": 1},
		// The wrong unit: dispatched once, returned once, so not accurately.
		"unit=3":      {"dispatched": 1, "returned": 1, "due_dispatching": 1},
		"unit=4":      {"dispatched": 1, "dispatched_on_time": 1, "accurately_dispatched": 1},
		"operator=11": {"accepted": 1, "accepted_on_time": 1, "due_verifying": 1, "verify_sent_on_time": 1, "filed": 1, "accurately_filed": 1},
		// The dispatcher answers for the return of their first dispatch.
		"operator=12":  {"dispatched": 2, "dispatched_on_time": 1, "returned": 1, "accurately_dispatched": 1},
		"inspector=31": {"due_verifying": 1, "verified": 1, "verified_on_time": 1},
	}
	for dv, w := range want {
		if d := cmp.Diff(w, only(all, dv)); d != "" {
			t.Errorf("%s (-want +got):\n%s", dv, d)
		}
	}

	// The rates over those counts.
	rates := map[string]float64{}
	city := only(all, "city=all")
	for _, m := range civicgrid.DefaultStatsConfig().Metrics() {
		if m.Kind == civicgrid.MetricRate && city[m.Counts[1]] > 0 {
			rates[m.Code] = float64(city[m.Counts[0]]) / float64(city[m.Counts[1]])
		}
	}
	for code, v := range map[string]float64{"rate_public_reported": 1, "rate_filed_on_time": 0, "rate_dispatched_on_time": 0.5,
		"rate_accurately_dispatched": 0.5, "rate_verify_sent_on_time": 1} {
		if got, ok := rates[code]; !ok || got != v {
			t.Errorf("%s = %v (%v), want %v", code, got, ok, v)
		}
	}
}
