package open311

import (
	"context"
	"net/http"
	"time"

	"civicgrid"
)

// Limits of GET requests.
const (
	maxWindow       = 90 * 24 * time.Hour // the longest start_date..end_date span, and the default window
	defaultVolume   = 1000                // requests returned without paging
	defaultPageSize = 50
	maxPageSize     = 500
	maxIDs          = 200 // service_request_ids in one query
)

// requestQuery is a parsed GET requests.
type requestQuery struct {
	numbers []string // service_request_id: when set, the other filters are ignored
	filter  civicgrid.CaseFilter
	ext     bool
}

// parseRequestQuery reads the filters of GET requests.
func (s *server) parseRequestQuery(r *http.Request, loc *time.Location) (*requestQuery, error) {
	q := &requestQuery{ext: boolParam(r, "extensions"), numbers: values(r, "service_request_id")}
	fe := civicgrid.FieldErrors{}
	if len(q.numbers) > maxIDs {
		fe.Add("service_request_id", "at most 200 ids")
	}
	if len(q.numbers) > 0 {
		return q, fe.Err()
	}
	f := &q.filter
	f.Categories = values(r, "service_code")
	var err error
	if f.Statuses, err = statusFilter(values(r, "status")); err != nil {
		fe.Add("status", civicgrid.AsError(err).Fields["status"])
	}
	start, end := timeParam(r, "start_date", loc, fe), timeParam(r, "end_date", loc, fe)
	after, before := timeParam(r, "updated_after", loc, fe), timeParam(r, "updated_before", loc, fe)
	switch {
	case start != nil && end != nil && end.Before(*start):
		fe.Add("end_date", "must not be before start_date")
	case start != nil && end != nil && end.Sub(*start) > maxWindow:
		fe.Add("end_date", "start_date to end_date may span at most 90 days")
	case start != nil && end == nil:
		end = ptr(start.Add(maxWindow))
	case start == nil && end != nil:
		start = ptr(end.Add(-maxWindow))
	case start == nil && after == nil && before == nil:
		start = ptr(s.now().Add(-maxWindow))
	}
	// end_date and updated_after name the last time included and the time
	// after which to include; the filter's bounds are "to, exclusive" and
	// "from, inclusive", and the stores keep milliseconds.
	f.CreatedFrom = start
	if end != nil {
		f.CreatedTo = ptr(end.Add(time.Millisecond))
	}
	if after != nil {
		f.UpdatedFrom = ptr(after.Add(time.Millisecond))
	}
	f.UpdatedTo = before
	size := intParam(r, "page_size", defaultPageSize, maxPageSize, fe)
	page := intParam(r, "page", 1, 1_000_000, fe)
	if param(r, "page") == "" && param(r, "page_size") == "" {
		f.Limit = defaultVolume
	} else {
		f.Limit, f.Offset = size, (page-1)*size
	}
	return q, fe.Err()
}

func ptr[T any](v T) *T { return &v }

// handleRequestList serves GET requests.
func (s *server) handleRequestList(w http.ResponseWriter, r *http.Request, f format) error {
	city := s.city()
	q, err := s.parseRequestQuery(r, city.Location())
	if err != nil {
		return err
	}
	var found []foundCase
	if len(q.numbers) > 0 {
		found, err = s.findNumbers(r.Context(), q.numbers)
	} else {
		found, err = s.list(r.Context(), q.filter)
	}
	if err != nil {
		return err
	}
	return s.writeRequests(w, r, f, found, q.ext)
}

// handleRequestShow serves GET requests/{id}: a list of one request.
func (s *server) handleRequestShow(w http.ResponseWriter, r *http.Request, f format) error {
	number, err := resourceName(r)
	if err != nil {
		return err
	}
	c, events, err := s.findByNumber(r.Context(), number)
	if err != nil {
		return err
	}
	return s.writeRequests(w, r, f, []foundCase{{c, events}}, boolParam(r, "extensions"))
}

// foundCase is a case with its public events.
type foundCase struct {
	c      *civicgrid.Case
	events []*civicgrid.CaseEvent
}

