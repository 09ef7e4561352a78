package web

import (
	"net/http"
	"strings"

	"civicgrid"
)

// handleStats answers GET /api/v1/stats?group_by=unit&from=2026-01-01&to=2026-02-01[&metrics=a,b]
// from the aggregates: one row per value of the dimension, with its
// counts and rates over the days from from up to to (exclusive).
// group_by=cell,category groups by two dimensions (a two-level grouping
// the aggregates keep), each row's key being "cell|category".
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	q, err := parseStatsQuery(r)
	if err != nil {
		return err
	}
	res, err := s.stats.Query(r.Context(), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}

// handleStatsDurations answers GET /api/v1/stats/durations, with the
// parameters of /api/v1/stats: per group, the number of cases and the
// median, 90th percentile and mean of each duration metric (结案用时).
func (s *Server) handleStatsDurations(w http.ResponseWriter, r *http.Request) error {
	q, err := parseStatsQuery(r)
	if err != nil {
		return err
	}
	res, err := s.stats.Durations(r.Context(), q)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}

// handleStatsSeries answers GET /api/v1/stats/series?interval=day|week|month,
// with the parameters of /api/v1/stats: the same table once per period.
func (s *Server) handleStatsSeries(w http.ResponseWriter, r *http.Request) error {
	q, err := parseStatsQuery(r)
	if err != nil {
		return err
	}
	res, err := s.stats.Series(r.Context(), q, civicgrid.Interval(r.URL.Query().Get("interval")))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, res)
}

// parseStatsQuery reads the query parameters of the statistics routes.
func parseStatsQuery(r *http.Request) (civicgrid.StatsQuery, error) {
	v := r.URL.Query()
	q := civicgrid.StatsQuery{GroupBy: parseGroupBy(v.Get("group_by"))}
	fe := civicgrid.FieldErrors{}
	for _, p := range []struct {
		name string
		dst  *civicgrid.Date
	}{{"from", &q.From}, {"to", &q.To}} {
		if err := p.dst.UnmarshalText([]byte(v.Get(p.name))); err != nil {
			fe.Add(p.name, "a date written like 2026-01-01")
		}
	}
	for _, m := range v["metrics"] {
		for _, code := range strings.Split(m, ",") {
			if code = strings.TrimSpace(code); code != "" {
				q.Metrics = append(q.Metrics, code)
			}
		}
	}
	return q, fe.Err()
}

// handleMetrics lists the metric definitions in use.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	metrics, version := s.stats.Metrics()
	return encode(w, http.StatusOK, struct {
		Metrics            []*civicgrid.Metric         `json:"metrics"`
		Durations          []*civicgrid.DurationMetric `json:"durations"`
		DefinitionsVersion int                         `json:"definitions_version"`
	}{metrics, civicgrid.DurationMetrics(), version})
}

// parseGroupBy reads group_by: a dimension (city when empty), or two
// separated by a comma, which must be a two-level grouping the aggregates
// keep (cell,category); anything else is left for the service to refuse.
func parseGroupBy(v string) civicgrid.StatDim {
	if v == "" {
		return civicgrid.DimCity
	}
	first, second, ok := strings.Cut(v, ",")
	if !ok {
		return civicgrid.StatDim(v)
	}
	if d, ok := civicgrid.PairDim(civicgrid.StatDim(strings.TrimSpace(first)), civicgrid.StatDim(strings.TrimSpace(second))); ok {
		return d
	}
	return civicgrid.StatDim(v)
}
