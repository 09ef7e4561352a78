package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// caseWriteColumns are the columns of a case other than id, in the order
// of caseValues.
const caseWriteColumns = "number, source, category_code, lat, lon, address, cell_code, community_code, " +
	"street_code, district_code, component_code, description, reporter_name, reporter_phone, " +
	"reporter_email, reporter_user_id, intake, status, stage, stage_started_at, stage_limit_amount, " +
	"stage_limit_unit, deadline, deadlines, unit_id, inspector_id, urgent, overdue, returns, reworks, " +
	"extensions, dispatches, urges, reports, pending_extension, suspended_from, suspended_left, photos, " +
	"workflow_version, created_at, updated_at, closed_at, version, weak_evidence, evidence, dispatcher_id"

// caseColumns are the columns scanCase reads, in order.
const caseColumns = "id, " + caseWriteColumns

// The statements that write a case; SQLite's row values let the update
// share the column list with the insert.
var (
	insertCase = "INSERT INTO cases (" + caseWriteColumns + ") VALUES (" + placeholders(caseWriteColumns) + ")"
	updateCase = "UPDATE cases SET (" + caseWriteColumns + ") = (" + placeholders(caseWriteColumns) +
		") WHERE id = ? AND version = ?"
)

// placeholders returns one ? per column of the comma-separated list.
func placeholders(columns string) string {
	return strings.TrimSuffix(strings.Repeat("?, ", strings.Count(columns, ",")+1), ", ")
}

// deadlineRow is a stage clock as stored in the deadlines JSON: times are
// unix milliseconds, like every other time in the database.
type deadlineRow struct {
	Started int64  `json:"s"`
	Due     int64  `json:"d"`
	Ended   *int64 `json:"e,omitempty"`
	Overdue bool   `json:"o,omitempty"`
}

// caseValues returns c's values for caseWriteColumns.
func caseValues(c *civicgrid.Case) ([]any, error) {
	var rows map[civicgrid.Stage]deadlineRow
	if c.Deadlines != nil {
		rows = make(map[civicgrid.Stage]deadlineRow, len(c.Deadlines))
		for s, d := range c.Deadlines {
			r := deadlineRow{Started: millis(d.Started), Due: millis(d.Due), Overdue: d.Overdue}
			if d.Ended != nil {
				ms := millis(*d.Ended)
				r.Ended = &ms
			}
			rows[s] = r
		}
	}
	deadlines, err := jsonColumn(rows, rows == nil)
	if err != nil {
		return nil, err
	}
	pending, err := jsonColumn(c.PendingExtension, c.PendingExtension == nil)
	if err != nil {
		return nil, err
	}
	photos, err := jsonColumn(c.Photos, c.Photos == nil)
	if err != nil {
		return nil, err
	}
	intake, err := intakeColumn(c.Intake)
	if err != nil {
		return nil, err
	}
	evidence, err := jsonColumn(c.Evidence, len(c.Evidence) == 0)
	if err != nil {
		return nil, err
	}
	return []any{c.Number, string(c.Source), c.CategoryCode, c.Lat, c.Lon, c.Address, c.CellCode, c.CommunityCode,
		c.StreetCode, c.DistrictCode, c.ComponentCode, c.Description, c.Reporter.Name, c.Reporter.Phone,
		c.Reporter.Email, nullID(c.Reporter.UserID), intake, string(c.Status), string(c.Stage),
		nullMillis(c.StageStartedAt), c.StageLimit.Amount, string(c.StageLimit.Unit), nullMillis(c.Deadline),
		deadlines, nullID(c.UnitID), nullID(c.InspectorID), bit(c.Urgent), bit(c.Overdue), c.Returns, c.Reworks,
		c.Extensions, c.Dispatches, c.Urges,
		c.Reports, pending, string(c.SuspendedFrom), c.SuspendedLeft, photos, c.WorkflowVersion, millis(c.CreatedAt),
		millis(c.UpdatedAt), nullMillis(c.ClosedAt), c.Version, bit(c.WeakEvidence), evidence, int64(c.DispatcherID)}, nil
}

