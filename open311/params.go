package open311

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// Body limits: a form of text fields, or a multipart form that may carry
// FixMyStreet's photo parts (which are read and dropped: photos arrive as
// media_url).
const (
	maxFormBytes      = 1 << 20
	maxMultipartBytes = 32 << 20
	multipartInMemory = 1 << 20
)

// parseForm reads the query and, for a POST, the url-encoded or multipart
// body into r.Form, within the body limits.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return civicgrid.Errorf(civicgrid.Invalid, "malformed query string: %v", err)
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, maxMultipartBytes)
		if err := r.ParseMultipartForm(multipartInMemory); err != nil {
			return formError(err, maxMultipartBytes)
		}
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return formError(err, maxFormBytes)
	}
	return nil
}

// formError describes a failure to read a form.
func formError(err error, limit int) error {
	if errors.As(err, new(*http.MaxBytesError)) {
		return civicgrid.Errorf(civicgrid.TooLarge, "the request body is larger than %d bytes", limit)
	}
	return &civicgrid.Error{Code: civicgrid.Invalid, Message: "malformed form body; send application/x-www-form-urlencoded or multipart/form-data", Err: err}
}

// param returns the first value of the named parameter, trimmed: an
// optional parameter sent empty is the same as one not sent.
func param(r *http.Request, name string) string {
	return strings.TrimSpace(r.Form.Get(name))
}

// values returns every value of the named parameter, whether sent as a
// comma-separated list, repeated, or both; empty items are dropped.
func values(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.Form[name] {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// timeLayouts are the date-time forms accepted, with a zone and (read in
// the city's zone) without.
var (
	zonedLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700"}
	localLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"}
)

// parseTime reads a W3C date-time leniently: percent-encoded once more than
// needed, "+08:00" arrived as " 08:00" (an unencoded plus), a space for the
// "T", "z" for "Z", fractional seconds, "+0800". A time without a zone is
// read in loc.
func parseTime(name, v string, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(v)
	if strings.Contains(s, "%") {
		if u, err := url.PathUnescape(s); err == nil {
			s = strings.TrimSpace(u)
		}
	}
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", "+"), "z", "Z")
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, civicgrid.FieldError(name, "must be a W3C date-time such as 2026-03-10T09:00:00+08:00")
}

// timeParam returns the optional date-time parameter name, or nil when it
// is absent or malformed (recording the problem in fe).
func timeParam(r *http.Request, name string, loc *time.Location, fe civicgrid.FieldErrors) *time.Time {
	v := param(r, name)
	if v == "" {
		return nil
	}
	t, err := parseTime(name, v, loc)
	if err != nil {
		fe.Add(name, civicgrid.AsError(err).Fields[name])
		return nil
	}
	return &t
}

// intParam returns the optional integer parameter name, from 1 to
// maxValue; def when it is absent or malformed (recording the problem in fe).
func intParam(r *http.Request, name string, def, maxValue int, fe civicgrid.FieldErrors) int {
	v := param(r, name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxValue {
		fe.Add(name, "must be a whole number from 1 to "+strconv.Itoa(maxValue))
		return def
	}
	return n
}

// boolParam reports whether the parameter says true.
func boolParam(r *http.Request, name string) bool {
	switch strings.ToLower(param(r, name)) {
	case "true", "1", "yes", "on":
		return true
	}
	return false
}

// langOf returns the language of the response texts: "en" when the lang
// parameter or the first language of Accept-Language is English, else
// Chinese.
func langOf(r *http.Request) string {
	if l := strings.ToLower(param(r, "lang")); l != "" {
		return primaryLang(l)
	}
	for tag := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ = strings.Cut(tag, ";")
		switch l := primaryLang(strings.ToLower(strings.TrimSpace(tag))); l {
		case "en", "zh":
			return l
		}
	}
	return "zh"
}

// primaryLang returns the primary subtag of a language tag ("en-GB" → "en").
func primaryLang(tag string) string {
	l, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	return l
}
