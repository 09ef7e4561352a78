// Package open311 serves civicgrid as an Open311 GeoReport v2 endpoint, so
// that existing citizen apps and CRMs (FixMyStreet among them) can list the
// city's services, report problems and follow them without knowing
// civicgrid. Every resource is served as XML (the mandatory format) and
// JSON, chosen by the path's extension, with exactly the element names and
// wrappers of the specification; FixMyStreet's servicerequestupdates
// extension and the paging and extensions=true extensions of Chicago and
// others are served too.
//
// Choices the specification leaves open:
//
//   - Every service is realtime: POST requests answers with the case's
//     public number (2026-000123) as service_request_id, so tokens/{token}
//     and update_tokens/{token} always answer 404.
//   - A report needs lat and long; there is no geocoder, so an
//     address_string or address_id alone is refused with a 400 that says so.
//   - A report of the same service near an open case is folded into it: the
//     answer carries that case's id and a service_notice saying so.
//   - GET requests without page or page_size returns the spec's default
//     volume, the newest 1000 requests of the window; with either, pages of
//     page_size (default 50, at most 500) walk the whole window. Without
//     start_date, end_date, updated_after or updated_before the window is
//     the last 90 days; start_date to end_date may span at most 90 days.
//   - status is open or closed; with extensions=true it is FixMyStreet's
//     extended status (see extendedStatus), and extended_attributes carries
//     civicgrid's own status as status_detail.
//   - A report without a description gets the service's name as one (the
//     domain needs a text). agency_responsible is the unit the case is
//     dispatched to; expected_datetime is the deadline of the stage the
//     case is in; status_notes is the note of the last workflow action.
//   - An update posted to servicerequestupdates becomes a comment on the
//     case; it never changes the case's status (REOPEN asks the operators
//     to reopen it).
//
// FixMyStreet builds its URLs as endpoint + "services.xml", so give it the
// base URL with its trailing slash: http://HOST/open311/v2/.
package open311

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"civicgrid"
)

// Prefix is the path under which the web server mounts the handler.
const Prefix = "/open311/v2"

// Config holds the handler's dependencies. Logger, BaseURL, Now and
// Changeset may be zero.
type Config struct {
	Logger *slog.Logger
	City   func() *civicgrid.City
	Cases  *civicgrid.CaseService
	Keys   *civicgrid.APIKeyService
	// Jurisdiction is the jurisdiction_id this endpoint answers to (the
	// city's web domain); a request naming another gets 404. Empty: a
	// single-jurisdiction endpoint that ignores the parameter.
	Jurisdiction string
	// BaseURL returns the endpoint's public base URL for the discovery
	// document; by default it is built from the request's Host and Prefix.
	BaseURL func(r *http.Request) string
	Now     func() time.Time
	// Changeset is when the service list last changed (the discovery
	// document's changeset); by default the time New was called.
	Changeset time.Time
}

// server answers the Open311 resources.
type server struct {
	logger       *slog.Logger
	city         func() *civicgrid.City
	cases        *civicgrid.CaseService
	keys         *civicgrid.APIKeyService
	jurisdiction string
	baseURL      func(r *http.Request) string
	now          func() time.Time
	changeset    time.Time
}

// New returns the GeoReport v2 handler. It serves paths with or without
// Prefix, so it works both mounted at Prefix+"/" and on its own.
func New(cfg Config) http.Handler {
	s := &server{
		logger: cfg.Logger, city: cfg.City, cases: cfg.Cases, keys: cfg.Keys,
		jurisdiction: strings.TrimSpace(cfg.Jurisdiction), baseURL: cfg.BaseURL, now: cfg.Now, changeset: cfg.Changeset,
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.baseURL == nil {
		s.baseURL = defaultBaseURL
	}
	if s.changeset.IsZero() {
		s.changeset = s.now()
	}
	return stripPrefix(s.routes())
}

// routes returns every resource, in both formats.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, ext := range []string{".xml", ".json"} {
		mux.Handle("GET /discovery"+ext, s.serve(s.handleDiscovery))
		mux.Handle("GET /services"+ext, s.serve(s.handleServiceList))
		mux.Handle("POST /requests"+ext, s.serve(s.handleRequestCreate))
		mux.Handle("GET /requests"+ext, s.serve(s.handleRequestList))
		mux.Handle("GET /servicerequestupdates"+ext, s.serve(s.handleUpdateList))
		mux.Handle("POST /servicerequestupdates"+ext, s.serve(s.handleUpdateCreate))
	}
	// The last segment of these is "{id}.{format}".
	mux.Handle("GET /services/{file}", s.serve(s.handleServiceDefinition))
	mux.Handle("GET /requests/{file}", s.serve(s.handleRequestShow))
	mux.Handle("GET /tokens/{file}", s.serve(s.handleToken))
	mux.Handle("GET /update_tokens/{file}", s.serve(s.handleToken))
	// The base URL itself, with or without its trailing slash, shows the
	// discovery document in the mandatory format.
	mux.Handle("GET /{$}", s.serve(s.handleDiscovery))
	mux.Handle("/", s.serve(s.handleFallback(mux)))
	return mux
}

// stripPrefix removes Prefix from the request path when it is there; the
// bare prefix becomes "/".
func stripPrefix(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
		if !ok || (rest != "" && rest[0] != '/') {
			h.ServeHTTP(w, r)
			return
		}
		if rest == "" {
			rest = "/"
		}
		r2 := new(http.Request)
		*r2 = *r
		r2.URL = new(url.URL)
		*r2.URL = *r.URL
		r2.URL.Path, r2.URL.RawPath = rest, ""
		h.ServeHTTP(w, r2)
	})
}

// defaultBaseURL is the endpoint's URL as the client reached it, with the
// trailing slash FixMyStreet needs.
func defaultBaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + Prefix + "/"
}

// handlerFunc is a handler that returns its failure instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request, f format) error

// serve adapts h to http.Handler: it reads the form (within the body
// limits), checks jurisdiction_id and writes every error h returns in the
// format the path asks for.
func (s *server) serve(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := formatOf(r.URL.Path)
		err := parseForm(w, r)
		if err == nil {
			err = s.checkJurisdiction(r)
		}
		if err == nil {
			err = h(w, r, f)
		}
		if err != nil {
			s.writeError(w, r, f, err)
		}
	})
}

// checkJurisdiction refuses a jurisdiction_id other than ours.
func (s *server) checkJurisdiction(r *http.Request) error {
	j := param(r, "jurisdiction_id")
	if s.jurisdiction == "" || j == "" || strings.EqualFold(j, s.jurisdiction) {
		return nil
	}
	return civicgrid.Errorf(civicgrid.NotFound, "unknown jurisdiction_id %q; this endpoint serves %s", j, s.jurisdiction)
}
