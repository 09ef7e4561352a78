package storetest

import (
	"fmt"
	"testing"
	"time"

	"civicgrid"
)

// newReport returns an unsaved hotline report of case id, made at t0 plus
// d, without an external id.
func newReport(id civicgrid.CaseID, d time.Duration) *civicgrid.CaseReport {
	return &civicgrid.CaseReport{CaseID: id, Source: civicgrid.SourceHotline,
		Reporter:    civicgrid.Reporter{Phone: "13900000000"},
		Description: fmt.Sprintf("report at %v", d), Lat: 39.91, Lon: 116.39, At: at(d)}
}

// addReports stores the reports, in order.
func addReports(t *testing.T, s civicgrid.Store, reports ...*civicgrid.CaseReport) {
	t.Helper()
	update(t, s, func(tx civicgrid.Tx) error {
		for _, r := range reports {
			if err := tx.AddCaseReport(t.Context(), r); err != nil {
				return err
			}
		}
		return nil
	})
}

// wantReports checks the reports of case id.
func wantReports(t *testing.T, s civicgrid.Store, id civicgrid.CaseID, want ...*civicgrid.CaseReport) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindCaseReports(t.Context(), id)
		if err != nil {
			t.Fatalf("FindCaseReports: %v", err)
		}
		diff(t, fmt.Sprintf("reports of case %d", id), got, want)
		return nil
	})
}

func testCaseReport(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"AddAndFind", func(t *testing.T, s civicgrid.Store) {
			user := createUser(t, s, "citizen", civicgrid.RoleCitizen, 0)
			c1, c2 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2))
			full := newReport(c1.ID, time.Minute)
			full.Source, full.Lat, full.Lon = civicgrid.SourceOpen311, 39.912345, 116.398765
			full.Reporter = civicgrid.Reporter{Name: "张三", Phone: "13800000000", Email: "zhang@example.cn", UserID: user.ID}
			full.Photos, full.Intake = []string{"aa", "bb"}, fullIntake("SR-1")
			other := newReport(c2.ID, 0)
			older := newReport(c1.ID, 0) // added later, but made earlier
			addReports(t, s, full, other, older)
			if full.ID == 0 || other.ID <= full.ID || older.ID <= other.ID {
				t.Errorf("report IDs %d, %d, %d: want increasing, non-zero", full.ID, other.ID, older.ID)
			}
			wantReports(t, s, c1.ID, older, full)
			wantReports(t, s, c2.ID, other)
			wantReports(t, s, c2.ID+100)
		}},
		{"AddErrors", func(t *testing.T, s civicgrid.Store) {
			c := createCase(t, s, newCase(1))
			for name, r := range map[string]*civicgrid.CaseReport{
				"UnknownCase": newReport(c.ID+100, 0),
				"NoCase":      newReport(0, 0),
				"UnknownUser": func() *civicgrid.CaseReport { r := newReport(c.ID, 0); r.Reporter.UserID = 999; return r }(),
			} {
				err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.AddCaseReport(t.Context(), r) })
				if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
					t.Errorf("%s: AddCaseReport = %v, want Invalid", name, err)
				}
			}
			wantReports(t, s, c.ID)
		}},
		{"ExternalID", testReportExternalID},
		{"Move", testMoveCaseReports},
		{"FindOpenCasesNear", testFindOpenCasesNear},
	})
}

// testReportExternalID checks that the sending system's id finds a report
// and is unique within its source only.
func testReportExternalID(t *testing.T, s civicgrid.Store) {
	c1, c2 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2))
	withID := func(r *civicgrid.CaseReport, source civicgrid.Source, id string) *civicgrid.CaseReport {
		r.Source, r.Intake.ExternalID = source, id
		return r
	}
	hotline := withID(newReport(c1.ID, 0), civicgrid.SourceHotline, "WO-1")
	web := withID(newReport(c2.ID, 0), civicgrid.SourceWeb, "WO-1")
	// Reports without an external id never collide.
	addReports(t, s, hotline, web, newReport(c1.ID, time.Minute), newReport(c1.ID, time.Minute))
	wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error {
		return tx.AddCaseReport(t.Context(), withID(newReport(c2.ID, time.Hour), civicgrid.SourceHotline, "WO-1"))
	}), civicgrid.Conflict)
	view(t, s, func(tx civicgrid.Tx) error {
		for _, want := range []*civicgrid.CaseReport{hotline, web} {
			got, err := tx.FindCaseReportByExternalID(t.Context(), want.Source, "WO-1")
			if err != nil {
				t.Fatalf("FindCaseReportByExternalID(%s): %v", want.Source, err)
			}
			diff(t, "report by external id", got, want)
		}
		for _, tc := range []struct {
			source civicgrid.Source
			id     string
		}{{civicgrid.SourceOpen311, "WO-1"}, {civicgrid.SourceHotline, "WO-2"}, {civicgrid.SourceHotline, ""}, {civicgrid.SourceHotline, "wo-1"}} {
			_, err := tx.FindCaseReportByExternalID(t.Context(), tc.source, tc.id)
			wantCode(t, err, civicgrid.NotFound)
		}
		return nil
	})
}

