package civicgrid_test

import (
	"testing"

	"civicgrid"
)

// TestEnsureLayout: the aggregates are recomputed once after an upgrade
// changed what they keep, and not again.
func TestEnsureLayout(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	if _, err := stats.EnsureLayout(w.as(ctx, civicgrid.RoleOperator)); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Fatalf("an operator rebuilt the statistics: %v", err)
	}
	if check, err := stats.EnsureLayout(sys); err != nil || check == nil {
		t.Fatalf("first start: %v, %v", check, err)
	}
	if check, err := stats.EnsureLayout(sys); err != nil || check != nil {
		t.Fatalf("second start rebuilt: %v, %v", check, err)
	}

	// An older version's aggregates: a count missing.
	w.report(t, garbage)
	err := w.db.Update(ctx, func(tx civicgrid.Tx) error {
		if err := tx.SetSetting(ctx, "stats_layout", "v1;reported"); err != nil {
			return err
		}
		return tx.AddStats(ctx, []civicgrid.StatDelta{{Key: civicgrid.StatKey{Day: civicgrid.Date{Year: 2026, Month: 3, Day: 10}, Dim: civicgrid.DimCity, Value: "all"}, Metric: "reported", N: -1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if check, err := stats.Verify(sys); err != nil || len(check.Diffs) == 0 {
		t.Fatalf("verify before the upgrade's rebuild: %v, %v", check, err)
	}
	check, err := stats.EnsureLayout(sys)
	if err != nil || check == nil || check.Cases != 1 {
		t.Fatalf("start after an upgrade: %+v, %v", check, err)
	}
	if check, err := stats.Verify(sys); err != nil || len(check.Diffs) != 0 {
		t.Fatalf("verify after the rebuild: %v, %v", check.Diffs, err)
	}
	if check, err := stats.EnsureLayout(sys); err != nil || check != nil {
		t.Fatalf("the start after that rebuilt again: %v, %v", check, err)
	}
}
