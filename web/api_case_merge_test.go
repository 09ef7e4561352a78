package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// reportsOf returns the ids of the reports of case id, oldest first.
func (e *env) reportsOf(id int64) []int64 {
	e.tb.Helper()
	r := e.do("GET", "/api/v1/cases/"+itoa(id)+"/reports", "operator", nil)
	if r.status != http.StatusOK {
		e.tb.Fatalf("reports of %d: %d %s", id, r.status, r.body)
	}
	var ids []int64
	for _, it := range decodeBody[struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}](e.tb, r).Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// open reports body as actor and expects a new case.
func (e *env) open(actor string, body map[string]any) intakeOut {
	e.tb.Helper()
	r := e.do("POST", "/api/v1/cases", actor, body)
	if r.status != http.StatusCreated {
		e.tb.Fatalf("report: %d %s", r.status, r.body)
	}
	return decodeBody[intakeOut](e.tb, r)
}

func TestCaseMergeAndSplit(t *testing.T) {
	e := newEnv(t)
	a := e.open("operator", garbageAt(0, 0, "hotline"))
	b := e.open("operator", garbageAt(0, 20, "hotline", "distinct", true, "reporter", map[string]any{"phone": "13900000000"}))
	other := e.open("operator", garbageAt(2, 0, "hotline"))
	merge := func(from, fromV, into, intoV int64) map[string]any {
		return map[string]any{"from": from, "from_version": fromV, "into": into, "into_version": intoV, "note": "同一处垃圾"}
	}
	e.run(t, []scenario{
		{name: "fields are required", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: `{}`,
			wantStatus:   http.StatusBadRequest,
			wantContains: []string{`"from":"required`, `"into":"required`, `"from_version":"required`, `"into_version":"required`}},
		{name: "one case", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: merge(a.ID, 1, a.ID, 1),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"into":"name two different cases"}`}},
		{name: "unknown field", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: `{"from":1,"into":2,"force":true}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"force":"unknown field"}`}},
		{name: "inspectors may not merge", method: "POST", path: "/api/v1/cases/merge", actor: "inspector", body: merge(b.ID, 1, a.ID, 1),
			wantStatus: http.StatusForbidden},
		{name: "citizens may not merge", method: "POST", path: "/api/v1/cases/merge", actor: "citizen", body: merge(b.ID, 1, a.ID, 1),
			wantStatus: http.StatusForbidden},
		{name: "stale version", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: merge(b.ID, 7, a.ID, 1),
			wantStatus: http.StatusConflict, wantContains: []string{`"fields":{"version":"stale"}`}},
		{name: "unknown case", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: merge(b.ID, 1, 9999, 1),
			wantStatus: http.StatusNotFound},
		{name: "no token", method: "POST", path: "/api/v1/cases/merge", body: merge(b.ID, 1, a.ID, 1), wantStatus: http.StatusUnauthorized},
		{name: "merged", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: merge(b.ID, 1, a.ID, 1),
			wantStatus: http.StatusOK, wantContains: []string{`"id":` + itoa(a.ID), `"reports":2`, `"version":2`}},
		{name: "a cancelled case cannot be merged", method: "POST", path: "/api/v1/cases/merge", actor: "operator", body: merge(b.ID, 2, a.ID, 2),
			wantStatus: http.StatusConflict, wantContains: []string{`only open cases`}},
	})
	gone := decodeBody[caseOut](t, e.do("GET", "/api/v1/cases/"+itoa(b.ID), "operator", nil))
	if gone.Status != "cancelled" || gone.Events[len(gone.Events)-1].Action != "merged_into" {
		t.Errorf("the merged case: status %s, events %v", gone.Status, gone.Events)
	}
	kept := decodeBody[caseOut](t, e.do("GET", "/api/v1/cases/"+itoa(a.ID), "operator", nil))
	if kept.Events[len(kept.Events)-1].Action != "merge" {
		t.Errorf("the case merged into: events %v", kept.Events)
	}
	reports := e.reportsOf(a.ID)
	if len(reports) != 2 {
		t.Fatalf("after the merge case %d has reports %v, want 2", a.ID, reports)
	}

	path := "/api/v1/cases/" + itoa(a.ID) + "/split"
	split := func(version int, report int64) map[string]any {
		return map[string]any{"version": version, "report_id": report, "note": "其实是两处"}
	}
	e.run(t, []scenario{
		{name: "fields are required", method: "POST", path: path, actor: "operator", body: `{}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"version":"required`, `"report_id":"required`}},
		{name: "citizens may not split", method: "POST", path: path, actor: "citizen", body: split(2, reports[1]),
			wantStatus: http.StatusForbidden},
		{name: "a report of another case", method: "POST", path: path, actor: "operator", body: split(2, e.reportsOf(other.ID)[0]),
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"report_id":"not a report of this case"}`}},
		{name: "stale version", method: "POST", path: path, actor: "operator", body: split(1, reports[1]),
			wantStatus: http.StatusConflict, wantContains: []string{`"version":"stale"`}},
		{name: "unknown case", method: "POST", path: "/api/v1/cases/9999/split", actor: "operator", body: split(1, reports[1]),
			wantStatus: http.StatusNotFound},
		{name: "split", method: "POST", path: path, actor: "operator", body: split(2, reports[1]),
			wantStatus: http.StatusCreated, wantContains: []string{`"status":"reported"`, `"reports":1`, `"phone":"13900000000"`}},
		{name: "the only report cannot be split off", method: "POST", path: path, actor: "operator", body: split(3, reports[0]),
			wantStatus: http.StatusConflict, wantContains: []string{`"fields":{"report_id":"the case's only report"}`}},
	})
	if got := e.reportsOf(a.ID); len(got) != 1 || got[0] != reports[0] {
		t.Errorf("after the split case %d has reports %v, want [%d]", a.ID, got, reports[0])
	}
	if n := e.caseCount(); n != 4 {
		t.Errorf("%d cases, want 4 (three reported, one split off)", n)
	}
}

