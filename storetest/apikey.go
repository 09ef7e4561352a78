package storetest

import (
	"testing"
	"time"

	"civicgrid"
)

// createAPIKey stores a key named name with hash for user, and returns it.
func createAPIKey(t *testing.T, s civicgrid.Store, name, hash string, user civicgrid.UserID) *civicgrid.APIKey {
	t.Helper()
	k := &civicgrid.APIKey{Name: name, Prefix: "ak_" + name, Hash: hash, UserID: user, CreatedAt: t0}
	update(t, s, func(tx civicgrid.Tx) error { return tx.CreateAPIKey(t.Context(), k) })
	if k.ID == 0 {
		t.Fatal("CreateAPIKey did not set the ID")
	}
	return k
}

// wantAPIKeys checks every stored key, and finds each by its hash.
func wantAPIKeys(t *testing.T, s civicgrid.Store, want ...*civicgrid.APIKey) {
	t.Helper()
	view(t, s, func(tx civicgrid.Tx) error {
		got, err := tx.FindAPIKeys(t.Context())
		if err != nil {
			t.Fatalf("FindAPIKeys: %v", err)
		}
		diff(t, "FindAPIKeys", got, want)
		for _, k := range want {
			got, err := tx.FindAPIKeyByHash(t.Context(), k.Hash)
			if err != nil {
				t.Fatalf("FindAPIKeyByHash(%s): %v", k.Hash, err)
			}
			diff(t, "FindAPIKeyByHash", got, k)
		}
		return nil
	})
}

func testAPIKey(t *testing.T, open Opener) {
	runTests(t, open, []test{
		{"CreateAndFind", func(t *testing.T, s civicgrid.Store) {
			wantAPIKeys(t, s)
			u1 := createUser(t, s, "app-crm", civicgrid.RoleApp, 0)
			u2 := createUser(t, s, "app-311", civicgrid.RoleApp, 0)
			k1 := createAPIKey(t, s, "crm", "h1", u1.ID)
			k2 := &civicgrid.APIKey{Name: "311", Prefix: "ak_311", Hash: "h2", UserID: u2.ID, CreatedAt: at(time.Minute),
				RevokedAt: ptr(at(time.Hour))}
			update(t, s, func(tx civicgrid.Tx) error { return tx.CreateAPIKey(t.Context(), k2) })
			if k2.ID <= k1.ID {
				t.Errorf("key IDs %d then %d: want increasing", k1.ID, k2.ID)
			}
			wantAPIKeys(t, s, k1, k2)
			view(t, s, func(tx civicgrid.Tx) error {
				_, err := tx.FindAPIKeyByHash(t.Context(), "h3")
				wantCode(t, err, civicgrid.NotFound)
				return nil
			})
		}},
		{"CreateErrors", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "app-crm", civicgrid.RoleApp, 0)
			k := createAPIKey(t, s, "crm", "h1", u.ID)
			for _, tc := range []struct {
				name string
				k    civicgrid.APIKey
				code civicgrid.ErrorCode
			}{
				{"NameTaken", civicgrid.APIKey{Name: "crm", Hash: "h2", UserID: u.ID, CreatedAt: t0}, civicgrid.Conflict},
				{"HashTaken", civicgrid.APIKey{Name: "crm2", Hash: "h1", UserID: u.ID, CreatedAt: t0}, civicgrid.Conflict},
				{"UnknownUser", civicgrid.APIKey{Name: "crm3", Hash: "h3", UserID: u.ID + 100, CreatedAt: t0}, civicgrid.Invalid},
				{"NoUser", civicgrid.APIKey{Name: "crm4", Hash: "h4", CreatedAt: t0}, civicgrid.Invalid},
			} {
				err := updateErr(t, s, func(tx civicgrid.Tx) error { return tx.CreateAPIKey(t.Context(), &tc.k) })
				if civicgrid.ErrorCodeOf(err) != tc.code {
					t.Errorf("%s: CreateAPIKey = %v, want %s", tc.name, err, tc.code)
				}
			}
			wantAPIKeys(t, s, k)
		}},
		{"Revoke", func(t *testing.T, s civicgrid.Store) {
			u := createUser(t, s, "app-crm", civicgrid.RoleApp, 0)
			k1, k2 := createAPIKey(t, s, "crm", "h1", u.ID), createAPIKey(t, s, "crm2", "h2", u.ID)
			revoke := func(id int64, when time.Time) error {
				return updateErr(t, s, func(tx civicgrid.Tx) error { return tx.RevokeAPIKey(t.Context(), id, when) })
			}
			if err := revoke(k1.ID, at(time.Hour)); err != nil {
				t.Fatalf("RevokeAPIKey: %v", err)
			}
			k1.RevokedAt = ptr(at(time.Hour))
			wantAPIKeys(t, s, k1, k2) // a revoked key is still found, to be refused
			// Revoking again keeps the time the key stopped working.
			if err := revoke(k1.ID, at(2*time.Hour)); err != nil {
				t.Fatalf("RevokeAPIKey again: %v", err)
			}
			wantAPIKeys(t, s, k1, k2)
			wantCode(t, revoke(k2.ID+100, at(time.Hour)), civicgrid.NotFound)
		}},
	})
}
