package web

import (
	"net/http"
	"net/url"
	"strconv"

	"civicgrid"
)

// casesPerPage is the length of a page of the case list.
const casesPerPage = 50

// caseListPage is the case list with its filters.
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
}

func (s *Server) handleCaseListPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	city, q := s.city.City(), r.URL.Query()
	m := &caseListPage{page: s.newPage(r, "cases.title", "cases"), Status: q.Get("status"), Category: q.Get("category"),
		District: q.Get("district"), Street: q.Get("street"), Community: q.Get("community"), Overdue: q.Get("overdue") == "true"}
	m.Statuses = statusOptions(&m.page, m.Status)
	m.Categories = categoryGroups(&m.page, city, false, m.Category)
	m.Districts = areaOptions(city, civicgrid.LevelDistrict, "", m.District)
	if m.District != "" {
		m.Streets = areaOptions(city, civicgrid.LevelStreet, m.District, m.Street)
	}
	if m.Street != "" {
		m.Communities = areaOptions(city, civicgrid.LevelCommunity, m.Street, m.Community)
	}
	m.Page, _ = strconv.Atoi(q.Get("page"))
	m.Page = max(m.Page, 1)
	// The filter reads the API's parameters, whose names the form shares;
	// empty ones filter nothing.
	api := url.Values{}
	for _, k := range []string{"status", "category", "district", "street", "community", "overdue"} {
		if v := q.Get(k); v != "" {
			api.Set(k, v)
		}
	}
	f, err := parseCaseFilter(api, city)
	if err != nil {
		return &refusedForm{err: err, name: "cases", model: m}
	}
	f.Limit, f.Offset = casesPerPage, (m.Page-1)*casesPerPage
	page, err := s.cases.List(r.Context(), f)
	if err != nil {
		return err
	}
	now := s.now()
	for _, c := range page.Items {
		m.Rows = append(m.Rows, s.caseRow(&m.page, city, c, nil, now))
	}
	m.Total = page.Total
	m.Pages = max((page.Total+casesPerPage-1)/casesPerPage, 1)
	if m.Page > 1 {
		m.PrevURL = pageURL(q, m.Page-1)
	}
	if page.More {
		m.NextURL = pageURL(q, m.Page+1)
	}
	return s.render(w, http.StatusOK, "cases", m)
}

// pageURL is the case list with the filters of q on page n.
func pageURL(q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	v.Set("page", strconv.Itoa(n))
	return "/cases?" + v.Encode()
}
