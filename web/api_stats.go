package web

import (
	"net/http"
	"strings"

	"civicgrid"
)

// handleStats answers GET /api/v1/stats?group_by=unit&from=2026-01-01&to=2026-02-01[&metrics=a,b]
// from the aggregates: one row per value of the dimension, with its
// counts and rates over the days from from up to to (exclusive).
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := civicgrid.StatsQuery{GroupBy: civicgrid.StatDim(v.Get("group_by"))}
	if q.GroupBy == "" {
		q.GroupBy = civicgrid.DimCity
	}
	fe := civicgrid.FieldErrors{}
	for _, p := range []struct {
		name string
		dst  *civicgrid.Date
	}{{"from", &q.From}, {"to", &q.To}} {
		if err := p.dst.UnmarshalText([]byte(v.Get(p.name))); err != nil {
			fe.Add(p.name, "a date written like 2026-01-01")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	for _, m := range v["metrics"] {
		for _, code := range strings.Split(m, ",") {
			if code = strings.TrimSpace(code); code != "" {
				q.Metrics = append(q.Metrics, code)
			}
		}
	}
	res, err := s.stats.Query(r.Context(), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}

// handleMetrics lists the metric definitions in use.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	metrics, version := s.stats.Metrics()
	return encode(w, http.StatusOK, struct {
		Metrics            []*civicgrid.Metric `json:"metrics"`
		DefinitionsVersion int                 `json:"definitions_version"`
	}{metrics, version})
}
