package civicgrid_test

import (
	"testing"

	"civicgrid"
)

// reportInCell opens a case of garbage in the i-th cell of the world, so that
// cases in different cells are not folded together.
func (w *world) reportInCell(t *testing.T, i int) *civicgrid.Case {
	t.Helper()
	c, err := w.cases.Report(w.as(t.Context(), civicgrid.RoleOperator), civicgrid.ReportInput{
		CategoryCode: garbage, Lat: 30.2505 + float64(i/2)*0.001, Lon: 120.1505 + float64(i%2)*0.001, Description: "垃圾", Source: civicgrid.SourceHotline})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDispatchMany: each case is dispatched on its own; one changed
// meanwhile and one not filed are refused without holding back the rest.
func TestDispatchMany(t *testing.T) {
	w := newWorld(t)
	fileIt := civicgrid.ActionInput{Action: civicgrid.ActionFile}
	a := w.act(t, w.reportInCell(t, 0), civicgrid.RoleOperator, fileIt)
	b := w.act(t, w.reportInCell(t, 1), civicgrid.RoleOperator, fileIt)
	stale := b.Version
	b = w.act(t, b, civicgrid.RoleLeader, civicgrid.ActionInput{Action: civicgrid.ActionUrge, Note: "抓紧"}) // changed meanwhile
	c := w.act(t, w.reportInCell(t, 2), civicgrid.RoleOperator, fileIt)
	notFiled := w.reportInCell(t, 3)

	ctx := w.as(t.Context(), civicgrid.RoleDispatcher)
	results, err := w.cases.DispatchMany(ctx, []civicgrid.BulkItem{
		{ID: a.ID, Version: a.Version}, {ID: b.ID, Version: stale}, {ID: notFiled.ID, Version: notFiled.Version}, {ID: c.ID, Version: c.Version},
	}, 0, "批量派遣")
	if err != nil {
		t.Fatal(err)
	}
	wantCodes := []civicgrid.ErrorCode{"", civicgrid.Conflict, civicgrid.Conflict, ""}
	for i, res := range results {
		if got := civicgrid.ErrorCodeOf(res.Err); res.Err == nil && wantCodes[i] != "" || res.Err != nil && got != wantCodes[i] {
			t.Errorf("result %d (case %d): err %v, want code %q", i, res.ID, res.Err, wantCodes[i])
		}
	}
	for _, i := range []int{0, 3} {
		got := results[i].Case
		if got == nil || got.Status != civicgrid.StatusDispatched || got.UnitID != w.units["sanitation"].ID {
			t.Errorf("result %d: %+v, want dispatched to the routed unit (sanitation)", i, got)
		}
	}
	// The dispatched case went through the workflow: its event is there.
	_, events, err := w.cases.Find(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := events[len(events)-1]; last.Action != civicgrid.ActionDispatch || last.Note != "批量派遣" {
		t.Errorf("last event of %s = %s %q, want the dispatch with its note", a.Number, last.Action, last.Note)
	}
	// The refused one is untouched.
	got, _, err := w.cases.Find(ctx, b.ID)
	if err != nil || got.Status != civicgrid.StatusFiled || got.Version != b.Version {
		t.Errorf("changed case after the refusal: %v %+v", err, got)
	}
}

// TestDispatchManyToUnit dispatches to the chosen unit; the wrong role and
// an empty list are refused.
func TestDispatchManyToUnit(t *testing.T) {
	w := newWorld(t)
	a := w.act(t, w.reportInCell(t, 0), civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	item := []civicgrid.BulkItem{{ID: a.ID, Version: a.Version}}

	res, err := w.cases.DispatchMany(w.as(t.Context(), civicgrid.RoleOperator), item, 0, "")
	if err != nil || len(res) != 1 || res[0].Err == nil {
		t.Fatalf("operator's bulk dispatch = %+v, %v; want the case refused", res, err)
	}
	ctx := w.as(t.Context(), civicgrid.RoleDispatcher)
	if _, err := w.cases.DispatchMany(ctx, nil, 0, ""); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("no cases: %v, want invalid", err)
	}
	res, err = w.cases.DispatchMany(ctx, item, w.units["municipal"].ID, "")
	if err != nil || res[0].Err != nil || res[0].Case.UnitID != w.units["municipal"].ID {
		t.Fatalf("dispatch to municipal = %+v, %v", res, err)
	}
}