// scanCase reads one row of caseColumns.
func (tx *Tx) scanCase(s scanner) (*civicgrid.Case, error) {
	c := &civicgrid.Case{}
	var reporter, unit, inspector, stageStarted, deadline, closed sql.NullInt64
	var created, updated int64
	var deadlines, pending, photos, intake, evidence []byte
	if err := s.Scan(&c.ID, &c.Number, &c.Source, &c.CategoryCode, &c.Lat, &c.Lon, &c.Address, &c.CellCode,
		&c.CommunityCode, &c.StreetCode, &c.DistrictCode, &c.ComponentCode, &c.Description, &c.Reporter.Name,
		&c.Reporter.Phone, &c.Reporter.Email, &reporter, &intake, &c.Status, &c.Stage, &stageStarted,
		&c.StageLimit.Amount, &c.StageLimit.Unit, &deadline, &deadlines, &unit, &inspector, &c.Urgent, &c.Overdue,
		&c.Returns, &c.Reworks, &c.Extensions, &c.Dispatches, &c.Urges, &c.Reports, &pending, &c.SuspendedFrom,
		&c.SuspendedLeft, &photos, &c.WorkflowVersion, &created, &updated, &closed, &c.Version,
		&c.WeakEvidence, &evidence, &c.DispatcherID); err != nil {
		return nil, err
	}
	c.Reporter.UserID = civicgrid.UserID(reporter.Int64)
	c.UnitID = civicgrid.UnitID(unit.Int64)
	c.InspectorID = civicgrid.UserID(inspector.Int64)
	c.StageStartedAt, c.Deadline, c.ClosedAt = tx.nullAt(stageStarted), tx.nullAt(deadline), tx.nullAt(closed)
	c.CreatedAt, c.UpdatedAt = tx.at(created), tx.at(updated)
	if err := fromJSON(pending, &c.PendingExtension); err != nil {
		return nil, err
	}
	if err := fromJSON(photos, &c.Photos); err != nil {
		return nil, err
	}
	if err := fromJSON(evidence, &c.Evidence); err != nil {
		return nil, err
	}
	if err := tx.fromIntake(intake, &c.Intake); err != nil {
		return nil, err
	}
	if err := tx.fromDeadlines(deadlines, &c.Deadlines); err != nil {
		return nil, err
	}
	return c, nil
}

// fromDeadlines decodes the nullable deadlines column b into dst; NULL
// leaves dst alone.
func (tx *Tx) fromDeadlines(b []byte, dst *map[civicgrid.Stage]civicgrid.Deadline) error {
	var rows map[civicgrid.Stage]deadlineRow
	if err := fromJSON(b, &rows); err != nil || rows == nil {
		return err
	}
	*dst = make(map[civicgrid.Stage]civicgrid.Deadline, len(rows))
	for s, r := range rows {
		d := civicgrid.Deadline{Started: tx.at(r.Started), Due: tx.at(r.Due), Overdue: r.Overdue}
		if r.Ended != nil {
			t := tx.at(*r.Ended)
			d.Ended = &t
		}
		(*dst)[s] = d
	}
	return nil
}

// NextCaseSeq returns the next number in the year's case sequence.
func (tx *Tx) NextCaseSeq(ctx context.Context, year int) (int, error) {
	var seq int
	err := tx.queryRow(ctx, `INSERT INTO case_seq (year, seq) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET seq = seq + 1 RETURNING seq`, year).Scan(&seq)
	return seq, formatError(err)
}

// CreateCase stores c and sets c.ID; Conflict when the number exists,
// Invalid when its unit, inspector or reporting user does not.
func (tx *Tx) CreateCase(ctx context.Context, c *civicgrid.Case) error {
	args, err := caseValues(c)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, insertCase, args...)
	if err != nil {
		return caseError(err, c)
	}
	id, err := res.LastInsertId()
	c.ID = civicgrid.CaseID(id)
	return formatError(err)
}

// UpdateCase stores c if the stored version is c.Version-1; Conflict
// otherwise, NotFound when absent.
func (tx *Tx) UpdateCase(ctx context.Context, c *civicgrid.Case) error {
	args, err := caseValues(c)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, updateCase, append(args, int64(c.ID), c.Version-1)...)
	if err != nil {
		return caseError(err, c)
	}
	if err := changed(res); err == nil || err != sql.ErrNoRows {
		return formatError(err)
	}
	var version int
	if err := tx.queryRow(ctx, "SELECT version FROM cases WHERE id = ?", int64(c.ID)).Scan(&version); err != nil {
		return notFound(err, "case %d not found", c.ID)
	}
	return civicgrid.Errorf(civicgrid.Conflict, "case %s changed: version is %d, not %d", c.Number, version, c.Version-1)
}

// caseError describes a failed insert or update of c.
func caseError(err error, c *civicgrid.Case) error {
	err = describe(err, civicgrid.Conflict, "case number %s exists", c.Number)
	return describe(err, civicgrid.Invalid, "case %s refers to a unit or user that does not exist", c.Number)
}

// FindCase returns the case with id, or NotFound.
func (tx *Tx) FindCase(ctx context.Context, id civicgrid.CaseID) (*civicgrid.Case, error) {
	c, err := tx.scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", int64(id)))
	if err != nil {
		return nil, notFound(err, "case %d not found", id)
	}
	return c, nil
}

