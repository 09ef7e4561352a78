package civicgrid

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// historyColumns maps the header names a previous system's export may use,
// Chinese or English, to the fields of a HistoricCase.
var historyColumns = map[string]string{
	"案卷编号": "external_id", "原编号": "external_id", "工单编号": "external_id", "external_id": "external_id", "number": "external_id",
	"类别代码": "category", "问题类别": "category", "类别": "category", "category": "category", "category_code": "category",
	"上报时间": "created_at", "created_at": "created_at", "created": "created_at",
	"结案时间": "closed_at", "closed_at": "closed_at", "closed": "closed_at",
	"状态": "status", "结果": "status", "status": "status", "outcome": "status",
	"纬度": "lat", "lat": "lat", "latitude": "lat", "经度": "lon", "lon": "lon", "longitude": "lon",
	"地址": "address", "address": "address",
	"问题描述": "description", "描述": "description", "description": "description",
	"来源": "source", "source": "source",
}

// historyFields are the fields a column may be named for with
// HistoryCSVOptions.Columns.
var historyFields = []string{"external_id", "category", "created_at", "closed_at", "status", "lat", "lon", "address", "description", "source"}

// historyRequired are the fields a history file must have a column for.
var historyRequired = []string{"external_id", "category", "created_at", "status"}

// HistoryCSVOptions says how to read a previous system's export.
type HistoryCSVOptions struct {
	// Columns names the file's column for a field (e.g. "external_id" →
	// "SRNumber") where the header is not one historyColumns knows.
	Columns map[string]string
	// Source is the channel of rows whose source column is missing, empty
	// or not one of ours (default hotline).
	Source Source
	// Location is the zone of times written without one.
	Location *time.Location
}

// HistoryField reports whether f is a field a column may be named for.
func HistoryField(f string) bool {
	for _, v := range historyFields {
		if v == f {
			return true
		}
	}
	return false
}

// ParseHistoryCSV reads a previous system's cases (one per row, UTF-8, a
// header row). Categories are given by code or by their Chinese or English
// name in city; statuses 已结案/closed and 已作废/cancelled end a case,
// anything else leaves it open; rows without coordinates are kept without
// a place. Any problem refuses the whole file, with every problem (up to
// 50) listed as "line N".
func ParseHistoryCSV(r io.Reader, city *City, opts HistoryCSVOptions) ([]HistoricCase, error) {
	if opts.Source == "" {
		opts.Source = SourceHotline
	}
	if opts.Location == nil {
		opts.Location = city.Location()
	}
	cr, header, err := openCSV(r, 1<<30)
	if ErrorCodeOf(err) == Invalid {
		return nil, err
	}
	if err != nil {
		return nil, FieldError("line 1", "no header row: "+csvProblemText(err))
	}
	cols, err := historyHeader(header, opts.Columns)
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for code, c := range city.Categories {
		byName[c.Name.Zh], byName[c.Name.En] = code, code
	}
	fe := FieldErrors{}
	var out []HistoricCase
	for len(fe) < 50 {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			fe.Add(fmt.Sprintf("line %d", line), csvProblemText(err))
			continue
		}
		h, problem := historyRow(rec, cols, byName, opts)
		if problem != "" {
			fe.Add(fmt.Sprintf("line %d", line), problem)
			continue
		}
		h.Line = line
		out = append(out, h)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// historyHeader finds the column of each field.
func historyHeader(header []string, named map[string]string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if f, ok := historyColumns[strings.ToLower(h)]; ok {
			cols[f] = i
		} else if f, ok := historyColumns[h]; ok {
			cols[f] = i
		}
	}
	fe := FieldErrors{}
	for f, name := range named {
		if !HistoryField(f) {
			fe.Add("columns", "unknown field "+f+"; fields are "+strings.Join(historyFields, ", "))
			continue
		}
		found := false
		for i, h := range header {
			if strings.TrimSpace(h) == name {
				cols[f], found = i, true
			}
		}
		if !found {
			fe.Add("line 1", "no column "+strconv.Quote(name)+" for "+f)
		}
	}
	for _, f := range historyRequired {
		if _, ok := cols[f]; !ok {
			fe.Add("line 1", "missing column "+f)
		}
	}
	return cols, fe.Err()
}

// historyRow turns one record into a historic case, or says what is wrong.
func historyRow(rec []string, cols map[string]int, byName map[string]string, opts HistoryCSVOptions) (HistoricCase, string) {
	get := func(f string) string {
		if i, ok := cols[f]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	h := HistoricCase{ExternalID: get("external_id"), CategoryCode: get("category"), Source: opts.Source,
		Address: get("address"), Description: get("description")}
	if code, ok := byName[h.CategoryCode]; ok {
		h.CategoryCode = code
	}
	if s := Source(get("source")); s.Valid() {
		h.Source = s
	}
	var err error
	if h.CreatedAt, err = parseHistoryTime(get("created_at"), opts.Location); err != nil {
		return h, "created_at: " + err.Error()
	}
	if s := get("closed_at"); s != "" {
		t, err := parseHistoryTime(s, opts.Location)
		if err != nil {
			return h, "closed_at: " + err.Error()
		}
		h.ClosedAt = &t
	}
	switch strings.ToLower(get("status")) {
	case "closed", "已结案", "结案":
		h.Outcome = OutcomeClosed
	case "cancelled", "canceled", "已作废", "作废":
		h.Outcome = OutcomeCancelled
	default:
		h.Outcome = OutcomeOpen
	}
	lat, lon := get("lat"), get("lon")
	if (lat == "") != (lon == "") {
		return h, "give both latitude and longitude, or neither"
	}
	if lat != "" {
		if h.Lat, err = strconv.ParseFloat(lat, 64); err != nil {
			return h, "latitude is not a number"
		}
		if h.Lon, err = strconv.ParseFloat(lon, 64); err != nil {
			return h, "longitude is not a number"
		}
	}
	return h, ""
}

// parseHistoryTime reads the times parseLocalTime reads and the
// month-first times of American exports (12/31/2018 11:55:30 PM).
func parseHistoryTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("required")
	}
	if t, err := parseLocalTime(s, loc); err == nil {
		return t, nil
	}
	for _, layout := range []string{"01/02/2006 03:04:05 PM", "1/2/2006 3:04:05 PM", "1/2/2006 15:04:05", "1/2/2006 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