func TestCaseSplitAnswer(t *testing.T) {
	e := newEnv(t)
	a := e.open("operator", garbageAt(1, 0, "hotline"))
	if r := e.do("POST", "/api/v1/cases", "inspector", garbageAt(1, 30, "inspector")); r.status != http.StatusOK {
		t.Fatalf("fold: %d %s", r.status, r.body)
	}
	reports := e.reportsOf(a.ID)
	r := e.do("POST", "/api/v1/cases/"+itoa(a.ID)+"/split", "shift_leader", map[string]any{"version": 2, "report_id": reports[1]})
	if r.status != http.StatusCreated {
		t.Fatalf("split: %d %s", r.status, r.body)
	}
	nc := decodeBody[caseOut](t, r)
	if nc.ID == a.ID || r.header.Get("Location") != "/api/v1/cases/"+itoa(nc.ID) {
		t.Errorf("new case %d, Location %q", nc.ID, r.header.Get("Location"))
	}
	if got := e.reportsOf(nc.ID); len(got) != 1 || got[0] != reports[1] {
		t.Errorf("the new case's reports %v, want [%d]", got, reports[1])
	}
}

func TestCaseComments(t *testing.T) {
	e := newEnv(t)
	c := e.open("citizen", garbageAt(0, 0, "web"))
	path := "/api/v1/cases/" + itoa(c.ID) + "/comments"
	e.run(t, []scenario{
		{name: "the reporter adds information", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "垃圾越来越多了"},
			wantStatus: http.StatusCreated,
			wantContains: []string{`"action":"comment"`, `"note":"垃圾越来越多了"`, `"from":"reported"`, `"to":"reported"`,
				`"case_id":` + itoa(c.ID), `"at":"2026-03-10T09:00:00+08:00"`}},
		{name: "asking to reopen", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "还没处理", "reopen": true, "external_id": "u-1"},
			wantStatus: http.StatusCreated, wantContains: []string{`"reopen":"requested"`, `"external_id":"u-1"`}},
		{name: "another citizen on a public case", method: "POST", path: path, actor: "citizen2", body: map[string]any{"note": "我也看到了"},
			wantStatus: http.StatusCreated},
		{name: "the centre", method: "POST", path: path, actor: "operator", body: map[string]any{"note": "已知悉"},
			wantStatus: http.StatusCreated},
		{name: "a note is required", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "  "},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"note":`}},
		{name: "a note too long", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": strings.Repeat("长", 4001)},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"note":`}},
		{name: "an external id too long", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "x", "external_id": strings.Repeat("x", 65)},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"external_id":`}},
		{name: "unknown photo", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "x", "photos": []string{strings.Repeat("ab", 32)}},
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"photos"`}},
		{name: "unknown field", method: "POST", path: path, actor: "citizen", body: map[string]any{"note": "x", "status": "closed"},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"status":"unknown field"}`}},
		{name: "dispatchers do not comment", method: "POST", path: path, actor: "dispatcher", body: map[string]any{"note": "x"},
			wantStatus: http.StatusForbidden},
		{name: "unknown case", method: "POST", path: "/api/v1/cases/9999/comments", actor: "citizen", body: map[string]any{"note": "x"},
			wantStatus: http.StatusNotFound},
		{name: "no token", method: "POST", path: path, body: map[string]any{"note": "x"}, wantStatus: http.StatusUnauthorized},
	})
	got := decodeBody[caseOut](t, e.do("GET", "/api/v1/cases/"+itoa(c.ID), "operator", nil))
	var comments int
	for _, ev := range got.Events {
		if ev.Action == "comment" {
			comments++
		}
	}
	if got.Status != "reported" || comments != 4 {
		t.Errorf("status %s with %d comments, want reported with 4", got.Status, comments)
	}
}
