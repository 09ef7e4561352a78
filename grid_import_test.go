package civicgrid_test

import (
	"strings"
	"testing"

	"civicgrid"
)

// TestImportGridAllOrNothing: any bad feature refuses the whole file and
// names the feature; nothing is written.
func TestImportGridAllOrNothing(t *testing.T) {
	bowtie := civicgrid.MultiPolygon{{{{Lat: 30.25, Lon: 120.16}, {Lat: 30.251, Lon: 120.161}, {Lat: 30.251, Lon: 120.16}, {Lat: 30.25, Lon: 120.161}, {Lat: 30.25, Lon: 120.16}}}}
	good := featureOf(0, "330102001002001", square(30.26, 120.16, 0.001))
	community := featureOf(9, "330102001003", square(30.27, 120.17, 0.002))
	tests := []struct {
		name    string
		feats   []civicgrid.Feature
		mention string
	}{
		{"broken polygon", []civicgrid.Feature{good, featureOf(1, "330102001002002", bowtie)}, "feature 1 (330102001002002)"},
		{"malformed code", []civicgrid.Feature{good, featureOf(1, "33010200100200X", square(30.26, 120.161, 0.001))}, "feature 1"},
		{"repeated code", []civicgrid.Feature{good, featureOf(1, "330102001002001", square(30.26, 120.161, 0.001))}, "repeats feature 0"},
		{"no code", []civicgrid.Feature{good, {Index: 1, Properties: map[string]any{}, Geometry: square(30.26, 120.161, 0.001)}}, `feature 1: no "code" property`},
		{"cell outside its community", []civicgrid.Feature{good, community, featureOf(2, "330102001003001", square(30.30, 120.20, 0.001))},
			"does not nest in community 330102001003"},
		{"reserved sequence", []civicgrid.Feature{featureOf(0, "330102001002000", square(30.26, 120.16, 0.001))}, "sequence 000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
			before := w.city.City().Grid.Len()
			_, err := w.ref.ImportGrid(sys, tt.feats, civicgrid.GridImportOptions{})
			if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid || !strings.Contains(civicgrid.ErrorMessage(err), tt.mention) {
				t.Fatalf("error %v, want invalid mentioning %q", err, tt.mention)
			}
			if err := w.city.Reload(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := w.city.City().Grid.Len(); got != before {
				t.Errorf("%d cells after a refused import, want %d", got, before)
			}
			if w.city.City().Grid.Area("330102001002") != nil {
				t.Error("a refused import created an area")
			}
		})
	}
}

// TestImportGridLegacyCodesAndHistory: 14-digit codes are widened, missing
// tree nodes are created, and a redrawn cell keeps its old version.
func TestImportGridLegacyCodesAndHistory(t *testing.T) {
	w := newWorld(t)
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	rep, err := w.ref.ImportGrid(sys, []civicgrid.Feature{featureOf(0, "33010200200105", square(30.26, 120.16, 0.001))}, civicgrid.GridImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cells != 1 || rep.Streets != 1 || rep.Communities != 1 || rep.Districts != 0 {
		t.Errorf("report %+v, want 1 cell, 1 new street and community", rep)
	}
	city := w.city.City()
	if city.Grid.Cell("330102002001005") == nil || city.Grid.Area("330102002") == nil {
		t.Fatal("legacy code not widened to 330102002001005, or its street not created")
	}
	loc, err := city.Grid.Locate(civicgrid.Point{Lat: 30.2605, Lon: 120.1605})
	if err != nil || loc.CellCode != "330102002001005" || loc.StreetCode != "330102002" {
		t.Errorf("locate: %+v %v", loc, err)
	}
	// Redraw cell 001 a little larger: the old version is kept with a ValidTo.
	w.clock.Advance(24 * 60 * 60 * 1e9)
	rep, err = w.ref.ImportGrid(sys, []civicgrid.Feature{featureOf(0, "330102001001001", square(30.25, 120.15, 0.0011))}, civicgrid.GridImportOptions{})
	if err != nil || rep.Redrawn != 1 {
		t.Fatalf("redraw: %+v %v", rep, err)
	}
	var history []*civicgrid.GridCell
	err = w.db.View(t.Context(), func(tx civicgrid.Tx) error {
		history, err = tx.FindCellHistory(t.Context(), "330102001001001")
		return err
	})
	if err != nil || len(history) != 2 || history[0].ValidTo == nil || history[1].ValidTo != nil {
		t.Fatalf("history %d versions (%v)", len(history), err)
	}
	if history[1].AreaM2 <= history[0].AreaM2 {
		t.Errorf("the new version (%.0f m²) is not the larger drawing (old %.0f m²)", history[1].AreaM2, history[0].AreaM2)
	}
}

// TestImportGridNeedsAdmin: only an admin or the system may import.
func TestImportGridNeedsAdmin(t *testing.T) {
	w := newWorld(t)
	_, err := w.ref.ImportGrid(w.as(t.Context(), civicgrid.RoleOperator), nil, civicgrid.GridImportOptions{})
	if civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("operator import: %v, want forbidden", err)
	}
}
