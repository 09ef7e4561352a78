package web

import (
	"net/http"
	"strings"

	"civicgrid"
)

// metricsPage documents every metric (统计口径): names, formula, which
// events count, and the exclusions in force.
type metricsPage struct {
	page
	Version      int
	Counts       []metricRow
	Rates        []metricRow
	Evaluations  []evalKindRow
	EvalVersion  int
	ExcludeCount int
}

// metricRow is one metric definition as the page shows it.
type metricRow struct {
	Code, Name, Other, Formula, Doc, Less string
	Counts                                string
}

// evalKindRow is one kind's scoring scheme.
type evalKindRow struct {
	Name, Items, Groups string
}

func (s *Server) handleMetricsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	m := &metricsPage{page: s.newPage(r, "metrics.title", "metrics")}
	if !m.Staff() {
		return civicgrid.Errorf(civicgrid.Forbidden, "the metric definitions are for staff")
	}
	metrics, version := s.stats.Metrics()
	m.Version = version
	other := "en"
	if m.Lang == "en" {
		other = "zh"
	}
	for _, mm := range metrics {
		row := metricRow{Code: mm.Code, Name: m.Text(mm.Name), Other: mm.Name.In(other), Formula: m.Text(mm.Formula), Doc: m.Text(mm.Doc)}
		if mm.Kind == civicgrid.MetricCount {
			m.Counts = append(m.Counts, row)
			continue
		}
		row.Counts = strings.Join(mm.Counts, " / ")
		var less []string
		for _, c := range mm.Less {
			if cm := civicgrid.MetricByCode(c); cm != nil {
				less = append(less, m.Text(cm.Name))
			}
		}
		if len(less) > 0 {
			row.Less = strings.Join(less, "、")
			m.ExcludeCount++
		}
		m.Rates = append(m.Rates, row)
	}
	cfg := s.evals.Config()
	m.EvalVersion = cfg.Version
	for _, k := range cfg.Kinds {
		var items, groups []string
		for _, it := range k.Items {
			name := it.Metric
			if mm := civicgrid.MetricByCode(it.Metric); mm != nil {
				name = m.Text(mm.Name)
			}
			if it.LowerIsBetter {
				name = m.Tf("metrics.eval.lower", name)
			}
			if len(it.Tiers) > 0 {
				name = m.Tf("metrics.eval.tiers", name)
			}
			items = append(items, m.Tf("metrics.eval.item", name, percent(it.Weight)))
		}
		for _, g := range k.Groups {
			groups = append(groups, m.Text(g.Name))
		}
		if k.ByParent {
			groups = append(groups, m.T("metrics.eval.by_parent"))
		}
		m.Evaluations = append(m.Evaluations, evalKindRow{Name: m.Text(k.Kind.Name()), Items: strings.Join(items, " + "), Groups: strings.Join(groups, "、")})
	}
	return s.render(w, http.StatusOK, "metrics", m)
}
