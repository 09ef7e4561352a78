package civicgrid

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ReportInput is a new report.
type ReportInput struct {
	CategoryCode  string   `json:"category_code"`
	Lat           float64  `json:"lat"`
	Lon           float64  `json:"lon"`
	CRS           CRS      `json:"crs,omitempty"`
	Address       string   `json:"address,omitempty"`
	Description   string   `json:"description"`
	Source        Source   `json:"source"`
	Reporter      Reporter `json:"reporter,omitzero"`
	ComponentCode string   `json:"component_code,omitempty"`
	Photos        []string `json:"photos,omitempty"`
	Urgent        bool     `json:"urgent,omitempty"`
	Intake        Intake   `json:"intake,omitzero"`
	// Distinct says the reporter knows of the open case nearby and this is
	// another problem: do not fold it in.
	Distinct bool `json:"distinct,omitempty"`
}

// Validate checks the input's own fields.
func (in *ReportInput) Validate() error {
	fe := FieldErrors{}
	if in.CategoryCode == "" {
		fe.Add("category_code", "required")
	}
	switch {
	case in.Lat == 0 && in.Lon == 0:
		fe.Add("lat", "required")
		fe.Add("lon", "required")
	case math.IsNaN(in.Lat) || in.Lat < -90 || in.Lat > 90:
		fe.Add("lat", "must be a latitude between -90 and 90")
	case math.IsNaN(in.Lon) || in.Lon < -180 || in.Lon > 180:
		fe.Add("lon", "must be a longitude between -180 and 180")
	}
	if in.CRS != "" && !in.CRS.Valid() {
		fe.Add("crs", "must be wgs84, gcj02 or bd09")
	}
	if d := strings.TrimSpace(in.Description); d == "" {
		fe.Add("description", "required")
	} else if len([]rune(d)) > 4000 {
		fe.Add("description", "at most 4000 characters")
	}
	if len([]rune(in.Address)) > 300 {
		fe.Add("address", "at most 300 characters")
	}
	if in.Source == "" {
		fe.Add("source", "required")
	} else if !in.Source.Valid() {
		fe.Add("source", "unknown source")
	}
	if len(in.Intake.ExternalID) > 64 || len(in.Intake.Station) > 100 || len(in.Intake.ReceivedBy) > 100 {
		fe.Add("intake", "external_id at most 64, station and received_by at most 100 characters")
	}
	if in.Source == SourceWalkIn && strings.TrimSpace(in.Intake.Station) == "" {
		fe.Add("intake.station", "required for a walk-in report: which station received it")
	}
	if len(in.Photos) > 9 {
		fe.Add("photos", "at most 9 photos")
	}
	return fe.Err()
}

// reporterRoles may open cases.
var reporterRoles = []Role{RoleAdmin, RoleOperator, RoleShiftLeader, RoleInspector, RoleLeader, RoleCitizen, RoleApp, RoleSystem}

// IntakeResult is what became of a report: a new case, or another report of
// an open case nearby (Folded), or a report the sending system had sent
// before (Repeated: nothing new was stored).
type IntakeResult struct {
	Case     *Case
	Report   *CaseReport
	Folded   bool
	Repeated bool
}

// Report opens a case from a report, or folds it into an open case of the
// same category nearby, and returns that case.
func (s *CaseService) Report(ctx context.Context, in ReportInput) (*Case, error) {
	res, err := s.Intake(ctx, in)
	if err != nil {
		return nil, err
	}
	return res.Case, nil
}

// Intake takes one report from any channel: a report the sending system
// sent before (same source and external id) returns the case it made; a
// report of the same category within the category's radius (50 m by
// default) of an open case reported within the window (7 days) is folded
// into that case; anything else opens a new case.
func (s *CaseService) Intake(ctx context.Context, in ReportInput) (*IntakeResult, error) {
	return s.intakeAndFile(ctx, in, false)
}

// intakeAndFile is Intake that, when file is set and the report opened a
// new case, files that case as the system in the same transaction.
func (s *CaseService) intakeAndFile(ctx context.Context, in ReportInput, file bool) (*IntakeResult, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.prepare(actor, in)
	if err != nil {
		return nil, err
	}
	var res *IntakeResult
	err = s.store.Update(ctx, func(tx Tx) error {
		if res, err = s.intake(ctx, tx, actor, p); err != nil || !file || res.Folded || res.Repeated {
			return err
		}
		return s.autoFile(ctx, tx, res.Case)
	})
	if err != nil {
		return nil, err
	}
	res.Case = res.Case.RedactFor(actor)
	return res, nil
}

