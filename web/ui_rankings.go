package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"civicgrid"
	"civicgrid/report"
)

// trendMonths is how many months the rankings page's sparklines cover.
const trendMonths = 6

// rankingsPage is the league tables (考评排名) of one kind and month.
type rankingsPage struct {
	page
	Kind, Month string
	Kinds       []option
	Months      []option
	League      *civicgrid.League
	Items       []rankItem
	Groups      []rankGroup
	Note        string
	Unavailable []string
	Corrections []rankCorrection
	TrendFrom   string
	PublishedAt string
	Colspan     int
	CanPublish  bool
	// Closing shows the closing time (结案用时) beside the score, for
	// information only: the unit leagues, when the viewer may see it.
	Closing bool
	closing map[string]*civicgrid.DurationStat // by row key
	// The correction form of a published table: its rows and fields.
	RowOptions, FieldOptions []option
	Value, Reason            string
}

// rankItem is a column of the table: a score item.
type rankItem struct {
	Code, Name, Weight string
	Lower, Volume      bool
}

// rankGroup is one league table.
type rankGroup struct {
	Name string
	Rows []rankRow
}

// rankRow is one ranked row with its sub-scores and the rates behind them.
type rankRow struct {
	Rank, Name, Key, Score string
	Cells                  []rankCell
	Closing, ClosedN       string // the median closing time and the cases it is of; "" without
	Spark                  string // polyline points of the score trend, or ""
	SparkLabel             string
	Corrected              bool
}

// rankCell is one item of a row: its sub-score and the rate or count it
// came from.
type rankCell struct{ Sub, Basis string }

// rankCorrection is one line of the corrections log.
type rankCorrection struct {
	At, By, Row, Field, Old, New, Reason string
	Revision                             int
}

func (s *Server) handleRankingsPage(w http.ResponseWriter, r *http.Request) error {
	m, err := s.rankingsModel(r, s.evaluationQuery(r))
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("done") {
	case "published":
		m.Notice = m.Tf("rankings.notice.published", m.Month)
	case "corrected":
		m.Notice = m.Tf("rankings.notice.corrected", m.League.Revision)
	}
	return s.render(w, http.StatusOK, "rankings", m)
}

// rankingsModel builds the page of q's league table.
func (s *Server) rankingsModel(r *http.Request, q civicgrid.EvaluationQuery) (*rankingsPage, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	m := &rankingsPage{page: s.newPage(r, "rankings.title", "rankings"), Kind: string(q.Kind), Month: q.Month}
	m.CanPublish = u.Role == civicgrid.RoleAdmin || (u.Role == civicgrid.RoleLeader && u.AreaCode == "")
	for _, k := range civicgrid.EvalKinds {
		m.Kinds = append(m.Kinds, option{Value: string(k), Label: m.Text(k.Name()), Selected: k == q.Kind})
	}
	current := s.evals.CurrentMonth()
	for i := range 13 {
		mo := civicgrid.AddMonths(current, -i)
		m.Months = append(m.Months, option{Value: mo, Label: mo, Selected: mo == q.Month})
	}
	l, err := s.evals.League(r.Context(), q)
	if err != nil {
		return nil, err
	}
	t, err := s.evals.Trend(r.Context(), q, trendMonths)
	if err != nil {
		return nil, err
	}
	m.League, m.TrendFrom = l, t.Months[0]
	if l.Kind == civicgrid.EvalUnit {
		if m.closing, err = s.unitClosing(r.Context(), l); err != nil {
			return nil, err
		}
		m.Closing = m.closing != nil
	}
	m.fill(l, t)
	return m, nil
}

// unitClosing returns the closing time (结案用时) of each unit over the
// league's month from the statistics (StatsService.Durations, as GET
// /api/v1/stats/durations?group_by=unit), by unit id; nil when the
// viewer may not see the units' durations. It is live even for a
// published month and plays no part in the score.
func (s *Server) unitClosing(ctx context.Context, l *civicgrid.League) (map[string]*civicgrid.DurationStat, error) {
	res, err := s.stats.Durations(ctx, civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: l.From, To: l.To, Metrics: []string{"closing_time"}})
	if civicgrid.ErrorCodeOf(err) == civicgrid.Forbidden {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]*civicgrid.DurationStat{}
	for _, r := range res.Rows {
		out[r.Key] = r.Durations["closing_time"]
	}
	return out, nil
}

