package open311

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"civicgrid"
)

// Limits of POST requests beyond the domain's own.
const (
	maxMediaURLs      = 9
	maxMediaURLLen    = 2000
	maxAttributes     = 30
	maxAttributeValue = 1000
	maxAddressDetail  = 200
	maxNameLen        = 100
	maxPhoneLen       = 40
	maxEmailLen       = 254
)

var (
	foldedNotice   = civicgrid.Text{Zh: "已合并到已有案件", En: "merged into an existing request for the same problem"}
	repeatedNotice = civicgrid.Text{Zh: "此前已收到同一请求", En: "this request was received before"}
)

// authenticate returns a context acting as the application whose api_key
// the request carries (in the form or the query), or Forbidden.
func (s *server) authenticate(r *http.Request) (context.Context, *civicgrid.APIKey, error) {
	key, user, err := s.keys.Authenticate(r.Context(), param(r, "api_key"))
	if err != nil {
		return nil, nil, err
	}
	return civicgrid.WithActor(r.Context(), user), key, nil
}

// handleRequestCreate serves POST requests: a report that opens a case or
// is folded into an open case of the same service nearby. Either way the
// answer is that case's public number.
func (s *server) handleRequestCreate(w http.ResponseWriter, r *http.Request, f format) error {
	ctx, key, err := s.authenticate(r)
	if err != nil {
		return err
	}
	code := param(r, "service_code")
	if code == "" {
		return civicgrid.FieldError("service_code", "required")
	}
	cat, err := publicService(s.city(), code)
	if err != nil {
		return err
	}
	in, err := reportInput(r, cat, key)
	if err != nil {
		return err
	}
	res, err := s.cases.Intake(ctx, in)
	if err != nil {
		return err
	}
	var notice any
	switch lang := langOf(r); {
	case res.Repeated:
		notice = repeatedNotice.In(lang)
	case res.Folded:
		notice = foldedNotice.In(lang)
	}
	return write(w, f, http.StatusOK, document{"service_requests", list{"request", []any{object{
		{"service_request_id", res.Case.Number},
		{"service_notice", notice},
		{"account_id", orNull(param(r, "account_id"))},
	}}}})
}

// reportInput reads the report in a POST requests form, listing every
// problem at once.
func reportInput(r *http.Request, cat *civicgrid.Category, key *civicgrid.APIKey) (civicgrid.ReportInput, error) {
	fe := civicgrid.FieldErrors{}
	in := civicgrid.ReportInput{
		CategoryCode: cat.Code, Source: civicgrid.SourceOpen311,
		Address:     param(r, "address_string"),
		Description: param(r, "description"),
		Reporter: civicgrid.Reporter{
			Name:  strings.TrimSpace(param(r, "first_name") + " " + param(r, "last_name")),
			Phone: param(r, "phone"), Email: param(r, "email"),
		},
		Intake: civicgrid.Intake{APIKeyID: key.ID},
	}
	in.Lat, in.Lon = location(r, fe)
	if in.Description == "" {
		in.Description = cat.Name.Zh // optional in Open311, required of a case
	}
	if len([]rune(in.Reporter.Name)) > maxNameLen {
		fe.Add("first_name", fmt.Sprintf("first_name and last_name together at most %d characters", maxNameLen))
	}
	if len(in.Reporter.Phone) > maxPhoneLen {
		fe.Add("phone", fmt.Sprintf("at most %d characters", maxPhoneLen))
	}
	if len(in.Reporter.Email) > maxEmailLen {
		fe.Add("email", fmt.Sprintf("at most %d characters", maxEmailLen))
	}
	in.Intake.Attributes = attributes(r, fe)
	if id := in.Intake.Attributes["fixmystreet_id"]; id != "" {
		// FixMyStreet resends a report whose answer it did not get; its id
		// makes the resend return the first answer. Scoped by key, as ids
		// of different senders may collide.
		if ext := fmt.Sprintf("k%d:%s", key.ID, id); len(ext) <= 64 {
			in.Intake.ExternalID = ext
		}
	}
	return in, fe.Err() // the domain validates the rest
}

