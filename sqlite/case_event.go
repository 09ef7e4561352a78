package sqlite

import (
	"context"
	"database/sql"

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

// FindEvents returns the events of a case, oldest first; none for a case
// that does not exist.
func (tx *Tx) FindEvents(ctx context.Context, id civicgrid.CaseID) ([]*civicgrid.CaseEvent, error) {
	var events []*civicgrid.CaseEvent
	err := tx.queryAll(ctx, func(s scanner) error {
		e := &civicgrid.CaseEvent{}
		var at int64
		var data, photos []byte
		var onTime, deadline sql.NullInt64
		if err := s.Scan(&e.ID, &e.CaseID, &e.Action, &e.ActorID, &e.ActorName, &e.Role, &at, &e.From, &e.To,
			&e.Note, &data, &photos, &e.StageEnded, &onTime, &deadline); err != nil {
			return err
		}
		e.At, e.Deadline = tx.at(at), tx.nullAt(deadline)
		if onTime.Valid {
			v := onTime.Int64 != 0
			e.OnTime = &v
		}
		events = append(events, e)
		if err := fromJSON(data, &e.Data); err != nil {
			return err
		}
		return fromJSON(photos, &e.Photos)
	}, `SELECT id, case_id, action, actor_id, actor_name, role, at, from_status, to_status, note, data, photos,
		stage_ended, on_time, deadline FROM case_events WHERE case_id = ? ORDER BY id`, int64(id))
	return events, err
}
