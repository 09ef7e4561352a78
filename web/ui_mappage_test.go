package web_test

import (
	"net/http"
	"strings"
	"testing"

	"civicgrid/web"
)

// TestUIMapPage checks the map page's shell (golden), who may see it and
// which layers each role is offered.
func TestUIMapPage(t *testing.T) {
	e := newEnv(t)
	operator := e.signedInAs("operator")
	r := operator.get("/map?cell=" + cellA2 + "&status=open&status=closed")
	if r.status != http.StatusOK {
		t.Fatalf("GET /map: %d\n%s", r.status, r.body)
	}
	checkPageGolden(t, "map_operator", r.body)
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("without tiles the page may load images from %q", csp)
	}

	e.runPages(t, []pageScenario{
		{name: "a unit has no reported layer", as: "sanitation", method: "GET", path: "/map", wantStatus: http.StatusOK,
			wantContains: []string{`value="open" checked`, `id="map-data"`}, wantMissing: []string{`value="reported"`}},
		{name: "an inspector sees the map", as: "inspector", method: "GET", path: "/map", wantStatus: http.StatusOK},
		{name: "an unknown cell is said so", as: "operator", method: "GET", path: "/map?cell=330102009009009", wantStatus: http.StatusOK,
			wantContains: []string{"没有编码为 330102009009009 的网格"}},
		{name: "citizens have no map", as: "citizen", method: "GET", path: "/map", wantStatus: http.StatusForbidden},
	})
}

// TestUIMapTiles checks that a configured tile server is drawn under the
// grid and let through the page's Content-Security-Policy, and nothing
// else is.
func TestUIMapTiles(t *testing.T) {
	const tiles = "https://tiles.example.cn/hz/{z}/{x}/{y}.png"
	e := newEnv(t, func(c *web.Config) { c.MapTiles = tiles })
	r := e.signedInAs("operator").get("/map")
	if r.status != http.StatusOK {
		t.Fatalf("GET /map: %d\n%s", r.status, r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https://tiles.example.cn data:;") {
		t.Errorf("CSP %q does not let the tiles in", csp)
	}
	if !strings.Contains(string(r.body), `"tiles":"https://tiles.example.cn/hz/{z}/{x}/{y}.png"`) {
		t.Errorf("the page does not pass the tile URL to its script:\n%s", r.body)
	}
	if csp := e.signedInAs("operator").get("/cases").header.Get("Content-Security-Policy"); strings.Contains(csp, "tiles.example.cn") {
		t.Errorf("other pages let the tiles in: %q", csp)
	}
}

func TestCheckTileURL(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://tiles.example.cn/{z}/{x}/{y}.png", true},
		{"http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", true},
		{"https://tiles.example.cn/wmts?z={z}&x={x}&y={y}&style=default", true},
		{"https://tiles.example.cn/{z}/{x}.png", false},             // no {y}
		{"https://tiles.example.cn/{z}/{x}/{y}/{y}.png", false},     // {y} twice
		{"https://tiles.example.cn/{s}/{z}/{x}/{y}.png", false},     // unknown placeholder
		{"ftp://tiles.example.cn/{z}/{x}/{y}.png", false},           // not http
		{"//tiles.example.cn/{z}/{x}/{y}.png", false},               // no scheme
		{"https:///{z}/{x}/{y}.png", false},                         // no host
		{"https://{z}.example.cn/{x}/{y}.png", false},               // placeholder in the host
		{"https://user:pw@tiles.example.cn/{z}/{x}/{y}.png", false}, // credentials
		{"https://tiles.example.cn/{z}/{x}/{y}.png#frag", false},    // fragment
		{"https://tiles.example.cn/{z}/{x}/{y}.png?a='b'", false},   // a quote
		{"javascript:alert(1)//{z}/{x}/{y}", false},                 // not http
	} {
		err := web.CheckTileURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("CheckTileURL(%q) = %v, want ok %v", tc.url, err, tc.ok)
		}
	}
}