// fill turns the league and its trend into the page's rows.
func (m *rankingsPage) fill(l *civicgrid.League, t *civicgrid.Trend) {
	m.Note = m.Text(l.Config.Note)
	m.Colspan = len(l.Config.Items) + 4
	if m.Closing {
		m.Colspan++
	}
	if l.PublishedAt != nil {
		m.PublishedAt = m.Time(*l.PublishedAt)
	}
	for _, it := range l.Config.Items {
		name := it.Metric
		if mm := civicgrid.MetricByCode(it.Metric); mm != nil {
			name = m.Text(mm.Name)
		}
		m.Items = append(m.Items, rankItem{Code: it.Metric, Name: name, Weight: percent(it.Weight),
			Lower: it.LowerIsBetter, Volume: len(it.Tiers) > 0})
		for _, u := range l.Unavailable {
			if u == it.Metric {
				m.Unavailable = append(m.Unavailable, name)
			}
		}
	}
	trend := map[string]*civicgrid.TrendRow{}
	for _, tr := range t.Rows {
		trend[tr.Key] = tr
	}
	for _, g := range l.Groups {
		if len(g.Rows) == 0 && len(l.Groups) > 1 {
			continue // a configured group with nobody in it this month
		}
		rg := rankGroup{Name: m.Text(g.Name)}
		for _, r := range g.Rows {
			row := rankRow{Rank: "—", Name: m.Text(r.Name), Key: r.Key, Score: score(r.Score), Corrected: r.Corrected}
			if row.Name == "" {
				row.Name = r.Key
			}
			if r.Rank > 0 {
				row.Rank = strconv.Itoa(r.Rank)
			}
			for _, it := range l.Config.Items {
				c := rankCell{Sub: score(r.SubScores[it.Metric])}
				switch {
				case len(it.Tiers) > 0 && it.PerCell && r.Cells > 0:
					c.Basis = m.Tf("rankings.per_cell", r.Counts[it.Metric], r.Cells)
				case len(it.Tiers) > 0:
					c.Basis = strconv.FormatInt(r.Counts[it.Metric], 10)
				case r.Rates[it.Metric] != nil:
					c.Basis = fmt.Sprintf("%.1f%%", *r.Rates[it.Metric]*100)
				}
				row.Cells = append(row.Cells, c)
			}
			if m.Closing {
				row.Closing = "—"
				if st := m.closing[r.Key]; st != nil && st.MedianSeconds != nil {
					row.Closing, row.ClosedN = m.Text(report.DurationText(*st.MedianSeconds)), strconv.FormatInt(st.N, 10)
				}
			}
			if tr := trend[r.Key]; tr != nil {
				row.Spark, row.SparkLabel = sparkline(tr.Scores), sparkLabel(t.Months, tr.Scores)
			}
			rg.Rows = append(rg.Rows, row)
		}
		m.Groups = append(m.Groups, rg)
	}
	if l.Status == civicgrid.LeaguePublished && m.CanPublish {
		m.correctionOptions(l)
	}
	for _, c := range l.Corrections {
		old := "—"
		if c.Old != nil {
			old = strconv.FormatFloat(*c.Old, 'f', -1, 64)
		}
		rowName := c.RowKey
		if r := l.Row(c.RowKey); r != nil && m.Text(r.Name) != "" {
			rowName = m.Text(r.Name)
		}
		m.Corrections = append(m.Corrections, rankCorrection{At: m.Time(c.At), By: c.ByName, Row: rowName, Field: c.Field,
			Old: old, New: strconv.FormatFloat(c.New, 'f', -1, 64), Reason: c.Reason, Revision: c.Revision})
	}
}

// percent formats a weight as a percentage: 0.25 → "25%".
func percent(w float64) string {
	return strconv.FormatFloat(math.Round(w*1000)/10, 'f', -1, 64) + "%"
}

