package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"civicgrid"
	"civicgrid/report"
)

// reportsPage shows an analysis report (分析报告) in the page layout, with
// the form to pick its kind and date and the links to its downloads.
type reportsPage struct {
	page
	Kind, Date string
	Kinds      []option
	Body       template.HTML // the report, as report.BodyHTML writes it
	CSS        string        // the report's stylesheet
	XLSX, HTML string        // the downloads
	JSON       string        // the API's answer
}

// reportBuilder returns a builder over the server's services, with the
// league tables, the emerging hotspots and the repeat problems at
// components when the server has them.
func (s *Server) reportBuilder() *report.Builder {
	b := &report.Builder{Stats: s.stats, Cases: s.cases, City: s.city.City, Now: s.now}
	if s.evals != nil {
		b.Evaluations = report.EvaluationSection(s.evals)
	}
	if s.hotspots != nil {
		b.Hotspots = report.HotspotSection(s.hotspots)
		b.Components = report.ComponentSection(s.hotspots)
	}
	return b
}

// centreOnly returns the signed-in user of r, or Unauthorized, or
// Forbidden unless they work in the command centre or lead it.
func centreOnly(r *http.Request) (*civicgrid.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if !u.Role.Centre() {
		return nil, civicgrid.Errorf(civicgrid.Forbidden, "the analysis reports are the command centre's")
	}
	return u, nil
}

// reportParams reads the kind (monthly when absent) and the date (the
// default of the kind when absent) of a report request.
func (s *Server) reportParams(kindText, dateText string) (report.Kind, civicgrid.Date, error) {
	if kindText == "" {
		kindText = string(report.Monthly)
	}
	kind, err := report.ParseKind(kindText)
	if err != nil {
		return "", civicgrid.Date{}, err
	}
	if dateText == "" {
		city := s.city.City()
		return kind, report.DefaultDate(kind, civicgrid.DateOf(s.now().In(city.Location()))), nil
	}
	day, err := civicgrid.ParseDate(dateText)
	if err != nil {
		return "", civicgrid.Date{}, civicgrid.FieldError("date", "a date written like 2026-03-15")
	}
	return kind, day, nil
}

// handleReportsPage shows GET /reports?kind=monthly&date=2026-04-15.
func (s *Server) handleReportsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := centreOnly(r); err != nil {
		return err
	}
	q := r.URL.Query()
	m := &reportsPage{page: s.newPage(r, "reports.title", "reports"), Kind: q.Get("kind"), Date: q.Get("date"),
		CSS: "/reports/report.css?v=" + report.CSSVersion}
	kind, day, err := s.reportParams(m.Kind, m.Date)
	if err != nil {
		m.setProblem(err)
		m.Kinds = reportKinds(m.page, m.Kind)
		return s.render(w, http.StatusBadRequest, "reports", m)
	}
	m.Kind, m.Date = string(kind), day.String()
	m.Kinds = reportKinds(m.page, m.Kind)
	rep, err := s.reportBuilder().Build(r.Context(), kind, day)
	if err != nil {
		return err
	}
	date := url.Values{"date": {m.Date}}.Encode()
	m.XLSX, m.HTML, m.JSON = "/reports/"+m.Kind+".xlsx?"+date, "/reports/"+m.Kind+".html?"+date, "/api/v1/reports/"+m.Kind+"?"+date
	m.Body, err = report.BodyHTML(rep, report.HTMLOptions{Lang: m.Lang, CSV: func(id string) string {
		return "/reports/" + m.Kind + "/" + id + ".csv?" + date
	}})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "reports", m)
}

// reportKinds are the choices of the kind.
func reportKinds(p page, selected string) []option {
	out := make([]option, len(report.Kinds))
	for i, k := range report.Kinds {
		out[i] = option{Value: string(k), Label: p.T("reports.kind." + string(k)), Selected: string(k) == selected}
	}
	return out
}

// handleReportCSS serves the report's stylesheet (the page's policy
// forbids inline styles); its URL carries the version, so it is cached.
func (s *Server) handleReportCSS(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == report.CSSVersion {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write([]byte(report.CSS))
	return nil
}

// handleReportFile sends GET /reports/monthly.xlsx?date=… (every table) or
// /reports/monthly.html?date=… (the printable document).
func (s *Server) handleReportFile(w http.ResponseWriter, r *http.Request) error {
	if _, err := centreOnly(r); err != nil {
		return err
	}
	file := r.PathValue("file")
	kindText, ext, _ := strings.Cut(file, ".")
	if ext != "xlsx" && ext != "html" {
		return civicgrid.Errorf(civicgrid.NotFound, "no report file %s: ask for .xlsx or .html", file)
	}
	rep, err := s.buildReport(r, kindText)
	if err != nil {
		return err
	}
	lang := langOf(r)
	var buf bytes.Buffer
	if ext == "xlsx" {
		err = report.WriteXLSX(&buf, rep, lang)
	} else {
		err = report.WriteHTML(&buf, rep, report.HTMLOptions{Lang: lang})
	}
	if err != nil {
		return err
	}
	return sendReport(w, buf.Bytes(), reportFileName(rep, "", ext), ext)
}

// handleReportCSV sends GET /reports/monthly/units.csv?date=…: one table.
func (s *Server) handleReportCSV(w http.ResponseWriter, r *http.Request) error {
	if _, err := centreOnly(r); err != nil {
		return err
	}
	id, ok := strings.CutSuffix(r.PathValue("table"), ".csv")
	if !ok {
		return civicgrid.Errorf(civicgrid.NotFound, "a table downloads as NAME.csv")
	}
	rep, err := s.buildReport(r, r.PathValue("kind"))
	if err != nil {
		return err
	}
	t := rep.Table(id)
	if t == nil {
		return civicgrid.Errorf(civicgrid.NotFound, "the report has no table %q", id)
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, t, langOf(r)); err != nil {
		return err
	}
	return sendReport(w, buf.Bytes(), reportFileName(rep, id, "csv"), "csv")
}

// handleReportAPI answers GET /api/v1/reports/{kind}?date=2026-04-15&format=json
// with the report model: its tables, trend and recommendations.
func (s *Server) handleReportAPI(w http.ResponseWriter, r *http.Request) error {
	if _, err := centreOnly(r); err != nil {
		return err
	}
	if f := r.URL.Query().Get("format"); f != "" && f != "json" {
		return civicgrid.FieldError("format", "only json")
	}
	rep, err := s.buildReport(r, r.PathValue("kind"))
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, rep)
}

// buildReport builds the report of kind kindText for r's date parameter.
func (s *Server) buildReport(r *http.Request, kindText string) (*report.Report, error) {
	kind, day, err := s.reportParams(kindText, r.URL.Query().Get("date"))
	if err != nil {
		return nil, err
	}
	return s.reportBuilder().Build(r.Context(), kind, day)
}

// reportFileName is civicgrid-monthly-2026-04[-units].ext.
func reportFileName(rep *report.Report, table, ext string) string {
	name := "civicgrid-" + string(rep.Kind) + "-" + strings.Fields(rep.Period.Label())[0]
	if table != "" {
		name += "-" + table
	}
	return name + "." + ext
}

var reportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"html": "text/html; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
}

// sendReport sends a download.
func sendReport(w http.ResponseWriter, body []byte, name, ext string) error {
	h := w.Header()
	h.Set("Content-Type", reportTypes[ext])
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if ext == "html" {
		// The document styles itself inline and runs no script.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
	}
	_, _ = w.Write(body) // a failed write is a client that went away
	return nil
}
