package civicgrid

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// ActionInput is an action on a case. Version must be the case's current
// version: a stale version is a Conflict, so two people cannot act on the
// same state.
type ActionInput struct {
	Action      Action     `json:"action"`
	Version     int        `json:"version"`
	UnitID      UnitID     `json:"unit_id,omitempty"`
	InspectorID UserID     `json:"inspector_id,omitempty"`
	Note        string     `json:"note,omitempty"`
	Extension   *TimeLimit `json:"extension,omitempty"`
	Photos      []string   `json:"photos,omitempty"`
}

// Validate checks the input's own fields.
func (in *ActionInput) Validate() error {
	fe := FieldErrors{}
	if in.Action == "" {
		fe.Add("action", "required")
	}
	if in.Version < 1 {
		fe.Add("version", "required: the case's current version")
	}
	if len([]rune(in.Note)) > 2000 {
		fe.Add("note", "at most 2000 characters")
	}
	if len(in.Photos) > 9 {
		fe.Add("photos", "at most 9 photos")
	}
	return fe.Err()
}

// Act applies an action to case id and returns the updated case.
func (s *CaseService) Act(ctx context.Context, id CaseID, in ActionInput) (*Case, error) {
	actor, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	city := s.city()
	var c *Case
	err = s.store.Update(ctx, func(tx Tx) error {
		if c, err = tx.FindCase(ctx, id); err != nil {
			return err
		}
		if !actor.CanSee(c, city.Grid) {
			return Errorf(NotFound, "case %d not found", id)
		}
		if err := checkPhotos(ctx, tx, in.Photos); err != nil {
			return err
		}
		ev, notify, err := city.Step(ctx, tx, c, actor, in, s.now().In(city.Location()))
		if err != nil {
			return err
		}
		return persist(ctx, tx, c, ev, notify)
	})
	if err != nil {
		return nil, err
	}
	return c.RedactFor(actor), nil
}

// checkInputs makes sure the values the rule needs were given.
func checkInputs(r *Rule, in *ActionInput) error {
	fe := FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	for _, need := range r.Needs {
		switch need {
		case InputNote:
			if in.Note == "" {
				fe.Add("note", "a reason or result is required for "+string(r.Action))
			}
		case InputUnit:
			if in.UnitID == 0 {
				fe.Add("unit_id", "required")
			}
		case InputExtension:
			if in.Extension == nil {
				fe.Add("extension", "required, e.g. {\"amount\": 2, \"unit\": \"working_days\"}")
			} else if err := in.Extension.Validate(); err != nil {
				fe.Add("extension", ErrorMessage(err))
			}
		}
	}
	return fe.Err()
}

// persist writes c (one version up), its event with its counts, and the
// notifications.
func persist(ctx context.Context, tx Tx, c *Case, ev *CaseEvent, notify []string) error {
	c.Version++
	c.UpdatedAt = ev.At
	if err := tx.UpdateCase(ctx, c); err != nil {
		return err
	}
	if err := RecordEvent(ctx, tx, c, ev); err != nil {
		return err
	}
	var entries []*OutboxEntry
	for _, to := range notify {
		recipients := []string{recipient(c, to)}
		if to == "reporter" {
			var err error
			if recipients, err = reporterRecipients(ctx, tx, c); err != nil {
				return err
			}
		}
		for _, r := range recipients {
			if r != "" {
				entries = append(entries, outboxEntry(c, ev, r, ev.At))
			}
		}
	}
	if len(entries) == 0 {
		return nil
	}
	return tx.EnqueueOutbox(ctx, entries...)
}

// recipient resolves a rule's notify target for c, or "" when there is
// nobody to tell.
func recipient(c *Case, to string) string {
	switch to {
	case "unit":
		if c.UnitID != 0 {
			return "unit:" + strconv.FormatInt(int64(c.UnitID), 10)
		}
	case "inspector":
		if c.InspectorID != 0 {
			return "user:" + strconv.FormatInt(int64(c.InspectorID), 10)
		}
	case "dispatchers":
		return "role:dispatcher"
	case "operators":
		return "role:operator"
	}
	return ""
}

// reporterRecipients returns one recipient for every reporter of c who can
// be reached, each once: a signed-in reporter as a user, else by phone,
// else by e-mail.
func reporterRecipients(ctx context.Context, tx Tx, c *Case) ([]string, error) {
	reports, err := tx.FindCaseReports(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if len(reports) == 0 { // a case stored before reports were kept
		reports = []*CaseReport{{Reporter: c.Reporter}}
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range reports {
		to := ""
		switch {
		case r.Reporter.UserID != 0:
			to = "user:" + strconv.FormatInt(int64(r.Reporter.UserID), 10)
		case r.Reporter.Phone != "":
			to = "phone:" + r.Reporter.Phone
		case r.Reporter.Email != "":
			to = "email:" + r.Reporter.Email
		}
		if to != "" && !seen[to] {
			seen[to] = true
			out = append(out, to)
		}
	}
	return out, nil
}

// outboxEntry describes event ev of case c for recipient.
func outboxEntry(c *Case, ev *CaseEvent, recipient string, now time.Time) *OutboxEntry {
	payload, _ := json.Marshal(map[string]any{
		"case_id": c.ID, "number": c.Number, "action": ev.Action, "status": c.Status,
		"category_code": c.CategoryCode, "deadline": c.Deadline, "note": ev.Note,
	})
	return &OutboxEntry{Topic: "case." + string(ev.Action), CaseID: c.ID, Recipient: recipient,
		Payload: string(payload), RunAt: now, CreatedAt: now}
}
