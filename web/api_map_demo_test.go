package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"civicgrid/demo"
)

// TestMapDemo times the map's answers on the full demo city (50,000
// cases, about 5,500 cells): the median of five requests of each must be
// under 200 ms. With Chromium installed it also draws the map at the
// city's, a street's and a cell's zoom, and measures the drawing. Like
// TestUIDemoPages, -short and the race detector skip it.
func TestMapDemo(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("the full demo takes ten seconds to build; run without -short and -race")
	}
	srv := newDemoServer(t)
	c := signIn(t, srv.URL, "operator1", demo.Password)
	var cityBox struct {
		Bounds struct {
			MinLon float64 `json:"min_lon"`
			MinLat float64 `json:"min_lat"`
			MaxLon float64 `json:"max_lon"`
			MaxLat float64 `json:"max_lat"`
		} `json:"bounds"`
	}
	page := get(t, c, srv.URL+"/map")
	i := strings.Index(page, `<script type="application/json" id="map-data">`)
	if i < 0 {
		t.Fatal("no map data on the page")
	}
	data := page[i+len(`<script type="application/json" id="map-data">`):]
	if err := json.Unmarshal([]byte(data[:strings.Index(data, "</script>")]), &cityBox); err != nil {
		t.Fatal(err)
	}
	b := cityBox.Bounds
	cx, cy := (b.MinLon+b.MaxLon)/2, (b.MinLat+b.MaxLat)/2
	box := func(halfDeg float64) string {
		return fmt.Sprintf("%f,%f,%f,%f", cx-halfDeg, cy-halfDeg*0.87, cx+halfDeg, cy+halfDeg*0.87)
	}
	city := fmt.Sprintf("%f,%f,%f,%f", b.MinLon, b.MinLat, b.MaxLon, b.MaxLat)
	requests := []string{
		"/map",
		"/api/v1/map/cells?zoom=12&bbox=" + city,
		"/api/v1/map/cells?zoom=13&bbox=" + city,
		"/api/v1/map/cells?zoom=15&bbox=" + box(0.03),
		"/api/v1/map/cells?zoom=12&layer=reported&bbox=" + city,
		"/api/v1/map/cells?zoom=15&layer=reported&bbox=" + box(0.03),
		"/api/v1/map/cases?zoom=12&bbox=" + city,
		"/api/v1/map/cases?zoom=12&status=open,overdue,closed&bbox=" + city,
		"/api/v1/map/cases?zoom=17&status=open,overdue,closed&bbox=" + box(0.006),
		"/api/v1/map/cases?zoom=17&bbox=" + box(0.006),
	}
	var sb strings.Builder
	for _, p := range requests {
		var ds []time.Duration
		var size int
		for range 5 {
			start := time.Now()
			size = len(get(t, c, srv.URL+p))
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		med := ds[len(ds)/2]
		fmt.Fprintf(&sb, "  %-70.70s %6.1f ms %7.1f kB\n", p, float64(med.Microseconds())/1000, float64(size)/1000)
		if med > pageBudget {
			t.Errorf("%s: median %v, over the %v budget", p, med, pageBudget)
		}
	}
	t.Logf("median map answers with the demo city:\n%s", sb.String())

	t.Run("screenshots", func(t *testing.T) {
		br := startBrowser(t)
		br.viewport(1440, 900, false)
		br.open(srv.URL + "/login")
		br.fill("#name", "operator1")
		br.fill("#password", demo.Password)
		br.submit("form.stack button.primary")
		for _, v := range []struct{ name, query string }{
			{"city", ""},
			{"city-reported", "layer=reported"},
			{"street", fmt.Sprintf("z=14&lat=%f&lon=%f", cy, cx)},
			{"cells", fmt.Sprintf("z=16&lat=%f&lon=%f&status=open&status=overdue&status=closed", cy, cx)},
			{"cells-markers", fmt.Sprintf("z=17&lat=%f&lon=%f", cy, cx)},
		} {
			br.open(srv.URL + "/map?" + v.query)
			br.waitMap()
			t.Logf("%s: %v shapes drawn in %.1f ms", v.name, br.eval("window.civicMap.features()"), br.eval("window.civicMap.lastDrawMs"))
			br.screenshot("demo-map-" + v.name)
		}
		// SVG or canvas: every cell of the city drawn both ways, each
		// timed to the second frame after it (so painting counts).
		m, _ := br.eval(`(async () => {
			const r = await fetch("/api/v1/map/cells?zoom=15&bbox=` + city + `").then((r) => r.json());
			const b = ` + fmt.Sprintf("[%f,%f,%f,%f]", b.MinLon, b.MinLat, b.MaxLon, b.MaxLat) + `;
			const k = 1000 / (b[2] - b[0]);
			const frames = () => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
			const ns = "http://www.w3.org/2000/svg";
			let t = performance.now();
			const svg = document.createElementNS(ns, "svg");
			svg.setAttribute("width", "1000"); svg.setAttribute("height", "900");
			svg.style.cssText = "position:fixed;left:0;top:0;z-index:9";
			for (const f of r.features) {
				const p = document.createElementNS(ns, "path");
				p.setAttribute("d", f.geometry.coordinates.map((poly) => poly.map((ring) => "M" + ring.map((c) => ((c[0] - b[0]) * k).toFixed(1) + " " + ((b[3] - c[1]) * k).toFixed(1)).join("L") + "Z").join("")).join(""));
				p.setAttribute("fill", "#fdcc5c"); p.setAttribute("stroke", "#555");
				svg.appendChild(p);
			}
			document.body.appendChild(svg);
			await frames();
			const svgMs = performance.now() - t;
			t = performance.now();
			svg.setAttribute("transform", "translate(10,0)"); svg.style.left = "10px";
			await frames();
			const svgPanMs = performance.now() - t;
			svg.remove();
			t = performance.now();
			const cv = document.createElement("canvas"); cv.width = 1000; cv.height = 900;
			cv.style.cssText = "position:fixed;left:0;top:0;z-index:9";
			document.body.appendChild(cv);
			const ctx = cv.getContext("2d");
			for (const f of r.features) {
				ctx.beginPath();
				for (const poly of f.geometry.coordinates) for (const ring of poly) {
					ring.forEach((c, i) => { const x = (c[0] - b[0]) * k, y = (b[3] - c[1]) * k; i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); });
					ctx.closePath();
				}
				ctx.fillStyle = "#fdcc5c"; ctx.fill(); ctx.strokeStyle = "#555"; ctx.stroke();
			}
			await frames();
			const canvasMs = performance.now() - t;
			cv.remove();
			return [r.features.length, svgMs, svgPanMs, canvasMs];
		})()`).([]any)
		if len(m) == 4 {
			t.Logf("all %v cells: SVG %.0f ms to draw, %.0f ms to move; canvas %.0f ms to draw (each to the second frame)", m[0], m[1], m[2], m[3])
		}
		// A cell with cases, from the case list.
		list := get(t, c, srv.URL+"/api/v1/map/cases?zoom=18&bbox="+url.QueryEscape(box(0.004)))
		var cases mapCasesOut
		if err := json.Unmarshal([]byte(list), &cases); err != nil || len(cases.Markers) == 0 {
			t.Fatalf("no open case near the centre: %v %s", err, list)
		}
		br.open(srv.URL + "/map?cell=" + cases.Markers[0].CellCode)
		br.waitMap()
		br.waitFor(`document.querySelector("#map-panel .pcase")`)
		br.screenshot("demo-map-cell-panel")
	})
}
