package web

import (
	"net/http"
	"net/url"
	"strconv"

	"civicgrid"
)

// viewProblems translates the saved views' field problems.
var viewProblems = map[string]string{
	"in use":                "views.err.in_use",
	"at most 40 characters": "views.err.long",
	"at most 30 saved views: delete one first": "views.err.many",
}

// handleSavedViewForm saves the case list's current filters under a name
// and shows the list through the new view. A refused name shows the list
// again with the problem beside the name.
func (s *Server) handleSavedViewForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	query := filterQuery(q)
	if _, err := s.views.Save(r.Context(), r.PostFormValue("name"), query); err != nil {
		return s.refuseView(r, q, err)
	}
	return redirect(w, r, "/cases?"+query)
}

// refuseView shows the case list filtered by q again, with err beside the
// save form.
func (s *Server) refuseView(r *http.Request, q url.Values, err error) error {
	if code := civicgrid.ErrorCodeOf(err); code != civicgrid.Invalid && code != civicgrid.Conflict {
		return err
	}
	m, lerr := s.caseList(r, q)
	if lerr != nil {
		return lerr
	}
	m.ViewName = r.PostFormValue("name")
	return &refusedForm{err: err, name: "cases", model: m}
}

// ViewProblem is the problem with the saved view's name, in the
// catalogue's words.
func (m *caseListPage) ViewProblem() string {
	f := m.Field("name")
	if key, ok := viewProblems[f]; ok {
		return m.T(key)
	}
	return f
}

// handleSavedViewDeleteForm deletes one of the user's saved views and
// goes back to the list it was deleted from.
func (s *Server) handleSavedViewDeleteForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return civicgrid.Errorf(civicgrid.NotFound, "no saved view %q", r.PathValue("id"))
	}
	if err := s.views.Delete(r.Context(), civicgrid.SavedViewID(id)); err != nil {
		return err
	}
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	return redirect(w, r, "/cases?"+filterQuery(q))
}

// savedViewListJSON is the caller's saved views.
type savedViewListJSON struct {
	Items []*civicgrid.SavedView `json:"items"`
}

// handleSavedViewList lists the caller's saved views, by name.
func (s *Server) handleSavedViewList(w http.ResponseWriter, r *http.Request) error {
	views, err := s.views.List(r.Context())
	if err != nil {
		return err
	}
	out := savedViewListJSON{Items: make([]*civicgrid.SavedView, 0, len(views))}
	out.Items = append(out.Items, views...)
	return encode(w, http.StatusOK, out)
}

// handleSavedViewCreate saves a view: {"name": "待派遣", "query":
// "status=filed"}; the query keeps only the case list's filters.
func (s *Server) handleSavedViewCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		Name  string `json:"name"`
		Query string `json:"query"`
	}](w, r)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(in.Query)
	if err != nil {
		return civicgrid.FieldError("query", "not a URL query")
	}
	v, err := s.views.Save(r.Context(), in.Name, filterQuery(q))
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, v)
}

// handleSavedViewDelete deletes one of the caller's views.
func (s *Server) handleSavedViewDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return civicgrid.Errorf(civicgrid.NotFound, "no saved view %q", r.PathValue("id"))
	}
	if err := s.views.Delete(r.Context(), civicgrid.SavedViewID(id)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
