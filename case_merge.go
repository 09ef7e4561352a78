package civicgrid

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// mergeRoles may merge and split cases.
var mergeRoles = []Role{RoleAdmin, RoleOperator, RoleShiftLeader}

// MergeInput merges case From into case Into, each at its current version.
type MergeInput struct {
	From        CaseID `json:"from"`
	FromVersion int    `json:"from_version"`
	Into        CaseID `json:"into"`
	IntoVersion int    `json:"into_version"`
	Note        string `json:"note,omitempty"`
}

// Merge makes case From a duplicate of case Into: From's reports move to
// Into, From is cancelled with a merged_into event, and Into records a merge
// event and counts the reports. Both must be open and visible to the actor.
func (s *CaseService) Merge(ctx context.Context, in MergeInput) (*Case, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(mergeRoles, actor.Role) {
		return nil, Errorf(Forbidden, "the %s role may not merge cases", actor.Role)
	}
	if in.From == in.Into || in.From == 0 || in.Into == 0 {
		return nil, FieldError("into", "name two different cases")
	}
	city := s.city()
	var into *Case
	err = s.store.Update(ctx, func(tx Tx) error {
		from, err := s.openVisible(ctx, tx, actor, in.From, in.FromVersion)
		if err != nil {
			return err
		}
		if into, err = s.openVisible(ctx, tx, actor, in.Into, in.IntoVersion); err != nil {
			return err
		}
		moved, err := tx.MoveCaseReports(ctx, from.ID, into.ID)
		if err != nil {
			return err
		}
		now := s.now().In(city.Location())
		note := strings.TrimSpace(in.Note)
		gone := newEvent(from, ActionMergedInto, actor, now)
		gone.To, gone.Note, gone.Data = StatusCancelled, note, map[string]string{"into": into.Number, "into_id": strconv.FormatInt(int64(into.ID), 10)}
		from.Status = StatusCancelled
		closeStages(from, gone, now)
		if err := persist(ctx, tx, from, gone, nil); err != nil {
			return err
		}
		into.Reports += max(moved, from.Reports)
		into.Photos = append(into.Photos, from.Photos...)
		merged := newEvent(into, ActionMerge, actor, now)
		merged.Note, merged.Data = note, map[string]string{"from": from.Number, "from_id": strconv.FormatInt(int64(from.ID), 10),
			"reports": strconv.Itoa(moved)}
		return persist(ctx, tx, into, merged, nil)
	})
	if err != nil {
		return nil, err
	}
	return into.RedactFor(actor), nil
}

// SplitInput splits one report off case ID into a case of its own.
type SplitInput struct {
	Version  int    `json:"version"`
	ReportID int64  `json:"report_id"`
	Note     string `json:"note,omitempty"`
}

// Split turns one report of case id into a new case of the same category at
// the report's place, for a report that was folded in but is another
// problem. It returns the new case.
func (s *CaseService) Split(ctx context.Context, id CaseID, in SplitInput) (*Case, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(mergeRoles, actor.Role) {
		return nil, Errorf(Forbidden, "the %s role may not split cases", actor.Role)
	}
	city := s.city()
	var nc *Case
	err = s.store.Update(ctx, func(tx Tx) error {
		c, err := s.openVisible(ctx, tx, actor, id, in.Version)
		if err != nil {
			return err
		}
		reports, err := tx.FindCaseReports(ctx, c.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(reports, func(r *CaseReport) bool { return r.ID == in.ReportID })
		switch {
		case i < 0:
			return &Error{Code: Unprocessable, Message: fmt.Sprintf("case %s has no report %d", c.Number, in.ReportID), Fields: map[string]string{"report_id": "not a report of this case"}}
		case len(reports) < 2:
			return &Error{Code: Conflict, Message: "a case with one report cannot be split", Fields: map[string]string{"report_id": "the case's only report"}}
		}
		r := reports[i]
		loc, err := city.Grid.Locate(Point{Lat: r.Lat, Lon: r.Lon})
		if err != nil {
			return err
		}
		now := s.now().In(city.Location())
		nc = &Case{Source: r.Source, CategoryCode: c.CategoryCode, Lat: r.Lat, Lon: r.Lon, CellCode: loc.CellCode,
			CommunityCode: loc.CommunityCode, StreetCode: loc.StreetCode, DistrictCode: loc.DistrictCode,
			Description: r.Description, Reporter: r.Reporter, Intake: r.Intake, Photos: r.Photos}
		ev := city.OpenCase(nc, actor, now)
		ev.Data["split_from"] = c.Number
		if err := createCase(ctx, tx, nc, ev, now); err != nil {
			return err
		}
		if _, err := tx.MoveCaseReports(ctx, c.ID, nc.ID, r.ID); err != nil {
			return err
		}
		c.Reports = max(1, c.Reports-1)
		split := newEvent(c, ActionSplit, actor, now)
		split.Note, split.Data = strings.TrimSpace(in.Note), map[string]string{"new_case": nc.Number, "report_id": strconv.FormatInt(r.ID, 10),
			"source": string(r.Source)}
		return persist(ctx, tx, c, split, nil)
	})
	if err != nil {
		return nil, err
	}
	return nc.RedactFor(actor), nil
}

// openVisible returns case id for a merge or split: visible to actor, open,
// and at version.
func (s *CaseService) openVisible(ctx context.Context, tx Tx, actor *User, id CaseID, version int) (*Case, error) {
	c, err := tx.FindCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanSee(c, s.city().Grid) {
		return nil, Errorf(NotFound, "case %d not found", id)
	}
	if c.Version != version {
		return nil, &Error{Code: Conflict, Message: fmt.Sprintf("case %s changed: version is %d, not %d; reload it", c.Number, c.Version, version),
			Fields: map[string]string{"version": "stale"}}
	}
	if !c.Status.Open() {
		return nil, Errorf(Conflict, "case %s is %s; only open cases can be merged or split", c.Number, c.Status)
	}
	return c, nil
}
