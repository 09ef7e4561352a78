package storetest

import (
	"fmt"
	"testing"
	"time"

	"civicgrid"
)

// newCase returns an unsaved reported case numbered n, created at t0 plus
// n minutes, in cell 110101001001001.
func newCase(n int) *civicgrid.Case {
	created := at(time.Duration(n) * time.Minute)
	return &civicgrid.Case{
		Number: fmt.Sprintf("2026-%06d", n), Source: civicgrid.SourceWeb, CategoryCode: "SJ0101",
		Lat: 39.91, Lon: 116.39, CellCode: "110101001001001", CommunityCode: "110101001001",
		StreetCode: "110101001", DistrictCode: "110101", Description: fmt.Sprintf("case %d", n),
		Status: civicgrid.StatusReported, Reports: 1, WorkflowVersion: 1, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
}

// createCase stores c and returns it.
func createCase(t *testing.T, s civicgrid.Store, c *civicgrid.Case) *civicgrid.Case {
	t.Helper()
	update(t, s, func(tx civicgrid.Tx) error { return tx.CreateCase(t.Context(), c) })
	if c.ID == 0 {
		t.Fatal("CreateCase did not set the ID")
	}
	return c
}

// fullCase returns a case with every field set, referring to unit and to
// user (as reporter and inspector).
func fullCase(unit civicgrid.UnitID, user civicgrid.UserID) *civicgrid.Case {
	c := newCase(1)
	started, due, ended := at(time.Hour), at(3*time.Hour), at(2*time.Hour)
	c.Address, c.ComponentCode = "东华门大街 1 号", "1101010101000001"
	c.Reporter = civicgrid.Reporter{Name: "张三", Phone: "13800000000", Email: "zhang@example.cn", UserID: user}
	c.Intake = fullIntake("WO-1")
	c.Status, c.Stage, c.StageStartedAt = civicgrid.StatusHandling, civicgrid.StageHandle, &started
	c.StageLimit = civicgrid.TimeLimit{Amount: 1.5, Unit: civicgrid.WorkingDays}
	c.Deadline = &due
	c.Deadlines = map[civicgrid.Stage]civicgrid.Deadline{
		civicgrid.StageAccept: {Started: t0, Due: at(30 * time.Minute), Ended: &ended, Overdue: true},
		civicgrid.StageHandle: {Started: started, Due: due},
	}
	c.UnitID, c.InspectorID = unit, user
	c.Urgent, c.Overdue = true, true
	c.Returns, c.Reworks, c.Extensions, c.Dispatches, c.Urges, c.Reports = 1, 2, 3, 4, 5, 6
	c.PendingExtension = &civicgrid.TimeLimit{Amount: 2, Unit: civicgrid.WorkingHours}
	c.SuspendedFrom, c.SuspendedLeft = civicgrid.StatusDispatched, 90
	c.Photos = []string{"aa", "bb"}
	c.WeakEvidence = true
	c.Evidence = []civicgrid.PhotoEvidence{
		{PhotoID: "aa", Point: &civicgrid.Point{Lat: 39.9, Lon: 116.4}, DistanceM: 1.1e6, Weak: true, Reasons: []string{"far_from_report"}},
		{PhotoID: "bb", Reasons: []string{"no_exif_gps", "no_exif_time"}},
	}
	c.WorkflowVersion, c.UpdatedAt, c.ClosedAt, c.Version = 3, at(4*time.Hour), ptr(at(5*time.Hour)), 7
	return c
}

// fullIntake returns an Intake with every field set; its device time is
// in another zone than the store's, and off the store's clock.
func fullIntake(externalID string) civicgrid.Intake {
	device := time.Date(2026, 3, 2, 17, 29, 58, 123_000_000, time.FixedZone("CST", 8*3600))
	return civicgrid.Intake{Station: "东华门驿站", ReceivedBy: "李四", DeviceTime: &device, ExternalID: externalID,
		APIKeyID: 3, Attributes: map[string]string{"depth": "30cm", "blocking": "yes"}}
}

func testCase(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"NextCaseSeq", testNextCaseSeq},
		{"CreateAndFind", func(t *testing.T, s civicgrid.Store) {
			unit := createUnit(t, s, "u")
			user := createUser(t, s, "i", civicgrid.RoleInspector, 0)
			c := createCase(t, s, fullCase(unit.ID, user.ID))
			plain := createCase(t, s, newCase(2))
			if plain.ID <= c.ID {
				t.Errorf("case IDs %d then %d: want increasing", c.ID, plain.ID)
			}
			view(t, s, func(tx civicgrid.Tx) error {
				for _, want := range []*civicgrid.Case{c, plain} {
					got, err := tx.FindCase(t.Context(), want.ID)
					if err != nil {
						t.Fatalf("FindCase: %v", err)
					}
					diff(t, "FindCase", got, want)
					got, err = tx.FindCaseByNumber(t.Context(), want.Number)
					if err != nil {
						t.Fatalf("FindCaseByNumber: %v", err)
					}
					diff(t, "FindCaseByNumber", got, want)
				}
				_, err := tx.FindCase(t.Context(), plain.ID+100)
				wantCode(t, err, civicgrid.NotFound)
				_, err = tx.FindCaseByNumber(t.Context(), "2026-999999")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"CreateErrors", func(t *testing.T, s civicgrid.Store) {
			createCase(t, s, newCase(1))
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.CreateCase(t.Context(), newCase(1)) }), civicgrid.Conflict)
			c := newCase(2)
			c.UnitID = 999
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.CreateCase(t.Context(), c) }), civicgrid.Invalid)
		}},
		{"UpdateCase", testUpdateCase},
		{"Events", testEvents},
		{"EventsBetween", testEventsBetween},
		{"FindDueCases", testFindDueCases},
	})
}

