package civicgrid_test

import (
	"testing"
	"time"

	"civicgrid"
)

const garbage = "06010" // 暴露垃圾: 4 working hours to handle

// TestSweepOverdueIsIdempotent: crossing a deadline gives one event and
// notifications; a second sweep adds nothing; the next stage's deadline
// gives another.
func TestSweepOverdueIsIdempotent(t *testing.T) {
	w := newWorld(t)
	ctx := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	c := w.report(t, garbage) // Tue 09:00; accept due 09:30
	w.clock.Set(time.Date(2026, 3, 10, 9, 31, 0, 0, cst))
	for i, want := range []int{1, 0} {
		n, err := w.cases.SweepOverdue(ctx)
		if err != nil || n != want {
			t.Fatalf("sweep %d marked %d (%v), want %d", i+1, n, err, want)
		}
	}
	got, events, err := w.cases.Find(w.as(t.Context(), civicgrid.RoleOperator), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Overdue || got.Version != 2 || len(events) != 2 || events[1].Action != civicgrid.ActionOverdue {
		t.Fatalf("after sweep: overdue %v version %d events %d", got.Overdue, got.Version, len(events))
	}
	var outbox []*civicgrid.OutboxEntry
	w.db.View(t.Context(), func(tx civicgrid.Tx) error { outbox, err = tx.FindOutbox(t.Context(), c.ID); return err })
	if len(outbox) != 2 || outbox[1].Topic != "case.overdue" || outbox[1].Recipient != "role:dispatcher" {
		t.Errorf("outbox %+v, want the report's and one overdue notice to the dispatchers", outbox)
	}
	// Filing ends the late accept stage and starts dispatch (due 10:01).
	got = w.act(t, got, civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	if got.Overdue || got.Deadlines[civicgrid.StageAccept].Overdue != true {
		t.Errorf("after filing: overdue %v, accept stage %+v", got.Overdue, got.Deadlines[civicgrid.StageAccept])
	}
	w.clock.Set(time.Date(2026, 3, 10, 10, 2, 0, 0, cst))
	if n, _ := w.cases.SweepOverdue(ctx); n != 1 {
		t.Errorf("dispatch stage crossing marked %d, want 1", n)
	}
}

// TestSuspendKeepsRemainingWorkingTime: a suspended case's clock stops and
// restarts with exactly what was left, in working time.
func TestSuspendKeepsRemainingWorkingTime(t *testing.T) {
	w := newWorld(t)
	c := w.report(t, garbage)
	c = w.act(t, c, civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch})
	c = w.act(t, c, civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionSign}) // 09:00 + 4 wh = 14:00 (lunch 12–14)
	if want := time.Date(2026, 3, 10, 15, 0, 0, 0, cst); !c.Deadline.Equal(want) {
		t.Fatalf("handle deadline %v, want %v", c.Deadline, want)
	}
	w.clock.Set(time.Date(2026, 3, 10, 11, 0, 0, 0, cst)) // 2 working hours used, 2 left (11–12, 14–15)
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionSuspend, Note: "等待材料"})
	if c.Status != civicgrid.StatusSuspended || c.Deadline != nil || c.SuspendedLeft != 120 {
		t.Fatalf("suspended: status %s deadline %v left %d, want suspended, none, 120", c.Status, c.Deadline, c.SuspendedLeft)
	}
	w.clock.Set(time.Date(2026, 3, 13, 16, 30, 0, 0, cst)) // Friday 16:30: 60 min today, 60 on Monday from 08:30
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionResume})
	if want := time.Date(2026, 3, 16, 9, 30, 0, 0, cst); c.Status != civicgrid.StatusHandling || !c.Deadline.Equal(want) {
		t.Errorf("resumed: status %s deadline %v, want handling %v", c.Status, c.Deadline, want)
	}
}

// TestExtensions: the first extension moves the deadline from the old one;
// the second needs a leader, not a dispatcher.
func TestExtensions(t *testing.T) {
	w := newWorld(t)
	c := w.report(t, garbage)
	for _, a := range []struct {
		role   civicgrid.Role
		action civicgrid.Action
	}{{civicgrid.RoleOperator, civicgrid.ActionFile}, {civicgrid.RoleDispatcher, civicgrid.ActionDispatch}, {civicgrid.RoleUnit, civicgrid.ActionSign}} {
		c = w.act(t, c, a.role, civicgrid.ActionInput{Action: a.action})
	}
	ext := &civicgrid.TimeLimit{Amount: 1, Unit: civicgrid.WorkingDays}
	c = w.act(t, c, civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionExtendRequest, Note: "需要吊车", Extension: ext})
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionExtendApprove})
	if want := time.Date(2026, 3, 11, 15, 0, 0, 0, cst); c.Extensions != 1 || !c.Deadline.Equal(want) {
		t.Fatalf("after first extension: %d extensions, deadline %v, want 1 and %v", c.Extensions, c.Deadline, want)
	}
	c = w.act(t, c, civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionExtendRequest, Note: "再延", Extension: ext})
	_, err := w.cases.Act(w.as(t.Context(), civicgrid.RoleDispatcher), c.ID, civicgrid.ActionInput{Action: civicgrid.ActionExtendApprove, Version: c.Version})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Fatalf("second extension by a dispatcher: %v, want forbidden", err)
	}
	c = w.act(t, c, civicgrid.RoleLeader, civicgrid.ActionInput{Action: civicgrid.ActionExtendApprove})
	if c.Extensions != 2 || c.PendingExtension != nil {
		t.Errorf("after second extension: %d extensions, pending %v", c.Extensions, c.PendingExtension)
	}
}

