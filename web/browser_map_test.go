package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/web"
)

// TestBrowserMap drives the map page in Chromium: a case reported
// through the API shows as an open marker (a blue circle); a click on its
// cell lists it in the panel; once overdue and then closed, the marker
// changes class and shape after a reload. Screenshots go to the
// artifacts.
func TestBrowserMap(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const pw = "browser-pass"
	e.setPassword("operator", pw)
	base := e.srv.URL

	signIn := func() {
		b.open(base + "/login")
		b.fill("#name", "operator")
		b.fill("#password", pw)
		b.submit("form.stack button.primary")
	}
	signIn()

	c := e.report("operator", catGarbage, 0)
	b.open(base + "/map")
	b.waitMap()
	marker := `g.marker[data-number="` + c.Number + `"]`
	if cls := b.eval(`document.querySelector('` + marker + `')?.getAttribute("class")`); cls != "marker open" {
		t.Fatalf("the new case's marker has class %v, want marker open", cls)
	}
	if fill := b.eval(`getComputedStyle(document.querySelector("#sym-open circle")).fill`); fill != "rgb(11, 107, 203)" {
		t.Errorf("an open marker is filled %v, want the open blue", fill)
	}
	t.Logf("the fixture grid drew in %.1f ms", b.eval("window.civicMap.lastDrawMs"))
	lat, lon := cellCenter(0)
	b.wantMarkerAt(marker, lon, lat)
	b.screenshot("map-open-marker")

	// A click inside the cell, away from the marker, opens its panel.
	b.clickAt(originLon+cellDLon*0.15, originLat+cellDLat*0.2)
	b.waitFor(`!document.getElementById("map-panel").hidden && document.querySelector("#map-panel .pcase")`)
	b.wantText("网格 "+cellA1, c.Number, "待受理", "东坡社区")
	if href := b.eval(`document.querySelector("#map-panel .pcase a").getAttribute("href")`); href != "/cases/"+itoa(c.ID) {
		t.Errorf("the panel links the case to %v", href)
	}
	if href := b.eval(`document.querySelector("#map-panel a.panellist").getAttribute("href")`); href != "/cases?cell="+cellA1+"&community=330102001001&district=330102&street=330102001" {
		t.Errorf("the panel links the case list to %v", href)
	}
	if u, _ := b.eval("location.search").(string); !strings.Contains(u, "cell="+cellA1) {
		t.Errorf("the address %s does not keep the open cell", u)
	}
	b.screenshot("map-cell-panel")

	// Escape closes the panel; the keyboard zooms.
	b.eval(`document.getElementById("map").focus()`)
	b.key("Escape")
	if hidden := b.eval(`document.getElementById("map-panel").hidden`); hidden != true {
		t.Errorf("Escape left the panel open")
	}
	z := b.eval("window.civicMap.view.z").(float64)
	b.key("-")
	if got := b.eval("window.civicMap.view.z").(float64); got != z-1 {
		t.Errorf("the - key zoomed from %v to %v", z, got)
	}
	b.key("+")

	// A drag pans, the wheel zooms.
	cx := b.eval("window.civicMap.view.cx").(float64)
	x, y := b.center("#map")
	b.call("Input.dispatchMouseEvent", map[string]any{"type": "mousePressed", "x": x, "y": y, "button": "left", "clickCount": 1}, nil)
	for i := 1; i <= 4; i++ {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": "mouseMoved", "x": x - 30*float64(i), "y": y, "button": "left", "buttons": 1}, nil)
	}
	b.call("Input.dispatchMouseEvent", map[string]any{"type": "mouseReleased", "x": x - 120, "y": y, "button": "left", "clickCount": 1}, nil)
	if got := b.eval("window.civicMap.view.cx").(float64); got != cx+120 {
		t.Errorf("a drag 120 px to the left moved the centre from %v to %v", cx, got)
	}
	if hidden := b.eval(`document.getElementById("map-panel").hidden`); hidden != true {
		t.Errorf("the end of a drag opened a panel")
	}
	z = b.eval("window.civicMap.view.z").(float64)
	b.call("Input.dispatchMouseEvent", map[string]any{"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": 120}, nil)
	b.waitFor(fmt.Sprintf("window.civicMap.view.z === %v", z-1))

	// Overdue: a triangle.
	c = e.walk(t, c, []step{{"operator", "file", nil, "filed"}, {"dispatcher", "dispatch", nil, "dispatched"}})
	e.clock.Advance(30 * 24 * time.Hour)
	cases := civicgrid.NewCaseService(e.db, e.city.City, e.clock.Now)
	if n, err := cases.SweepOverdue(civicgrid.WithActor(t.Context(), civicgrid.SystemUser)); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
	signIn() // the session ended in the thirty days
	c = decodeBody[caseOut](t, e.do("GET", "/api/v1/cases/"+itoa(c.ID), "admin", nil))
	b.open(base + "/map?cell=" + cellA1)
	b.waitMap()
	b.waitFor(`document.querySelector("#map-panel .pcase")`)
	if cls := b.eval(`document.querySelector('` + marker + `')?.getAttribute("class")`); cls != "marker overdue" {
		t.Fatalf("the overdue case's marker has class %v, want marker overdue", cls)
	}
	if light := b.eval(`document.querySelector("#map-panel .pcase .light").className`); light != "light red" {
		t.Errorf("the overdue case's light is %v", light)
	}
	b.screenshot("map-overdue")

	// Closed: gone from the default markers, a grey square with the
	// closed filter on.
	for _, s := range []step{
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"shift_leader", "close", nil, "closed"},
	} {
		c = e.walk(t, c, []step{s})
	}
	b.open(base + "/map")
	b.waitMap()
	if n := b.eval(`document.querySelectorAll('` + marker + `').length`); n != 0.0 {
		t.Errorf("a closed case shows with the default filters")
	}
	b.click(`input[name=status][value=closed]`)
	b.waitFor(`document.querySelector('` + marker + `')`)
	b.open(b.eval("location.href").(string)) // a reload keeps the filters
	b.waitMap()
	if cls := b.eval(`document.querySelector('` + marker + `')?.getAttribute("class")`); cls != "marker closed" {
		t.Fatalf("the closed case's marker has class %v, want marker closed", cls)
	}
	b.screenshot("map-closed")

	// The reported layer names its period, last day included.
	b.click(`input[name=layer][value=reported]`)
	b.waitFor(`document.getElementById("map-legend").textContent.includes("上报数")`)
	today := e.clock.Now().Format(time.DateOnly)
	b.wantText("上报数 " + e.clock.Now().AddDate(0, 0, -29).Format(time.DateOnly) + " 至 " + today)

	// In English.
	b.open(base + "/lang?to=en&back=" + url.QueryEscape("/map?cell="+cellA1+"&status=closed"))
	b.waitMap()
	b.waitFor(`document.querySelector("#map-panel .pcase")`)
	b.wantText("Shade cells by", "Case markers", "Cell "+cellA1, "Closed")
	b.screenshot("map-english")

	// A phone: the panel is a bottom sheet.
	b.viewport(390, 844, true)
	b.open(base + "/map?cell=" + cellA1 + "&status=closed")
	b.waitMap()
	b.waitFor(`document.querySelector("#map-panel .pcase")`)
	if pos := b.eval(`getComputedStyle(document.getElementById("map-panel")).position`); pos != "fixed" {
		t.Errorf("on a phone the panel is %v, want a fixed bottom sheet", pos)
	}
	b.screenshot("map-phone")

	// Two fingers spread zoom in.
	b.call("Emulation.setTouchEmulationEnabled", map[string]any{"enabled": true, "maxTouchPoints": 2}, nil)
	z = b.eval("window.civicMap.view.z").(float64)
	x, y = b.center("#map")
	touch := func(typ string, d float64) {
		pts := []map[string]any{{"x": x - d, "y": y, "id": 1}, {"x": x + d, "y": y, "id": 2}}
		if typ == "touchEnd" {
			pts = []map[string]any{}
		}
		b.call("Input.dispatchTouchEvent", map[string]any{"type": typ, "touchPoints": pts}, nil)
	}
	touch("touchStart", 20)
	for _, d := range []float64{25, 32, 40} {
		touch("touchMove", d)
	}
	touch("touchEnd", 0)
	if got := b.eval("window.civicMap.view.z").(float64); got != z+1 {
		t.Errorf("a pinch from 40 to 80 px zoomed from %v to %v, want one step in", z, got)
	}

	if r := e.do("GET", "/api/v1/map/cases?status=closed", "operator", nil); r.status != http.StatusOK {
		t.Errorf("%d", r.status)
	}
}

