package civicgrid

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// effect applies one named side effect of a rule to c, recording what it did
// on ev.
func (city *City) effect(ctx context.Context, lk Lookup, c *Case, e Effect, in ActionInput, ev *CaseEvent, now time.Time) error {
	switch e {
	case EffectAssignInspector:
		return assignInspector(ctx, lk, city, c, in, ev)
	case EffectAssignUnit:
		return assignUnit(ctx, lk, city, c, in, ev)
	case EffectCountReturn:
		c.Returns++
		ev.Data["unit_id"] = strconv.FormatInt(int64(c.UnitID), 10)
		if c.DispatcherID != 0 { // the dispatch being returned was theirs
			ev.Data[DataDispatcher] = strconv.FormatInt(int64(c.DispatcherID), 10)
		}
		c.UnitID, c.DispatcherID = 0, 0
	case EffectCountRework:
		c.Reworks++
	case EffectRequestExtension:
		ext := *in.Extension
		c.PendingExtension = &ext
		ev.Data["extension"] = ext.String()
	case EffectGrantExtension:
		grantExtension(city, c, ev, now)
	case EffectDenyExtension:
		ev.Data["extension"] = c.PendingExtension.String()
		c.PendingExtension = nil
	case EffectSuspend:
		c.SuspendedFrom = c.Status
		if c.Deadline != nil {
			c.SuspendedLeft = remaining(city, c, now)
		}
		c.Deadline = nil
		ev.Data["left_minutes"] = strconv.Itoa(c.SuspendedLeft)
	case EffectResume:
		if c.Stage != "" && c.StageLimit.Unit != "" {
			due := resumeDeadline(city, c, now)
			c.Deadline = &due
			d := c.Deadlines[c.Stage]
			d.Due = due
			c.Deadlines[c.Stage] = d
			ev.Deadline = &due
		}
		c.SuspendedFrom, c.SuspendedLeft = "", 0
	case EffectCountUrge:
		c.Urges++
	default:
		return Errorf(Internal, "workflow names unknown effect %q", e)
	}
	return nil
}

// assignInspector tasks the named inspector, or the cell's first inspector.
func assignInspector(ctx context.Context, lk Lookup, city *City, c *Case, in ActionInput, ev *CaseEvent) error {
	id := in.InspectorID
	if id == 0 {
		if cell := city.Grid.Cell(c.CellCode); cell != nil && len(cell.Inspectors) > 0 {
			id = cell.Inspectors[0]
		}
	}
	if id == 0 {
		return &Error{Code: Unprocessable, Message: "no inspector is assigned to cell " + c.CellCode + "; name one",
			Fields: map[string]string{"inspector_id": "required: the cell has no inspector"}}
	}
	u, err := lk.FindUser(ctx, id)
	if err != nil {
		return fieldNotFound(err, "inspector_id", "unknown user")
	}
	if u.Role != RoleInspector || !u.Active {
		return &Error{Code: Unprocessable, Message: fmt.Sprintf("user %s is not an active inspector", u.Name),
			Fields: map[string]string{"inspector_id": "not an inspector"}}
	}
	c.InspectorID = id
	ev.Data["inspector_id"] = strconv.FormatInt(int64(id), 10)
	return nil
}

// assignUnit dispatches c to the named unit, else to the maintainer of the
// registered component, else to the routing rules' unit.
func assignUnit(ctx context.Context, lk Lookup, city *City, c *Case, in ActionInput, ev *CaseEvent) error {
	id := in.UnitID
	if id == 0 && c.ComponentCode != "" {
		comp, err := lk.FindComponent(ctx, c.ComponentCode)
		if err != nil && ErrorCodeOf(err) != NotFound {
			return err
		}
		if comp != nil {
			id = comp.ResponsibleUnit()
		}
	}
	if id == 0 {
		id, _ = Route(city.Routing, c.CategoryCode, c.CellCode)
	}
	if id == 0 {
		return &Error{Code: Unprocessable, Message: "no routing rule covers this category and place; choose a unit",
			Fields: map[string]string{"unit_id": "required: no routing rule matches"}}
	}
	u := city.Units[id]
	if u == nil || !u.Active {
		return &Error{Code: Unprocessable, Message: fmt.Sprintf("unknown unit %d", id), Fields: map[string]string{"unit_id": "unknown unit"}}
	}
	c.UnitID, c.DispatcherID = id, ev.ActorID
	c.Dispatches++
	ev.Data["unit_id"] = strconv.FormatInt(int64(id), 10)
	ev.Data["unit_code"] = u.Code
	return nil
}

// grantExtension moves the running stage's deadline by the parked extension,
// counted from the current deadline.
func grantExtension(city *City, c *Case, ev *CaseEvent, now time.Time) {
	ext := *c.PendingExtension
	c.PendingExtension = nil
	c.Extensions++
	ev.Data["extension"] = ext.String()
	if c.Deadline == nil {
		return
	}
	from := *c.Deadline
	if from.Before(now) {
		from = now
	}
	due := city.Deadline(from, ext)
	c.Deadline = &due
	c.Overdue = false
	d := c.Deadlines[c.Stage]
	d.Due = due
	c.Deadlines[c.Stage] = d
	ev.Deadline = &due
}

// remaining is how much of the running stage's limit is left at now, in
// working minutes (natural minutes for natural-hour limits); 0 when overdue.
func remaining(city *City, c *Case, now time.Time) int {
	if c.StageLimit.Unit == NaturalHours {
		return max(0, int(c.Deadline.Sub(now)/time.Minute))
	}
	return city.Calendar.WorkingMinutesBetween(now, *c.Deadline)
}

// resumeDeadline restarts the suspended clock with what was left.
func resumeDeadline(city *City, c *Case, now time.Time) time.Time {
	if c.StageLimit.Unit == NaturalHours {
		return now.Add(time.Duration(c.SuspendedLeft) * time.Minute)
	}
	return city.Calendar.AddWorkingMinutes(now, c.SuspendedLeft)
}

// SweepOverdue marks open cases whose stage deadline has passed as overdue,
// with an event and a notification each, and returns how many it marked.
// Running it twice marks nothing new.
func (s *CaseService) SweepOverdue(ctx context.Context) (int, error) {
	city := s.city()
	now := s.now().In(city.Location())
	marked := 0
	for {
		n := 0
		err := s.store.Update(ctx, func(tx Tx) error {
			due, err := tx.FindDueCases(ctx, now, 200)
			if err != nil {
				return err
			}
			for _, c := range due {
				ev, notify := city.MarkOverdue(c, now)
				if err := persist(ctx, tx, c, ev, notify); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		if err != nil {
			return marked, err
		}
		marked += n
		if n < 200 {
			return marked, nil
		}
	}
}
