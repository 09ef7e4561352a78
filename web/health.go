package web

import (
	"net/http"

	"civicgrid"
)

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	if !s.ready() {
		return civicgrid.Errorf(civicgrid.Unavailable, "starting up")
	}
	w.Header().Set("Cache-Control", "no-store")
	return encode(w, http.StatusOK, map[string]string{"status": "ok"})
}
