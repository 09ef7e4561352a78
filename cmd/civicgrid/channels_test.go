package main_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChannelsEndToEnd sets up the intake channels with the admin commands
// (an API key, a hotline export, the camera registry), then reaches the
// running binary as an Open311 client would, in XML and JSON, and as a
// camera system.
func TestChannelsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "grid", writeGrid(t, dir), "--data", data)

	r := mustRun(t, "apikey", "add", "--data", data, "--name", "fixmystreet")
	key := strings.TrimSpace(r.stdout)
	if !strings.HasPrefix(key, "ak_") || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("apikey add printed %q", r.stdout)
	}

	hotline := filepath.Join(dir, "hotline.csv")
	bad := "工单编号,问题类别,纬度,经度,问题描述\nGD1,06010,30.2505,120.1505,暴露垃圾\nGD2,06010,北纬,120.1505,暴露垃圾\n"
	os.WriteFile(hotline, []byte(bad), 0o600)
	if r := civicgrid(t, "", "import", "hotline", hotline, "--data", data); r.code != 1 || !strings.Contains(r.stderr, "line 3, column 纬度") {
		t.Fatalf("bad hotline file: exit %d, stderr %q; want 1 naming line 3, column 纬度", r.code, r.stderr)
	}
	good := "工单编号,问题类别,纬度,经度,问题描述,来电人,联系电话\nGD1,06010,30.2505,120.1505,暴露垃圾,张先生,13800000000\nGD2,09006,30.2515,120.1515,占道经营,,\n"
	os.WriteFile(hotline, []byte(good), 0o600)
	if r := mustRun(t, "import", "hotline", hotline, "--data", data); !strings.Contains(r.stdout, "2 new cases") {
		t.Errorf("hotline import: %s", r.stdout)
	}
	if r := mustRun(t, "import", "hotline", hotline, "--data", data); !strings.Contains(r.stdout, "2 already imported") {
		t.Errorf("hotline import again: %s", r.stdout)
	}

	cameras := filepath.Join(dir, "cameras.json")
	os.WriteFile(cameras, []byte(`{"cameras":[{"id":"cam-1","name":"清波街口","point":{"lat":30.2506,"lon":120.1506}}],
		"classes":[{"code":"890","name":{"zh":"暴露垃圾"},"category_code":"06010","auto_file_above":0.9}]}`), 0o600)
	mustRun(t, "import", "cameras", cameras, "--data", data)

	srv := startServer(t, data)
	get := func(path string) (int, string, string) {
		resp, err := http.Get(srv.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	for _, path := range []string{"/open311/v2/discovery.xml", "/open311/v2/services.xml", "/open311/v2/services.json"} {
		if code, _, body := get(path); code != http.StatusOK || !strings.Contains(body, "06010") && !strings.Contains(body, "endpoint") {
			t.Errorf("GET %s: %d %.200s", path, code, body)
		}
	}
	post := func(form url.Values) (int, string) {
		resp, err := http.PostForm(srv.base+"/open311/v2/requests.json", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	form := url.Values{"api_key": {key}, "service_code": {"06010"}, "lat": {"30.251800"}, "long": {"120.151800"},
		"description": {"路边一堆垃圾"}, "email": {"citizen@example.cn"}}
	code, body := post(form)
	if code != http.StatusOK || !strings.Contains(body, `"service_request_id":"`) {
		t.Fatalf("POST requests.json: %d %s", code, body)
	}
	id := body[strings.Index(body, `"service_request_id":"`)+len(`"service_request_id":"`):]
	id = id[:strings.Index(id, `"`)]
	if code, ctype, body := get("/open311/v2/requests/" + id + ".xml"); code != http.StatusOK || !strings.HasPrefix(ctype, "text/xml") ||
		!strings.Contains(body, "<service_request_id>"+id+"</service_request_id>") || strings.Contains(body, "citizen@example.cn") {
		t.Errorf("GET requests/%s.xml: %d %s %s", id, code, ctype, body)
	}
	form.Set("api_key", "ak_wrong")
	if code, body := post(form); code != http.StatusForbidden || !strings.Contains(body, `"code":403`) {
		t.Errorf("a wrong api_key: %d %s, want 403 in the spec's error format", code, body)
	}

	req, _ := http.NewRequest("POST", srv.base+"/api/v1/detections", strings.NewReader(
		`{"detections":[{"camera_id":"cam-1","detection_id":"x1","class_code":"890","confidence":0.97,"at":"2026-03-10T08:55:00+08:00"}]}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The camera stands 10 m from hotline work order GD1, an open case of
	// the same category: the detection is another report of it.
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"outcome":"folded"`) {
		t.Errorf("detection: %d %s", resp.StatusCode, b)
	}
	srv.stop(t)
}
