package web

import (
	"net/http"

	"civicgrid"
)

// handleHotspotConfig answers GET /api/v1/hotspots/config: the city's
// hotspot configuration (热点参数) in use, defaults filled in. The
// command centre's staff, leaders and admins may read it.
func (s *Server) handleHotspotConfig(w http.ResponseWriter, r *http.Request) error {
	cfg, err := s.hotspots.Config(r.Context())
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, cfg)
}

// handleHotspotConfigSet answers PUT /api/v1/hotspots/config: it replaces
// the configuration with the body (fields left out or 0 take the
// defaults) and answers the configuration now in use. Admins only; the
// hotspot tables use it from the next request on.
func (s *Server) handleHotspotConfigSet(w http.ResponseWriter, r *http.Request) error {
	// Refuse a non-admin before reading the body, so that they learn
	// nothing from its validation; SetConfig checks again.
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	cfg, err := decode[civicgrid.HotspotConfig](w, r)
	if err != nil {
		return err
	}
	if err := s.hotspots.SetConfig(r.Context(), cfg); err != nil {
		return err
	}
	if cfg, err = s.hotspots.Config(r.Context()); err != nil {
		return err
	}
	return encode(w, http.StatusOK, cfg)
}
