package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"civicgrid"
)

// maxAdminUsers is the most users one list shows; a search narrows it.
const maxAdminUsers = 500

// userRow is one user in the list.
type userRow struct {
	ID                      civicgrid.UserID
	Name, DisplayName, Role string
	Unit, Area, Phone       string
	Active                  bool
	Created                 string
}

// userForm is the values of a user form, kept when it is refused.
type userForm struct {
	Name, DisplayName, Role, UnitCode, AreaCode, Phone string
}

// adminUsersPage lists the users and holds the form that creates one.
type adminUsersPage struct {
	page
	Search    string
	RoleOpts  []option
	Rows      []userRow
	Truncated bool
	Form      userForm
	FormRoles []option
	FormUnits []option
}

func (s *Server) handleAdminUsersPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminUsersPage(r, userForm{})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_users", m)
}

// adminUsersPage builds the list for the filters in r's query, with form
// the values of the create form.
func (s *Server) adminUsersPage(r *http.Request, form userForm) (*adminUsersPage, error) {
	q := r.URL.Query()
	m := &adminUsersPage{page: s.adminPage(r, "admin.users.title"), Search: strings.TrimSpace(q.Get("q")), Form: form}
	f := civicgrid.UserFilter{Search: m.Search}
	role := civicgrid.Role(q.Get("role"))
	if role.Valid() {
		f.Role = &role
	} else {
		role = ""
	}
	m.RoleOpts = roleChoices(&m.page, string(role), m.T("admin.users.all_roles"))
	users, err := s.users.List(r.Context(), f)
	if err != nil {
		return nil, err
	}
	city := s.city.City()
	for _, u := range users {
		if u.Role == civicgrid.RoleApp {
			continue // an application's user is managed on the API keys page
		}
		if len(m.Rows) == maxAdminUsers {
			m.Truncated = true
			break
		}
		m.Rows = append(m.Rows, userRow{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: m.Text(u.Role.Name()),
			Unit: unitName(&m.page, city, u.UnitID), Area: u.AreaCode, Phone: u.Phone, Active: u.Active, Created: m.Time(u.CreatedAt)})
	}
	if form.Role == "" {
		form.Role = string(civicgrid.RoleOperator)
	}
	m.FormRoles = roleChoices(&m.page, form.Role, "")
	m.FormUnits = unitChoices(&m.page, city, form.UnitCode, m.T("admin.users.no_unit"))
	return m, nil
}

// userFormOf reads the user form fields of a post.
func userFormOf(r *http.Request) userForm {
	return userForm{Name: strings.TrimSpace(r.PostFormValue("name")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role: r.PostFormValue("role"), UnitCode: r.PostFormValue("unit"), AreaCode: strings.TrimSpace(r.PostFormValue("area_code")),
		Phone: strings.TrimSpace(r.PostFormValue("phone"))}
}

func (s *Server) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := userFormOf(r)
	pw, again := r.PostFormValue("password"), r.PostFormValue("password_again")
	var err error
	if pw != again {
		err = civicgrid.FieldError("password_again", "does not match")
	} else {
		_, err = s.users.Create(r.Context(), civicgrid.NewUser{Name: form.Name, DisplayName: form.DisplayName,
			Role: civicgrid.Role(form.Role), UnitCode: form.UnitCode, AreaCode: form.AreaCode, Phone: form.Phone, Password: pw})
	}
	err = onField(err, civicgrid.Conflict, "name", "this login name is taken")
	if err != nil {
		m, perr := s.adminUsersPage(r, form)
		if perr != nil {
			return perr
		}
		return &refusedForm{err: err, name: "admin_users", model: m}
	}
	return redirect(w, r, "/admin/users?done=user_created&q="+url.QueryEscape(form.Name))
}

// adminUserPage edits one user: profile, active or not, password.
type adminUserPage struct {
	page
	U     *civicgrid.User
	Unit  string
	Form  userForm
	Roles []option
	Units []option
	Self  bool
}

func (s *Server) handleAdminUserPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminUserPage(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_user", m)
}

// adminUserPage builds the page of the user in r's path; form, when set,
// holds refused values.
func (s *Server) adminUserPage(r *http.Request, form *userForm) (*adminUserPage, error) {
	id, err := formID(r, "id")
	if err != nil {
		return nil, err
	}
	u, err := s.users.Find(r.Context(), civicgrid.UserID(id))
	if err != nil {
		return nil, err
	}
	if u.Role == civicgrid.RoleApp {
		return nil, civicgrid.Errorf(civicgrid.NotFound, "user %d is an application; see the API keys", id)
	}
	city := s.city.City()
	m := &adminUserPage{page: s.adminPage(r, "admin.user.title"), U: u, Self: u.ID == civicgrid.ActorFrom(r.Context()).ID}
	m.Title = m.Tf("admin.user.title", u.Name)
	m.Unit = unitName(&m.page, city, u.UnitID)
	if form == nil {
		form = &userForm{DisplayName: u.DisplayName, Role: string(u.Role), AreaCode: u.AreaCode, Phone: u.Phone}
		if unit := city.Units[u.UnitID]; unit != nil {
			form.UnitCode = unit.Code
		}
	}
	m.Form = *form
	m.Roles = roleChoices(&m.page, form.Role, "")
	m.Units = unitChoices(&m.page, city, form.UnitCode, m.T("admin.users.no_unit"))
	return m, nil
}

func (s *Server) handleAdminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := userFormOf(r)
	role := civicgrid.Role(form.Role)
	_, err = s.users.Update(r.Context(), civicgrid.UserID(id), civicgrid.UserUpdate{DisplayName: &form.DisplayName, Role: &role,
		UnitCode: &form.UnitCode, AreaCode: &form.AreaCode, Phone: &form.Phone})
	if err != nil {
		return s.refusedUser(r, err, &form)
	}
	s.tokens.clear() // a cached token lookup must not keep the old role
	return redirect(w, r, userPath(id)+"?done=user_saved")
}

// refusedUser renders the user page again with err; form, when set, keeps
// the profile values sent.
func (s *Server) refusedUser(r *http.Request, err error, form *userForm) error {
	m, perr := s.adminUserPage(r, form)
	if perr != nil {
		return perr
	}
	return &refusedForm{err: err, name: "admin_user", model: m}
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

func (s *Server) handleAdminUserActive(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	active := r.PostFormValue("active") == "1"
	if err := s.users.SetActive(r.Context(), civicgrid.UserID(id), active); err != nil {
		return s.refusedUser(r, err, nil)
	}
	s.tokens.clear() // a cached token of a deactivated user stops working at once
	done := "user_deactivated"
	if active {
		done = "user_reactivated"
	}
	return redirect(w, r, userPath(id)+"?done="+done)
}

func (s *Server) handleAdminUserPassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	pw, again := r.PostFormValue("password"), r.PostFormValue("password_again")
	if pw != again {
		err = civicgrid.FieldError("password_again", "does not match")
	} else {
		err = s.users.ResetPassword(r.Context(), civicgrid.UserID(id), pw)
	}
	if err != nil {
		return s.refusedUser(r, err, nil)
	}
	return redirect(w, r, userPath(id)+"?done=password_reset")
}

// clear forgets every cached token lookup.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

// onField puts a field-less error of code on field, so that the form shows
// it beside the input it is about.
func onField(err error, code civicgrid.ErrorCode, field, problem string) error {
	if e := civicgrid.AsError(err); e != nil && e.Code == code && len(e.Fields) == 0 {
		return &civicgrid.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: problem}, Err: err}
	}
	return err
}
