package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

func testSavedView(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateFindDelete", func(t *testing.T, s civicgrid.Store) {
			alice := createUser(t, s, "alice", civicgrid.RoleDispatcher, 0)
			bob := createUser(t, s, "bob", civicgrid.RoleDispatcher, 0)
			overdue := &civicgrid.SavedView{UserID: alice.ID, Name: "超期", Query: "overdue=true", CreatedAt: t0}
			filed := &civicgrid.SavedView{UserID: alice.ID, Name: "待派遣", Query: "status=filed", CreatedAt: at(time.Minute)}
			bobs := &civicgrid.SavedView{UserID: bob.ID, Name: "超期", Query: "overdue=true&district=110101", CreatedAt: t0}
			update(t, s, func(tx civicgrid.Tx) error {
				for _, v := range []*civicgrid.SavedView{filed, overdue, bobs} {
					if err := tx.CreateSavedView(t.Context(), v); err != nil {
						return err
					}
					if v.ID == 0 {
						t.Fatal("CreateSavedView did not set the ID")
					}
				}
				return nil
			})
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindSavedViews(t.Context(), alice.ID)
				diff(t, "FindSavedViews", got, []*civicgrid.SavedView{filed, overdue}) // by name: 待 before 超
				return err
			})
			// Bob cannot delete Alice's view.
			err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.DeleteSavedView(t.Context(), bob.ID, filed.ID) })
			wantCode(t, err, civicgrid.NotFound)
			update(t, s, func(tx civicgrid.Tx) error { return tx.DeleteSavedView(t.Context(), alice.ID, filed.ID) })
			err = updateErr(t, s, func(tx civicgrid.Tx) error { return tx.DeleteSavedView(t.Context(), alice.ID, filed.ID) })
			wantCode(t, err, civicgrid.NotFound)
			view(t, s, func(tx civicgrid.Tx) error {
				got, err := tx.FindSavedViews(t.Context(), alice.ID)
				diff(t, "FindSavedViews after delete", got, []*civicgrid.SavedView{overdue})
				none, err2 := tx.FindSavedViews(t.Context(), alice.ID+bob.ID+100)
				diff(t, "FindSavedViews of nobody", none, []*civicgrid.SavedView{})
				if err == nil {
					err = err2
				}
				return err
			})
		}},
		{"CreateErrors", func(t *testing.T, s civicgrid.Store) {
			alice := createUser(t, s, "alice", civicgrid.RoleDispatcher, 0)
			update(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSavedView(t.Context(), &civicgrid.SavedView{UserID: alice.ID, Name: "超期", Query: "overdue=true", CreatedAt: t0})
			})
			err := updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSavedView(t.Context(), &civicgrid.SavedView{UserID: alice.ID, Name: "超期", Query: "", CreatedAt: t0})
			})
			wantCode(t, err, civicgrid.Conflict)
			err = updateErr(t, s, func(tx civicgrid.Tx) error {
				return tx.CreateSavedView(t.Context(), &civicgrid.SavedView{UserID: alice.ID + 100, Name: "x", CreatedAt: t0})
			})
			wantCode(t, err, civicgrid.Invalid)
		}},
	})
}
