package open311_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/open311"
)

// TestGolden drives one story through every endpoint in both formats and
// compares each answer with its golden file: a FixMyStreet-like client
// discovers the endpoint, lists the services, reads a definition, reports
// three problems (one twice), the city works on them, the client sends
// updates and reads everything back.
func TestGolden(t *testing.T) {
	e := newEnv(t, envOptions{})
	both := func(name, path string) {
		t.Helper()
		for _, ext := range []string{"xml", "json"} {
			r := e.get(strings.Replace(path, "{fmt}", ext, 1))
			wantContentType(t, r, ext)
			e.golden(t, name+"."+ext, r)
		}
	}
	both("discovery", "discovery.{fmt}")
	both("services", "services.{fmt}")
	e.golden(t, "services_en.json", e.get("services.json?lang=en"))
	both("service_definition", "services/"+catGarbage+".{fmt}")

	lat, lon := cellCenter(0)
	full := url.Values{
		"api_key": {e.key}, "jurisdiction_id": {jurisdiction}, "service_code": {catGarbage}, "lat": {lat}, "long": {lon},
		"address_string": {"湖滨路 12 号"}, "description": {"路边堆放生活垃圾，约两平方米"},
		"email": {"li@example.com"}, "first_name": {"Li"}, "last_name": {"Lei"}, "phone": {"13800000000"},
		"device_id": {"device-1"}, "account_id": {"acct-7"}, "attribute[address_detail]": {"公交站旁"},
		"media_url": {"https://photos.example.com/1.jpg", "https://photos.example.com/2.jpg"},
	}
	r := e.post("requests.xml", full)
	wantContentType(t, r, "xml")
	e.golden(t, "request_create.xml", r) // 2026-000001
	e.clock.Advance(10 * time.Minute)

	lat2, lon2 := cellCenter(1)
	r = e.postMultipart("requests.json", url.Values{"api_key": {e.key}, "service_code": {catManhole}, "lat": {lat2}, "long": {lon2},
		"description": {"井盖缺失"}})
	wantContentType(t, r, "json")
	e.golden(t, "request_create.json", r) // 2026-000002
	e.clock.Advance(10 * time.Minute)

	near := coord(30.25045 + 0.00009) // 10 m north of the first report
	for _, ext := range []string{"xml", "json"} {
		dup := url.Values{"api_key": {e.key}, "service_code": {catGarbage}, "lat": {near}, "long": {lon}, "description": {"这里有垃圾"}}
		e.golden(t, "request_create_folded."+ext, e.post("requests."+ext, dup))
	}
	lat3, lon3 := cellCenter(2)
	road := e.report(catRoad, lat3, lon3) // 2026-000003
	e.clock.Advance(10 * time.Minute)

	e.act("2026-000002", civicgrid.ActionInput{Action: civicgrid.ActionFile})
	e.clock.Advance(time.Minute)
	e.act("2026-000002", civicgrid.ActionInput{Action: civicgrid.ActionDispatch, UnitID: e.unit.ID})
	for _, in := range closingPath(e.unit.ID, e.users[civicgrid.RoleInspector].ID) {
		e.clock.Advance(time.Minute)
		e.act(road, in)
	}
	e.clock.Advance(time.Minute)

	r = e.post("servicerequestupdates.xml", url.Values{"api_key": {e.key}, "update_id": {"fms-101"}, "service_request_id": {"2026-000001"},
		"updated_datetime": {"2026-03-10T09:40:00+08:00"}, "status": {"OPEN"}, "description": {"垃圾还在"}})
	e.golden(t, "update_create.xml", r)
	e.clock.Advance(time.Minute)
	r = e.post("servicerequestupdates.json", url.Values{"api_key": {e.key}, "update_id": {"fms-102"}, "service_request_id": {road},
		"updated_datetime": {"2026-03-10T09:41:00+08:00"}, "status": {"REOPEN"}, "description": {"路面又坏了"},
		"media_url": {"https://photos.example.com/3.jpg"}})
	e.golden(t, "update_create.json", r)
	e.clock.Advance(time.Minute)

	both("requests", "requests.{fmt}")
	both("requests_extensions", "requests.{fmt}?extensions=true")
	both("request_show", "requests/2026-000001.{fmt}")
	both("request_show_extensions", "requests/"+road+".{fmt}?extensions=true")
	both("updates", "servicerequestupdates.{fmt}")
	both("token", "tokens/abc123.{fmt}")
	both("update_token", "update_tokens/abc123.{fmt}")

	both("error_404", "services/99999.{fmt}")
	for _, ext := range []string{"xml", "json"} {
		e.golden(t, "error_400."+ext, e.post("requests."+ext, url.Values{"api_key": {e.key}, "lat": {lat}}))
		e.golden(t, "error_403."+ext, e.post("requests."+ext, url.Values{"service_code": {catGarbage}, "lat": {lat}, "long": {lon}}))
	}
}

// TestInternalError checks that a failure of the store is a 500 in the
// spec's format that says nothing about the cause.
func TestInternalError(t *testing.T) {
	e := newEnv(t, envOptions{config: func(e *env, c *open311.Config) {
		c.Cases = civicgrid.NewCaseService(failingStore{}, e.city.City, e.clock.Now)
	}})
	for _, ext := range []string{"xml", "json"} {
		r := e.get("requests." + ext)
		if r.status != http.StatusInternalServerError {
			t.Fatalf("status %d, want 500: %s", r.status, r.body)
		}
		if strings.Contains(string(r.body), "secret") {
			t.Errorf("the body leaks the cause: %s", r.body)
		}
		e.golden(t, "error_500."+ext, r)
	}
}

// failingStore fails every transaction the way a broken disk would.
type failingStore struct{}

func (failingStore) View(context.Context, func(civicgrid.Tx) error) error {
	return errors.New("sqlite: disk I/O error reading /var/secret/civicgrid.db")
}

func (failingStore) Update(context.Context, func(civicgrid.Tx) error) error {
	return errors.New("sqlite: disk I/O error writing /var/secret/civicgrid.db")
}

// wantContentType checks the content type of format ext.
func wantContentType(t *testing.T, r *response, ext string) {
	t.Helper()
	want := map[string]string{"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}[ext]
	if r.ctype != want {
		t.Errorf("Content-Type %q, want %q", r.ctype, want)
	}
}

// TestMountedAlone checks the handler on its own, not behind a mux: with
// the prefix, without it, and at the bare base URL with and without the
// trailing slash.
func TestMountedAlone(t *testing.T) {
	e := newEnv(t, envOptions{})
	h := open311.New(open311.Config{City: e.city.City, Cases: e.cases, Keys: e.keys, Now: e.clock.Now,
		BaseURL: func(*http.Request) string { return "https://city.example/open311/v2" }})
	for _, path := range []string{"/open311/v2", "/open311/v2/", "/open311/v2/discovery.xml", "/discovery.xml"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<url>https://city.example/open311/v2/</url>") {
			t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
	}
	for _, path := range []string{"/open311/v2/services.json", "/services.json"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "[{") {
			t.Errorf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
	}
}
