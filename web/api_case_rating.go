package web

import (
	"net/http"

	"civicgrid"
)

// handleCaseRate records a reporter's rating of the result of a closed
// case (满意度评价).
func (s *Server) handleCaseRate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	in, err := decode[civicgrid.RatingInput](w, r)
	if err != nil {
		return err
	}
	ev, err := s.cases.Rate(r.Context(), id, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, localEvent(ev, s.city.City().Location()))
}
