package civicgrid_test

import (
	"testing"

	"civicgrid"
	"civicgrid/password"
)

// TestUserServiceAdmin covers what an administrator does to users: list,
// update, deactivate and reactivate, reset a password; each refused to
// anyone else, and each bad input refused without a change.
func TestUserServiceAdmin(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	hasher := password.New(password.Params{Memory: 64, Time: 1, Threads: 1})
	users := civicgrid.NewUserService(w.db, hasher, w.clock.Now)
	sessions := civicgrid.NewSessionService(w.db, users, w.clock.Now, 0)
	admin, op := w.as(ctx, civicgrid.RoleAdmin), w.as(ctx, civicgrid.RoleOperator)
	u, err := users.Create(admin, civicgrid.NewUser{Name: "li.si", DisplayName: "李四", Role: civicgrid.RoleOperator, Password: "first-password"})
	if err != nil {
		t.Fatal(err)
	}
	ptr := func(s string) *string { return &s }
	role := func(r civicgrid.Role) *civicgrid.Role { return &r }

	t.Run("list", func(t *testing.T) {
		got, err := users.List(admin, civicgrid.UserFilter{Search: " 李 "})
		if err != nil || len(got) != 1 || got[0].ID != u.ID {
			t.Errorf("List(李) = %v, %v", got, err)
		}
		if _, err := users.List(op, civicgrid.UserFilter{}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
			t.Errorf("List as an operator: %v, want forbidden", err)
		}
	})
	t.Run("update", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			in   civicgrid.UserUpdate
			code civicgrid.ErrorCode
		}{
			{"unit handler without unit", civicgrid.UserUpdate{Role: role(civicgrid.RoleUnit)}, civicgrid.Invalid},
			{"unknown unit", civicgrid.UserUpdate{Role: role(civicgrid.RoleUnit), UnitCode: ptr("nope")}, civicgrid.Unprocessable},
			{"bad area", civicgrid.UserUpdate{AreaCode: ptr("12")}, civicgrid.Invalid},
			{"bad role", civicgrid.UserUpdate{Role: role("king")}, civicgrid.Invalid},
		} {
			if _, err := users.Update(admin, u.ID, tc.in); civicgrid.ErrorCodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		if got, _ := users.Find(admin, u.ID); got.Role != civicgrid.RoleOperator || got.AreaCode != "" {
			t.Errorf("a refused update changed the user: %+v", got)
		}
		got, err := users.Update(admin, u.ID, civicgrid.UserUpdate{Role: role(civicgrid.RoleUnit), UnitCode: ptr("sanitation"),
			AreaCode: ptr("330102"), DisplayName: ptr(" 李四（环卫） "), Phone: ptr("13900000000")})
		if err != nil || got.UnitID != w.units["sanitation"].ID || got.DisplayName != "李四（环卫）" || got.AreaCode != "330102" {
			t.Errorf("Update = %+v, %v", got, err)
		}
		if _, err := users.Update(op, u.ID, civicgrid.UserUpdate{Phone: ptr("1")}); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
			t.Errorf("Update as an operator: %v, want forbidden", err)
		}
		self := w.users[civicgrid.RoleAdmin].ID
		if _, err := users.Update(admin, self, civicgrid.UserUpdate{Role: role(civicgrid.RoleLeader)}); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("an admin demoting themselves: %v, want invalid", err)
		}
	})
	t.Run("deactivate", func(t *testing.T) {
		sid, _, err := sessions.Login(ctx, "li.si", "first-password")
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := users.Login(ctx, "li.si", "first-password", "phone")
		if err != nil {
			t.Fatal(err)
		}
		if err := users.SetActive(op, u.ID, false); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
			t.Errorf("SetActive as an operator: %v, want forbidden", err)
		}
		if err := users.SetActive(admin, w.users[civicgrid.RoleAdmin].ID, false); civicgrid.ErrorCodeOf(err) != civicgrid.Conflict {
			t.Errorf("an admin deactivating themselves: %v, want conflict", err)
		}
		if err := users.SetActive(admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := sessions.User(ctx, sid); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("the session of a deactivated user: %v, want unauthorized", err)
		}
		if _, err := users.AuthenticateToken(ctx, token); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("the token of a deactivated user: %v, want unauthorized", err)
		}
		if _, err := users.Authenticate(ctx, "li.si", "first-password"); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("a deactivated user signs in: %v", err)
		}
		if err := users.SetActive(admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := users.AuthenticateToken(ctx, token); err != nil {
			t.Errorf("the token after reactivation: %v", err)
		}
	})
	t.Run("reset password", func(t *testing.T) {
		sid, _, err := sessions.Login(ctx, "li.si", "first-password")
		if err != nil {
			t.Fatal(err)
		}
		if err := users.ResetPassword(admin, u.ID, "short"); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("a short password: %v, want invalid", err)
		}
		if err := users.ResetPassword(op, u.ID, "second-password"); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
			t.Errorf("ResetPassword as an operator: %v, want forbidden", err)
		}
		if _, err := users.Authenticate(ctx, "li.si", "first-password"); err != nil {
			t.Fatalf("a refused reset changed the password: %v", err)
		}
		if err := users.ResetPassword(admin, u.ID, "second-password"); err != nil {
			t.Fatal(err)
		}
		if _, err := users.Authenticate(ctx, "li.si", "second-password"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		if _, err := sessions.User(ctx, sid); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("a session from before the reset: %v, want unauthorized", err)
		}
		if err := users.ResetPassword(admin, 9999, "second-password"); civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
			t.Errorf("an unknown user: %v, want not found", err)
		}
	})
}
