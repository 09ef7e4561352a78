package sqlite

import (
	"context"
	"time"

	"civicgrid"
)

// ReserveIdempotency stores r's scope, key, request hash and time, without
// an answer (r's is not stored); Conflict when a record with its scope and
// key exists.
func (tx *Tx) ReserveIdempotency(ctx context.Context, r *civicgrid.IdempotencyRecord) error {
	_, err := tx.exec(ctx, "INSERT INTO idempotency (scope, key, request_hash, created_at) VALUES (?, ?, ?, ?)",
		r.Scope, r.Key, r.RequestHash, millis(r.CreatedAt))
	return describe(err, civicgrid.Conflict, "idempotency key %q of %s is in use", r.Key, r.Scope)
}

// CompleteIdempotency stores the answer (status, content type and body) of
// the reserved record r; NotFound when it is not reserved.
func (tx *Tx) CompleteIdempotency(ctx context.Context, r *civicgrid.IdempotencyRecord) error {
	res, err := tx.exec(ctx, "UPDATE idempotency SET status = ?, content_type = ?, body = ? WHERE scope = ? AND key = ?",
		r.Status, r.ContentType, r.Body, r.Scope, r.Key)
	if err != nil {
		return formatError(err)
	}
	return notFound(changed(res), "idempotency key %q of %s is not reserved", r.Key, r.Scope)
}

// ReleaseIdempotency deletes a reservation that got no answer, so the
// client may retry. A record with an answer stays, and releasing one that
// does not exist does nothing.
func (tx *Tx) ReleaseIdempotency(ctx context.Context, scope, key string) error {
	_, err := tx.exec(ctx, "DELETE FROM idempotency WHERE scope = ? AND key = ? AND status = 0", scope, key)
	return formatError(err)
}

// FindIdempotency returns the record for scope and key, or NotFound.
func (tx *Tx) FindIdempotency(ctx context.Context, scope, key string) (*civicgrid.IdempotencyRecord, error) {
	r := &civicgrid.IdempotencyRecord{}
	var created int64
	err := tx.queryRow(ctx, `SELECT scope, key, request_hash, status, content_type, body, created_at
		FROM idempotency WHERE scope = ? AND key = ?`, scope, key).Scan(&r.Scope, &r.Key, &r.RequestHash, &r.Status,
		&r.ContentType, &r.Body, &created)
	if err != nil {
		return nil, notFound(err, "idempotency key %q of %s not found", key, scope)
	}
	r.CreatedAt = tx.at(created)
	return r, nil
}

// PurgeIdempotency deletes records created before before, answered or not,
// and returns how many it deleted.
func (tx *Tx) PurgeIdempotency(ctx context.Context, before time.Time) (int, error) {
	return affected(tx.exec(ctx, "DELETE FROM idempotency WHERE created_at < ?", millis(before)))
}
