package sqlite

import (
	"context"
	"database/sql"
	"time"

	"civicgrid"
)

// AppendEvent stores e and sets e.ID; Invalid when its case does not exist.
func (tx *Tx) AppendEvent(ctx context.Context, e *civicgrid.CaseEvent) error {
	data, err := jsonColumn(e.Data, e.Data == nil)
	if err != nil {
		return err
	}
	photos, err := jsonColumn(e.Photos, e.Photos == nil)
	if err != nil {
		return err
	}
	var onTime any
	if e.OnTime != nil {
		onTime = bit(*e.OnTime)
	}
	res, err := tx.exec(ctx, `INSERT INTO case_events (case_id, action, actor_id, actor_name, role, at,
		from_status, to_status, note, data, photos, stage_ended, on_time, deadline)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		int64(e.CaseID), string(e.Action), int64(e.ActorID), e.ActorName, string(e.Role), millis(e.At),
		string(e.From), string(e.To), e.Note, data, photos, string(e.StageEnded), onTime, nullMillis(e.Deadline))
	if err != nil {
		return describe(err, civicgrid.Invalid, "case %d does not exist", e.CaseID)
	}
	e.ID, err = res.LastInsertId()
	return formatError(err)
}

// eventColumns are the columns scanEvent reads, in order.
const eventColumns = "id, case_id, action, actor_id, actor_name, role, at, from_status, to_status, note, data, " +
	"photos, stage_ended, on_time, deadline"

// scanEvent reads one row of eventColumns.
func (tx *Tx) scanEvent(s scanner) (*civicgrid.CaseEvent, error) {
	e := &civicgrid.CaseEvent{}
	var at int64
	var data, photos []byte
	var onTime, deadline sql.NullInt64
	if err := s.Scan(&e.ID, &e.CaseID, &e.Action, &e.ActorID, &e.ActorName, &e.Role, &at, &e.From, &e.To,
		&e.Note, &data, &photos, &e.StageEnded, &onTime, &deadline); err != nil {
		return nil, err
	}
	e.At, e.Deadline = tx.at(at), tx.nullAt(deadline)
	if onTime.Valid {
		v := onTime.Int64 != 0
		e.OnTime = &v
	}
	if err := fromJSON(data, &e.Data); err != nil {
		return nil, err
	}
	if err := fromJSON(photos, &e.Photos); err != nil {
		return nil, err
	}
	return e, nil
}

// findEvents runs a query for eventColumns.
func (tx *Tx) findEvents(ctx context.Context, query string, args ...any) ([]*civicgrid.CaseEvent, error) {
	var events []*civicgrid.CaseEvent
	err := tx.queryAll(ctx, func(s scanner) error {
		e, err := tx.scanEvent(s)
		events = append(events, e)
		return err
	}, query, args...)
	return events, err
}

// FindEvents returns the events of a case, oldest first; none for a case
// that does not exist.
func (tx *Tx) FindEvents(ctx context.Context, id civicgrid.CaseID) ([]*civicgrid.CaseEvent, error) {
	return tx.findEvents(ctx, "SELECT "+eventColumns+" FROM case_events WHERE case_id = ? ORDER BY id", int64(id))
}

// FindEventsBetween returns the events of every case at or after from and
// before to, oldest first (then by id), at most limit (all when limit <= 0).
func (tx *Tx) FindEventsBetween(ctx context.Context, from, to time.Time, limit int) ([]*civicgrid.CaseEvent, error) {
	if limit <= 0 {
		limit = -1
	}
	return tx.findEvents(ctx, "SELECT "+eventColumns+" FROM case_events WHERE at >= ? AND at < ? ORDER BY at, id LIMIT ?",
		millis(from), millis(to), limit)
}
