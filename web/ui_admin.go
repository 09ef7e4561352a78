package web

import (
	"net/http"
	"strconv"
	"strings"

	"civicgrid"
)

// The admin pages (系统管理) configure the city: users, units, routing,
// taxonomy, calendar, API keys and the grid. Every one of them is for
// administrators only; anyone else gets the 403 page. Forms post back,
// re-show their values and problems when refused, and redirect with a
// notice when done (post/redirect/get).

// routeFunc registers a page or form route.
type routeFunc func(pattern string, h handlerFunc)

// adminRoutes registers the admin pages with the page and form helpers of
// routes.
func (s *Server) adminRoutes(page, form routeFunc) {
	page("GET /admin", s.handleAdminPage)
	page("GET /admin/users", s.handleAdminUsersPage)
	form("POST /admin/users", s.handleAdminUserCreate)
	page("GET /admin/users/{id}", s.handleAdminUserPage)
	form("POST /admin/users/{id}", s.handleAdminUserUpdate)
	form("POST /admin/users/{id}/active", s.handleAdminUserActive)
	form("POST /admin/users/{id}/password", s.handleAdminUserPassword)
	page("GET /admin/units", s.handleAdminUnitsPage)
	form("POST /admin/units", s.handleAdminUnitCreate)
	page("GET /admin/units/{id}", s.handleAdminUnitPage)
	form("POST /admin/units/{id}", s.handleAdminUnitUpdate)
	page("GET /admin/routing", s.handleAdminRoutingPage)
	form("POST /admin/routing", s.handleAdminRuleCreate)
	form("POST /admin/routing/{id}/delete", s.handleAdminRuleDelete)
	page("GET /admin/taxonomy", s.handleAdminTaxonomyPage)
	form("POST /admin/taxonomy/builtin", s.handleAdminTaxonomyBuiltin)
	form("POST /admin/taxonomy/import", s.handleAdminTaxonomyImport)
	page("GET /admin/calendar", s.handleAdminCalendarPage)
	form("POST /admin/calendar/days", s.handleAdminDayAdd)
	form("POST /admin/calendar/days/delete", s.handleAdminDayDelete)
	form("POST /admin/calendar/periods", s.handleAdminPeriods)
	page("GET /admin/apikeys", s.handleAdminAPIKeysPage)
	form("POST /admin/apikeys", s.handleAdminAPIKeyCreate)
	form("POST /admin/apikeys/{id}/revoke", s.handleAdminAPIKeyRevoke)
	page("GET /admin/grid", s.handleAdminGridPage)
	form("POST /admin/grid", s.handleAdminGridUpload)
	page("GET /admin/grid/{job}", s.handleAdminGridJobPage)
	page("GET /admin/grid/{job}/progress", s.handleAdminGridProgress)
	page("GET /admin/hotspots", s.handleAdminHotspotsPage)
	form("POST /admin/hotspots", s.handleAdminHotspots)
}

// requireAdminPage returns the signed-in admin, Unauthorized (the sign-in
// page) for nobody, or Forbidden (the 403 page) for anyone else.
func requireAdminPage(r *http.Request) (*civicgrid.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if u.Role != civicgrid.RoleAdmin {
		return nil, civicgrid.Errorf(civicgrid.Forbidden, "only an administrator may open the admin pages")
	}
	return u, nil
}

// adminPage starts the model of an admin page titled with the catalogue
// message title, with the notice of a done redirect (?done=KEY names the
// catalogue message admin.done.KEY; unknown keys show nothing).
func (s *Server) adminPage(r *http.Request, title string) page {
	p := s.newPage(r, title, "admin")
	if done := r.URL.Query().Get("done"); done != "" {
		if _, ok := messages["admin.done."+done]; ok {
			p.Notice = p.T("admin.done." + done)
		}
	}
	return p
}

// adminSection is one entry of the overview: where it is and what it
// holds.
type adminSection struct {
	Path, Name, Intro, Count string
}

// adminHomePage is the overview of the admin sections.
type adminHomePage struct {
	page
	Sections []adminSection
}

