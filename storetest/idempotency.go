package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

// reserve stores a reservation of key in scope, made at t0 plus d, and
// returns it.
func reserve(t *testing.T, s civicgrid.Store, scope, key string, d time.Duration) *civicgrid.IdempotencyRecord {
	t.Helper()
	r := &civicgrid.IdempotencyRecord{Scope: scope, Key: key, RequestHash: "POST /api/v1/cases " + key, CreatedAt: at(d)}
	update(t, s, func(tx civicgrid.Tx) error { return tx.ReserveIdempotency(t.Context(), r) })
	return r
}

// complete stores the answer of r.
func complete(t *testing.T, s civicgrid.Store, r *civicgrid.IdempotencyRecord, status int, body string) {
	t.Helper()
	r.Status, r.ContentType, r.Body = status, "application/json", []byte(body)
	update(t, s, func(tx civicgrid.Tx) error { return tx.CompleteIdempotency(t.Context(), r) })
}

// wantRecord checks the record of scope and key: want, or NotFound when
// want is nil.
func wantRecord(t *testing.T, s civicgrid.Store, scope, key string, want *civicgrid.IdempotencyRecord) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindIdempotency(t.Context(), scope, key)
		if want == nil {
			wantCode(t, err, civicgrid.NotFound)
			return nil
		}
		if err != nil {
			t.Fatalf("FindIdempotency(%s, %s): %v", scope, key, err)
		}
		diff(t, "idempotency record", got, want)
		return nil
	})
}

func testIdempotency(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"ReserveAndFind", func(t *testing.T, s civicgrid.Store) {
			r := reserve(t, s, "user:7", "k1", 0)
			other := reserve(t, s, "apikey:3", "k1", time.Minute) // scopes do not share keys
			wantRecord(t, s, "user:7", "k1", r)
			wantRecord(t, s, "apikey:3", "k1", other)
			wantRecord(t, s, "user:7", "k2", nil)
			wantRecord(t, s, "user:8", "k1", nil)
		}},
		{"ReserveConflict", func(t *testing.T, s civicgrid.Store) {
			r := reserve(t, s, "user:7", "k1", 0)
			again := &civicgrid.IdempotencyRecord{Scope: "user:7", Key: "k1", RequestHash: "another", CreatedAt: at(time.Minute)}
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.ReserveIdempotency(t.Context(), again) }), civicgrid.Conflict)
			complete(t, s, r, 201, `{"id":1}`)
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.ReserveIdempotency(t.Context(), again) }), civicgrid.Conflict)
			wantRecord(t, s, "user:7", "k1", r)
		}},
		{"Complete", func(t *testing.T, s civicgrid.Store) {
			r := reserve(t, s, "user:7", "k1", 0)
			complete(t, s, r, 201, "{\"id\":1}\n\x00\xff") // any bytes
			wantRecord(t, s, "user:7", "k1", r)
			missing := &civicgrid.IdempotencyRecord{Scope: "user:7", Key: "k2", Status: 200, Body: []byte("{}")}
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.CompleteIdempotency(t.Context(), missing) }), civicgrid.NotFound)
			wantRecord(t, s, "user:7", "k2", nil)
		}},
		{"Release", func(t *testing.T, s civicgrid.Store) {
			reserve(t, s, "user:7", "k1", 0)
			done := reserve(t, s, "user:7", "k2", 0)
			complete(t, s, done, 200, "{}")
			release := func(key string) {
				t.Helper()
				update(t, s, func(tx civicgrid.Tx) error { return tx.ReleaseIdempotency(t.Context(), "user:7", key) })
			}
			release("k1")
			wantRecord(t, s, "user:7", "k1", nil)
			reserve(t, s, "user:7", "k1", time.Minute) // the client may retry
			release("k2")                              // an answered request stays answered
			wantRecord(t, s, "user:7", "k2", done)
			release("k3") // nothing to release
		}},
		{"Purge", func(t *testing.T, s civicgrid.Store) {
			old := reserve(t, s, "user:7", "old", -2*time.Hour)
			complete(t, s, old, 201, "{}")
			reserve(t, s, "user:7", "pending", -time.Millisecond)
			atBefore := reserve(t, s, "user:7", "at", 0)
			later := reserve(t, s, "user:8", "later", time.Hour)
			purge := func(before time.Time) int {
				t.Helper()
				var n int
				update(t, s, func(tx civicgrid.Tx) (err error) {
					n, err = tx.PurgeIdempotency(t.Context(), before)
					return err
				})
				return n
			}
			if n := purge(t0); n != 2 {
				t.Errorf("PurgeIdempotency = %d, want 2", n)
			}
			wantRecord(t, s, "user:7", "old", nil)
			wantRecord(t, s, "user:7", "pending", nil)
			wantRecord(t, s, "user:7", "at", atBefore)
			wantRecord(t, s, "user:8", "later", later)
			if n := purge(t0); n != 0 {
				t.Errorf("PurgeIdempotency again = %d, want 0", n)
			}
		}},
	})
}
