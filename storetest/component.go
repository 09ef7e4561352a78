package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testComponent(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"UpsertAndFind", func(t *testing.T, s civicgrid.Store) {
			owner, maint := createUnit(t, s, "owner"), createUnit(t, s, "maint")
			c := &civicgrid.RegisteredComponent{Code: "1101010101000001", CategoryCode: "BJ0101", Name: "井盖",
				CellCode: "110101001001001", Point: civicgrid.Point{Lat: 39.91, Lon: 116.39}, OwnerUnit: owner.ID,
				Maintainer: maint.ID, State: "完好"}
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertComponent(t.Context(), c) })
			wantComponent(t, s, c)
			changed := *c
			changed.State, changed.Maintainer = "破损", 0
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpsertComponent(t.Context(), &changed) })
			wantComponent(t, s, &changed)
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindComponent(t.Context(), "1101010101000002")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"List", testListComponents},
		{"Repeats", testComponentRepeats},
		{"CaseFilter", testCaseFilterByComponent},
		{"UnknownUnit", func(t *testing.T, s civicgrid.Store) {
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.UpsertComponent(t.Context(), &civicgrid.RegisteredComponent{Code: "1101010101000001",
					CategoryCode: "BJ0101", OwnerUnit: 999})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}

// wantComponent checks that the stored component with want's code is want.
func wantComponent(t *testing.T, s civicgrid.Store, want *civicgrid.RegisteredComponent) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindComponent(t.Context(), want.Code)
		if err != nil {
			t.Fatalf("FindComponent: %v", err)
		}
		diff(t, "component", got, want)
		return nil
	})
}

