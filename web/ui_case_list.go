package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"civicgrid"
)

// casesPerPage is the length of a page of the case list.
const casesPerPage = 50

// filterKeys are the case list's filter parameters, which the API's case
// list shares; a saved view keeps them and nothing else.
var filterKeys = []string{"status", "category", "district", "street", "community", "overdue", "cell", "created_from", "created_to", "component"}

// caseListPage is the case list with its filters, the user's saved views
// and, on the cases waiting for dispatch, the bulk dispatch form.
type caseListPage struct {
	page
	Status, Category, District, Street, Community string
	Overdue                                       bool
	Statuses                                      []option
	Categories                                    []optgroup
	Districts, Streets, Communities               []option
	Rows                                          []caseRow
	Total, Page, Pages                            int
	PrevURL, NextURL                              string

	// Query is the list's filters as a URL query, what a saved view keeps.
	Query    string
	Views    []viewLink
	ViewName string // the name the save form was sent with
	// Bulk is set when the user may dispatch the cases listed (filed,
	// 已立案): the rows are then BulkRows, with a checkbox each.
	Bulk, MayDispatch bool
	BulkRows          []bulkRow
	Units             []option
	Note              string
}

// viewLink is a saved view above the list.
type viewLink struct {
	ID      civicgrid.SavedViewID
	Name    string
	URL     string
	Current bool
}

// bulkRow is a row of the bulk dispatch form: the case and the version
// the dispatcher saw.
type bulkRow struct {
	caseRow
	Version int
}

// Pick is the checkbox value of the row: the case's id and version.
func (r bulkRow) Pick() string {
	return strconv.FormatInt(int64(r.ID), 10) + ":" + strconv.Itoa(r.Version)
}

func (s *Server) handleCaseListPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	m, err := s.caseList(r, r.URL.Query())
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases", m)
}

// filterQuery keeps of q the case list's filters that are set, encoded in
// key order.
func filterQuery(q url.Values) string {
	v := url.Values{}
	for _, k := range filterKeys {
		if s := q.Get(k); s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// caseList builds the case list filtered and paged by q. A filter that
// does not parse is a refused form showing the list's form again.
func (s *Server) caseList(r *http.Request, q url.Values) (*caseListPage, error) {
	city := s.city.City()
	m := &caseListPage{page: s.newPage(r, "cases.title", "cases"), Status: q.Get("status"), Category: q.Get("category"),
		District: q.Get("district"), Street: q.Get("street"), Community: q.Get("community"), Overdue: q.Get("overdue") == "true",
		Query: filterQuery(q)}
	m.Statuses = statusOptions(&m.page, m.Status)
	m.Categories = categoryGroups(&m.page, city, false, m.Category)
	m.Districts = areaOptions(city, civicgrid.LevelDistrict, "", m.District)
	if m.District != "" {
		m.Streets = areaOptions(city, civicgrid.LevelStreet, m.District, m.Street)
	}
	if m.Street != "" {
		m.Communities = areaOptions(city, civicgrid.LevelCommunity, m.Street, m.Community)
	}
	if err := s.fillViews(r, m); err != nil {
		return nil, err
	}
	m.Page, _ = strconv.Atoi(q.Get("page"))
	m.Page = max(m.Page, 1)
	// The filter reads the API's parameters, whose names the form shares;
	// empty ones filter nothing.
	api, _ := url.ParseQuery(m.Query)
	f, err := parseCaseFilter(api, city)
	if err != nil {
		return nil, &refusedForm{err: err, name: "cases", model: m}
	}
	f.Limit, f.Offset = casesPerPage, (m.Page-1)*casesPerPage
	page, err := s.cases.List(r.Context(), f)
	if err != nil {
		return nil, err
	}
	m.MayDispatch = mayDispatch(m.User, city)
	m.Bulk = m.MayDispatch && civicgrid.Status(m.Status) == civicgrid.StatusFiled
	now := s.now()
	for _, c := range page.Items {
		row := s.caseRow(&m.page, city, c, nil, now)
		if m.Bulk {
			m.BulkRows = append(m.BulkRows, bulkRow{caseRow: row, Version: c.Version})
		} else {
			m.Rows = append(m.Rows, row)
		}
	}
	if m.Bulk {
		m.Units = bulkUnitOptions(&m.page, city, q.Get("unit_id"))
		m.Note = q.Get("note")
	}
	m.Total = page.Total
	m.Pages = max((page.Total+casesPerPage-1)/casesPerPage, 1)
	if m.Page > 1 {
		m.PrevURL = pageURL(q, m.Page-1)
	}
	if page.More {
		m.NextURL = pageURL(q, m.Page+1)
	}
	return m, nil
}

// fillViews lists the user's saved views above the list, the one showing
// now marked. Citizens have no case list views.
func (s *Server) fillViews(r *http.Request, m *caseListPage) error {
	if !m.Staff() {
		return nil
	}
	views, err := s.views.List(r.Context())
	if err != nil {
		return err
	}
	for _, v := range views {
		m.Views = append(m.Views, viewLink{ID: v.ID, Name: v.Name, URL: "/cases?" + v.Query, Current: v.Query == m.Query})
	}
	return nil
}

// mayDispatch reports whether u's role may dispatch under the city's
// workflow.
func mayDispatch(u *civicgrid.User, city *civicgrid.City) bool {
	rule := city.Workflow.Rule(civicgrid.ActionDispatch)
	return u != nil && rule != nil && (u.Role == civicgrid.RoleAdmin || slices.Contains(rule.Roles, u.Role))
}

// bulkUnitOptions lists the active units after the default, each case to
// the unit its routing rule names.
func bulkUnitOptions(p *page, city *civicgrid.City, selected string) []option {
	out := []option{{Value: "", Label: p.T("bulk.unit.routed")}}
	for _, u := range sortedByCode(city.Units, func(u *civicgrid.Unit) string { return u.Code }) {
		if !u.Active {
			continue
		}
		v := strconv.FormatInt(int64(u.ID), 10)
		out = append(out, option{Value: v, Label: p.Text(u.Name), Selected: v == selected})
	}
	return out
}

// pageURL is the case list with the filters of q on page n.
func pageURL(q url.Values, n int) string {
	v, _ := url.ParseQuery(filterQuery(q))
	v.Set("page", strconv.Itoa(n))
	return "/cases?" + v.Encode()
}
