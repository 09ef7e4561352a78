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
		{"Update", func(t *testing.T, s civicgrid.Store) {
			a := createUnit(t, s, "a")
			createUnit(t, s, "b")
			changed := *a
			changed.Code, changed.Name, changed.Kind, changed.AreaCode, changed.Phone, changed.Active =
				"c", civicgrid.Text{Zh: "新名", En: "New"}, "street", "110101001", "", false
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUnit(t.Context(), &changed) })
			view(t, s, func(tx civicgrid.Tx) error {
				units, err := tx.FindUnits(t.Context())
				if err != nil {
					t.Fatalf("FindUnits: %v", err)
				}
				if len(units) != 2 {
					t.Fatalf("%d units after an update, want 2", len(units))
				}
				diff(t, "updated unit", units[1], &changed)
				return nil
			})
			taken := changed
			taken.Code = "b"
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUnit(t.Context(), &taken) }), civicgrid.Conflict)
			missing := changed
			missing.ID, missing.Code = a.ID+100, "d"
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUnit(t.Context(), &missing) }), civicgrid.NotFound)
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