// waitMap waits until the map has drawn its first answer.
func (b *browser) waitMap() {
	b.tb.Helper()
	b.waitFor(`Number(document.getElementById("map")?.dataset.loaded || 0) > 0 && !document.getElementById("map").hasAttribute("aria-busy")`)
}

// waitFor waits up to ten seconds for the JavaScript condition to hold.
func (b *browser) waitFor(cond string) {
	b.tb.Helper()
	ok := b.eval(`new Promise((resolve) => {
		const until = Date.now() + 10000;
		(function poll() {
			let v = false;
			try { v = !!(` + cond + `); } catch (e) {}
			if (v) resolve(true); else if (Date.now() > until) resolve(false); else requestAnimationFrame(poll);
		})();
	})`)
	if ok != true {
		b.tb.Fatalf("waited in vain for %s on %s; the page shows:\n%s", cond, b.eval("location.href"), b.text())
	}
}

// wantMarkerAt fails the test unless the marker selector matches is drawn
// where the place is.
func (b *browser) wantMarkerAt(selector string, lon, lat float64) {
	b.tb.Helper()
	got, _ := b.eval(fmt.Sprintf(`(() => {
		const r = document.querySelector(%s).getBoundingClientRect(), p = window.civicMap.pageXY(%f, %f);
		return [r.x + r.width / 2 - p[0], r.y + r.height / 2 - p[1]];
	})()`, jsString(selector), lon, lat)).([]any)
	if len(got) != 2 || math.Abs(got[0].(float64)) > 2 || math.Abs(got[1].(float64)) > 2 {
		b.tb.Errorf("the marker %s is %v px off its place (zoom %v)", selector, got, b.eval("window.civicMap.view.z"))
	}
}

