package civicgrid_test

import (
	"strings"
	"testing"

	"civicgrid"
)

// TestSavedViews: a user saves, lists and deletes their own views; names
// are unique per user; another user sees none of them and cannot delete
// them; citizens have none.
func TestSavedViews(t *testing.T) {
	w := newWorld(t)
	views := civicgrid.NewSavedViewService(w.db, w.clock.Now)
	disp := w.as(t.Context(), civicgrid.RoleDispatcher)
	op := w.as(t.Context(), civicgrid.RoleOperator)

	filed, err := views.Save(disp, " 待派遣 ", "status=filed")
	if err != nil {
		t.Fatal(err)
	}
	if filed.Name != "待派遣" || filed.UserID != w.users[civicgrid.RoleDispatcher].ID {
		t.Errorf("saved %+v", filed)
	}
	if _, err := views.Save(disp, "待派遣", "status=filed&overdue=true"); civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
		t.Errorf("same name again: %v, want conflict", err)
	}
	for _, bad := range []struct{ name, query string }{{"", "status=filed"}, {strings.Repeat("名", 41), ""}, {"x", "%zz"}} {
		if _, err := views.Save(disp, bad.name, bad.query); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("Save(%q, %q) = %v, want invalid", bad.name, bad.query, err)
		}
	}
	if _, err := views.Save(op, "待派遣", "status=filed"); err != nil {
		t.Errorf("another user's view of the same name: %v", err)
	}
	if list, err := views.List(disp); err != nil || len(list) != 1 || list[0].ID != filed.ID {
		t.Errorf("List = %+v, %v; want the dispatcher's one view", list, err)
	}
	if err := views.Delete(op, filed.ID); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("deleting another's view: %v, want not found", err)
	}
	if err := views.Delete(disp, filed.ID); err != nil {
		t.Fatal(err)
	}
	if list, err := views.List(disp); err != nil || len(list) != 0 {
		t.Errorf("List after delete = %+v, %v", list, err)
	}
	if _, err := views.List(w.as(t.Context(), civicgrid.RoleCitizen)); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("citizen: %v, want forbidden", err)
	}
	if _, err := views.List(t.Context()); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("nobody: %v, want unauthorized", err)
	}
}
