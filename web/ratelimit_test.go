package web_test

import (
	"net/http"
	"testing"
	"time"

	"civicgrid/web"
)

func withRateLimit(rl web.RateLimit) func(*web.Config) {
	return func(c *web.Config) { c.RateLimit = rl }
}

func TestRateLimitPerToken(t *testing.T) {
	e := newEnv(t, withRateLimit(web.RateLimit{PerKey: web.Limit{Rate: 1, Burst: 3}}))
	ok := scenario{method: "GET", path: "/api/v1/units", actor: "operator", wantStatus: http.StatusOK}
	limited := scenario{method: "GET", path: "/api/v1/units", actor: "operator", wantStatus: http.StatusTooManyRequests,
		wantBody:   `{"error":{"code":"rate_limited","message":"too many requests with this token; retry in 1 s"}}`,
		wantHeader: map[string]string{"Retry-After": "1"}}
	named := func(sc scenario, name string) scenario { sc.name = name; return sc }
	e.run(t, []scenario{
		named(ok, "1"), named(ok, "2"), named(ok, "3"),
		named(limited, "4 is over the burst"),
		{name: "POSTs count too", method: "POST", path: "/api/v1/cases", actor: "operator", body: garbageAt(0, 0, "hotline"),
			wantStatus: http.StatusTooManyRequests},
		{name: "another token has its own budget", method: "GET", path: "/api/v1/units", actor: "dispatcher", wantStatus: http.StatusOK},
		{name: "a bad token is refused as before", method: "GET", path: "/api/v1/units", header: []string{"Authorization", "Bearer nope"},
			wantStatus: http.StatusUnauthorized},
	})
	e.clock.Advance(time.Second)
	e.run(t, []scenario{named(ok, "a second later"), named(limited, "and then over again")})
	e.clock.Advance(time.Hour)
	e.run(t, []scenario{named(ok, "an hour later 1"), named(ok, "an hour later 2"), named(ok, "an hour later 3"), named(limited, "an hour later 4")})
}

func TestRateLimitPerAddress(t *testing.T) {
	fake := &fakeOpen311{}
	e := newEnv(t, withRateLimit(web.RateLimit{PerAddress: web.Limit{Rate: 0.5, Burst: 2}}), func(c *web.Config) { c.Open311 = fake })
	login := map[string]any{"name": "operator", "password": "wrong"}
	e.run(t, []scenario{
		{name: "login 1", method: "POST", path: "/api/v1/tokens", body: login, wantStatus: http.StatusUnauthorized},
		{name: "login 2", method: "POST", path: "/api/v1/tokens", body: login, wantStatus: http.StatusUnauthorized},
		{name: "login 3", method: "POST", path: "/api/v1/tokens", body: login, wantStatus: http.StatusTooManyRequests,
			wantBody:   `{"error":{"code":"rate_limited","message":"too many requests from your address; retry in 2 s"}}`,
			wantHeader: map[string]string{"Retry-After": "2"}},
		{name: "Open311 shares the address's budget, in its own format", method: "GET", path: "/open311/v2/services.json",
			wantStatus: http.StatusTooManyRequests, wantHeader: map[string]string{"Retry-After": "2"},
			wantBody: `[{"code":429,"description":"too many requests from your address; retry in 2 s"}]`},
		{name: "Open311 XML", method: "GET", path: "/open311/v2/services.xml", wantStatus: http.StatusTooManyRequests,
			wantContains: []string{`<errors><error><code>429</code><description>too many requests from your address; retry in 2 s</description></error></errors>`}},
		{name: "the authenticated API is not limited by address", method: "GET", path: "/api/v1/units", actor: "operator",
			wantStatus: http.StatusOK},
	})
	e.clock.Advance(2 * time.Second)
	e.run(t, []scenario{
		{name: "two seconds later", method: "GET", path: "/open311/v2/services.json", wantStatus: http.StatusOK},
	})
}

func TestRateLimitOpen311PerKey(t *testing.T) {
	fake := &fakeOpen311{}
	e := newEnv(t, withRateLimit(web.RateLimit{PerKey: web.Limit{Rate: 1, Burst: 2}}), func(c *web.Config) { c.Open311 = fake })
	post := func(name, key string, want int) scenario {
		return scenario{name: name, method: "POST", path: "/open311/v2/requests.json", body: formBody("api_key", key, "description", "x"),
			header: []string{"Content-Type", formType}, wantStatus: want}
	}
	e.run(t, []scenario{
		post("key one 1", "ak_one", http.StatusOK),
		post("key one 2", "ak_one", http.StatusOK),
		post("key one 3", "ak_one", http.StatusTooManyRequests),
		{name: "the key in the query counts too", method: "GET", path: "/open311/v2/servicerequestupdates.json?api_key=ak_one",
			wantStatus: http.StatusTooManyRequests, wantContains: []string{`"description":"too many requests with this api_key; retry in 1 s"`}},
		post("key two", "ak_two", http.StatusOK),
		{name: "no key, no key limit", method: "GET", path: "/open311/v2/services.json", wantStatus: http.StatusOK},
	})
	if got := fake.calls.Load(); got != 3 {
		t.Errorf("the handler ran %d times, want 3", got)
	}
}

func TestRateLimitFailedLogins(t *testing.T) {
	e := newEnv(t, withRateLimit(web.RateLimit{FailedLogins: web.Limit{Rate: 1.0 / 60, Burst: 3}}))
	e.setPassword("operator", "correct horse")
	wrong := map[string]any{"name": "operator", "password": "wrong"}
	right := map[string]any{"name": "operator", "password": "correct horse"}
	e.run(t, []scenario{
		{name: "right", method: "POST", path: "/api/v1/tokens", body: right, wantStatus: http.StatusCreated},
		{name: "right again: successes cost nothing", method: "POST", path: "/api/v1/tokens", body: right, wantStatus: http.StatusCreated},
		{name: "right a third time", method: "POST", path: "/api/v1/tokens", body: right, wantStatus: http.StatusCreated},
		{name: "right a fourth time", method: "POST", path: "/api/v1/tokens", body: right, wantStatus: http.StatusCreated},
		{name: "malformed input costs nothing", method: "POST", path: "/api/v1/tokens", body: map[string]any{}, wantStatus: http.StatusBadRequest},
		{name: "wrong 1", method: "POST", path: "/api/v1/tokens", body: wrong, wantStatus: http.StatusUnauthorized},
		{name: "wrong 2", method: "POST", path: "/api/v1/tokens", body: wrong, wantStatus: http.StatusUnauthorized},
		{name: "wrong 3", method: "POST", path: "/api/v1/tokens", body: wrong, wantStatus: http.StatusUnauthorized},
		{name: "then even the right password waits", method: "POST", path: "/api/v1/tokens", body: right,
			wantStatus: http.StatusTooManyRequests, wantHeader: map[string]string{"Retry-After": "60"},
			wantBody: `{"error":{"code":"rate_limited","message":"too many failed logins from your address; retry in 60 s"}}`},
		{name: "other routes are not affected", method: "GET", path: "/api/v1/me", actor: "operator", wantStatus: http.StatusOK},
	})
	e.clock.Advance(time.Minute)
	e.run(t, []scenario{
		{name: "a minute later", method: "POST", path: "/api/v1/tokens", body: right, wantStatus: http.StatusCreated},
		{name: "one more try is allowed", method: "POST", path: "/api/v1/tokens", body: wrong, wantStatus: http.StatusUnauthorized},
		{name: "and no second", method: "POST", path: "/api/v1/tokens", body: wrong, wantStatus: http.StatusTooManyRequests},
	})
}
