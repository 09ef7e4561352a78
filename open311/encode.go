package open311

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// format is a response format, chosen by the path's extension (the spec
// does not negotiate by Accept).
type format int

// The formats.
const (
	formatXML format = iota
	formatJSON
)

// formatOf returns the format the path's extension names: JSON for
// ".json", else XML, the mandatory format (also for errors on paths with no
// or an unknown extension).
func formatOf(path string) format {
	if strings.HasSuffix(path, ".json") {
		return formatJSON
	}
	return formatXML
}

// A response is a tree of values, rendered as XML and as JSON from the same
// tree so that the two formats cannot drift apart:
//
//   - nil: JSON null, an empty XML element
//   - string, bool, int, float64: a scalar ("" is an empty XML element too)
//   - object: a JSON object, an XML element with one child per member, in
//     order
//   - list: a JSON array (even of 0 or 1 items), an XML container element
//     with one child element named item per value
type (
	object []member
	member struct {
		name  string
		value any
	}
	list struct {
		item  string
		items []any
	}
)

// document is a whole response: the XML root element's name and the body.
// In JSON the root is dropped and the body is the whole document.
type document struct {
	root string
	body any
}

// w3c is the W3C date-time profile of ISO 8601 with a mandatory zone.
const w3c = "2006-01-02T15:04:05Z07:00"

// orNull returns s, or nil when it is empty: optional text is null when
// missing.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeIn returns t in loc as a W3C date-time, or nil for a nil t.
func timeIn(t *time.Time, loc *time.Location) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.In(loc).Format(w3c)
}

// write sends doc with status in format f.
func write(w http.ResponseWriter, f format, status int, doc document) error {
	var buf bytes.Buffer
	if f == formatJSON {
		writeJSON(&buf, doc.body)
		buf.WriteByte('\n')
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		buf.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
		writeXML(&buf, doc.root, doc.body, 0)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write is a client that went away
	return nil
}

// writeXML writes v as the element name, indented by depth.
func writeXML(buf *bytes.Buffer, name string, v any, depth int) {
	indent := strings.Repeat("  ", depth)
	var text string
	switch v := v.(type) {
	case object:
		if len(v) == 0 {
			break
		}
		buf.WriteString(indent + "<" + name + ">\n")
		for _, m := range v {
			writeXML(buf, m.name, m.value, depth+1)
		}
		buf.WriteString(indent + "</" + name + ">\n")
		return
	case list:
		if len(v.items) == 0 {
			break
		}
		buf.WriteString(indent + "<" + name + ">\n")
		for _, item := range v.items {
			writeXML(buf, v.item, item, depth+1)
		}
		buf.WriteString(indent + "</" + name + ">\n")
		return
	default:
		text = scalarText(v)
	}
	if text == "" {
		buf.WriteString(indent + "<" + name + "/>\n")
		return
	}
	buf.WriteString(indent + "<" + name + ">")
	_ = xml.EscapeText(buf, []byte(text)) // writes to a bytes.Buffer cannot fail
	buf.WriteString("</" + name + ">\n")
}

// scalarText returns the text of a scalar value ("" for nil).
func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// writeJSON writes v as JSON.
func writeJSON(buf *bytes.Buffer, v any) {
	switch v := v.(type) {
	case object:
		buf.WriteByte('{')
		for i, m := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, m.name)
			buf.WriteByte(':')
			writeJSON(buf, m.value)
		}
		buf.WriteByte('}')
	case list:
		buf.WriteByte('[')
		for i, item := range v.items {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSON(buf, item)
		}
		buf.WriteByte(']')
	case string:
		writeJSONString(buf, v)
	case bool, int, float64:
		buf.WriteString(scalarText(v))
	default:
		buf.WriteString("null")
	}
}

// writeJSONString writes s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced, and U+2028/U+2029
// escaped for JavaScript readers.
func writeJSONString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"' || r == '\\':
			buf.WriteByte('\\')
			buf.WriteRune(r)
		case r == '\n':
			buf.WriteString(`\n`)
		case r == '\r':
			buf.WriteString(`\r`)
		case r == '\t':
			buf.WriteString(`\t`)
		case r < 0x20:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[r>>4])
			buf.WriteByte(hex[r&0xf])
		case r == '\u2028' || r == '\u2029':
			buf.WriteString(`\u202`)
			buf.WriteByte(hex[r&0xf])
		default:
			buf.WriteRune(r) // utf8.RuneError for invalid bytes
		}
	}
	buf.WriteByte('"')
}
