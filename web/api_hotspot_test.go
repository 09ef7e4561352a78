package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// hotspotFixture reports garbage over nine weeks from the fixture's start
// (2026-03-10) and returns the last day of the ninth week, the week
// tested. Cell A1 has 2 reports a week for 8 weeks (16), then 12 in the
// ninth; cell B1 one every other week (4), then 3: the same sixfold rise,
// but 3 against 0.5 is neither 5 reports nor unlikely enough (p ≈ 0.014).
// Cell C1, in the other street, has 2 reports in the ninth week.
func hotspotFixture(t *testing.T, e *env) civicgrid.Date {
	t.Helper()
	type rep struct {
		day  int
		cell int
	}
	var reps []rep
	for w := range 8 {
		reps = append(reps, rep{w * 7, 0}, rep{w*7 + 3, 0})
		if w%2 == 0 {
			reps = append(reps, rep{w*7 + 1, 2})
		}
	}
	for d := range 6 {
		reps = append(reps, rep{56 + d, 0}, rep{56 + d, 0})
	}
	reps = append(reps, rep{57, 2}, rep{59, 2}, rep{61, 2}, rep{58, 3}, rep{60, 3})
	slices.SortStableFunc(reps, func(a, b rep) int { return a.day - b.day })
	start := e.clock.Now()
	for i, r := range reps {
		at := start.AddDate(0, 0, r.day).Add(time.Duration(i) * time.Minute)
		e.clock.Advance(at.Sub(e.clock.Now()))
		lat, lon := cellCenter(r.cell)
		res := e.do("POST", "/api/v1/cases", "operator", map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon,
			"description": "暴露垃圾", "source": "hotline", "distinct": true})
		if res.status != http.StatusCreated {
			t.Fatalf("report %d: %d %s", i, res.status, res.body)
		}
	}
	return civicgrid.DateOf(start).AddDays(62)
}

