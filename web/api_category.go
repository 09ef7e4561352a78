package web

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"civicgrid"
)

func (s *Server) handleCategoryList(w http.ResponseWriter, r *http.Request) error {
	return encode(w, http.StatusOK, sortedByCode(s.city.City().Categories, func(c *civicgrid.Category) string { return c.Code }))
}

// sortedByCode returns the values of m sorted by their code; never nil, so
// that an empty list is [] in JSON, not null.
func sortedByCode[K comparable, V any](m map[K]V, code func(V) string) []V {
	out := slices.AppendSeq(make([]V, 0, len(m)), maps.Values(m))
	slices.SortFunc(out, func(a, b V) int { return strings.Compare(code(a), code(b)) })
	return out
}
