package web

import (
	"net/http"
	"strconv"

	"civicgrid"
)

// evaluationQuery reads kind, month (default: last month) and live from
// the query string.
func (s *Server) evaluationQuery(r *http.Request) civicgrid.EvaluationQuery {
	v := r.URL.Query()
	q := civicgrid.EvaluationQuery{Kind: civicgrid.EvalKind(v.Get("kind")), Month: v.Get("month"), Live: v.Get("live") == "true"}
	if q.Kind == "" {
		q.Kind = civicgrid.EvalUnit
	}
	if q.Month == "" {
		q.Month = civicgrid.AddMonths(s.evals.CurrentMonth(), -1)
	}
	return q
}

// handleEvaluation answers GET /api/v1/evaluations?kind=unit&month=2026-03[&live=true]:
// the league table, published (frozen, with its corrections) when the
// month was published, else live from the statistics; status says which.
func (s *Server) handleEvaluation(w http.ResponseWriter, r *http.Request) error {
	l, err := s.evals.League(r.Context(), s.evaluationQuery(r))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, l)
}

// handleEvaluationTrend answers GET /api/v1/evaluations/trend?kind=&month=&months=6:
// each row's score over the months ending with month.
func (s *Server) handleEvaluationTrend(w http.ResponseWriter, r *http.Request) error {
	n := 6
	if v := r.URL.Query().Get("months"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return civicgrid.FieldError("months", "a whole number of months")
		}
	}
	t, err := s.evals.Trend(r.Context(), s.evaluationQuery(r), n)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, t)
}

// publishInput is the body of POST /api/v1/evaluations/publish.
type publishInput struct {
	Month string `json:"month"`
}

// handleEvaluationPublish freezes a month's league tables of every kind.
func (s *Server) handleEvaluationPublish(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[publishInput](w, r)
	if err != nil {
		return err
	}
	ls, err := s.evals.Publish(r.Context(), in.Month)
	if err != nil {
		return err
	}
	type published struct {
		Kind     civicgrid.EvalKind `json:"kind"`
		Revision int                `json:"revision"`
		Rows     int                `json:"rows"`
	}
	out := struct {
		Month     string      `json:"month"`
		Published []published `json:"published"`
	}{Month: in.Month, Published: []published{}}
	for _, l := range ls {
		n := 0
		for _, g := range l.Groups {
			n += len(g.Rows)
		}
		out.Published = append(out.Published, published{l.Kind, l.Revision, n})
	}
	return encode(w, http.StatusCreated, out)
}

// handleEvaluationCorrect records a correction of a published table and
// answers the new revision.
func (s *Server) handleEvaluationCorrect(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[civicgrid.CorrectionInput](w, r)
	if err != nil {
		return err
	}
	l, err := s.evals.Correct(r.Context(), in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, l)
}
