package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/sqlite"
)

// BenchmarkUpdateParallel measures durable (synchronous=FULL) case
// creations per second from many concurrent callers, each an Update that
// writes what opening a case writes: next number, case, event, outbox entry.
func BenchmarkUpdateParallel(b *testing.B) { benchUpdates(b, reportCase) }

// BenchmarkIntakeParallel is BenchmarkUpdateParallel for a whole intake as
// CaseService.Intake makes it: it also looks for an open case nearby to fold
// the report into, and keeps the report.
func BenchmarkIntakeParallel(b *testing.B) { benchUpdates(b, intakeCase) }

// benchUpdates measures commits per second of Updates running fn.
func benchUpdates(b *testing.B, fn func(civicgrid.Tx) error) {
	procs := runtime.GOMAXPROCS(0)
	for _, parallelism := range []int{1, 8, 32, 128} {
		// RunParallel runs parallelism × GOMAXPROCS goroutines.
		b.Run(fmt.Sprintf("callers=%d", parallelism*procs), func(b *testing.B) {
			db := mustOpen(b, sqlite.Options{})
			b.SetParallelism(parallelism)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := db.Update(b.Context(), fn); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "commits/s")
		})
	}
}

// reportCase writes what CaseService.Report does: the next number, the
// case, its first event and an outbox entry.
func reportCase(tx civicgrid.Tx) error {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	seq, err := tx.NextCaseSeq(ctx, 2026)
	if err != nil {
		return err
	}
	c := benchCase(seq, at)
	if err := tx.CreateCase(ctx, c); err != nil {
		return err
	}
	e := &civicgrid.CaseEvent{CaseID: c.ID, Action: "report", ActorName: "system", Role: civicgrid.RoleSystem,
		At: at, To: civicgrid.StatusReported, Note: c.Description, Data: map[string]string{"source": "web"}}
	if err := tx.AppendEvent(ctx, e); err != nil {
		return err
	}
	return tx.EnqueueOutbox(ctx, &civicgrid.OutboxEntry{Topic: "case.report", CaseID: c.ID,
		Recipient: "role:operator", Payload: fmt.Sprintf(`{"case_id":%d}`, c.ID), RunAt: at, CreatedAt: at})
}

// intakeCase writes what CaseService.Intake does for a report with nothing
// to fold into: the look for open cases nearby, then what reportCase writes
// (at a place of its own, so the look finds few) and the report.
func intakeCase(tx civicgrid.Tx) error {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	seq, err := tx.NextCaseSeq(ctx, 2026)
	if err != nil {
		return err
	}
	c := benchCase(seq, at)
	c.Lat, c.Lon = 39.8+float64(seq%997)*0.0002, 116.3+float64(seq%991)*0.0002
	const d = 0.0005 // about 50 m
	near, err := tx.FindOpenCasesNear(ctx, c.CategoryCode,
		civicgrid.Bounds{MinLat: c.Lat - d, MaxLat: c.Lat + d, MinLon: c.Lon - d, MaxLon: c.Lon + d}, at.Add(-7*24*time.Hour), 50)
	if err != nil || len(near) > 50 {
		return fmt.Errorf("FindOpenCasesNear = %d cases, %v", len(near), err)
	}
	if err := tx.CreateCase(ctx, c); err != nil {
		return err
	}
	e := &civicgrid.CaseEvent{CaseID: c.ID, Action: "report", ActorName: "system", Role: civicgrid.RoleSystem,
		At: at, To: civicgrid.StatusReported, Note: c.Description, Data: map[string]string{"source": "web"}}
	if err := tx.AppendEvent(ctx, e); err != nil {
		return err
	}
	r := &civicgrid.CaseReport{CaseID: c.ID, Source: c.Source, Description: c.Description, Lat: c.Lat, Lon: c.Lon,
		Intake: civicgrid.Intake{ExternalID: fmt.Sprint("WO-", seq)}, At: at}
	if err := tx.AddCaseReport(ctx, r); err != nil {
		return err
	}
	return tx.EnqueueOutbox(ctx, &civicgrid.OutboxEntry{Topic: "case.report", CaseID: c.ID,
		Recipient: "role:operator", Payload: fmt.Sprintf(`{"case_id":%d}`, c.ID), RunAt: at, CreatedAt: at})
}

