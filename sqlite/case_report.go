package sqlite

import (
	"context"
	"database/sql"
	"time"

	"civicgrid"
)

// intakeRow is an Intake as stored in an intake column: the device time is
// unix milliseconds, like every other time in the database.
type intakeRow struct {
	Station    string            `json:"station,omitempty"`
	ReceivedBy string            `json:"received_by,omitempty"`
	DeviceTime *int64            `json:"device_time,omitempty"`
	ExternalID string            `json:"external_id,omitempty"`
	APIKeyID   int64             `json:"api_key_id,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
}

// intakeColumn is in as an intake column, or NULL when in says nothing.
func intakeColumn(in civicgrid.Intake) (any, error) {
	r := intakeRow{Station: in.Station, ReceivedBy: in.ReceivedBy, ExternalID: in.ExternalID,
		APIKeyID: in.APIKeyID, Attributes: in.Attributes}
	if in.DeviceTime != nil {
		ms := millis(*in.DeviceTime)
		r.DeviceTime = &ms
	}
	v, err := jsonColumn(r, false)
	if v == "{}" {
		return nil, err
	}
	return v, err
}

// fromIntake decodes the nullable intake column b into dst; NULL leaves dst
// alone.
func (tx *Tx) fromIntake(b []byte, dst *civicgrid.Intake) error {
	var r intakeRow
	if err := fromJSON(b, &r); err != nil || b == nil {
		return err
	}
	*dst = civicgrid.Intake{Station: r.Station, ReceivedBy: r.ReceivedBy, ExternalID: r.ExternalID,
		APIKeyID: r.APIKeyID, Attributes: r.Attributes}
	if r.DeviceTime != nil {
		t := tx.at(*r.DeviceTime)
		dst.DeviceTime = &t
	}
	return nil
}

// reportColumns are the columns scanReport reads, in order.
const reportColumns = "id, case_id, source, reporter_name, reporter_phone, reporter_email, reporter_user_id, " +
	"description, lat, lon, photos, intake, external_id, at"

// scanReport reads one row of reportColumns.
func (tx *Tx) scanReport(s scanner) (*civicgrid.CaseReport, error) {
	r := &civicgrid.CaseReport{}
	var user sql.NullInt64
	var photos, intake []byte
	var externalID string
	var at int64
	if err := s.Scan(&r.ID, &r.CaseID, &r.Source, &r.Reporter.Name, &r.Reporter.Phone, &r.Reporter.Email, &user,
		&r.Description, &r.Lat, &r.Lon, &photos, &intake, &externalID, &at); err != nil {
		return nil, err
	}
	r.Reporter.UserID = civicgrid.UserID(user.Int64)
	r.At = tx.at(at)
	if err := fromJSON(photos, &r.Photos); err != nil {
		return nil, err
	}
	if err := tx.fromIntake(intake, &r.Intake); err != nil {
		return nil, err
	}
	r.Intake.ExternalID = externalID
	return r, nil
}

// AddCaseReport stores r and sets r.ID; Conflict when another report from
// the same source has the same Intake.ExternalID, Invalid when its case or
// reporting user does not exist.
func (tx *Tx) AddCaseReport(ctx context.Context, r *civicgrid.CaseReport) error {
	photos, err := jsonColumn(r.Photos, r.Photos == nil)
	if err != nil {
		return err
	}
	in := r.Intake
	in.ExternalID = "" // it has a column of its own, for the unique index
	intake, err := intakeColumn(in)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `INSERT INTO case_reports (case_id, source, reporter_name, reporter_phone,
		reporter_email, reporter_user_id, description, lat, lon, photos, intake, external_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(r.CaseID), string(r.Source), r.Reporter.Name, r.Reporter.Phone, r.Reporter.Email,
		nullID(r.Reporter.UserID), r.Description, r.Lat, r.Lon, photos, intake, r.Intake.ExternalID, millis(r.At))
	if err != nil {
		err = describe(err, civicgrid.Conflict, "a %s report with external id %q exists", r.Source, r.Intake.ExternalID)
		return describe(err, civicgrid.Invalid, "case %d or user %d does not exist", r.CaseID, r.Reporter.UserID)
	}
	r.ID, err = res.LastInsertId()
	return formatError(err)
}

// FindCaseReports returns the reports of a case, oldest first (then by
// id); none for a case that does not exist.
func (tx *Tx) FindCaseReports(ctx context.Context, id civicgrid.CaseID) ([]*civicgrid.CaseReport, error) {
	var reports []*civicgrid.CaseReport
	err := tx.queryAll(ctx, func(s scanner) error {
		r, err := tx.scanReport(s)
		reports = append(reports, r)
		return err
	}, "SELECT "+reportColumns+" FROM case_reports WHERE case_id = ? ORDER BY at, id", int64(id))
	return reports, err
}

// FindCaseReportByExternalID returns the report from source with the
// sending system's id, or NotFound (always, for an empty id). The condition
// on external_id repeats the partial index's, so that it is used.
func (tx *Tx) FindCaseReportByExternalID(ctx context.Context, source civicgrid.Source, externalID string) (*civicgrid.CaseReport, error) {
	r, err := tx.scanReport(tx.queryRow(ctx, "SELECT "+reportColumns+
		" FROM case_reports WHERE source = ? AND external_id = ? AND external_id <> ''", string(source), externalID))
	if err != nil {
		return nil, notFound(err, "no %s report with external id %q", source, externalID)
	}
	return r, nil
}

// MoveCaseReports gives the reports of case from to case to: those with
// the ids given (others are left alone), or all of them when none are, and
// returns how many moved; Invalid when case to does not exist and there is
// a report to move.
func (tx *Tx) MoveCaseReports(ctx context.Context, from, to civicgrid.CaseID, ids ...int64) (int, error) {
	w := &where{}
	w.add("case_id = ?", int64(from))
	if len(ids) > 0 {
		w.add("id IN (SELECT value FROM json_each(?))", idList(ids))
	}
	res, err := tx.exec(ctx, "UPDATE case_reports SET case_id = ?"+w.String(), append([]any{nullID(to)}, w.args...)...)
	if err != nil {
		return 0, describe(err, civicgrid.Invalid, "case %d does not exist", to)
	}
	return affected(res, nil)
}

// FindOpenCasesNear returns open cases of the category whose location lies
// in b (edges included) and that were created at or after since, newest
// first (then by id), at most limit (all when limit <= 0). The status
// condition repeats the one of the cases_open_near partial index, so that
// the index is used.
func (tx *Tx) FindOpenCasesNear(ctx context.Context, categoryCode string, b civicgrid.Bounds, since time.Time, limit int) ([]*civicgrid.Case, error) {
	if limit <= 0 {
		limit = -1
	}
	return tx.findCases(ctx, "SELECT "+caseColumns+` FROM cases
		WHERE status NOT IN ('closed', 'cancelled') AND category_code = ?
			AND lat >= ? AND lat <= ? AND lon >= ? AND lon <= ? AND created_at >= ?
		ORDER BY created_at DESC, id DESC LIMIT ?`,
		categoryCode, b.MinLat, b.MaxLat, b.MinLon, b.MaxLon, millis(since), limit)
}
