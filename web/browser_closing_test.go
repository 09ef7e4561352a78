package web_test

import (
	"testing"
	"time"
)

// TestBrowserClosingTime opens the dashboard in a real browser, closes a
// case through the API, and sees the month's closing time (结案用时)
// appear without a reload: dashboard.js writes the text the server wrote.
func TestBrowserClosingTime(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	c := e.walk(t, e.report("operator", catGarbage, 0), []step{
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
	})
	const pw = "browser-pass"
	e.setPassword("dispatcher", pw)
	b.open(e.srv.URL + "/login")
	b.fill("#name", "dispatcher")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(e.srv.URL + "/dashboard?every=2")
	b.wantText("结案用时中位数（自然时间）", "本月结案的案卷从上报到结案的自然时间")
	median := `document.querySelector('[data-k="closing-median"]').textContent`
	if got := b.eval(median); got != "—" {
		t.Fatalf("closing median before any close = %v", got)
	}
	b.eval(`window.notReloaded = true`)

	e.walk(t, c, []step{{"shift_leader", "close", nil, "closed"}}) // 70 minutes after the report
	if got := b.awaitChange("closing-median", "—", 20*time.Second); got != "1小时10分钟" {
		t.Fatalf("closing median = %v 20 s after a close, want 1小时10分钟 without a reload", got)
	}
	if p90 := b.eval(`document.querySelector('[data-k="closing-p90"]').textContent`); p90 != "1小时10分钟" {
		t.Errorf("closing p90 = %v", p90)
	}
	if b.eval(`window.notReloaded === true`) != true {
		t.Fatal("the page was reloaded")
	}
	b.screenshot("dashboard-closing")
}

// TestBrowserAdminHotspots works the hotspot settings form with the
// keyboard at a phone's width: a bad value is refused beside its field,
// then a good one is saved.
func TestBrowserAdminHotspots(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const pw = "browser-pass"
	e.setPassword("admin", pw)
	b.viewport(390, 844, true)
	b.open(e.srv.URL + "/login")
	b.fill("#name", "admin")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(e.srv.URL + "/admin/hotspots")
	b.wantText("热点参数", "复发窗口（天）", "修改复发窗口只影响此后上报的案卷")
	b.fill("#f-recurrence_days", "400")
	b.navigating(func() { b.key("Enter") })
	b.wantText("须为 1 到 366 天。")
	if v := b.eval(`document.querySelector("#f-recurrence_days").value`); v != "400" {
		t.Errorf("the refused value is %v, not what was typed", v)
	}
	if v := b.eval(`document.querySelector("#f-recurrence_days").getAttribute("aria-describedby")`); v != "f-recurrence_days-hint f-recurrence_days-err" {
		t.Errorf("the field is described by %v", v)
	}
	if w := b.eval(`document.documentElement.scrollWidth <= window.innerWidth`); w != true {
		t.Error("the form is wider than the phone")
	}
	b.screenshot("admin-hotspots-refused-phone")
	b.fill("#f-recurrence_days", "14")
	b.navigating(func() { b.key("Enter") })
	b.wantText("热点参数已保存，立即生效。")
	if v := b.eval(`document.querySelector("#f-recurrence_days").value`); v != "14" {
		t.Errorf("after saving the form shows %v", v)
	}
	if got := e.hotspotConfig(t); got.RecurrenceDays != 14 {
		t.Errorf("saved %+v", got)
	}
}
