package storetest

import (
	"slices"
	"testing"
	"time"

	"civicgrid"
)

func testCaseClock(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"FindOpenCaseClocks", func(t *testing.T, s civicgrid.Store) {
			started, due := at(time.Hour), at(3*time.Hour)
			running := newCase(1)
			running.Status, running.Stage, running.StageStartedAt, running.Deadline = civicgrid.StatusHandling, civicgrid.StageHandle, &started, &due
			running.StageLimit = civicgrid.TimeLimit{Amount: 1, Unit: civicgrid.WorkingDays}
			createCase(t, s, running)
			fresh := createCase(t, s, newCase(2)) // no clock
			closed := newCase(3)
			closed.Status = civicgrid.StatusClosed
			createCase(t, s, closed)
			elsewhere := newCase(4)
			elsewhere.CellCode = "110102001001001"
			createCase(t, s, elsewhere)

			var got []civicgrid.CaseClock
			view(t, s, func(tx civicgrid.Tx) (err error) {
				got, err = tx.FindOpenCaseClocks(t.Context(), civicgrid.CaseFilter{
					Statuses: []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusHandling}, ScopeArea: "110101", Limit: 1, After: 1})
				return err
			})
			slices.SortFunc(got, func(a, b civicgrid.CaseClock) int { return int(a.ID - b.ID) })
			diff(t, "FindOpenCaseClocks", got, []civicgrid.CaseClock{
				{ID: running.ID, Status: civicgrid.StatusHandling, Stage: civicgrid.StageHandle, StageStartedAt: &started, Deadline: &due,
					LimitUnit: civicgrid.WorkingDays},
				{ID: fresh.ID, Status: civicgrid.StatusReported},
			})
			var all []civicgrid.CaseClock
			view(t, s, func(tx civicgrid.Tx) (err error) {
				all, err = tx.FindOpenCaseClocks(t.Context(), civicgrid.CaseFilter{})
				return err
			})
			if len(all) != 3 {
				t.Errorf("FindOpenCaseClocks with no filter = %d clocks, want the 3 open cases", len(all))
			}
			if c := got[0].Case(); c.Deadline != got[0].Deadline || c.StageLimit.Unit != civicgrid.WorkingDays {
				t.Errorf("CaseClock.Case = %+v, want the clock's fields", c)
			}
		}},
		{"CountCasesBySource", func(t *testing.T, s civicgrid.Store) {
			for i, src := range []civicgrid.Source{civicgrid.SourceWeb, civicgrid.SourceHotline, civicgrid.SourceWeb, civicgrid.SourceCamera} {
				c := newCase(i + 1) // created i+1 minutes after t0
				c.Source = src
				createCase(t, s, c)
			}
			from, to := at(2*time.Minute), at(4*time.Minute)
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.CountCasesBySource(t.Context(), civicgrid.CaseFilter{CreatedFrom: &from, CreatedTo: &to})
				if err != nil {
					return err
				}
				diff(t, "CountCasesBySource", got, map[civicgrid.Source]int{civicgrid.SourceHotline: 1, civicgrid.SourceWeb: 1})
				got, err = tx.CountCasesBySource(t.Context(), civicgrid.CaseFilter{ScopeArea: "120000"})
				diff(t, "CountCasesBySource elsewhere", got, map[civicgrid.Source]int{})
				return err
			})
		}},
	})
}
