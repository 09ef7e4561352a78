package web

import (
	"net/http"
	"slices"
	"strings"

	"civicgrid"
)

func (s *Server) handleCategoryList(w http.ResponseWriter, r *http.Request) error {
	city := s.city.City()
	out := make([]*civicgrid.Category, 0, len(city.Categories))
	for _, c := range city.Categories {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *civicgrid.Category) int { return strings.Compare(a.Code, b.Code) })
	return encode(w, http.StatusOK, out)
}