// location reads lat and long. Without them a report cannot be placed in
// the grid: there is no geocoder for address_string or address_id.
func location(r *http.Request, fe civicgrid.FieldErrors) (lat, lon float64) {
	la, lo := param(r, "lat"), param(r, "long")
	switch {
	case la == "" && lo == "" && (param(r, "address_string") != "" || param(r, "address_id") != ""):
		fe.Add("location", "this jurisdiction needs lat/long: an address_string or address_id alone cannot be placed in the grid, as there is no geocoder; send lat and long (WGS84 decimal degrees) too")
	case la == "" && lo == "":
		fe.Add("location", "required: send lat and long (WGS84 decimal degrees)")
	case la == "":
		fe.Add("lat", "required with long")
	case lo == "":
		fe.Add("long", "required with lat")
	}
	lat, lon = coordinate(la, "lat", 90, fe), coordinate(lo, "long", 180, fe)
	return lat, lon
}

// coordinate parses a decimal degree within ±limit.
func coordinate(v, name string, limit float64, fe civicgrid.FieldErrors) float64 {
	if v == "" {
		return 0
	}
	d, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(d) || math.IsInf(d, 0) || math.Abs(d) > limit {
		fe.Add(name, fmt.Sprintf("must be decimal degrees between -%g and %g", limit, limit))
		return 0
	}
	return d
}

// attributePattern matches attribute[CODE] and attribute[CODE][].
var attributePattern = regexp.MustCompile(`^attribute\[([^\[\]]{1,64})\](\[\])?$`)

// attributes collects what the report says beyond the case's own fields:
// the answers attribute[CODE] (several values of attribute[CODE][] joined
// by commas), device_id and account_id, and each media_url as media_url_N.
func attributes(r *http.Request, fe civicgrid.FieldErrors) map[string]string {
	out := map[string]string{}
	for k, vs := range r.Form {
		m := attributePattern.FindStringSubmatch(k)
		if m == nil || m[1] == "closing_condition" { // not a question: shown, not answered
			continue
		}
		var answers []string
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				answers = append(answers, v)
			}
		}
		if len(answers) == 0 {
			continue
		}
		v := strings.Join(answers, ",")
		limit := maxAttributeValue
		if m[1] == attrAddressDetail {
			limit = maxAddressDetail
		}
		if len([]rune(v)) > limit {
			fe.Add("attribute["+m[1]+"]", fmt.Sprintf("at most %d characters", limit))
		}
		out[m[1]] = v
	}
	if len(out) > maxAttributes {
		fe.Add("attribute", fmt.Sprintf("at most %d attributes", maxAttributes))
	}
	// FixMyStreet sends deviceid in one mode; device_id, the spec's, wins.
	for _, p := range [][2]string{{"deviceid", "device_id"}, {"device_id", "device_id"}, {"account_id", "account_id"}} {
		if v := param(r, p[0]); v != "" {
			if len(v) > maxNameLen {
				fe.Add(p[0], fmt.Sprintf("at most %d characters", maxNameLen))
			}
			out[p[1]] = v
		}
	}
	mediaURLs(r, out, fe)
	if len(out) == 0 {
		return nil
	}
	return out
}

// mediaURLs adds each media_url of the request to attrs as media_url_N.
func mediaURLs(r *http.Request, attrs map[string]string, fe civicgrid.FieldErrors) {
	n := 0
	for _, v := range r.Form["media_url"] {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > maxMediaURLLen {
			fe.Add("media_url", fmt.Sprintf("must be an http or https URL of at most %d characters", maxMediaURLLen))
			continue
		}
		if n++; n > maxMediaURLs {
			fe.Add("media_url", fmt.Sprintf("at most %d media_url", maxMediaURLs))
			return
		}
		attrs[mediaURLKey(n)] = v
	}
}

// mediaURLKey is the attribute keeping the n-th media_url (from 1).
func mediaURLKey(n int) string { return "media_url_" + strconv.Itoa(n) }
