package web

import (
	"net/http"
	"strconv"
	"time"

	"civicgrid"
)

// caseReportListJSON is the reports of a case.
type caseReportListJSON struct {
	Items []*civicgrid.CaseReport `json:"items"`
}

// handleCaseReports lists the reports of a case, oldest first: its first
// report and every one folded into it.
func (s *Server) handleCaseReports(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	reports, err := s.cases.Reports(r.Context(), id)
	if err != nil {
		return err
	}
	loc := s.city.City().Location()
	out := caseReportListJSON{Items: make([]*civicgrid.CaseReport, len(reports))}
	for i, rep := range reports {
		out.Items[i] = localReport(rep, loc)
	}
	return encode(w, http.StatusOK, out)
}

// localReport returns a copy of rep with its times in loc.
func localReport(rep *civicgrid.CaseReport, loc *time.Location) *civicgrid.CaseReport {
	rr := *rep
	rr.At, rr.Intake.DeviceTime = rep.At.In(loc), timeIn(rep.Intake.DeviceTime, loc)
	return &rr
}

// handleCaseMerge makes one case a duplicate of another and answers the
// case that remains.
func (s *Server) handleCaseMerge(w http.ResponseWriter, r *http.Request) error {
	in, err := decode[civicgrid.MergeInput](w, r)
	if err != nil {
		return err
	}
	fe := civicgrid.FieldErrors{}
	if in.From <= 0 {
		fe.Add("from", "required: the id of the case that is a duplicate")
	}
	if in.Into <= 0 {
		fe.Add("into", "required: the id of the case that remains")
	}
	if in.FromVersion < 1 {
		fe.Add("from_version", "required: the version of the case you are merging")
	}
	if in.IntoVersion < 1 {
		fe.Add("into_version", "required: the version of the case you are merging into")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	c, err := s.cases.Merge(r.Context(), in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, s.caseJSON(r.Context(), c, nil))
}

// handleCaseSplit turns one report of a case into a case of its own and
// answers the new case.
func (s *Server) handleCaseSplit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	in, err := decode[civicgrid.SplitInput](w, r)
	if err != nil {
		return err
	}
	fe := civicgrid.FieldErrors{}
	if in.Version < 1 {
		fe.Add("version", "required: the version of the case you are splitting")
	}
	if in.ReportID <= 0 {
		fe.Add("report_id", "required: the report to split off (GET /api/v1/cases/{id}/reports)")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	c, err := s.cases.Split(r.Context(), id, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(int64(c.ID), 10))
	return encode(w, http.StatusCreated, s.caseJSON(r.Context(), c, nil))
}

// handleCaseComment records a remark on a case and answers its event.
func (s *Server) handleCaseComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	in, err := decode[civicgrid.CommentInput](w, r)
	if err != nil {
		return err
	}
	if len(in.ExternalID) > 64 {
		return civicgrid.FieldError("external_id", "at most 64 characters")
	}
	if len(in.Photos) > maxReportPhotos {
		return civicgrid.FieldError("photos", "at most 9 photos")
	}
	ev, err := s.cases.Comment(r.Context(), id, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusCreated, localEvent(ev, s.city.City().Location()))
}