func testNextCaseSeq(t *testing.T, s civicgrid.Store) {
	next := func(year int) int {
		var n int
		update(t, s, func(tx civicgrid.Tx) (err error) {
			n, err = tx.NextCaseSeq(t.Context(), year)
			return err
		})
		return n
	}
	got := []int{next(2026), next(2026), next(2027), next(2026), next(2027)}
	diff(t, "sequence", got, []int{1, 2, 1, 3, 2})
	// A rolled-back Update gives its number back.
	updateErr(t, s, func(tx civicgrid.Tx) error {
		tx.NextCaseSeq(t.Context(), 2026)
		return fmt.Errorf("abandon")
	})
	if n := next(2026); n != 4 {
		t.Errorf("after a rolled-back Update, NextCaseSeq = %d, want 4", n)
	}
}

func testUpdateCase(t *testing.T, s civicgrid.Store) {
	unit := createUnit(t, s, "u")
	c := createCase(t, s, newCase(1))
	changed := *c
	changed.Status, changed.UnitID, changed.Version, changed.UpdatedAt = civicgrid.StatusDispatched, unit.ID, 2, at(time.Hour)
	changed.Deadline = ptr(at(2 * time.Hour))
	changed.Reporter = civicgrid.Reporter{Name: "王五", Email: "wang@example.cn"}
	changed.Intake = fullIntake("WO-9")
	update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateCase(t.Context(), &changed) })
	wantCase(t, s, &changed)

	stale := changed // still version 2, but version 2 is stored: the update was meant for version 1
	stale.Status = civicgrid.StatusCancelled
	wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateCase(t.Context(), &stale) }), civicgrid.Conflict)
	ahead := changed
	ahead.Version = 5
	wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateCase(t.Context(), &ahead) }), civicgrid.Conflict)
	missing := changed
	missing.ID, missing.Version = c.ID+100, 2
	wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateCase(t.Context(), &missing) }), civicgrid.NotFound)
	wantCase(t, s, &changed)

	next := changed
	next.Version, next.Status, next.Deadline, next.Intake = 3, civicgrid.StatusClosed, nil, civicgrid.Intake{}
	next.WeakEvidence, next.Evidence = true, []civicgrid.PhotoEvidence{{PhotoID: "cc", Weak: true, Reasons: []string{"taken_long_before"}}}
	update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateCase(t.Context(), &next) })
	wantCase(t, s, &next)
}

// wantCase checks that the stored case with want's ID is want.
func wantCase(t *testing.T, s civicgrid.Store, want *civicgrid.Case) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindCase(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("FindCase: %v", err)
		}
		diff(t, "case", got, want)
		return nil
	})
}

