package web

import (
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"civicgrid"
)

// statusOf is the one table from domain error code to HTTP status.
var statusOf = map[civicgrid.ErrorCode]int{
	civicgrid.Invalid:       http.StatusBadRequest,
	civicgrid.Unauthorized:  http.StatusUnauthorized,
	civicgrid.Forbidden:     http.StatusForbidden,
	civicgrid.NotFound:      http.StatusNotFound,
	civicgrid.Conflict:      http.StatusConflict,
	civicgrid.TooLarge:      http.StatusRequestEntityTooLarge,
	civicgrid.Unprocessable: http.StatusUnprocessableEntity,
	civicgrid.RateLimited:   http.StatusTooManyRequests,
	civicgrid.Internal:      http.StatusInternalServerError,
	civicgrid.Unavailable:   http.StatusServiceUnavailable,
}

// errorJSON is the body of every API error: {"error": {...}}.
type errorJSON struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code           civicgrid.ErrorCode `json:"code"`
	Message        string              `json:"message"`
	Fields         map[string]string   `json:"fields,omitempty"`
	AllowedActions []civicgrid.Action  `json:"allowed_actions,omitzero"` // refused actions: what is possible instead
}

// writeError writes err as a JSON error with the status of its code (in
// the Open311 error format under /open311/). Internal errors are logged
// here, once, and their details never leave the server.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := civicgrid.ErrorCodeOf(err)
	status, ok := statusOf[code]
	info := requestInfoFrom(r.Context())
	if !ok || code == civicgrid.Internal {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("request_id", info.id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
		code, status = civicgrid.Internal, http.StatusInternalServerError
	}
	info.errCode = code
	if isPagePath(r.URL.Path) {
		s.writePageError(w, r, status, err)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/open311/") {
		writeOpen311Error(w, r, status, civicgrid.ErrorMessage(err))
		return
	}
	if code == civicgrid.Internal {
		// ErrorMessage of anything but a domain error is the fixed text.
		_ = encode(w, status, errorJSON{Error: errorDetail{Code: code, Message: civicgrid.ErrorMessage(nil)}})
		return
	}
	e := civicgrid.AsError(err)
	_ = encode(w, status, errorJSON{Error: errorDetail{Code: code, Message: e.Message, Fields: e.Fields, AllowedActions: e.Allowed}})
}

// open311Error is one error in the Open311 format.
type open311Error struct {
	XMLName     xml.Name `xml:"error" json:"-"`
	Code        int      `xml:"code" json:"code"`
	Description string   `xml:"description" json:"description"`
}

// writeOpen311Error writes an error the way GeoReport v2 does, for the
// errors the server answers before the Open311 handler (rate limits,
// Idempotency-Key, body limits): a list of {code, description}, as JSON
// for a .json path and as XML otherwise.
func writeOpen311Error(w http.ResponseWriter, r *http.Request, status int, message string) {
	e := open311Error{Code: status, Description: message}
	if strings.HasSuffix(r.URL.Path, ".json") {
		_ = encode(w, status, []open311Error{e})
		return
	}
	body, _ := xml.Marshal(struct {
		XMLName xml.Name       `xml:"errors"`
		Errors  []open311Error `xml:"error"`
	}{Errors: []open311Error{e}})
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(`<?xml version="1.0" encoding="utf-8"?>`+"\n"), body...))
}

// probeMethods are the methods tried when telling 404 from 405.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// handleAPIFallback answers requests under /api/ that no route takes: 405
// with Allow when the path exists for other methods, else 404, both as
// JSON. (The mux's own answers are plain text.)
func (s *Server) handleAPIFallback(mux *http.ServeMux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var allow []string
		for _, m := range probeMethods {
			probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
				allow = append(allow, m)
				if m == http.MethodGet {
					allow = append(allow, http.MethodHead)
				}
			}
		}
		if len(allow) == 0 {
			return civicgrid.Errorf(civicgrid.NotFound, "no API route %s", r.URL.Path)
		}
		// 405 is a transport matter with no domain code; it carries
		// "invalid", the code of a malformed request.
		w.Header().Set("Allow", strings.Join(allow, ", "))
		requestInfoFrom(r.Context()).errCode = civicgrid.Invalid
		return encode(w, http.StatusMethodNotAllowed, errorJSON{Error: errorDetail{Code: civicgrid.Invalid,
			Message: fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, ", "))}})
	}
}
