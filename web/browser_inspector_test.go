package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowserInspectorOffline drives the patrol page on a phone-sized
// Chromium: the inspector signs in, the page finds the position by GPS,
// the network goes away, a report with a photo waits in the browser, the
// page still opens without network (the service worker), the network
// comes back and the report is sent, once; sending it again after a
// reload (as if the answer had been lost) makes no second case. Then a
// citizen rates a closed case from the follow page and from the case page.
func TestBrowserInspectorOffline(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const pw = "browser-pass"
	e.setPassword("inspector", pw)
	base := e.srv.URL
	b.viewport(390, 844, true)
	lat, lon := cellCenter(1)
	b.call("Browser.grantPermissions", map[string]any{"origin": base, "permissions": []string{"geolocation"}}, nil)
	b.call("Emulation.setGeolocationOverride", map[string]any{"latitude": lat, "longitude": lon, "accuracy": 12}, nil)
	b.call("Network.enable", nil, nil)
	// offline cuts (or restores) the network of the page and of its
	// service worker, as DevTools' "Offline" does.
	workers := map[string]string{}
	offline := func(off bool) {
		conditions := map[string]any{"offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
		b.call("Network.emulateNetworkConditions", conditions, nil)
		for _, s := range b.workerSessions(workers) {
			b.callIn(s, "Network.emulateNetworkConditions", conditions, nil)
		}
	}

	b.open(base + "/login")
	b.fill("#name", "inspector")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.open(base + "/inspector")
	b.wantText("上报问题", "拍照", "在线")
	// The page finds the position by GPS and says how accurate it is; the
	// service worker takes control, keeping the page for offline use.
	b.until(`document.getElementById("gps").textContent.includes("精度约 12 米")`)
	if got := b.eval(`document.getElementById("insp-lat").value`); got != fmt.Sprintf("%.6f", lat) {
		t.Errorf("the latitude is %v, want the GPS's %.6f", got, lat)
	}
	b.until(`navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null ||
		new Promise(r => navigator.serviceWorker.addEventListener("controllerchange", () => r(true))))`)
	b.until(`caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.match("/inspector"))))).then(hits => hits.some(Boolean))`)
	b.phoneShot("inspector-report", "")
	b.screenshot("inspector-report-page")

	// Without network the page still opens, from the service worker.
	offline(true)
	b.until(`!navigator.onLine`)
	if ok := b.eval(`fetch("/healthz").then(() => "reached", () => "offline")`); ok != "offline" {
		t.Fatalf("the emulated network is not offline: %v", ok)
	}
	b.open(base + "/inspector")
	b.wantText("上报问题", "离线")
	b.until(`!document.getElementById("kept").hidden`)
	b.wantText("保存的离线页面")
	b.phoneShot("inspector-offline-kept", "")

	// A report with a photo and a position waits in the browser.
	before := e.caseCount()
	const desc = "离线上报：井盖缺失"
	b.attach("#insp-photo", "../testdata/photos/no_exif.jpg")
	b.until(`!document.getElementById("insp-preview").hidden`)
	b.until(`document.getElementById("gps").textContent.includes("精度约 12 米")`)
	b.fill("#cat-search", "井盖")
	b.eval(`document.getElementById("cat-search").dispatchEvent(new Event("input"))`)
	if hidden := b.eval(`document.querySelector('input[value="SJ0102"]').closest("label").hidden`); hidden != true {
		t.Errorf("the search for 井盖 still shows 暴露垃圾")
	}
	b.click(`input[value="BJ0101"]`)
	b.fill("#insp-desc", desc)
	b.phoneShot("inspector-offline-form", "#cat-search")
	made := time.Now()
	b.click("#insp-send")
	b.until(`document.querySelectorAll("#outbox li.waiting").length === 1`)
	b.wantText("待发送", "等待网络", "上水井盖", "待发送 1 条")
	b.phoneShot("inspector-offline-waiting", "#outbox")
	if n := e.caseCount(); n != before {
		t.Fatalf("%d cases while offline, want %d", n, before)
	}
	// Keep a copy of the waiting report, to put it back after it is sent:
	// a page reloaded before it heard the answer sends it again.
	b.eval(`new Promise((resolve, reject) => { const r = indexedDB.open("civicgrid-inspector");
		r.onsuccess = () => { const q = r.result.transaction("outbox").objectStore("outbox").getAll();
			q.onsuccess = () => { window.kept = q.result[0]; resolve(q.result.length); }; q.onerror = reject; }; r.onerror = reject; })`)

	// The network comes back: the report is sent, once.
	online := time.Now()
	offline(false)
	b.until(`document.querySelectorAll("#outbox li").length === 0 && document.querySelectorAll("#sent li").length === 1`)
	b.wantText("已上报，案卷", "在线")
	b.phoneShot("inspector-sent", "#sent")
	one := e.casesDescribed(desc)
	if len(one) != 1 {
		t.Fatalf("%d cases for the report, want 1", len(one))
	}
	c := one[0]
	if !strings.HasPrefix(c.Intake.ExternalID, "insp-") || c.Intake.DeviceTime == "" || len(c.Photos) != 1 || c.Source != "inspector" ||
		c.Intake.Attributes["gps_accuracy_m"] != "12" {
		t.Errorf("the case %+v lacks the report's external id, device time, accuracy or photo", c)
	}
	// The case keeps when the problem was seen, offline, not when it was sent.
	if seen, err := time.Parse(time.RFC3339, c.Intake.DeviceTime); err != nil || seen.Before(made.Add(-time.Second)) || seen.After(online) {
		t.Errorf("device time %s, want between %s and %s", c.Intake.DeviceTime, made.Format(time.RFC3339Nano), online.Format(time.RFC3339Nano))
	}
	if page := e.signedInAs("operator").get("/cases/" + itoa(c.ID)); !strings.Contains(string(page.body), "发现时间（设备）") {
		t.Errorf("the case page does not show when the inspector saw the problem")
	}

	// Put the sent report back, as if the page had been reloaded before
	// the answer came, and reload: it is sent again, and the server's
	// replay makes no second case.
	b.eval(`new Promise((resolve, reject) => { const r = indexedDB.open("civicgrid-inspector");
		r.onsuccess = () => { const t = r.result.transaction("outbox", "readwrite"); t.objectStore("outbox").put(window.kept);
			t.oncomplete = () => resolve(true); t.onerror = reject; }; r.onerror = reject; })`)
	b.open(base + "/inspector")
	b.until(`document.querySelectorAll("#outbox li").length === 0 && document.querySelectorAll("#sent li").length === 1`)
	if got := e.casesDescribed(desc); len(got) != 1 || got[0].ID != c.ID {
		t.Fatalf("after sending again: %d cases, want the one", len(got))
	}
	// A plain reload sends nothing.
	b.open(base + "/inspector")
	b.until(`document.getElementById("sent").textContent.includes(` + jsString(c.Number) + `)`)
	if b.eval(`document.getElementById("kept").hidden`) != true {
		t.Errorf("a page fresh from the network says it is the kept copy")
	}
	if n := e.caseCount(); n != before+1 {
		t.Fatalf("%d cases after reloads, want %d", n, before+1)
	}
	b.click(`a[data-tab="cells"]`)
	b.until(`document.getElementById("cells").classList.contains("active") && document.getElementById("report").offsetParent === null`)
	b.wantText("我的网格", "共 4 个网格")
	b.phoneShot("inspector-cells", "")
	// 在此上报 takes the cell's middle as the place and goes back to the form.
	b.click(`.report-here[data-cell="` + cellC1 + `"]`)
	b.until(`document.getElementById("report").classList.contains("active") && document.getElementById("gps").textContent.includes("网格中心位置")`)
	b.click(`a[data-tab="tasks"]`)
	b.until(`document.getElementById("tasks").classList.contains("active")`)
	b.wantText("暂无核实、核查任务")
	b.submit(".who form button")

	// A citizen rates two closed cases: from the follow page and from the
	// case page.
	first, second := e.closedCitizenCase(), e.closedCitizenCase()
	e.setPassword("citizen", pw) // signedInAs, which closedCitizenCase uses, sets its own
	b.open(base + "/login")
	b.fill("#name", "citizen")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.wantText("我的上报")
	b.open(base + "/follow?number=" + first.Number)
	b.wantText("满意度评价", "您对处理结果满意吗？")
	b.click(`.rate-form input[value="4"]`)
	b.fill("#remark", "清理得很及时")
	b.screenshot("citizen-rate-follow")
	b.submit(".rate-form button.primary")
	b.wantText("您的评价", "满意", "清理得很及时", "感谢您的评价")
	b.screenshot("citizen-rated-follow")
	b.open(base + "/cases/" + itoa(second.ID))
	b.click(`.rate-form input[value="2"]`)
	b.submit(".rate-form button.primary")
	b.wantText("您的评价", "不满意")
	b.screenshot("citizen-rated-case")
	stats := e.do("GET", "/api/v1/stats?from=2026-03-01&to=2026-04-01&metrics=rated,satisfied", "admin", nil)
	if !strings.Contains(string(stats.body), `"rated":2`) || !strings.Contains(string(stats.body), `"satisfied":1`) {
		t.Errorf("stats after two ratings: %s", stats.body)
	}
}

// until waits, up to 20 s, until the JavaScript expression (or the
// promise it gives) is true.
func (b *browser) until(expr string) {
	b.tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b.eval(expr) == true {
			return
		}
		if time.Now().After(deadline) {
			b.tb.Fatalf("waited 20 s for %s; the page shows:\n%s", expr, b.text())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// reportedCase is the part of a case the offline test looks at.
type reportedCase struct {
	ID          int64    `json:"id"`
	Number      string   `json:"number"`
	Source      string   `json:"source"`
	Description string   `json:"description"`
	Photos      []string `json:"photos"`
	Intake      struct {
		ExternalID string            `json:"external_id"`
		DeviceTime string            `json:"device_time"`
		Attributes map[string]string `json:"attributes"`
	} `json:"intake"`
}

// casesDescribed returns the cases whose description is desc.
func (e *env) casesDescribed(desc string) []reportedCase {
	e.tb.Helper()
	r := e.do("GET", "/api/v1/cases?limit=500", "admin", nil)
	if r.status != http.StatusOK {
		e.tb.Fatalf("list cases: %d %s", r.status, r.body)
	}
	var out []reportedCase
	for _, c := range decodeBody[struct {
		Items []reportedCase `json:"items"`
	}](e.tb, r).Items {
		if c.Description == desc {
			out = append(out, c)
		}
	}
	return out
}

// workerSessions returns the sessions of the running service workers,
// attaching to those not in known (target id → session; conditions set
// in a session last as long as it does), with the network domain enabled.
func (b *browser) workerSessions(known map[string]string) []string {
	b.tb.Helper()
	var targets struct {
		Infos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
		} `json:"targetInfos"`
	}
	b.call("Target.getTargets", nil, &targets)
	var out []string
	for _, ti := range targets.Infos {
		if ti.Type != "service_worker" {
			continue
		}
		if known[ti.TargetID] == "" {
			var attached struct {
				SessionID string `json:"sessionId"`
			}
			b.call("Target.attachToTarget", map[string]any{"targetId": ti.TargetID, "flatten": true}, &attached)
			b.callIn(attached.SessionID, "Network.enable", nil, nil)
			known[ti.TargetID] = attached.SessionID
		}
		out = append(out, known[ti.TargetID])
	}
	if len(out) == 0 {
		b.tb.Fatalf("no service worker is running")
	}
	return out
}

// callIn sends a command to the target of session (a worker's) and fails
// the test on an error.
func (b *browser) callIn(session, method string, params, out any) {
	b.tb.Helper()
	saved := b.session
	b.session = session
	defer func() { b.session = saved }()
	b.call(method, params, out)
}

// phoneShot saves what the phone's screen shows, with the element
// selector matches scrolled to the middle (the top of the page for ""),
// as NN-name.png in the artifacts.
func (b *browser) phoneShot(name, selector string) {
	b.tb.Helper()
	if selector == "" {
		b.eval(`window.scrollTo(0, 0)`)
	} else {
		b.center(selector)
	}
	var shot struct {
		Data string `json:"data"`
	}
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.shots++
	if err := os.WriteFile(filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shots, name)), data, 0o644); err != nil {
		b.tb.Fatal(err)
	}
}
