package storetest

import (
	"testing"

	"civicgrid"
)

func testComponent(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"UpsertAndFind", func(t *testing.T, s civicgrid.Store) {
			owner, maint := createUnit(t, s, "owner"), createUnit(t, s, "maint")
			c := &civicgrid.RegisteredComponent{Code: "1101010101000001", CategoryCode: "BJ0101", Name: "井盖",
				CellCode: "110101001001001", Point: civicgrid.Point{Lat: 39.91, Lon: 116.39}, OwnerUnit: owner.ID,
				Maintainer: maint.ID, State: "完好"}
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertComponent(t.Context(), c) })
			wantComponent(t, s, c)
			changed := *c
			changed.State, changed.Maintainer = "破损", 0
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertComponent(t.Context(), &changed) })
			wantComponent(t, s, &changed)
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindComponent(t.Context(), "1101010101000002")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"UnknownUnit", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.UpsertComponent(t.Context(), &civicgrid.RegisteredComponent{Code: "1101010101000001",
					CategoryCode: "BJ0101", OwnerUnit: 999})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}

// wantComponent checks that the stored component with want's code is want.
func wantComponent(t *testing.T, s civicgrid.Store, want *civicgrid.RegisteredComponent) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindComponent(t.Context(), want.Code)
		if err != nil {
			t.Fatalf("FindComponent: %v", err)
		}
		diff(t, "component", got, want)
		return nil
	})
}