// BenchmarkBulkLoad measures event rows per second written by BulkLoad, in
// the demo generator's proportions (8 events per case).
func BenchmarkBulkLoad(b *testing.B) {
	db := mustOpenPath(b, filepath.Join(b.TempDir(), "bulk.db"), sqlite.Options{})
	const perCase = 8
	b.ResetTimer()
	start := time.Now()
	cases := b.N/perCase + 1
	if err := db.BulkLoad(b.Context(), func(tx civicgrid.Tx) error { return loadCases(b.Context(), tx, 0, cases, perCase) }); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(cases*perCase)/time.Since(start).Seconds(), "events/s")
}

// BenchmarkSaveCells measures cell versions per second saved in one Update.
func BenchmarkSaveCells(b *testing.B) {
	db := mustOpen(b, sqlite.Options{})
	cells := make([]*civicgrid.GridCell, b.N)
	for i := range cells {
		lon, lat := 116+float64(i%400)*0.001, 39+float64(i/400)*0.001
		shape := civicgrid.MultiPolygon{{{{Lon: lon, Lat: lat}, {Lon: lon + 0.001, Lat: lat}, {Lon: lon + 0.001, Lat: lat + 0.001},
			{Lon: lon, Lat: lat + 0.001}, {Lon: lon, Lat: lat}}}}
		cells[i] = &civicgrid.GridCell{Code: fmt.Sprintf("110101%03d%03d%03d", i/1000000, i/1000%1000, i%1000+1),
			Shape: shape, AreaM2: 10000, Centroid: civicgrid.Point{Lat: lat, Lon: lon}}
	}
	b.ResetTimer()
	start := time.Now()
	if err := db.Update(b.Context(), func(tx civicgrid.Tx) error {
		return tx.SaveCells(b.Context(), cells, time.Now())
	}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "cells/s")
}

// BenchmarkFindCases measures a list page (50 cases and the total) over
// 50,000 cases, the demo's size.
func BenchmarkFindCases(b *testing.B) {
	db := mustOpen(b, sqlite.Options{})
	if err := db.BulkLoad(b.Context(), func(tx civicgrid.Tx) error { return loadCases(b.Context(), tx, 0, 50000, 0) }); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    civicgrid.CaseFilter
	}{
		{"All", civicgrid.CaseFilter{}},
		{"Street", civicgrid.CaseFilter{AreaCode: "110101003"}},
		{"Community", civicgrid.CaseFilter{AreaCode: "110101003005"}},
		{"Status", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusDispatched}}},
		{"Inspector", civicgrid.CaseFilter{ScopeInspector: 7}},
		{"Page100", civicgrid.CaseFilter{After: 45000}},
	} {
		bc.f.Limit = 50
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				err := db.View(b.Context(), func(tx civicgrid.Tx) error {
					_, _, err := tx.FindCases(b.Context(), bc.f)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkView measures a View reading one case and its eight events, as
// the case page does.
func BenchmarkView(b *testing.B) {
	db := mustOpen(b, sqlite.Options{})
	if err := db.BulkLoad(b.Context(), func(tx civicgrid.Tx) error { return loadCases(b.Context(), tx, 0, 1000, 8) }); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		id := civicgrid.CaseID(1)
		for pb.Next() {
			err := db.View(b.Context(), func(tx civicgrid.Tx) error {
				if _, err := tx.FindCase(b.Context(), id); err != nil {
					return err
				}
				_, err := tx.FindEvents(b.Context(), id)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			id = id%1000 + 1
		}
	})
}
