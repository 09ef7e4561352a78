package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"civicgrid"
)

// bulkPage shows what became of each case of a bulk dispatch.
type bulkPage struct {
	page
	Done, Refused int
	Rows          []bulkResultRow
	BackURL       string
}

// bulkResultRow is one case's result: dispatched to Unit, or refused for
// Reason.
type bulkResultRow struct {
	ID     civicgrid.CaseID
	Number string
	OK     bool
	Unit   string
	Status string
	Reason string
}

// handleBulkDispatchForm dispatches the cases ticked on the list (or all
// those shown) to the chosen unit, or each to its routed unit, and shows
// each case's result. Nothing to dispatch shows the list again with the
// problem.
func (s *Server) handleBulkDispatchForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return civicgrid.Errorf(civicgrid.Invalid, "the form does not parse")
	}
	q, _ := url.ParseQuery(r.PostFormValue("query"))
	q.Set("unit_id", r.PostFormValue("unit_id"))
	q.Set("note", r.PostFormValue("note"))
	picks := r.PostForm["case"]
	if r.PostFormValue("scope") == "all" {
		picks = r.PostForm["shown"]
	}
	items, unit, err := bulkInput(picks, r.PostFormValue("unit_id"))
	var results []civicgrid.BulkResult
	if err == nil {
		results, err = s.cases.DispatchMany(r.Context(), items, unit, r.PostFormValue("note"))
	}
	if err != nil {
		if code := civicgrid.ErrorCodeOf(err); code != civicgrid.Invalid {
			return err
		}
		m, lerr := s.caseList(r, q)
		if lerr != nil {
			return lerr
		}
		return &refusedForm{err: err, name: "cases", model: m}
	}
	m := &bulkPage{page: s.newPage(r, "bulk.title", "cases"), BackURL: "/cases?" + filterQuery(q)}
	if err := s.fillBulkRows(r, m, results); err != nil {
		return err
	}
	m.Notice = m.Tf("bulk.summary", m.Done, m.Refused)
	return s.render(w, http.StatusOK, "bulk", m)
}

// bulkInput parses the ticked cases ("id:version") and the unit ("" for
// each case's routed unit).
func bulkInput(picks []string, unitValue string) ([]civicgrid.BulkItem, civicgrid.UnitID, error) {
	var items []civicgrid.BulkItem
	for _, p := range picks {
		id, version, _ := strings.Cut(p, ":")
		n, err1 := strconv.ParseInt(id, 10, 64)
		v, err2 := strconv.Atoi(version)
		if err1 != nil || err2 != nil || n <= 0 || v <= 0 {
			return nil, 0, civicgrid.FieldError("cases", "not a case: "+p)
		}
		items = append(items, civicgrid.BulkItem{ID: civicgrid.CaseID(n), Version: v})
	}
	if len(items) == 0 {
		return nil, 0, civicgrid.FieldError("cases", "choose at least one case")
	}
	var unit civicgrid.UnitID
	if unitValue != "" {
		n, err := strconv.ParseInt(unitValue, 10, 64)
		if err != nil || n <= 0 {
			return nil, 0, civicgrid.FieldError("unit_id", "must be a number")
		}
		unit = civicgrid.UnitID(n)
	}
	return items, unit, nil
}

// fillBulkRows describes each result. The cases refused are looked up
// again, for their numbers and what they are now.
func (s *Server) fillBulkRows(r *http.Request, m *bulkPage, results []civicgrid.BulkResult) error {
	city := s.city.City()
	var ids []civicgrid.CaseID
	for _, res := range results {
		if res.Err != nil {
			ids = append(ids, res.ID)
		}
	}
	now := map[civicgrid.CaseID]*civicgrid.Case{}
	if len(ids) > 0 {
		page, err := s.cases.List(r.Context(), civicgrid.CaseFilter{IDs: ids, Limit: len(ids)})
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			now[c.ID] = c
		}
	}
	for _, res := range results {
		row := bulkResultRow{ID: res.ID, Number: "#" + strconv.FormatInt(int64(res.ID), 10), OK: res.Err == nil}
		c := res.Case
		if c == nil {
			c = now[res.ID]
		}
		if c != nil {
			row.Number, row.Status = c.Number, m.Text(c.Status.Name())
		}
		if row.OK {
			m.Done++
			if u := city.Units[c.UnitID]; u != nil {
				row.Unit = m.Text(u.Name)
			}
		} else {
			m.Refused++
			row.Reason = bulkReason(&m.page, res.Err)
		}
		m.Rows = append(m.Rows, row)
	}
	return nil
}

// bulkReason says why a case was not dispatched.
func bulkReason(p *page, err error) string {
	code := civicgrid.ErrorCodeOf(err)
	if code == civicgrid.Conflict && strings.Contains(civicgrid.ErrorMessage(err), "changed") {
		return p.T("bulk.changed")
	}
	msg := p.T("error." + string(code))
	if code != civicgrid.Internal {
		msg += " " + civicgrid.ErrorMessage(err)
	}
	return msg
}

// bulkDispatchJSON is the answer of a bulk dispatch: each case's result.
type bulkDispatchJSON struct {
	Done    int              `json:"done"`
	Refused int              `json:"refused"`
	Results []bulkResultJSON `json:"results"`
}

// bulkResultJSON is one case's result: the case, or the error that
// refused it.
type bulkResultJSON struct {
	ID    civicgrid.CaseID `json:"id"`
	OK    bool             `json:"ok"`
	Case  *civicgrid.Case  `json:"case,omitempty"`
	Error *errorDetail     `json:"error,omitempty"`
}

// handleBulkDispatch answers POST /api/v1/cases/dispatch: {"cases":
// [{"id": 1, "version": 3}, ...], "unit_id": 7 (0 or absent: each to its
// routed unit), "note": "..."}. It is 200 with a result per case, even
// when some were refused.
func (s *Server) handleBulkDispatch(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[struct {
		Cases  []civicgrid.BulkItem `json:"cases"`
		UnitID civicgrid.UnitID     `json:"unit_id"`
		Note   string               `json:"note"`
	}](w, r)
	if err != nil {
		return err
	}
	results, err := s.cases.DispatchMany(r.Context(), in.Cases, in.UnitID, in.Note)
	if err != nil {
		return err
	}
	loc := s.city.City().Location()
	out := bulkDispatchJSON{Results: make([]bulkResultJSON, len(results))}
	for i, res := range results {
		o := bulkResultJSON{ID: res.ID, OK: res.Err == nil}
		if res.Err != nil {
			out.Refused++
			o.Error = s.bulkError(r, res.Err)
		} else {
			out.Done++
			o.Case = localCase(res.Case, loc)
		}
		out.Results[i] = o
	}
	return encode(w, http.StatusOK, out)
}

// bulkError describes a refused case as the API describes any error; an
// internal one is logged here and not detailed.
func (s *Server) bulkError(r *http.Request, err error) *errorDetail {
	code := civicgrid.ErrorCodeOf(err)
	if _, known := statusOf[code]; !known || code == civicgrid.Internal {
		s.logger.ErrorContext(r.Context(), "bulk dispatch: internal error", "error", err.Error())
		return &errorDetail{Code: civicgrid.Internal, Message: civicgrid.ErrorMessage(nil)}
	}
	e := civicgrid.AsError(err)
	return &errorDetail{Code: code, Message: e.Message, Fields: e.Fields, AllowedActions: e.Allowed}
}
