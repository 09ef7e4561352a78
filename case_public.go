package civicgrid

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Public views serve channels open to anyone (Open311 GET requests, a
// citizen following a case by its number): only cases of public categories,
// and never who reported them.

// publicCase returns c as anyone may see it, or nil when its category is not
// public.
func (city *City) publicCase(c *Case) *Case {
	if !city.isPublic(c) {
		return nil
	}
	p := *c
	// The reporter, who took the report, and anything an app sent that
	// names its user (device and account ids) stay inside.
	p.Reporter, p.Intake.ReceivedBy, p.Intake.APIKeyID, p.InspectorID = Reporter{}, "", 0, 0
	if len(p.Intake.Attributes) > 0 {
		attrs := make(map[string]string, len(p.Intake.Attributes))
		for k, v := range p.Intake.Attributes {
			if !identifyingAttributes[k] {
				attrs[k] = v
			}
		}
		p.Intake.Attributes = attrs
	}
	return &p
}

// isPublic reports whether c is of a public category.
func (city *City) isPublic(c *Case) bool {
	cat := city.Categories[c.CategoryCode]
	return cat != nil && cat.Public
}

// identifyingAttributes are the Intake attributes that name or trace the
// reporter (Open311's device and account ids).
var identifyingAttributes = map[string]bool{"device_id": true, "account_id": true, "email": true, "phone": true,
	"first_name": true, "last_name": true}

// publicCategories returns the codes of the public categories, sorted.
func (city *City) publicCategories() []string {
	var out []string
	for code, c := range city.Categories {
		if c.Public && c.Active {
			out = append(out, code)
		}
	}
	slices.Sort(out)
	return out
}

// PublicList returns cases of public categories matching f, newest first,
// without reporters. Scope fields of f are ignored; anyone may call it.
func (s *CaseService) PublicList(ctx context.Context, f CaseFilter) (*CasePage, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		return nil, FieldError("limit", "must be between 1 and 1000")
	}
	city := s.city()
	f.ScopeArea, f.ScopeUnit, f.ScopeInspector, f.ScopeReporter = "", 0, 0, 0
	public := city.publicCategories()
	if len(f.Categories) == 0 {
		f.Categories = public
	} else {
		f.Categories = slices.DeleteFunc(slices.Clone(f.Categories), func(c string) bool { _, ok := slices.BinarySearch(public, c); return !ok })
		if len(f.Categories) == 0 {
			return &CasePage{}, nil
		}
	}
	page, err := s.findPage(ctx, f)
	if err != nil {
		return nil, err
	}
	for i, c := range page.Items {
		page.Items[i] = city.publicCase(c)
	}
	return page, nil
}

// PublicFind returns case id and its events as anyone may see them, or
// NotFound when the case does not exist or is not of a public category.
func (s *CaseService) PublicFind(ctx context.Context, id CaseID) (*Case, []*CaseEvent, error) {
	return s.publicFind(ctx, func(tx Tx) (*Case, error) { return tx.FindCase(ctx, id) })
}

// PublicFindByNumber is PublicFind by the case's public number
// (2026-000123), the id citizens and Open311 clients know.
func (s *CaseService) PublicFindByNumber(ctx context.Context, number string) (*Case, []*CaseEvent, error) {
	return s.publicFind(ctx, func(tx Tx) (*Case, error) { return tx.FindCaseByNumber(ctx, number) })
}

// publicFind returns the case find finds and its events, as anyone may see
// them.
func (s *CaseService) publicFind(ctx context.Context, find func(Tx) (*Case, error)) (*Case, []*CaseEvent, error) {
	city := s.city()
	var c *Case
	var events []*CaseEvent
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if c, err = find(tx); err != nil {
			return err
		}
		id := c.ID
		if c = city.publicCase(c); c == nil {
			return Errorf(NotFound, "case %d not found", id)
		}
		events, err = tx.FindEvents(ctx, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for i, e := range events {
		events[i] = publicEvent(e)
	}
	return c, events, nil
}

// PublicEvents returns the events between from and to of cases in public
// categories, oldest first, at most limit, for feeds of status updates.
func (s *CaseService) PublicEvents(ctx context.Context, from, to time.Time, limit int) ([]*CaseEvent, error) {
	if limit <= 0 || limit > 5000 {
		return nil, FieldError("limit", "must be between 1 and 5000")
	}
	city := s.city()
	var events []*CaseEvent
	err := s.store.View(ctx, func(tx Tx) error {
		all, err := tx.FindEventsBetween(ctx, from, to, limit)
		if err != nil {
			return err
		}
		cats := map[CaseID]bool{}
		for _, e := range all {
			public, seen := cats[e.CaseID]
			if !seen {
				c, err := tx.FindCase(ctx, e.CaseID)
				if err != nil {
					return err
				}
				public = city.isPublic(c)
				cats[e.CaseID] = public
			}
			if public {
				events = append(events, publicEvent(e))
			}
		}
		return nil
	})
	return events, err
}

// publicEvent returns e without who acted (staff names stay inside).
func publicEvent(e *CaseEvent) *CaseEvent {
	p := *e
	p.ActorID, p.ActorName = 0, ""
	if p.Action == ActionReport || p.Action == ActionRate { // a rating's remark is the reporter's own words
		p.Note = ""
	}
	return &p
}

// CommentInput is a remark on a case from outside the workflow: a citizen
// or an application adding information, or asking to reopen.
type CommentInput struct {
	Note       string   `json:"note"`
	Photos     []string `json:"photos,omitempty"`
	ExternalID string   `json:"external_id,omitempty"` // the sending system's update id
	Reopen     bool     `json:"reopen,omitempty"`      // the sender says the problem is not fixed
}

// Comment records a remark on case id as an event that changes no status;
// a remark asking to reopen a closed case also notifies the operators.
// Anyone who may report may comment on a case of a public category.
func (s *CaseService) Comment(ctx context.Context, id CaseID, in CommentInput) (*CaseEvent, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(reporterRoles, actor.Role) {
		return nil, Errorf(Forbidden, "the %s role may not comment", actor.Role)
	}
	in.Note = strings.TrimSpace(in.Note)
	if in.Note == "" || len([]rune(in.Note)) > 4000 {
		return nil, FieldError("note", "1–4000 characters")
	}
	city := s.city()
	var ev *CaseEvent
	err = s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.FindCase(ctx, id)
		if err != nil {
			return err
		}
		if !city.isPublic(c) && !actor.CanSee(c, city.Grid) {
			return Errorf(NotFound, "case %d not found", id)
		}
		if err := checkPhotos(ctx, tx, in.Photos); err != nil {
			return err
		}
		now := s.now().In(city.Location())
		ev = newEvent(c, ActionComment, actor, now)
		ev.Note, ev.Photos, ev.Data = in.Note, in.Photos, map[string]string{}
		if in.ExternalID != "" {
			ev.Data["external_id"] = in.ExternalID
		}
		var notify []string
		if in.Reopen {
			ev.Data["reopen"] = "requested"
			notify = []string{"operators"}
		}
		return persist(ctx, tx, c, ev, notify)
	})
	return ev, err
}
