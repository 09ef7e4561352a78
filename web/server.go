// Package web serves civicgrid over HTTP: the JSON API under /api/v1, the
// Open311 GeoReport v2 mount under /open311/v2/ (and, later, the
// server-rendered pages). It depends only on the domain's services and
// ports, which NewServer takes in a Config.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"civicgrid"
)

// Config holds the server's dependencies. Logger, Now, Ready, APIKeys and
// Open311 may be nil; a zero RateLimit limits nothing.
type Config struct {
	Logger  *slog.Logger
	Store   civicgrid.Store
	City    *civicgrid.CityHolder
	Cases   *civicgrid.CaseService
	Users   *civicgrid.UserService
	Photos  *civicgrid.PhotoService
	Blobs   civicgrid.BlobStore // read side of the photos
	APIKeys *civicgrid.APIKeyService
	// Open311 serves GeoReport v2; when set it is mounted at /open311/v2/
	// (it sees the whole path) behind the per-address and per-key rate
	// limits and the Idempotency-Key handling.
	Open311 http.Handler
	Now     func() time.Time
	// Ready reports whether the server may take traffic; nil means always.
	Ready func() bool
	// TokenTTL is how long a token lookup is cached; 0 looks every token up
	// on every request, so a revoked token stops working at once.
	TokenTTL time.Duration
	// RateLimit sets the in-memory, per-process rate limits.
	RateLimit RateLimit

	// Sessions signs browsers in to the pages; nil makes one over Store
	// and Users with the default lifetime.
	Sessions *civicgrid.SessionService
	// Stats answers the statistics API; nil makes one over Store and City
	// with the default metric definitions.
	Stats *civicgrid.StatsService
	// Hotspots answers the hotspot API and page; nil makes one over Stats.
	Hotspots *civicgrid.HotspotService
	// Evaluations answers the league tables; nil makes one over Stats
	// with the default scheme.
	Evaluations *civicgrid.EvaluationService
	// MapTiles is the URL template of the city's own basemap tiles
	// (https://tiles.example/{z}/{x}/{y}.png), drawn under the grid on
	// the map; "" fetches no tiles. It must pass CheckTileURL.
	MapTiles string
	// Reference changes the city's reference data from the admin pages;
	// nil makes one over Store and City.
	Reference *civicgrid.ReferenceService
	// MaxGridUpload is the largest GeoJSON file the grid import page takes;
	// 0 means 64 MiB.
	MaxGridUpload int64
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
	apiKeys *civicgrid.APIKeyService
	open311 http.Handler
	now     func() time.Time
	ready   func() bool
	tokens  *tokenCache
	// sameOrigin is the cross-origin (CSRF) check of the pages' forms and
	// of API calls made with a session cookie.
	sameOrigin *http.CrossOriginProtection
	// The rate limiters; nil ones limit nothing.
	perKey, perAddress, failedLogins *limiter
	handler                          http.Handler

	// The pages: sessions, templates parsed at startup, static files.
	sessions *civicgrid.SessionService
	stats    *civicgrid.StatsService
	hotspots *civicgrid.HotspotService
	evals    *civicgrid.EvaluationService
	views    *civicgrid.SavedViewService // the case list's saved views
	maps     *civicgrid.MapService
	tiles    string // the basemap's URL template, or ""
	pages    map[string]*template.Template
	assets   *assets

	// The admin pages: reference data and the background grid imports.
	ref           *civicgrid.ReferenceService
	gridImports   *gridImports
	maxGridUpload int64

	// components keeps the component register (部件台账).
	components *civicgrid.ComponentService
	// keyAdmin manages API keys on the admin pages: apiKeys, or one of
	// its own on a server that does not take keys (they are data in the
	// store all the same).
	keyAdmin *civicgrid.APIKeyService
}

// NewServer returns a server over the dependencies in cfg. It panics when
// an embedded template is missing or does not parse: the binary is broken.
func NewServer(cfg Config) *Server {
	s := &Server{
		logger: cfg.Logger, store: cfg.Store, city: cfg.City, cases: cfg.Cases, users: cfg.Users, photos: cfg.Photos, blobs: cfg.Blobs,
		apiKeys: cfg.APIKeys, open311: cfg.Open311, now: cfg.Now, ready: cfg.Ready, tokens: newTokenCache(cfg.TokenTTL),
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
	if s.sessions = cfg.Sessions; s.sessions == nil {
		s.sessions = civicgrid.NewSessionService(cfg.Store, cfg.Users, s.now, 0)
	}
	if s.stats = cfg.Stats; s.stats == nil && cfg.City != nil {
		s.stats = civicgrid.NewStatsService(cfg.Store, cfg.City.City, civicgrid.DefaultStatsConfig())
	}
	if s.hotspots = cfg.Hotspots; s.hotspots == nil && s.stats != nil {
		s.hotspots = civicgrid.NewHotspotService(s.stats)
	}
	if s.evals = cfg.Evaluations; s.evals == nil && s.stats != nil {
		s.evals = civicgrid.NewEvaluationService(cfg.Store, s.stats, cfg.City.City, civicgrid.DefaultEvaluationConfig(), s.now)
	}
	s.views = civicgrid.NewSavedViewService(cfg.Store, s.now)
	if cfg.City != nil {
		s.maps = civicgrid.NewMapService(cfg.Store, cfg.City.City, s.stats, s.now)
		s.components = civicgrid.NewComponentService(cfg.Store, cfg.City.City)
	}
	if s.keyAdmin = s.apiKeys; s.keyAdmin == nil {
		s.keyAdmin = civicgrid.NewAPIKeyService(s.store, s.now)
	}
	if err := CheckTileURL(cfg.MapTiles); err != nil {
		panic(err)
	}
	s.tiles = cfg.MapTiles
	var err error
	if s.assets, err = loadAssets(); err != nil {
		panic(err)
	}
	if s.pages, err = parsePages(s.templateFuncs()); err != nil {
		panic(err)
	}
	s.sameOrigin = http.NewCrossOriginProtection()
	s.perKey = newLimiter(cfg.RateLimit.PerKey, s.now)
	s.perAddress = newLimiter(cfg.RateLimit.PerAddress, s.now)
	s.failedLogins = newLimiter(cfg.RateLimit.FailedLogins, s.now)
	if s.ref = cfg.Reference; s.ref == nil {
		s.ref = civicgrid.NewReferenceService(cfg.Store, cfg.City, s.now)
	}
	s.gridImports = newGridImports()
	if s.maxGridUpload = cfg.MaxGridUpload; s.maxGridUpload <= 0 {
		s.maxGridUpload = defaultMaxGridUpload
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
