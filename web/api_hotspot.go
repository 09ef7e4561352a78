package web

import (
	"net/http"
	"net/url"

	"civicgrid"
)

// hotspotDays is the period the hotspot tables count when none is given:
// the 30 days up to today.
const hotspotDays = 30

// handleHotspots answers GET /api/v1/hotspots?kind=top|recurring|emerging
// &level=cell|community|street&category=&from=&to=&date=&limit= from the
// aggregates (HotspotService). from and to (exclusive) default to the
// last 30 days (from to the 30 days before to, when only to is given),
// date (the last day of the week an emerging hotspot is tested in) to
// today.
func (s *Server) handleHotspots(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q, err := parseHotspotQuery(v, s.hotspotToday())
	if err != nil {
		return err
	}
	ctx := r.Context()
	var res *civicgrid.HotspotResult
	switch kind := civicgrid.HotspotKind(v.Get("kind")); kind {
	case civicgrid.HotspotTop, "":
		res, err = s.hotspots.Top(ctx, q)
	case civicgrid.HotspotRecurring:
		res, err = s.hotspots.Recurring(ctx, q)
	case civicgrid.HotspotEmerging:
		res, err = s.hotspots.Emerging(ctx, q)
	default:
		return civicgrid.FieldError("kind", "one of top, recurring, emerging")
	}
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}

// parseHotspotQuery reads the hotspot parameters the API and the page
// share, with today's defaults.
func parseHotspotQuery(v url.Values, today civicgrid.Date) (civicgrid.HotspotQuery, error) {
	q := civicgrid.HotspotQuery{Level: civicgrid.StatDim(v.Get("level")), Category: v.Get("category"),
		From: today.AddDays(1 - hotspotDays), To: today.AddDays(1), Date: today}
	fe := civicgrid.FieldErrors{}
	for _, p := range []struct {
		name string
		dst  *civicgrid.Date
	}{{"from", &q.From}, {"to", &q.To}, {"date", &q.Date}} {
		if s := v.Get(p.name); s != "" {
			if err := p.dst.UnmarshalText([]byte(s)); err != nil {
				fe.Add(p.name, "a date written like 2026-01-01")
			}
		}
	}
	if v.Get("from") == "" && v.Get("to") != "" {
		q.From = q.To.AddDays(-hotspotDays) // the 30 days before to
	}
	q.Limit = parseLimit(v, 0, 500, fe)
	return q, fe.Err()
}

// hotspotToday is the city's today for the hotspot defaults.
func (s *Server) hotspotToday() civicgrid.Date {
	return civicgrid.DateOf(s.now().In(s.city.City().Location()))
}
