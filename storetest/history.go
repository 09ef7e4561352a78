package storetest

import (
	"errors"
	"testing"
	"time"

	"civicgrid"
)

func testHistory(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"empty", func(t *testing.T, s civicgrid.Store) {
			view(t, s, func(tx civicgrid.Tx) error {
				return tx.EachHistory(t.Context(), func(c *civicgrid.Case, events []*civicgrid.CaseEvent) error {
					t.Errorf("EachHistory on an empty store called fn with case %d", c.ID)
					return nil
				})
			})
		}},
		{"every case with its own events", testEachHistory},
		{"fn's error stops the walk", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error {
				for i := 1; i <= 3; i++ {
					if err := tx.CreateCase(t.Context(), newCase(i)); err != nil {
						return err
					}
				}
				return nil
			})
			stop := errors.New("stop")
			calls := 0
			err := s.View(t.Context(), func(tx civicgrid.Tx) error {
				return tx.EachHistory(t.Context(), func(c *civicgrid.Case, events []*civicgrid.CaseEvent) error {
					calls++
					return stop
				})
			})
			if !errors.Is(err, stop) || calls != 1 {
				t.Errorf("EachHistory = %v after %d calls; want fn's error after 1", err, calls)
			}
		}},
	})
}

// testEachHistory stores more cases than a backend would read in one page,
// their events appended round-robin (so the ids of one case's events are
// not adjacent), some cases with none, and checks that EachHistory hands
// over every case once, in id order, with exactly its events oldest first,
// and lets fn use the transaction.
func testEachHistory(t *testing.T, s civicgrid.Store) {
	const n = 2503
	cases := make([]*civicgrid.Case, n)
	want := map[civicgrid.CaseID][]*civicgrid.CaseEvent{}
	update(t, s, func(tx civicgrid.Tx) error {
		for i := range cases {
			cases[i] = newCase(i + 1)
			if err := tx.CreateCase(t.Context(), cases[i]); err != nil {
				return err
			}
		}
		for round := range 3 {
			for i, c := range cases {
				if i%7 == 3 || (round == 2 && i%2 == 0) {
					continue // no events, or fewer
				}
				e := &civicgrid.CaseEvent{CaseID: c.ID, Action: "report", ActorName: "system", Role: civicgrid.RoleSystem,
					At: at(time.Duration(i+round) * time.Minute), To: civicgrid.StatusReported, Note: "n",
					Data: map[string]string{"round": string(rune('a' + round))}}
				if err := tx.AppendEvent(t.Context(), e); err != nil {
					return err
				}
				want[c.ID] = append(want[c.ID], e)
			}
		}
		return nil
	})
	var last civicgrid.CaseID
	seen := 0
	view(t, s, func(tx civicgrid.Tx) error {
		return tx.EachHistory(t.Context(), func(c *civicgrid.Case, events []*civicgrid.CaseEvent) error {
			if c.ID <= last {
				t.Fatalf("case %d after case %d: want id order", c.ID, last)
			}
			last = c.ID
			if seen < n && c.Number != cases[seen].Number {
				t.Errorf("case %d is %s, want %s", c.ID, c.Number, cases[seen].Number)
			}
			seen++
			diff(t, "events of "+c.Number, events, want[c.ID])
			// fn may use the transaction.
			if _, err := tx.FindCase(t.Context(), c.ID); err != nil {
				t.Fatalf("FindCase inside EachHistory: %v", err)
			}
			return nil
		})
	})
	if seen != n {
		t.Errorf("EachHistory gave %d cases, want %d", seen, n)
	}
}