// TestComponentRoutesToMaintainer: a case on a registered component goes to
// its maintainer, not the class's routing rule; a return clears the unit.
func TestComponentRoutesToMaintainer(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	err := w.db.Update(ctx, func(tx civicgrid.Tx) error {
		return tx.UpsertComponent(ctx, &civicgrid.RegisteredComponent{Code: "33010201001000001", CategoryCode: "01001",
			Name: "供水井盖", CellCode: "330102001001001", OwnerUnit: w.units["municipal"].ID, Maintainer: w.units["sanitation"].ID, State: "破损"})
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.cases.Report(w.as(ctx, civicgrid.RoleInspector), civicgrid.ReportInput{CategoryCode: "01001", Lat: 30.2505, Lon: 120.1505,
		Description: "井盖破损", Source: civicgrid.SourceInspector, ComponentCode: "33010201001000001"})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Urgent {
		t.Error("a manhole case is not urgent")
	}
	c = w.act(t, c, civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionFile})
	c = w.act(t, c, civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionDispatch})
	if c.UnitID != w.units["sanitation"].ID {
		t.Fatalf("dispatched to unit %d, want the maintainer %d", c.UnitID, w.units["sanitation"].ID)
	}
	c = w.act(t, c, civicgrid.RoleUnit, civicgrid.ActionInput{Action: civicgrid.ActionReturn, Note: "非我单位"})
	if c.Status != civicgrid.StatusFiled || c.UnitID != 0 || c.Returns != 1 {
		t.Errorf("after return: %s unit %d returns %d", c.Status, c.UnitID, c.Returns)
	}
	if _, err := w.cases.Report(w.as(ctx, civicgrid.RoleInspector), civicgrid.ReportInput{CategoryCode: "01001", Lat: 30.2505, Lon: 120.1505,
		Description: "x", Source: civicgrid.SourceInspector, ComponentCode: "99999999999999999"}); civicgrid.ErrorCodeOf(err) != civicgrid.Unprocessable {
		t.Errorf("unknown component: %v, want unprocessable", err)
	}
}

// TestRefusedActionsChangeNothing: a refused action leaves the case, its
// log and the outbox as they were.
func TestRefusedActionsChangeNothing(t *testing.T) {
	w := newWorld(t)
	c := w.report(t, garbage)
	ctx := t.Context()
	for _, tt := range []struct {
		name string
		role civicgrid.Role
		in   civicgrid.ActionInput
		code civicgrid.ErrorCode
	}{
		{"wrong role", civicgrid.RoleDispatcher, civicgrid.ActionInput{Action: civicgrid.ActionFile, Version: 1}, civicgrid.Forbidden},
		{"wrong status", civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionClose, Version: 1}, civicgrid.Conflict},
		{"stale version", civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionFile, Version: 7}, civicgrid.Conflict},
		{"missing reason", civicgrid.RoleShiftLeader, civicgrid.ActionInput{Action: civicgrid.ActionCancel, Version: 1}, civicgrid.Invalid},
		{"unknown action", civicgrid.RoleOperator, civicgrid.ActionInput{Action: "teleport", Version: 1}, civicgrid.Invalid},
		{"no inspector named or assigned", civicgrid.RoleOperator, civicgrid.ActionInput{Action: civicgrid.ActionVerifyRequest, Version: 1, InspectorID: 999}, civicgrid.Unprocessable},
		{"citizen", civicgrid.RoleCitizen, civicgrid.ActionInput{Action: civicgrid.ActionFile, Version: 1}, civicgrid.NotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.cases.Act(w.as(ctx, tt.role), c.ID, tt.in)
			if got := civicgrid.ErrorCodeOf(err); got != tt.code {
				t.Fatalf("error %v, want %s", err, tt.code)
			}
			after, events, err := w.cases.Find(w.as(ctx, civicgrid.RoleAdmin), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.Version != 1 || len(events) != 1 || after.Status != civicgrid.StatusReported {
				t.Errorf("case changed: version %d, %d events, %s", after.Version, len(events), after.Status)
			}
		})
	}
}
