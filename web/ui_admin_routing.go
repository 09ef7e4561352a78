package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"civicgrid"
)

// ruleRow is one routing rule as the pages show it.
type ruleRow struct {
	ID               int64
	Category, Prefix string // what the category prefix covers, and the prefix
	Area, AreaPrefix string
	Unit             string
	UnitID           civicgrid.UnitID
	Chosen           bool // the rule a routing test chose
}

// ruleView describes rule.
func ruleView(p *page, city *civicgrid.City, rule *civicgrid.RoutingRule) ruleRow {
	return ruleRow{ID: rule.ID, Category: categoryPrefixName(p, city, rule.CategoryPrefix), Prefix: rule.CategoryPrefix,
		Area: areaName(p, city, rule.AreaPrefix), AreaPrefix: rule.AreaPrefix, Unit: unitName(p, city, rule.UnitID), UnitID: rule.UnitID}
}

// categoryPrefixName says which categories a rule's prefix covers.
func categoryPrefixName(p *page, city *civicgrid.City, prefix string) string {
	if prefix == "" {
		return p.T("admin.routing.all_categories")
	}
	if c := city.Categories[prefix]; c != nil {
		return p.Text(c.Name)
	}
	n := 0
	var class civicgrid.Text
	for _, c := range city.Categories {
		if strings.HasPrefix(c.Code, prefix) {
			n++
			if c.ClassCode == prefix {
				class = c.ClassName
			}
		}
	}
	if class.Zh != "" {
		return p.Tf("admin.routing.class", p.Text(class), n)
	}
	return p.Tf("admin.routing.prefix", n)
}

// routeForm is the values of the add-rule form.
type routeForm struct {
	Category, Area, Unit string
}

// routeTest is the routing test box: its inputs and, when run, its
// answer.
type routeTest struct {
	Category, Cell, Lat, Lon string
	Ran                      bool
	CellCode                 string
	Unit                     string
	Rule                     *ruleRow
	Candidates               []ruleRow // every rule that matched, most specific first
	Problem                  string
}

// adminRoutingPage lists the rules, adds one and tests routing.
type adminRoutingPage struct {
	page
	Rows       []ruleRow
	Form       routeForm
	Units      []option
	Categories []optgroup
	Test       routeTest
}

func (s *Server) handleAdminRoutingPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m := s.adminRoutingPage(r, routeForm{})
	return s.render(w, http.StatusOK, "admin_routing", m)
}

func (s *Server) adminRoutingPage(r *http.Request, form routeForm) *adminRoutingPage {
	city := s.city.City()
	m := &adminRoutingPage{page: s.adminPage(r, "admin.routing.title"), Form: form}
	rules := slices.Clone(city.Routing)
	slices.SortFunc(rules, func(a, b *civicgrid.RoutingRule) int {
		return cmp.Or(strings.Compare(a.CategoryPrefix, b.CategoryPrefix), strings.Compare(a.AreaPrefix, b.AreaPrefix))
	})
	for _, rule := range rules {
		m.Rows = append(m.Rows, ruleView(&m.page, city, rule))
	}
	m.Units = []option{{Value: "", Label: m.T("admin.routing.pick_unit")}}
	for _, u := range sortedByCode(city.Units, func(u *civicgrid.Unit) string { return u.Code }) {
		v := strconv.FormatInt(int64(u.ID), 10)
		m.Units = append(m.Units, option{Value: v, Label: m.Text(u.Name) + " (" + u.Code + ")", Selected: v == form.Unit})
	}
	q := r.URL.Query()
	m.Test = routeTest{Category: q.Get("test_category"), Cell: strings.TrimSpace(q.Get("test_cell")),
		Lat: strings.TrimSpace(q.Get("test_lat")), Lon: strings.TrimSpace(q.Get("test_lon"))}
	m.Categories = categoryGroups(&m.page, city, false, m.Test.Category)
	if q.Has("test_category") {
		s.runRouteTest(&m.page, city, &m.Test)
	}
	return m
}