func (s *Server) handleAdminPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	ctx := r.Context()
	city := s.city.City()
	m := &adminHomePage{page: s.adminPage(r, "admin.title")}
	var users []*civicgrid.User
	var keys []*civicgrid.APIKey
	err := s.store.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		if users, err = tx.FindUsers(ctx, civicgrid.UserFilter{}); err != nil {
			return err
		}
		keys, err = tx.FindAPIKeys(ctx)
		return err
	})
	if err != nil {
		return err
	}
	people, active := 0, 0
	for _, u := range users {
		if u.Role == civicgrid.RoleApp {
			continue
		}
		people++
		if u.Active {
			active++
		}
	}
	liveKeys := 0
	for _, k := range keys {
		if k.RevokedAt == nil {
			liveKeys++
		}
	}
	holidays, workdays := 0, 0
	for _, o := range city.Calendar.Overrides() {
		if o.Kind == civicgrid.DayHoliday {
			holidays++
		} else {
			workdays++
		}
	}
	add := func(path, key, count string) {
		m.Sections = append(m.Sections, adminSection{Path: path, Name: m.T(key + ".nav"), Intro: m.T(key + ".intro"), Count: count})
	}
	add("/admin/users", "admin.users", m.Tf("admin.count.users", people, active))
	add("/admin/units", "admin.units", m.Tf("admin.count.units", len(city.Units)))
	add("/admin/routing", "admin.routing", m.Tf("admin.count.rules", len(city.Routing)))
	add("/admin/taxonomy", "admin.taxonomy", m.Tf("admin.count.categories", len(city.Categories)))
	add("/admin/calendar", "admin.calendar", m.Tf("admin.count.days", holidays, workdays))
	add("/admin/apikeys", "admin.apikeys", m.Tf("admin.count.keys", liveKeys))
	add("/admin/grid", "admin.grid", m.Tf("admin.count.cells", city.Grid.Len()))
	hot, err := s.hotspots.Config(ctx)
	if err != nil {
		return err
	}
	add("/admin/hotspots", "admin.hotspots", m.Tf("admin.hotspots.count", hot.RecurrenceDays, hot.BaselineWeeks))
	return s.render(w, http.StatusOK, "admin", m)
}

// formID parses the path value name as a positive id, or NotFound.
func formID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, civicgrid.Errorf(civicgrid.NotFound, "no %s %q", name, r.PathValue(name))
	}
	return id, nil
}

// unitChoices lists the units as choices by code, "" (none) first.
func unitChoices(p *page, city *civicgrid.City, selected, none string) []option {
	out := []option{{Value: "", Label: none}}
	for _, u := range sortedByCode(city.Units, func(u *civicgrid.Unit) string { return u.Code }) {
		out = append(out, option{Value: u.Code, Label: p.Text(u.Name) + " (" + u.Code + ")", Selected: u.Code == selected})
	}
	return out
}

// roleChoices lists the roles a user may have, first an empty choice when
// none is given.
func roleChoices(p *page, selected, none string) []option {
	var out []option
	if none != "" {
		out = append(out, option{Value: "", Label: none})
	}
	for _, r := range civicgrid.Roles {
		out = append(out, option{Value: string(r), Label: p.Text(r.Name()), Selected: string(r) == selected})
	}
	return out
}

// unitName returns the name of unit id in the page's language, or "".
func unitName(p *page, city *civicgrid.City, id civicgrid.UnitID) string {
	if u := city.Units[id]; u != nil {
		return p.Text(u.Name)
	}
	return ""
}

// areaName returns "name (code)" of an area, cell or the whole city.
func areaName(p *page, city *civicgrid.City, code string) string {
	if code == "" {
		return p.T("admin.city_wide")
	}
	if a := city.Grid.Area(code); a != nil {
		return a.Name + " (" + code + ")"
	}
	if c := city.Grid.Cell(code); c != nil && c.Name != "" {
		return c.Name + " (" + code + ")"
	}
	return code
}

// InAdmin reports whether the page is the admin section at path (or a page
// under it), for the admin navigation.
func (p *page) InAdmin(path string) bool {
	rest, ok := strings.CutPrefix(p.Path, path)
	return ok && (rest == "" || rest[0] == '/' || rest[0] == '?')
}
