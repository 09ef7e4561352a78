package civicgrid

import (
	"context"
	"time"
)

// CaseClock is the running stage clock of a case: all the command centre's
// dashboard needs to count it by status and traffic light, without
// loading the whole case.
type CaseClock struct {
	ID             CaseID     `json:"id"`
	Status         Status     `json:"status"`
	Stage          Stage      `json:"stage,omitempty"`
	StageStartedAt *time.Time `json:"stage_started_at,omitempty"`
	Deadline       *time.Time `json:"deadline,omitempty"`
	LimitUnit      LimitUnit  `json:"limit_unit,omitempty"`
}

// Case returns the clock as a case holding only the clock's fields, for
// rules that read a case's clock (the traffic light).
func (k CaseClock) Case() *Case {
	return &Case{ID: k.ID, Status: k.Status, Stage: k.Stage, StageStartedAt: k.StageStartedAt, Deadline: k.Deadline,
		StageLimit: TimeLimit{Unit: k.LimitUnit}}
}

// CaseClockStore answers the live counts of the command centre (指挥中心)
// from a few columns of the cases, so that a dashboard refreshing every few
// seconds reads no more than it shows.
type CaseClockStore interface {
	// FindOpenCaseClocks returns the clocks of the open cases (neither
	// closed nor cancelled) f selects, in no particular order; f's cursor,
	// offset and limit are ignored.
	FindOpenCaseClocks(ctx context.Context, f CaseFilter) ([]CaseClock, error)
	// CountCasesBySource returns how many cases f selects from each source;
	// sources with none are absent. f's cursor, offset and limit are
	// ignored.
	CountCasesBySource(ctx context.Context, f CaseFilter) (map[Source]int, error)
}

// centreActor returns the actor in ctx if they work in the command centre
// or lead it; Unauthorized or Forbidden otherwise.
func (s *CaseService) centreActor(ctx context.Context) (*User, error) {
	return requireCentre(ctx, "the dashboard is")
}

// OpenClocks returns the clocks of the open cases in the actor's area; only
// the command centre's staff may ask.
func (s *CaseService) OpenClocks(ctx context.Context) ([]CaseClock, error) {
	actor, err := s.centreActor(ctx)
	if err != nil {
		return nil, err
	}
	// No status filter: the store's own "open" condition is the one its
	// index of open cases serves.
	f := CaseFilter{}
	actor.ScopeFilter(&f)
	var out []CaseClock
	err = s.store.View(ctx, func(tx Tx) error {
		out, err = tx.FindOpenCaseClocks(ctx, f)
		return err
	})
	return out, err
}

// IntakeBySource returns how many cases in the actor's area were opened at
// or after from and before to, by source (渠道); only the command centre's
// staff may ask.
func (s *CaseService) IntakeBySource(ctx context.Context, from, to time.Time) (map[Source]int, error) {
	actor, err := s.centreActor(ctx)
	if err != nil {
		return nil, err
	}
	f := CaseFilter{CreatedFrom: &from, CreatedTo: &to}
	actor.ScopeFilter(&f)
	var out map[Source]int
	err = s.store.View(ctx, func(tx Tx) error {
		out, err = tx.CountCasesBySource(ctx, f)
		return err
	})
	return out, err
}
