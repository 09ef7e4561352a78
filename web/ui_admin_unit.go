package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"civicgrid"
)

// unitKinds are the kinds of unit the forms offer.
var unitKinds = []string{"department", "district", "street", "company"}

// unitRow is one unit in the list.
type unitRow struct {
	ID                 civicgrid.UnitID
	Code, Name, NameEn string
	Kind, Area, Phone  string
	Active             bool
	Rules, Users       int
}

// unitForm is the values of a unit form, kept when it is refused.
type unitForm struct {
	Code, NameZh, NameEn, Kind, AreaCode, Phone string
	Active                                      bool
}

// adminUnitsPage lists the units and holds the form that creates one.
type adminUnitsPage struct {
	page
	Rows  []unitRow
	Form  unitForm
	Kinds []option
}

func (s *Server) handleAdminUnitsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminUnitsPage(r, unitForm{Kind: "department", Active: true})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_units", m)
}

func (s *Server) adminUnitsPage(r *http.Request, form unitForm) (*adminUnitsPage, error) {
	ctx := r.Context()
	city := s.city.City()
	m := &adminUnitsPage{page: s.adminPage(r, "admin.units.title"), Form: form}
	m.Kinds = kindChoices(&m.page, form.Kind)
	var users []*civicgrid.User
	role := civicgrid.RoleUnit
	err := s.store.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		users, err = tx.FindUsers(ctx, civicgrid.UserFilter{Role: &role})
		return err
	})
	if err != nil {
		return nil, err
	}
	handlers := map[civicgrid.UnitID]int{}
	for _, u := range users {
		handlers[u.UnitID]++
	}
	rules := map[civicgrid.UnitID]int{}
	for _, rule := range city.Routing {
		rules[rule.UnitID]++
	}
	for _, u := range sortedByCode(city.Units, func(u *civicgrid.Unit) string { return u.Code }) {
		m.Rows = append(m.Rows, unitRow{ID: u.ID, Code: u.Code, Name: u.Name.Zh, NameEn: u.Name.En, Kind: kindName(&m.page, u.Kind),
			Area: areaName(&m.page, city, u.AreaCode), Phone: u.Phone, Active: u.Active, Rules: rules[u.ID], Users: handlers[u.ID]})
	}
	return m, nil
}

// kindChoices lists the unit kinds.
func kindChoices(p *page, selected string) []option {
	var out []option
	for _, k := range unitKinds {
		out = append(out, option{Value: k, Label: p.T("admin.kind." + k), Selected: k == selected})
	}
	return out
}

// kindName names a unit kind; an unknown kind shows as stored.
func kindName(p *page, kind string) string {
	if _, ok := messages["admin.kind."+kind]; ok {
		return p.T("admin.kind." + kind)
	}
	return kind
}

// unitFormOf reads the unit form fields of a post.
func unitFormOf(r *http.Request) unitForm {
	return unitForm{Code: strings.TrimSpace(r.PostFormValue("code")), NameZh: strings.TrimSpace(r.PostFormValue("name_zh")),
		NameEn: strings.TrimSpace(r.PostFormValue("name_en")), Kind: r.PostFormValue("kind"),
		AreaCode: strings.TrimSpace(r.PostFormValue("area_code")), Phone: strings.TrimSpace(r.PostFormValue("phone")),
		Active: r.PostFormValue("active") == "1"}
}

// unit turns the form into a unit, checking the kind, which the domain
// leaves open.
func (f unitForm) unit(id civicgrid.UnitID) (*civicgrid.Unit, error) {
	u := &civicgrid.Unit{ID: id, Code: f.Code, Name: civicgrid.Text{Zh: f.NameZh, En: f.NameEn}, Kind: f.Kind,
		AreaCode: f.AreaCode, Phone: f.Phone, Active: f.Active}
	fe := civicgrid.FieldErrors{}
	if e := civicgrid.AsError(u.Validate()); e != nil {
		for k, v := range e.Fields {
			fe.Add(k, v)
		}
	}
	if f.Kind == "" || len(f.Kind) > 32 {
		fe.Add("kind", "required")
	}
	if len(f.Phone) > 40 {
		fe.Add("phone", "at most 40 characters")
	}
	return u, fe.Err()
}

func (s *Server) handleAdminUnitCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := unitFormOf(r)
	form.Active = true
	u, err := form.unit(0)
	if err == nil {
		err = s.ref.CreateUnit(r.Context(), u)
	}
	err = onField(err, civicgrid.Conflict, "code", "this unit code is taken")
	if err != nil {
		m, perr := s.adminUnitsPage(r, form)
		if perr != nil {
			return perr
		}
		return &refusedForm{err: err, name: "admin_units", model: m}
	}
	return redirect(w, r, unitPath(u.ID)+"?done=unit_created")
}

// adminUnitPage edits one unit and shows its routing rules and handlers.
type adminUnitPage struct {
	page
	ID       civicgrid.UnitID
	Code     string
	Form     unitForm
	Kinds    []option
	Rules    []ruleRow
	Handlers []userRow
}

func (s *Server) handleAdminUnitPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminUnitPage(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_unit", m)
}

func (s *Server) adminUnitPage(r *http.Request, form *unitForm) (*adminUnitPage, error) {
	id, err := formID(r, "id")
	if err != nil {
		return nil, err
	}
	city := s.city.City()
	u := city.Units[civicgrid.UnitID(id)]
	if u == nil {
		return nil, civicgrid.Errorf(civicgrid.NotFound, "no unit %d", id)
	}
	m := &adminUnitPage{page: s.adminPage(r, "admin.unit.title"), ID: u.ID, Code: u.Code}
	m.Title = m.Tf("admin.unit.title", m.Text(u.Name))
	if form == nil {
		form = &unitForm{Code: u.Code, NameZh: u.Name.Zh, NameEn: u.Name.En, Kind: u.Kind, AreaCode: u.AreaCode, Phone: u.Phone, Active: u.Active}
	}
	m.Form = *form
	m.Kinds = kindChoices(&m.page, form.Kind)
	if !slices.Contains(unitKinds, form.Kind) && form.Kind != "" {
		m.Kinds = append(m.Kinds, option{Value: form.Kind, Label: form.Kind, Selected: true})
	}
	for _, rule := range city.Routing {
		if rule.UnitID == u.ID {
			m.Rules = append(m.Rules, ruleView(&m.page, city, rule))
		}
	}
	role := civicgrid.RoleUnit
	users, err := s.users.List(r.Context(), civicgrid.UserFilter{Role: &role, UnitID: &u.ID})
	if err != nil {
		return nil, err
	}
	for _, h := range users {
		m.Handlers = append(m.Handlers, userRow{ID: h.ID, Name: h.Name, DisplayName: h.DisplayName, Active: h.Active})
	}
	return m, nil
}

func (s *Server) handleAdminUnitUpdate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	if s.city.City().Units[civicgrid.UnitID(id)] == nil {
		return civicgrid.Errorf(civicgrid.NotFound, "no unit %d", id)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := unitFormOf(r)
	u, err := form.unit(civicgrid.UnitID(id))
	if err == nil {
		err = s.ref.UpdateUnit(r.Context(), u)
	}
	err = onField(err, civicgrid.Conflict, "code", "this unit code is taken")
	if err != nil {
		m, perr := s.adminUnitPage(r, &form)
		if perr != nil {
			return perr
		}
		return &refusedForm{err: err, name: "admin_unit", model: m}
	}
	return redirect(w, r, unitPath(u.ID)+"?done=unit_saved")
}

func unitPath(id civicgrid.UnitID) string { return "/admin/units/" + strconv.FormatInt(int64(id), 10) }
