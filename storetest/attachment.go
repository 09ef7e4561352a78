package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testAttachment(t *testing.T, open Opener) {
	runTests(t, open, []test{
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
