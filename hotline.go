package civicgrid

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// hotlineColumns maps the header names a 12345 hotline export may use,
// Chinese or English, to our fields.
var hotlineColumns = map[string]string{
	"工单编号": "order_id", "工单号": "order_id", "order_id": "order_id",
	"受理时间": "received_at", "received_at": "received_at",
	"问题类别": "category_code", "类别代码": "category_code", "category_code": "category_code",
	"地址": "address", "address": "address",
	"纬度": "lat", "lat": "lat", "经度": "lon", "lon": "lon",
	"坐标系": "crs", "crs": "crs",
	"问题描述": "description", "description": "description",
	"来电人": "caller_name", "caller_name": "caller_name",
	"联系电话": "caller_phone", "caller_phone": "caller_phone",
	"受理人": "received_by", "received_by": "received_by",
}

// hotlineRequired are the columns a hotline file must have.
var hotlineRequired = []string{"order_id", "category_code", "lat", "lon", "description"}

// ParseHotlineCSV reads work orders exported from a hotline system (one per
// row, UTF-8, a header row naming the columns in Chinese or English) as
// reports from the hotline channel. Times without a zone are read in loc.
// Any problem refuses the whole file, with every problem (up to 50) listed
// as "line N, column C".
func ParseHotlineCSV(r io.Reader, loc *time.Location) ([]ReportInput, error) {
	cr, header, err := openCSV(r, 256<<20)
	if ErrorCodeOf(err) == Invalid {
		return nil, err
	}
	if err != nil {
		return nil, FieldError("line 1", "no header row: "+csvProblemText(err))
	}
	cols := map[string]int{}
	for i, h := range header {
		if f, ok := hotlineColumns[strings.TrimSpace(strings.ToLower(h))]; ok {
			cols[f] = i
		} else if f, ok := hotlineColumns[strings.TrimSpace(h)]; ok {
			cols[f] = i
		}
	}
	fe := FieldErrors{}
	for _, f := range hotlineRequired {
		if _, ok := cols[f]; !ok {
			fe.Add("line 1", "missing column "+f)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out []ReportInput
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			fe.Add(fmt.Sprintf("line %d", line), csvProblemText(err))
			if len(fe) >= 50 {
				break
			}
			continue
		}
		in, problems := hotlineRow(rec, cols, header, loc)
		for col, p := range problems {
			fe.Add(fmt.Sprintf("line %d, column %s", line, col), p)
		}
		out = append(out, in)
		if len(fe) >= 50 {
			break
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, FieldError("line 2", "the file has no work orders")
	}
	return out, nil
}

// hotlineRow turns one record into a report, with problems by column name.
func hotlineRow(rec []string, cols map[string]int, header []string, loc *time.Location) (ReportInput, map[string]string) {
	get := func(f string) string {
		if i, ok := cols[f]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	name := func(f string) string { return header[cols[f]] }
	problems := map[string]string{}
	in := ReportInput{Source: SourceHotline, CategoryCode: get("category_code"), Address: get("address"),
		Description: get("description"), CRS: CRS(strings.ToLower(get("crs"))),
		Reporter: Reporter{Name: get("caller_name"), Phone: get("caller_phone")},
		Intake:   Intake{ExternalID: get("order_id"), ReceivedBy: get("received_by")}}
	if in.Intake.ExternalID == "" {
		problems[name("order_id")] = "required"
	}
	for _, f := range []string{"lat", "lon"} {
		v, err := strconv.ParseFloat(get(f), 64)
		if err != nil {
			problems[name(f)] = "not a number"
		}
		if f == "lat" {
			in.Lat = v
		} else {
			in.Lon = v
		}
	}
	if s := get("received_at"); s != "" {
		t, err := parseLocalTime(s, loc)
		if err != nil {
			problems[name("received_at")] = "not a time like 2026-03-10 09:30:00"
		} else {
			in.Intake.DeviceTime = &t
		}
	}
	if err := in.Validate(); err != nil {
		if e := AsError(err); e != nil {
			for f, p := range e.Fields {
				col := f
				if i, ok := cols[f]; ok {
					col = header[i]
				} else if f == "intake" {
					col = name("order_id")
				}
				if _, dup := problems[col]; !dup {
					problems[col] = p
				}
			}
		}
	}
	return in, problems
}

// parseLocalTime reads 2026-03-10 09:30[:00], 2026/03/10 09:30[:00] or
// RFC 3339.
func parseLocalTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006/01/02 15:04:05", "2006/01/02 15:04", "2006/1/2 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("unrecognised time")
}

// csvProblemText describes a CSV syntax error without its position (the
// caller names the line).