// testMoveCaseReports checks moving all the reports of a case, or some of
// them, and that only the reports of the case moved from move.
func testMoveCaseReports(t *testing.T, s civicgrid.Store) {
	c1, c2, c3 := createCase(t, s, newCase(1)), createCase(t, s, newCase(2)), createCase(t, s, newCase(3))
	a, b, c := newReport(c1.ID, 0), newReport(c1.ID, time.Minute), newReport(c1.ID, 2*time.Minute)
	d := newReport(c2.ID, 30*time.Second)
	addReports(t, s, a, b, c, d)
	move := func(from, to civicgrid.CaseID, ids ...int64) int {
		t.Helper()
		var n int
		update(t, s, func(tx civicgrid.Tx) (err error) {
			n, err = tx.MoveCaseReports(t.Context(), from, to, ids...)
			return err
		})
		return n
	}
	// d is already c2's: asking for it from c1 moves nothing of it.
	if n := move(c1.ID, c2.ID, b.ID, d.ID, 9999); n != 1 {
		t.Errorf("MoveCaseReports(some) = %d, want 1", n)
	}
	b.CaseID = c2.ID
	wantReports(t, s, c1.ID, a, c)
	wantReports(t, s, c2.ID, d, b)
	if n := move(c1.ID, c3.ID); n != 2 {
		t.Errorf("MoveCaseReports(all) = %d, want 2", n)
	}
	a.CaseID, c.CaseID = c3.ID, c3.ID
	wantReports(t, s, c1.ID)
	wantReports(t, s, c3.ID, a, c)
	if n := move(c1.ID, c3.ID); n != 0 {
		t.Errorf("MoveCaseReports(none left) = %d, want 0", n)
	}
	err := updateErr(t, s, func(tx civicgrid.Tx) error {
		_, err := tx.MoveCaseReports(t.Context(), c3.ID, c3.ID+100)
		return err
	})
	wantCode(t, err, civicgrid.Invalid)
	wantReports(t, s, c3.ID, a, c)
}

// testFindOpenCasesNear checks duplicate detection's query: open cases of
// the category, in the bounds (edges included), created at or after since,
// newest first, at most limit.
func testFindOpenCasesNear(t *testing.T, s civicgrid.Store) {
	b := civicgrid.Bounds{MinLon: 116.38, MinLat: 39.90, MaxLon: 116.40, MaxLat: 39.92}
	since := t0
	type row struct {
		status   civicgrid.Status
		category string
		lat, lon float64
		created  time.Duration
	}
	rows := map[string]row{
		"at since":        {civicgrid.StatusReported, "SJ0101", 39.91, 116.39, 0},
		"newest":          {civicgrid.StatusHandling, "SJ0101", 39.91, 116.39, 2 * time.Hour},
		"newest, later":   {civicgrid.StatusDispatched, "SJ0101", 39.91, 116.39, 2 * time.Hour}, // same time, higher id
		"on the corner":   {civicgrid.StatusSuspended, "SJ0101", 39.92, 116.38, time.Hour},
		"other corner":    {civicgrid.StatusVerifying, "SJ0101", 39.90, 116.40, 30 * time.Minute},
		"closed":          {civicgrid.StatusClosed, "SJ0101", 39.91, 116.39, time.Hour},
		"cancelled":       {civicgrid.StatusCancelled, "SJ0101", 39.91, 116.39, time.Hour},
		"other category":  {civicgrid.StatusReported, "SJ0102", 39.91, 116.39, time.Hour},
		"category prefix": {civicgrid.StatusReported, "SJ01", 39.91, 116.39, time.Hour},
		"before since":    {civicgrid.StatusReported, "SJ0101", 39.91, 116.39, -time.Millisecond},
		"south":           {civicgrid.StatusReported, "SJ0101", 39.8999, 116.39, time.Hour},
		"north":           {civicgrid.StatusReported, "SJ0101", 39.9201, 116.39, time.Hour},
		"west":            {civicgrid.StatusReported, "SJ0101", 39.91, 116.3799, time.Hour},
		"east":            {civicgrid.StatusReported, "SJ0101", 39.91, 116.4001, time.Hour},
	}
	order := []string{"at since", "newest", "on the corner", "closed", "cancelled", "other category", "category prefix",
		"before since", "south", "north", "west", "east", "other corner", "newest, later"}
	cases := map[string]*civicgrid.Case{}
	for i, name := range order {
		r := rows[name]
		c := newCase(i + 1)
		c.Status, c.CategoryCode, c.Lat, c.Lon, c.CreatedAt = r.status, r.category, r.lat, r.lon, at(r.created)
		cases[name] = createCase(t, s, c)
	}
	want := []*civicgrid.Case{cases["newest, later"], cases["newest"], cases["on the corner"], cases["other corner"], cases["at since"]}
	view(t, s, func(tx civicgrid.Tx) error {
		for _, tc := range []struct {
			limit int
			want  []*civicgrid.Case
		}{{10, want}, {2, want[:2]}, {0, want}} {
			got, err := tx.FindOpenCasesNear(t.Context(), "SJ0101", b, since, tc.limit)
			if err != nil {
				t.Fatalf("FindOpenCasesNear: %v", err)
			}
			diff(t, fmt.Sprintf("open cases near, limit %d", tc.limit), got, tc.want)
		}
		got, err := tx.FindOpenCasesNear(t.Context(), "SJ0101", b, at(3*time.Hour), 10)
		if err != nil || len(got) != 0 {
			t.Errorf("FindOpenCasesNear after every case = %d cases, %v; want none", len(got), err)
		}
		return nil
	})
}
