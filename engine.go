package civicgrid

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Lookup finds what an action refers to: the inspector it tasks and the
// registered component it routes by. A Tx is a Lookup; so is anything that
// keeps users and components in memory.
type Lookup interface {
	FindUser(ctx context.Context, id UserID) (*User, error)
	FindComponent(ctx context.Context, code string) (*RegisteredComponent, error)
}

// OpenCase turns a located, described case into a new report by actor at
// now: status reported, the accept clock running, version 1. It returns the
// report event. The caller has set the location, category, source,
// reporter and description.
func (city *City) OpenCase(c *Case, actor *User, now time.Time) *CaseEvent {
	cat := city.Categories[c.CategoryCode]
	if actor.Role == RoleCitizen || actor.Role == RoleInspector {
		c.Reporter.UserID = actor.ID // an inspector's valid reports are kept by it
	}
	c.Status, c.Reports = StatusReported, 1
	c.Urgent = c.Urgent || (cat != nil && cat.Urgent)
	c.WorkflowVersion, c.CreatedAt, c.UpdatedAt, c.Version = city.Workflow.Version, now, now, 1
	c.Deadlines = map[Stage]Deadline{}
	ev := &CaseEvent{Action: ActionReport, ActorID: actor.ID, ActorName: actor.Name, Role: actor.Role, At: now,
		To: StatusReported, Note: c.Description, Photos: c.Photos, Data: map[string]string{"source": string(c.Source)}}
	city.startStage(cat, c, ev, StageAccept, now)
	return ev
}

// Step applies in to c as actor at now, in memory: it checks role, scope,
// version, status and guards against the transition table, checks the
// inputs, runs the rule's effects and moves the stage clocks. It returns the
// event to append and the rule's notification targets; c is changed only
// when it succeeds, except that its version is not bumped (the caller
// persists it).
func (city *City) Step(ctx context.Context, lk Lookup, c *Case, actor *User, in ActionInput, now time.Time) (*CaseEvent, []string, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, err
	}
	rule := city.Workflow.Rule(in.Action)
	if rule == nil || in.Action == ActionReport || in.Action == ActionOverdue {
		return nil, nil, FieldError("action", fmt.Sprintf("unknown action %q", in.Action))
	}
	if err := checkInputs(rule, &in); err != nil {
		return nil, nil, err
	}
	allowed := city.Workflow.Allowed(c, actor, city.Grid)
	if allowed == nil {
		allowed = []Action{} // a refusal always says what is allowed, even nothing
	}
	if !rule.allowsRole(c, actor.Role) || !actor.canActOn(c, city.Grid) {
		return nil, nil, &Error{Code: Forbidden, Message: fmt.Sprintf("the %s role may not %s this case", actor.Role, in.Action), Allowed: allowed}
	}
	if in.Version != c.Version {
		return nil, nil, &Error{Code: Conflict, Message: fmt.Sprintf("case %s changed: version is %d, not %d; reload it", c.Number, c.Version, in.Version),
			Fields: map[string]string{"version": "stale"}, Allowed: allowed}
	}
	if !slices.Contains(allowed, in.Action) {
		return nil, nil, &Error{Code: Conflict, Message: fmt.Sprintf("%s is not allowed while the case is %s", in.Action, c.Status), Allowed: allowed}
	}
	next := c.clone()
	ev, err := city.apply(ctx, lk, next, actor, rule, in, now)
	if err != nil {
		return nil, nil, err
	}
	*c = *next
	return ev, rule.Notify, nil
}

// apply moves c by rule and returns the event describing the move.
func (city *City) apply(ctx context.Context, lk Lookup, c *Case, actor *User, r *Rule, in ActionInput, now time.Time) (*CaseEvent, error) {
	ev := newEvent(c, r.Action, actor, now)
	ev.Note, ev.Photos, ev.Data = in.Note, in.Photos, map[string]string{}
	if r.To == Previous {
		ev.To = c.SuspendedFrom
	} else if r.To != "" {
		ev.To = r.To
	}
	for _, e := range r.Effects {
		if err := city.effect(ctx, lk, c, e, in, ev, now); err != nil {
			return nil, err
		}
	}
	c.Status = ev.To
	switch {
	case r.Starts != "":
		city.startStage(city.Categories[c.CategoryCode], c, ev, r.Starts, now)
	case !c.Status.Open():
		closeStages(c, ev, now)
	}
	c.Photos = append(c.Photos, in.Photos...)
	return ev, nil
}

// MarkOverdue records that c's running stage is past its deadline and
// returns the event and whom to tell.
func (city *City) MarkOverdue(c *Case, now time.Time) (*CaseEvent, []string) {
	c.Overdue = true
	d := c.Deadlines[c.Stage]
	d.Overdue = true
	c.Deadlines[c.Stage] = d
	ev := newEvent(c, ActionOverdue, SystemUser, now)
	ev.Deadline, ev.Data = c.Deadline, map[string]string{"stage": string(c.Stage)}
	notify := []string{"dispatchers"}
	switch c.Status {
	case StatusDispatched, StatusHandling:
		notify = append(notify, "unit")
	case StatusVerifying, StatusChecking:
		notify = append(notify, "inspector")
	}
	return ev, notify
}

// startStage ends the running stage clock, if any, and starts stage st.
func (city *City) startStage(cat *Category, c *Case, ev *CaseEvent, st Stage, now time.Time) {
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

// closeStages ends the running stage clock of c, which has just closed,
// records it on ev, and leaves c with no stage.
func closeStages(c *Case, ev *CaseEvent, now time.Time) {
	endStage(c, ev, now)
	c.Stage, c.StageStartedAt, c.Deadline, c.StageLimit = "", nil, nil, TimeLimit{}
	c.ClosedAt = &now
}

// newEvent returns an event of action on c by actor at now that leaves c's
// status as it is; the caller adds the rest.
func newEvent(c *Case, action Action, actor *User, now time.Time) *CaseEvent {
	return &CaseEvent{CaseID: c.ID, Action: action, ActorID: actor.ID, ActorName: actor.Name, Role: actor.Role, At: now,
		From: c.Status, To: c.Status}
}

// clone returns a copy of c that shares nothing mutable with it.
func (c *Case) clone() *Case {
	n := *c
	n.Deadlines = make(map[Stage]Deadline, len(c.Deadlines))
	for k, v := range c.Deadlines {
		n.Deadlines[k] = v
	}
	n.Photos = slices.Clone(c.Photos)
	if c.PendingExtension != nil {
		p := *c.PendingExtension
		n.PendingExtension = &p
	}
	return &n
}
