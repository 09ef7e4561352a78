package web_test

import (
	"testing"
	"time"
)

// TestBrowserRankings opens the rankings in a real browser as a leader,
// switches the kind with the form, publishes the month, corrects a row,
// and looks at the page on a phone.
func TestBrowserRankings(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	e.clock.Advance(-28 * 24 * time.Hour)
	e.closedCase()
	e.clock.Advance(28 * 24 * time.Hour)
	e.closedCase()
	e.clock.Advance(23 * 24 * time.Hour)
	const pw = "browser-pass"
	e.setPassword("leader", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "leader")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/rankings?kind=unit&month=2026-03")
	b.wantText("考评排名", "区环卫处", "实时计算")
	if n := b.eval(`document.querySelectorAll("svg.spark polyline").length`); n != 1.0 {
		t.Errorf("%v sparklines, want 1", n)
	}
	b.screenshot("rankings-unit")

	b.choose("#r-kind", "street")
	b.submit("form.filters button")
	b.wantText("湖滨街道")
	b.screenshot("rankings-street")

	b.choose("#r-kind", "unit")
	b.submit("form.filters button")
	b.submit("form.publish button")
	b.wantText("已发布 2026-03 的考评结果", "第 1 版", "没有更正")
	b.fill("#c-value", "95")
	b.fill("#c-reason", "复核后调整")
	b.submit("form.correct button")
	b.wantText("第 2 版", "复核后调整", "已更正")
	b.screenshot("rankings-corrected")

	b.viewport(390, 844, true)
	b.open(base + "/rankings?kind=unit&month=2026-03")
	if w := b.eval(`document.documentElement.scrollWidth <= window.innerWidth + 1`); w != true {
		t.Errorf("the page scrolls sideways on a phone")
	}
	b.screenshot("rankings-phone")
	b.open(base + "/metrics")
	b.wantText("指标说明", "准确派遣率", "考评方案")
	b.screenshot("metrics-phone")
}
