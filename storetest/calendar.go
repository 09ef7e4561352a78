package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testCalendar(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"NeverSaved", func(t *testing.T, s civicgrid.Store) {
			view(t, s, func(tx civicgrid.Tx) error {
				_, _, err := tx.LoadCalendar(t.Context())
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"RoundTripAndReplace", func(t *testing.T, s civicgrid.Store) {
			periods := []civicgrid.WorkPeriod{{Start: 510, End: 720}, {Start: 840, End: 1050}}
			overrides := []civicgrid.DayOverride{
				{Date: civicgrid.Date{Year: 2026, Month: time.January, Day: 1}, Kind: civicgrid.DayHoliday, Name: civicgrid.Text{Zh: "元旦", En: "New Year"}},
				{Date: civicgrid.Date{Year: 2026, Month: time.February, Day: 14}, Kind: civicgrid.DayWorkday, Name: civicgrid.Text{Zh: "调休"}},
			}
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCalendar(t.Context(), periods, overrides) })
			view(t, s, func(tx civicgrid.Tx) error {
				p, o, err := tx.LoadCalendar(t.Context())
				if err != nil {
					t.Fatalf("LoadCalendar: %v", err)
				}
				diff(t, "periods", p, periods)
				diff(t, "overrides", o, overrides)
				return nil
			})
			periods = []civicgrid.WorkPeriod{{Start: 540, End: 1020}}
			update(t, s, func(tx civicgrid.Tx) error { return tx.SaveCalendar(t.Context(), periods, nil) })
			view(t, s, func(tx civicgrid.Tx) error {
				p, o, err := tx.LoadCalendar(t.Context())
				if err != nil {
					t.Fatalf("LoadCalendar: %v", err)
				}
				diff(t, "periods after replace", p, periods)
				diff(t, "overrides after replace", o, []civicgrid.DayOverride(nil))
				return nil
			})
		}},
	})
}
