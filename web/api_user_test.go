package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"civicgrid"
	"civicgrid/password"
)

// setPassword gives the fixture user name a password.
func (e *env) setPassword(name, pw string) {
	e.tb.Helper()
	hash, err := password.New(password.Params{Memory: 64, Time: 1, Threads: 1}).Hash(pw)
	if err != nil {
		e.tb.Fatal(err)
	}
	u := *e.users[name]
	u.PasswordHash = hash
	ctx := context.Background()
	if err := e.db.Update(ctx, func(tx civicgrid.Tx) error { return tx.UpdateUser(ctx, &u) }); err != nil {
		e.tb.Fatal(err)
	}
}

func TestTokenLogin(t *testing.T) {
	e := newEnv(t)
	e.setPassword("operator", "correct horse")
	e.run(t, []scenario{
		{name: "wrong password", method: "POST", path: "/api/v1/tokens", body: map[string]any{"name": "operator", "password": "wrong"},
			wantStatus: http.StatusUnauthorized, wantBody: `{"error":{"code":"unauthorized","message":"wrong name or password"}}`},
		{name: "unknown user looks the same", method: "POST", path: "/api/v1/tokens", body: map[string]any{"name": "nobody", "password": "wrong"},
			wantStatus: http.StatusUnauthorized, wantBody: `{"error":{"code":"unauthorized","message":"wrong name or password"}}`},
		{name: "user without a password", method: "POST", path: "/api/v1/tokens", body: map[string]any{"name": "dispatcher", "password": "x"},
			wantStatus: http.StatusUnauthorized},
		{name: "missing fields", method: "POST", path: "/api/v1/tokens", body: map[string]any{},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"name":"required"`, `"password":"required"`}},
		{name: "me needs a token", method: "GET", path: "/api/v1/me", wantStatus: http.StatusUnauthorized},
		{name: "landing page", method: "GET", path: "/", wantStatus: http.StatusOK,
			wantContains: []string{"civicgrid", "/api/v1/openapi.json", "/api/v1/tokens"}},
	})
	r := e.do("POST", "/api/v1/tokens", "", map[string]any{"name": "operator", "password": "correct horse", "label": "phone"})
	if r.status != http.StatusCreated {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	out := decodeBody[struct {
		Token string `json:"token"`
		User  struct {
			Name string `json:"name"`
			Role string `json:"role"`
		} `json:"user"`
	}](t, r)
	if !strings.HasPrefix(out.Token, "cg_") || out.User.Name != "operator" || strings.Contains(string(r.body), "argon2") {
		t.Fatalf("login answer %s", r.body)
	}
	e.tokens["operator-login"] = out.Token
	r = e.do("GET", "/api/v1/me", "operator-login", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"name":"operator"`) || strings.Contains(string(r.body), "password") {
		t.Errorf("me: %d %s", r.status, r.body)
	}
}

// TestCitizensReportPublicCategoriesOnly: a citizen cannot report what only
// staff can judge (a monitoring station), staff can.
func TestCitizensReportPublicCategoriesOnly(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(0)
	body := map[string]any{"category_code": "BJ0308", "lat": lat, "lon": lon, "description": "监测站损坏", "source": "web"}
	e.run(t, []scenario{
		{name: "citizen", method: "POST", path: "/api/v1/cases", actor: "citizen", body: body,
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"category_code":"unknown category"`}},
		{name: "inspector", method: "POST", path: "/api/v1/cases", actor: "inspector", body: body, wantStatus: http.StatusCreated},
	})
}

// TestReporterHiddenFromUnits: the unit handling a case sees the problem,
// not who reported it (举报人信息保密); the centre sees both.
func TestReporterHiddenFromUnits(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(1)
	r := e.do("POST", "/api/v1/cases", "operator", map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon,
		"description": "垃圾", "source": "hotline", "reporter": map[string]any{"name": "李女士", "phone": "13912345678"}})
	if r.status != http.StatusCreated {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	c := e.walk(t, decodeBody[caseOut](t, r), []step{{"operator", "file", nil, "filed"}, {"dispatcher", "dispatch", nil, "dispatched"}})
	for _, tt := range []struct {
		actor string
		see   bool
	}{{"operator", true}, {"dispatcher", true}, {"sanitation", false}} {
		r := e.do("GET", "/api/v1/cases/"+itoa(c.ID), tt.actor, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.actor, r.status, r.body)
		}
		if got := strings.Contains(string(r.body), "13912345678"); got != tt.see {
			t.Errorf("%s sees the reporter's phone: %v, want %v", tt.actor, got, tt.see)
		}
	}
	r = e.act("sanitation", c.ID, c.Version, "sign", nil)
	if r.status != http.StatusOK || strings.Contains(string(r.body), "13912345678") {
		t.Errorf("sign answer shows the phone to the unit: %d %s", r.status, r.body)
	}
}
