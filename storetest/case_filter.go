package storetest

import (
	"fmt"
	"testing"
	"time"

	"civicgrid"
)

// numbers returns the numbers of cases, in order.
func numbers(cases []*civicgrid.Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Number
	}
	return out
}

// testCaseFilter checks every field of CaseFilter, the scopes, the cursor
// and the offset on five cases:
//
//	n  status      category  cell             unit  source     overdue  created  updated  people
//	1  reported    SJ0101    110101001001001  -     web        no       t0       t0+6h    reported by citizen
//	2  dispatched  SJ0202    110101001002001  u1    hotline    yes      t0+1h    t0+5h    tasked to inspector
//	3  handling    SJ0101    110102001001001  u2    inspector  no       t0+2h    t0+9h
//	4  closed      SJ0202    110101002001001  u1    web        yes      t0+3h    t0+7h
//	5  reported    SJ0101    110102001001002  -     web        no       t0+4h    t0+8h    in the inspector's cell
func testCaseFilter(t *testing.T, open Opener) {
	t.Parallel()
	s := open(t)
	u1, u2 := createUnit(t, s, "u1"), createUnit(t, s, "u2")
	citizen := createUser(t, s, "citizen", civicgrid.RoleCitizen, 0)
	inspector := createUser(t, s, "inspector", civicgrid.RoleInspector, 0)
	other := createUser(t, s, "other", civicgrid.RoleInspector, 0)
	update(t, s, func(tx civicgrid.Tx) error {
		if err := tx.SaveCells(t.Context(), []*civicgrid.GridCell{cell("110102001001002", 116.4, 39.9)}, t0); err != nil {
			return err
		}
		return tx.SetCellInspectors(t.Context(), "110102001001002", []civicgrid.UserID{inspector.ID})
	})
	rows := []struct {
		status   civicgrid.Status
		category string
		cell     string
		unit     civicgrid.UnitID
		source   civicgrid.Source
		overdue  bool
		updated  time.Duration
	}{
		{civicgrid.StatusReported, "SJ0101", "110101001001001", 0, civicgrid.SourceWeb, false, 6 * time.Hour},
		{civicgrid.StatusDispatched, "SJ0202", "110101001002001", u1.ID, civicgrid.SourceHotline, true, 5 * time.Hour},
		{civicgrid.StatusHandling, "SJ0101", "110102001001001", u2.ID, civicgrid.SourceInspector, false, 9 * time.Hour},
		{civicgrid.StatusClosed, "SJ0202", "110101002001001", u1.ID, civicgrid.SourceWeb, true, 7 * time.Hour},
		{civicgrid.StatusReported, "SJ0101", "110102001001002", 0, civicgrid.SourceWeb, false, 8 * time.Hour},
	}
	ids := make([]civicgrid.CaseID, len(rows)+1)
	for i, r := range rows {
		c := newCase(i + 1)
		c.Status, c.CategoryCode, c.UnitID, c.Source, c.Overdue = r.status, r.category, r.unit, r.source, r.overdue
		c.CellCode, c.CommunityCode, c.StreetCode, c.DistrictCode = r.cell, r.cell[:12], r.cell[:9], r.cell[:6]
		c.CreatedAt, c.UpdatedAt = at(time.Duration(i)*time.Hour), at(r.updated)
		switch i + 1 {
		case 1:
			c.Reporter = civicgrid.Reporter{Name: "citizen", UserID: citizen.ID}
		case 2:
			c.InspectorID = inspector.ID
		}
		ids[i+1] = createCase(t, s, c).ID
	}
	nums := func(ns ...int) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = fmt.Sprintf("2026-%06d", n)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		f     civicgrid.CaseFilter
		want  []string
		total int
	}{
		{"None", civicgrid.CaseFilter{}, nums(5, 4, 3, 2, 1), 5},
		{"EmptyStatuses", civicgrid.CaseFilter{Statuses: []civicgrid.Status{}}, nums(5, 4, 3, 2, 1), 5},
		{"Status", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported}}, nums(5, 1), 2},
		{"Statuses", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported, civicgrid.StatusClosed}}, nums(5, 4, 1), 3},
		{"Category", civicgrid.CaseFilter{CategoryCode: "SJ0101"}, nums(5, 3, 1), 3},
		{"CategoryIsExact", civicgrid.CaseFilter{CategoryCode: "SJ01"}, nil, 0},
		{"AreaDistrict", civicgrid.CaseFilter{AreaCode: "110101"}, nums(4, 2, 1), 3},
		{"AreaStreet", civicgrid.CaseFilter{AreaCode: "110101001"}, nums(2, 1), 2},
		{"AreaCommunity", civicgrid.CaseFilter{AreaCode: "110102001001"}, nums(5, 3), 2},
		{"AreaCell", civicgrid.CaseFilter{AreaCode: "110101001001001"}, nums(1), 1},
		{"AreaNone", civicgrid.CaseFilter{AreaCode: "110103"}, nil, 0},
		{"Unit", civicgrid.CaseFilter{UnitID: &u1.ID}, nums(4, 2), 2},
		{"NoUnit", civicgrid.CaseFilter{UnitID: ptr(civicgrid.UnitID(0))}, nums(5, 1), 2},
		{"Source", civicgrid.CaseFilter{Source: ptr(civicgrid.SourceWeb)}, nums(5, 4, 1), 3},
		{"Overdue", civicgrid.CaseFilter{Overdue: ptr(true)}, nums(4, 2), 2},
		{"NotOverdue", civicgrid.CaseFilter{Overdue: ptr(false)}, nums(5, 3, 1), 3},
		{"CreatedFromIsInclusive", civicgrid.CaseFilter{CreatedFrom: ptr(at(time.Hour))}, nums(5, 4, 3, 2), 4},
		{"CreatedToIsExclusive", civicgrid.CaseFilter{CreatedTo: ptr(at(3 * time.Hour))}, nums(3, 2, 1), 3},
		{"CreatedWindow", civicgrid.CaseFilter{CreatedFrom: ptr(at(time.Hour)), CreatedTo: ptr(at(3 * time.Hour))}, nums(3, 2), 2},
		{"ScopeArea", civicgrid.CaseFilter{ScopeArea: "110102"}, nums(5, 3), 2},
		{"ScopeAreaAndArea", civicgrid.CaseFilter{ScopeArea: "110102", AreaCode: "110101"}, nil, 0},
		{"ScopeUnit", civicgrid.CaseFilter{ScopeUnit: u2.ID}, nums(3), 1},
		{"ScopeInspector", civicgrid.CaseFilter{ScopeInspector: inspector.ID}, nums(5, 2), 2},
		{"ScopeOtherInspector", civicgrid.CaseFilter{ScopeInspector: other.ID}, nil, 0},
		{"ScopeReporter", civicgrid.CaseFilter{ScopeReporter: citizen.ID}, nums(1), 1},
		{"Combined", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported}, AreaCode: "110102"}, nums(5), 1},
		{"Limit", civicgrid.CaseFilter{Limit: 2}, nums(5, 4), 5},
		{"After", civicgrid.CaseFilter{After: ids[4], Limit: 2}, nums(3, 2), 5},
		{"AfterLast", civicgrid.CaseFilter{After: ids[2], Limit: 2}, nums(1), 5},
		{"AfterFiltered", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported}, After: ids[5]}, nums(1), 2},

		{"IDs", civicgrid.CaseFilter{IDs: []civicgrid.CaseID{ids[4], ids[2]}}, nums(4, 2), 2},
		{"EmptyIDs", civicgrid.CaseFilter{IDs: []civicgrid.CaseID{}}, nums(5, 4, 3, 2, 1), 5},
		{"UnknownIDs", civicgrid.CaseFilter{IDs: []civicgrid.CaseID{ids[5] + 100, ids[1], ids[1]}}, nums(1), 1},
		{"IDsAndStatus", civicgrid.CaseFilter{IDs: []civicgrid.CaseID{ids[1], ids[2], ids[5]},
			Statuses: []civicgrid.Status{civicgrid.StatusReported}}, nums(5, 1), 2},
		{"Categories", civicgrid.CaseFilter{Categories: []string{"SJ0202"}}, nums(4, 2), 2},
		{"BothCategories", civicgrid.CaseFilter{Categories: []string{"SJ0202", "SJ0101"}}, nums(5, 4, 3, 2, 1), 5},
		{"CategoriesAreExact", civicgrid.CaseFilter{Categories: []string{"SJ01", "SJ9999"}}, nil, 0},
		{"CategoriesAndCategory", civicgrid.CaseFilter{Categories: []string{"SJ0202"}, CategoryCode: "SJ0101"}, nil, 0},
		{"UpdatedFromIsInclusive", civicgrid.CaseFilter{UpdatedFrom: ptr(at(7 * time.Hour))}, nums(5, 4, 3), 3},
		{"UpdatedToIsExclusive", civicgrid.CaseFilter{UpdatedTo: ptr(at(7 * time.Hour))}, nums(2, 1), 2},
		{"UpdatedWindow", civicgrid.CaseFilter{UpdatedFrom: ptr(at(6 * time.Hour)), UpdatedTo: ptr(at(8 * time.Hour))}, nums(4, 1), 2},
		{"UpdatedAndCreated", civicgrid.CaseFilter{UpdatedFrom: ptr(at(6 * time.Hour)), CreatedFrom: ptr(at(3 * time.Hour))}, nums(5, 4), 2},
		{"Offset", civicgrid.CaseFilter{Offset: 1, Limit: 2}, nums(4, 3), 5},
		{"OffsetWithoutLimit", civicgrid.CaseFilter{Offset: 3}, nums(2, 1), 5},
		{"OffsetPastTheEnd", civicgrid.CaseFilter{Offset: 5, Limit: 2}, nil, 5},
		{"OffsetFiltered", civicgrid.CaseFilter{Statuses: []civicgrid.Status{civicgrid.StatusReported}, Offset: 1}, nums(1), 2},
		{"OffsetAfter", civicgrid.CaseFilter{After: ids[4], Offset: 1, Limit: 1}, nums(2), 5},
		{"CombinedNew", civicgrid.CaseFilter{IDs: []civicgrid.CaseID{ids[1], ids[3], ids[4], ids[5]}, Categories: []string{"SJ0101"},
			UpdatedFrom: ptr(at(7 * time.Hour)), AreaCode: "110102", Offset: 1, Limit: 1}, nums(3), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			view(t, s, func(tx civicgrid.Tx) error {
				got, total, err := tx.FindCases(t.Context(), tc.f)
				if err != nil {
					t.Fatalf("FindCases: %v", err)
				}
				diff(t, "cases", numbers(got), tc.want)
				if total != tc.total {
					t.Errorf("total = %d, want %d", total, tc.total)
				}
				return nil
			})
		})
	}
}