func testEvents(t *testing.T, s civicgrid.Store) {
	c1, c2 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2))
	e1 := &civicgrid.CaseEvent{CaseID: c1.ID, Action: "report", ActorID: 0, ActorName: "system", Role: civicgrid.RoleSystem,
		At: t0, To: civicgrid.StatusReported, Note: "报告", Data: map[string]string{"source": "web"},
		Photos: []string{"aa"}, Deadline: ptr(at(time.Hour))}
	e2 := &civicgrid.CaseEvent{CaseID: c2.ID, Action: "report", ActorID: 3, ActorName: "op", Role: civicgrid.RoleOperator,
		At: t0, To: civicgrid.StatusReported}
	e3 := &civicgrid.CaseEvent{CaseID: c1.ID, Action: "accept", ActorID: 3, ActorName: "op", Role: civicgrid.RoleOperator,
		At: at(time.Minute), From: civicgrid.StatusReported, To: civicgrid.StatusVerifying,
		StageEnded: civicgrid.StageAccept, OnTime: ptr(false)}
	update(t, s, func(tx civicgrid.Tx) error {
		for _, e := range []*civicgrid.CaseEvent{e1, e2, e3} {
			if err := tx.AppendEvent(t.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
	if e1.ID == 0 || e2.ID <= e1.ID || e3.ID <= e2.ID {
		t.Errorf("event IDs %d, %d, %d: want increasing, non-zero", e1.ID, e2.ID, e3.ID)
	}
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindEvents(t.Context(), c1.ID)
		if err != nil {
			t.Fatalf("FindEvents: %v", err)
		}
		diff(t, "events of case 1, oldest first", got, []*civicgrid.CaseEvent{e1, e3})
		if len(got) == 2 && (got[1].OnTime == nil || *got[1].OnTime) {
			t.Errorf("OnTime = %v, want a pointer to false", got[1].OnTime)
		}
		got, err = tx.FindEvents(t.Context(), c2.ID+100)
		if err != nil || len(got) != 0 {
			t.Errorf("FindEvents(unknown case) = %d events, %v; want none", len(got), err)
		}
		return nil
	})
	err := updateErr(t, s, func(tx civicgrid.Tx) error {
		return tx.AppendEvent(t.Context(), &civicgrid.CaseEvent{CaseID: c2.ID + 100, Action: "report", At: t0})
	})
	wantCode(t, err, civicgrid.Invalid)
}

// testFindDueCases checks that only open cases with a deadline at or before
// now, not yet overdue, are due, oldest deadline first.
func testFindDueCases(t *testing.T, s civicgrid.Store) {
	now := at(2 * time.Hour)
	wantDue := make([]string, 4)
	for i, tc := range []struct {
		status   civicgrid.Status
		deadline *time.Time
		overdue  bool
		due      int // position in the due list, 1-based; 0 when not due
	}{
		{civicgrid.StatusDispatched, ptr(at(time.Hour)), false, 2},
		{civicgrid.StatusHandling, ptr(now), false, 4}, // at now is due
		{civicgrid.StatusHandling, ptr(at(3 * time.Hour)), false, 0},
		{civicgrid.StatusClosed, ptr(t0), false, 0},
		{civicgrid.StatusCancelled, ptr(t0), false, 0},
		{civicgrid.StatusHandling, ptr(t0), true, 0},
		{civicgrid.StatusHandling, nil, false, 0},
		{civicgrid.StatusReported, ptr(at(30 * time.Minute)), false, 1},
		{civicgrid.StatusSuspended, ptr(at(90 * time.Minute)), false, 3},
	} {
		c := newCase(i + 1)
		c.Status, c.Deadline, c.Overdue = tc.status, tc.deadline, tc.overdue
		createCase(t, s, c)
		if tc.due > 0 {
			wantDue[tc.due-1] = c.Number
		}
	}
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindDueCases(t.Context(), now, 10)
		if err != nil {
			t.Fatalf("FindDueCases: %v", err)
		}
		diff(t, "due cases", numbers(got), wantDue)
		got, err = tx.FindDueCases(t.Context(), now, 2)
		if err != nil {
			t.Fatalf("FindDueCases: %v", err)
		}
		diff(t, "due cases, limit 2", numbers(got), wantDue[:2])
		got, err = tx.FindDueCases(t.Context(), at(-time.Hour), 10)
		if err != nil || len(got) != 0 {
			t.Errorf("FindDueCases before any deadline = %d cases, %v; want none", len(got), err)
		}
		return nil
	})
}

// testEventsBetween checks the events of every case in a span: from
// inclusive, to exclusive, oldest first and then by id, at most limit.
func testEventsBetween(t *testing.T, s civicgrid.Store) {
	c1, c2 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2))
	event := func(c *civicgrid.Case, d time.Duration) *civicgrid.CaseEvent {
		return &civicgrid.CaseEvent{CaseID: c.ID, Action: "urge", ActorID: 3, ActorName: "op", Role: civicgrid.RoleOperator,
			At: at(d), From: civicgrid.StatusDispatched, To: civicgrid.StatusDispatched, Note: d.String()}
	}
	before, late := event(c1, -time.Millisecond), event(c2, time.Minute)
	first, second := event(c2, 0), event(c1, 0) // at the same instant: by id
	end, third := event(c1, 2*time.Minute), event(c1, time.Minute-time.Millisecond)
	update(t, s, func(tx civicgrid.Tx) error {
		for _, e := range []*civicgrid.CaseEvent{before, late, first, second, end, third} {
			if err := tx.AppendEvent(t.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx civicgrid.Tx) error {
		for _, tc := range []struct {
			name     string
			from, to time.Time
			limit    int
			want     []*civicgrid.CaseEvent
		}{
			{"Span", t0, at(2 * time.Minute), 10, []*civicgrid.CaseEvent{first, second, third, late}},
			{"Limit", t0, at(2 * time.Minute), 3, []*civicgrid.CaseEvent{first, second, third}},
			{"NoLimit", at(-time.Hour), at(time.Hour), 0, []*civicgrid.CaseEvent{before, first, second, third, late, end}},
			{"Empty", t0, t0, 10, nil},
			{"Reversed", at(time.Hour), t0, 10, nil},
		} {
			got, err := tx.FindEventsBetween(t.Context(), tc.from, tc.to, tc.limit)
			if err != nil {
				t.Fatalf("FindEventsBetween: %v", err)
			}
			diff(t, tc.name, got, tc.want)
		}
		return nil
	})
}
