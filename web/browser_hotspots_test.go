package web_test

import "testing"

// TestBrowserHotspots opens the hotspots page of the emerging fixture in a
// real browser, on a desktop and a phone, changes the level with the form,
// and follows the chart's first bar to the case list of its cases.
func TestBrowserHotspots(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	hotspotFixture(t, e)
	const pw = "browser-pass"
	e.setPassword("operator", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "operator")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/hotspots?from=2026-03-10&until=2026-05-11")
	b.wantText("高发热点", "反复发生", "新发热点", "1.36e-06")
	if n := b.eval(`document.querySelectorAll("svg.hotchart rect").length`); n != 3.0 {
		t.Errorf("%v bars, want 3", n)
	}
	b.screenshot("hotspots")

	b.choose("#h-level", "community")
	b.submit(".filters button.primary")
	b.wantText("东坡社区", "岳王社区")
	b.screenshot("hotspots-community")

	b.viewport(390, 844, true)
	b.open(base + "/hotspots?from=2026-03-10&until=2026-05-11")
	b.screenshot("hotspots-phone")
	b.viewport(1280, 900, false)

	b.open(base + "/hotspots?from=2026-03-10&until=2026-05-11")
	b.submit("svg.hotchart a")
	b.wantText("共 28 件")
	if p := b.eval("location.pathname + location.search"); p != "/cases?cell=330102001001001&created_from=2026-03-10&created_to=2026-05-11" {
		t.Errorf("the bar led to %v", p)
	}
}
