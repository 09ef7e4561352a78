package storetest

import (
	"testing"

	"civicgrid"
)

func testArea(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"UpsertAndFind", func(t *testing.T, s civicgrid.Store) {
			street := &civicgrid.Area{Code: "110101001", Level: civicgrid.LevelStreet, Name: "东华门街道",
				ParentCode: "110101", Shape: square(116.39, 39.91, 0.02)}
			district := &civicgrid.Area{Code: "110101", Level: civicgrid.LevelDistrict, Name: "东城区"}
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.UpsertArea(t.Context(), street); err != nil {
					return err
				}
				return tx.UpsertArea(t.Context(), district)
			})
			view(t, s, func(tx civicgrid.Tx) error {
				areas, err := tx.FindAreas(t.Context())
				if err != nil {
					t.Fatalf("FindAreas: %v", err)
				}
				diff(t, "areas ordered by code", areas, []*civicgrid.Area{district, street})
				return nil
			})
		}},
		{"RenameKeepsShape", func(t *testing.T, s civicgrid.Store) {
			a := &civicgrid.Area{Code: "110101", Level: civicgrid.LevelDistrict, Name: "东城区", Shape: square(116.3, 39.9, 0.1)}
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertArea(t.Context(), a) })
			renamed := &civicgrid.Area{Code: "110101", Level: civicgrid.LevelDistrict, Name: "东城"}
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertArea(t.Context(), renamed) })
			view(t, s, func(tx civicgrid.Tx) error {
				areas, err := tx.FindAreas(t.Context())
				want := &civicgrid.Area{Code: "110101", Level: civicgrid.LevelDistrict, Name: "东城", Shape: a.Shape}
				if err != nil {
					t.Fatalf("FindAreas: %v", err)
				}
				diff(t, "areas", areas, []*civicgrid.Area{want})
				return nil
			})
			reshaped := &civicgrid.Area{Code: "110101", Level: civicgrid.LevelDistrict, Name: "东城", Shape: square(116, 39, 1)}
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertArea(t.Context(), reshaped) })
			view(t, s, func(tx civicgrid.Tx) error {
				areas, err := tx.FindAreas(t.Context())
				if err != nil {
					t.Fatalf("FindAreas: %v", err)
				}
				diff(t, "areas after new shape", areas, []*civicgrid.Area{reshaped})
				return nil
			})
		}},
	})
}
