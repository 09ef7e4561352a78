package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIWithSession checks that the pages' scripts may call the API with
// the browser's session, and that a state-changing call from another site
// is refused even with the cookie.
func TestAPIWithSession(t *testing.T) {
	e := newEnv(t)
	operator := e.signedInAs("operator")

	if r := operator.get("/api/v1/me"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"operator"`) {
		t.Fatalf("GET /api/v1/me with a session: %d %s", r.status, r.body)
	}
	if r := e.newBrowserClient().get("/api/v1/me"); r.status != http.StatusUnauthorized {
		t.Fatalf("GET /api/v1/me without a session: %d, want 401", r.status)
	}

	post := func(site string) response {
		req, err := http.NewRequest("POST", e.srv.URL+"/api/v1/cases/merge", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		return operator.do(req, []string{"Sec-Fetch-Site", site})
	}
	if r := post("cross-site"); r.status != http.StatusForbidden {
		t.Fatalf("cross-site POST with the session: %d %s, want 403", r.status, r.body)
	}
	if r := post("same-origin"); r.status == http.StatusForbidden || r.status == http.StatusUnauthorized {
		t.Fatalf("same-origin POST with the session: %d %s, want it let through", r.status, r.body)
	}

	if r := operator.post("/logout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	if r := operator.get("/api/v1/me"); r.status != http.StatusUnauthorized {
		t.Fatalf("GET /api/v1/me after logout: %d, want 401", r.status)
	}
}
