package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestCasePageComponent: the page of a case on a registered component (部件)
// names the component and its state for staff, with a link to all its
// cases; a citizen sees the code only.
func TestCasePageComponent(t *testing.T) {
	e := newEnv(t)
	const code = "3301020101000002"
	lat, lon := cellCenter(0)
	if r := e.do("PUT", "/api/v1/components/"+code, "admin", map[string]any{"category_code": catManhole, "name": "上水井盖 2",
		"point": map[string]any{"lat": lat, "lon": lon}, "maintainer_unit_id": e.units[unitMunic].ID, "state": "破损"}); r.status != http.StatusOK {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	r := e.do("POST", "/api/v1/cases", "citizen", map[string]any{"category_code": catManhole, "lat": lat, "lon": lon,
		"description": "井盖松动", "source": "web", "component_code": code})
	if r.status != http.StatusCreated {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	id := itoa(int64(decodeBody[struct {
		ID int64 `json:"id"`
	}](t, r).ID))
	staff := string(e.signedInAs("operator").get("/cases/" + id).body)
	if want := `<dt>部件</dt><dd>上水井盖 2 ` + code + ` · 破损 · <a href="/cases?component=` + code + `">该部件的全部案卷</a></dd>`; !strings.Contains(staff, want) {
		t.Errorf("the operator's case page lacks %s", want)
	}
	citizen := string(e.signedInAs("citizen").get("/cases/" + id).body)
	if want := `<dt>部件</dt><dd>` + code + `</dd>`; !strings.Contains(citizen, want) || strings.Contains(citizen, "该部件的全部案卷") {
		t.Errorf("the citizen's case page: want %s and no link to the register", want)
	}
}
