package civicgrid

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// SavedViewID identifies a saved view.
type SavedViewID int64

// SavedView is a user's named filter of the case list (常用筛选): "my
// district's overdue cases", "filed, waiting for dispatch". Query holds the
// list's filter parameters, URL-encoded (status=filed&district=330102).
type SavedView struct {
	ID        SavedViewID `json:"id"`
	UserID    UserID      `json:"user_id"`
	Name      string      `json:"name"`
	Query     string      `json:"query"`
	CreatedAt time.Time   `json:"created_at"`
}

// Limits of saved views.
const (
	maxSavedViews     = 30 // per user
	maxSavedViewName  = 40 // characters
	maxSavedViewQuery = 1000
)

// Validate checks the view's own fields.
func (v *SavedView) Validate() error {
	fe := FieldErrors{}
	switch n := utf8.RuneCountInString(v.Name); {
	case strings.TrimSpace(v.Name) == "":
		fe.Add("name", "required")
	case n > maxSavedViewName:
		fe.Add("name", "at most 40 characters")
	}
	if len(v.Query) > maxSavedViewQuery {
		fe.Add("query", "at most 1000 bytes")
	} else if _, err := url.ParseQuery(v.Query); err != nil {
		fe.Add("query", "not a URL query")
	}
	return fe.Err()
}

// SavedViewStore persists saved views.
type SavedViewStore interface {
	// CreateSavedView stores v and sets v.ID; Conflict when the user has a
	// view of that name, Invalid when the user does not exist.
	CreateSavedView(ctx context.Context, v *SavedView) error
	// FindSavedViews returns the user's views, by name.
	FindSavedViews(ctx context.Context, user UserID) ([]*SavedView, error)
	// DeleteSavedView removes the user's view id; NotFound when the user
	// has no such view.
	DeleteSavedView(ctx context.Context, user UserID, id SavedViewID) error
}

// SavedViewService keeps each user's saved views of the case list.
type SavedViewService struct {
	store Store
	now   func() time.Time
}

// NewSavedViewService returns a service over store.
func NewSavedViewService(store Store, now func() time.Time) *SavedViewService {
	return &SavedViewService{store: store, now: now}
}

// viewer returns the actor in ctx: anyone signed in but an application or
// a citizen, who have no case list.
func viewer(ctx context.Context) (*User, error) {
	u := ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	if u.Role == RoleCitizen || u.Role == RoleSystem {
		return nil, Errorf(Forbidden, "saved views are for the case list's users")
	}
	return u, nil
}

// Save stores the actor's view name of the case list filtered by query;
// Conflict when they have a view of that name, Invalid when they have too
// many.
func (s *SavedViewService) Save(ctx context.Context, name, query string) (*SavedView, error) {
	u, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	v := &SavedView{UserID: u.ID, Name: strings.TrimSpace(name), Query: query, CreatedAt: s.now().Truncate(time.Millisecond)}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		views, err := tx.FindSavedViews(ctx, u.ID)
		if err != nil {
			return err
		}
		if len(views) >= maxSavedViews {
			return FieldError("name", "at most 30 saved views: delete one first")
		}
		return tx.CreateSavedView(ctx, v)
	})
	if ErrorCodeOf(err) == Conflict {
		return nil, &Error{Code: Conflict, Message: "you have a view named " + v.Name, Fields: map[string]string{"name": "in use"}, Err: err}
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// List returns the actor's views, by name.
func (s *SavedViewService) List(ctx context.Context) ([]*SavedView, error) {
	u, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	var views []*SavedView
	err = s.store.View(ctx, func(tx Tx) error {
		views, err = tx.FindSavedViews(ctx, u.ID)
		return err
	})
	return views, err
}

// Delete removes the actor's view id; NotFound when they have none such.
func (s *SavedViewService) Delete(ctx context.Context, id SavedViewID) error {
	u, err := viewer(ctx)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.DeleteSavedView(ctx, u.ID, id) })
}
