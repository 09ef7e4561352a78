package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/web"
)

type apiKeyOut struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	Prefix    string  `json:"prefix"`
	UserID    int64   `json:"user_id"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
}

func TestAPIKeys(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "FixMyStreet"})
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	created := decodeBody[struct {
		Key    string    `json:"key"`
		APIKey apiKeyOut `json:"api_key"`
	}](t, r)
	if !strings.HasPrefix(created.Key, "ak_") || created.APIKey.Prefix != created.Key[:10] || created.APIKey.ID == 0 ||
		created.APIKey.CreatedAt != "2026-03-10T09:00:00+08:00" || strings.Contains(string(r.body), `"hash"`) {
		t.Errorf("create answer %s", r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", r.header.Get("Cache-Control"))
	}
	// The key works for the domain until it is revoked.
	ctx := context.Background()
	keys := civicgrid.NewAPIKeyService(e.db, e.clock.Now)
	if _, u, err := keys.Authenticate(ctx, created.Key); err != nil || u.Role != civicgrid.RoleApp {
		t.Fatalf("authenticate the new key: %v", err)
	}
	id := itoa(created.APIKey.ID)
	e.run(t, []scenario{
		{name: "list", method: "GET", path: "/api/v1/apikeys", actor: "admin", wantStatus: http.StatusOK,
			wantContains: []string{`"name":"FixMyStreet"`, `"prefix":"` + created.APIKey.Prefix + `"`}},
		{name: "the name is taken", method: "POST", path: "/api/v1/apikeys", actor: "admin", body: map[string]any{"name": "FixMyStreet"},
			wantStatus: http.StatusConflict},
		{name: "a name is required", method: "POST", path: "/api/v1/apikeys", actor: "admin", body: map[string]any{"name": " "},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"name":`}},
		{name: "unknown field", method: "POST", path: "/api/v1/apikeys", actor: "admin", body: map[string]any{"name": "x", "role": "admin"},
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"role":"unknown field"}`}},
		{name: "operators may not list", method: "GET", path: "/api/v1/apikeys", actor: "operator", wantStatus: http.StatusForbidden},
		{name: "operators may not create", method: "POST", path: "/api/v1/apikeys", actor: "operator", body: map[string]any{"name": "x"},
			wantStatus: http.StatusForbidden},
		{name: "operators may not revoke", method: "POST", path: "/api/v1/apikeys/" + id + "/revoke", actor: "operator",
			wantStatus: http.StatusForbidden},
		{name: "no token", method: "GET", path: "/api/v1/apikeys", wantStatus: http.StatusUnauthorized},
		{name: "revoke an unknown key", method: "POST", path: "/api/v1/apikeys/9999/revoke", actor: "admin", wantStatus: http.StatusNotFound},
		{name: "not an id", method: "POST", path: "/api/v1/apikeys/x/revoke", actor: "admin", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"id":`}},
		{name: "revoke", method: "POST", path: "/api/v1/apikeys/" + id + "/revoke", actor: "admin", wantStatus: http.StatusNoContent},
	})
	if _, _, err := keys.Authenticate(ctx, created.Key); civicgrid.ErrorCodeOf(err) != civicgrid.Forbidden {
		t.Errorf("a revoked key authenticates: %v", err)
	}
	list := decodeBody[struct {
		Items []apiKeyOut `json:"items"`
	}](t, e.do("GET", "/api/v1/apikeys", "admin", nil))
	if len(list.Items) != 1 || list.Items[0].RevokedAt == nil || !strings.HasSuffix(*list.Items[0].RevokedAt, "+08:00") {
		t.Errorf("list after revoking: %+v", list.Items)
	}
}

// TestAPIKeyAnswersAreNotKept: the answer holding a new key is never
// stored for Idempotency-Key, so a retry does not get the secret again.
func TestAPIKeyAnswersAreNotKept(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"name": "CRM"}
	if r := e.do("POST", "/api/v1/apikeys", "admin", body, "Idempotency-Key", "k-1"); r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r := e.do("POST", "/api/v1/apikeys", "admin", body, "Idempotency-Key", "k-1")
	if r.status != http.StatusConflict || r.header.Get("Idempotent-Replayed") != "" || strings.Contains(string(r.body), "ak_") {
		t.Errorf("retry: %d %v %s", r.status, r.header, r.body)
	}
	ctx := context.Background()
	err := e.db.View(ctx, func(tx civicgrid.Tx) error {
		_, err := tx.FindIdempotency(ctx, "user:"+itoa(int64(e.users["admin"].ID)), "k-1")
		return err
	})
	if civicgrid.ErrorCodeOf(err) != civicgrid.NotFound {
		t.Errorf("an idempotency record was kept: %v", err)
	}
}

func TestAPIKeysNotConfigured(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.APIKeys = nil })
	e.run(t, []scenario{
		{name: "list", method: "GET", path: "/api/v1/apikeys", actor: "admin", wantStatus: http.StatusServiceUnavailable,
			wantContains: []string{`"code":"unavailable"`}},
	})
}

// TestRevokedKeyLeavesTheTokenCache: with token lookups cached, a key
// revoked through the API stops working at once, as one revoked on the
// admin page does.
func TestRevokedKeyLeavesTheTokenCache(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.TokenTTL = time.Hour })
	created := decodeBody[struct {
		Key    string    `json:"key"`
		APIKey apiKeyOut `json:"api_key"`
	}](t, e.do("POST", "/api/v1/apikeys", "admin", map[string]any{"name": "camera system"}))
	e.tokens["camera"] = created.Key
	if r := e.do("GET", "/api/v1/categories", "camera", nil); r.status != http.StatusOK {
		t.Fatalf("the new key: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/apikeys/"+itoa(created.APIKey.ID)+"/revoke", "admin", nil); r.status != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/categories", "camera", nil); r.status != http.StatusUnauthorized {
		t.Errorf("the revoked key, cached before: %d, want 401", r.status)
	}
}
