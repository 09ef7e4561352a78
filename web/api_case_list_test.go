package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// caseList is a page of the case list.
type caseList struct {
	Items      []caseOut `json:"items"`
	NextCursor string    `json:"next_cursor"`
	Total      int       `json:"total"`
}

func TestCaseList(t *testing.T) {
	e := newEnv(t)
	// Five cases over two days: garbage in each cell, and a manhole in
	// cell A2 the next day, filed and dispatched to the municipal unit.
	var ids []int64
	for i := range cellCodes {
		ids = append(ids, e.report("operator", catGarbage, i).ID)
		e.clock.Advance(time.Minute)
	}
	e.clock.Advance(24 * time.Hour)
	m := e.report("citizen", catManhole, 1)
	ids = append(ids, m.ID)
	m = e.walk(t, m, []step{{"operator", "file", nil, "filed"}, {"dispatcher", "dispatch", nil, "dispatched"}})

	list := func(t *testing.T, actor, query string) caseList {
		t.Helper()
		r := e.do("GET", "/api/v1/cases?"+query, actor, nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET ?%s: %d %s", query, r.status, r.body)
		}
		return decodeBody[caseList](t, r)
	}
	idsOf := func(l caseList) []int64 {
		var out []int64
		for _, c := range l.Items {
			out = append(out, c.ID)
		}
		return out
	}
	rev := func(ids ...int64) []int64 { out := slices.Clone(ids); slices.Reverse(out); return out }

	filters := []struct {
		name, actor, query string
		want               []int64
	}{
		{"all, newest first", "admin", "", rev(ids...)},
		{"status", "admin", "status=dispatched", []int64{m.ID}},
		{"status list", "admin", "status=reported,dispatched", rev(ids...)},
		{"status repeated", "admin", "status=filed&status=dispatched", []int64{m.ID}},
		{"category", "admin", "category=" + catManhole, []int64{m.ID}},
		{"cell", "admin", "cell=" + cellA2, rev(ids[1], m.ID)},
		{"community", "admin", "community=330102001001", rev(ids[0], ids[1], m.ID)},
		{"street", "admin", "street=330102001", rev(ids[0], ids[1], ids[2], m.ID)},
		{"district", "admin", "district=330102", rev(ids...)},
		{"the most specific area wins", "admin", "district=330102&street=330102002&cell=" + cellA1, []int64{ids[0]}},
		{"unit id", "admin", "unit=" + itoa(int64(e.units[unitMunic].ID)), []int64{m.ID}},
		{"unit code", "admin", "unit=" + unitMunic, []int64{m.ID}},
		{"source", "admin", "source=inspector", rev(ids...)},
		{"not overdue", "admin", "overdue=false", rev(ids...)},
		{"overdue", "admin", "overdue=true", nil},
		{"created on a date", "admin", "created_from=2026-03-10&created_to=2026-03-10", rev(ids[:4]...)},
		{"created from an instant", "admin", "created_from=" + url.QueryEscape("2026-03-10T09:02:00+08:00"), rev(ids[2:]...)},
		{"created before an instant in UTC", "admin", "created_to=2026-03-10T01:01:00Z", []int64{ids[0]}},
		{"a citizen sees their own", "citizen", "", []int64{m.ID}},
		{"a unit sees only cases dispatched to it", "sanitation", "", nil},
	}
	for _, f := range filters {
		t.Run(f.name, func(t *testing.T) {
			l := list(t, f.actor, f.query)
			if got := idsOf(l); !slices.Equal(got, f.want) {
				t.Errorf("ids %v, want %v", got, f.want)
			}
			if l.Total != len(f.want) || l.NextCursor != "" {
				t.Errorf("total %d next %q, want %d and no cursor", l.Total, l.NextCursor, len(f.want))
			}
		})
	}

	t.Run("pages", func(t *testing.T) {
		var got []int64
		query := "limit=2"
		for page := 0; ; page++ {
			l := list(t, "admin", query)
			if l.Total != len(ids) {
				t.Errorf("page %d: total %d, want %d", page, l.Total, len(ids))
			}
			got = append(got, idsOf(l)...)
			if l.NextCursor == "" {
				break
			}
			if page > len(ids) {
				t.Fatal("too many pages")
			}
			query = "limit=2&cursor=" + url.QueryEscape(l.NextCursor)
		}
		if want := rev(ids...); !slices.Equal(got, want) {
			t.Errorf("paged ids %v, want %v", got, want)
		}
	})

	e.run(t, []scenario{
		{name: "limit too large", method: "GET", path: "/api/v1/cases?limit=501", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"limit":"must be a whole number from 1 to 500"}`}},
		{name: "limit zero", method: "GET", path: "/api/v1/cases?limit=0", actor: "admin", wantStatus: http.StatusBadRequest},
		{name: "unknown status", method: "GET", path: "/api/v1/cases?status=filed,lost", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"status":"unknown status \"lost\""}`}},
		{name: "bad cell code", method: "GET", path: "/api/v1/cases?cell=3301", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"cell":"must be a 15-digit code"`}},
		{name: "bad date", method: "GET", path: "/api/v1/cases?created_from=yesterday", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"created_from":`}},
		{name: "dates reversed", method: "GET", path: "/api/v1/cases?created_from=2026-03-11&created_to=2026-03-10", actor: "admin",
			wantStatus: http.StatusBadRequest, wantContains: []string{`"created_to":"must be after created_from"`}},
		{name: "bad overdue", method: "GET", path: "/api/v1/cases?overdue=maybe", actor: "admin", wantStatus: http.StatusBadRequest},
		{name: "bad source", method: "GET", path: "/api/v1/cases?source=pigeon", actor: "admin", wantStatus: http.StatusBadRequest},
		{name: "bad cursor", method: "GET", path: "/api/v1/cases?cursor=!!", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"cursor":`}},
		{name: "unknown category", method: "GET", path: "/api/v1/cases?category=SJ9999", actor: "admin",
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"category":"unknown category"}`}},
		{name: "unknown unit", method: "GET", path: "/api/v1/cases?unit=nobody", actor: "admin",
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"fields":{"unit":"unknown unit"}`}},
		{name: "no token", method: "GET", path: "/api/v1/cases", wantStatus: http.StatusUnauthorized},
	})
}
