package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testOutbox(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"EnqueueAndFind", func(t *testing.T, s civicgrid.Store) {
			c1, c2 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2))
			e1 := &civicgrid.OutboxEntry{Topic: "case.report", CaseID: c1.ID, Recipient: "role:operator", Payload: `{"n":1}`,
				RunAt: t0, CreatedAt: t0}
			e2 := &civicgrid.OutboxEntry{Topic: "case.dispatch", CaseID: c2.ID, Recipient: "unit:3", Payload: `{}`,
				RunAt: at(time.Minute), CreatedAt: t0, Attempts: 2}
			e3 := &civicgrid.OutboxEntry{Topic: "digest", Recipient: "role:leader", Payload: `{}`, RunAt: t0, CreatedAt: t0}
			e4 := &civicgrid.OutboxEntry{Topic: "case.urge", CaseID: c1.ID, Recipient: "unit:3", Payload: `{}`,
				RunAt: t0, CreatedAt: t0, Attempts: 1, DeliveredAt: ptr(at(time.Second))}
			e5 := &civicgrid.OutboxEntry{Topic: "case.close", CaseID: c1.ID, Recipient: "reporter:1380", Payload: `{}`,
				RunAt: t0, CreatedAt: t0}
			update(t, s, func(tx civicgrid.Tx) error { return tx.EnqueueOutbox(t.Context(), e1, e2, e3) })
			update(t, s, func(tx civicgrid.Tx) error { return tx.EnqueueOutbox(t.Context(), e4, e5) })
			ids := []int64{e1.ID, e2.ID, e3.ID, e4.ID, e5.ID}
			for i := 1; i < len(ids); i++ {
				if ids[i] <= ids[i-1] || ids[0] == 0 {
					t.Fatalf("entry IDs %v: want increasing and non-zero", ids)
				}
			}
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindOutbox(t.Context(), c1.ID)
				if err != nil {
					t.Fatalf("FindOutbox: %v", err)
				}
				diff(t, "undelivered entries of case 1", got, []*civicgrid.OutboxEntry{e1, e5})
				got, err = tx.FindOutbox(t.Context(), 0)
				if err != nil {
					t.Fatalf("FindOutbox: %v", err)
				}
				diff(t, "all undelivered entries", got, []*civicgrid.OutboxEntry{e1, e2, e3, e5})
				return nil
			})
		}},
		{"UnknownCase", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.EnqueueOutbox(t.Context(), &civicgrid.OutboxEntry{Topic: "x", CaseID: 999, Recipient: "r", Payload: "{}", RunAt: t0, CreatedAt: t0})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}
