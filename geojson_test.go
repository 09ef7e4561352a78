package civicgrid_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"civicgrid"

	gocmp "github.com/google/go-cmp/cmp"
)

func TestGeoJSONParse(t *testing.T) {
	square := civicgrid.Ring{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 1}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}
	tests := []struct {
		name string
		in   string
		want []civicgrid.Feature
	}{
		{
			name: "polygon promoted",
			in: `{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"code":"330106001001001"},
				"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
			want: []civicgrid.Feature{{Index: 0, ID: json.Number("7"), Properties: map[string]any{"code": "330106001001001"},
				Geometry: civicgrid.MultiPolygon{{square}}}},
		},
		{
			name: "multipolygon with altitude, members in any order",
			in: `{"features":[{"geometry":{"coordinates":[[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]],[[[0,0],[1,0],[1,1],[0,0]],[[0.1,0.1],[0.2,0.1],[0.2,0.2]]]],
				"type":"MultiPolygon"},"properties":null,"type":"Feature"}],"type":"FeatureCollection","bbox":[0,0,1,1]}`,
			want: []civicgrid.Feature{{Index: 0, Geometry: civicgrid.MultiPolygon{{square}, {square,
				{{Lat: 0.1, Lon: 0.1}, {Lat: 0.1, Lon: 0.2}, {Lat: 0.2, Lon: 0.2}}}}}},
		},
		{
			name: "empty collection",
			in:   `{"type":"FeatureCollection","features":[]}`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := civicgrid.ParseFeatureCollection(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := gocmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseFeatureCollection mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGeoJSONParseErrors(t *testing.T) {
	feature := func(id, geometry string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},` +
			`{"type":"Feature","id":` + id + `,"properties":{},"geometry":` + geometry + `}]}`
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"not JSON", `hello`, "GeoJSON is not valid"},
		{"truncated", `{"type":"FeatureCollection","features":[{"type":"Feature"`, "feature 0: GeoJSON is not valid"},
		{"array", `[]`, "where"},
		{"wrong type", `{"type":"Feature","features":[]}`, `GeoJSON type is "Feature"`},
		{"no type", `{"features":[]}`, `want "FeatureCollection"`},
		{"line string", feature(`"X"`, `{"type":"LineString","coordinates":[[0,0],[1,1]]}`), `feature 1 (id X): geometry type "LineString" is not supported`},
		{"point", feature(`12`, `{"type":"Point","coordinates":[0,0]}`), `feature 1 (id 12): geometry type "Point"`},
		{"missing geometry", feature(`"X"`, `null`), "feature 1 (id X): has no geometry"},
		{"missing coordinates", feature(`"X"`, `{"type":"Polygon"}`), "feature 1 (id X): Polygon geometry has no coordinates"},
		{"short position", feature(`"X"`, `{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}`), "ring 0 position 1 has 1 numbers"},
		{"short position in multipolygon", feature(`"X"`, `{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0],[1,1],[]]]]}`), "polygon 1: ring 0 position 3"},
		{"string coordinate", feature(`"X"`, `{"type":"Polygon","coordinates":[[["0",0],[1,0],[1,1],[0,0]]]}`), "feature 1 (id X): malformed Polygon coordinates"},
		{"too deep", feature(`"X"`, `{"type":"Polygon","coordinates":[[[[0,0]]]]}`), "malformed Polygon coordinates"},
		{"not a feature", `{"type":"FeatureCollection","features":[{"type":"Polygon","coordinates":[]}]}`, `feature 0: type is "Polygon"`},
		{"huge number", feature(`"X"`, `{"type":"Polygon","coordinates":[[[1e999,0],[1,0],[1,1],[0,0]]]}`), "feature 1 (id X)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := civicgrid.ParseFeatureCollection(strings.NewReader(tt.in))
			if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Fatalf("error = %v, want Invalid", err)
			}
			if msg := civicgrid.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestFeatureStringProperty(t *testing.T) {
	f := civicgrid.Feature{Properties: map[string]any{
		"name": "西湖区", "empty": "", "int": json.Number("440305"), "float": json.Number("1.5"),
		"exp": json.Number("4.40305e5"), "long": json.Number("330106001001001"), "f64": 2.0,
		"big": 1e21, "go int": 12, "bool": true, "null": nil, "list": []any{"a"},
	}}
	tests := []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"name", "西湖区", true},
		{"empty", "", true},
		{"int", "440305", true},
		{"float", "1.5", true},
		{"exp", "440305", true},
		{"long", "330106001001001", true},
		{"f64", "2", true},
		{"big", "1000000000000000000000", true},
		{"go int", "12", true},
		{"bool", "", false},
		{"null", "", false},
		{"list", "", false},
		{"missing", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := f.StringProperty(tt.name)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("StringProperty(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestGeoJSONParseLA(t *testing.T) {
	name := filepath.Join(la311Dir, "neighborhood_councils_certified.geojson")
	f, err := os.Open(name)
	if err != nil {
		t.Skipf("LA fixture not available: %v", err)
	}
	defer f.Close()
	features, err := civicgrid.ParseFeatureCollection(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(features) != 99 {
		t.Errorf("got %d features, want 99", len(features))
	}
	for _, ft := range features {
		if _, ok := ft.StringProperty("nc_id"); !ok {
			t.Errorf("feature %d has no nc_id", ft.Index)
		}
	}
}

func FuzzParseFeatureCollection(f *testing.F) {
	for _, seed := range []string{
		`{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"a":1},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0]]]}}]}`,
		`{"type":"FeatureCollection","features":null}`,
		`{"features":[{}]}`,
		`[]`, `{`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		features, err := civicgrid.ParseFeatureCollection(strings.NewReader(string(data)))
		if err != nil {
			if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Fatalf("error %v is not Invalid", err)
			}
			return
		}
		for _, ft := range features {
			// The parsed geometry must be safe to use, valid or not.
			_ = ft.Geometry.Validate()
			_ = ft.Geometry.AreaM2()
			_ = ft.Geometry.Centroid()
			_ = ft.Geometry.Contains(civicgrid.Point{Lat: 0.5, Lon: 0.5})
			civicgrid.NewSpatialIndex([]civicgrid.IndexedShape{{Code: "x", Shape: ft.Geometry}}).Lookup(civicgrid.Point{})
		}
	})
}

// BenchmarkParseFeatureCollection parses 10,000 grid cells, about 4 MB.
func BenchmarkParseFeatureCollection(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, c := range geoTiling(100, 100, civicgrid.Point{Lat: 30.25, Lon: 120.15}, 1) {
		if i > 0 {
			sb.WriteByte(',')
		}
		coords := make([][]float64, 0, len(c.Shape[0][0]))
		for _, p := range c.Shape[0][0] {
			coords = append(coords, []float64{p.Lon, p.Lat})
		}
		geom, err := json.Marshal(map[string]any{"type": "Polygon", "coordinates": [][][]float64{coords}})
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(&sb, `{"type":"Feature","id":%d,"properties":{"code":%q,"name":"网格 %d"},"geometry":%s}`, i, c.Code, i, geom)
	}
	sb.WriteString(`]}`)
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := civicgrid.ParseFeatureCollection(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