func TestHotspotsAPI(t *testing.T) {
	e := newEnv(t)
	date := hotspotFixture(t, e) // 2026-05-11
	e.addUser("hubin_leader", civicgrid.RoleLeader, "330102001")
	week := "&date=" + date.String()

	e.run(t, []scenario{
		{name: "emerging: A1 emerges, B1 (same ratio, too few) does not", method: "GET", path: "/api/v1/hotspots?kind=emerging" + week, actor: "operator",
			wantStatus: http.StatusOK, wantContains: []string{
				`"kind":"emerging","level":"cell","from":"2026-05-05","to":"2026-05-12"`,
				`"rows":[{"key":"330102001001001","name":{"zh":`,
				`"reported":12,`,
				`"test":{"observed":12,"expected":2,"baseline":16,"p":0.00000136461515961`,
				`"cases":{"cell":"330102001001001","created_from":"2026-05-05","created_to":"2026-05-11","query":"cell=330102001001001\u0026created_from=2026-05-05\u0026created_to=2026-05-11"}}]`}},
		{name: "top over the nine weeks", method: "GET", path: "/api/v1/hotspots?kind=top&from=2026-03-10&to=2026-05-12", actor: "leader",
			wantStatus: http.StatusOK, wantContains: []string{
				`"rows":[{"key":"330102001001001"`, `"reported":28,"recurred":27`,
				`{"key":"330102001002001","name":{"zh":`, `"reported":7,"recurred":6`, `{"key":"330102002001001"`}},
		{name: "top of a category by community", method: "GET", path: "/api/v1/hotspots?level=community&category=" + catGarbage + "&from=2026-03-10&to=2026-05-12", actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"level":"community","category":"SJ0102"`, `"key":"330102001001","name":{"zh":"东坡社区"},"reported":28`,
				`"query":"category=SJ0102\u0026community=330102001001\u0026created_from=2026-03-10\u0026created_to=2026-05-11"`}},
		{name: "recurring", method: "GET", path: "/api/v1/hotspots?kind=recurring&from=2026-03-10&to=2026-05-12&limit=1", actor: "dispatcher",
			wantStatus: http.StatusOK, wantContains: []string{`"rows":[{"key":"330102001001001","name":{"zh":`, `"recurred":27,`}},
		{name: "a street's leader sees only its cells", method: "GET", path: "/api/v1/hotspots?from=2026-03-10&to=2026-05-12", actor: "hubin_leader",
			wantStatus: http.StatusOK, wantContains: []string{`"330102001001001"`, `"330102001002001"`}},
		{name: "another category has none", method: "GET", path: "/api/v1/hotspots?kind=emerging&category=" + catManhole + week, actor: "operator",
			wantStatus: http.StatusOK, wantContains: []string{`"rows":[]`}},
		{name: "to alone: the 30 days before", method: "GET", path: "/api/v1/hotspots?to=2026-05-12", actor: "operator",
			wantStatus: http.StatusOK, wantContains: []string{`"kind":"top","level":"cell","from":"2026-04-12","to":"2026-05-12"`}},
		{name: "units may not", method: "GET", path: "/api/v1/hotspots", actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "inspectors may not", method: "GET", path: "/api/v1/hotspots", actor: "inspector", wantStatus: http.StatusForbidden},
		{name: "signed out", method: "GET", path: "/api/v1/hotspots", wantStatus: http.StatusUnauthorized},
		{name: "unknown kind", method: "GET", path: "/api/v1/hotspots?kind=hottest", actor: "operator", wantStatus: http.StatusBadRequest, wantContains: []string{`"kind"`}},
		{name: "unknown level", method: "GET", path: "/api/v1/hotspots?level=district", actor: "operator", wantStatus: http.StatusBadRequest, wantContains: []string{`"level"`}},
		{name: "bad date", method: "GET", path: "/api/v1/hotspots?kind=emerging&date=2026-02-30", actor: "operator", wantStatus: http.StatusBadRequest, wantContains: []string{`"date"`}},
		{name: "unknown category", method: "GET", path: "/api/v1/hotspots?category=XX", actor: "operator", wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"category"`}},
	})
	r := e.do("GET", "/api/v1/hotspots?from=2026-03-10&to=2026-05-12", "hubin_leader", nil)
	if strings.Contains(string(r.body), "330102002001001") {
		t.Errorf("湖滨街道's leader sees a cell of 清波街道: %s", r.body)
	}
	// The drill-down lists the hotspot's cases: the 12 of the week.
	r = e.do("GET", "/api/v1/cases?cell=330102001001001&created_from=2026-05-05&created_to=2026-05-11", "operator", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"total":12`) {
		t.Errorf("the emerging hotspot's cases: %d %s", r.status, r.body)
	}
}

// TestStatsPairs: group_by=cell,category answers from the two-level
// aggregates, within the asker's area.
func TestStatsPairs(t *testing.T) {
	e := newEnv(t)
	e.report("operator", catGarbage, 0)
	e.report("operator", catManhole, 0)
	e.report("operator", catGarbage, 3)
	e.addUser("hubin_leader", civicgrid.RoleLeader, "330102001")
	const march = "from=2026-03-10&to=2026-03-20&metrics=reported"
	e.run(t, []scenario{
		{name: "cell then category", method: "GET", path: "/api/v1/stats?group_by=cell,category&" + march, actor: "admin",
			wantStatus: http.StatusOK, wantContains: []string{`"group_by":"cell_category"`,
				`{"key":"330102001001001|BJ0101","name":{"zh":`, `{"key":"330102001001001|SJ0102",`, `{"key":"330102002001001|SJ0102",`, `"counts":{"reported":1}`}},
		{name: "within the leader's street", method: "GET", path: "/api/v1/stats?group_by=street,category&" + march, actor: "hubin_leader",
			wantStatus: http.StatusOK, wantContains: []string{`"group_by":"street_category","from":"2026-03-10","to":"2026-03-20"`, `"rows":[` +
				`{"key":"330102001|BJ0101","name":{"zh":"湖滨街道 · 上水井盖"},"counts":{"reported":1},"rates":{}},` +
				`{"key":"330102001|SJ0102","name":{"zh":"湖滨街道 · 暴露垃圾"},"counts":{"reported":1},"rates":{}}]`}},
		{name: "not a pair kept", method: "GET", path: "/api/v1/stats?group_by=category,cell&" + march, actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"group_by"`}},
		{name: "a unit by category: only its own", method: "GET", path: "/api/v1/stats?group_by=unit,category&" + march, actor: "street_office",
			wantStatus: http.StatusOK, wantContains: []string{`"rows":[]`}},
	})
}
