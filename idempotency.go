package civicgrid

import (
	"context"
	"time"
)

// IdempotencyRecord remembers the answer to a POST sent with an
// Idempotency-Key, so that a retry gets the first answer and creates
// nothing new. A record without a Status is a request still being served.
type IdempotencyRecord struct {
	Scope       string    // who sent it: "user:7", "apikey:3", "ip:127.0.0.1"
	Key         string    // the client's Idempotency-Key
	RequestHash string    // method, path and body, hashed: a key reused for another request is refused
	Status      int       // the HTTP status of the first answer; 0 while it is being served
	ContentType string    // of the first answer
	Body        []byte    // of the first answer
	CreatedAt   time.Time // when the first request arrived
}

// IdempotencyStore persists idempotency records.
type IdempotencyStore interface {
	// ReserveIdempotency stores r (without an answer yet); Conflict when a
	// record with its scope and key exists.
	ReserveIdempotency(ctx context.Context, r *IdempotencyRecord) error
	// CompleteIdempotency stores the answer of the reserved record r.
	CompleteIdempotency(ctx context.Context, r *IdempotencyRecord) error
	// ReleaseIdempotency deletes a reservation that got no answer, so the
	// client may retry.
	ReleaseIdempotency(ctx context.Context, scope, key string) error
	// FindIdempotency returns the record for scope and key, or NotFound.
	FindIdempotency(ctx context.Context, scope, key string) (*IdempotencyRecord, error)
	// PurgeIdempotency deletes records created before before and returns how
	// many it deleted.
	PurgeIdempotency(ctx context.Context, before time.Time) (int, error)
}
