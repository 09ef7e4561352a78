package web

import (
	"net/http"
	"strings"

	"civicgrid"
)

// adminAPIKeysPage lists the API keys, issues one (shown once) and
// revokes them.
type adminAPIKeysPage struct {
	page
	Keys   []*civicgrid.APIKey
	Name   string // the create form's value
	NewKey string // the key just issued, shown on this answer only
	NewFor string
}

func (s *Server) handleAdminAPIKeysPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	m, err := s.adminAPIKeysPage(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_apikeys", m)
}

func (s *Server) adminAPIKeysPage(r *http.Request) (*adminAPIKeysPage, error) {
	svc := s.keyAdmin
	var err error
	m := &adminAPIKeysPage{page: s.adminPage(r, "admin.apikeys.title")}
	if m.Keys, err = svc.List(r.Context()); err != nil {
		return nil, err
	}
	return m, nil
}

// handleAdminAPIKeyCreate issues a key and shows it on this answer only:
// it is not redirected to a page that could show it again, and the answer
// is not cached (render sends Cache-Control: no-store).
func (s *Server) handleAdminAPIKeyCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	svc := s.keyAdmin
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	name := strings.TrimSpace(r.PostFormValue("name"))
	key, k, err := svc.Create(r.Context(), name)
	err = onField(err, civicgrid.Conflict, "name", "an application of this name has a key")
	m, perr := s.adminAPIKeysPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		m.Name = name
		return &refusedForm{err: err, name: "admin_apikeys", model: m}
	}
	m.NewKey, m.NewFor = key, k.Name
	m.Notice = m.T("admin.done.key_created")
	return s.render(w, http.StatusOK, "admin_apikeys", m)
}

func (s *Server) handleAdminAPIKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	svc := s.keyAdmin
	id, err := formID(r, "id")
	if err != nil {
		return err
	}
	if err := svc.Revoke(r.Context(), id); err != nil {
		return err
	}
	s.tokens.clear() // a cached lookup of the key stops working at once
	return redirect(w, r, "/admin/apikeys?done=key_revoked")
}
