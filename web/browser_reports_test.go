package web_test

import (
	"net/http"
	"testing"
)

// TestBrowserReports opens a daily report in a real browser: the report's
// own stylesheet applies under the page's policy, printing hides the
// navigation and the form, the form switches to the weekly report, and a
// phone shows the page without sideways scrolling.
func TestBrowserReports(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	e.report("inspector", catGarbage, 0)
	filed := e.report("inspector", catManhole, 1)
	if r := e.act("operator", filed.ID, filed.Version, "file", nil); r.status != http.StatusOK {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	const pw = "browser-pass"
	e.setPassword("operator", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "operator")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/reports?kind=daily&date=2026-03-10")
	b.wantText("日报 2026-03-10", "分析与建议", "单位排名", "热点网格")
	if c := b.eval(`getComputedStyle(document.querySelector(".cg-report h2")).color`); c != "rgb(29, 79, 145)" {
		t.Errorf("the report's stylesheet did not apply: h2 colour %v", c)
	}
	if n := b.eval(`document.querySelectorAll(".cg-report svg").length`); n != 2.0 { // the trend and the map (no unit has cases due yet)
		t.Errorf("%v charts", n)
	}
	b.screenshot("reports-daily")

	b.call("Emulation.setEmulatedMedia", map[string]any{"media": "print"}, nil)
	for _, sel := range []string{"header.top", ".report-controls"} {
		if d := b.eval(`getComputedStyle(document.querySelector("` + sel + `")).display`); d != "none" {
			t.Errorf("printing shows %s (display %v)", sel, d)
		}
	}
	b.call("Emulation.setEmulatedMedia", map[string]any{"media": ""}, nil)

	b.choose("#r-kind", "weekly")
	b.submit(".filters button.primary")
	b.wantText("周报 2026-W11 (2026-03-09 – 2026-03-15)")

	b.viewport(390, 844, true)
	b.open(base + "/reports?kind=daily&date=2026-03-10")
	if over := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); over != 0.0 {
		t.Errorf("the phone page scrolls sideways by %v px", over)
	}
	b.screenshot("reports-phone")
}
