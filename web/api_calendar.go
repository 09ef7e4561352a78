package web

import (
	"net/http"

	"civicgrid"
)

// calendarJSON is the working calendar as the API shows it.
type calendarJSON struct {
	Location          string                  `json:"location"`
	UTCOffset         string                  `json:"utc_offset"` // now, e.g. +08:00
	MinutesPerWorkday int                     `json:"minutes_per_workday"`
	Periods           []civicgrid.WorkPeriod  `json:"periods"`
	Overrides         []civicgrid.DayOverride `json:"overrides"`
}

func (s *Server) handleCalendarShow(w http.ResponseWriter, r *http.Request) error {
	cal := s.city.City().Calendar
	out := calendarJSON{
		Location:          cal.Location().String(),
		UTCOffset:         s.now().In(cal.Location()).Format("-07:00"),
		MinutesPerWorkday: cal.MinutesPerWorkday(),
		Periods:           cal.Periods(),
		Overrides:         cal.Overrides(),
	}
	if out.Overrides == nil {
		out.Overrides = []civicgrid.DayOverride{}
	}
	return encode(w, http.StatusOK, out)
}
