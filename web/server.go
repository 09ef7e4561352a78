// Package web serves civicgrid over HTTP: the JSON API under /api/v1 (and,
// later, the server-rendered pages). It depends only on the domain's
// services and ports, which NewServer takes in a Config.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"civicgrid"
)

// Config holds the server's dependencies. Logger, Now and Ready may be nil.
type Config struct {
	Logger *slog.Logger
	Store  civicgrid.Store
	City   *civicgrid.CityHolder
	Cases  *civicgrid.CaseService
	Users  *civicgrid.UserService
	Photos *civicgrid.PhotoService
	Blobs  civicgrid.BlobStore // read side of the photos
	Now    func() time.Time
	// Ready reports whether the server may take traffic; nil means always.
	Ready func() bool
	// TokenTTL is how long a token lookup is cached; 0 looks every token up
	// on every request, so a revoked token stops working at once.
	TokenTTL time.Duration
}

// Server is the HTTP server of civicgrid.
type Server struct {
	logger  *slog.Logger
	store   civicgrid.Store
	city    *civicgrid.CityHolder
	cases   *civicgrid.CaseService
	users   *civicgrid.UserService
	photos  *civicgrid.PhotoService
	blobs   civicgrid.BlobStore
	now     func() time.Time
	ready   func() bool
	tokens  *tokenCache
	handler http.Handler
}

// NewServer returns a server over the dependencies in cfg.
func NewServer(cfg Config) *Server {
	s := &Server{
		logger: cfg.Logger, store: cfg.Store, city: cfg.City, cases: cfg.Cases, users: cfg.Users, photos: cfg.Photos, blobs: cfg.Blobs,
		now: cfg.Now, ready: cfg.Ready, tokens: newTokenCache(cfg.TokenTTL),
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ready == nil {
		s.ready = func() bool { return true }
	}
	s.handler = s.routes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// handlerFunc is an HTTP handler that returns its failure instead of
// writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// serve adapts h to http.Handler: every error h returns is written by
// writeError, the one place errors become responses.
func (s *Server) serve(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
