package storetest

import (
	"testing"

	"civicgrid"
)

// sample is a DurationSample of day (yyyymmdd), dim, value and seconds.
func sample(day int, dim civicgrid.StatDim, value string, seconds, n int64) civicgrid.DurationSample {
	return civicgrid.DurationSample{Key: civicgrid.StatKey{Day: civicgrid.DateOfNumber(day), Dim: dim, Value: value},
		Metric: "closing_time", Seconds: seconds, N: n}
}

// findDurations runs FindDurations in a View.
func findDurations(t *testing.T, s civicgrid.Store, q civicgrid.StatsQuery) []civicgrid.DurationCount {
	t.Helper()
	var got []civicgrid.DurationCount
	view(t, s, func(tx civicgrid.Tx) error {
		var err error
		got, err = tx.FindDurations(t.Context(), q)
		return err
	})
	return got
}

func testDurations(t *testing.T, open Opener) {
	cat := civicgrid.DimCategory
	seed := []civicgrid.DurationSample{
		sample(20260131, cat, "06010", 60, 1),
		sample(20260201, cat, "06010", 7200, 1),
		sample(20260201, cat, "06010", 60, 1),
		sample(20260202, cat, "06010", 60, 2),
		sample(20260210, cat, "01010", 30, 1),
		sample(20260301, cat, "01010", 10, 1),
		sample(20260201, civicgrid.DimCell, "330102001001001", 60, 1),
	}
	feb := civicgrid.StatsQuery{GroupBy: cat, From: civicgrid.DateOfNumber(20260201), To: civicgrid.DateOfNumber(20260301), Metrics: []string{"closing_time"}}
	runTests(t, open, []test{
		{"AddAndFind", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.AddDurations(t.Context(), seed) })
			// Summed over the days, ordered by value then seconds.
			diff(t, "February", findDurations(t, s, feb), []civicgrid.DurationCount{
				{Value: "01010", Metric: "closing_time", Seconds: 30, N: 1},
				{Value: "06010", Metric: "closing_time", Seconds: 60, N: 3},
				{Value: "06010", Metric: "closing_time", Seconds: 7200, N: 1},
			})
			q := feb
			q.Value = "01010"
			diff(t, "value", findDurations(t, s, q), []civicgrid.DurationCount{{Value: "01010", Metric: "closing_time", Seconds: 30, N: 1}})
			q = feb
			q.GroupBy, q.ValuePrefix = civicgrid.DimCell, "330102"
			diff(t, "prefix", findDurations(t, s, q), []civicgrid.DurationCount{{Value: "330102001001001", Metric: "closing_time", Seconds: 60, N: 1}})
		}},
		{"SeenInTheSameTransaction", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.AddDurations(t.Context(), seed[:2]); err != nil {
					return err
				}
				got, err := tx.FindDurations(t.Context(), feb)
				diff(t, "in the transaction", got, []civicgrid.DurationCount{{Value: "06010", Metric: "closing_time", Seconds: 7200, N: 1}})
				return err
			})
		}},
		{"RolledBack", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				if err := tx.AddDurations(t.Context(), seed); err != nil {
					return err
				}
				return civicgrid.Errorf(civicgrid.Conflict, "changed my mind")
			})
			if civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
				t.Fatalf("update: %v", err)
			}
			if got := findDurations(t, s, feb); len(got) != 0 {
				t.Fatalf("a rolled-back transaction left %v", got)
			}
		}},
		{"Replace", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.AddDurations(t.Context(), seed) })
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.ReplaceDurations(t.Context(), []civicgrid.DurationSample{sample(20260205, cat, "06010", 5, 1)})
			})
			diff(t, "replaced", findDurations(t, s, feb), []civicgrid.DurationCount{{Value: "06010", Metric: "closing_time", Seconds: 5, N: 1}})
		}},
		{"Refusals", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.AddDurations(t.Context(), []civicgrid.DurationSample{{Key: seed[0].Key, Metric: "closed", Seconds: 1, N: 1}})
			})
			if err == nil {
				t.Error("AddDurations took a count")
			}
			view(t, s, func(tx civicgrid.Tx) error {
				if _, err := tx.FindDurations(t.Context(), civicgrid.StatsQuery{GroupBy: cat, Metrics: []string{"closed"}}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
					t.Errorf("FindDurations of a count: %v", err)
				}
				if err := tx.AddDurations(t.Context(), seed); civicgrid.ErrorCodeOf(err) != civicgrid.Internal {
					t.Errorf("AddDurations in a read-only transaction: %v", err)
				}
				return nil
			})
		}},
	})
}
