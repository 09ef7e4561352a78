package web

import (
	"net/http"

	"civicgrid"
)

func (s *Server) handleUnitList(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, sortedByCode(s.city.City().Units, func(u *civicgrid.Unit) string { return u.Code }))
}
