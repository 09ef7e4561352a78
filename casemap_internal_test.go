package civicgrid

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestCasePointClass(t *testing.T) {
	for _, tc := range []struct {
		status  Status
		overdue bool
		want    MarkerClass
	}{
		{StatusReported, false, MarkerOpen},
		{StatusHandling, true, MarkerOverdue},
		{StatusSuspended, false, MarkerOpen},
		{StatusClosed, true, MarkerClosed},
		{StatusClosed, false, MarkerClosed},
		{StatusCancelled, false, ""},
	} {
		p := CasePoint{Status: tc.status, Overdue: tc.overdue}
		if got := p.Class(); got != tc.want {
			t.Errorf("%s overdue %v: class %q, want %q", tc.status, tc.overdue, got, tc.want)
		}
	}
}

// TestMapQueryFilters checks that each class is one exact case filter,
// narrowed to the actor's scope, so that no class needs sorting out after
// the store has answered.
func TestMapQueryFilters(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	leader := &User{Role: RoleLeader, AreaCode: "330102"}
	q := MapQuery{Classes: []MarkerClass{MarkerClosed, MarkerOpen}, Category: "SJ0101", Cell: "330102001001001",
		From: Date{2026, 3, 1}, To: Date{2026, 4, 1}}
	fs := q.filters(leader, loc, Date{2025, 1, 1})
	if len(fs) != 2 || q.classOf(0) != MarkerOpen || q.classOf(1) != MarkerClosed {
		t.Fatalf("%d filters for open and closed: %+v", len(fs), fs)
	}
	open, closed := fs[0], fs[1]
	if !slices.Equal(open.Statuses, openStatuses) || open.Overdue == nil || *open.Overdue {
		t.Errorf("open: statuses %v overdue %v", open.Statuses, open.Overdue)
	}
	if !slices.Equal(closed.Statuses, []Status{StatusClosed}) || closed.Overdue != nil {
		t.Errorf("closed: statuses %v overdue %v", closed.Statuses, closed.Overdue)
	}
	for _, f := range fs {
		if f.ScopeArea != "330102" || f.CategoryCode != "SJ0101" || f.AreaCode != "330102001001001" ||
			!f.CreatedFrom.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, loc)) || !f.CreatedTo.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, loc)) {
			t.Errorf("filter %+v", f)
		}
	}
	// Without a period, closed cases are those reported since closedSince.
	fs = (MapQuery{Classes: []MarkerClass{MarkerClosed, MarkerOverdue}}).filters(leader, loc, Date{2026, 2, 20})
	if len(fs) != 2 || fs[0].CreatedFrom != nil || !fs[1].CreatedFrom.Equal(time.Date(2026, 2, 20, 0, 0, 0, 0, loc)) || fs[1].CreatedTo != nil {
		t.Errorf("closed since 2026-02-20: %+v", fs)
	}
	if fs := (MapQuery{}).filters(&User{Role: RoleUnit, UnitID: 7}, loc, Date{}); len(fs) != 2 || !*fs[1].Overdue || fs[1].ScopeUnit != 7 {
		t.Errorf("the default classes are open and overdue, in the unit's scope: %+v", fs)
	}
}

func TestMapBuckets(t *testing.T) {
	// At zoom 0 the world is 256 pixels wide: 64 pixels are 90°.
	s := MapBuckets(0, 64, 0)
	if s.Lon != 90 || s.Lat != 90 {
		t.Errorf("zoom 0: %+v", s)
	}
	// At 30°N a degree of longitude is shorter: the squares are square
	// on the screen when their latitude side is cos 30° of their
	// longitude side; 30.4° rounds to 30°, so panning keeps them.
	a, b := MapBuckets(15, 48, 30.4), MapBuckets(15, 48, 29.6)
	if a != b || math.Abs(a.Lat/a.Lon-math.Cos(math.Pi/6)) > 1e-12 || math.Abs(a.Lon-48*360/(256*math.Exp2(15))) > 1e-15 {
		t.Errorf("zoom 15 at 30°N: %+v and %+v", a, b)
	}
}