// registerComponents stores a component of category cat in cell for each
// code, owned by a new unit.
func registerComponents(t *testing.T, s civicgrid.Store, cat, cell string, codes ...string) {
	t.Helper()
	owner := createUnit(t, s, "owner-"+codes[0])
	update(t, s, func(tx civicgrid.Tx) error {
		for _, code := range codes {
			c := &civicgrid.RegisteredComponent{Code: code, CategoryCode: cat, Name: "部件 " + code, CellCode: cell,
				Point: civicgrid.Point{Lat: 39.91, Lon: 116.39}, OwnerUnit: owner.ID, State: "完好"}
			if err := tx.UpsertComponent(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
}

func testListComponents(t *testing.T, s civicgrid.Store) {
	registerComponents(t, s, "BJ0101", "110101001001001", "1101010101000003", "1101010101000001")
	registerComponents(t, s, "BJ0102", "110101001002001", "1101010102000001")
	registerComponents(t, s, "BJ0101", "110102001001001", "1101020101000001", "11010201010000002")
	codes := func(cs []*civicgrid.RegisteredComponent) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		q         civicgrid.ComponentQuery
		want      []string
		wantTotal int
	}{
		{"All", civicgrid.ComponentQuery{}, []string{"1101010101000001", "1101010101000003", "1101010102000001", "11010201010000002", "1101020101000001"}, 5},
		{"Cell", civicgrid.ComponentQuery{CellPrefix: "110101001001001"}, []string{"1101010101000001", "1101010101000003"}, 2},
		{"Street", civicgrid.ComponentQuery{CellPrefix: "110101001"}, []string{"1101010101000001", "1101010101000003", "1101010102000001"}, 3},
		{"Category", civicgrid.ComponentQuery{CategoryCode: "BJ0101"}, []string{"1101010101000001", "1101010101000003", "11010201010000002", "1101020101000001"}, 4},
		{"CodePrefix", civicgrid.ComponentQuery{CodePrefix: "110102"}, []string{"11010201010000002", "1101020101000001"}, 2},
		{"Combined", civicgrid.ComponentQuery{CellPrefix: "110101", CategoryCode: "BJ0101", CodePrefix: "1101010101"}, []string{"1101010101000001", "1101010101000003"}, 2},
		{"Page", civicgrid.ComponentQuery{Offset: 1, Limit: 2}, []string{"1101010101000003", "1101010102000001"}, 5},
		{"None", civicgrid.ComponentQuery{CategoryCode: "BJ9999"}, []string{}, 0},
	} {
		view(t, s, func(tx civicgrid.Tx) error {
			got, total, err := tx.ListComponents(t.Context(), tc.q)
			if err != nil {
				t.Fatalf("%s: ListComponents: %v", tc.name, err)
			}
			diff(t, tc.name+" codes", codes(got), tc.want)
			if total != tc.wantTotal {
				t.Errorf("%s: total %d, want %d", tc.name, total, tc.wantTotal)
			}
			return nil
		})
	}
	view(t, s, func(tx civicgrid.Tx) error {
		got, _, err := tx.ListComponents(t.Context(), civicgrid.ComponentQuery{CodePrefix: "1101010102"})
		if err != nil || len(got) != 1 {
			t.Fatalf("ListComponents: %v, %v", got, err)
		}
		found, err := tx.FindComponent(t.Context(), got[0].Code)
		if err != nil {
			t.Fatal(err)
		}
		diff(t, "listed component", got[0], found)
		return nil
	})
}

// testComponentRepeats counts cases per component over a period, its
// edges (From included, To excluded), the minimum, the area, the
// category, the order and the limit. Cases (n: created at t0 + n min):
//
//	A 1101010101000001  n=1,2,3 (cell …001001001), n=10 (after To)
//	B 1101010101000002  n=4 (cancelled), n=5 (cell 110102…)
//	C 1101010101000003  n=6
//	D 1101010101000004  n=0 (before From), n=7
//	-                   n=8, n=9 (no component)
func testComponentRepeats(t *testing.T, s civicgrid.Store) {
	const a, b, c, d = "1101010101000001", "1101010101000002", "1101010101000003", "1101010101000004"
	for _, r := range []struct {
		n         int
		component string
		cell      string
		category  string
		status    civicgrid.Status
	}{
		{0, d, "", "", ""}, {1, a, "", "", ""}, {2, a, "", "BJ0102", ""}, {3, a, "", "", ""},
		{4, b, "", "", civicgrid.StatusCancelled}, {5, b, "110102001001001", "", ""}, {6, c, "", "", ""},
		{7, d, "", "", ""}, {8, "", "", "", ""}, {9, "", "", "", ""}, {10, a, "", "", ""},
	} {
		cs := newCase(r.n)
		cs.Number = cs.Number[:5] + "1" + cs.Number[6:] // n=0 is a valid number too
		cs.ComponentCode, cs.CategoryCode = r.component, "BJ0101"
		if r.cell != "" {
			cs.CellCode = r.cell
		}
		if r.category != "" {
			cs.CategoryCode = r.category
		}
		if r.status != "" {
			cs.Status = r.status
		}
		createCase(t, s, cs)
	}
	from, to := at(time.Minute), at(10*time.Minute) // n = 1 … 9
	repeats := func(q civicgrid.ComponentRepeatQuery) []*civicgrid.ComponentRepeat {
		t.Helper()
		var got []*civicgrid.ComponentRepeat
		view(t, s, func(tx civicgrid.Tx) error {
			var err error
			got, err = tx.ComponentRepeats(t.Context(), q)
			return err
		})
		return got
	}
	row := func(code string, n int64, latest int) *civicgrid.ComponentRepeat {
		return &civicgrid.ComponentRepeat{Code: code, Cases: n, LatestNumber: "2026-1" + newCase(latest).Number[6:],
			LatestAt: at(time.Duration(latest) * time.Minute)}
	}
	diff(t, "min 2", repeats(civicgrid.ComponentRepeatQuery{From: from, To: to, MinCases: 2}),
		[]*civicgrid.ComponentRepeat{row(a, 3, 3), row(b, 2, 5)})
	diff(t, "min 1", repeats(civicgrid.ComponentRepeatQuery{From: from, To: to, MinCases: 1}),
		[]*civicgrid.ComponentRepeat{row(a, 3, 3), row(b, 2, 5), row(c, 1, 6), row(d, 1, 7)})
	diff(t, "min 0 is 1, limit 3", repeats(civicgrid.ComponentRepeatQuery{From: from, To: to, Limit: 3}),
		[]*civicgrid.ComponentRepeat{row(a, 3, 3), row(b, 2, 5), row(c, 1, 6)})
	diff(t, "edges", repeats(civicgrid.ComponentRepeatQuery{From: at(0), To: at(11 * time.Minute), MinCases: 2}),
		[]*civicgrid.ComponentRepeat{row(a, 4, 10), row(b, 2, 5), row(d, 2, 7)})
	diff(t, "area", repeats(civicgrid.ComponentRepeatQuery{From: from, To: to, MinCases: 1, Area: "110101"}),
		[]*civicgrid.ComponentRepeat{row(a, 3, 3), row(b, 1, 4), row(c, 1, 6), row(d, 1, 7)})
	diff(t, "category", repeats(civicgrid.ComponentRepeatQuery{From: from, To: to, MinCases: 2, Category: "BJ0101"}),
		[]*civicgrid.ComponentRepeat{row(a, 2, 3), row(b, 2, 5)})
	diff(t, "empty period", repeats(civicgrid.ComponentRepeatQuery{From: at(20 * time.Minute), To: at(30 * time.Minute)}),
		[]*civicgrid.ComponentRepeat{})
}

// testCaseFilterByComponent lists the cases naming a component.
func testCaseFilterByComponent(t *testing.T, s civicgrid.Store) {
	for n, code := range []string{"1101010101000001", "", "1101010101000002", "1101010101000001"} {
		cs := newCase(n + 1)
		cs.ComponentCode = code
		createCase(t, s, cs)
	}
	view(t, s, func(tx civicgrid.Tx) error {
		got, total, err := tx.FindCases(t.Context(), civicgrid.CaseFilter{ComponentCode: "1101010101000001"})
		if err != nil {
			return err
		}
		diff(t, "numbers", numbers(got), []string{"2026-000004", "2026-000001"})
		if total != 2 {
			t.Errorf("total %d, want 2", total)
		}
		return nil
	})
}