// score formats a score to one decimal, "—" when there is none.
func score(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// The sparkline's box, in SVG user units.
const sparkW, sparkH = 80, 20

// sparkline returns the polyline points of scores (0–100) across the
// box, skipping months without a score; "" with fewer than two.
func sparkline(scores []*float64) string {
	var pts []string
	n := len(scores)
	for i, v := range scores {
		if v == nil {
			continue
		}
		x := 0.0
		if n > 1 {
			x = float64(i) * sparkW / float64(n-1)
		}
		y := sparkH - *v/100*(sparkH-2) - 1
		pts = append(pts, strconv.FormatFloat(x, 'f', 1, 64)+","+strconv.FormatFloat(y, 'f', 1, 64))
	}
	if len(pts) < 2 {
		return ""
	}
	return strings.Join(pts, " ")
}

// sparkLabel reads the trend out for screen readers: "2026-01 80.0, …".
func sparkLabel(months []string, scores []*float64) string {
	parts := make([]string, len(scores))
	for i, v := range scores {
		parts[i] = months[i] + " " + score(v)
	}
	return strings.Join(parts, ", ")
}

// handleRankingsPublish publishes the month of the form and goes back to
// its table.
func (s *Server) handleRankingsPublish(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	month, kind := r.PostFormValue("month"), r.PostFormValue("kind")
	if _, err := s.evals.Publish(r.Context(), month); err != nil {
		return err
	}
	v := url.Values{"kind": {kind}, "month": {month}, "done": {"published"}}
	http.Redirect(w, r, "/rankings?"+v.Encode(), http.StatusSeeOther)
	return nil
}

// correctionOptions lists the rows and fields a correction may change.
func (m *rankingsPage) correctionOptions(l *civicgrid.League) {
	seen := map[string]bool{}
	m.FieldOptions = []option{{Value: "score", Label: m.T("rankings.score")}}
	for _, g := range l.Groups {
		for _, r := range g.Rows {
			name := m.Text(r.Name)
			if name == "" {
				name = r.Key
			}
			m.RowOptions = append(m.RowOptions, option{Value: r.Key, Label: name + " (" + m.Text(g.Name) + ")"})
			for _, prefix := range []string{"counts.", "rates."} {
				var codes []string
				if prefix == "counts." {
					for c := range r.Counts {
						codes = append(codes, c)
					}
				} else {
					for c := range r.Rates {
						codes = append(codes, c)
					}
				}
				slices.Sort(codes)
				for _, c := range codes {
					if seen[prefix+c] {
						continue
					}
					seen[prefix+c] = true
					label := c
					if mm := civicgrid.MetricByCode(c); mm != nil {
						label = m.Text(mm.Name)
					}
					m.FieldOptions = append(m.FieldOptions, option{Value: prefix + c, Label: label})
				}
			}
		}
	}
}

// handleRankingsCorrect records a correction from the page's form and
// goes back to the table, now at its next revision.
func (s *Server) handleRankingsCorrect(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	in := civicgrid.CorrectionInput{Kind: civicgrid.EvalKind(r.PostFormValue("kind")), Month: r.PostFormValue("month"),
		RowKey: r.PostFormValue("row_key"), Field: r.PostFormValue("field"), Reason: r.PostFormValue("reason")}
	value, perr := strconv.ParseFloat(strings.TrimSpace(r.PostFormValue("value")), 64)
	var err error
	if perr != nil {
		err = civicgrid.FieldError("value", "a number")
	} else {
		in.Value = value
		_, err = s.evals.Correct(r.Context(), in)
	}
	if err != nil {
		m, merr := s.rankingsModel(r, civicgrid.EvaluationQuery{Kind: in.Kind, Month: in.Month})
		if merr != nil {
			return err
		}
		m.Value, m.Reason = r.PostFormValue("value"), in.Reason
		for i := range m.RowOptions {
			m.RowOptions[i].Selected = m.RowOptions[i].Value == in.RowKey
		}
		for i := range m.FieldOptions {
			m.FieldOptions[i].Selected = m.FieldOptions[i].Value == in.Field
		}
		return &refusedForm{err: err, name: "rankings", model: m}
	}
	v := url.Values{"kind": {string(in.Kind)}, "month": {in.Month}, "done": {"corrected"}}
	http.Redirect(w, r, "/rankings?"+v.Encode(), http.StatusSeeOther)
	return nil
}
