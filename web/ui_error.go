package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"civicgrid"
)

// refusedForm is a refused form: the error, and the page to render again
// with the values the user sent and the problem shown beside them.
type refusedForm struct {
	err   error
	name  string
	model pageModel
}

func (e *refusedForm) Error() string { return e.err.Error() }
func (e *refusedForm) Unwrap() error { return e.err }

// isPagePath reports whether path belongs to the pages rather than to the
// JSON API, the Open311 mount or the health check.
func isPagePath(path string) bool {
	return !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/open311/") && path != "/healthz"
}

// errorPage is the page shown for a failure that has no form to go back to.
type errorPage struct {
	page
	Status           int
	Heading, Message string
}

// writePageError answers a page request that failed: Unauthorized goes to
// the sign-in page, a refused form is rendered again with its problems,
// and anything else is the error page. writeError calls it, so the code to
// status table stays in one place.
func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := civicgrid.ErrorCodeOf(err)
	if code == civicgrid.Unauthorized && r.URL.Path != "/login" {
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = r.Referer()
			if u, perr := url.Parse(next); perr == nil {
				next = u.RequestURI()
			}
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(localPath(next)), http.StatusSeeOther)
		return
	}
	var fe *refusedForm
	if errors.As(err, &fe) && code != civicgrid.Internal {
		fe.model.base().setProblem(err)
		if rerr := s.render(w, status, fe.name, fe.model); rerr == nil {
			return
		}
	}
	m := &errorPage{page: s.newPage(r, "error.title", ""), Status: status}
	m.setProblem(err)
	if code == civicgrid.Internal {
		m.Detail = m.T("error.internal.detail")
	}
	m.Heading, m.Message, m.Problem, m.Detail = m.Problem, m.Detail, "", ""
	if rerr := s.render(w, status, "error", m); rerr != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

// handleCrossOrigin refuses a form posted from another site.
func (s *Server) handleCrossOrigin(w http.ResponseWriter, r *http.Request) error {
	return civicgrid.Errorf(civicgrid.Forbidden, "a form from another site may not act here")
}

// handleNotFound answers a path no page has.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return civicgrid.Errorf(civicgrid.NotFound, "no page %s", r.URL.Path)
}
