package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"civicgrid"

	modernc "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// formatError translates an error from database/sql or the driver into a
// *civicgrid.Error, once: a unique or primary key violation is Conflict, a
// foreign key, check or not-null violation Invalid, no rows NotFound, an
// ended context Unavailable, and anything else Internal. The cause stays in
// Err. Domain errors and nil pass through.
func formatError(err error) error {
	if err == nil || civicgrid.AsError(err) != nil {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &civicgrid.Error{Code: civicgrid.NotFound, Message: "not found", Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return cancelled(err)
	}
	var se *modernc.Error
	if !errors.As(err, &se) {
		return &civicgrid.Error{Code: civicgrid.Internal, Message: "database error", Err: err}
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &civicgrid.Error{Code: civicgrid.Conflict, Message: constraintSubject(se) + " already exists", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &civicgrid.Error{Code: civicgrid.Invalid, Message: "refers to something that does not exist", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return &civicgrid.Error{Code: civicgrid.Invalid, Message: "value not allowed: " + constraintSubject(se), Err: err}
	case sqlite3.SQLITE_INTERRUPT:
		return &civicgrid.Error{Code: civicgrid.Unavailable, Message: "request cancelled", Err: err}
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_BUSY_TIMEOUT:
		return &civicgrid.Error{Code: civicgrid.Unavailable, Message: "database is busy", Err: err}
	}
	return &civicgrid.Error{Code: civicgrid.Internal, Message: "database error", Err: err}
}

// constraintSubject returns the table.column list that SQLite names in a
// constraint message ("UNIQUE constraint failed: users.name"), or "record".
func constraintSubject(se *modernc.Error) string {
	msg := se.Error()
	const marker = "constraint failed: "
	i := strings.LastIndex(msg, marker)
	if i < 0 {
		return "record"
	}
	subject := msg[i+len(marker):]
	if j := strings.LastIndex(subject, " ("); j >= 0 { // the result code
		subject = subject[:j]
	}
	return subject
}

// describe formats err and, when it has code, replaces its message with a
// more helpful one, keeping the cause.
func describe(err error, code civicgrid.ErrorCode, format string, args ...any) error {
	err = formatError(err)
	if e := civicgrid.AsError(err); e != nil && e.Code == code {
		return &civicgrid.Error{Code: code, Message: civicgrid.Errorf(code, format, args...).Message, Err: e.Err}
	}
	return err
}
