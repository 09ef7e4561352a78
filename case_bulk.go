package civicgrid

import "context"

// maxBulk bounds the cases of one bulk action: a page of the case list
// and then some.
const maxBulk = 200

// BulkItem is one case of a bulk action: its id and the version the actor
// saw, so that a case changed meanwhile is refused, not acted on blindly.
type BulkItem struct {
	ID      CaseID `json:"id"`
	Version int    `json:"version"`
}

// BulkResult is what became of one case of a bulk action: the case after
// the action, or the error that refused it.
type BulkResult struct {
	ID   CaseID
	Case *Case
	Err  error
}

// DispatchMany dispatches (批量派遣) each case of items to unit, or, when
// unit is 0, each to the unit its routing rule names. Every case goes
// through Act in a transaction of its own, so the workflow rules, the
// versions, the events and the counts all apply, and one refused case
// does not hold back the others. The error is for the request as a
// whole (no actor, no items, too many); each case's fate is in its
// result, in the order of items.
func (s *CaseService) DispatchMany(ctx context.Context, items []BulkItem, unit UnitID, note string) ([]BulkResult, error) {
	if _, err := s.actor(ctx); err != nil {
		return nil, err
	}
	switch {
	case len(items) == 0:
		return nil, FieldError("cases", "choose at least one case")
	case len(items) > maxBulk:
		return nil, FieldError("cases", "at most 200 cases at a time")
	}
	out := make([]BulkResult, len(items))
	for i, it := range items {
		out[i].ID = it.ID
		if err := ctx.Err(); err != nil {
			out[i].Err = err
			continue
		}
		out[i].Case, out[i].Err = s.Act(ctx, it.ID, ActionInput{Action: ActionDispatch, Version: it.Version, UnitID: unit, Note: note})
	}
	return out, nil
}
