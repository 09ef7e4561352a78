package web_test

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The browser tests drive a real headless Chromium (Debian's package) over
// the Chrome DevTools Protocol, spoken on the pipe Chromium opens with
// --remote-debugging-pipe: JSON messages ended by a NUL byte, commands on
// its fd 3, answers and events on its fd 4. No library is needed for that.

// TestBrowserCaseLife walks one case through every role in a real
// browser: a citizen signs in with the keyboard and reports a problem with
// a pin on the grid map and a photo; the operator files it, the dispatcher
// dispatches it, the unit signs for it and reports it fixed with a photo,
// the operator sends the check, the inspector passes it, the shift leader
// closes it, and the citizen follows it to closed by its number. Each page
// is saved as a screenshot.
func TestBrowserCaseLife(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const pw = "browser-pass"
	for _, name := range []string{"citizen", "operator", "dispatcher", "sanitation", "inspector", "shift_leader"} {
		e.setPassword(name, pw)
	}
	base := e.srv.URL

	// The citizen signs in with the keyboard alone: the name field has the
	// focus, Tab moves to the password, Enter sends the form.
	b.open(base + "/login")
	b.screenshot("login")
	if got := b.eval("document.activeElement.id"); got != "name" {
		t.Fatalf("the sign-in page focuses %v, want the name field", got)
	}
	b.typeText("citizen")
	b.key("Tab")
	if got := b.eval("document.activeElement.id"); got != "password" {
		t.Fatalf("Tab from the name goes to %v, want the password", got)
	}
	b.typeText(pw)
	b.navigating(func() { b.key("Enter") })
	b.wantText("我的上报", "您还没有上报过问题")
	b.screenshot("citizen-home")

	b.open(base + "/report")
	b.choose("#category", catGarbage)
	b.click("svg.gridmap path.cell") // the pin goes where the map is clicked
	if lat, _ := b.eval(`document.getElementById("lat").value`).(string); !strings.HasPrefix(lat, "30.25") {
		t.Fatalf("a click on the map set the latitude to %q", lat)
	}
	b.fill("#description", "路边垃圾堆了三天")
	b.attach("#photo", "../testdata/photos/no_exif.jpg")
	b.screenshot("citizen-report")
	b.submit("form.report button.primary")
	b.wantText("已完成：上报", "路边垃圾堆了三天", "待受理", "照片")
	b.eval(`Promise.all([...document.images].map(i => i.decode().catch(() => {})))`)
	if n := b.eval(`[...document.querySelectorAll(".photos img")].filter(i => i.naturalWidth > 0).length`); n != 2.0 {
		t.Fatalf("%v photo thumbnails shown, want 2 (the case's and the report's in the timeline)", n)
	}
	number, _ := b.eval(`document.querySelector("h1").textContent.match(/\d{4}-\d{6}/)[0]`).(string)
	casePath, _ := b.eval("location.pathname").(string)
	b.screenshot("citizen-case")
	b.submit(".who form button")

	// Each role finds the case in its queue and takes its step.
	steps := []struct {
		user, action string
		fill         func()
		want         string
	}{
		{"operator", "file", nil, "已立案"},
		{"dispatcher", "dispatch", nil, "已派遣"},
		{"sanitation", "sign", nil, "处置中"},
		{"sanitation", "finish", func() {
			b.fill("#note-finish", "已清运")
			b.attach("#photo-finish", "../testdata/photos/photo.png")
		}, "已处置待核查"},
		{"operator", "check_request", nil, "核查中"},
		{"inspector", "check_pass", nil, "核查通过待结案"},
		{"shift_leader", "close", nil, "已结案"},
	}
	for i, st := range steps {
		if i == 0 || steps[i-1].user != st.user {
			b.open(base + "/login")
			b.fill("#name", st.user)
			b.fill("#password", pw)
			b.submit("form.stack button.primary")
			b.wantText("等我处理", number)
			b.screenshot(st.user + "-queue")
			b.submit(`a[href="` + casePath + `"]`)
		}
		if st.fill != nil {
			st.fill()
		}
		b.screenshot(st.user + "-" + st.action)
		b.submit("#act-" + st.action + " button.primary")
		b.wantText("已完成", st.want)
		if i == len(steps)-1 || steps[i+1].user != st.user {
			b.screenshot(st.user + "-" + st.action + "-done")
			b.submit(".who form button")
		}
	}

	// Anyone can follow it by its number; in English too.
	b.open(base + "/follow?number=" + number)
	b.wantText("已结案", "结案", "处置完毕")
	b.screenshot("follow")
	b.open(base + "/lang?to=en&back=/follow?number=" + number)
	b.wantText("Follow a case", "Closed")
	b.viewport(390, 844, true)
	b.screenshot("follow-en-phone")
}

// chromiumPath is where Debian installs Chromium; CIVICGRID_CHROMIUM
// overrides it.
const chromiumPath = "/usr/bin/chromium"

// browser is one headless Chromium with one page open.
type browser struct {
	tb      testing.TB
	cmd     *exec.Cmd
	in      io.WriteCloser
	session string
	dir     string // where screenshots go
	shots   int

	mu      sync.Mutex
	next    int
	waiting map[int]chan cdpAnswer
	loads   chan struct{}
	stderr  bytes.Buffer
}

type cdpAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// startBrowser starts Chromium, or skips the test when it is not
// installed (fails instead with CIVICGRID_REQUIRE_BROWSER=1).
func startBrowser(tb testing.TB) *browser {
	tb.Helper()
	path := cmp.Or(os.Getenv("CIVICGRID_CHROMIUM"), chromiumPath)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CIVICGRID_REQUIRE_BROWSER") == "1" {
			tb.Fatalf("no Chromium at %s, and CIVICGRID_REQUIRE_BROWSER=1: apt-get install chromium", path)
		}
		tb.Skipf("no Chromium at %s: apt-get install chromium (make test does), or set CIVICGRID_CHROMIUM", path)
	}
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	b := &browser{tb: tb, in: cmdW, waiting: map[int]chan cdpAnswer{}, loads: make(chan struct{}, 16), dir: artifactDir(tb)}
	b.cmd = exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+tb.TempDir(), "--remote-debugging-pipe", "about:blank")
	b.cmd.ExtraFiles = []*os.File{cmdR, evW} // fd 3, fd 4
	b.cmd.Stderr = &lockedWriter{mu: &b.mu, w: &b.stderr}
	if err := b.cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", path, err)
	}
	cmdR.Close()
	evW.Close()
	go b.read(evR)
	tb.Cleanup(b.close)

	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.call("Page.enable", nil, nil)
	b.viewport(1280, 900, false)
	return b
}

