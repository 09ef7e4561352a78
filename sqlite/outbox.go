package sqlite

import (
	"context"
	"database/sql"

	"civicgrid"
)

// EnqueueOutbox stores the entries and sets their IDs; Invalid when an
// entry's case does not exist.
func (tx *Tx) EnqueueOutbox(ctx context.Context, entries ...*civicgrid.OutboxEntry) error {
	for _, e := range entries {
		res, err := tx.exec(ctx, `INSERT INTO outbox (topic, case_id, recipient, payload, run_at, created_at,
			attempts, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Topic, nullID(e.CaseID), e.Recipient, e.Payload, millis(e.RunAt), millis(e.CreatedAt),
			e.Attempts, nullMillis(e.DeliveredAt))
		if err != nil {
			return describe(err, civicgrid.Invalid, "case %d does not exist", e.CaseID)
		}
		if e.ID, err = res.LastInsertId(); err != nil {
			return formatError(err)
		}
	}
	return nil
}

// FindOutbox returns undelivered entries for a case (0: all), oldest first.
func (tx *Tx) FindOutbox(ctx context.Context, caseID civicgrid.CaseID) ([]*civicgrid.OutboxEntry, error) {
	w := &where{}
	w.add("delivered_at IS NULL")
	if caseID != 0 {
		w.add("case_id = ?", int64(caseID))
	}
	var entries []*civicgrid.OutboxEntry
	err := tx.queryAll(ctx, func(s scanner) error {
		e := &civicgrid.OutboxEntry{}
		var caseID sql.NullInt64
		var runAt, created int64
		var delivered sql.NullInt64
		if err := s.Scan(&e.ID, &e.Topic, &caseID, &e.Recipient, &e.Payload, &runAt, &created, &e.Attempts,
			&delivered); err != nil {
			return err
		}
		e.CaseID = civicgrid.CaseID(caseID.Int64)
		e.RunAt, e.CreatedAt, e.DeliveredAt = tx.at(runAt), tx.at(created), tx.nullAt(delivered)
		entries = append(entries, e)
		return nil
	}, `SELECT id, topic, case_id, recipient, payload, run_at, created_at, attempts, delivered_at
		FROM outbox`+w.String()+" ORDER BY id", w.args...)
	return entries, err
}
