package web_test

import (
	"strconv"
	"testing"
	"time"
)

// TestBrowserDashboard opens the dashboard in a real browser, reports a
// new case through the API, and sees the dashboard's numbers change
// without a reload: the page's script polls GET /api/v1/dashboard with
// the session cookie and updates the page in place. Then the bulk
// dispatch form on the list of filed cases is worked with the keyboard.
func TestBrowserDashboard(t *testing.T) {
	b := startBrowser(t)
	e, _, _, _ := dashboardCity(t)
	const pw = "browser-pass"
	e.setPassword("dispatcher", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "dispatcher")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/dashboard?every=2")
	b.wantText("指挥大屏", "今日受理（按渠道）", "超时 17 分钟", "每 2 秒自动刷新")
	intake := `document.querySelector('[data-k="intake_today"]').textContent`
	if got := b.eval(intake); got != "3" {
		t.Fatalf("intake today = %v, want 3", got)
	}
	b.eval(`window.notReloaded = true`) // a reload would forget it
	b.screenshot("dashboard")

	e.reportFrom("camera", catGarbage, 1)
	if got := b.awaitChange("intake_today", "3", 20*time.Second); got != "4" {
		t.Fatalf("intake today = %v 20 s after a new report, want 4 without a reload", got)
	}
	if b.eval(`window.notReloaded === true`) != true {
		t.Fatal("the page was reloaded")
	}
	if news := b.eval(`document.getElementById("dash-news").textContent`); news != "大屏已更新：今日新增 4 件，在办 4 件，已超时 1 件。" {
		t.Errorf("screen readers hear %q", news)
	}
	if n := b.eval(`document.querySelector('[data-k="intake-camera"]').textContent`); n != "1" {
		t.Errorf("camera intake = %v, want 1", n)
	}
	if n := b.eval(`document.querySelector('[data-k="stage-reported-total"]').textContent`); n != "4" {
		t.Errorf("reported total = %v, want 4", n)
	}
	if n := b.eval(`document.querySelectorAll("#dash-overdue-list li").length`); n != 1.0 {
		t.Errorf("%v overdue rows after the refresh, want 1", n)
	}
	b.screenshot("dashboard-refreshed")
	b.viewport(390, 844, true)
	b.screenshot("dashboard-phone")
	b.viewport(1280, 900, false)

	// Bulk dispatch: file the four cases, tick all shown, send with the
	// keyboard, each to its routed unit.
	list := e.do("GET", "/api/v1/cases?status=reported", "admin", nil)
	for _, c := range decodeBody[struct{ Items []caseOut }](t, list).Items {
		e.act("operator", c.ID, c.Version, "file", nil)
	}
	b.open(base + "/cases?status=filed")
	b.wantText("批量派遣", "全选本页")
	b.click("#bulk-all")
	if n := b.eval(`document.querySelectorAll('input[name="case"]:checked').length`); n != b.eval(`document.querySelectorAll('input[name="case"]').length`) {
		t.Fatalf("tick all ticked %v", n)
	}
	b.screenshot("cases-bulk")
	b.eval(`document.querySelector("#bulk-note").focus()`)
	b.typeText("统一派遣")
	b.navigating(func() { b.key("Enter") }) // the first button: the ticked cases
	b.wantText("批量派遣结果", "未派遣 0 件")
	b.screenshot("cases-bulk-result")
}

// awaitChange returns the text of the dashboard figure data-k=key once it
// is no longer from, or still from after within: each eval waits in the
// page, up to a second, for the element to change (the page polls on its
// own clock).
func (b *browser) awaitChange(key, from string, within time.Duration) any {
	wait := `new Promise(done => {
		const el = document.querySelector('[data-k="` + key + `"]');
		if (el.textContent !== ` + strconv.Quote(from) + `) return done(el.textContent);
		const o = new MutationObserver(() => { o.disconnect(); done(el.textContent); });
		o.observe(el, {childList: true, characterData: true, subtree: true});
		setTimeout(() => { o.disconnect(); done(el.textContent); }, 1000);
	})`
	deadline := time.Now().Add(within)
	got := b.eval(wait)
	for got == from && time.Now().Before(deadline) {
		got = b.eval(wait)
	}
	return got
}
