package web_test

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"civicgrid/demo"
)

// TestHotspotsComponentsPage: the hotspots page lists a component with
// repeated cases, linking to its cases, and the case list keeps the
// component filter.
func TestHotspotsComponentsPage(t *testing.T) {
	e := newEnv(t)
	const code = "3301020101000001"
	componentFixture(t, e, code)
	b := e.signedInAs("operator")
	r := b.get("/hotspots?from=2026-03-01&until=2026-03-10")
	if r.status != http.StatusOK {
		t.Fatalf("GET /hotspots: %d\n%s", r.status, r.body)
	}
	body := string(r.body)
	for _, want := range []string{
		`<h2 id="hot-components">部件重复问题</h2>`,
		`<td data-label="部件">上水井盖 1<span class="sub">` + code + `</span></td>`,
		`<td data-label="责任单位">区市政管理处</td>`,
		`<td data-label="案卷数">2</td>`,
		`href="/cases?component=` + code + `&amp;created_from=2026-03-01&amp;created_to=2026-03-10"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	b.get("/lang?to=en&back=/hotspots")
	if r := b.get("/hotspots?from=2026-03-01&until=2026-03-10"); !strings.Contains(string(r.body), "Repeat problems at the same component") ||
		!strings.Contains(string(r.body), "Municipal works") {
		t.Errorf("the English page lacks the table's title")
	}
	b.get("/lang?to=zh&back=/cases")
	r = b.get("/cases?component=" + code + "&created_from=2026-03-01&created_to=2026-03-10")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "共 2 件") ||
		!strings.Contains(string(r.body), `<input type="hidden" name="component" value="`+code+`">`) {
		t.Errorf("the drill-down: %d\n%s", r.status, r.body)
	}
}

// TestHotspotsComponentsDemo: on the full demo city the hotspots page
// lists components that keep breaking, within the page budget, and each
// row's link lists that component's cases.
func TestHotspotsComponentsDemo(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the full demo takes ten seconds to build (minutes under -race); run without -short and -race")
	}
	srv := newDemoServer(t)
	c := signIn(t, srv.URL, "leader", demo.Password)
	var ds []time.Duration
	var body string
	for range 5 {
		start := time.Now()
		body = get(t, c, srv.URL+"/hotspots")
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	t.Logf("/hotspots median %v", ds[2])
	if ds[2] > pageBudget {
		t.Errorf("/hotspots: median %v, over the %v budget", ds[2], pageBudget)
	}
	section := body[strings.Index(body, `id="hot-components"`):]
	links := regexp.MustCompile(`href="(/cases\?component=(\d{16,17})[^"]*)"`).FindAllStringSubmatch(section, -1)
	if len(links) < 3 {
		t.Fatalf("the repeats table has %d rows, want some:\n%s", len(links), section)
	}
	list := get(t, c, srv.URL+html.UnescapeString(links[0][1]))
	if !strings.Contains(list, `<input type="hidden" name="component" value="`+links[0][2]+`">`) || strings.Contains(list, "共 0 件") {
		t.Errorf("the drill-down of %s lists no case", links[0][2])
	}
}

// componentFixture registers component code in the first cell, maintained
// by the municipal unit, and reports two cases at it.
func componentFixture(t *testing.T, e *env, code string) {
	t.Helper()
	lat, lon := cellCenter(0)
	if r := e.do("PUT", "/api/v1/components/"+code, "admin", map[string]any{"category_code": catManhole, "name": "上水井盖 1",
		"point": map[string]any{"lat": lat, "lon": lon}, "maintainer_unit_id": e.units[unitMunic].ID}); r.status != http.StatusOK {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	for range 2 {
		if r := e.do("POST", "/api/v1/cases", "inspector", map[string]any{"category_code": catManhole, "lat": lat, "lon": lon,
			"description": "井盖破损", "source": "inspector", "component_code": code, "distinct": true}); r.status != http.StatusCreated {
			t.Fatalf("report: %d %s", r.status, r.body)
		}
	}
}
