package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestHotspotsPage draws the three tables of the emerging fixture for the
// period of its nine weeks: A1 first in every table, the chart's bars
// and every row linking to its cases and to the map.
func TestHotspotsPage(t *testing.T) {
	e := newEnv(t)
	hotspotFixture(t, e)
	b := e.signedInAs("operator")
	r := b.get("/hotspots?from=2026-03-10&until=2026-05-11")
	if r.status != http.StatusOK {
		t.Fatalf("GET /hotspots: %d\n%s", r.status, r.body)
	}
	body := string(r.body)
	for _, want := range []string{
		`<svg class="hotchart"`,
		`href="/cases?cell=330102001001001&amp;created_from=2026-03-10&amp;created_to=2026-05-11"`,
		`href="/map?cell=330102001001001"`,
		// The emerging table tests the last week of the period.
		`href="/cases?cell=330102001001001&amp;created_from=2026-05-05&amp;created_to=2026-05-11"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if strings.Contains(body, `created_from=2026-05-05&amp;created_to=2026-05-11&amp;cell=330102001002001`) ||
		strings.Count(body, "created_from=2026-05-05") != 1 {
		t.Errorf("more than A1 emerges")
	}
	checkPageGolden(t, "hotspots_operator", r.body)

	// The drill-down's list shows the cell's cases of the week.
	r = b.get("/cases?cell=330102001001001&created_from=2026-05-05&created_to=2026-05-11")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "共 12 件") {
		t.Errorf("the drill-down: %d", r.status)
	}
	// Its form keeps the cell and the dates when other filters change.
	for _, want := range []string{`<input type="hidden" name="cell" value="330102001001001">`, `<input type="hidden" name="created_to" value="2026-05-11">`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("the drill-down's form lacks %s", want)
		}
	}

	if r := b.get("/hotspots?until=2026-02-30"); r.status != http.StatusBadRequest {
		t.Errorf("a bad date: %d, want 400", r.status)
	}
	if r := e.signedInAs("sanitation").get("/hotspots"); r.status != http.StatusForbidden {
		t.Errorf("a unit's page: %d, want 403", r.status)
	}
}
