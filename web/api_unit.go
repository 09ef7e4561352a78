package web

import (
	"net/http"
	"slices"
	"strings"

	"civicgrid"
)

func (s *Server) handleUnitList(w http.ResponseWriter, r *http.Request) error {
	city := s.city.City()
	out := make([]*civicgrid.Unit, 0, len(city.Units))
	for _, u := range city.Units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *civicgrid.Unit) int { return strings.Compare(a.Code, b.Code) })
	return encode(w, http.StatusOK, out)
}
