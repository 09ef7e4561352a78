package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"civicgrid"
)

func TestLocate(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(2)
	bd, err := civicgrid.FromWGS84(civicgrid.Point{Lat: lat, Lon: lon}, civicgrid.BD09)
	if err != nil {
		t.Fatal(err)
	}
	e.run(t, []scenario{
		{name: "in a cell", method: "GET", path: fmt.Sprintf("/api/v1/locate?lat=%v&lon=%v", lat, lon), actor: "citizen",
			wantStatus: http.StatusOK,
			wantBody: fmt.Sprintf(`{"point":{"lat":%v,"lon":%v},"cell_code":"%s","community_code":"330102001002","street_code":"330102001",
				"district_code":"330102","community_name":"岳王社区","street_name":"湖滨街道","district_name":"上城区"}`, lat, lon, cellB1)},
		{name: "bd09", method: "GET", path: fmt.Sprintf("/api/v1/locate?lat=%v&lon=%v&crs=bd09", bd.Lat, bd.Lon), actor: "citizen",
			wantStatus: http.StatusOK, wantContains: []string{`"cell_code":"` + cellB1 + `"`}},
		{name: "outside the grid", method: "GET", path: "/api/v1/locate?lat=30.3&lon=120.2", actor: "citizen",
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"location":"outside the managed area"}`}},
		{name: "missing lat", method: "GET", path: "/api/v1/locate?lon=120.2", actor: "citizen",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"lat":"required"}`}},
		{name: "not a number", method: "GET", path: "/api/v1/locate?lat=NaN&lon=x", actor: "citizen",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"lat":"must be a number"`, `"lon":"must be a number"`}},
		{name: "unknown crs", method: "GET", path: "/api/v1/locate?lat=30.25&lon=120.15&crs=osgb", actor: "citizen",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"crs":`}},
		{name: "no token", method: "GET", path: "/api/v1/locate?lat=30.25&lon=120.15", wantStatus: http.StatusUnauthorized},
	})
}

func TestCellList(t *testing.T) {
	e := newEnv(t)
	type cellList struct {
		Items []struct {
			Code          string `json:"code"`
			CommunityCode string `json:"community_code"`
			Centroid      struct{ Lat, Lon float64 }
			Geometry      *struct {
				Type        string
				Coordinates [][][][2]float64
			}
		}
		Truncated bool
	}
	// A box over the western half of cell A1 to the middle of cell A2.
	bbox := fmt.Sprintf("%v,%v,%v,%v", originLon+cellDLon/4, originLat+cellDLat/4, originLon+cellDLon*1.5, originLat+cellDLat/2)
	r := e.do("GET", "/api/v1/cells?bbox="+bbox+"&geometry=1", "inspector", nil)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	l := decodeBody[cellList](t, r)
	if len(l.Items) != 2 || l.Items[0].Code != cellA1 || l.Items[1].Code != cellA2 || l.Truncated {
		t.Fatalf("cells %+v", l)
	}
	c := l.Items[0]
	if c.CommunityCode != "330102001001" || c.Geometry == nil || c.Geometry.Type != "MultiPolygon" || len(c.Geometry.Coordinates[0][0]) != 5 {
		t.Errorf("cell %+v", c)
	}
	if got := c.Geometry.Coordinates[0][0][0]; got != [2]float64{originLon, originLat} {
		t.Errorf("first position %v, want [lon lat] %v", got, [2]float64{originLon, originLat})
	}
	if lat, lon := cellCenter(0); abs(c.Centroid.Lat-lat) > 1e-6 || abs(c.Centroid.Lon-lon) > 1e-6 {
		t.Errorf("centroid %+v, want %v,%v", c.Centroid, lat, lon)
	}
	l = decodeBody[cellList](t, e.do("GET", "/api/v1/cells?limit=3", "inspector", nil))
	if len(l.Items) != 3 || !l.Truncated || l.Items[0].Geometry != nil {
		t.Errorf("limit 3 of all: %+v", l)
	}
	e.run(t, []scenario{
		{name: "all", method: "GET", path: "/api/v1/cells", actor: "citizen", wantStatus: http.StatusOK,
			wantContains: []string{cellA1, cellC1, `"truncated":false`, `"area_m2":`}},
		{name: "bad bbox", method: "GET", path: "/api/v1/cells?bbox=1,2,3", actor: "citizen", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"bbox":`}},
		{name: "inverted bbox", method: "GET", path: "/api/v1/cells?bbox=121,31,120,30", actor: "citizen", wantStatus: http.StatusBadRequest},
		{name: "limit too large", method: "GET", path: "/api/v1/cells?limit=5001", actor: "citizen", wantStatus: http.StatusBadRequest},
		{name: "bad geometry flag", method: "GET", path: "/api/v1/cells?geometry=yes", actor: "citizen", wantStatus: http.StatusBadRequest},
		{name: "no token", method: "GET", path: "/api/v1/cells", wantStatus: http.StatusUnauthorized},
	})
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func TestReferenceData(t *testing.T) {
	e := newEnv(t)
	cats, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyLegacy)
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", "/api/v1/categories", "citizen", nil)
	got := decodeBody[[]civicgrid.Category](t, r)
	if len(got) != len(cats) || got[0].Code != cats[0].Code || got[0].Name.Zh == "" {
		t.Errorf("categories: %d, first %+v; want %d from %s", len(got), got[0], len(cats), cats[0].Code)
	}
	e.run(t, []scenario{
		{name: "units", method: "GET", path: "/api/v1/units", actor: "operator", wantStatus: http.StatusOK,
			wantBody: fmt.Sprintf(`[
				{"id":%d,"code":"huanwei","name":{"zh":"区环卫处","en":"Sanitation"},"kind":"department","area_code":"330102","active":true},
				{"id":%d,"code":"qingbo","name":{"zh":"清波街道办事处","en":"Qingbo street office"},"kind":"street","area_code":"330102002","active":true},
				{"id":%d,"code":"shizheng","name":{"zh":"区市政管理处","en":"Municipal works"},"kind":"department","area_code":"330102","active":true}]`,
				e.units[unitSanit].ID, e.units[unitStreet].ID, e.units[unitMunic].ID)},
		{name: "calendar", method: "GET", path: "/api/v1/calendar", actor: "operator", wantStatus: http.StatusOK,
			wantContains: []string{`"minutes_per_workday":420`, `"periods":[{"start":"08:30","end":"12:00"},{"start":"14:00","end":"17:30"}]`,
				`{"date":"2026-02-14","kind":"workday"`, `"utc_offset":"+08:00"`}},
		{name: "workflow", method: "GET", path: "/api/v1/workflow", actor: "operator", wantStatus: http.StatusOK,
			wantContains: []string{`"version":1`, `{"action":"verify_request"`, `"escalate":{"counter":"extensions","at_least":1,"roles":["leader"]}`}},
		{name: "categories need a token", method: "GET", path: "/api/v1/categories", wantStatus: http.StatusUnauthorized},
		{name: "units need a token", method: "GET", path: "/api/v1/units", wantStatus: http.StatusUnauthorized},
		{name: "calendar needs a token", method: "GET", path: "/api/v1/calendar", wantStatus: http.StatusUnauthorized},
		{name: "workflow needs a token", method: "GET", path: "/api/v1/workflow", wantStatus: http.StatusUnauthorized},
	})
}
