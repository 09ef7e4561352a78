package sqlite

import (
	"context"
	"database/sql"

	"civicgrid"
)

// FindOpenCaseClocks returns the clocks of the open cases f selects, in no
// particular order; f's cursor, offset and limit are ignored. The open
// cases are a few hundred of a city's tens of thousands: the condition, a
// literal repeating the partial index cases_open_cell's, lets an area's be
// found in that index, and with no ORDER BY nothing else is read.
func (tx *Tx) FindOpenCaseClocks(ctx context.Context, f civicgrid.CaseFilter) ([]civicgrid.CaseClock, error) {
	w := caseFilter(f)
	w.add("status NOT IN ('closed', 'cancelled')")
	var out []civicgrid.CaseClock
	err := tx.queryAll(ctx, func(s scanner) error {
		var k civicgrid.CaseClock
		var status, stage, unit string
		var started, deadline sql.NullInt64
		if err := s.Scan(&k.ID, &status, &stage, &started, &deadline, &unit); err != nil {
			return err
		}
		k.Status, k.Stage, k.LimitUnit = civicgrid.Status(status), civicgrid.Stage(stage), civicgrid.LimitUnit(unit)
		k.StageStartedAt, k.Deadline = tx.nullAt(started), tx.nullAt(deadline)
		out = append(out, k)
		return nil
	}, "SELECT id, status, stage, stage_started_at, deadline, stage_limit_unit FROM cases"+w.String(), w.args...)
	return out, err
}

// CountCasesBySource returns how many cases f selects from each source.
func (tx *Tx) CountCasesBySource(ctx context.Context, f civicgrid.CaseFilter) (map[civicgrid.Source]int, error) {
	w := caseFilter(f)
	out := map[civicgrid.Source]int{}
	err := tx.queryAll(ctx, func(s scanner) error {
		var source string
		var n int
		if err := s.Scan(&source, &n); err != nil {
			return err
		}
		out[civicgrid.Source(source)] = n
		return nil
	}, "SELECT source, COUNT(*) FROM cases"+w.String()+" GROUP BY source", w.args...)
	return out, err
}
