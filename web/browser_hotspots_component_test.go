package web_test

import "testing"

// TestBrowserHotspotsComponents opens the repeats table of the hotspots
// page in a real browser, on a desktop and a phone, and follows a row's
// link to the case list of its component.
func TestBrowserHotspotsComponents(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const code = "3301020101000001"
	componentFixture(t, e, code)
	const pw = "browser-pass"
	e.setPassword("operator", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "operator")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/hotspots?from=2026-03-01&until=2026-03-10")
	b.wantText("部件重复问题", "上水井盖 1", code, "区市政管理处")
	b.eval(`document.getElementById("hot-components").scrollIntoView()`)
	b.screenshot("hotspots-components")
	b.viewport(390, 844, true)
	b.screenshot("hotspots-components-phone")
	b.viewport(1280, 900, false)

	b.submit(`section[aria-labelledby="hot-components"] td a`)
	b.wantText("共 2 件")
	if p := b.eval("location.pathname + location.search"); p != "/cases?component="+code+"&created_from=2026-03-01&created_to=2026-03-10" {
		t.Errorf("the row led to %v", p)
	}
}