// ImportReports takes a batch of reports (a hotline export) all or
// nothing: every report is checked first, and the problems of all of them
// are listed as fields "row N: …"; then all are stored in one transaction.
// Reports sent before come back Repeated, so a batch may be imported twice.
func (s *CaseService) ImportReports(ctx context.Context, ins []ReportInput, progress func(done, total int)) ([]*IntakeResult, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	fe := FieldErrors{}
	prepared := make([]*preparedReport, len(ins))
	for i, in := range ins {
		if prepared[i], err = s.prepare(actor, in); err != nil {
			if ErrorCodeOf(err) == Internal || ErrorCodeOf(err) == Forbidden {
				return nil, err
			}
			addRowProblems(fe, i+1, err)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	results := make([]*IntakeResult, len(ins))
	err = s.store.Update(ctx, func(tx Tx) error {
		for i, p := range prepared {
			res, err := s.intake(ctx, tx, actor, p)
			if err != nil {
				return fmt.Errorf("row %d: %w", i+1, err)
			}
			results[i] = res
			if progress != nil && (i%500 == 0 || i == len(prepared)-1) {
				progress(i+1, len(prepared))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// addRowProblems records the problems of row n of a batch.
func addRowProblems(fe FieldErrors, n int, err error) {
	e := AsError(err)
	if e == nil || len(e.Fields) == 0 {
		fe.Add(fmt.Sprintf("row %d", n), ErrorMessage(err))
		return
	}
	for f, p := range e.Fields {
		fe.Add(fmt.Sprintf("row %d: %s", n, f), p)
	}
}

// preparedReport is a report that passed every check that needs no
// transaction: valid, of a known category, located in the grid.
type preparedReport struct {
	in  ReportInput
	cat *Category
	pt  Point
	loc *Location
}

// prepare checks in for actor and locates it.
func (s *CaseService) prepare(actor *User, in ReportInput) (*preparedReport, error) {
	if !slices.Contains(reporterRoles, actor.Role) {
		return nil, Errorf(Forbidden, "the %s role may not open cases", actor.Role)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.Intake.APIKeyID != 0 && actor.Role != RoleApp && actor.Role != RoleSystem {
		return nil, FieldError("intake.api_key_id", "set only for reports that arrive with an API key")
	}
	city := s.city()
	public := actor.Role == RoleCitizen || actor.Role == RoleApp
	cat := city.Categories[in.CategoryCode]
	if cat == nil || !cat.Active || (public && !cat.Public) {
		return nil, &Error{Code: Unprocessable, Message: fmt.Sprintf("unknown category %q", in.CategoryCode),
			Fields: map[string]string{"category_code": "unknown category"}}
	}
	crs := in.CRS
	if crs == "" {
		crs = WGS84
	}
	pt, err := ToWGS84(Point{Lat: in.Lat, Lon: in.Lon}, crs)
	if err != nil {
		return nil, err
	}
	loc, err := city.Grid.Locate(pt)
	if err != nil {
		return nil, err
	}
	in.Address, in.Description = strings.TrimSpace(in.Address), strings.TrimSpace(in.Description)
	return &preparedReport{in: in, cat: cat, pt: pt, loc: loc}, nil
}

// intake stores one prepared report inside tx.
func (s *CaseService) intake(ctx context.Context, tx Tx, actor *User, p *preparedReport) (*IntakeResult, error) {
	city := s.city()
	now := s.now().In(city.Location())
	in := p.in
	photos, err := findPhotos(ctx, tx, in.Photos)
	if err != nil {
		return nil, err
	}
	if in.ComponentCode != "" {
		if _, err := tx.FindComponent(ctx, in.ComponentCode); err != nil {
			return nil, fieldNotFound(err, "component_code", "unknown component")
		}
	}
	if id := in.Intake.ExternalID; id != "" {
		prev, err := tx.FindCaseReportByExternalID(ctx, in.Source, id)
		switch {
		case err == nil:
			c, err := tx.FindCase(ctx, prev.CaseID)
			return &IntakeResult{Case: c, Report: prev, Repeated: true}, err
		case ErrorCodeOf(err) != NotFound:
			return nil, err
		}
	}
	rep := &CaseReport{Source: in.Source, Reporter: in.Reporter, Description: in.Description, Lat: p.pt.Lat, Lon: p.pt.Lon,
		Photos: in.Photos, Intake: in.Intake, At: now}
	if actor.Role == RoleCitizen || actor.Role == RoleInspector {
		rep.Reporter.UserID = actor.ID
	}
	if !in.Distinct {
		dup, err := findDuplicate(ctx, tx, p, now)
		if err != nil {
			return nil, err
		}
		if dup != nil {
			assessPhotos(dup, photos, p.pt, reportTime(in, now))
			return fold(ctx, tx, actor, dup, rep, now)
		}
	}
	c := &Case{
		Source: in.Source, CategoryCode: p.cat.Code, Lat: p.pt.Lat, Lon: p.pt.Lon, Address: in.Address,
		CellCode: p.loc.CellCode, CommunityCode: p.loc.CommunityCode, StreetCode: p.loc.StreetCode, DistrictCode: p.loc.DistrictCode,
		ComponentCode: in.ComponentCode, Description: in.Description, Reporter: in.Reporter, Intake: in.Intake,
		Urgent: in.Urgent, Photos: in.Photos,
	}
	assessPhotos(c, photos, p.pt, reportTime(in, now))
	ev := city.OpenCase(c, actor, now)
	if c.WeakEvidence {
		ev.Data["weak_evidence"] = "true"
	}
	if err := MarkRecurrence(ctx, tx, c, ev, now); err != nil {
		return nil, err
	}
	if err := createCase(ctx, tx, c, ev, now); err != nil {
		return nil, err
	}
	rep.CaseID = c.ID
	if err := tx.AddCaseReport(ctx, rep); err != nil {
		return nil, err
	}
	if err := tx.EnqueueOutbox(ctx, outboxEntry(c, ev, "role:operator", now)); err != nil {
		return nil, err
	}
	return &IntakeResult{Case: c, Report: rep}, nil
}

// createCase numbers c, a case OpenCase has just opened with event ev, and
// stores both in tx.
func createCase(ctx context.Context, tx Tx, c *Case, ev *CaseEvent, now time.Time) error {
	seq, err := tx.NextCaseSeq(ctx, now.Year())
	if err != nil {
		return err
	}
	c.Number = fmt.Sprintf("%d-%06d", now.Year(), seq)
	if err := tx.CreateCase(ctx, c); err != nil {
		return err
	}
	ev.CaseID = c.ID
	return RecordEvent(ctx, tx, c, ev)
}

// reportTime is when the reporter saw the problem: the device's clock when
// it sent one (an inspector's app, a camera), else the time of receipt.
func reportTime(in ReportInput, now time.Time) time.Time {
	if t := in.Intake.DeviceTime; t != nil && !t.IsZero() {
		return *t
	}
	return now
}

// findDuplicate returns the nearest open case of the same category within
// the category's radius that was reported within the window, or nil.
func findDuplicate(ctx context.Context, tx Tx, p *preparedReport, now time.Time) (*Case, error) {
	radius := p.cat.DuplicateRadiusM
	if radius <= 0 {
		radius = 50
	}
	window := DefaultDuplicateWindow
	if p.cat.DuplicateWindowHours > 0 {
		window = time.Duration(p.cat.DuplicateWindowHours) * time.Hour
	}
	near, err := tx.FindOpenCasesNear(ctx, p.cat.Code, boundsAround(p.pt, radius), now.Add(-window), 50)
	if err != nil {
		return nil, err
	}
	return nearestWithin(near, p.pt, radius), nil
}

// fold adds rep to the open case c as another report of its problem.
func fold(ctx context.Context, tx Tx, actor *User, c *Case, rep *CaseReport, now time.Time) (*IntakeResult, error) {
	rep.CaseID = c.ID
	if err := tx.AddCaseReport(ctx, rep); err != nil {
		return nil, err
	}
	c.Reports++
	c.Photos = append(c.Photos, rep.Photos...)
	ev := newEvent(c, ActionFold, actor, now)
	ev.Note, ev.Photos, ev.Data = rep.Description, rep.Photos, map[string]string{"source": string(rep.Source), "report_id": fmt.Sprint(rep.ID),
		"distance_m": fmt.Sprintf("%.0f", DistanceM(Point{Lat: rep.Lat, Lon: rep.Lon}, Point{Lat: c.Lat, Lon: c.Lon}))}
	if err := persist(ctx, tx, c, ev, nil); err != nil {
		return nil, err
	}
	return &IntakeResult{Case: c, Report: rep, Folded: true}, nil
}
