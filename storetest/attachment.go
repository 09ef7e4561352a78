package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testAttachment(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"EXIFAndThumbnail", func(t *testing.T, s civicgrid.Store) {
			taken := at(-48 * time.Hour)
			a := &civicgrid.Attachment{ID: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
				MIME: "image/jpeg", Size: 99, Width: 4, Height: 3, UploadedBy: 7, CreatedAt: t0, Taken: &taken,
				GPS: &civicgrid.Point{Lat: 30.25, Lon: 120.15}, ThumbnailID: "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"}
			plain := &civicgrid.Attachment{ID: "baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096",
				MIME: "image/webp", Size: 10, Width: 1, Height: 1, UploadedBy: 7, CreatedAt: t0}
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.CreateAttachment(t.Context(), a); err != nil {
					return err
				}
				return tx.CreateAttachment(t.Context(), plain)
			})
			view(t, s, func(tx civicgrid.Tx) error {
				for _, want := range []*civicgrid.Attachment{a, plain} {
					got, err := tx.FindAttachment(t.Context(), want.ID)
					if err != nil {
						t.Fatalf("FindAttachment: %v", err)
					}
					diff(t, "attachment "+want.MIME, got, want)
				}
				return nil
			})
		}},
		{"CreateIsIdempotent", func(t *testing.T, s civicgrid.Store) {
			a := &civicgrid.Attachment{ID: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				MIME: "image/jpeg", Size: 1234, Width: 640, Height: 480, UploadedBy: 7, CreatedAt: t0}
			update(t, s, func(tx civicgrid.Tx) error { return tx.CreateAttachment(t.Context(), a) })
			again := *a
			again.MIME, again.UploadedBy, again.CreatedAt = "image/png", 8, at(time.Second)
			update(t, s, func(tx civicgrid.Tx) error { return tx.CreateAttachment(t.Context(), &again) })
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindAttachment(t.Context(), a.ID)
				if err != nil {
					t.Fatalf("FindAttachment: %v", err)
				}
				diff(t, "attachment after a second create", got, a)
				_, err = tx.FindAttachment(t.Context(), "00")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
	})
}
