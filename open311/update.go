package open311

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// Limits of servicerequestupdates.
const (
	defaultUpdateWindow = 2 * time.Hour // FixMyStreet's default
	maxUpdates          = 5000
)

// handleUpdateList serves FixMyStreet's GET servicerequestupdates: one
// update per public event (but the reports that opened the cases and the
// overdue marks) between start_date and end_date, by default the last two
// hours, oldest first, at most 5000.
func (s *server) handleUpdateList(w http.ResponseWriter, r *http.Request, f format) error {
	city := s.city()
	loc := city.Location()
	fe := civicgrid.FieldErrors{}
	start, end := timeParam(r, "start_date", loc, fe), timeParam(r, "end_date", loc, fe)
	switch {
	case start == nil && end == nil:
		end = ptr(s.now())
		start = ptr(end.Add(-defaultUpdateWindow))
	case end == nil:
		end = ptr(s.now())
	case start == nil:
		start = ptr(end.Add(-defaultUpdateWindow))
	}
	if start != nil && end != nil && (end.Before(*start) || end.Sub(*start) > maxWindow) {
		fe.Add("end_date", "must be after start_date and at most 90 days later")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	events, err := s.cases.PublicEvents(r.Context(), *start, end.Add(time.Millisecond), maxUpdates)
	if err != nil {
		return err
	}
	events = slices.DeleteFunc(events, func(e *civicgrid.CaseEvent) bool { return !shown(e) || e.Action == civicgrid.ActionReport })
	numbers, err := s.numbersOf(r.Context(), events)
	if err != nil {
		return err
	}
	lang := langOf(r)
	var items []any
	for _, e := range events {
		if numbers[e.CaseID] == "" {
			continue
		}
		items = append(items, object{
			{"update_id", strconv.FormatInt(e.ID, 10)},
			{"service_request_id", numbers[e.CaseID]},
			{"status", updateStatus(e)},
			{"updated_datetime", timeIn(&e.At, loc)},
			{"description", summary(city, e, lang)},
			{"media_url", nil},
			{"external_status_code", string(e.To)},
		})
	}
	return write(w, f, http.StatusOK, document{"service_request_updates", list{"request_update", items}})
}

// updateStatus is the upper-case extended status a case had after e.
func updateStatus(e *civicgrid.CaseEvent) string {
	if e.Action == civicgrid.ActionMergedInto {
		return strings.ToUpper(statusDuplicate)
	}
	return strings.ToUpper(extendedStatus[e.To])
}

// numbersOf returns the public numbers of the events' cases.
func (s *server) numbersOf(ctx context.Context, events []*civicgrid.CaseEvent) (map[civicgrid.CaseID]string, error) {
	var ids []civicgrid.CaseID
	for _, e := range events {
		if !slices.Contains(ids, e.CaseID) {
			ids = append(ids, e.CaseID)
		}
	}
	numbers := make(map[civicgrid.CaseID]string, len(ids))
	for chunk := range slices.Chunk(ids, 1000) {
		page, err := s.cases.PublicList(ctx, civicgrid.CaseFilter{IDs: chunk, Limit: len(chunk)})
		if err != nil {
			return nil, err
		}
		for _, c := range page.Items {
			numbers[c.ID] = c.Number
		}
	}
	return numbers, nil
}

// handleUpdateCreate serves FixMyStreet's POST servicerequestupdates: an
// update from the client's side (a citizen's comment, or "not fixed") is
// recorded on the case as a comment; REOPEN asks the operators to reopen
// it. An update_id sent before returns the first answer.
func (s *server) handleUpdateCreate(w http.ResponseWriter, r *http.Request, f format) error {
	ctx, _, err := s.authenticate(r)
	if err != nil {
		return err
	}
	fe := civicgrid.FieldErrors{}
	updateID, number := param(r, "update_id"), param(r, "service_request_id")
	status := strings.ToUpper(param(r, "status"))
	for name, v := range map[string]string{"update_id": updateID, "service_request_id": number, "status": status} {
		if v == "" {
			fe.Add(name, "required")
		}
	}
	if len(updateID) > 64 {
		fe.Add("update_id", "at most 64 characters")
	}
	if status != "" && !slices.Contains(updateStatuses, status) {
		fe.Add("status", "must be one of "+strings.Join(updateStatuses, ", "))
	}
	if v := param(r, "updated_datetime"); v == "" {
		fe.Add("updated_datetime", "required")
	} else if _, err := parseTime("updated_datetime", v, s.city().Location()); err != nil {
		fe.Add("updated_datetime", civicgrid.AsError(err).Fields["updated_datetime"])
	}
	note := updateNote(r, status, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	c, events, err := s.findByNumber(ctx, number)
	if err != nil {
		return err
	}
	id := previousUpdate(events, updateID)
	if id == 0 {
		ev, err := s.cases.Comment(ctx, c.ID, civicgrid.CommentInput{Note: note, ExternalID: updateID, Reopen: status == "REOPEN"})
		if err != nil {
			return err
		}
		id = ev.ID
	}
	return write(w, f, http.StatusOK, document{"service_request_updates", list{"request_update", []any{object{
		{"update_id", strconv.FormatInt(id, 10)},
	}}}})
}

// updateNote is the comment an update makes: its description (or, without
// one, its status) and its media_url links, one a line.
func updateNote(r *http.Request, status string, fe civicgrid.FieldErrors) string {
	note := param(r, "description")
	if note == "" {
		note = "状态更新：" + status
	}
	links := map[string]string{}
	mediaURLs(r, links, fe)
	for i := 1; links[mediaURLKey(i)] != ""; i++ {
		note += "\n" + links[mediaURLKey(i)]
	}
	return note
}

// previousUpdate returns the id of the comment an earlier update with
// updateID made, or 0.
func previousUpdate(events []*civicgrid.CaseEvent, updateID string) int64 {
	for _, e := range events {
		if e.Action == civicgrid.ActionComment && e.Data["external_id"] == updateID {
			return e.ID
		}
	}
	return 0
}
