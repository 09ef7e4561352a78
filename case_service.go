package civicgrid

import (
	"context"
	"time"
)

// CaseService runs the case workflow: reports, actions, queries and the
// overdue sweep. It authorizes the actor (from the context), validates,
// applies the transition table, and writes the case, its event and its
// notifications in one transaction.
type CaseService struct {
	store Store
	city  func() *City
	now   func() time.Time
}

// NewCaseService returns a service over store, reading reference data from
// city and the time from now. Times are kept to the millisecond, the
// precision the stores keep, so a case reads the same before and after it
// is stored.
func NewCaseService(store Store, city func() *City, now func() time.Time) *CaseService {
	return &CaseService{store: store, city: city, now: func() time.Time { return now().Truncate(time.Millisecond) }}
}

// checkPhotos makes sure every referenced photo was uploaded.
func checkPhotos(ctx context.Context, tx Tx, ids []string) error {
	_, err := findPhotos(ctx, tx, ids)
	return err
}

// findPhotos returns the referenced photos, or Unprocessable naming one
// that was never uploaded.
func findPhotos(ctx context.Context, tx Tx, ids []string) ([]*Attachment, error) {
	out := make([]*Attachment, 0, len(ids))
	for _, id := range ids {
		a, err := tx.FindAttachment(ctx, id)
		if err != nil {
			return nil, fieldNotFound(err, "photos", "unknown photo "+id)
		}
		out = append(out, a)
	}
	return out, nil
}

// assessPhotos judges each photo of a report made at p and at against its
// EXIF place and time, and flags c when any is weak evidence.
func assessPhotos(c *Case, photos []*Attachment, p Point, at time.Time) {
	for _, a := range photos {
		var x *EXIF
		if a.Taken != nil || a.GPS != nil {
			x = &EXIF{Taken: a.Taken, Point: a.GPS}
		}
		ev := AssessPhoto(a.ID, x, p, at, DefaultEvidenceRules())
		c.Evidence = append(c.Evidence, ev)
		c.WeakEvidence = c.WeakEvidence || ev.Weak
	}
}

// fieldNotFound turns a NotFound from a lookup into an Unprocessable error
// naming the input field.
func fieldNotFound(err error, field, problem string) error {
	if ErrorCodeOf(err) != NotFound {
		return err
	}
	return &Error{Code: Unprocessable, Message: field + ": " + problem, Fields: map[string]string{field: problem}}
}

// actor returns the actor in ctx, or Unauthorized.
func (s *CaseService) actor(ctx context.Context) (*User, error) {
	u := ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	return u, nil
}

// Find returns the case with id and its events, if the actor may see it.
func (s *CaseService) Find(ctx context.Context, id CaseID) (*Case, []*CaseEvent, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	var c *Case
	var events []*CaseEvent
	err = s.store.View(ctx, func(tx Tx) error {
		if c, err = s.findFollowed(ctx, tx, actor, id); err != nil {
			return err
		}
		events, err = tx.FindEvents(ctx, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return c.RedactFor(actor), events, nil
}

// CasePage is one page of a case list.
type CasePage struct {
	Items []*Case
	Total int  // how many cases match the filter in all
	More  bool // whether another page follows the last item
}

// List returns the cases matching f that the actor may see, newest first.
func (s *CaseService) List(ctx context.Context, f CaseFilter) (*CasePage, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		return nil, FieldError("limit", "must be between 1 and 500")
	}
	f.ScopeArea, f.ScopeUnit, f.ScopeInspector, f.ScopeReporter = "", 0, 0, 0
	actor.ScopeFilter(&f)
	page, err := s.findPage(ctx, f)
	if err != nil {
		return nil, err
	}
	for i, c := range page.Items {
		page.Items[i] = c.RedactFor(actor)
	}
	return page, nil
}

// findPage returns the page of cases f selects. It asks the store for one
// more than f.Limit: that one tells whether another page follows.
func (s *CaseService) findPage(ctx context.Context, f CaseFilter) (*CasePage, error) {
	limit := f.Limit
	f.Limit++
	page := &CasePage{}
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		page.Items, page.Total, err = tx.FindCases(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items, page.More = page.Items[:limit], true
	}
	return page, nil
}

// Reports returns the reports of case id, each as the actor may see it.
func (s *CaseService) Reports(ctx context.Context, id CaseID) ([]*CaseReport, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	var reports []*CaseReport
	err = s.store.View(ctx, func(tx Tx) error {
		if _, err := s.findFollowed(ctx, tx, actor, id); err != nil {
			return err
		}
		reports, err = tx.FindCaseReports(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, r := range reports {
		reports[i] = r.RedactFor(actor)
	}
	return reports, nil
}

// findFollowed returns case id, or NotFound when actor may not follow it.
func (s *CaseService) findFollowed(ctx context.Context, tx Tx, actor *User, id CaseID) (*Case, error) {
	c, err := tx.FindCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := canFollow(ctx, tx, actor, c, s.city().Grid); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(NotFound, "case %d not found", id)
	}
	return c, nil
}

// canFollow reports whether actor may see case c: by their scope, or, for a
// citizen, because one of the case's reports is theirs (a report folded
// into someone else's case).
func canFollow(ctx context.Context, tx Tx, actor *User, c *Case, g *Grid) (bool, error) {
	if actor.CanSee(c, g) {
		return true, nil
	}
	if actor.Role != RoleCitizen {
		return false, nil
	}
	reports, err := tx.FindCaseReports(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, r := range reports {
		if r.Reporter.UserID == actor.ID {
			return true, nil
		}
	}
	return false, nil
}

// Allowed returns the actions the actor may take on c now.
func (s *CaseService) Allowed(ctx context.Context, c *Case) []Action {
	actor := ActorFrom(ctx)
	if actor == nil {
		return nil
	}
	city := s.city()
	return city.Workflow.Allowed(c, actor, city.Grid)
}
