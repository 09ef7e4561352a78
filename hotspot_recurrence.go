package civicgrid

import (
	"context"
	"fmt"
	"time"
)

// DataRecurs is the key, in the Data of a new case's report event, of the
// number of the earlier case it recurs (复发): the latest case of the same
// category in the same cell created within the recurrence window before.
const DataRecurs = "recurs"

// MarkRecurrence marks ev, the report event of the new case c about to be
// stored at now, as a recurrence (复发) when c's cell had a case of c's
// category created within the configured window before: ev.Data[DataRecurs]
// is then that case's number, which the recurred count reads. Intake calls
// it in the transaction that stores the case; a bulk loader writing cases
// oldest first may call it before each CreateCase (with the case's
// CreatedAt) so that its history counts recurrences too.
func MarkRecurrence(ctx context.Context, tx Tx, c *Case, ev *CaseEvent, now time.Time) error {
	if c.CellCode == "" {
		return nil
	}
	cfg, err := LoadHotspotConfig(ctx, tx)
	if err != nil {
		return err
	}
	prev, err := tx.FindLatestCase(ctx, c.CellCode, c.CategoryCode, now)
	switch {
	case ErrorCodeOf(err) == NotFound:
		return nil
	case err != nil:
		return fmt.Errorf("civicgrid: recurrence of %s in %s: %w", c.CategoryCode, c.CellCode, err)
	}
	if prev.CreatedAt.After(now.AddDate(0, 0, -cfg.RecurrenceDays)) {
		if ev.Data == nil {
			ev.Data = map[string]string{}
		}
		ev.Data[DataRecurs] = prev.Number
	}
	return nil
}
