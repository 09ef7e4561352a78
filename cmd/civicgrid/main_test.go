package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binary is the civicgrid binary built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "civicgrid-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "civicgrid")
	args := []string{"build", "-o", binary}
	if raceEnabled {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// civicgrid runs the binary to completion with args and stdin.
func civicgrid(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return r
}

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := civicgrid(t, "", args...)
	if r.code != 0 {
		t.Fatalf("civicgrid %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// server is a running `civicgrid serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

// startServer starts serve on a free loopback port and waits for /healthz.
func startServer(t *testing.T, data string) *server {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
		for sc.Scan() {
			if u := re.FindString(sc.Text()); u != "" {
				urls <- u
			}
		}
	}()
	go func() { s.done <- cmd.Wait() }()
	select {
	case s.base = <-urls:
	case err := <-s.done:
		t.Fatalf("serve exited before listening: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("serve did not print its address within a minute")
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling readiness, not racing: the loop exits on the first 200
	}
}

// call sends a JSON request with the token and decodes the answer into out.
func (s *server) call(t *testing.T, token, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGTERM")
	}
}

// kill ends the server at once, as a crash would.
func (s *server) kill(t *testing.T) {
	t.Helper()
	s.cmd.Process.Kill()
	<-s.done
}

// writeGrid writes a GeoJSON file: one community polygon and a 2×2 block
// of 100 m cells inside it, plus any extra features.
func writeGrid(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	const lat0, lon0, dLat, dLon = 30.25, 120.15, 0.0009, 0.00104
	sq := func(lat, lon, h, w float64) string {
		return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}`,
			lon, lat, lon+w, lat, lon+w, lat+h, lon, lat+h, lon, lat)
	}
	features := []string{fmt.Sprintf(`{"type":"Feature","properties":{"code":"330102001001","name":"清波社区"},"geometry":%s}`,
		sq(lat0-dLat, lon0-dLon, 4*dLat, 4*dLon))}
	for i := range 4 {
		features = append(features, fmt.Sprintf(`{"type":"Feature","properties":{"code":"33010200100100%d","name":"网格%d"},"geometry":%s}`,
			i+1, i+1, sq(lat0+float64(i/2)*dLat, lon0+float64(i%2)*dLon, dLat, dLon)))
	}
	features = append(features, extra...)
	path := filepath.Join(dir, fmt.Sprintf("grid%d.geojson", len(extra)))
	doc := `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var idPattern = regexp.MustCompile(`id (\d+)\)`)

// TestCommandLineMistakes checks that bad flags and values are one line on
// standard error and exit code 2.
func TestCommandLineMistakes(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--bogus"},
		{"serve", "--data", data, "--addr", "not-an-address"},
		{"frobnicate"},
		{"user", "add", "--data", data, "--name", "x"},
		{"user", "add", "--data", data, "--name", "x", "--role", "emperor"},
		{"import", "grid", "--data", data},
		{"import", "taxonomy", "--data", data, "--builtin", "nonsense"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := civicgrid(t, "", args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; lines != 1 || r.stderr == "" {
				t.Errorf("stderr has %d lines, want one: %q", lines, r.stderr)
			}
		})
	}
}

// TestEndToEnd sets a city up with the admin commands, starts the server,
// walks one case from report to close over HTTP through every role, checks
// that a crash loses no acknowledged write, and that SIGTERM stops cleanly.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")

	// A broken grid changes nothing: the good cells in the same file are
	// not written either.
	broken := writeGrid(t, dir, `{"type":"Feature","properties":{"code":"330102001001009"},"geometry":{"type":"Polygon","coordinates":[[[120.15,30.25],[120.151,30.251],[120.15,30.251],[120.151,30.25],[120.15,30.25]]]}}`)
	if r := civicgrid(t, "", "import", "grid", broken, "--data", data); r.code != 1 || !strings.Contains(r.stderr, "330102001001009") {
		t.Fatalf("broken grid: exit %d, stderr %q; want exit 1 naming the feature", r.code, r.stderr)
	}
	r := mustRun(t, "import", "grid", writeGrid(t, dir), "--data", data)
	if !strings.Contains(r.stdout, "imported 4 cells") {
		t.Fatalf("import: %s", r.stdout)
	}
	mustRun(t, "unit", "add", "--data", data, "--code", "sanitation", "--name", "环境卫生管理处", "--name-en", "Sanitation")
	mustRun(t, "route", "add", "--data", data, "--category", "06", "--unit", "sanitation")

	calendar := filepath.Join(dir, "calendar.json")
	os.WriteFile(calendar, []byte(`{"overrides":[{"date":"2027-01-01","kind":"holiday","name":{"zh":"元旦","en":"New Year's Day"}}]}`), 0o600)
	if r := mustRun(t, "import", "calendar", calendar, "--data", data); !strings.Contains(r.stdout, "420 working minutes a day") {
		t.Errorf("import calendar: %s", r.stdout)
	}
	os.WriteFile(calendar, []byte(`{"periods":[{"start":"12:00","end":"08:00"}]}`), 0o600)
	if r := civicgrid(t, "", "import", "calendar", calendar, "--data", data); r.code != 1 {
		t.Errorf("a reversed period: exit %d (%s), want 1", r.code, r.stderr)
	}

	tokens, ids := map[string]string{}, map[string]string{}
	for _, u := range [][]string{
		{"operator", "operator"}, {"leader1", "shift_leader"}, {"dispatcher", "dispatcher"},
		{"handler", "unit_handler", "--unit", "sanitation"}, {"inspector", "inspector"},
	} {
		r := civicgrid(t, "s3cret-pass\n", append([]string{"user", "add", "--data", data, "--name", u[0], "--role", u[1], "--password-stdin", "--token"}, u[2:]...)...)
		if r.code != 0 {
			t.Fatalf("user add %s: %s", u[0], r.stderr)
		}
		tokens[u[0]] = strings.TrimSpace(r.stdout)
		m := idPattern.FindStringSubmatch(r.stderr)
		if m == nil || !strings.HasPrefix(tokens[u[0]], "cg_") {
			t.Fatalf("user add %s: stdout %q stderr %q", u[0], r.stdout, r.stderr)
		}
		ids[u[0]] = m[1]
	}

	srv := startServer(t, data)
	var cal struct {
		Overrides []struct {
			Date string `json:"date"`
		} `json:"overrides"`
	}
	srv.call(t, tokens["operator"], "GET", "/api/v1/calendar", nil, &cal)
	if n := len(cal.Overrides); n == 0 || cal.Overrides[n-1].Date != "2027-01-01" {
		t.Errorf("the imported holiday is not in the calendar: %+v", cal.Overrides)
	}
	var c struct {
		ID      int64  `json:"id"`
		Number  string `json:"number"`
		Status  string `json:"status"`
		Version int    `json:"version"`
		Cell    string `json:"cell_code"`
		Unit    int64  `json:"unit_id"`
		Events  []struct {
			Action string `json:"action"`
		} `json:"events"`
	}
	report := map[string]any{"category_code": "06010", "lat": 30.2504, "lon": 120.1505, "description": "路口暴露垃圾", "source": "hotline",
		"reporter": map[string]string{"name": "张先生", "phone": "13800000000"}}
	if code := srv.call(t, tokens["operator"], "POST", "/api/v1/cases", report, &c); code != http.StatusCreated {
		t.Fatalf("report: %d", code)
	}
	if c.Cell != "330102001001001" || c.Status != "reported" || !regexp.MustCompile(`^\d{4}-\d{6}$`).MatchString(c.Number) {
		t.Fatalf("new case: %+v", c)
	}
	path := fmt.Sprintf("/api/v1/cases/%d/actions", c.ID)
	steps := []struct {
		who    string
		action string
		extra  map[string]any
		want   string
	}{
		{"operator", "verify_request", map[string]any{"inspector_id": atoi(ids["inspector"])}, "verifying"},
		{"inspector", "verify_pass", nil, "reported"},
		{"leader1", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"handler", "sign", nil, "handling"},
		{"handler", "finish", map[string]any{"note": "已清运"}, "handled"},
		{"operator", "check_request", map[string]any{"inspector_id": atoi(ids["inspector"])}, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"leader1", "close", nil, "closed"},
	}
	for _, st := range steps {
		body := map[string]any{"action": st.action, "version": c.Version}
		for k, v := range st.extra {
			body[k] = v
		}
		if code := srv.call(t, tokens[st.who], "POST", path, body, &c); code != http.StatusOK || c.Status != st.want {
			t.Fatalf("%s by %s: status %d, case now %s; want %s", st.action, st.who, code, c.Status, st.want)
		}
	}
	var stale struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if code := srv.call(t, tokens["leader1"], "POST", path, map[string]any{"action": "close", "version": 1}, &stale); code != http.StatusConflict {
		t.Errorf("stale close: %d %+v, want 409", code, stale)
	}

	// An acknowledged report survives a crash.
	var second struct {
		ID int64 `json:"id"`
	}
	if code := srv.call(t, tokens["operator"], "POST", "/api/v1/cases", report, &second); code != http.StatusCreated {
		t.Fatalf("second report: %d", code)
	}
	srv.kill(t)
	srv = startServer(t, data)
	if code := srv.call(t, tokens["operator"], "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &c); code != http.StatusOK || c.Status != "closed" || len(c.Events) != 10 {
		t.Errorf("after restart: %d, status %s, %d events; want closed with 10", code, c.Status, len(c.Events))
	}
	if code := srv.call(t, tokens["operator"], "GET", fmt.Sprintf("/api/v1/cases/%d", second.ID), nil, nil); code != http.StatusOK {
		t.Errorf("acknowledged report lost in the crash: %d", code)
	}
	srv.stop(t)
}

func atoi(s string) int {
	var n int
	fmt.Sscanf(s, "%d", &n)
	return n
}
