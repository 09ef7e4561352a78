package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"civicgrid"
)

// Request body limits.
const (
	// maxJSONBytes is the largest JSON request body accepted.
	maxJSONBytes = 1 << 20
	// maxReportBytes is the largest report with its photos (multipart, or
	// base64 in JSON) and the largest Open311 request.
	maxReportBytes = 32 << 20
	// maxPhotoRequestBytes is the largest photo upload request.
	maxPhotoRequestBytes = civicgrid.MaxPhotoBytes + multipartSlack
)

// decode reads the request body as one JSON value of type T: the content
// type must be JSON, the body at most maxJSONBytes, every field known and
// nothing may follow the value. When *T has a Validate method, decode runs
// it, so handlers receive only input the domain accepts on its face.
func decode[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	return decodeLimit[T](w, r, maxJSONBytes)
}

// decodeLimit is decode with a body of at most limit bytes.
func decodeLimit[T any](w http.ResponseWriter, r *http.Request, limit int64) (T, error) {
	if err := requireContentType(r, "application/json"); err != nil {
		var zero T
		return zero, err
	}
	return decodeReader[T](http.MaxBytesReader(w, r.Body, limit))
}

// decodeReader reads one JSON value of type T from rd as decode does.
func decodeReader[T any](rd io.Reader) (T, error) {
	var v T
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, decodeError(err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		if errors.As(err, new(*http.MaxBytesError)) {
			return v, decodeError(err)
		}
		return v, civicgrid.Errorf(civicgrid.Invalid, "the request body must hold exactly one JSON value; found more after it")
	}
	if val, ok := any(&v).(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// decodeError turns a JSON decoding failure into an Invalid (or TooLarge)
// error a client can act on.
func decodeError(err error) error {
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		return civicgrid.Errorf(civicgrid.TooLarge, "the request body is larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return civicgrid.Errorf(civicgrid.Invalid, "the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return civicgrid.Errorf(civicgrid.Invalid, "malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &syntax):
		return civicgrid.Errorf(civicgrid.Invalid, "malformed JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	case errors.As(err, &typ):
		field := jsonFieldPath(typ.Field)
		if field == "" {
			return civicgrid.Errorf(civicgrid.Invalid, "the request body must be a JSON %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		}
		return civicgrid.FieldError(field, fmt.Sprintf("must be a %s, not %s", jsonKind(typ.Type.Kind().String()), typ.Value))
	case civicgrid.AsError(err) != nil:
		return err // a domain type's own UnmarshalJSON said what is wrong
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &civicgrid.Error{Code: civicgrid.Invalid, Message: fmt.Sprintf("unknown field %q", name),
			Fields: map[string]string{name: "unknown field"}}
	}
	return &civicgrid.Error{Code: civicgrid.Invalid, Message: "malformed JSON", Err: err}
}

// jsonFieldPath returns the JSON path of a field as a client wrote it: the
// decoder names the fields promoted from an embedded struct with the
// struct's Go name in front (ReportInput.lat), which JSON names, all lower
// case, never start with.
func jsonFieldPath(path string) string {
	parts := strings.Split(path, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "struct", kind == "map":
		return "object"
	case kind == "slice", kind == "array":
		return "array"
	case kind == "bool":
		return "boolean"
	}
	return kind
}

// requireContentType returns an Invalid error unless the request's media
// type is want.
func requireContentType(r *http.Request, want string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != want {
		return civicgrid.Errorf(civicgrid.Invalid, "Content-Type must be %s", want)
	}
	return nil
}

// encode writes v as JSON with status. It fails only before anything is
// written, so the caller may still write an error instead.
func encode(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("web: encode %T: %w", v, err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n')) // a failed write is a client that went away
	return nil
}
