package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"civicgrid"
)

// TestAdminAccess checks that the admin pages are for administrators
// only: nobody is sent to sign in, anyone else gets the 403 page, and the
// forms refuse them without a change.
func TestAdminAccess(t *testing.T) {
	e := newEnv(t)
	var scenarios []pageScenario
	for _, p := range []string{"/admin", "/admin/users", "/admin/units", "/admin/routing", "/admin/taxonomy", "/admin/calendar",
		"/admin/apikeys", "/admin/grid", fmt.Sprintf("/admin/users/%d", e.users["operator"].ID)} {
		scenarios = append(scenarios,
			pageScenario{name: "nobody " + p, method: "GET", path: p, wantStatus: http.StatusSeeOther, wantLocation: "/login?next=" + url.QueryEscape(p)},
			pageScenario{name: "operator " + p, as: "operator", method: "GET", path: p, wantStatus: http.StatusForbidden,
				wantContains: []string{"您无权执行此操作", "only an administrator"}, wantMissing: []string{`class="adminnav"`}},
			pageScenario{name: "leader " + p, as: "leader", method: "GET", path: p, wantStatus: http.StatusForbidden},
			pageScenario{name: "admin " + p, as: "admin", method: "GET", path: p, wantStatus: http.StatusOK},
		)
	}
	scenarios = append(scenarios,
		pageScenario{name: "operator creates a user", as: "operator", method: "POST", path: "/admin/users",
			form: url.Values{"name": {"mallory"}, "role": {"admin"}}, wantStatus: http.StatusForbidden},
		pageScenario{name: "dispatcher adds a rule", as: "dispatcher", method: "POST", path: "/admin/routing",
			form: url.Values{"unit_id": {"1"}}, wantStatus: http.StatusForbidden},
		pageScenario{name: "a form from another site", as: "admin", method: "POST", path: "/admin/users",
			form: url.Values{"name": {"mallory"}, "role": {"admin"}}, header: []string{"Sec-Fetch-Site", "cross-site"}, wantStatus: http.StatusForbidden},
	)
	e.runPages(t, scenarios)
	if u := e.findUser(t, "mallory"); u != nil {
		t.Errorf("a refused form created %+v", u)
	}
}

// findUser returns the user with login name, or nil.
func (e *env) findUser(t *testing.T, name string) *civicgrid.User {
	t.Helper()
	var u *civicgrid.User
	err := e.db.View(t.Context(), func(tx civicgrid.Tx) error {
		var err error
		u, err = tx.FindUserByName(t.Context(), name)
		return err
	})
	if civicgrid.ErrorCodeOf(err) == civicgrid.NotFound {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// adminNormalizers make the admin pages comparable across runs: API keys
// and grid import jobs have random names.
var adminNormalizers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`ak_[A-Za-z0-9_-]+`), "ak_KEY"},
	{regexp.MustCompile(`(/|%2f)admin(/|%2f)grid(/|%2f)[0-9a-f]{16}`), "/admin/grid/JOB"},
}

// checkAdminGolden is checkPageGolden after adminNormalizers.
func checkAdminGolden(t *testing.T, name string, body []byte) {
	t.Helper()
	for _, n := range adminNormalizers {
		body = n.re.ReplaceAll(body, []byte(n.repl))
	}
	checkPageGolden(t, name, body)
}

// TestAdminPagesGolden renders every admin page for the fixture city.
func TestAdminPagesGolden(t *testing.T) {
	e := newEnv(t)
	if _, _, err := civicgrid.NewAPIKeyService(e.db, e.clock.Now).Create(e.actorCtx(t, "admin"), "热线系统"); err != nil {
		t.Fatal(err)
	}
	admin := e.signedInAs("admin")
	job := admin.startGridImport(t, "grid.geojson", gridFile(t, cellCodes[:2]))
	admin.waitGridImport(t, job)
	for _, tc := range []struct{ name, path string }{
		{"admin", "/admin"},
		{"admin_users", "/admin/users"},
		{"admin_users_filtered", "/admin/users?role=unit_handler&q=s"},
		{"admin_user", fmt.Sprintf("/admin/users/%d", e.users["sanitation"].ID)},
		{"admin_units", "/admin/units"},
		{"admin_unit", fmt.Sprintf("/admin/units/%d", e.units[unitSanit].ID)},
		{"admin_routing", "/admin/routing"},
		{"admin_routing_test", "/admin/routing?test_category=" + catGarbage + "&test_cell=" + cellA1},
		{"admin_taxonomy", "/admin/taxonomy"},
		{"admin_calendar", "/admin/calendar?year=2026"},
		{"admin_apikeys", "/admin/apikeys"},
		{"admin_grid", "/admin/grid"},
		{"admin_grid_job", "/admin/grid/" + job},
		{"admin_en", "/admin/routing?test_category=" + catManhole + "&test_lat=30.25045&test_lon=120.1536"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := admin
			if tc.name == "admin_en" {
				c = e.signedInAs("admin")
				c.get("/lang?to=en&back=/")
			}
			r := c.get(tc.path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", tc.path, r.status, r.body)
			}
			checkAdminGolden(t, tc.name, r.body)
		})
	}
}
