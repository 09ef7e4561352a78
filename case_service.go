package civicgrid

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
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

// ReportInput is a new report.
type ReportInput struct {
	CategoryCode  string   `json:"category_code"`
	Lat           float64  `json:"lat"`
	Lon           float64  `json:"lon"`
	CRS           CRS      `json:"crs,omitempty"`
	Address       string   `json:"address,omitempty"`
	Description   string   `json:"description"`
	Source        Source   `json:"source"`
	Reporter      Reporter `json:"reporter,omitzero"`
	ComponentCode string   `json:"component_code,omitempty"`
	Photos        []string `json:"photos,omitempty"`
	Urgent        bool     `json:"urgent,omitempty"`
}

// Validate checks the input's own fields.
func (in *ReportInput) Validate() error {
	fe := FieldErrors{}
	if in.CategoryCode == "" {
		fe.Add("category_code", "required")
	}
	switch {
	case in.Lat == 0 && in.Lon == 0:
		fe.Add("lat", "required")
		fe.Add("lon", "required")
	case math.IsNaN(in.Lat) || in.Lat < -90 || in.Lat > 90:
		fe.Add("lat", "must be a latitude between -90 and 90")
	case math.IsNaN(in.Lon) || in.Lon < -180 || in.Lon > 180:
		fe.Add("lon", "must be a longitude between -180 and 180")
	}
	if in.CRS != "" && !in.CRS.Valid() {
		fe.Add("crs", "must be wgs84, gcj02 or bd09")
	}
	if d := strings.TrimSpace(in.Description); d == "" {
		fe.Add("description", "required")
	} else if len([]rune(d)) > 2000 {
		fe.Add("description", "at most 2000 characters")
	}
	if len([]rune(in.Address)) > 300 {
		fe.Add("address", "at most 300 characters")
	}
	if in.Source == "" {
		fe.Add("source", "required")
	} else if !in.Source.Valid() {
		fe.Add("source", "unknown source")
	}
	if len(in.Photos) > 9 {
		fe.Add("photos", "at most 9 photos")
	}
	return fe.Err()
}

// reporterRoles may open cases.
var reporterRoles = []Role{RoleAdmin, RoleOperator, RoleShiftLeader, RoleInspector, RoleLeader, RoleCitizen, RoleSystem}

// Report opens a case from a report.
func (s *CaseService) Report(ctx context.Context, in ReportInput) (*Case, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(reporterRoles, actor.Role) {
		return nil, Errorf(Forbidden, "the %s role may not open cases", actor.Role)
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	city := s.city()
	cat := city.Categories[in.CategoryCode]
	if cat == nil || !cat.Active || (actor.Role == RoleCitizen && !cat.Public) {
		return nil, &Error{Code: Unprocessable, Message: fmt.Sprintf("unknown category %q", in.CategoryCode),
			Fields: map[string]string{"category_code": "unknown category"}}
	}
	crs := in.CRS
	if crs == "" {
		crs = WGS84
	}
	pt, err := ToWGS84(Point{Lat: in.Lat, Lon: in.Lon}, crs)
	if err != nil {
		return nil, err
	}
	loc, err := city.Grid.Locate(pt)
	if err != nil {
		return nil, err
	}
	now := s.now().In(city.Location())
	c := &Case{
		Source: in.Source, CategoryCode: cat.Code, Lat: pt.Lat, Lon: pt.Lon, Address: strings.TrimSpace(in.Address),
		CellCode: loc.CellCode, CommunityCode: loc.CommunityCode, StreetCode: loc.StreetCode, DistrictCode: loc.DistrictCode,
		ComponentCode: in.ComponentCode, Description: strings.TrimSpace(in.Description), Reporter: in.Reporter,
		Urgent: in.Urgent, Photos: in.Photos,
	}
	ev := city.OpenCase(c, actor, now)
	err = s.store.Update(ctx, func(tx Tx) error {
		if err := checkPhotos(ctx, tx, in.Photos); err != nil {
			return err
		}
		if in.ComponentCode != "" {
			if _, err := tx.FindComponent(ctx, in.ComponentCode); err != nil {
				return fieldNotFound(err, "component_code", "unknown component")
			}
		}
		seq, err := tx.NextCaseSeq(ctx, now.Year())
		if err != nil {
			return err
		}
		c.Number = fmt.Sprintf("%d-%06d", now.Year(), seq)
		if err := tx.CreateCase(ctx, c); err != nil {
			return err
		}
		ev.CaseID = c.ID
		if err := tx.AppendEvent(ctx, ev); err != nil {
			return err
		}
		return tx.EnqueueOutbox(ctx, outboxEntry(c, ev, "role:operator", now))
	})
	if err != nil {
		return nil, err
	}
	return c.RedactFor(actor), nil
}

// checkPhotos makes sure every referenced photo was uploaded.
func checkPhotos(ctx context.Context, tx Tx, ids []string) error {
	for _, id := range ids {
		if _, err := tx.FindAttachment(ctx, id); err != nil {
			return fieldNotFound(err, "photos", "unknown photo "+id)
		}
	}
	return nil
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
		if c, err = tx.FindCase(ctx, id); err != nil {
			return err
		}
		if !actor.CanSee(c, s.city().Grid) {
			return Errorf(NotFound, "case %d not found", id)
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
	limit := f.Limit
	f.Limit++ // one more than a page tells whether another follows
	page := &CasePage{}
	err = s.store.View(ctx, func(tx Tx) error {
		page.Items, page.Total, err = tx.FindCases(ctx, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(page.Items) > limit {
		page.Items, page.More = page.Items[:limit], true
	}
	for i, c := range page.Items {
		page.Items[i] = c.RedactFor(actor)
	}
	return page, nil
}

// Allowed returns the actions the actor may take on c now.
func (s *CaseService) Allowed(ctx context.Context, c *Case) []Action {
	actor := ActorFrom(ctx)
	if actor == nil {
		return nil
	}
	return s.city().Workflow.Allowed(c, actor, s.city().Grid)
}
