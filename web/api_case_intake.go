package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"civicgrid"
)

// maxReportPhotos is how many photos one report may carry in all: ids of
// uploaded photos, multipart files and base64 photos together.
const maxReportPhotos = 9

// reportInput is a report as the API takes it: the domain's ReportInput
// and, optionally, photos inline as base64 (standard or URL alphabet,
// padded or not, or a data: URL).
type reportInput struct {
	civicgrid.ReportInput
	PhotosBase64 []string `json:"photos_base64,omitempty"`
}

// Validate checks the input's own fields: the domain's rules and the
// API's.
func (in *reportInput) Validate() error {
	fe := civicgrid.FieldErrors{}
	if err := in.ReportInput.Validate(); err != nil {
		e := civicgrid.AsError(err)
		if e == nil || len(e.Fields) == 0 {
			return err
		}
		maps.Copy(fe, e.Fields)
	}
	if len(in.Photos)+len(in.PhotosBase64) > maxReportPhotos {
		fe.Add("photos", fmt.Sprintf("at most %d photos in all", maxReportPhotos))
	}
	if in.Intake.APIKeyID != 0 {
		fe.Add("intake.api_key_id", "set by the server, not by the client")
	}
	return fe.Err()
}

// intakeJSON is the answer to a report: the case it opened (201) or was
// folded into (200, folded), or the case an earlier sending of the same
// report made (200, repeated).
type intakeJSON struct {
	caseJSON
	ReportID int64 `json:"report_id"`
	Folded   bool  `json:"folded"`
	Repeated bool  `json:"repeated"`
}

// namedPhoto is the bytes of a photo sent with a report and the field it
// came in, for error messages.
type namedPhoto struct {
	field string
	data  []byte
}

func (s *Server) handleCaseCreate(w http.ResponseWriter, r *http.Request) error {
	in, photos, err := readReport(w, r)
	if err != nil {
		return err
	}
	for i, p := range in.PhotosBase64 {
		field := "photos_base64[" + strconv.Itoa(i) + "]"
		data, err := decodeBase64Photo(p)
		if err != nil {
			return photoFieldError(field, err)
		}
		photos = append(photos, namedPhoto{field, data})
	}
	// Every photo is checked before any is stored, so that a bad one
	// stores nothing.
	for _, p := range photos {
		if _, err := civicgrid.InspectPhoto(p.data); err != nil {
			return photoFieldError(p.field, err)
		}
	}
	ctx := r.Context()
	for _, p := range photos {
		a, err := s.photos.Upload(ctx, p.data)
		if err != nil {
			return photoFieldError(p.field, err)
		}
		in.Photos = appendNew(in.Photos, a.ID)
	}
	res, err := s.cases.Intake(ctx, in.ReportInput)
	if err != nil {
		return err
	}
	c := res.Case
	status := http.StatusCreated
	if res.Folded || res.Repeated {
		status = http.StatusOK
	}
	out := intakeJSON{caseJSON: s.caseJSON(ctx, c, nil), Folded: res.Folded, Repeated: res.Repeated}
	if res.Report != nil {
		out.ReportID = res.Report.ID
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(int64(c.ID), 10))
	return encode(w, status, out)
}

// appendNew appends id to ids unless it is there already.
func appendNew(ids []string, id string) []string {
	for _, have := range ids {
		if have == id {
			return ids
		}
	}
	return append(ids, id)
}

// readReport reads a report: JSON, or a multipart form with the JSON in the
// field report and photos in fields named photo.
func readReport(w http.ResponseWriter, r *http.Request) (reportInput, []namedPhoto, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mt == "application/json":
		in, err := decodeLimit[reportInput](w, r, maxReportBytes)
		return in, nil, err
	case err == nil && mt == "multipart/form-data" && params["boundary"] != "":
		if r.ContentLength > maxReportBytes {
			return reportInput{}, nil, bodyTooLarge(maxReportBytes)
		}
		return readReportForm(multipart.NewReader(http.MaxBytesReader(w, r.Body, maxReportBytes), params["boundary"]))
	}
	return reportInput{}, nil, civicgrid.Errorf(civicgrid.Invalid,
		"Content-Type must be application/json, or multipart/form-data with the report in a field named report and photos in fields named photo")
}

