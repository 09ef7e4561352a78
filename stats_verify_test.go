package civicgrid_test

import (
	"fmt"
	"testing"
	"time"

	"civicgrid"
)

// TestVerifyStreamsOutOfOrder checks the streaming Verify where case ids
// do not follow the reports (an import of old work orders after newer
// cases): what an older case counts on days Verify has already compared is
// still checked, and a wrong count on such a day, or on an ordinary one,
// is reported with the stored and recomputed numbers.
func TestVerifyStreamsOutOfOrder(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	stats := civicgrid.NewStatsService(w.db, w.city.City, civicgrid.DefaultStatsConfig())
	// Cases 1..3 reported on 10, 12 and 14 March; then 4..6 imported,
	// reported on 1, 11 and 20 March.
	days := []int{10, 12, 14, 1, 11, 20}
	err := w.db.BulkLoad(ctx, func(tx civicgrid.Tx) error {
		for i, d := range days {
			at := time.Date(2026, 3, d, 9, 0, 0, 0, cst)
			c := &civicgrid.Case{Number: fmt.Sprintf("2026-%06d", i+1), Source: civicgrid.SourceHotline, CategoryCode: garbage,
				Lat: 30.2505, Lon: 120.1505, CellCode: "330102001001001", CommunityCode: "330102001001", StreetCode: "330102001",
				DistrictCode: "330102", Description: "x", Status: civicgrid.StatusReported, Reports: 1, WorkflowVersion: 1,
				CreatedAt: at, UpdatedAt: at, Version: 1}
			if err := tx.CreateCase(ctx, c); err != nil {
				return err
			}
			events := []*civicgrid.CaseEvent{
				{Action: civicgrid.ActionReport, ActorName: "system", Role: civicgrid.RoleSystem, At: at, To: civicgrid.StatusReported,
					Data: map[string]string{"source": string(civicgrid.SourceHotline)}},
				{Action: civicgrid.ActionFile, ActorID: w.users[civicgrid.RoleOperator].ID, Role: civicgrid.RoleOperator,
					At: at.Add(26 * time.Hour), From: civicgrid.StatusReported, To: civicgrid.StatusFiled},
			}
			if err := civicgrid.RecordHistory(ctx, tx, c, events); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rebuilt, err := stats.Rebuild(sys)
	if err != nil {
		t.Fatal(err)
	}
	check, err := stats.Verify(sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Diffs) > 0 || check.Cases != 6 || check.Events != 12 || check.Cells != rebuilt.Cells {
		t.Fatalf("Verify = %s, diffs %+v; want 6 cases, 12 events, %d cells, no difference", check, check.Diffs, rebuilt.Cells)
	}

	// One count off on 2 March (only case 4, read last, counts there)
	// and one on 12 March (read in order).
	off := func(day int, metric string, n int64) civicgrid.StatDelta {
		return civicgrid.StatDelta{Key: civicgrid.StatKey{Day: civicgrid.Date{Year: 2026, Month: time.March, Day: day},
			Dim: civicgrid.DimCity, Value: "all"}, Metric: metric, N: n}
	}
	if err := w.db.Update(ctx, func(tx civicgrid.Tx) error {
		return tx.AddStats(ctx, []civicgrid.StatDelta{off(2, "filed", 2), off(12, "reported", -1), off(25, "closed", 1)})
	}); err != nil {
		t.Fatal(err)
	}
	check, err = stats.Verify(sys)
	if err != nil {
		t.Fatal(err)
	}
	want := []civicgrid.StatsDiff{
		{Key: off(2, "", 0).Key, Metric: "filed", Stored: 3, Recomputed: 1},
		{Key: off(12, "", 0).Key, Metric: "reported", Stored: 0, Recomputed: 1},
		{Key: off(25, "", 0).Key, Metric: "closed", Stored: 1, Recomputed: 0},
	}
	if fmt.Sprint(check.Diffs) != fmt.Sprint(want) {
		t.Errorf("Verify diffs = %+v\nwant %+v", check.Diffs, want)
	}
}
