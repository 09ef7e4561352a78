package web

import "net/http"

func (s *Server) handleWorkflowShow(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, s.city.City().Workflow)
}
