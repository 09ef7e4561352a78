package civicgrid_test

import (
	"strings"
	"testing"

	"civicgrid"
	"civicgrid/password"
)

func TestUserService(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	users := civicgrid.NewUserService(w.db, password.New(password.Params{Memory: 64, Time: 1, Threads: 1}), w.clock.Now)

	tests := []struct {
		name string
		ctx  bool // as the system (else as an operator)
		in   civicgrid.NewUser
		code civicgrid.ErrorCode
	}{
		{"unit handler", true, civicgrid.NewUser{Name: "hw1", Role: civicgrid.RoleUnit, UnitCode: "sanitation", Password: "long enough"}, ""},
		{"unknown unit", true, civicgrid.NewUser{Name: "hw2", Role: civicgrid.RoleUnit, UnitCode: "nope"}, civicgrid.Unprocessable},
		{"unit handler without unit", true, civicgrid.NewUser{Name: "hw3", Role: civicgrid.RoleUnit}, civicgrid.Invalid},
		{"short password", true, civicgrid.NewUser{Name: "op9", Role: civicgrid.RoleOperator, Password: "short"}, civicgrid.Invalid},
		{"bad area", true, civicgrid.NewUser{Name: "ld9", Role: civicgrid.RoleLeader, AreaCode: "12"}, civicgrid.Invalid},
		{"taken name", true, civicgrid.NewUser{Name: "hw1", Role: civicgrid.RoleOperator}, civicgrid.Conflict},
		{"not an admin", false, civicgrid.NewUser{Name: "op8", Role: civicgrid.RoleOperator}, civicgrid.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.as(ctx, civicgrid.RoleOperator)
			if tt.ctx {
				c = sys
			}
			_, err := users.Create(c, tt.in)
			if got := civicgrid.ErrorCodeOf(err); got != tt.code {
				t.Errorf("Create: %v, want %q", err, tt.code)
			}
		})
	}

	u, err := users.Authenticate(ctx, "hw1", "long enough")
	if err != nil || u.UnitID != w.units["sanitation"].ID {
		t.Fatalf("Authenticate: %+v %v", u, err)
	}
	for _, pw := range []string{"wrong", ""} {
		if _, err := users.Authenticate(ctx, "hw1", pw); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("Authenticate with %q: %v, want unauthorized", pw, err)
		}
	}
	token, _, err := users.Login(ctx, "hw1", "long enough", "phone")
	if err != nil || !strings.HasPrefix(token, "cg_") {
		t.Fatalf("Login: %q %v", token, err)
	}
	if got, err := users.AuthenticateToken(ctx, token); err != nil || got.ID != u.ID {
		t.Errorf("AuthenticateToken: %+v %v", got, err)
	}
	if _, err := users.AuthenticateToken(ctx, token+"x"); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("a wrong token: %v, want unauthorized", err)
	}
	u.Active = false
	if err := w.db.Update(ctx, func(tx civicgrid.Tx) error { return tx.UpdateUser(ctx, u) }); err != nil {
		t.Fatal(err)
	}
	if _, err := users.AuthenticateToken(ctx, token); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("a deactivated user's token: %v, want unauthorized", err)
	}
	if _, err := users.IssueToken(w.as(ctx, civicgrid.RoleOperator), u.ID, "x"); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("IssueToken by an operator: %v, want forbidden", err)
	}
}