// clickAt clicks the map at a place.
func (b *browser) clickAt(lon, lat float64) {
	b.tb.Helper()
	xy, ok := b.eval(fmt.Sprintf("window.civicMap.pageXY(%f, %f)", lon, lat)).([]any)
	if !ok || len(xy) != 2 {
		b.tb.Fatalf("no map on the page")
	}
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": xy[0], "y": xy[1], "button": "left", "clickCount": 1}, nil)
	}
}

// TestBrowserMapTiles serves basemap tiles from a second server and checks
// that the map draws them under the grid: the page's
// Content-Security-Policy lets that host's images in, and only those.
func TestBrowserMapTiles(t *testing.T) {
	b := startBrowser(t)
	var tile bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{0xdd, 0xe8, 0xd5, 0xff}}, image.Point{}, draw.Src)
	for i := range 256 {
		img.Set(i, 128, color.RGBA{0xb0, 0xb8, 0xc0, 0xff})
		img.Set(128, i, color.RGBA{0xb0, 0xb8, 0xc0, 0xff})
	}
	if err := png.Encode(&tile, img); err != nil {
		t.Fatal(err)
	}
	var served atomic.Int32
	tiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(tile.Bytes())
	}))
	t.Cleanup(tiles.Close)
	e := newEnv(t, func(c *web.Config) { c.MapTiles = tiles.URL + "/{z}/{x}/{y}.png" })
	e.setPassword("operator", "browser-pass")
	e.report("operator", catGarbage, 1)
	b.open(e.srv.URL + "/login")
	b.fill("#name", "operator")
	b.fill("#password", "browser-pass")
	b.submit("form.stack button.primary")
	b.open(e.srv.URL + "/map")
	b.waitMap()
	b.waitFor(`[...document.querySelectorAll(".maptiles img")].some((i) => i.complete && i.naturalWidth === 256)`)
	lat, lon := cellCenter(1)
	b.wantMarkerAt("g.marker", lon, lat)
	if served.Load() == 0 {
		t.Error("no tile was asked for")
	}
	b.wantText("底图：本市瓦片服务")
	b.screenshot("map-tiles")
}
