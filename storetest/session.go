package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testSession(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateFindDelete", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			sess := &civicgrid.Session{Hash: "h1", UserID: u.ID, CreatedAt: t0, ExpiresAt: at(time.Hour)}
			update(t, s, func(tx civicgrid.Tx) error { return tx.CreateSession(t.Context(), sess) })
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindSession(t.Context(), "h1")
				if err != nil {
					t.Fatalf("FindSession: %v", err)
				}
				diff(t, "FindSession", got, sess)
				_, err = tx.FindSession(t.Context(), "h2")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
			update(t, s, func(tx civicgrid.Tx) error {
				if err := tx.DeleteSession(t.Context(), "h1"); err != nil {
					return err
				}
				return tx.DeleteSession(t.Context(), "h1") // gone already: no error
			})
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindSession(t.Context(), "h1")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"CreateErrors", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSession(t.Context(), &civicgrid.Session{Hash: "h1", UserID: u.ID, CreatedAt: t0, ExpiresAt: at(time.Hour)})
			})
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSession(t.Context(), &civicgrid.Session{Hash: "h1", UserID: u.ID, CreatedAt: t0, ExpiresAt: at(time.Hour)})
			})
			wantCode(t, err, civicgrid.Conflict)
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSession(t.Context(), &civicgrid.Session{Hash: "h2", UserID: u.ID + 100, CreatedAt: t0, ExpiresAt: at(time.Hour)})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
		{"DeleteUserSessionsAndExpired", func(t *testing.T, s civicgrid.Store) {
			alice := createUser(t, s, "alice", civicgrid.RoleOperator, 0)
			bob := createUser(t, s, "bob", civicgrid.RoleOperator, 0)
			sessions := []*civicgrid.Session{
				{Hash: "a1", UserID: alice.ID, CreatedAt: t0, ExpiresAt: at(time.Hour)},
				{Hash: "a2", UserID: alice.ID, CreatedAt: t0, ExpiresAt: at(2 * time.Hour)},
				{Hash: "a3", UserID: alice.ID, CreatedAt: t0, ExpiresAt: at(3 * time.Hour)},
				{Hash: "b1", UserID: bob.ID, CreatedAt: t0, ExpiresAt: at(time.Hour)},
				{Hash: "b2", UserID: bob.ID, CreatedAt: t0, ExpiresAt: at(3 * time.Hour)},
			}
			update(t, s, func(tx civicgrid.Tx) error {
				for _, sess := range sessions {
					if err := tx.CreateSession(t.Context(), sess); err != nil {
						return err
					}
				}
				return nil
			})
			update(t, s, func(tx civicgrid.Tx) error {
				n, err := tx.DeleteUserSessions(t.Context(), alice.ID, "a2")
				if err != nil || n != 2 {
					t.Errorf("DeleteUserSessions = %d, %v; want 2, nil", n, err)
				}
				// Expiry is inclusive: b1 expires exactly at the hour.
				n, err = tx.DeleteExpiredSessions(t.Context(), at(time.Hour))
				if err != nil || n != 1 {
					t.Errorf("DeleteExpiredSessions = %d, %v; want 1, nil", n, err)
				}
				return nil
			})
			view(t, s, func(tx civicgrid.Tx) error {
				for hash, want := range map[string]bool{"a1": false, "a2": true, "a3": false, "b1": false, "b2": true} {
					_, err := tx.FindSession(t.Context(), hash)
					if got := err == nil; got != want {
						t.Errorf("session %s exists = %v, want %v (%v)", hash, got, want, err)
					}
				}
				return nil
			})
		}},
	})
}
