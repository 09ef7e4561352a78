package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testHotspot(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"FindLatestCase", func(t *testing.T, s civicgrid.Store) {
			// Cases 1 to 5 in one cell, one minute apart: 1, 2 and 5 of
			// SJ0101 (5 cancelled: it counts all the same), 3 of another
			// category, 4 in another cell.
			other := newCase(3)
			other.CategoryCode = "SJ0102"
			away := newCase(4)
			away.CellCode = "110101001001002"
			cancelled := newCase(5)
			cancelled.Status = civicgrid.StatusCancelled
			for _, c := range []*civicgrid.Case{newCase(1), newCase(2), other, away, cancelled} {
				createCase(t, s, c)
			}
			view(t, s, func(tx civicgrid.Tx) error {
				for _, tc := range []struct {
					name, cell, category string
					at                   time.Time
					want                 string // the number, "" for NotFound
				}{
					{"the latest, cancelled or not", "110101001001001", "SJ0101", at(time.Hour), "2026-000005"},
					{"at is excluded", "110101001001001", "SJ0101", at(2 * time.Minute), "2026-000001"},
					{"just after the second", "110101001001001", "SJ0101", at(2*time.Minute + time.Millisecond), "2026-000002"},
					{"before any", "110101001001001", "SJ0101", at(time.Minute), ""},
					{"the other category", "110101001001001", "SJ0102", at(time.Hour), "2026-000003"},
					{"the other cell", "110101001001002", "SJ0101", at(time.Hour), "2026-000004"},
					{"no such cell", "110101001001009", "SJ0101", at(time.Hour), ""},
				} {
					got, err := tx.FindLatestCase(t.Context(), tc.cell, tc.category, tc.at)
					switch {
					case tc.want == "":
						wantCode(t, err, civicgrid.NotFound)
					case err != nil:
						t.Errorf("%s: %v", tc.name, err)
					case got.Number != tc.want:
						t.Errorf("%s: got %s, want %s", tc.name, got.Number, tc.want)
					}
				}
				return nil
			})
		}},
	})
}
