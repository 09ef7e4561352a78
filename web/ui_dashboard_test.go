package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// addAreaUser adds a user of role whose area is area, with an API token.
func (e *env) addAreaUser(name string, role civicgrid.Role, area string) {
	e.tb.Helper()
	ctx := context.Background()
	u := &civicgrid.User{Name: name, DisplayName: name, Role: role, AreaCode: area, Active: true, CreatedAt: e.clock.Now()}
	token := "test_" + name + "_0123456789abcdef"
	err := e.db.Update(ctx, func(tx civicgrid.Tx) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.CreateToken(ctx, &civicgrid.Token{UserID: u.ID, Name: "test", Hash: civicgrid.HashToken(token), CreatedAt: e.clock.Now()})
	})
	if err != nil {
		e.tb.Fatal(err)
	}
	e.users[name], e.tokens[name] = u, token
}

// reportFrom opens a case of category in the i-th cell through source.
func (e *env) reportFrom(source, category string, cell int) caseOut {
	e.tb.Helper()
	lat, lon := cellCenter(cell)
	r := e.do("POST", "/api/v1/cases", "operator", map[string]any{
		"category_code": category, "lat": lat, "lon": lon, "description": "市民来电反映", "source": source})
	if r.status != http.StatusCreated {
		e.tb.Fatalf("report: %d %s", r.status, r.body)
	}
	return decodeBody[caseOut](e.tb, r)
}

// dashboardOut is the part of GET /api/v1/dashboard the tests read.
type dashboardOut struct {
	Area     string `json:"area"`
	Headline struct {
		IntakeToday int `json:"intake_today"`
		Open        int `json:"open"`
		Yellow      int `json:"yellow"`
		Overdue     int `json:"overdue"`
	} `json:"headline"`
	Intake []struct {
		Source string `json:"source"`
		Count  int    `json:"count"`
	} `json:"intake"`
	Stages []struct {
		Status                          string
		Green, Yellow, Red, None, Total int
	} `json:"stages"`
	Overdue []struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
		Late   int    `json:"late_minutes"`
	} `json:"overdue"`
	Rates []struct {
		Code  string   `json:"code"`
		Value *float64 `json:"value"`
	} `json:"rates"`
}

// dashboardCity reports three cases so that one is green, one yellow and
// one red on the dashboard: the accept stage has 30 working minutes.
func dashboardCity(t *testing.T) (e *env, red, yellow, green caseOut) {
	e = newEnv(t)
	red = e.report("inspector", catGarbage, 0) // 09:00, due 09:30
	e.clock.Advance(20 * time.Minute)
	yellow = e.reportFrom("hotline", catManhole, 3) // 09:20, due 09:50
	e.clock.Advance(15 * time.Minute)
	green = e.reportFrom("web", catGarbage, 2) // 09:35, due 10:05
	e.clock.Advance(12 * time.Minute)          // 09:47: 17 min late, 90% and 40% used
	return e, red, yellow, green
}

// TestUIDashboard renders the dashboard and checks its snapshot: intake
// by channel, lights by stage, the overdue list, and the roles and areas
// that see it.
func TestUIDashboard(t *testing.T) {
	e, red, yellow, _ := dashboardCity(t)
	r := e.signedInAs("operator").get("/dashboard")
	if r.status != http.StatusOK {
		t.Fatalf("GET /dashboard: %d\n%s", r.status, r.body)
	}
	checkPageGolden(t, "dashboard_operator", r.body)
	leader := e.signedInAs("leader")
	leader.get("/lang?to=en&back=/")
	if r := leader.get("/dashboard?every=5"); r.status != http.StatusOK {
		t.Fatalf("GET /dashboard in English: %d", r.status)
	} else {
		checkPageGolden(t, "dashboard_leader_en", r.body)
	}

	d := decodeBody[dashboardOut](t, e.do("GET", "/api/v1/dashboard", "operator", nil))
	if h := d.Headline; h.IntakeToday != 3 || h.Open != 3 || h.Yellow != 1 || h.Overdue != 1 {
		t.Errorf("headline = %+v, want 3 new, 3 open, 1 yellow, 1 overdue", h)
	}
	intake := map[string]int{}
	for _, in := range d.Intake {
		intake[in.Source] = in.Count
	}
	if intake["inspector"] != 1 || intake["hotline"] != 1 || intake["web"] != 1 || len(d.Intake) != 9 {
		t.Errorf("intake = %v, want one each of inspector, hotline, web among 9 channels", intake)
	}
	if s := d.Stages[0]; s.Status != "reported" || s.Green != 1 || s.Yellow != 1 || s.Red != 1 || s.Total != 3 {
		t.Errorf("stages[0] = %+v, want reported 1/1/1", s)
	}
	if len(d.Overdue) != 1 || d.Overdue[0].ID != red.ID || d.Overdue[0].Late != 17 {
		t.Errorf("overdue = %+v, want case %d 17 minutes late", d.Overdue, red.ID)
	}
	if len(d.Rates) != 6 || d.Rates[0].Code != "rate_handled" {
		t.Errorf("rates = %+v, want the six month rates", d.Rates)
	}

	// The page's script reads the same snapshot with the session cookie.
	if r := e.signedInAs("leader").get("/api/v1/dashboard"); r.status != http.StatusOK {
		t.Errorf("GET /api/v1/dashboard with a session: %d %s", r.status, r.body)
	}
	// Units, inspectors and citizens have no dashboard.
	if r := e.do("GET", "/api/v1/dashboard", "sanitation", nil); r.status != http.StatusForbidden {
		t.Errorf("unit: %d, want 403", r.status)
	}
	if r := e.signedInAs("citizen").get("/dashboard"); r.status != http.StatusForbidden {
		t.Errorf("citizen's page: %d, want 403", r.status)
	}
	if r := e.newBrowserClient().get("/dashboard"); r.status != http.StatusSeeOther {
		t.Errorf("signed out: %d, want a redirect to sign in", r.status)
	}

	// A street's leader sees the street only: the manhole case in 清波街道.
	e.addAreaUser("leader_qingbo", civicgrid.RoleLeader, "330102002")
	d = decodeBody[dashboardOut](t, e.do("GET", "/api/v1/dashboard", "leader_qingbo", nil))
	if d.Area != "330102002" || d.Headline.Open != 1 || d.Headline.Yellow != 1 || d.Headline.IntakeToday != 1 || len(d.Overdue) != 0 {
		t.Errorf("street leader's dashboard = %+v, want only case %d", d, yellow.ID)
	}
	e.setPassword("leader_qingbo", uiPassword)
	b := e.newBrowserClient()
	b.post("/login", map[string][]string{"name": {"leader_qingbo"}, "password": {uiPassword}})
	if r := b.get("/dashboard"); r.status != http.StatusOK || !strings.Contains(string(r.body), "清波街道") {
		t.Errorf("street leader's page: %d, want 200 naming 清波街道", r.status)
	}
}

// TestUIDashboardMatchesQueue: the dashboard's lights are the work
// queue's (one function), so a red case on the dashboard is red in the
// leader's overdue queue too.
func TestUIDashboardMatchesQueue(t *testing.T) {
	e, red, _, _ := dashboardCity(t)
	home := string(e.signedInAs("operator").get("/").body)
	i := strings.Index(home, red.Number)
	if i < 0 {
		t.Fatalf("the operator's queue lacks %s", red.Number)
	}
	row := home[i:]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, `class="light red"`) {
		t.Errorf("queue row of %s is not red:\n%s", red.Number, row)
	}
}
