package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

// cell returns a cell with code, its shape a square at lon, lat.
func cell(code string, lon, lat float64) *civicgrid.GridCell {
	shape := square(lon, lat, 0.001)
	return &civicgrid.GridCell{Code: code, Name: "网格 " + code[12:], Shape: shape, AreaM2: shape.AreaM2(), Centroid: shape.Centroid()}
}

// validity returns c with its validity set.
func validity(c *civicgrid.GridCell, from time.Time, to *time.Time) *civicgrid.GridCell {
	v := *c
	v.ValidFrom, v.ValidTo = from, to
	return &v
}

// withInspectors returns c with its inspectors set.
func withInspectors(c *civicgrid.GridCell, ids ...civicgrid.UserID) *civicgrid.GridCell {
	v := *c
	v.Inspectors = ids
	return &v
}

func testGrid(t *testing.T, open Opener) {
	const a, b = "110101001001001", "110101001001002"
	runTests(t, open, []test{
		{"SaveAndFindCurrent", func(t *testing.T, s civicgrid.Store) {
			ca, cb := cell(a, 116.39, 39.91), cell(b, 116.391, 39.91)
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCells(t.Context(), []*civicgrid.GridCell{cb, ca}, t0) })
			view(t, s, func(tx civicgrid.Tx) error {
				cells, err := tx.FindCurrentCells(t.Context())
				if err != nil {
					t.Fatalf("FindCurrentCells: %v", err)
				}
				diff(t, "current cells ordered by code", cells, []*civicgrid.GridCell{validity(ca, t0, nil), validity(cb, t0, nil)})
				return nil
			})
		}},
		{"Versions", func(t *testing.T, s civicgrid.Store) {
			v1, v2, other := cell(a, 116.39, 39.91), cell(a, 116.395, 39.915), cell(b, 116.391, 39.91)
			t1 := at(24 * time.Hour)
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCells(t.Context(), []*civicgrid.GridCell{v1, other}, t0) })
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCells(t.Context(), []*civicgrid.GridCell{v2}, t1) })
			view(t, s, func(tx civicgrid.Tx) error {
				history, err := tx.FindCellHistory(t.Context(), a)
				if err != nil {
					t.Fatalf("FindCellHistory: %v", err)
				}
				diff(t, "history", history, []*civicgrid.GridCell{validity(v1, t0, &t1), validity(v2, t1, nil)})
				cells, err := tx.FindCurrentCells(t.Context())
				if err != nil {
					t.Fatalf("FindCurrentCells: %v", err)
				}
				diff(t, "current cells", cells, []*civicgrid.GridCell{validity(v2, t1, nil), validity(other, t0, nil)})
				history, err = tx.FindCellHistory(t.Context(), "110101001001999")
				if err != nil || len(history) != 0 {
					t.Errorf("FindCellHistory(unknown) = %d versions, %v; want none", len(history), err)
				}
				return nil
			})
		}},
		{"Inspectors", func(t *testing.T, s civicgrid.Store) {
			u1, u2, u3 := createUser(t, s, "i1", civicgrid.RoleInspector, 0), createUser(t, s, "i2", civicgrid.RoleInspector, 0),
				createUser(t, s, "i3", civicgrid.RoleInspector, 0)
			c := cell(a, 116.39, 39.91)
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCells(t.Context(), []*civicgrid.GridCell{c}, t0) })
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.SetCellInspectors(t.Context(), a, []civicgrid.UserID{u2.ID, u1.ID})
			})
			wantCurrent(t, s, withInspectors(validity(c, t0, nil), u1.ID, u2.ID))

			// A new version without inspectors keeps the code's inspectors.
			t1 := at(time.Hour)
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCells(t.Context(), []*civicgrid.GridCell{c}, t1) })
			wantCurrent(t, s, withInspectors(validity(c, t1, nil), u1.ID, u2.ID))

			// One with inspectors replaces them.
			t2 := at(2 * time.Hour)
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.SaveCells(t.Context(), []*civicgrid.GridCell{withInspectors(c, u3.ID)}, t2)
			})
			wantCurrent(t, s, withInspectors(validity(c, t2, nil), u3.ID))

			update(t, s, func(tx civicgrid.Tx) error { return tx.SetCellInspectors(t.Context(), a, nil) })
			wantCurrent(t, s, validity(c, t2, nil))
		}},
		{"InspectorErrors", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "i1", civicgrid.RoleInspector, 0)
			err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.SetCellInspectors(t.Context(), a, []civicgrid.UserID{u.ID}) })
			wantCode(t, err, civicgrid.NotFound)
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.SaveCells(t.Context(), []*civicgrid.GridCell{cell(a, 116.39, 39.91)}, t0)
			})
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.SetCellInspectors(t.Context(), a, []civicgrid.UserID{u.ID + 100})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}

// wantCurrent checks that the current cells are want.
func wantCurrent(t *testing.T, s civicgrid.Store, want ...*civicgrid.GridCell) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		cells, err := tx.FindCurrentCells(t.Context())
		if err != nil {
			t.Fatalf("FindCurrentCells: %v", err)
		}
		diff(t, "current cells", cells, want)
		return nil
	})
}
