package open311_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// requestUpdate is one update of GET servicerequestupdates.json.
type requestUpdate struct {
	UpdateID    string `json:"update_id"`
	RequestID   string `json:"service_request_id"`
	Status      string `json:"status"`
	Updated     string `json:"updated_datetime"`
	Description string `json:"description"`
}

// updates reads GET servicerequestupdates.json?query.
func (e *env) updates(t *testing.T, query string) []requestUpdate {
	t.Helper()
	r := e.get("servicerequestupdates.json?" + query)
	if r.status != http.StatusOK {
		t.Fatalf("%s: %d %s", query, r.status, r.body)
	}
	var out []requestUpdate
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUpdatesFeed checks FixMyStreet's GET servicerequestupdates: one
// update per public event after the report, the last two hours by default.
func TestUpdatesFeed(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	n := e.report(catGarbage, lat, lon)
	e.act(n, civicgrid.ActionInput{Action: civicgrid.ActionFile}) // 09:00
	e.clock.Advance(3 * time.Hour)
	e.act(n, civicgrid.ActionInput{Action: civicgrid.ActionDispatch, UnitID: e.unit.ID}) // 12:00
	e.clock.Advance(time.Hour)                                                           // now 13:00

	got := e.updates(t, "")
	if len(got) != 1 || got[0].RequestID != n || got[0].Status != "ACTION_SCHEDULED" || got[0].Description != "派遣" {
		t.Errorf("the last two hours: %+v", got)
	}
	got = e.updates(t, "start_date=2026-03-10T00:00:00Z&end_date=2026-03-10T04:00:00Z&api_key="+e.key)
	if len(got) != 2 || got[0].Description != "立案" || got[0].Updated != "2026-03-10T09:00:00+08:00" {
		t.Errorf("09:00 to 12:00: %+v", got)
	}
	if got[0].UpdateID == got[1].UpdateID {
		t.Errorf("update ids repeat: %+v", got)
	}
	if got := e.updates(t, "start_date=2026-03-10T04:00:01Z"); len(got) != 0 {
		t.Errorf("after the last event: %+v", got)
	}
	if r := e.get("servicerequestupdates.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"); r.status != 400 {
		t.Errorf("a 5-month window: %d, want 400", r.status)
	}
}

// TestUpdateCreate checks FixMyStreet's POST servicerequestupdates: a
// comment on the case, REOPEN asking the operators to reopen, the same
// update_id answered with the first update, and the errors.
func TestUpdateCreate(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	n := e.report(catGarbage, lat, lon)
	e.closeCase(n)
	form := url.Values{"api_key": {e.key}, "update_id": {"fms-9"}, "service_request_id": {n},
		"updated_datetime": {"2026-03-10T09:00:00 08:00"}, "status": {"reopen"}, "description": {"还没修好"},
		"media_url": {"https://photos.example.com/9.jpg"}, "first_name": {"Li"}, "email_alerts_requested": {"FALSE"}}
	first, again := e.post("servicerequestupdates.json", form), e.post("servicerequestupdates.json", form)
	if first.status != 200 || string(first.body) != string(again.body) {
		t.Fatalf("an update and its resend: %d %s / %s", first.status, first.body, again.body)
	}
	var ids []struct {
		ID string `json:"update_id"`
	}
	if err := json.Unmarshal(first.body, &ids); err != nil || len(ids) != 1 || ids[0].ID == "" {
		t.Fatalf("%v: %s", err, first.body)
	}
	_, events, err := e.cases.PublicFind(t.Context(), e.findCase(n).ID)
	if err != nil {
		t.Fatal(err)
	}
	var comments []*civicgrid.CaseEvent
	for _, ev := range events {
		if ev.Action == civicgrid.ActionComment {
			comments = append(comments, ev)
		}
	}
	if len(comments) != 1 || comments[0].Data["reopen"] != "requested" || comments[0].Data["external_id"] != "fms-9" ||
		comments[0].Note != "还没修好\nhttps://photos.example.com/9.jpg" {
		t.Errorf("comments %+v, want one asking to reopen", comments)
	}
	feed := e.updates(t, "")
	if last := feed[len(feed)-1]; last.UpdateID != ids[0].ID || last.Status != "FIXED" {
		t.Errorf("the feed's last update %+v, want the comment %s on the closed case", last, ids[0].ID)
	}

	for _, tc := range []struct {
		name, key, value string
		wantStatus       int
		wantText         string
	}{
		{"no api_key", "api_key", "", 403, "api_key"},
		{"no update_id", "update_id", "", 400, "update_id: required"},
		{"no status", "status", "", 400, "status: required"},
		{"unknown status", "status", "DONE", 400, "status: must be one of"},
		{"bad updated_datetime", "updated_datetime", "soon", 400, "updated_datetime"},
		{"unknown request", "service_request_id", "2026-999999", 404, "unknown service_request_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("update_id", "fms-"+tc.name)
			if tc.value == "" {
				f.Del(tc.key)
			} else {
				f.Set(tc.key, tc.value)
			}
			r := e.post("servicerequestupdates.xml", f)
			if errs := errorsOf(t, r); r.status != tc.wantStatus || !strings.Contains(errs[0].Description, tc.wantText) {
				t.Errorf("%d %+v, want %d %q", r.status, errs, tc.wantStatus, tc.wantText)
			}
		})
	}
}
