package web_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"

	"civicgrid"
)

func TestStats(t *testing.T) {
	e := newEnv(t)
	// One garbage case closed in cell A1 (湖滨街道, sanitation), one
	// filed and cancelled in cell C1 (清波街道), one manhole only reported.
	closed := e.report("operator", catGarbage, 0)
	e.walk(t, closed, []step{
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"shift_leader", "close", nil, "closed"},
	})
	cancelled := e.report("operator", catGarbage, 3)
	e.walk(t, cancelled, []step{
		{"operator", "file", nil, "filed"},
		{"shift_leader", "cancel", map[string]any{"note": "重复"}, "cancelled"},
	})
	e.report("citizen", catManhole, 1)
	e.addUser("hubin_leader", civicgrid.RoleLeader, "330102001")
	sanit := itoa(int64(e.units[unitSanit].ID))
	const march = "from=2026-03-10&to=2026-03-20"

	e.run(t, []scenario{
		{name: "the city", method: "GET", path: "/api/v1/stats?" + march + "&metrics=reported,cancelled,rate_accurately_filed,rate_closed", actor: "admin",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"city","from":"2026-03-10","to":"2026-03-20","definitions_version":3,"rows":[
				{"key":"all","name":{"zh":"civicgrid","en":"civicgrid"},
				 "counts":{"reported":3,"cancelled":1,"accurately_filed":1,"filed":2,"closed":1,"due_closing":1},
				 "rates":{"rate_accurately_filed":0.5,"rate_closed":1}}]}`},
		{name: "by unit", method: "GET", path: "/api/v1/stats?group_by=unit&" + march + "&metrics=handled_on_time,rate_closed_on_time,rate_extended", actor: "admin",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"unit","from":"2026-03-10","to":"2026-03-20","definitions_version":3,"rows":[
				{"key":"` + sanit + `","name":{"zh":"区环卫处","en":"Sanitation"},
				 "counts":{"handled_on_time":1,"closed_on_time":1,"due_closing":1,"extended":0},
				 "rates":{"rate_closed_on_time":1,"rate_extended":0}}]}`},
		{name: "by street", method: "GET", path: "/api/v1/stats?group_by=street&" + march + "&metrics=filed,rate_handled", actor: "admin",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"street","from":"2026-03-10","to":"2026-03-20","definitions_version":3,"rows":[
				{"key":"330102001","name":{"zh":"湖滨街道"},"counts":{"filed":1,"handled":1,"due_handling":1},"rates":{"rate_handled":1}},
				{"key":"330102002","name":{"zh":"清波街道"},"counts":{"filed":1,"handled":0,"due_handling":0},"rates":{"rate_handled":null}}]}`},
		{name: "metrics repeated", method: "GET", path: "/api/v1/stats?group_by=source&" + march + "&metrics=reported&metrics=filed", actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"key":"inspector"`, `"reported":3`, `"filed":2`, `"zh":"监督员上报"`}},
		{name: "by operator", method: "GET", path: "/api/v1/stats?group_by=operator&" + march + "&metrics=filed,closed", actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"name":{"zh":"operator"},"counts":{"closed":0,"filed":2}`, `"name":{"zh":"shift_leader"},"counts":{"closed":1,"filed":0}`}},
		{name: "a day with nothing", method: "GET", path: "/api/v1/stats?group_by=unit&from=2026-04-01&to=2026-04-02", actor: "admin",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"unit","from":"2026-04-01","to":"2026-04-02","definitions_version":3,"rows":[]}`},
		{name: "a unit sees itself", method: "GET", path: "/api/v1/stats?group_by=unit&" + march + "&metrics=closed", actor: "sanitation",
			wantStatus: http.StatusOK, wantContains: []string{`"key":"` + sanit + `"`, `"closed":1`}},
		{name: "another unit sees nothing of it", method: "GET", path: "/api/v1/stats?group_by=unit&" + march + "&metrics=closed", actor: "street_office",
			wantStatus: http.StatusOK, wantContains: []string{`"rows":[]`}},
		{name: "a unit may not see the city", method: "GET", path: "/api/v1/stats?" + march, actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "a street's leader sees its communities", method: "GET", path: "/api/v1/stats?group_by=community&" + march + "&metrics=reported", actor: "hubin_leader",
			wantStatus: http.StatusOK, wantContains: []string{`"key":"330102001001"`}},
		{name: "but not the other street", method: "GET", path: "/api/v1/stats?group_by=street&" + march + "&metrics=reported", actor: "hubin_leader",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"street","from":"2026-03-10","to":"2026-03-20","definitions_version":3,"rows":[
				{"key":"330102001","name":{"zh":"湖滨街道"},"counts":{"reported":2},"rates":{}}]}`},
		{name: "nor the district", method: "GET", path: "/api/v1/stats?group_by=district&" + march, actor: "hubin_leader", wantStatus: http.StatusForbidden},
		{name: "nor the units", method: "GET", path: "/api/v1/stats?group_by=unit&" + march, actor: "hubin_leader", wantStatus: http.StatusForbidden},
		{name: "citizens see none", method: "GET", path: "/api/v1/stats?" + march, actor: "citizen", wantStatus: http.StatusForbidden},
		{name: "signed out", method: "GET", path: "/api/v1/stats?" + march, wantStatus: http.StatusUnauthorized},
		{name: "unknown dimension", method: "GET", path: "/api/v1/stats?group_by=planet&" + march, actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"group_by"`}},
		{name: "no dates", method: "GET", path: "/api/v1/stats?group_by=unit", actor: "admin", wantStatus: http.StatusBadRequest, wantContains: []string{`"from"`}},
		{name: "bad date", method: "GET", path: "/api/v1/stats?from=2026-02-30&to=2026-03-01", actor: "admin", wantStatus: http.StatusBadRequest, wantContains: []string{`"from"`}},
		{name: "to before from", method: "GET", path: "/api/v1/stats?from=2026-03-10&to=2026-03-10", actor: "admin", wantStatus: http.StatusBadRequest, wantContains: []string{`"to"`}},
		{name: "unknown metric", method: "GET", path: "/api/v1/stats?" + march + "&metrics=happiness", actor: "admin", wantStatus: http.StatusBadRequest, wantContains: []string{`"metrics"`}},
		{name: "the definitions", method: "GET", path: "/api/v1/metrics", actor: "inspector", wantStatus: http.StatusOK, wantContains: []string{
			`"definitions_version":3`, `"code":"rate_handled_on_time","name":{"zh":"按期处置率","en":"On-time handling rate"},"kind":"rate","formula":{"zh":"按期处置数 / 应处置数"`,
			`"code":"due_closing"`}},
	})
}

// addUser creates a user with an API token and an area.
func (e *env) addUser(name string, role civicgrid.Role, area string) {
	e.tb.Helper()
	u := &civicgrid.User{Name: name, DisplayName: name, Role: role, AreaCode: area, Active: true, CreatedAt: e.clock.Now()}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	token := "test_" + name + "_" + hex.EncodeToString(raw[:])
	err := e.db.Update(e.tb.Context(), func(tx civicgrid.Tx) error {
		if err := tx.CreateUser(e.tb.Context(), u); err != nil {
			return err
		}
		return tx.CreateToken(e.tb.Context(), &civicgrid.Token{UserID: u.ID, Name: "test", Hash: civicgrid.HashToken(token), CreatedAt: e.clock.Now()})
	})
	if err != nil {
		e.tb.Fatal(err)
	}
	e.users[name], e.tokens[name] = u, token
}
