package civicgrid

import (
	"context"
	"fmt"
	"time"
)

// HistoricCase is a case of the system a city used before (历史案卷): the
// old system's number, category, times, outcome and, when it had them,
// coordinates. Importing the history lets the new platform's statistics
// cover the years before it, and lets its numbers be checked against the
// old system's.
type HistoricCase struct {
	Line         int        `json:"line,omitempty"` // where it came from, for problems
	ExternalID   string     `json:"external_id"`
	CategoryCode string     `json:"category_code"`
	Source       Source     `json:"source"`
	CreatedAt    time.Time  `json:"created_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"` // when closed or cancelled
	Outcome      Outcome    `json:"outcome"`
	Lat          float64    `json:"lat,omitempty"` // 0, 0: the old system had no coordinates
	Lon          float64    `json:"lon,omitempty"`
	Address      string     `json:"address,omitempty"`
	Description  string     `json:"description,omitempty"`
}

// Outcome is how a historic case ended.
type Outcome string

// The outcomes.
const (
	OutcomeClosed    Outcome = "closed"    // 已结案
	OutcomeCancelled Outcome = "cancelled" // 已作废
	OutcomeOpen      Outcome = "open"      // still open: filed, waiting for dispatch
)

// HistoryImport is the outcome of an import.
type HistoryImport struct {
	Created   int `json:"created"`
	Repeated  int `json:"repeated"`  // imported before (same source and external id): left alone
	Unlocated int `json:"unlocated"` // created without a place, as the old system had none
	// EndedEarly counts cases the old system recorded as ending before
	// they were created (a close entered as a date without a time, a
	// mistyped year): kept as recorded, so the statistics match the old
	// system's, and counted here for someone to look at.
	EndedEarly int    `json:"ended_early"`
	Closed     int    `json:"closed"`     // of those created
	Cancelled  int    `json:"cancelled"`  // of those created
	StillOpen  int    `json:"still_open"` // of those created
	FirstCase  string `json:"first_case,omitempty"`
	FinalCase  string `json:"final_case,omitempty"`
	TookMillis int64  `json:"took_ms"`
}

// historyNote marks the events an import wrote: what happened between
// them in the old system is not known.
const historyNote = "历史案卷导入 imported from the previous system"

