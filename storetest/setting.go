package storetest

import (
	"testing"

	"civicgrid"
)

func testSetting(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"Missing", func(t *testing.T, s civicgrid.Store) {
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.Setting(t.Context(), "city.name")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"SetAndReplace", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "city.name", "甲市") })
			update(t, s, func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "city.name", "乙市") })
			update(t, s, func(tx civicgrid.Tx) error { return tx.SetSetting(t.Context(), "other", "") })
			view(t, s, func(tx civicgrid.Tx) error {
				v, err := tx.Setting(t.Context(), "city.name")
				if err != nil || v != "乙市" {
					t.Errorf("Setting(city.name) = %q, %v; want 乙市", v, err)
				}
				v, err = tx.Setting(t.Context(), "other")
				if err != nil || v != "" {
					t.Errorf("Setting(other) = %q, %v; want empty", v, err)
				}
				return nil
			})
		}},
	})
}
