package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

func TestCaseCreate(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(0)
	good := map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon, "description": "垃圾堆在路边", "source": "inspector"}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for kk, vv := range good {
			m[kk] = vv
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	gcj, err := civicgrid.FromWGS84(civicgrid.Point{Lat: lat, Lon: lon}, civicgrid.GCJ02)
	if err != nil {
		t.Fatal(err)
	}
	e.run(t, []scenario{
		{name: "created", method: "POST", path: "/api/v1/cases", actor: "inspector", body: good,
			wantStatus: http.StatusCreated,
			wantContains: []string{`"status":"reported"`, `"cell_code":"` + cellA1 + `"`, `"community_code":"330102001001"`,
				`"number":"2026-000001"`, `"created_at":"2026-03-10T09:00:00+08:00"`, `"allowed_actions":[]`}},
		{name: "gcj02 coordinates are converted", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       map[string]any{"category_code": catGarbage, "lat": gcj.Lat, "lon": gcj.Lon, "crs": "gcj02", "description": "x", "source": "hotline", "distinct": true},
			wantStatus: http.StatusCreated, wantContains: []string{`"cell_code":"` + cellA1 + `"`, `"allowed_actions":["verify_request","file"]`}},
		{name: "citizen", method: "POST", path: "/api/v1/cases", actor: "citizen", body: with("source", "web", "distinct", true),
			wantStatus: http.StatusCreated, wantContains: []string{`"user_id":` + itoa(int64(e.users["citizen"].ID))}},
		{name: "malformed JSON", method: "POST", path: "/api/v1/cases", actor: "operator", body: `{"category_code": "SJ0102",`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"code":"invalid"`, `malformed JSON`}},
		{name: "syntax error", method: "POST", path: "/api/v1/cases", actor: "operator", body: `{"category_code" "SJ0102"}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`malformed JSON at byte`}},
		{name: "unknown field", method: "POST", path: "/api/v1/cases", actor: "operator", body: with("colour", "red"),
			wantStatus: http.StatusBadRequest,
			wantBody:   `{"error":{"code":"invalid","message":"unknown field \"colour\"","fields":{"colour":"unknown field"}}}`},
		{name: "trailing data", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       `{"category_code":"SJ0102","lat":30.2504,"lon":120.1505,"description":"x","source":"web"} {}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`exactly one JSON value`}},
		{name: "empty body", method: "POST", path: "/api/v1/cases", actor: "operator", body: ``,
			wantStatus: http.StatusBadRequest, wantContains: []string{`body is empty`}},
		{name: "wrong type", method: "POST", path: "/api/v1/cases", actor: "operator", body: with("lat", "north"),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"lat":"must be a number, not string"}`}},
		{name: "wrong content type", method: "POST", path: "/api/v1/cases", actor: "operator", body: good,
			header: []string{"Content-Type", "text/plain"}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`Content-Type must be application/json`}},
		{name: "missing fields are listed", method: "POST", path: "/api/v1/cases", actor: "operator", body: `{}`,
			wantStatus: http.StatusBadRequest,
			wantBody: `{"error":{"code":"invalid","message":"invalid input","fields":{
				"category_code":"required","description":"required","source":"required",
				"lat":"required","lon":"required"}}}`},
		{name: "out of range values are named", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       `{"category_code":"06010","lat":91,"lon":120.15,"description":"x","source":"fax"}`,
			wantStatus: http.StatusBadRequest,
			wantBody: `{"error":{"code":"invalid","message":"invalid input","fields":{
				"lat":"must be a latitude between -90 and 90","source":"unknown source"}}}`},
		{name: "too large", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       with("description", strings.Repeat("垃", 12<<20)), // over 32 MiB, the limit of a report with its photos
			wantStatus: http.StatusRequestEntityTooLarge, wantContains: []string{`"code":"too_large"`}},
		{name: "no token", method: "POST", path: "/api/v1/cases", body: good,
			wantStatus: http.StatusUnauthorized, wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="civicgrid"`},
			wantContains: []string{`"code":"unauthorized"`}},
		{name: "bad token", method: "POST", path: "/api/v1/cases", body: good, header: []string{"Authorization", "Bearer nope"},
			wantStatus: http.StatusUnauthorized, wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="civicgrid"`}},
		{name: "role may not report", method: "POST", path: "/api/v1/cases", actor: "dispatcher", body: good,
			wantStatus: http.StatusForbidden, wantContains: []string{`"code":"forbidden"`}},
		{name: "outside the grid", method: "POST", path: "/api/v1/cases", actor: "operator", body: with("lat", 31.0),
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"location":"outside the managed area"}`}},
		{name: "unknown category", method: "POST", path: "/api/v1/cases", actor: "operator", body: with("category_code", "SJ9999"),
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"category_code":"unknown category"}`}},
		{name: "unknown photo", method: "POST", path: "/api/v1/cases", actor: "operator", body: with("photos", []string{strings.Repeat("ab", 32)}),
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"photos":"unknown photo`}},
	})
}

