package civicgrid_test

import (
	"testing"

	"civicgrid"
)

// TestReferenceServiceAdmin covers the reference changes the admin pages
// make: edit a unit, remove a routing rule, take a date off the calendar;
// each refused to anyone but an admin and each visible in the City at
// once.
func TestReferenceServiceAdmin(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	admin, op := w.as(ctx, civicgrid.RoleAdmin), w.as(ctx, civicgrid.RoleOperator)

	u := *w.units["sanitation"]
	u.Name = civicgrid.Text{Zh: "环境卫生管理处", En: "Sanitation"}
	if err := w.ref.UpdateUnit(op, &u); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("UpdateUnit as an operator: %v", err)
	}
	bad := u
	bad.Name.Zh = ""
	if err := w.ref.UpdateUnit(admin, &bad); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("UpdateUnit without a name: %v", err)
	}
	if err := w.ref.UpdateUnit(admin, &u); err != nil {
		t.Fatal(err)
	}
	if got := w.city.City().Units[u.ID].Name.Zh; got != "环境卫生管理处" {
		t.Errorf("the City shows the unit as %q", got)
	}

	rules := w.city.City().Routing
	if err := w.ref.RemoveRoutingRule(op, rules[0].ID); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("RemoveRoutingRule as an operator: %v", err)
	}
	if err := w.ref.RemoveRoutingRule(admin, rules[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := w.ref.RemoveRoutingRule(admin, rules[0].ID); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("removing it twice: %v", err)
	}
	if n := len(w.city.City().Routing); n != len(rules)-1 {
		t.Errorf("%d rules after a removal, want %d", n, len(rules)-1)
	}
	if r := civicgrid.RouteRule(w.city.City().Routing, "06010", "330102001001001"); r != nil && r.ID == rules[0].ID {
		t.Error("the removed rule still routes")
	}

	newYear := civicgrid.Date{Year: 2026, Month: 1, Day: 1}
	if w.city.City().Calendar.IsWorkday(newYear) {
		t.Fatal("the shipped calendar works on New Year's Day")
	}
	if _, err := w.ref.RemoveDayOverride(op, newYear); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("RemoveDayOverride as an operator: %v", err)
	}
	if _, err := w.ref.RemoveDayOverride(admin, civicgrid.Date{Year: 2026, Month: 1, Day: 7}); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("removing an ordinary day: %v", err)
	}
	if _, err := w.ref.RemoveDayOverride(admin, newYear); err != nil {
		t.Fatal(err)
	}
	if !w.city.City().Calendar.IsWorkday(newYear) {
		t.Error("New Year's Day is still off after its removal (2026-01-01 is a Thursday)")
	}
}
