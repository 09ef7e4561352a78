package storetest

import (
	"testing"

	"civicgrid"
)

func testRouting(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateFindDelete", func(t *testing.T, s civicgrid.Store) {
			u := createUnit(t, s, "u")
			r1 := &civicgrid.RoutingRule{CategoryPrefix: "06", AreaPrefix: "110101", UnitID: u.ID}
			r2 := &civicgrid.RoutingRule{CategoryPrefix: "", AreaPrefix: "", UnitID: u.ID}
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.CreateRoutingRule(t.Context(), r1); err != nil {
					return err
				}
				return tx.CreateRoutingRule(t.Context(), r2)
			})
			if r1.ID == 0 || r2.ID <= r1.ID {
				t.Errorf("rule IDs %d, %d: want increasing, non-zero", r1.ID, r2.ID)
			}
			wantRules(t, s, r1, r2)
			update(t, s, func(tx civicgrid.Tx) error { return tx.DeleteRoutingRule(t.Context(), r1.ID) })
			wantRules(t, s, r2)
			err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.DeleteRoutingRule(t.Context(), r1.ID) })
			wantCode(t, err, civicgrid.NotFound)
		}},
		{"Errors", func(t *testing.T, s civicgrid.Store) {
			u := createUnit(t, s, "u")
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateRoutingRule(t.Context(), &civicgrid.RoutingRule{CategoryPrefix: "06", AreaPrefix: "110101", UnitID: u.ID})
			})
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateRoutingRule(t.Context(), &civicgrid.RoutingRule{CategoryPrefix: "06", AreaPrefix: "110101", UnitID: u.ID})
			})
			wantCode(t, err, civicgrid.Conflict)
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateRoutingRule(t.Context(), &civicgrid.RoutingRule{CategoryPrefix: "07", UnitID: u.ID + 100})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}

// wantRules checks that the stored rules are want.
func wantRules(t *testing.T, s civicgrid.Store, want ...*civicgrid.RoutingRule) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		rules, err := tx.FindRoutingRules(t.Context())
		if err != nil {
			t.Fatalf("FindRoutingRules: %v", err)
		}
		diff(t, "rules ordered by id", rules, want)
		return nil
	})
}
