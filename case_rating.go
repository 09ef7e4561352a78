package civicgrid

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// ActionRate is a reporter's rating of the result of a closed case
// (满意度评价 / 回访): an event outside the workflow, like a comment, that
// changes no status and is counted as rated (回访数) and, at 4 or 5,
// satisfied (满意数).
const ActionRate Action = "rate"

// SatisfiedScore is the lowest score that counts as satisfied (满意).
const SatisfiedScore = 4

// RatingInput is a reporter's rating of a case's result: a score from 1
// (very dissatisfied) to 5 (very satisfied) and an optional remark.
type RatingInput struct {
	Score  int    `json:"score"`
	Remark string `json:"remark,omitempty"`
}

// Validate checks the input's own fields.
func (in *RatingInput) Validate() error {
	fe := FieldErrors{}
	if in.Score < 1 || in.Score > 5 {
		fe.Add("score", "must be 1 to 5")
	}
	if len([]rune(strings.TrimSpace(in.Remark))) > 500 {
		fe.Add("remark", "at most 500 characters")
	}
	return fe.Err()
}

// Rating is one rating of a case, read back from its rate event.
type Rating struct {
	Score   int       `json:"score"`
	Remark  string    `json:"remark,omitempty"`
	At      time.Time `json:"at"`
	ActorID UserID    `json:"-"`
}

// Satisfied reports whether the rating counts as satisfied.
func (r Rating) Satisfied() bool { return r.Score >= SatisfiedScore }

// RatingsOf returns the ratings among a case's events, oldest first.
func RatingsOf(events []*CaseEvent) []Rating {
	var out []Rating
	for _, ev := range events {
		if r, ok := ratingOf(ev); ok {
			out = append(out, r)
		}
	}
	return out
}

// ratingOf reads the rating of a rate event.
func ratingOf(ev *CaseEvent) (Rating, bool) {
	if ev.Action != ActionRate {
		return Rating{}, false
	}
	score, err := strconv.Atoi(ev.Data["score"])
	if err != nil {
		return Rating{}, false
	}
	return Rating{Score: score, Remark: ev.Note, At: ev.At, ActorID: ev.ActorID}, true
}

// ratingScore is the score a rate event carries, 0 for any other event.
func ratingScore(ev *CaseEvent) int {
	r, _ := ratingOf(ev)
	return r.Score
}

// RatingState is what the actor may do about rating case: whether they
// reported it, whether it is closed, and their rating if they gave one.
type RatingState struct {
	Reporter bool
	Closed   bool
	Mine     *Rating
}

// CanRate reports whether the actor may rate the case now.
func (st RatingState) CanRate() bool { return st.Reporter && st.Closed && st.Mine == nil }

// RatingState returns the actor's RatingState for case id. Anyone not
// signed in, or not a citizen, is no reporter.
func (s *CaseService) RatingState(ctx context.Context, id CaseID) (RatingState, error) {
	var st RatingState
	actor := ActorFrom(ctx)
	if actor == nil || actor.Role != RoleCitizen || !actor.Active {
		return st, nil
	}
	err := s.store.View(ctx, func(tx Tx) error {
		c, err := tx.FindCase(ctx, id)
		if err != nil {
			return err
		}
		st, err = ratingState(ctx, tx, c, actor)
		return err
	})
	return st, err
}

// ratingState reads actor's RatingState for c in tx.
func ratingState(ctx context.Context, tx Tx, c *Case, actor *User) (RatingState, error) {
	st := RatingState{Closed: c.Status == StatusClosed}
	reporter, err := reportedBy(ctx, tx, c, actor.ID)
	if err != nil {
		return st, err
	}
	st.Reporter = reporter
	events, err := tx.FindEvents(ctx, c.ID)
	if err != nil {
		return st, err
	}
	for _, ev := range events {
		if r, ok := ratingOf(ev); ok && r.ActorID == actor.ID {
			st.Mine = &r
		}
	}
	return st, nil
}

// reportedBy reports whether user reported c: its first report or one
// folded into it.
func reportedBy(ctx context.Context, tx Tx, c *Case, user UserID) (bool, error) {
	if c.Reporter.UserID == user {
		return true, nil
	}
	reports, err := tx.FindCaseReports(ctx, c.ID)
	if err != nil {
		return false, err
	}
	for _, r := range reports {
		if r.Reporter.UserID == user {
			return true, nil
		}
	}
	return false, nil
}

// Rate records the actor's rating of the result of case id, a closed case
// they reported, as a rate event; each reporter rates a case once. It
// refuses anyone but a signed-in citizen who reported the case (Forbidden),
// a case that is not closed (Conflict) and a second rating (Conflict).
func (s *CaseService) Rate(ctx context.Context, id CaseID, in RatingInput) (*CaseEvent, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleCitizen {
		return nil, Errorf(Forbidden, "only the citizen who reported a case may rate its result")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	city := s.city()
	var ev *CaseEvent
	err = s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.FindCase(ctx, id)
		if err != nil {
			return err
		}
		st, err := ratingState(ctx, tx, c, actor)
		if err != nil {
			return err
		}
		switch {
		case !st.Reporter:
			if !city.isPublic(c) {
				return Errorf(NotFound, "case %d not found", id)
			}
			return Errorf(Forbidden, "only a reporter of case %s may rate it; you did not report it", c.Number)
		case !st.Closed:
			return Errorf(Conflict, "case %s is not closed yet (%s): rate it when it is closed", c.Number, c.Status.Name().En)
		case st.Mine != nil:
			return Errorf(Conflict, "you rated case %s already (%d of 5)", c.Number, st.Mine.Score)
		}
		ev = newEvent(c, ActionRate, actor, s.now().In(city.Location()))
		ev.Note = strings.TrimSpace(in.Remark)
		ev.Data = map[string]string{"score": strconv.Itoa(in.Score)}
		return persist(ctx, tx, c, ev, nil)
	})
	return ev, err
}