// list returns the public cases matching filter with their events.
func (s *server) list(ctx context.Context, filter civicgrid.CaseFilter) ([]foundCase, error) {
	page, err := s.cases.PublicList(ctx, filter)
	if err != nil {
		return nil, err
	}
	out := make([]foundCase, 0, len(page.Items))
	for _, c := range page.Items {
		full, events, err := s.cases.PublicFind(ctx, c.ID)
		if civicgrid.ErrorCodeOf(err) == civicgrid.NotFound {
			continue // its category stopped being public since the list was read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, foundCase{full, events})
	}
	return out, nil
}

// findNumbers returns the public cases with the numbers, in the order
// given; unknown numbers are left out.
func (s *server) findNumbers(ctx context.Context, numbers []string) ([]foundCase, error) {
	var out []foundCase
	seen := map[string]bool{}
	for _, n := range numbers {
		if seen[n] {
			continue
		}
		seen[n] = true
		c, events, err := s.findByNumber(ctx, n)
		switch civicgrid.ErrorCodeOf(err) {
		case "":
			out = append(out, foundCase{c, events})
		case civicgrid.NotFound:
		default:
			return nil, err
		}
	}
	return out, nil
}

// writeRequests writes the service_requests list.
func (s *server) writeRequests(w http.ResponseWriter, r *http.Request, f format, found []foundCase, ext bool) error {
	city, lang := s.city(), langOf(r)
	items := make([]any, len(found))
	for i, fc := range found {
		items[i] = requestItem(city, fc.c, fc.events, lang, ext)
	}
	return write(w, f, http.StatusOK, document{"service_requests", list{"request", items}})
}

// requestItem renders a case as a service request, in the spec's field
// order; ext adds extended_attributes and notes.
func requestItem(city *civicgrid.City, c *civicgrid.Case, events []*civicgrid.CaseEvent, lang string, ext bool) object {
	loc := city.Location()
	var name, agency any
	if cat := city.Categories[c.CategoryCode]; cat != nil {
		name = cat.Name.In(lang)
	}
	if u := city.Units[c.UnitID]; u != nil {
		agency = u.Name.In(lang)
	}
	into := mergedInto(events)
	var notice, expected any
	if into != "" {
		notice = mergedNotice.In(lang) + into
	}
	if c.Status.Open() {
		expected = timeIn(c.Deadline, loc)
	}
	o := object{
		{"service_request_id", c.Number},
		{"status", requestStatus(c.Status, into != "", ext)},
		{"status_notes", orNull(statusNotes(events))},
		{"service_name", name},
		{"service_code", c.CategoryCode},
		{"description", orNull(c.Description)},
		{"agency_responsible", agency},
		{"service_notice", notice},
		{"requested_datetime", timeIn(&c.CreatedAt, loc)},
		{"updated_datetime", timeIn(&c.UpdatedAt, loc)},
		{"expected_datetime", expected},
		{"address", orNull(c.Address)},
		{"address_id", nil},
		{"zipcode", nil},
		{"lat", c.Lat},
		{"long", c.Lon},
		{"media_url", orNull(c.Intake.Attributes[mediaURLKey(1)])},
	}
	if !ext {
		return o
	}
	return append(o,
		member{"extended_attributes", object{
			{"channel", string(c.Source)},
			{"cell_code", c.CellCode},
			{"community_code", c.CommunityCode},
			{"street_code", c.StreetCode},
			{"district_code", c.DistrictCode},
			{"status_detail", string(c.Status)},
			{"deadline", timeIn(c.Deadline, loc)},
			{"duplicate_reports", max(0, c.Reports-1)},
		}},
		member{"notes", notes(city, events, lang)},
	)
}

var mergedNotice = civicgrid.Text{Zh: "已合并到案件 ", En: "merged into request "}

// mergedInto returns the number of the case this one was merged into, or "".
func mergedInto(events []*civicgrid.CaseEvent) string {
	for _, e := range events {
		if e.Action == civicgrid.ActionMergedInto {
			return e.Data["into"]
		}
	}
	return ""
}