// artifactDir is where a test's screenshots go: under
// $CIVICGRID_ARTIFACTS when set, else a temporary directory.
func artifactDir(tb testing.TB) string {
	dir := os.Getenv("CIVICGRID_ARTIFACTS")
	if dir == "" {
		return tb.TempDir()
	}
	dir = filepath.Join(dir, strings.ReplaceAll(tb.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// close asks Chromium to quit and kills it if it does not.
func (b *browser) close() {
	_ = b.send("Browser.close", nil, nil, 3*time.Second)
	b.in.Close()
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-done
	}
}

// read delivers answers to their callers and notes page loads.
func (b *browser) read(r io.Reader) {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			for id, ch := range b.waiting {
				close(ch)
				delete(b.waiting, id)
			}
			b.mu.Unlock()
			return
		}
		var m struct {
			ID     int    `json:"id"`
			Method string `json:"method"`
			cdpAnswer
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.waiting[m.ID]
			delete(b.waiting, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m.cdpAnswer
			}
			continue
		}
		if m.Method == "Page.loadEventFired" {
			select {
			case b.loads <- struct{}{}:
			default:
			}
		}
	}
}

// send sends a command (to the page, unless it is a Target or Browser
// command) and decodes its result into out.
func (b *browser) send(method string, params, out any, timeout time.Duration) error {
	b.mu.Lock()
	b.next++
	id := b.next
	ch := make(chan cdpAnswer, 1)
	b.waiting[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if !strings.HasPrefix(method, "Target.") && !strings.HasPrefix(method, "Browser.") {
		msg["sessionId"] = b.session
	}
	data, _ := json.Marshal(msg)
	if _, err := b.in.Write(append(data, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	select {
	case a, ok := <-ch:
		switch {
		case !ok:
			return fmt.Errorf("%s: Chromium went away", method)
		case a.Error != nil:
			return fmt.Errorf("%s: %s (%d)", method, a.Error.Message, a.Error.Code)
		case out != nil:
			return json.Unmarshal(a.Result, out)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%s: no answer in %v", method, timeout)
	}
}

// call is send that fails the test on an error.
func (b *browser) call(method string, params, out any) {
	b.tb.Helper()
	if err := b.send(method, params, out, 30*time.Second); err != nil {
		b.mu.Lock()
		stderr := b.stderr.String()
		b.mu.Unlock()
		b.tb.Fatalf("%v\nChromium's stderr:\n%s", err, lastLines(stderr, 20))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// viewport sets the page's size; mobile emulates a phone.
func (b *browser) viewport(w, h int, mobile bool) {
	scale := 1.0
	if mobile {
		scale = 2
	}
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": w, "height": h, "deviceScaleFactor": scale, "mobile": mobile}, nil)
}

// navigating runs fn, which should make the page load another document,
// and waits for the load.
func (b *browser) navigating(fn func()) {
	b.tb.Helper()
	for len(b.loads) > 0 {
		<-b.loads
	}
	fn()
	select {
	case <-b.loads:
	case <-time.After(20 * time.Second):
		b.tb.Fatalf("the page did not load; it shows %s", b.eval("location.href"))
	}
}

// open loads url.
func (b *browser) open(url string) {
	b.tb.Helper()
	b.navigating(func() { b.call("Page.navigate", map[string]any{"url": url}, nil) })
}

// eval evaluates a JavaScript expression in the page and returns its value.
func (b *browser) eval(expr string) any {
	b.tb.Helper()
	var out struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &out)
	if out.Exception != nil {
		b.tb.Fatalf("evaluate %s: %s %s", expr, out.Exception.Text, out.Exception.Exception.Description)
	}
	return out.Result.Value
}

// text returns what the page shows.
func (b *browser) text() string {
	b.tb.Helper()
	s, _ := b.eval("document.body.innerText").(string)
	return s
}

// wantText fails the test unless the page shows every one of want.
func (b *browser) wantText(want ...string) {
	b.tb.Helper()
	text := b.text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			b.tb.Fatalf("the page %s does not show %q; it shows:\n%s", b.eval("location.pathname"), w, text)
		}
	}
}

// center scrolls the element selector matches into view and returns its
// middle in viewport pixels.
func (b *browser) center(selector string) (float64, float64) {
	b.tb.Helper()
	v, ok := b.eval(`(() => { const el = document.querySelector(` + jsString(selector) + `);
		if (!el) return null; el.scrollIntoView({block: "center"}); const r = el.getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2]; })()`).([]any)
	if !ok || len(v) != 2 {
		b.tb.Fatalf("no element %s on %s", selector, b.eval("location.pathname"))
	}
	return v[0].(float64), v[1].(float64)
}

// click clicks the middle of the element selector matches, as a mouse
// would.
func (b *browser) click(selector string) {
	b.tb.Helper()
	x, y := b.center(selector)
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": x, "y": y, "button": "left", "clickCount": 1}, nil)
	}
}

// submit clicks the button selector matches and waits for the next page.
func (b *browser) submit(selector string) {
	b.tb.Helper()
	b.navigating(func() { b.click(selector) })
}

// fill focuses the field selector matches, clears it and types text.
func (b *browser) fill(selector, text string) {
	b.tb.Helper()
	b.eval(`(() => { const el = document.querySelector(` + jsString(selector) + `); el.focus(); el.value = ""; })()`)
	b.typeText(text)
}

// typeText types text into the focused element.
func (b *browser) typeText(text string) {
	b.call("Input.insertText", map[string]any{"text": text}, nil)
}

// key presses and releases a key: "Tab" or "Enter".
func (b *browser) key(name string) {
	codes := map[string]int{"Tab": 9, "Enter": 13}
	down := map[string]any{"type": "keyDown", "key": name, "code": name, "windowsVirtualKeyCode": codes[name]}
	if name == "Enter" {
		down["text"] = "\r"
	}
	b.call("Input.dispatchKeyEvent", down, nil)
	b.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": name, "code": name, "windowsVirtualKeyCode": codes[name]}, nil)
}

// choose selects value in the select selector matches.
func (b *browser) choose(selector, value string) {
	b.tb.Helper()
	b.eval(`(() => { const el = document.querySelector(` + jsString(selector) + `); el.value = ` + jsString(value) +
		`; el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
}

// attach puts the file at path into the file input selector matches.
func (b *browser) attach(selector, path string) {
	b.tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		b.tb.Fatal(err)
	}
	var doc struct {
		Root struct {
			NodeID int `json:"nodeId"`
		} `json:"root"`
	}
	b.call("DOM.getDocument", map[string]any{"depth": 0}, &doc)
	var node struct {
		NodeID int `json:"nodeId"`
	}
	b.call("DOM.querySelector", map[string]any{"nodeId": doc.Root.NodeID, "selector": selector}, &node)
	b.call("DOM.setFileInputFiles", map[string]any{"nodeId": node.NodeID, "files": []string{abs}}, nil)
}

// screenshot saves the whole page as NN-name.png in the artifacts.
func (b *browser) screenshot(name string) {
	b.tb.Helper()
	var metrics struct {
		Content struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		} `json:"cssContentSize"`
	}
	b.call("Page.getLayoutMetrics", nil, &metrics)
	var shot struct {
		Data string `json:"data"`
	}
	b.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": metrics.Content.Width, "height": min(metrics.Content.Height, 6000), "scale": 1}}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.shots++
	path := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shots, name))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.tb.Fatal(err)
	}
}

func jsString(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}
