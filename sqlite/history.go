package sqlite

import (
	"context"

	"civicgrid"
)

// historyPage is how many cases EachHistory reads at a time: with the
// demo's nine events a case, a page is some ten thousand events, a few
// megabytes.
const historyPage = 1000

// EachHistory calls fn with every case in id order and its events oldest
// first. Each page is two range reads, the cases by their primary key and
// their events by case_events_case (case_id, then id, the index's implicit
// tail: no sort), both closed before fn runs.
func (tx *Tx) EachHistory(ctx context.Context, fn func(c *civicgrid.Case, events []*civicgrid.CaseEvent) error) error {
	var after int64
	for {
		cases, err := tx.findCases(ctx, "SELECT "+caseColumns+" FROM cases WHERE id > ? ORDER BY id LIMIT ?", after, historyPage)
		if err != nil {
			return err
		}
		if len(cases) == 0 {
			return nil
		}
		first, last := int64(cases[0].ID), int64(cases[len(cases)-1].ID)
		events, err := tx.findEvents(ctx, "SELECT "+eventColumns+" FROM case_events WHERE case_id >= ? AND case_id <= ? ORDER BY case_id, id",
			first, last)
		if err != nil {
			return err
		}
		for _, c := range cases {
			n := 0
			for n < len(events) && events[n].CaseID == c.ID {
				n++
			}
			if err := fn(c, events[:n:n]); err != nil {
				return err
			}
			events = events[n:]
		}
		if len(cases) < historyPage {
			return nil
		}
		after = last
	}
}
