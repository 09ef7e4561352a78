package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"civicgrid"
)

// caseJSON is a case as the API shows it: the domain's fields, times in the
// city's zone, the actions the caller may take now and, on the detail
// route, the event log.
type caseJSON struct {
	*civicgrid.Case
	AllowedActions []civicgrid.Action     `json:"allowed_actions"`
	Events         []*civicgrid.CaseEvent `json:"events,omitempty"`
}

// caseListJSON is one page of cases.
type caseListJSON struct {
	Items      []caseJSON `json:"items"`
	NextCursor string     `json:"next_cursor"`
	Total      int        `json:"total"`
}

func (s *Server) handleCaseList(w http.ResponseWriter, r *http.Request) error {
	city := s.city.City()
	f, err := parseCaseFilter(r.URL.Query(), city)
	if err != nil {
		return err
	}
	page, err := s.cases.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := caseListJSON{Items: make([]caseJSON, len(page.Items)), Total: page.Total}
	for i, c := range page.Items {
		out.Items[i] = s.caseJSON(r.Context(), c, nil)
	}
	if page.More {
		out.NextCursor = encodeCursor(page.Items[len(page.Items)-1].ID)
	}
	return encode(w, http.StatusOK, out)
}

func (s *Server) handleCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	c, events, err := s.cases.Find(r.Context(), id)
	if err != nil {
		return err
	}
	if events == nil {
		events = []*civicgrid.CaseEvent{}
	}
	return encode(w, http.StatusOK, s.caseJSON(r.Context(), c, events))
}

func (s *Server) handleCaseAct(w http.ResponseWriter, r *http.Request) error {
	id, err := pathCaseID(r)
	if err != nil {
		return err
	}
	in, err := decode[civicgrid.ActionInput](w, r) // runs ActionInput.Validate
	if err != nil {
		return err
	}
	c, err := s.cases.Act(r.Context(), id, in)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, s.caseJSON(r.Context(), c, nil))
}

// pathCaseID parses the {id} of a case route.
func pathCaseID(r *http.Request) (civicgrid.CaseID, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, civicgrid.FieldError("id", "must be a case id, a positive integer")
	}
	return civicgrid.CaseID(id), nil
}

// caseJSON renders c for the actor in ctx, with its times in the city's
// zone.
func (s *Server) caseJSON(ctx context.Context, c *civicgrid.Case, events []*civicgrid.CaseEvent) caseJSON {
	loc := s.city.City().Location()
	allowed := s.cases.Allowed(ctx, c)
	if allowed == nil {
		allowed = []civicgrid.Action{}
	}
	out := caseJSON{Case: localCase(c, loc), AllowedActions: allowed}
	if events != nil {
		out.Events = make([]*civicgrid.CaseEvent, len(events))
		for i, e := range events {
			out.Events[i] = localEvent(e, loc)
		}
	}
	return out
}

// localCase returns a copy of c with every time in loc.
func localCase(c *civicgrid.Case, loc *time.Location) *civicgrid.Case {
	cc := *c
	cc.CreatedAt, cc.UpdatedAt = c.CreatedAt.In(loc), c.UpdatedAt.In(loc)
	cc.StageStartedAt, cc.Deadline, cc.ClosedAt = timeIn(c.StageStartedAt, loc), timeIn(c.Deadline, loc), timeIn(c.ClosedAt, loc)
	cc.Intake.DeviceTime = timeIn(c.Intake.DeviceTime, loc)
	if c.Deadlines != nil {
		cc.Deadlines = make(map[civicgrid.Stage]civicgrid.Deadline, len(c.Deadlines))
		for st, d := range c.Deadlines {
			d.Started, d.Due, d.Ended = d.Started.In(loc), d.Due.In(loc), timeIn(d.Ended, loc)
			cc.Deadlines[st] = d
		}
	}
	return &cc
}

// localEvent returns a copy of e with every time in loc.
func localEvent(e *civicgrid.CaseEvent, loc *time.Location) *civicgrid.CaseEvent {
	ee := *e
	ee.At, ee.Deadline = e.At.In(loc), timeIn(e.Deadline, loc)
	return &ee
}

func timeIn(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(loc)
	return &v
}
