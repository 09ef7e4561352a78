package open311

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"civicgrid"
)

// statusOf is the one table from domain error code to HTTP status. The
// spec knows only 403 (api_key), 404 (no such resource) and 400 (anything
// else, including "CRM is down"); codes not listed are 400, except Internal,
// which is 500 with a body that says nothing of the cause.
var statusOf = map[civicgrid.ErrorCode]int{
	civicgrid.Forbidden:    http.StatusForbidden,
	civicgrid.Unauthorized: http.StatusForbidden,
	civicgrid.NotFound:     http.StatusNotFound,
	civicgrid.Internal:     http.StatusInternalServerError,
}

// writeError writes err as the spec's error list, one error per invalid
// field. Internal errors are logged here, once, and never described.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, f format, err error) {
	code := civicgrid.ErrorCodeOf(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusBadRequest
	}
	if status == http.StatusInternalServerError {
		s.logger.LogAttrs(r.Context(), slog.LevelError, "open311: internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	} else {
		s.logger.LogAttrs(r.Context(), slog.LevelDebug, "open311: refused",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
			slog.String("error", err.Error()))
	}
	_ = write(w, f, status, errorsDoc(status, errorTexts(err)))
}

// errorTexts returns the descriptions of err: one per field problem when
// there are several, else its message.
func errorTexts(err error) []string {
	e := civicgrid.AsError(err)
	if e == nil || e.Code == civicgrid.Internal || len(e.Fields) < 2 {
		return []string{civicgrid.ErrorMessage(err)}
	}
	var out []string
	for field, problem := range e.Fields {
		out = append(out, field+": "+problem)
	}
	slices.Sort(out)
	return out
}

// errorsDoc is the spec's error list.
func errorsDoc(status int, texts []string) document {
	items := make([]any, len(texts))
	for i, t := range texts {
		items[i] = object{{"code", status}, {"description", t}}
	}
	return document{"errors", list{"error", items}}
}

// probeMethods are the methods tried when telling a wrong method from an
// unknown path.
var probeMethods = []string{http.MethodGet, http.MethodPost}

// handleFallback answers requests no route takes: 400 naming the methods
// the path allows when it exists for another method, else 404 (both in the
// spec's error format, not the mux's plain text).
func (s *server) handleFallback(mux *http.ServeMux) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, f format) error {
		var allow []string
		for _, m := range probeMethods {
			probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return civicgrid.Errorf(civicgrid.Invalid, "%s is not allowed on %s; use %s", r.Method, r.URL.Path, strings.Join(allow, " or "))
		}
		return civicgrid.Errorf(civicgrid.NotFound, "no Open311 resource %s; resources end in .xml or .json, e.g. services.xml", r.URL.Path)
	}
}

// handleToken answers tokens/{token} and update_tokens/{token}: every
// service is realtime, so no token is ever issued and none is known.
func (s *server) handleToken(w http.ResponseWriter, r *http.Request, f format) error {
	token, err := resourceName(r)
	if err != nil {
		return err
	}
	return civicgrid.Errorf(civicgrid.NotFound, "unknown token %q: this endpoint issues no tokens, every service is realtime and returns its id at once", token)
}

// resourceName returns the {file} path segment without its format
// extension, or NotFound when it has none.
func resourceName(r *http.Request) (string, error) {
	file := r.PathValue("file")
	for _, ext := range []string{".xml", ".json"} {
		if name, ok := strings.CutSuffix(file, ext); ok && name != "" {
			return name, nil
		}
	}
	return "", civicgrid.Errorf(civicgrid.NotFound, "%s: add the format, .xml or .json", r.URL.Path)
}
