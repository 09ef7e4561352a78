package sqlite_test

import (
	"testing"
	"time"

	"civicgrid"
	"civicgrid/sqlite"
)

// BenchmarkFindLatestCase measures intake's recurrence lookup (复发) in
// its own read transaction, among 20,000 cases in 1,001 cells: what
// marking a recurrence adds to every new case.
func BenchmarkFindLatestCase(b *testing.B) {
	db := mustOpen(b, sqlite.Options{})
	if err := db.BulkLoad(b.Context(), func(tx civicgrid.Tx) error { return loadCases(b.Context(), tx, 0, 20000, 0) }); err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		i++
		cell := benchCase(i, at).CellCode
		err := db.View(b.Context(), func(tx civicgrid.Tx) error {
			_, err := tx.FindLatestCase(b.Context(), cell, "SJ0101", at)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
