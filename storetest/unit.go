package storetest

import (
	"testing"

	"civicgrid"
)

// createUnit stores a unit with code and returns it.
func createUnit(t *testing.T, s civicgrid.Store, code string) *civicgrid.Unit {
	t.Helper()
	u := &civicgrid.Unit{Code: code, Name: civicgrid.Text{Zh: "单位" + code, En: "Unit " + code}, Kind: "department",
		AreaCode: "110101", Phone: "010-1234", Active: true}
	update(t, s, func(tx civicgrid.Tx) error { return tx.CreateUnit(t.Context(), u) })
	if u.ID == 0 {
		t.Fatal("CreateUnit did not set the ID")
	}
	return u
}

func testUnit(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateAndFind", func(t *testing.T, s civicgrid.Store) {
			b := createUnit(t, s, "b")
			a := createUnit(t, s, "a")
			if a.ID == b.ID {
				t.Errorf("two units got ID %d", a.ID)
			}
			view(t, s, func(tx civicgrid.Tx) error {
				units, err := tx.FindUnits(t.Context())
				if err != nil {
					t.Fatalf("FindUnits: %v", err)
				}
				diff(t, "units ordered by code", units, []*civicgrid.Unit{a, b})
				return nil
			})
		}},
		{"DuplicateCode", func(t *testing.T, s civicgrid.Store) {
			createUnit(t, s, "a")
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateUnit(t.Context(), &civicgrid.Unit{Code: "a", Name: civicgrid.Text{Zh: "另一个"}})
			})
			wantCode(t, err, civicgrid.Conflict)
		}},
	})
}
