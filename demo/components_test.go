package demo_test

import (
	"context"
	"testing"

	"civicgrid"
)

// TestComponents: the demo registers components of its component classes,
// each in a real cell with units that exist; a share of those classes'
// cases name one in their own cell and are dispatched to its maintainer;
// and a few components keep breaking, so the repeats table of the last
// 30 days is not empty.
func TestComponents(t *testing.T) {
	b := smallCity(t)
	ctx := context.Background()
	var comps []*civicgrid.RegisteredComponent
	var repeats []*civicgrid.ComponentRepeat
	err := b.db.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		if comps, _, err = tx.ListComponents(ctx, civicgrid.ComponentQuery{}); err != nil {
			return err
		}
		repeats, err = tx.ComponentRepeats(ctx, civicgrid.ComponentRepeatQuery{From: testNow.AddDate(0, 0, -30), To: testNow, MinCases: 2})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(comps) < 20 || len(comps) != b.res.Components {
		t.Fatalf("%d components stored (result says %d), want at least 20", len(comps), b.res.Components)
	}
	byCode := map[string]*civicgrid.RegisteredComponent{}
	for _, c := range comps {
		byCode[c.Code] = c
		cat := b.city.Categories[c.CategoryCode]
		if cat == nil || cat.Kind != civicgrid.Component || b.city.Grid.Cell(c.CellCode) == nil ||
			b.city.Units[c.Maintainer] == nil || b.city.Units[c.OwnerUnit] == nil || c.Code[:6] != c.CellCode[:6] {
			t.Fatalf("component %+v: want a component class, a real cell in its district, and units", c)
		}
		if loc, err := b.city.Grid.Locate(c.Point); err != nil || loc.CellCode != c.CellCode {
			t.Errorf("component %s at %v is not in its cell %s", c.Code, c.Point, c.CellCode)
		}
	}
	var named, classCases int
	for _, c := range b.cases {
		if b.city.Categories[c.CategoryCode].Kind == civicgrid.Component {
			classCases++
		}
		if c.ComponentCode == "" {
			continue
		}
		named++
		comp := byCode[c.ComponentCode]
		if comp == nil || comp.CellCode != c.CellCode || comp.CategoryCode != c.CategoryCode {
			t.Fatalf("case %s names component %s (%+v) of another cell or class", c.Number, c.ComponentCode, comp)
		}
		if c.UnitID != 0 && c.Returns == 0 && c.UnitID != comp.Maintainer {
			t.Errorf("case %s went to unit %d, not the maintainer %d", c.Number, c.UnitID, comp.Maintainer)
		}
	}
	if share := float64(named) / float64(classCases); share < 0.15 || share > 0.5 {
		t.Errorf("%d of %d component cases name a component, want about a quarter", named, classCases)
	}
	if len(repeats) == 0 || repeats[0].Cases < 3 {
		t.Fatalf("repeats of the last 30 days: %+v, want a component with 3 cases or more", repeats)
	}
	t.Logf("%d components, %d of %d component cases name one, %d repeat in the last 30 days (most: %d cases)",
		len(comps), named, classCases, len(repeats), repeats[0].Cases)
}