// readReportForm reads the parts of a multipart report.
func readReportForm(mr *multipart.Reader) (reportInput, []namedPhoto, error) {
	var (
		in     reportInput
		photos []namedPhoto
		seen   bool
	)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, nil, formError(err)
		}
		switch p.FormName() {
		case "report":
			if seen {
				return in, nil, civicgrid.FieldError("report", "send one report")
			}
			seen = true
			if in, err = decodeReader[reportInput](http.MaxBytesReader(nil, p, maxJSONBytes)); err != nil {
				return in, nil, err
			}
		case "photo":
			field := "photo[" + strconv.Itoa(len(photos)) + "]"
			if len(photos) == maxReportPhotos {
				return in, nil, civicgrid.FieldError("photo", fmt.Sprintf("at most %d photos", maxReportPhotos))
			}
			data, err := io.ReadAll(io.LimitReader(p, civicgrid.MaxPhotoBytes+1))
			if err != nil {
				return in, nil, formError(err)
			}
			if len(data) > civicgrid.MaxPhotoBytes {
				return in, nil, photoFieldError(field, photoTooLarge())
			}
			photos = append(photos, namedPhoto{field, data})
		default:
			return in, nil, &civicgrid.Error{Code: civicgrid.Invalid, Message: fmt.Sprintf("unknown field %q: send report and photo", p.FormName()),
				Fields: map[string]string{p.FormName(): "unknown field"}}
		}
	}
	if !seen {
		return in, nil, civicgrid.FieldError("report", "required: the report as JSON in a field named report")
	}
	if len(in.Photos)+len(in.PhotosBase64)+len(photos) > maxReportPhotos {
		return in, nil, civicgrid.FieldError("photos", fmt.Sprintf("at most %d photos in all", maxReportPhotos))
	}
	return in, photos, nil
}

// formError classifies a failure to read a multipart report.
func formError(err error) error {
	if errors.As(err, new(*http.MaxBytesError)) {
		return bodyTooLarge(maxReportBytes)
	}
	return &civicgrid.Error{Code: civicgrid.Invalid, Message: "the form could not be read: " + err.Error(), Err: err}
}

// base64Encodings are the alphabets a base64 photo may come in.
var base64Encodings = []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding}

// decodeBase64Photo decodes a photo sent as base64 or as a data: URL;
// line breaks and spaces are ignored.
func decodeBase64Photo(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		meta, data, ok := strings.Cut(rest, ",")
		if !ok || !strings.HasSuffix(meta, ";base64") {
			return nil, civicgrid.Errorf(civicgrid.Invalid, "a data: URL must be base64 (data:image/jpeg;base64,...)")
		}
		s = data
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if base64.RawStdEncoding.DecodedLen(len(s)) > civicgrid.MaxPhotoBytes {
		return nil, photoTooLarge()
	}
	for _, enc := range base64Encodings {
		if data, err := enc.DecodeString(s); err == nil {
			return data, nil
		}
	}
	return nil, civicgrid.Errorf(civicgrid.Invalid, "not valid base64")
}

// photoFieldError names field in a photo's error, keeping its code.
func photoFieldError(field string, err error) error {
	e := civicgrid.AsError(err)
	if e == nil || e.Code == civicgrid.Internal {
		return err
	}
	problem := e.Message
	if len(e.Fields) == 1 {
		for _, p := range e.Fields {
			problem = p
		}
	}
	return &civicgrid.Error{Code: e.Code, Message: field + ": " + problem, Fields: map[string]string{field: problem}, Err: err}
}