// ImportHistory stores cases of the previous system, all or nothing: every
// row is checked first and the problems of all are listed as "line N"
// fields; then all are written in one transaction. Each case gets the
// events its outcome implies, at the old system's times: report and
// filing (立案) when it was created, and close (结案) or cancel (作废) when
// it ended, so that the statistics count it as they count a case of
// today. The old system's times are kept as recorded, even an end before
// the start (counted in EndedEarly). Rows imported before are left alone, so a file may be imported
// twice. Historic cases are never folded into one another. Admins only.
func (s *CaseService) ImportHistory(ctx context.Context, rows []HistoricCase, progress func(done, total int)) (*HistoryImport, error) {
	start := time.Now()
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	actor := ActorFrom(ctx)
	city := s.city()
	fe := FieldErrors{}
	locs := make([]Location, len(rows))
	seen := map[string]int{}
	for i := range rows {
		h := &rows[i]
		line := fmt.Sprintf("line %d", h.Line)
		if h.Line == 0 {
			line = fmt.Sprintf("row %d", i+1)
		}
		if p := checkHistoric(city, h, &locs[i]); p != "" {
			fe.Add(line, p)
		} else if prev, dup := seen[string(h.Source)+"\x00"+h.ExternalID]; dup {
			fe.Add(line, fmt.Sprintf("external id %s is also on line %d", h.ExternalID, prev))
		} else {
			seen[string(h.Source)+"\x00"+h.ExternalID] = h.Line
		}
		if len(fe) >= 50 {
			break
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	res := &HistoryImport{}
	err := s.store.Update(ctx, func(tx Tx) error {
		for i := range rows {
			created, err := importHistoric(ctx, tx, city, actor, &rows[i], locs[i])
			if err != nil {
				return fmt.Errorf("line %d: %w", rows[i].Line, err)
			}
			if created == nil {
				res.Repeated++
			} else {
				res.count(created)
			}
			if progress != nil && (i%1000 == 0 || i == len(rows)-1) {
				progress(i+1, len(rows))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.TookMillis = time.Since(start).Milliseconds()
	return res, nil
}

// count adds a created case to the tallies.
func (r *HistoryImport) count(c *Case) {
	r.Created++
	if r.FirstCase == "" {
		r.FirstCase = c.Number
	}
	r.FinalCase = c.Number
	if c.CellCode == "" {
		r.Unlocated++
	}
	if c.ClosedAt != nil && c.ClosedAt.Before(c.CreatedAt) {
		r.EndedEarly++
	}
	switch c.Status {
	case StatusClosed:
		r.Closed++
	case StatusCancelled:
		r.Cancelled++
	default:
		r.StillOpen++
	}
}

// checkHistoric returns what is wrong with h, or "", and its place in loc.
func checkHistoric(city *City, h *HistoricCase, loc *Location) string {
	switch {
	case h.ExternalID == "":
		return "the previous system's number is required"
	case len(h.ExternalID) > 64:
		return "the previous system's number is longer than 64 characters"
	case !h.Source.Valid():
		return fmt.Sprintf("unknown source %q", h.Source)
	case h.CreatedAt.IsZero():
		return "the creation time is required"
	}
	if cat := city.Categories[h.CategoryCode]; cat == nil {
		return fmt.Sprintf("unknown category %q", h.CategoryCode)
	}
	switch h.Outcome {
	case OutcomeClosed, OutcomeCancelled:
		if h.ClosedAt == nil {
			return "a closed or cancelled case needs the time it ended"
		}
	case OutcomeOpen:
	default:
		return fmt.Sprintf("unknown outcome %q", h.Outcome)
	}
	if h.Lat == 0 && h.Lon == 0 {
		return ""
	}
	l, err := city.Grid.Locate(Point{Lat: h.Lat, Lon: h.Lon})
	if err != nil {
		return fmt.Sprintf("%.6f, %.6f is outside the managed area", h.Lat, h.Lon)
	}
	*loc = *l
	return ""
}

// importHistoric writes h as a case with its events, or returns nil when
// it was imported before.
func importHistoric(ctx context.Context, tx Tx, city *City, actor *User, h *HistoricCase, loc Location) (*Case, error) {
	switch _, err := tx.FindCaseReportByExternalID(ctx, h.Source, h.ExternalID); {
	case err == nil:
		return nil, nil
	case ErrorCodeOf(err) != NotFound:
		return nil, err
	}
	in := Intake{ExternalID: h.ExternalID, DeviceTime: &h.CreatedAt}
	c := &Case{Source: h.Source, CategoryCode: h.CategoryCode, Lat: h.Lat, Lon: h.Lon, Address: h.Address,
		CellCode: loc.CellCode, CommunityCode: loc.CommunityCode, StreetCode: loc.StreetCode, DistrictCode: loc.DistrictCode,
		Description: h.Description, Intake: in}
	at := h.CreatedAt.In(city.Location())
	ev := city.OpenCase(c, actor, at)
	ev.Data["imported"] = "history"
	if err := createCase(ctx, tx, c, ev, at); err != nil {
		return nil, err
	}
	rep := &CaseReport{CaseID: c.ID, Source: h.Source, Description: h.Description, Lat: h.Lat, Lon: h.Lon, Intake: in, At: at}
	if err := tx.AddCaseReport(ctx, rep); err != nil {
		return nil, err
	}
	step := func(action Action, to Status, when time.Time) error {
		ev := newEvent(c, action, actor, when)
		ev.To, ev.Note, ev.Data = to, historyNote, map[string]string{"imported": "history"}
		c.Status = to
		if to.Open() {
			city.startStage(city.Categories[c.CategoryCode], c, ev, StageDispatch, when)
		} else {
			closeStages(c, ev, when)
		}
		return persist(ctx, tx, c, ev, nil)
	}
	switch h.Outcome {
	case OutcomeCancelled:
		return c, step(ActionCancel, StatusCancelled, h.ClosedAt.In(city.Location()))
	case OutcomeClosed:
		if err := step(ActionFile, StatusFiled, at); err != nil {
			return nil, err
		}
		return c, step(ActionClose, StatusClosed, h.ClosedAt.In(city.Location()))
	}
	return c, step(ActionFile, StatusFiled, at)
}
