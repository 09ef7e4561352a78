package web_test

import (
	"net/http"
	"testing"
	"time"

	"civicgrid"
)

// TestComponentAPI: staff read the register, an admin writes it one at a
// time or from a CSV file (all or nothing), bad input answers the error
// JSON naming its fields, and the repeats table and the case list's
// component filter find a component's cases.
func TestComponentAPI(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(0)
	muni := itoa(int64(e.units[unitMunic].ID))
	lamp := map[string]any{"category_code": catManhole, "name": "上水井盖 1", "point": map[string]any{"lat": lat, "lon": lon},
		"maintainer_unit_id": e.units[unitMunic].ID}
	const code = "3301020101000001"
	csvHeader := "code,category_code,name,cell_code,lat,lon,owner_unit_id,maintainer_unit_id,state\n"
	goodCSV := csvHeader + "3301020101000002,BJ0101,井盖 2,,30.25045,120.15052," + unitMunic + ",,破损\n" +
		"3301020101000003,BJ0101,井盖 3," + cellC1 + ",30.25045,120.15364,," + muni + ",\n"
	badCSV := csvHeader + "3301020101000004,BJ0101,井盖 4,,30.25045,120.15052,nobody,,\n" +
		"3301020101000005,BJ0101,井盖 5,,30.25045,120.15052," + unitMunic + ",,\n" +
		"3301020101000006,BJ0101,井盖 6,,91,120.15052," + unitMunic + ",,\n"
	csv := []string{"Content-Type", "text/csv"}
	e.run(t, []scenario{
		{name: "nobody lists", method: "GET", path: "/api/v1/components", wantStatus: http.StatusUnauthorized,
			wantContains: []string{`"code":"unauthorized"`}},
		{name: "a citizen lists", method: "GET", path: "/api/v1/components", actor: "citizen", wantStatus: http.StatusForbidden},
		{name: "an operator writes", method: "PUT", path: "/api/v1/components/" + code, actor: "operator", body: lamp,
			wantStatus: http.StatusForbidden, wantContains: []string{`"code":"forbidden"`}},
		{name: "an operator writes nonsense", method: "PUT", path: "/api/v1/components/" + code, actor: "operator", body: map[string]any{},
			wantStatus: http.StatusForbidden},
		{name: "a bad code", method: "PUT", path: "/api/v1/components/12345", actor: "admin", body: lamp,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"code":"invalid"`, `"fields":{"code":`}},
		{name: "an unknown unit", method: "PUT", path: "/api/v1/components/" + code, actor: "admin",
			body:       map[string]any{"category_code": catManhole, "point": map[string]any{"lat": lat, "lon": lon}, "owner_unit_id": 999},
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"code":"unprocessable"`, `"owner_unit_id":"unknown unit"`}},
		{name: "another code in the body", method: "PUT", path: "/api/v1/components/" + code, actor: "admin",
			body: map[string]any{"code": "3301020101000009", "category_code": catManhole}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"code":`}},
		{name: "an unknown field", method: "PUT", path: "/api/v1/components/" + code, actor: "admin", body: map[string]any{"colour": "red"},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"colour"`}},
		{name: "the admin writes", method: "PUT", path: "/api/v1/components/" + code, actor: "admin", body: lamp,
			wantStatus: http.StatusOK, wantContains: []string{`"cell_code":"` + cellA1 + `"`, `"state":"完好"`}},
		{name: "an inspector reads", method: "GET", path: "/api/v1/components/" + code, actor: "inspector",
			wantStatus: http.StatusOK, wantContains: []string{`"name":"上水井盖 1"`}},
		{name: "not found", method: "GET", path: "/api/v1/components/3301020101000099", actor: "operator",
			wantStatus: http.StatusNotFound, wantContains: []string{`"code":"not_found"`}},
		{name: "import as an operator", method: "POST", path: "/api/v1/components/import", actor: "operator", body: goodCSV, header: csv,
			wantStatus: http.StatusForbidden},
		{name: "import JSON", method: "POST", path: "/api/v1/components/import", actor: "admin", body: goodCSV,
			wantStatus: http.StatusBadRequest, wantContains: []string{"text/csv"}},
		{name: "import a bad file", method: "POST", path: "/api/v1/components/import", actor: "admin", body: badCSV, header: csv,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"code":"invalid"`, `"line 2: owner_unit_id":"unknown unit \"nobody\""`, `"line 4: lat":`}},
		{name: "nothing of it stored", method: "GET", path: "/api/v1/components/3301020101000005", actor: "admin", wantStatus: http.StatusNotFound},
		{name: "import a good file", method: "POST", path: "/api/v1/components/import", actor: "admin", body: goodCSV, header: csv,
			wantStatus: http.StatusOK, wantBody: `{"imported":2}`},
		{name: "list a street", method: "GET", path: "/api/v1/components?area=330102001&limit=1", actor: "sanitation",
			wantStatus: http.StatusOK, wantContains: []string{`"total":2`, `"code":"` + code + `"`}},
		{name: "list a page", method: "GET", path: "/api/v1/components?offset=2", actor: "leader",
			wantStatus: http.StatusOK, wantContains: []string{`"total":3`, `"code":"3301020101000003"`, `"cell_code":"` + cellC1 + `"`}},
		{name: "list by bad filters", method: "GET", path: "/api/v1/components?area=abc&limit=0&offset=-1", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"area":`, `"limit":`, `"offset":`}},
		{name: "cases of a bad component", method: "GET", path: "/api/v1/cases?component=12ab", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"component":`}},
		{name: "repeats for a unit", method: "GET", path: "/api/v1/hotspots/components", actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "repeats with bad dates", method: "GET", path: "/api/v1/hotspots/components?from=yesterday", actor: "leader",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"from":`}},
	})

	// Three reports at the component, one without, then the table.
	for i, component := range []string{code, code, "", code} {
		r := e.do("POST", "/api/v1/cases", "inspector", map[string]any{"category_code": catManhole, "lat": lat, "lon": lon,
			"description": "井盖破损", "source": "inspector", "component_code": component, "distinct": true})
		if r.status != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, r.status, r.body)
		}
		e.clock.Advance(time.Hour)
	}
	r := e.do("GET", "/api/v1/hotspots/components?from=2026-03-10&to=2026-03-11", "leader", nil)
	res := decodeBody[civicgrid.ComponentHotspotResult](t, r)
	if r.status != http.StatusOK || len(res.Rows) != 1 {
		t.Fatalf("repeats: %d %s", r.status, r.body)
	}
	row := res.Rows[0]
	if row.Code != code || row.Count != 3 || row.UnitName.Zh != "区市政管理处" || row.Cell != cellA1 ||
		row.Cases.Query != "component="+code+"&created_from=2026-03-10&created_to=2026-03-10" {
		t.Errorf("row %+v", row)
	}
	list := e.do("GET", "/api/v1/cases?"+row.Cases.Query, "leader", nil)
	if page := decodeBody[struct {
		Items []caseOut `json:"items"`
		Total int       `json:"total"`
	}](t, list); len(page.Items) != 3 {
		t.Errorf("the drill-down lists %d cases, want 3: %s", len(page.Items), list.body)
	}
}
