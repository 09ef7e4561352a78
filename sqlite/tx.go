package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"civicgrid"
)

// Tx is one transaction's view of the store: a read transaction on a
// reader connection (View), or the writer connection inside a savepoint
// (Update) or a bulk transaction (BulkLoad). It is valid only until the
// function it was passed to returns.
type Tx struct {
	loc       *time.Location
	c         *conn
	write     bool
	ended     atomic.Bool
	stats     *statBuffer           // AddStats's deltas, written by flushStats
	durations map[durationKey]int64 // AddDurations's samples, written by flushStats too
}

// end makes any later use of tx fail.
func (tx *Tx) end() { tx.ended.Store(true) }

// prepare refuses work on an ended transaction or for a caller that is
// gone, and returns the prepared query and the context to run it under.
// On the writer a ctx is checked between statements but never passed to
// the driver: interrupting a statement would roll back the whole batch.
func (tx *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, context.Context, error) {
	if tx.ended.Load() {
		return nil, nil, civicgrid.Errorf(civicgrid.Internal, "sqlite: transaction used after it ended")
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, cancelled(err)
	}
	s, err := tx.c.stmt(query)
	if tx.write {
		ctx = context.Background()
	}
	return s, ctx, err
}

// exec runs a statement that returns no rows.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, ctx, err := tx.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// query runs a statement that returns rows.
func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, ctx, err := tx.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// errRow is a row whose Scan fails with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// queryRow runs a statement that returns at most one row; Scan reports
// sql.ErrNoRows when there is none.
func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) scanner {
	s, ctx, err := tx.prepare(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// queryAll runs query and calls scan for each row.
func (tx *Tx) queryAll(ctx context.Context, scan func(scanner) error, query string, args ...any) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return formatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return formatError(err)
		}
	}
	return formatError(rows.Err())
}

// Conversions between domain values and columns.

// millis is t as a column: unix milliseconds.
func millis(t time.Time) int64 { return t.UnixMilli() }

// nullMillis is t as a nullable column.
func nullMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// at returns the column value ms as a time in the store's zone.
func (tx *Tx) at(ms int64) time.Time { return time.UnixMilli(ms).In(tx.loc) }

// nullAt returns the nullable column value n as a time, or nil.
func (tx *Tx) nullAt(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := tx.at(n.Int64)
	return &t
}

// nullID is an identifier as a column: 0, meaning none, is NULL.
func nullID[T ~int64](id T) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// bit is b as a column.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// jsonColumn is v as a JSON column, or NULL when null is true (for a nil
// map, slice or pointer), so that nil and empty survive a round trip.
func jsonColumn(v any, null bool) (any, error) {
	if null {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &civicgrid.Error{Code: civicgrid.Internal, Message: "cannot encode JSON", Err: err}
	}
	return string(b), nil
}

// fromJSON decodes the nullable JSON column b into dst; NULL leaves dst alone.
func fromJSON(b []byte, dst any) error {
	if b == nil {
		return nil
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return &civicgrid.Error{Code: civicgrid.Internal, Message: "stored JSON is corrupt", Err: err}
	}
	return nil
}

// changed returns sql.ErrNoRows when res changed no row.
func changed(res sql.Result) error {
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = sql.ErrNoRows
	}
	return err
}

// affected returns how many rows res changed, or err formatted.
func affected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, formatError(err)
	}
	n, err := res.RowsAffected()
	return int(n), formatError(err)
}

// notFound formats err, giving sql.ErrNoRows the message of format.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return civicgrid.Errorf(civicgrid.NotFound, format, args...)
	}
	return formatError(err)
}