// FindCaseByNumber returns the case with the public number, or NotFound.
func (tx *Tx) FindCaseByNumber(ctx context.Context, number string) (*civicgrid.Case, error) {
	c, err := tx.scanCase(tx.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE number = ?", number))
	if err != nil {
		return nil, notFound(err, "case %s not found", number)
	}
	return c, nil
}

// FindDueCases returns open cases whose deadline is at or before now and
// which are not yet marked overdue, oldest deadline first (then by id), at
// most limit (all when limit <= 0). The condition repeats the one of the
// cases_due partial index, so that the index is used.
func (tx *Tx) FindDueCases(ctx context.Context, now time.Time, limit int) ([]*civicgrid.Case, error) {
	if limit <= 0 {
		limit = -1
	}
	return tx.findCases(ctx, "SELECT "+caseColumns+` FROM cases
		WHERE overdue = 0 AND deadline IS NOT NULL AND status NOT IN ('closed', 'cancelled') AND deadline <= ?
		ORDER BY deadline, id LIMIT ?`, millis(now), limit)
}

// findCases runs a query for caseColumns.
func (tx *Tx) findCases(ctx context.Context, query string, args ...any) ([]*civicgrid.Case, error) {
	var cases []*civicgrid.Case
	err := tx.queryAll(ctx, func(s scanner) error {
		c, err := tx.scanCase(s)
		cases = append(cases, c)
		return err
	}, query, args...)
	return cases, err
}

// FindCases returns the cases matching f, newest first, after skipping
// f.Offset of them, at most f.Limit (all when f.Limit <= 0), and the number
// matching f without the cursor, offset and limit. A UnitID filter of 0
// selects the cases without a unit.
func (tx *Tx) FindCases(ctx context.Context, f civicgrid.CaseFilter) ([]*civicgrid.Case, int, error) {
	w := caseFilter(f)
	var total int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM cases"+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, formatError(err)
	}
	if f.After > 0 {
		w.add("id < ?", int64(f.After))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	cases, err := tx.findCases(ctx, "SELECT "+caseColumns+" FROM cases"+w.String()+" ORDER BY id DESC LIMIT ? OFFSET ?",
		append(w.args, limit, max(f.Offset, 0))...)
	return cases, total, err
}

// caseFilter returns the conditions of f, without its cursor.
func caseFilter(f civicgrid.CaseFilter) *where {
	w := &where{}
	if len(f.IDs) > 0 {
		w.add("id IN (SELECT value FROM json_each(?))", idList(f.IDs))
	}
	anyOf(w, "status", f.Statuses)
	if f.CategoryCode != "" {
		w.add("category_code = ?", f.CategoryCode)
	}
	anyOf(w, "category_code", f.Categories)
	w.prefix("cell_code", f.AreaCode)
	if f.ComponentCode != "" {
		// The literal lets the partial index cases_component serve it.
		w.add("component_code = ? AND component_code <> ''", f.ComponentCode)
	}
	if f.UnitID != nil {
		if *f.UnitID == 0 {
			w.add("unit_id IS NULL")
		} else {
			w.add("unit_id = ?", int64(*f.UnitID))
		}
	}
	if f.Source != nil {
		w.add("source = ?", string(*f.Source))
	}
	if f.Overdue != nil {
		// A literal, not a parameter, so that the partial index on
		// overdue cases can serve it.
		if *f.Overdue {
			w.add("overdue = 1")
		} else {
			w.add("overdue = 0")
		}
	}
	if f.CreatedFrom != nil {
		w.add("created_at >= ?", millis(*f.CreatedFrom))
	}
	if f.CreatedTo != nil {
		w.add("created_at < ?", millis(*f.CreatedTo))
	}
	if f.UpdatedFrom != nil {
		w.add("updated_at >= ?", millis(*f.UpdatedFrom))
	}
	if f.UpdatedTo != nil {
		w.add("updated_at < ?", millis(*f.UpdatedTo))
	}
	w.prefix("cell_code", f.ScopeArea)
	if f.ScopeUnit != 0 {
		w.add("unit_id = ?", int64(f.ScopeUnit))
	}
	if f.ScopeInspector != 0 {
		id := int64(f.ScopeInspector)
		w.add("(inspector_id = ? OR cell_code IN (SELECT cell_code FROM cell_inspectors WHERE user_id = ?))", id, id)
	}
	if f.ScopeReporter != 0 {
		w.add("reporter_user_id = ?", int64(f.ScopeReporter))
	}
	return w
}

// where collects the conditions of a query and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// anyOf adds a condition that column is one of values, or nothing when there
// are none. Lists of statuses and categories are short and bounded, so one
// placeholder each makes few statement shapes.
func anyOf[T ~string](w *where, column string, values []T) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = string(v)
	}
	w.add(column+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+")", args...)
}

// idList returns ids as one JSON array parameter, for json_each: a list of
// ids has no bound, and one parameter keeps one statement shape and stays
// clear of SQLite's limit on parameters.
func idList[T ~int64](ids []T) string {
	b := make([]byte, 0, 1+8*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(id), 10)
	}
	return string(append(b, ']'))
}

// prefix adds a condition that column starts with p, as a range that an
// index on column serves (LIKE would not, and would treat % and _ as
// wildcards). An empty p adds nothing.
func (w *where) prefix(column, p string) {
	if p == "" {
		return
	}
	if end, ok := prefixEnd(p); ok {
		w.add(column+" >= ? AND "+column+" < ?", p, end)
	} else {
		w.add(column+" >= ?", p)
	}
}

// String renders the conditions as a WHERE clause, or "" when there are none.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// prefixEnd returns the least string greater than every string that starts
// with p, in SQLite's binary collation; false when there is none (p is all
// 0xff bytes).
func prefixEnd(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