// runRouteTest answers the routing test: the cell of the code or point,
// and the rule and unit routing picks for it.
func (s *Server) runRouteTest(p *page, city *civicgrid.City, t *routeTest) {
	t.Ran = true
	switch {
	case city.Categories[t.Category] == nil:
		t.Problem = p.T("admin.routing.test.no_category")
		return
	case t.Cell != "":
		code, err := civicgrid.NormalizeCellCode(t.Cell)
		if err != nil || city.Grid.Cell(code) == nil {
			t.Problem = p.T("admin.routing.test.no_cell")
			return
		}
		t.CellCode = code
	default:
		lat, err1 := strconv.ParseFloat(t.Lat, 64)
		lon, err2 := strconv.ParseFloat(t.Lon, 64)
		if err1 != nil || err2 != nil {
			t.Problem = p.T("admin.routing.test.no_place")
			return
		}
		loc, err := city.Grid.Locate(civicgrid.Point{Lat: lat, Lon: lon})
		if err != nil {
			t.Problem = p.T("field.outside")
			return
		}
		t.CellCode = loc.CellCode
	}
	best := civicgrid.RouteRule(city.Routing, t.Category, t.CellCode)
	var matched []*civicgrid.RoutingRule
	for _, rule := range city.Routing {
		if strings.HasPrefix(t.Category, rule.CategoryPrefix) && strings.HasPrefix(t.CellCode, rule.AreaPrefix) {
			matched = append(matched, rule)
		}
	}
	slices.SortStableFunc(matched, func(a, b *civicgrid.RoutingRule) int {
		return cmp.Or(len(b.CategoryPrefix)-len(a.CategoryPrefix), len(b.AreaPrefix)-len(a.AreaPrefix), cmp.Compare(a.ID, b.ID))
	})
	for _, rule := range matched {
		row := ruleView(p, city, rule)
		row.Chosen = rule == best
		t.Candidates = append(t.Candidates, row)
	}
	if best == nil {
		t.Problem = p.T("admin.routing.test.none")
		return
	}
	row := ruleView(p, city, best)
	t.Rule, t.Unit = &row, row.Unit
}

func (s *Server) handleAdminRuleCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := routeForm{Category: strings.TrimSpace(r.PostFormValue("category_prefix")), Area: strings.TrimSpace(r.PostFormValue("area_prefix")),
		Unit: r.PostFormValue("unit_id")}
	rule := &civicgrid.RoutingRule{CategoryPrefix: form.Category, AreaPrefix: form.Area}
	fe := civicgrid.FieldErrors{}
	if form.Unit != "" {
		id, err := strconv.ParseInt(form.Unit, 10, 64)
		if err != nil {
			fe.Add("unit_id", "unknown unit")
		}
		rule.UnitID = civicgrid.UnitID(id)
	}
	if len(form.Category) > 16 || strings.ContainsAny(form.Category, " \t") {
		fe.Add("category_prefix", "a category code or the start of one")
	}
	err := fe.Err()
	if err == nil {
		err = s.ref.AddRoutingRule(r.Context(), rule)
	}
	err = onField(err, civicgrid.Conflict, "category_prefix", "a rule for this category and area exists")
	if err != nil {
		return &refusedForm{err: err, name: "admin_routing", model: s.adminRoutingPage(r, form)}
	}
	return redirect(w, r, "/admin/routing?done=rule_added")
}

func (s *Server) handleAdminRuleDelete(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	if err := s.ref.RemoveRoutingRule(r.Context(), id); err != nil {
		return err
	}
	back := "/admin/routing"
	if u, err := url.Parse(r.PostFormValue("back")); err == nil && strings.HasPrefix(u.Path, "/admin/units/") {
		back = localPath(u.Path)
	}
	return redirect(w, r, back+"?done=rule_removed")
}
