package civicgrid

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ActionInput is an action on a case. Version must be the case's current
// version: a stale version is a Conflict, so two people cannot act on the
// same state.
type ActionInput struct {
	Action      Action     `json:"action"`
	Version     int        `json:"version"`
	UnitID      UnitID     `json:"unit_id,omitempty"`
	InspectorID UserID     `json:"inspector_id,omitempty"`
	Note        string     `json:"note,omitempty"`
	Extension   *TimeLimit `json:"extension,omitempty"`
	Photos      []string   `json:"photos,omitempty"`
}

// Act applies an action to case id and returns the updated case.
func (s *CaseService) Act(ctx context.Context, id CaseID, in ActionInput) (*Case, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	city := s.city()
	rule := city.Workflow.Rule(in.Action)
	if rule == nil || in.Action == ActionReport || in.Action == ActionOverdue {
		return nil, FieldError("action", fmt.Sprintf("unknown action %q", in.Action))
	}
	if err := checkInputs(rule, &in); err != nil {
		return nil, err
	}
	var c *Case
	err = s.store.Update(ctx, func(tx Tx) error {
		if c, err = tx.FindCase(ctx, id); err != nil {
			return err
		}
		if !actor.CanSee(c, city.Grid) {
			return Errorf(NotFound, "case %d not found", id)
		}
		allowed := city.Workflow.Allowed(c, actor, city.Grid)
		if !rule.allowsRole(c, actor.Role) || !actor.canActOn(c, city.Grid) {
			return &Error{Code: Forbidden, Message: fmt.Sprintf("a %s may not %s this case", actor.Role, in.Action), Allowed: allowed}
		}
		if in.Version != c.Version {
			return &Error{Code: Conflict, Message: fmt.Sprintf("case %s changed: version is %d, not %d; reload it", c.Number, c.Version, in.Version),
				Fields: map[string]string{"version": "stale"}, Allowed: allowed}
		}
		if !slices.Contains(allowed, in.Action) {
			return &Error{Code: Conflict, Message: fmt.Sprintf("%s is not allowed while the case is %s", in.Action, c.Status), Allowed: allowed}
		}
		if err := checkPhotos(ctx, tx, in.Photos); err != nil {
			return err
		}
		now := s.now().In(city.Location())
		ev, err := s.apply(ctx, tx, city, actor, c, rule, in, now)
		if err != nil {
			return err
		}
		return persist(ctx, tx, c, ev, rule.Notify)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkInputs makes sure the values the rule needs were given.
func checkInputs(r *Rule, in *ActionInput) error {
	fe := FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > 2000 {
		fe.Add("note", "at most 2000 characters")
	}
	for _, need := range r.Needs {
		switch need {
		case InputNote:
			if in.Note == "" {
				fe.Add("note", "a reason or result is required for "+string(r.Action))
			}
		case InputUnit:
			if in.UnitID == 0 {
				fe.Add("unit_id", "required")
			}
		case InputExtension:
			if in.Extension == nil {
				fe.Add("extension", "required, e.g. {\"amount\": 2, \"unit\": \"working_days\"}")
			} else if err := in.Extension.Validate(); err != nil {
				fe.Add("extension", ErrorMessage(err))
			}
		}
	}
	if len(in.Photos) > 9 {
		fe.Add("photos", "at most 9 photos")
	}
	return fe.Err()
}

// apply moves c by rule and returns the event describing the move.
func (s *CaseService) apply(ctx context.Context, tx Tx, city *City, actor *User, c *Case, r *Rule, in ActionInput, now time.Time) (*CaseEvent, error) {
	ev := &CaseEvent{CaseID: c.ID, Action: r.Action, ActorID: actor.ID, ActorName: actor.Name, Role: actor.Role, At: now,
		From: c.Status, To: c.Status, Note: in.Note, Photos: in.Photos, Data: map[string]string{}}
	if r.To == Previous {
		ev.To = c.SuspendedFrom
	} else if r.To != "" {
		ev.To = r.To
	}
	for _, e := range r.Effects {
		if err := s.effect(ctx, tx, city, c, e, in, ev, now); err != nil {
			return nil, err
		}
	}
	c.Status = ev.To
	cat := city.Categories[c.CategoryCode]
	switch {
	case r.Starts != "":
		s.startStage(city, cat, c, ev, r.Starts, now)
	case !c.Status.Open():
		endStage(c, ev, now)
		c.Stage, c.StageStartedAt, c.Deadline, c.StageLimit = "", nil, nil, TimeLimit{}
		c.ClosedAt = &now
	}
	c.Photos = append(c.Photos, in.Photos...)
	return ev, nil
}

// persist writes c (one version up), its event and the notifications.
func persist(ctx context.Context, tx Tx, c *Case, ev *CaseEvent, notify []string) error {
	c.Version++
	c.UpdatedAt = ev.At
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	var entries []*OutboxEntry
	for _, to := range notify {
		if r := recipient(c, to); r != "" {
			entries = append(entries, outboxEntry(c, ev, r, ev.At))
		}
	}
	if len(entries) == 0 {
		return nil
	}
	return tx.EnqueueOutbox(ctx, entries...)
}

// recipient resolves a rule's notify target for c, or "" when there is
// nobody to tell.
func recipient(c *Case, to string) string {
	switch to {
	case "unit":
		if c.UnitID != 0 {
			return "unit:" + strconv.FormatInt(int64(c.UnitID), 10)
		}
	case "inspector":
		if c.InspectorID != 0 {
			return "user:" + strconv.FormatInt(int64(c.InspectorID), 10)
		}
	case "reporter":
		if c.Reporter.UserID != 0 {
			return "user:" + strconv.FormatInt(int64(c.Reporter.UserID), 10)
		}
		if c.Reporter.Phone != "" {
			return "phone:" + c.Reporter.Phone
		}
	case "dispatchers":
		return "role:dispatcher"
	}
	return ""
}

// outboxEntry describes event ev of case c for recipient.
func outboxEntry(c *Case, ev *CaseEvent, recipient string, now time.Time) *OutboxEntry {
	payload, _ := json.Marshal(map[string]any{
		"case_id": c.ID, "number": c.Number, "action": ev.Action, "status": c.Status,
		"category_code": c.CategoryCode, "deadline": c.Deadline, "note": ev.Note,
	})
	return &OutboxEntry{Topic: "case." + string(ev.Action), CaseID: c.ID, Recipient: recipient,
		Payload: string(payload), RunAt: now, CreatedAt: now}
}

// startStage ends the running stage clock, if any, and starts stage s.
func (s *CaseService) startStage(city *City, cat *Category, c *Case, ev *CaseEvent, st Stage, now time.Time) {
	endStage(c, ev, now)
	limit := city.Limit(cat, st)
	due := city.Deadline(now, limit)
	started := now
	c.Stage, c.StageStartedAt, c.StageLimit, c.Deadline, c.Overdue = st, &started, limit, &due, false
	if c.Deadlines == nil {
		c.Deadlines = map[Stage]Deadline{}
	}
	c.Deadlines[st] = Deadline{Started: now, Due: due}
	ev.Deadline = &due
}

// endStage stops the running stage clock and records on ev whether it
// finished on time.
func endStage(c *Case, ev *CaseEvent, now time.Time) {
	if c.Stage == "" || c.Deadline == nil {
		return
	}
	d := c.Deadlines[c.Stage]
	ended := now
	d.Ended = &ended
	onTime := !now.After(*c.Deadline)
	d.Overdue = d.Overdue || !onTime
	c.Deadlines[c.Stage] = d
	ev.StageEnded, ev.OnTime = c.Stage, &onTime
}
