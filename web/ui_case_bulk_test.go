package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// fileCase reports a case of category in cell and files it.
func (e *env) fileCase(category string, cell int) caseOut {
	e.tb.Helper()
	c := e.report("inspector", category, cell)
	r := e.act("operator", c.ID, c.Version, "file", nil)
	if r.status != http.StatusOK {
		e.tb.Fatalf("file: %d %s", r.status, r.body)
	}
	return decodeBody[caseOut](e.tb, r)
}

// caseNow returns case id as the admin sees it.
func (e *env) caseNow(id int64) caseOut {
	e.tb.Helper()
	return decodeBody[caseOut](e.tb, e.do("GET", "/api/v1/cases/"+itoa(id), "admin", nil))
}

// TestUIBulkDispatch ticks cases on the list of filed cases and
// dispatches them: each to its routed unit, one changed meanwhile
// refused with the reason; then all shown to a chosen unit.
func TestUIBulkDispatch(t *testing.T) {
	e := newEnv(t)
	a, b, c := e.fileCase(catGarbage, 0), e.fileCase(catGarbage, 2), e.fileCase(catManhole, 3)
	d := e.signedInAs("dispatcher")
	list := d.get("/cases?status=filed")
	picks := regexp.MustCompile(`name="case" value="([0-9:]+)" id="pick-\d+"><label for="pick-\d+">选择 ([0-9-]+)</label>`).FindAllStringSubmatch(string(list.body), -1)
	if len(picks) != 3 {
		t.Fatalf("%d cases to tick, want 3:\n%s", len(picks), list.body)
	}
	pick := map[string]string{}
	for _, p := range picks {
		pick[p[2]] = p[1]
	}
	// The leader urges b while the dispatcher looks at the list.
	if r := e.act("leader", b.ID, b.Version, "urge", map[string]any{"note": "尽快"}); r.status != http.StatusOK {
		t.Fatalf("urge: %d %s", r.status, r.body)
	}
	r := d.post("/cases/dispatch", url.Values{"query": {"status=filed"}, "scope": {"picked"}, "unit_id": {""}, "note": {"请尽快处置"},
		"case": {pick[a.Number], pick[b.Number]}, "shown": {pick[a.Number], pick[b.Number], pick[c.Number]}})
	if r.status != http.StatusOK {
		t.Fatalf("bulk dispatch: %d\n%s", r.status, r.body)
	}
	checkPageGolden(t, "bulk_dispatcher", r.body)
	body := string(r.body)
	for _, want := range []string{"已派遣 1 件，未派遣 1 件。", "案卷已被他人处理或已变化", "→ 区环卫处"} {
		if !strings.Contains(body, want) {
			t.Errorf("the result page lacks %q", want)
		}
	}
	if got := e.caseNow(a.ID); got.Status != "dispatched" || got.UnitID != int64(e.units[unitSanit].ID) || got.Dispatches != 1 {
		t.Errorf("case a after the bulk dispatch: %+v, want dispatched to sanitation", got)
	}
	if got := e.caseNow(b.ID); got.Status != "filed" {
		t.Errorf("case b changed meanwhile was dispatched: %+v", got)
	}

	// All shown (b at its new version, and c) to the municipal unit.
	list = d.get("/cases?status=filed")
	shown := regexp.MustCompile(`name="shown" value="([0-9:]+)"`).FindAllStringSubmatch(string(list.body), -1)
	form := url.Values{"query": {"status=filed"}, "scope": {"all"}, "unit_id": {itoa(int64(e.units[unitMunic].ID))}}
	for _, s := range shown {
		form.Add("shown", s[1])
	}
	r = d.post("/cases/dispatch", form)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "已派遣 2 件，未派遣 0 件。") {
		t.Errorf("dispatch all shown: %d\n%s", r.status, r.body)
	}
	for _, id := range []int64{b.ID, c.ID} {
		if got := e.caseNow(id); got.Status != "dispatched" || got.UnitID != int64(e.units[unitMunic].ID) {
			t.Errorf("case %d: %+v, want dispatched to municipal works", id, got)
		}
	}

	// Nothing ticked shows the list again with the problem.
	r = d.post("/cases/dispatch", url.Values{"query": {"status=filed"}, "scope": {"picked"}})
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "choose at least one case") || !strings.Contains(string(r.body), `action="/cases/views"`) {
		t.Errorf("nothing ticked: %d\n%s", r.status, r.body)
	}
	// The operator may not dispatch: no form.
	if strings.Contains(string(e.signedInAs("operator").get("/cases?status=filed").body), `action="/cases/dispatch"`) {
		t.Error("the operator is offered bulk dispatch")
	}
}

// TestAPIBulkDispatch: one request, a result per case, a partial failure
// answered 200.
func TestAPIBulkDispatch(t *testing.T) {
	e := newEnv(t)
	a := e.fileCase(catGarbage, 0)
	notFiled := e.report("inspector", catManhole, 3)
	r := e.do("POST", "/api/v1/cases/dispatch", "dispatcher", map[string]any{
		"cases": []map[string]any{{"id": a.ID, "version": a.Version}, {"id": notFiled.ID, "version": notFiled.Version}, {"id": 999, "version": 1}}})
	if r.status != http.StatusOK {
		t.Fatalf("bulk dispatch: %d %s", r.status, r.body)
	}
	out := decodeBody[struct {
		Done, Refused int
		Results       []struct {
			ID    int64    `json:"id"`
			OK    bool     `json:"ok"`
			Case  *caseOut `json:"case"`
			Error *struct {
				Code string `json:"code"`
			} `json:"error"`
		} `json:"results"`
	}](t, r)
	if out.Done != 1 || out.Refused != 2 || len(out.Results) != 3 {
		t.Fatalf("answer: %s", r.body)
	}
	if res := out.Results[0]; !res.OK || res.Case == nil || res.Case.Status != "dispatched" || res.Case.UnitID != int64(e.units[unitSanit].ID) {
		t.Errorf("result 0: %+v", res)
	}
	for i, code := range []string{"", "conflict", "not_found"} {
		if res := out.Results[i]; code != "" && (res.OK || res.Error == nil || res.Error.Code != code) {
			t.Errorf("result %d: %+v, want refused with %s", i, res, code)
		}
	}
	if r := e.do("POST", "/api/v1/cases/dispatch", "dispatcher", map[string]any{"cases": []any{}}); r.status != http.StatusBadRequest {
		t.Errorf("no cases: %d, want 400", r.status)
	}
	r = e.do("POST", "/api/v1/cases/dispatch", "operator", map[string]any{"cases": []map[string]any{{"id": a.ID, "version": 99}}})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"refused":1`) {
		t.Errorf("operator: %d %s", r.status, r.body)
	}
}
