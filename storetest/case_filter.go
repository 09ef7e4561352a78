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

// testCaseFilter checks every field of CaseFilter, the scopes and the
// cursor on five cases:
//
//	n  status      category  cell             unit  source     overdue  created  people
//	1  reported    SJ0101    110101001001001  -     web        no       t0       reported by citizen
//	2  dispatched  SJ0202    110101001002001  u1    hotline    yes      t0+1h    tasked to inspector
//	3  handling    SJ0101    110102001001001  u2    inspector  no       t0+2h
//	4  closed      SJ0202    110101002001001  u1    web        yes      t0+3h
//	5  reported    SJ0101    110102001001002  -     web        no       t0+4h    in the inspector's cell
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
	}{
		{civicgrid.StatusReported, "SJ0101", "110101001001001", 0, civicgrid.SourceWeb, false},
		{civicgrid.StatusDispatched, "SJ0202", "110101001002001", u1.ID, civicgrid.SourceHotline, true},
		{civicgrid.StatusHandling, "SJ0101", "110102001001001", u2.ID, civicgrid.SourceInspector, false},
		{civicgrid.StatusClosed, "SJ0202", "110101002001001", u1.ID, civicgrid.SourceWeb, true},
		{civicgrid.StatusReported, "SJ0101", "110102001001002", 0, civicgrid.SourceWeb, false},
	}
	ids := make([]civicgrid.CaseID, len(rows)+1)
	for i, r := range rows {
		c := newCase(i + 1)
		c.Status, c.CategoryCode, c.UnitID, c.Source, c.Overdue = r.status, r.category, r.unit, r.source, r.overdue
		c.CellCode, c.CommunityCode, c.StreetCode, c.DistrictCode = r.cell, r.cell[:12], r.cell[:9], r.cell[:6]
		c.CreatedAt = at(time.Duration(i) * time.Hour)
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
