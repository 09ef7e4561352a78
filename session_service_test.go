package civicgrid_test

import (
	"testing"
	"time"

	"civicgrid"
	"civicgrid/password"
)

func TestSessionService(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	users := civicgrid.NewUserService(w.db, password.New(password.Params{Memory: 64, Time: 1, Threads: 1}), w.clock.Now)
	sessions := civicgrid.NewSessionService(w.db, users, w.clock.Now, 8*time.Hour)
	u, err := users.Create(sys, civicgrid.NewUser{Name: "op1", Role: civicgrid.RoleOperator, Password: "first password"})
	if err != nil {
		t.Fatal(err)
	}

	if _, _, err := sessions.Login(ctx, "op1", "wrong"); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	id, got, err := sessions.Login(ctx, "op1", "first password")
	if err != nil || got.ID != u.ID || len(id) != 43 {
		t.Fatalf("Login = %q, %v, %v", id, got, err)
	}
	id2, _, err := sessions.Login(ctx, "op1", "first password") // a second device
	if err != nil || id2 == id {
		t.Fatalf("second Login = %q, %v", id2, err)
	}
	if got, err := sessions.User(ctx, id); err != nil || got.ID != u.ID {
		t.Fatalf("User = %v, %v", got, err)
	}
	for _, bad := range []string{"", "nope", string(make([]byte, 200))} {
		if _, err := sessions.User(ctx, bad); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
			t.Errorf("User(%q): %v", bad, err)
		}
	}

	// Changing the password checks the old one and signs out the other
	// devices, not this one.
	me := civicgrid.WithActor(ctx, u)
	if err := sessions.ChangePassword(me, id, "wrong", "second password"); civicgrid.AsError(err) == nil || civicgrid.AsError(err).Fields["current"] == "" {
		t.Errorf("wrong current password: %v", err)
	}
	if err := sessions.ChangePassword(me, id, "first password", "short"); civicgrid.AsError(err) == nil || civicgrid.AsError(err).Fields["new"] == "" {
		t.Errorf("short new password: %v", err)
	}
	if err := sessions.ChangePassword(ctx, id, "first password", "second password"); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("without an actor: %v", err)
	}
	if err := sessions.ChangePassword(me, id, "first password", "second password"); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if _, err := sessions.User(ctx, id); err != nil {
		t.Errorf("this device was signed out: %v", err)
	}
	if _, err := sessions.User(ctx, id2); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("the other device is still signed in: %v", err)
	}
	if _, err := users.Authenticate(ctx, "op1", "second password"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}

	// A deactivated user's sessions stop working.
	off := *u
	off.Active, off.PasswordHash = false, "x"
	if err := w.db.Update(ctx, func(tx civicgrid.Tx) error { return tx.UpdateUser(ctx, &off) }); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.User(ctx, id); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("a deactivated user's session: %v", err)
	}
	off.Active = true
	if err := w.db.Update(ctx, func(tx civicgrid.Tx) error { return tx.UpdateUser(ctx, &off) }); err != nil {
		t.Fatal(err)
	}

	// Sessions expire, and the purge removes them; logging out is final.
	w.clock.Advance(8 * time.Hour)
	if _, err := sessions.User(ctx, id); civicgrid.ErrorCodeOf(err) != civicgrid.Unauthorized {
		t.Errorf("an expired session: %v", err)
	}
	if n, err := sessions.Purge(ctx); err != nil || n != 1 {
		t.Errorf("Purge = %d, %v; want 1", n, err)
	}
	if err := sessions.Logout(ctx, id); err != nil {
		t.Errorf("Logout of a purged session: %v", err)
	}
}
