package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"civicgrid"
)

// delta is a StatDelta of day (yyyymmdd), dim, value and metric.
func delta(day int, dim civicgrid.StatDim, value, metric string, n int64) civicgrid.StatDelta {
	return civicgrid.StatDelta{Key: civicgrid.StatKey{Day: civicgrid.DateOfNumber(day), Dim: dim, Value: value}, Metric: metric, N: n}
}

// findStats runs FindStats in a View and returns its counts sorted.
func findStats(t *testing.T, s civicgrid.Store, q civicgrid.StatsQuery) []civicgrid.StatCount {
	t.Helper()
	var got []civicgrid.StatCount
	view(t, s, func(tx civicgrid.Tx) error {
		var err error
		got, err = tx.FindStats(t.Context(), q)
		return err
	})
	sortCounts(got)
	return got
}

// sortCounts orders counts by day, value and metric.
func sortCounts(c []civicgrid.StatCount) {
	slices.SortFunc(c, func(a, b civicgrid.StatCount) int {
		if d := a.Day.DayNumber() - b.Day.DayNumber(); d != 0 {
			return d
		}
		if v := strings.Compare(a.Value, b.Value); v != 0 {
			return v
		}
		return strings.Compare(a.Metric, b.Metric)
	})
}

func testStats(t *testing.T, open Opener) {
	unit, cell := civicgrid.DimUnit, civicgrid.DimCell
	seed := []civicgrid.StatDelta{
		delta(20260131, unit, "7", "filed", 1),
		delta(20260201, unit, "7", "filed", 2),
		delta(20260201, unit, "7", "closed", 1),
		delta(20260215, unit, "8", "filed", 1),
		delta(20260215, unit, "8", "accurately_filed", 1),
		delta(20260220, unit, "8", "accurately_filed", -1),
		delta(20260301, unit, "7", "filed", 5),
		delta(20260201, cell, "330102001001001", "filed", 1),
		delta(20260202, cell, "330102001001002", "filed", 1),
		delta(20260202, cell, "330102002001001", "filed", 1),
	}
	feb := func(q civicgrid.StatsQuery) civicgrid.StatsQuery {
		q.From, q.To = civicgrid.DateOfNumber(20260201), civicgrid.DateOfNumber(20260301)
		return q
	}
	runTests(t, open, []test{
		{"AddAndFind", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.AddStats(t.Context(), seed) })
			for _, tc := range []struct {
				name string
				q    civicgrid.StatsQuery
				want []civicgrid.StatCount
			}{
				{"month, to exclusive, zero sums dropped", feb(civicgrid.StatsQuery{GroupBy: unit}), []civicgrid.StatCount{
					{Value: "7", Metric: "closed", N: 1}, {Value: "7", Metric: "filed", N: 2}, {Value: "8", Metric: "filed", N: 1}}},
				{"metrics", feb(civicgrid.StatsQuery{GroupBy: unit, Metrics: []string{"closed"}}), []civicgrid.StatCount{
					{Value: "7", Metric: "closed", N: 1}}},
				{"value", feb(civicgrid.StatsQuery{GroupBy: unit, Value: "8"}), []civicgrid.StatCount{
					{Value: "8", Metric: "filed", N: 1}}},
				{"unbounded", civicgrid.StatsQuery{GroupBy: unit, Metrics: []string{"filed"}}, []civicgrid.StatCount{
					{Value: "7", Metric: "filed", N: 8}, {Value: "8", Metric: "filed", N: 1}}},
				{"by day", feb(civicgrid.StatsQuery{GroupBy: unit, ByDay: true, Value: "8"}), []civicgrid.StatCount{
					{Day: civicgrid.DateOfNumber(20260215), Value: "8", Metric: "accurately_filed", N: 1},
					{Day: civicgrid.DateOfNumber(20260215), Value: "8", Metric: "filed", N: 1},
					{Day: civicgrid.DateOfNumber(20260220), Value: "8", Metric: "accurately_filed", N: -1}}},
				{"value prefix", feb(civicgrid.StatsQuery{GroupBy: cell, ValuePrefix: "330102001"}), []civicgrid.StatCount{
					{Value: "330102001001001", Metric: "filed", N: 1}, {Value: "330102001001002", Metric: "filed", N: 1}}},
				{"value suffix", feb(civicgrid.StatsQuery{GroupBy: cell, ValueSuffix: "001001"}), []civicgrid.StatCount{
					{Value: "330102001001001", Metric: "filed", N: 1}, {Value: "330102002001001", Metric: "filed", N: 1}}},
				{"value prefix and suffix", feb(civicgrid.StatsQuery{GroupBy: cell, ValuePrefix: "330102001", ValueSuffix: "001001"}), []civicgrid.StatCount{
					{Value: "330102001001001", Metric: "filed", N: 1}}},
				{"other dimension", civicgrid.StatsQuery{GroupBy: civicgrid.DimSource}, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					diff(t, "counts", findStats(t, s, tc.q), tc.want)
				})
			}
		}},
		{"AddsUp", func(t *testing.T, s civicgrid.Store) {
			for range 3 {
				update(t, s, func(tx civicgrid.Tx) error {
					return tx.AddStats(t.Context(), []civicgrid.StatDelta{delta(20260201, unit, "7", "filed", 1), delta(20260201, unit, "7", "filed", 1)})
				})
			}
			diff(t, "counts", findStats(t, s, civicgrid.StatsQuery{GroupBy: unit}), []civicgrid.StatCount{{Value: "7", Metric: "filed", N: 6}})
		}},
		{"EveryCount", func(t *testing.T, s civicgrid.Store) {
			var want []civicgrid.StatCount
			update(t, s, func(tx civicgrid.Tx) error {
				for i, code := range civicgrid.CountCodes() {
					if err := tx.AddStats(t.Context(), []civicgrid.StatDelta{delta(20260201, unit, "1", code, int64(i+1))}); err != nil {
						return err
					}
					want = append(want, civicgrid.StatCount{Value: "1", Metric: code, N: int64(i + 1)})
				}
				return nil
			})
			sortCounts(want)
			diff(t, "counts", findStats(t, s, civicgrid.StatsQuery{GroupBy: unit}), want)
		}},
		{"SeenInTheTransaction", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.AddStats(t.Context(), seed[:1]); err != nil {
					return err
				}
				got, err := tx.FindStats(t.Context(), civicgrid.StatsQuery{GroupBy: unit})
				diff(t, "counts", got, []civicgrid.StatCount{{Value: "7", Metric: "filed", N: 1}})
				return err
			})
		}},
		{"RolledBack", func(t *testing.T, s civicgrid.Store) {
			boom := errors.New("boom")
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				if err := tx.AddStats(t.Context(), seed); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("Update = %v, want boom", err)
			}
			diff(t, "counts", findStats(t, s, civicgrid.StatsQuery{GroupBy: unit}), []civicgrid.StatCount(nil))
		}},
		{"Replace", func(t *testing.T, s civicgrid.Store) {
			update(t, s, func(tx civicgrid.Tx) error { return tx.AddStats(t.Context(), seed) })
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.ReplaceStats(t.Context(), []civicgrid.StatDelta{delta(20260201, unit, "9", "closed", 1), delta(20260201, unit, "9", "closed", 2)})
			})
			diff(t, "counts", findStats(t, s, civicgrid.StatsQuery{GroupBy: unit}), []civicgrid.StatCount{{Value: "9", Metric: "closed", N: 3}})
			diff(t, "counts", findStats(t, s, civicgrid.StatsQuery{GroupBy: cell}), []civicgrid.StatCount(nil))
		}},
		{"Errors", func(t *testing.T, s civicgrid.Store) {
			err := s.View(t.Context(), func(tx civicgrid.Tx) error { return tx.AddStats(t.Context(), seed) })
			wantCode(t, err, civicgrid.Internal)
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.AddStats(t.Context(), []civicgrid.StatDelta{delta(20260201, unit, "1", "no_such_count", 1)})
			})
			wantCode(t, err, civicgrid.Internal)
			err = s.View(t.Context(), func(tx civicgrid.Tx) error {
				_, err := tx.FindStats(t.Context(), civicgrid.StatsQuery{GroupBy: unit, Metrics: []string{"rate_closed"}})
				return err
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}
