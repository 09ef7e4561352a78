package web_test

import (
	"net/http"
	"testing"

	"civicgrid"
)

// errorBody is the API's error answer.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// TestHotspotConfigAPI: the centre reads the hotspot settings; an admin
// changes them, and the hotspot tables use them at once; anyone else is
// refused; bad values are refused with their fields and change nothing.
func TestHotspotConfigAPI(t *testing.T) {
	e := newEnv(t)
	def := civicgrid.DefaultHotspotConfig()
	got := decodeBody[civicgrid.HotspotConfig](t, e.do("GET", "/api/v1/hotspots/config", "operator", nil))
	if got != def {
		t.Fatalf("default config %+v, want %+v", got, def)
	}
	e.run(t, []scenario{
		{name: "nobody reads", method: "GET", path: "/api/v1/hotspots/config", wantStatus: http.StatusUnauthorized},
		{name: "a unit reads", method: "GET", path: "/api/v1/hotspots/config", actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "a citizen reads", method: "GET", path: "/api/v1/hotspots/config", actor: "citizen", wantStatus: http.StatusForbidden},
		{name: "an inspector reads", method: "GET", path: "/api/v1/hotspots/config", actor: "inspector", wantStatus: http.StatusForbidden},
		{name: "the leader reads", method: "GET", path: "/api/v1/hotspots/config", actor: "leader", wantStatus: http.StatusOK, wantContains: []string{`"recurrence_days":30`}},
		{name: "an operator writes", method: "PUT", path: "/api/v1/hotspots/config", actor: "operator", body: map[string]any{"recurrence_days": 7},
			wantStatus: http.StatusForbidden, wantContains: []string{`"code":"forbidden"`}},
		{name: "the leader writes", method: "PUT", path: "/api/v1/hotspots/config", actor: "leader", body: map[string]any{"recurrence_days": 7},
			wantStatus: http.StatusForbidden},
		{name: "not JSON", method: "PUT", path: "/api/v1/hotspots/config", actor: "admin", body: "recurrence_days=7", wantStatus: http.StatusBadRequest},
		{name: "a text for a number", method: "PUT", path: "/api/v1/hotspots/config", actor: "admin", body: `{"min_count":"five"}`,
			wantStatus: http.StatusBadRequest, wantContains: []string{`"min_count":`}},
	})
	for _, tc := range []struct {
		name   string
		body   string
		fields []string
	}{
		{"out of range", `{"recurrence_days":400,"baseline_weeks":53,"max_p":1.5,"zero_baseline":-1,"min_count":-2}`,
			[]string{"recurrence_days", "baseline_weeks", "max_p", "zero_baseline", "min_count"}},
		{"one field", `{"max_p":1}`, []string{"max_p"}},
		{"unknown field", `{"recurrence_days":7,"colour":"red"}`, []string{"colour"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("PUT", "/api/v1/hotspots/config", "admin", tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			eb := decodeBody[errorBody](t, r)
			if eb.Error.Code != "invalid" || eb.Error.Message == "" || len(eb.Error.Fields) != len(tc.fields) {
				t.Errorf("error %+v, want fields %v", eb.Error, tc.fields)
			}
			for _, f := range tc.fields {
				if eb.Error.Fields[f] == "" {
					t.Errorf("no problem with %s in %+v", f, eb.Error.Fields)
				}
			}
		})
	}
	if got := decodeBody[civicgrid.HotspotConfig](t, e.do("GET", "/api/v1/hotspots/config", "admin", nil)); got != def {
		t.Fatalf("refused writes changed the config: %+v", got)
	}

	// A good write: fields left out take their defaults.
	r := e.do("PUT", "/api/v1/hotspots/config", "admin", map[string]any{"recurrence_days": 14, "max_p": 0.05, "min_count": 3})
	if r.status != http.StatusOK {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	want := def
	want.RecurrenceDays, want.MaxP, want.MinCount = 14, 0.05, 3
	if got := decodeBody[civicgrid.HotspotConfig](t, r); got != want {
		t.Errorf("PUT answered %+v, want %+v", got, want)
	}
	if got := decodeBody[civicgrid.HotspotConfig](t, e.do("GET", "/api/v1/hotspots/config", "dispatcher", nil)); got != want {
		t.Errorf("GET after PUT: %+v, want %+v", got, want)
	}
	// The hotspot tables use it from the next request on.
	res := decodeBody[civicgrid.HotspotResult](t, e.do("GET", "/api/v1/hotspots?kind=emerging", "operator", nil))
	if res.Config != want {
		t.Errorf("the emerging table used %+v, want %+v", res.Config, want)
	}
}
