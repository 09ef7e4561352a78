package storetest

import (
	"testing"

	"civicgrid"
)

// createUser stores an active user with name, role and unit, and returns it.
func createUser(t *testing.T, s civicgrid.Store, name string, role civicgrid.Role, unit civicgrid.UnitID) *civicgrid.User {
	t.Helper()
	u := &civicgrid.User{Name: name, DisplayName: "用户 " + name, Role: role, UnitID: unit, AreaCode: "110101",
		Phone: "13800000000", PasswordHash: "hash-" + name, Active: true, CreatedAt: t0}
	update(t, s, func(tx civicgrid.Tx) error { return tx.CreateUser(t.Context(), u) })
	if u.ID == 0 {
		t.Fatal("CreateUser did not set the ID")
	}
	return u
}

func testUser(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateAndFind", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindUser(t.Context(), u.ID)
				if err != nil {
					t.Fatalf("FindUser: %v", err)
				}
				diff(t, "FindUser", got, u)
				got, err = tx.FindUserByName(t.Context(), "alice")
				if err != nil {
					t.Fatalf("FindUserByName: %v", err)
				}
				diff(t, "FindUserByName", got, u)
				_, err = tx.FindUser(t.Context(), u.ID+100)
				wantCode(t, err, civicgrid.NotFound)
				_, err = tx.FindUserByName(t.Context(), "bob")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"CreateErrors", func(t *testing.T, s civicgrid.Store) {
			createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateUser(t.Context(), &civicgrid.User{Name: "alice", Role: civicgrid.RoleLeader, CreatedAt: t0})
			})
			wantCode(t, err, civicgrid.Conflict)
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateUser(t.Context(), &civicgrid.User{Name: "bob", Role: civicgrid.RoleUnit, UnitID: 999, CreatedAt: t0})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
		{"Update", func(t *testing.T, s civicgrid.Store) {
			unit := createUnit(t, s, "u")
			u := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			createUser(t, s, "bob", civicgrid.RoleOperator, 0)
			changed := *u
			changed.Name, changed.Role, changed.UnitID, changed.Active, changed.PasswordHash = "alice2", civicgrid.RoleUnit, unit.ID, false, "new"
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUser(t.Context(), &changed) })
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindUser(t.Context(), u.ID)
				if err != nil {
					t.Fatalf("FindUser: %v", err)
				}
				diff(t, "updated user", got, &changed)
				return nil
			})
			taken := changed
			taken.Name = "bob"
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUser(t.Context(), &taken) }), civicgrid.Conflict)
			missing := changed
			missing.ID, missing.Name = u.ID+100, "carol"
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUser(t.Context(), &missing) }), civicgrid.NotFound)
		}},
		{"FindUsers", func(t *testing.T, s civicgrid.Store) {
			u1, u2 := createUnit(t, s, "u1"), createUnit(t, s, "u2")
			a := createUser(t, s, "a", civicgrid.RoleUnit, u1.ID)
			b := createUser(t, s, "b", civicgrid.RoleInspector, 0)
			c := createUser(t, s, "c", civicgrid.RoleUnit, u2.ID)
			d := createUser(t, s, "d", civicgrid.RoleUnit, u1.ID)
			for _, tc := range []struct {
				name string
				f    civicgrid.UserFilter
				want []*civicgrid.User
			}{
				{"All", civicgrid.UserFilter{}, []*civicgrid.User{a, b, c, d}},
				{"Role", civicgrid.UserFilter{Role: ptr(civicgrid.RoleUnit)}, []*civicgrid.User{a, c, d}},
				{"Unit", civicgrid.UserFilter{UnitID: &u1.ID}, []*civicgrid.User{a, d}},
				{"RoleAndUnit", civicgrid.UserFilter{Role: ptr(civicgrid.RoleInspector), UnitID: &u1.ID}, nil},
			} {
				view(t, s, func(tx civicgrid.Tx) error {
					got, err := tx.FindUsers(t.Context(), tc.f)
					if err != nil {
						t.Fatalf("FindUsers: %v", err)
					}
					diff(t, tc.name, got, tc.want)
					return nil
				})
			}
		}},
		{"SearchUsers", func(t *testing.T, s civicgrid.Store) {
			a := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			b := createUser(t, s, "bob_smith", civicgrid.RoleInspector, 0)
			c := createUser(t, s, "carol", civicgrid.RoleInspector, 0)
			c.DisplayName = "王 Carol"
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUser(t.Context(), c) })
			for _, tc := range []struct {
				name string
				f    civicgrid.UserFilter
				want []*civicgrid.User
			}{
				{"LoginName", civicgrid.UserFilter{Search: "lic"}, []*civicgrid.User{a}},
				{"DisplayName", civicgrid.UserFilter{Search: "王"}, []*civicgrid.User{c}},
				{"ASCIICaseFolds", civicgrid.UserFilter{Search: "BOB"}, []*civicgrid.User{b}},
				{"UnderscoreIsLiteral", civicgrid.UserFilter{Search: "_"}, []*civicgrid.User{b}},
				{"PercentIsLiteral", civicgrid.UserFilter{Search: "%"}, nil},
				{"WithRole", civicgrid.UserFilter{Search: "o", Role: ptr(civicgrid.RoleInspector)}, []*civicgrid.User{b, c}},
			} {
				view(t, s, func(tx civicgrid.Tx) error {
					got, err := tx.FindUsers(t.Context(), tc.f)
					if err != nil {
						t.Fatalf("FindUsers: %v", err)
					}
					diff(t, tc.name, got, tc.want)
					return nil
				})
			}
		}},
		{"Tokens", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "app", civicgrid.RoleOperator, 0)
			tok := &civicgrid.Token{UserID: u.ID, Name: "ci", Hash: "h1", CreatedAt: t0}
			update(t, s, func(tx civicgrid.Tx) error { return tx.CreateToken(t.Context(), tok) })
			if tok.ID == 0 {
				t.Error("CreateToken did not set the ID")
			}
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateToken(t.Context(), &civicgrid.Token{UserID: u.ID, Hash: "h1", CreatedAt: t0})
			}), civicgrid.Conflict)
			wantCode(t, updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateToken(t.Context(), &civicgrid.Token{UserID: u.ID + 100, Hash: "h2", CreatedAt: t0})
			}), civicgrid.Invalid)
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindUserByToken(t.Context(), "h1")
				if err != nil {
					t.Fatalf("FindUserByToken: %v", err)
				}
				diff(t, "token user", got, u)
				_, err = tx.FindUserByToken(t.Context(), "h2")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
			inactive := *u
			inactive.Active = false
			update(t, s, func(tx civicgrid.Tx) error { return tx.UpdateUser(t.Context(), &inactive) })
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindUserByToken(t.Context(), "h1")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
	})
}
