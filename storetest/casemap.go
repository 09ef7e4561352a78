package storetest

import (
	"slices"
	"testing"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testCaseMap checks the map's reads: the points in a box (edges
// included) with the case filter and scopes applied, newest first, and the
// counts per cell.
//
//	n  status    cell             place            unit  overdue
//	1  reported  110101001001001  39.900, 116.390  -     no
//	2  handling  110101001001001  39.905, 116.395  u1    yes
//	3  closed    110101001001002  39.910, 116.400  u1    no
//	4  reported  110102001001001  39.950, 116.450  -     no    (outside the box)
func testCaseMap(t *testing.T, open Opener) {
	t.Parallel()
	s := open(t)
	u1 := createUnit(t, s, "u1")
	rows := []struct {
		status   civicgrid.Status
		cell     string
		lat, lon float64
		unit     civicgrid.UnitID
		overdue  bool
	}{
		{civicgrid.StatusReported, "110101001001001", 39.900, 116.390, 0, false},
		{civicgrid.StatusHandling, "110101001001001", 39.905, 116.395, u1.ID, true},
		{civicgrid.StatusClosed, "110101001001002", 39.910, 116.400, u1.ID, false},
		{civicgrid.StatusReported, "110102001001001", 39.950, 116.450, 0, false},
	}
	want := make([]*civicgrid.CasePoint, len(rows)+1)
	for i, r := range rows {
		c := newCase(i + 1)
		c.Status, c.Lat, c.Lon, c.UnitID, c.Overdue = r.status, r.lat, r.lon, r.unit, r.overdue
		c.CellCode, c.CommunityCode, c.StreetCode, c.DistrictCode = r.cell, r.cell[:12], r.cell[:9], r.cell[:6]
		createCase(t, s, c)
		want[i+1] = &civicgrid.CasePoint{ID: c.ID, Number: c.Number, CategoryCode: c.CategoryCode, Status: c.Status,
			Overdue: c.Overdue, Lat: c.Lat, Lon: c.Lon, CellCode: c.CellCode}
	}
	box := civicgrid.Bounds{MinLon: 116.390, MinLat: 39.900, MaxLon: 116.400, MaxLat: 39.910}
	world := civicgrid.Bounds{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90}
	pts := func(ns ...int) []*civicgrid.CasePoint {
		var out []*civicgrid.CasePoint
		for _, n := range ns {
			out = append(out, want[n])
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		f     civicgrid.CaseFilter
		b     civicgrid.Bounds
		limit int
		want  []*civicgrid.CasePoint
	}{
		{"BoxWithEdges", civicgrid.CaseFilter{}, box, 0, pts(3, 2, 1)},
		{"World", civicgrid.CaseFilter{}, world, 0, pts(4, 3, 2, 1)},
		{"Limit", civicgrid.CaseFilter{}, world, 2, pts(4, 3)},
		{"Statuses", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusHandling}}, box, 0, pts(2, 1)},
		{"Overdue", civicgrid.CaseFilter{Overdue: ptr(true)}, world, 0, pts(2)},
		{"Area", civicgrid.CaseFilter{AreaCode: "110101001001002"}, world, 0, pts(3)},
		{"ScopeArea", civicgrid.CaseFilter{ScopeArea: "110102"}, world, 0, pts(4)},
		{"ScopeUnit", civicgrid.CaseFilter{ScopeUnit: u1.ID}, box, 0, pts(3, 2)},
		{"EmptyBox", civicgrid.CaseFilter{}, civicgrid.Bounds{MinLon: 0, MinLat: 0, MaxLon: 1, MaxLat: 1}, 0, nil},
		{"CursorIgnored", civicgrid.CaseFilter{After: want[2].ID, Limit: 1, Offset: 1}, world, 0, pts(4, 3, 2, 1)},
	} {
		t.Run("Points"+tc.name, func(t *testing.T) {
			var got []*civicgrid.CasePoint
			view(t, s, func(tx civicgrid.Tx) error {
				var err error
				got, err = tx.FindCasePoints(t.Context(), tc.f, tc.b, tc.limit)
				return err
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindCasePoints (-want +got):\n%s", diff)
			}
		})
	}
	for _, tc := range []struct {
		name string
		f    civicgrid.CaseFilter
		want map[string]int
	}{
		{"All", civicgrid.CaseFilter{}, map[string]int{"110101001001001": 2, "110101001001002": 1, "110102001001001": 1}},
		{"Open", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusHandling}},
			map[string]int{"110101001001001": 2, "110102001001001": 1}},
		{"ScopeUnit", civicgrid.CaseFilter{ScopeUnit: u1.ID}, map[string]int{"110101001001001": 1, "110101001001002": 1}},
		{"None", civicgrid.CaseFilter{ScopeArea: "120000"}, map[string]int{}},
	} {
		t.Run("Counts"+tc.name, func(t *testing.T) {
			var got map[string]int
			view(t, s, func(tx civicgrid.Tx) error {
				var err error
				got, err = tx.CountCasesByCell(t.Context(), tc.f)
				return err
			})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CountCasesByCell (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Buckets", func(t *testing.T) {
		// Squares of 0.009°: cases 1 and 2 share one, 3 has its own, 4
		// lies outside the box.
		step := civicgrid.BucketStep{Lon: 0.009, Lat: 0.009}
		var got []*civicgrid.CaseBucket
		view(t, s, func(tx civicgrid.Tx) error {
			var err error
			got, err = tx.FindCaseBuckets(t.Context(), civicgrid.CaseFilter{}, box, step)
			return err
		})
		slices.SortFunc(got, func(a, b *civicgrid.CaseBucket) int { return int(a.MaxID - b.MaxID) })
		sq := func(lon, lat float64) (int, int) { return int((lon + 180) / 0.009), int((90 - lat) / 0.009) }
		x1, y1 := sq(116.390, 39.900)
		x3, y3 := sq(116.400, 39.910)
		want := []*civicgrid.CaseBucket{
			{X: x1, Y: y1, Count: 2, Lat: 39.9025, Lon: 116.3925, MaxID: want[2].ID,
				Bounds: civicgrid.Bounds{MinLon: 116.390, MinLat: 39.900, MaxLon: 116.395, MaxLat: 39.905}},
			{X: x3, Y: y3, Count: 1, Lat: 39.910, Lon: 116.400, MaxID: want[3].ID,
				Bounds: civicgrid.Bounds{MinLon: 116.400, MinLat: 39.910, MaxLon: 116.400, MaxLat: 39.910}},
		}
		if x1 == x3 && y1 == y3 {
			t.Fatal("the fixture's squares coincide")
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("FindCaseBuckets (-want +got):\n%s", diff)
		}
		view(t, s, func(tx civicgrid.Tx) error {
			var err error
			got, err = tx.FindCaseBuckets(t.Context(), civicgrid.CaseFilter{ScopeUnit: u1.ID, Overdue: ptr(true)}, box, step)
			return err
		})
		if len(got) != 1 || got[0].Count != 1 || got[0].MaxID != want[0].MaxID {
			t.Errorf("FindCaseBuckets with a filter: %+v", got)
		}
	})
}
