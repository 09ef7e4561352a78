package civicgrid

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Feature is one polygonal feature of a GeoJSON FeatureCollection. Index
// is its position in the collection, from 0. Numbers in ID and Properties
// are json.Number, so long identifiers keep every digit.
type Feature struct {
	Index      int
	ID         any
	Properties map[string]any
	Geometry   MultiPolygon
}

// StringProperty returns property name as a string: strings as they are,
// numbers in plain decimal notation (2 → "2", 440305 → "440305",
// 1.5 → "1.5"). It reports false for a missing, null, boolean or
// structured property.
func (f Feature) StringProperty(name string) (string, bool) {
	return stringValue(f.Properties[name])
}

// stringValue renders a string or number as a string.
func stringValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return string(v), true
		}
		f, err := v.Float64()
		if err != nil {
			return "", false
		}
		return formatNumber(f), true
	case float64:
		return formatNumber(v), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	}
	return "", false
}

// formatNumber writes f without an exponent.
func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ParseFeatureCollection reads a GeoJSON FeatureCollection whose features
// are Polygons or MultiPolygons; a Polygon becomes a MultiPolygon of one.
// Positions are [longitude, latitude], any altitude is dropped. Invalid
// JSON, another geometry type, a missing geometry or malformed coordinates
// give an Invalid error naming the feature. Rings are neither closed nor
// checked: call MultiPolygon.Validate.
func ParseFeatureCollection(r io.Reader) ([]Feature, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	var features []Feature
	var kind string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, jsonError(err)
		}
		switch key {
		case "type":
			if err := dec.Decode(&kind); err != nil {
				return nil, jsonError(err)
			}
		case "features":
			if features, err = decodeFeatures(dec); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonError(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	}
	if kind != "FeatureCollection" {
		return nil, Errorf(Invalid, "GeoJSON type is %q, want \"FeatureCollection\"", kind)
	}
	return features, nil
}

// rawFeature is a feature as it appears in the file.
type rawFeature struct {
	Type       string         `json:"type"`
	ID         any            `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// decodeFeatures reads the features array one feature at a time, so the
// whole file is never held as raw bytes.
func decodeFeatures(dec *json.Decoder) ([]Feature, error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	var out []Feature
	for i := 0; dec.More(); i++ {
		var raw rawFeature
		if err := dec.Decode(&raw); err != nil {
			return nil, featureError(i, nil, "%s", jsonError(err).Message)
		}
		f, err := convertFeature(i, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	}
	return out, nil
}

// convertFeature checks raw's shape and decodes its coordinates.
func convertFeature(i int, raw rawFeature) (Feature, error) {
	f := Feature{Index: i, ID: raw.ID, Properties: raw.Properties}
	if raw.Type != "Feature" {
		return f, featureError(i, raw.ID, "type is %q, want \"Feature\"", raw.Type)
	}
	g := raw.Geometry
	if g == nil {
		return f, featureError(i, raw.ID, "has no geometry")
	}
	if len(g.Coordinates) == 0 || string(g.Coordinates) == "null" {
		return f, featureError(i, raw.ID, "%s geometry has no coordinates", g.Type)
	}
	var err error
	switch g.Type {
	case "Polygon":
		var c [][][]float64
		if err = json.Unmarshal(g.Coordinates, &c); err == nil {
			var p Polygon
			p, err = toPolygon(c)
			f.Geometry = MultiPolygon{p}
		}
	case "MultiPolygon":
		var c [][][][]float64
		if err = json.Unmarshal(g.Coordinates, &c); err == nil {
			f.Geometry = make(MultiPolygon, len(c))
			for k := range c {
				if f.Geometry[k], err = toPolygon(c[k]); err != nil {
					err = fmt.Errorf("polygon %d: %w", k, err)
					break
				}
			}
		}
	default:
		return f, featureError(i, raw.ID, "geometry type %q is not supported; want Polygon or MultiPolygon", g.Type)
	}
	if err != nil {
		return f, featureError(i, raw.ID, "malformed %s coordinates: %v", g.Type, err)
	}
	return f, nil
}

// toPolygon turns nested [lon, lat, ...] arrays into a Polygon.
func toPolygon(c [][][]float64) (Polygon, error) {
	p := make(Polygon, len(c))
	for j, ring := range c {
		p[j] = make(Ring, len(ring))
		for k, pos := range ring {
			if len(pos) < 2 {
				return nil, fmt.Errorf("ring %d position %d has %d numbers, want at least 2", j, k, len(pos))
			}
			p[j][k] = Point{Lat: pos[1], Lon: pos[0]}
		}
	}
	return p, nil
}

// featureError returns an Invalid error about feature i.
func featureError(i int, id any, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if s, ok := stringValue(id); ok {
		return Errorf(Invalid, "feature %d (id %s): %s", i, s, msg)
	}
	return Errorf(Invalid, "feature %d: %s", i, msg)
}

// expectDelim reads the next token and checks that it is d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonError(err)
	}
	if tok != d {
		return Errorf(Invalid, "GeoJSON: found %v where %q was expected", tok, d)
	}
	return nil
}

// jsonError wraps a decoding error as Invalid.
func jsonError(err error) *Error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &Error{Code: Invalid, Message: "GeoJSON is not valid: " + err.Error(), Err: err}
}
