package web_test

import (
	"net/http"
	"testing"
)

// TestStatsDurations: closing times come back per group, exact, within the
// same scope rules as the counts.
func TestStatsDurations(t *testing.T) {
	e := newEnv(t)
	// walk advances the clock ten minutes before each step: 7 steps from
	// report to close are 70 minutes, then 3 steps 30 minutes.
	for _, steps := range [][]step{
		{
			{"operator", "file", nil, "filed"},
			{"dispatcher", "dispatch", nil, "dispatched"},
			{"sanitation", "sign", nil, "handling"},
			{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
			{"operator", "check_request", nil, "checking"},
			{"inspector", "check_pass", nil, "checked"},
			{"shift_leader", "close", nil, "closed"},
		},
		{
			{"operator", "file", nil, "filed"},
			{"shift_leader", "cancel", map[string]any{"note": "重复"}, "cancelled"},
		},
	} {
		e.walk(t, e.report("operator", catGarbage, 0), steps)
	}
	const march = "from=2026-03-01&to=2026-04-01"
	e.run(t, []scenario{
		{name: "by category", method: "GET", path: "/api/v1/stats/durations?group_by=category&" + march, actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"key":"` + catGarbage + `"`,
				`"closing_time":{"n":1,"median_seconds":4200,"p90_seconds":4200,"mean_seconds":4200}`}},
		{name: "nothing closed in February", method: "GET", path: "/api/v1/stats/durations?from=2026-02-01&to=2026-03-01", actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"rows":[]`}},
		{name: "a unit sees its own", method: "GET", path: "/api/v1/stats/durations?group_by=unit&" + march, actor: "sanitation",
			wantStatus: http.StatusOK, wantContains: []string{`"n":1`}},
		{name: "not the city", method: "GET", path: "/api/v1/stats/durations?" + march, actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "a count is not a duration", method: "GET", path: "/api/v1/stats/durations?" + march + "&metrics=closed", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"metrics"`}},
		{name: "dates are required", method: "GET", path: "/api/v1/stats/durations", actor: "admin", wantStatus: http.StatusBadRequest},
		{name: "listed with the definitions", method: "GET", path: "/api/v1/metrics", actor: "admin", wantStatus: http.StatusOK,
			wantContains: []string{`"durations":[{"code":"closing_time","name":{"zh":"结案用时","en":"Time to close"}`}},
	})
}

// TestStatsSeries: the same counts per period, every period listed.
func TestStatsSeries(t *testing.T) {
	e := newEnv(t)
	e.walk(t, e.report("operator", catGarbage, 0), []step{{"operator", "file", nil, "filed"}})
	e.run(t, []scenario{
		{name: "by month", method: "GET", path: "/api/v1/stats/series?interval=month&from=2026-02-15&to=2026-04-10&metrics=filed,rate_accurately_filed", actor: "admin",
			wantStatus: http.StatusOK, wantBody: `{"group_by":"city","interval":"month","from":"2026-02-15","to":"2026-04-10","definitions_version":3,"periods":[
				{"from":"2026-02-15","to":"2026-03-01","rows":[]},
				{"from":"2026-03-01","to":"2026-04-01","rows":[{"key":"all","name":{"zh":"civicgrid","en":"civicgrid"},"counts":{"accurately_filed":1,"filed":1},"rates":{"rate_accurately_filed":1}}]},
				{"from":"2026-04-01","to":"2026-04-10","rows":[]}]}`},
		{name: "by week starts on Monday", method: "GET", path: "/api/v1/stats/series?interval=week&from=2026-03-04&to=2026-03-17&metrics=filed", actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`{"from":"2026-03-04","to":"2026-03-09","rows":[]}`, `{"from":"2026-03-09","to":"2026-03-16","rows":[{`, `{"from":"2026-03-16","to":"2026-03-17","rows":[]}`}},
		{name: "unknown interval", method: "GET", path: "/api/v1/stats/series?interval=year&from=2026-01-01&to=2026-02-01", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"interval"`}},
		{name: "too many periods", method: "GET", path: "/api/v1/stats/series?interval=day&from=2020-01-01&to=2026-01-01", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"interval"`}},
		{name: "scoped like the table", method: "GET", path: "/api/v1/stats/series?interval=month&from=2026-01-01&to=2026-04-01", actor: "sanitation", wantStatus: http.StatusForbidden},
	})
}
