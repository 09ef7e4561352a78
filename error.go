package civicgrid

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an Error. The set is closed: adapters map each code
// to exactly one transport status.
type ErrorCode string

// The error codes.
const (
	Invalid       ErrorCode = "invalid"       // malformed or missing input
	Unprocessable ErrorCode = "unprocessable" // well-formed input that refers to something unusable (outside the grid, unknown category)
	NotFound      ErrorCode = "not_found"     // the addressed thing does not exist or is not visible to the actor
	Conflict      ErrorCode = "conflict"      // stale version, duplicate key, action not allowed in the status
	Unauthorized  ErrorCode = "unauthorized"  // no or bad credentials
	Forbidden     ErrorCode = "forbidden"     // the actor may not do this
	TooLarge      ErrorCode = "too_large"     // a body or file over its limit
	RateLimited   ErrorCode = "rate_limited"  // too many requests
	Unavailable   ErrorCode = "unavailable"   // not ready yet or shutting down
	Internal      ErrorCode = "internal"      // anything else; never shown in detail
)

// Error is a failure the user may see. Message is safe to show; Fields names
// invalid inputs (field → problem); Allowed lists the actions that were
// possible when an action was refused; Err is the cause, for logs only.
type Error struct {
	Code    ErrorCode
	Message string
	Fields  map[string]string
	Allowed []Action
	Err     error
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an Invalid error naming one field.
func FieldError(field, problem string) *Error {
	return &Error{Code: Invalid, Message: field + ": " + problem, Fields: map[string]string{field: problem}}
}

// FieldErrors collects field problems and turns them into one Invalid error.
type FieldErrors map[string]string

// Add records a problem with field; the first problem per field wins.
func (fe FieldErrors) Add(field, problem string) {
	if _, ok := fe[field]; !ok {
		fe[field] = problem
	}
}

// Err returns nil when there are no problems, or an Invalid *Error listing
// them.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	msg := "invalid input"
	if len(fe) == 1 {
		for f, p := range fe {
			msg = f + ": " + p
		}
	}
	return &Error{Code: Invalid, Message: msg, Fields: map[string]string(fe)}
}

// ErrorCodeOf returns the code of the first *Error in err's chain, Internal
// for any other non-nil error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the user-safe message of err: the Message of an
// *Error, or a fixed text for anything foreign.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Internal error."
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Wrap adds context to *errp when it is a non-nil error that is not already
// a domain *Error; it is meant for defer at the top of functions with many
// exits.
func Wrap(errp *error, format string, args ...any) {
	if *errp == nil || AsError(*errp) != nil {
		return
	}
	*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
}
