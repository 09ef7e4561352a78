package demo

import (
	"context"
	"fmt"
	"time"

	"civicgrid"
)

// machine replays the real workflow engine (civicgrid.City's OpenCase, Step
// and MarkOverdue) on cases in memory, with the demo's users and
// registered components as its Lookup. It writes nothing; Build stores the
// resulting cases and events in bulk, bumping versions as the store would.
type machine struct {
	city  *civicgrid.City
	users map[civicgrid.UserID]*civicgrid.User
	// components is the component register, by code.
	components map[string]*civicgrid.RegisteredComponent
}

var _ civicgrid.Lookup = (*machine)(nil)

// input is what an actor supplies with an action.
type input struct {
	unit      civicgrid.UnitID
	inspector civicgrid.UserID
	note      string
	extension *civicgrid.TimeLimit
}

// FindUser returns a demo user, or NotFound.
func (m *machine) FindUser(ctx context.Context, id civicgrid.UserID) (*civicgrid.User, error) {
	if u := m.users[id]; u != nil {
		return u, nil
	}
	return nil, civicgrid.Errorf(civicgrid.NotFound, "user %d not found", id)
}

// FindComponent returns a registered demo component, or NotFound.
func (m *machine) FindComponent(ctx context.Context, code string) (*civicgrid.RegisteredComponent, error) {
	if c := m.components[code]; c != nil {
		return c, nil
	}
	return nil, civicgrid.Errorf(civicgrid.NotFound, "component %s not found", code)
}

// report opens c (filled in by the caller up to its location, reporter and
// description) at now and returns its first event.
func (m *machine) report(c *civicgrid.Case, actor *civicgrid.User, now time.Time) *civicgrid.CaseEvent {
	return m.city.OpenCase(c, actor, now)
}

// apply takes action a on c for actor at now through the engine and returns
// the event, or an error when the engine refuses it (a bug in the
// generator).
func (m *machine) apply(c *civicgrid.Case, actor *civicgrid.User, a civicgrid.Action, in input, now time.Time) (*civicgrid.CaseEvent, error) {
	ev, _, err := m.city.Step(context.Background(), m, c, actor, civicgrid.ActionInput{
		Action: a, Version: c.Version, UnitID: in.unit, InspectorID: in.inspector, Note: in.note, Extension: in.extension,
	}, now)
	if err != nil {
		return nil, fmt.Errorf("demo: case %s: %s (%s) %s: %w", c.Number, actor.Name, actor.Role, a, err)
	}
	c.Version++
	c.UpdatedAt = now
	return ev, nil
}

// overdue records, as the overdue sweep does, that c's running stage passed
// its deadline; the sweep found it at now.
func (m *machine) overdue(c *civicgrid.Case, now time.Time) *civicgrid.CaseEvent {
	ev, _ := m.city.MarkOverdue(c, now)
	c.Version++
	c.UpdatedAt = now
	return ev
}