func TestCaseCreateGolden(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(3)
	r := e.do("POST", "/api/v1/cases", "operator", map[string]any{"category_code": catManhole, "lat": lat, "lon": lon,
		"address": "河坊街 8 号", "description": "井盖缺失", "source": "hotline", "reporter": map[string]any{"name": "王女士", "phone": "13800000000"}})
	if r.status != http.StatusCreated {
		t.Fatalf("%d %s", r.status, r.body)
	}
	checkGolden(t, "case_created", r.body, "id")
	r = e.do("POST", "/api/v1/cases", "operator", `{"lat": 30.25, "lon": 0, "source": "fax"}`)
	checkGolden(t, "error_invalid", r.body)
}

func TestCaseShow(t *testing.T) {
	e := newEnv(t)
	c := e.report("citizen", catGarbage, 0)
	e.clock.Advance(5 * time.Minute)
	if r := e.act("operator", c.ID, c.Version, "file", nil); r.status != http.StatusOK {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	id := itoa(c.ID)
	e.run(t, []scenario{
		{name: "with events and allowed actions", method: "GET", path: "/api/v1/cases/" + id, actor: "dispatcher",
			wantStatus: http.StatusOK,
			wantContains: []string{`"status":"filed"`, `"version":2`, `"allowed_actions":["dispatch","suspend"]`,
				`"events":[{`, `"action":"report"`, `"action":"file"`}},
		{name: "reporter sees own case", method: "GET", path: "/api/v1/cases/" + id, actor: "citizen", wantStatus: http.StatusOK},
		{name: "another citizen does not", method: "GET", path: "/api/v1/cases/" + id, actor: "citizen2", wantStatus: http.StatusNotFound},
		{name: "unit before dispatch does not", method: "GET", path: "/api/v1/cases/" + id, actor: "sanitation", wantStatus: http.StatusNotFound},
		{name: "unknown", method: "GET", path: "/api/v1/cases/999999", actor: "admin", wantStatus: http.StatusNotFound,
			wantContains: []string{`"code":"not_found"`}},
		{name: "not an id", method: "GET", path: "/api/v1/cases/abc", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"id":`}},
		{name: "no token", method: "GET", path: "/api/v1/cases/" + id, wantStatus: http.StatusUnauthorized},
	})
	t.Run("golden", func(t *testing.T) {
		r := e.do("GET", "/api/v1/cases/"+id, "shift_leader", nil)
		checkGolden(t, "case", r.body, "id", "case_id", "actor_id", "user_id")
	})
}

func TestCaseActionErrors(t *testing.T) {
	e := newEnv(t)
	c := e.report("operator", catGarbage, 0)
	path := "/api/v1/cases/" + itoa(c.ID) + "/actions"
	act := func(action string, version int, extra ...any) map[string]any {
		m := map[string]any{"action": action, "version": version}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	e.run(t, []scenario{
		{name: "stale version", method: "POST", path: path, actor: "operator", body: act("file", 7),
			wantStatus: http.StatusConflict,
			wantContains: []string{`"code":"conflict"`, `"fields":{"version":"stale"}`,
				`"allowed_actions":["verify_request","file"]`}},
		{name: "not allowed in the status", method: "POST", path: path, actor: "shift_leader", body: act("close", 1),
			wantStatus: http.StatusConflict,
			wantBody: `{"error":{"code":"conflict","message":"close is not allowed while the case is reported",
				"allowed_actions":["file","cancel"]}}`},
		{name: "role may not act", method: "POST", path: path, actor: "inspector", body: act("file", 1),
			wantStatus: http.StatusForbidden, wantContains: []string{`"code":"forbidden"`, `"allowed_actions":[]`}},
		{name: "unknown action", method: "POST", path: path, actor: "operator", body: act("explode", 1),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"action":"unknown action \"explode\""}`}},
		{name: "missing action and version", method: "POST", path: path, actor: "operator", body: `{}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"action":"required"`, `"version":"required`}},
		{name: "missing note", method: "POST", path: path, actor: "shift_leader", body: act("cancel", 1),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"note":`}},
		{name: "unknown field", method: "POST", path: path, actor: "operator", body: act("file", 1, "unit", 3),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"unit":"unknown field"}`}},
		{name: "unknown case", method: "POST", path: "/api/v1/cases/424242/actions", actor: "operator", body: act("file", 1),
			wantStatus: http.StatusNotFound},
		{name: "no token", method: "POST", path: path, body: act("file", 1), wantStatus: http.StatusUnauthorized},
		{name: "file", method: "POST", path: path, actor: "operator", body: act("file", 1),
			wantStatus: http.StatusOK, wantContains: []string{`"status":"filed"`, `"version":2`}},
		{name: "dispatch to unknown unit", method: "POST", path: path, actor: "dispatcher", body: act("dispatch", 2, "unit_id", 9999),
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"unit_id":"unknown unit"}`}},
	})
	t.Run("golden", func(t *testing.T) {
		r := e.do("POST", path, "operator", act("file", 1))
		checkGolden(t, "error_conflict", r.body)
	})
}

// step is one action of a walk and the status it must lead to.
type step struct {
	actor, action string
	extra         map[string]any
	want          string
}

// walk takes the steps on c over HTTP, ten minutes apart, checking each
// status and version.
func (e *env) walk(t *testing.T, c caseOut, steps []step) caseOut {
	t.Helper()
	for _, s := range steps {
		e.clock.Advance(10 * time.Minute)
		r := e.act(s.actor, c.ID, c.Version, s.action, s.extra)
		if r.status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", s.actor, s.action, r.status, r.body)
		}
		got := decodeBody[caseOut](t, r)
		if got.Status != s.want || got.Version != c.Version+1 {
			t.Fatalf("%s %s: status %s version %d, want %s version %d", s.actor, s.action, got.Status, got.Version, s.want, c.Version+1)
		}
		c = got
	}
	return c
}

func TestCaseWalkReportToClose(t *testing.T) {
	e := newEnv(t)
	c := e.report("operator", catGarbage, 1)
	note := func(s string) map[string]any { return map[string]any{"note": s} }
	steps := []step{
		{"operator", "verify_request", nil, "verifying"},
		{"inspector", "verify_pass", nil, "reported"},
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "extend_request", map[string]any{"note": "需要调车", "extension": map[string]any{"amount": 2, "unit": "working_days"}}, "handling"},
		{"dispatcher", "extend_approve", nil, "handling"},
		{"sanitation", "finish", note("已清运"), "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_fail", note("仍有残留"), "handling"},
		{"sanitation", "finish", note("已彻底清理"), "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"shift_leader", "close", nil, "closed"},
	}
	c = e.walk(t, c, steps)

	r := e.do("GET", "/api/v1/cases/"+itoa(c.ID), "admin", nil)
	got := decodeBody[caseOut](t, r)
	if got.Status != "closed" || got.Version != 1+len(steps) {
		t.Errorf("status %s version %d, want closed %d", got.Status, got.Version, 1+len(steps))
	}
	if got.UnitID != int64(e.units[unitSanit].ID) || got.Reworks != 1 || got.Extensions != 1 || got.Dispatches != 1 {
		t.Errorf("unit %d reworks %d extensions %d dispatches %d, want %d 1 1 1", got.UnitID, got.Reworks, got.Extensions, got.Dispatches, e.units[unitSanit].ID)
	}
	if len(got.AllowedActions) != 0 {
		t.Errorf("allowed actions on a closed case: %v", got.AllowedActions)
	}
	var actions []string
	for _, ev := range got.Events {
		actions = append(actions, ev.Action)
	}
	want := []string{"report"}
	for _, s := range steps {
		want = append(want, s.action)
	}
	if !slices.Equal(actions, want) {
		t.Errorf("events %v, want %v", actions, want)
	}
	if last := got.Events[len(got.Events)-1]; last.From != "checked" || last.To != "closed" {
		t.Errorf("last event %s → %s, want checked → closed", last.From, last.To)
	}
	if r := e.act("shift_leader", c.ID, c.Version, "close", nil); r.status != http.StatusConflict || !strings.Contains(string(r.body), `"allowed_actions":[]`) {
		t.Errorf("closing a closed case: %d %s", r.status, r.body)
	}
}

func TestCaseReturnRedispatchSuspend(t *testing.T) {
	e := newEnv(t)
	c := e.report("inspector", catGarbage, 2)
	c = e.walk(t, c, []step{
		{"shift_leader", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
	})
	if c.UnitID != int64(e.units[unitSanit].ID) {
		t.Fatalf("routed to unit %d, want sanitation %d", c.UnitID, e.units[unitSanit].ID)
	}
	c = e.walk(t, c, []step{
		{"sanitation", "return", map[string]any{"note": "不属于我单位"}, "filed"},
	})
	if c.Returns != 1 || c.UnitID != 0 {
		t.Errorf("after return: returns %d unit %d, want 1 and none", c.Returns, c.UnitID)
	}
	if r := e.do("GET", "/api/v1/cases/"+itoa(c.ID), "sanitation", nil); r.status != http.StatusNotFound {
		t.Errorf("the returning unit still sees the case: %d", r.status)
	}
	street := e.units[unitStreet].ID
	c = e.walk(t, c, []step{
		{"dispatcher", "dispatch", map[string]any{"unit_id": street}, "dispatched"},
		{"street_office", "sign", nil, "handling"},
		{"leader", "urge", map[string]any{"note": "尽快处理"}, "handling"},
		{"dispatcher", "suspend", map[string]any{"note": "等待天气好转"}, "suspended"},
	})
	if c.Deadline != nil {
		t.Errorf("a suspended case has deadline %s", *c.Deadline)
	}
	if r := e.act("street_office", c.ID, c.Version, "finish", map[string]any{"note": "x"}); r.status != http.StatusConflict {
		t.Errorf("finish while suspended: %d %s", r.status, r.body)
	}
	c = e.walk(t, c, []step{{"dispatcher", "resume", nil, "handling"}})
	if c.UnitID != int64(street) || c.Dispatches != 2 || c.Deadline == nil {
		t.Errorf("after resume: unit %d dispatches %d deadline %v", c.UnitID, c.Dispatches, c.Deadline)
	}
	if !strings.HasSuffix(*c.Deadline, "+08:00") {
		t.Errorf("deadline %s is not in the city's zone", *c.Deadline)
	}
}
