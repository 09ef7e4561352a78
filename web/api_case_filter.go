package web

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// Case list page sizes.
const (
	defaultCaseLimit = 50
	maxCaseLimit     = 500
)

// areaParams are the area filters of the case list, most specific first,
// with the length of their codes: the first one given wins.
var areaParams = []struct {
	name   string
	digits int
}{{"cell", 15}, {"community", 12}, {"street", 9}, {"district", 6}}

// parseCaseFilter reads the case list's query parameters. Malformed values
// are Invalid; well-formed references to a category or unit the city does
// not have are Unprocessable.
func parseCaseFilter(q url.Values, city *civicgrid.City) (civicgrid.CaseFilter, error) {
	f := civicgrid.CaseFilter{Limit: defaultCaseLimit}
	fe := civicgrid.FieldErrors{}
	for _, v := range q["status"] {
		for _, s := range strings.Split(v, ",") {
			st := civicgrid.Status(strings.TrimSpace(s))
			if !st.Valid() {
				fe.Add("status", "unknown status "+strconv.Quote(string(st)))
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	for _, p := range areaParams {
		code := q.Get(p.name)
		if code == "" {
			continue
		}
		if len(code) != p.digits || strings.Trim(code, "0123456789") != "" {
			fe.Add(p.name, "must be a "+strconv.Itoa(p.digits)+"-digit code")
		} else if f.AreaCode == "" {
			f.AreaCode = code
		}
	}
	if v := q.Get("component"); v != "" {
		if len(v) < 16 || len(v) > 17 || strings.Trim(v, "0123456789") != "" {
			fe.Add("component", "must be a 16- or 17-digit component code")
		}
		f.ComponentCode = v
	}
	if v := q.Get("source"); v != "" {
		src := civicgrid.Source(v)
		if !src.Valid() {
			fe.Add("source", "unknown source")
		}
		f.Source = &src
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fe.Add("overdue", "must be true or false")
		}
		f.Overdue = &b
	}
	f.CreatedFrom = parseTimeParam(q, "created_from", false, city.Location(), fe)
	f.CreatedTo = parseTimeParam(q, "created_to", true, city.Location(), fe)
	if f.CreatedFrom != nil && f.CreatedTo != nil && !f.CreatedTo.After(*f.CreatedFrom) {
		fe.Add("created_to", "must be after created_from")
	}
	f.Limit = parseLimit(q, defaultCaseLimit, maxCaseLimit, fe)
	if v := q.Get("cursor"); v != "" {
		id, ok := decodeCursor(v)
		if !ok {
			fe.Add("cursor", "not a cursor this API returned")
		}
		f.After = id
	}
	unit, unitOK := parseUnitParam(q.Get("unit"), city, fe)
	if err := fe.Err(); err != nil {
		return f, err
	}
	return f, references(&f, q.Get("category"), unit, unitOK, city)
}

// parseUnitParam reads the unit filter: a unit id, or a unit code.
func parseUnitParam(v string, city *civicgrid.City, fe civicgrid.FieldErrors) (civicgrid.UnitID, bool) {
	if v == "" {
		return 0, true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n <= 0 {
		fe.Add("unit", "must be a unit id or code")
	}
	return city.UnitByIDOrCode(v)
}

// references sets the category and unit filters, or reports that the city
// has no such category or unit.
func references(f *civicgrid.CaseFilter, category string, unit civicgrid.UnitID, unitOK bool, city *civicgrid.City) error {
	fields := map[string]string{}
	if category != "" {
		if city.Categories[category] == nil {
			fields["category"] = "unknown category"
		}
		f.CategoryCode = category
	}
	if !unitOK {
		fields["unit"] = "unknown unit"
	} else if unit != 0 {
		f.UnitID = &unit
	}
	if len(fields) == 0 {
		return nil
	}
	return &civicgrid.Error{Code: civicgrid.Unprocessable, Message: "the filter names a category or unit this city does not have", Fields: fields}
}

// parseTimeParam reads an instant written in RFC 3339 or a date written
// 2026-03-10 in loc. A date is its first instant or, with endOfDay, the
// first instant of the next day: CaseFilter.CreatedTo is exclusive, so
// created_to=2026-03-10 includes that whole day.
func parseTimeParam(q url.Values, name string, endOfDay bool, loc *time.Location, fe civicgrid.FieldErrors) *time.Time {
	v := q.Get(name)
	if v == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t
	}
	d, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		fe.Add(name, "must be a date like 2026-03-10 or a time like 2026-03-10T08:30:00+08:00")
		return nil
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return &d
}

// parseLimit reads the limit parameter: def when absent, else 1 to most.
func parseLimit(q url.Values, def, most int, fe civicgrid.FieldErrors) int {
	v := q.Get("limit")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		fe.Add("limit", "must be a whole number from 1 to "+strconv.Itoa(most))
		return def
	}
	return n
}

// encodeCursor hides the last id of a page behind an opaque token.
func encodeCursor(id civicgrid.CaseID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(int64(id), 10)))
}

func decodeCursor(s string) (civicgrid.CaseID, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return civicgrid.CaseID(id), true
}
