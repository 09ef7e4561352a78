package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// response is what the server answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body into a fresh V, failing the test on error.
func decodeBody[V any](tb testing.TB, r response) V {
	tb.Helper()
	var v V
	if err := json.Unmarshal(r.body, &v); err != nil {
		tb.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// do sends a request as actor ("" for none). A string or []byte body is
// sent as it is, anything else as JSON; header holds name, value pairs.
func (e *env) do(method, path, actor string, body any, header ...string) response {
	e.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.tb.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if actor != "" {
		token, ok := e.tokens[actor]
		if !ok {
			e.tb.Fatalf("no actor %q", actor)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.tb.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// scenario is one request and what it must get back, in the manner of
// pocketbase's ApiScenario.
type scenario struct {
	name         string
	method, path string
	body         any
	actor        string
	header       []string // name, value pairs
	wantStatus   int
	wantBody     string   // the whole body, compared as JSON, when set
	wantContains []string // substrings of the body
	wantHeader   map[string]string
}

// run runs each scenario as a subtest.
func (e *env) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := e.do(sc.method, sc.path, sc.actor, sc.body, sc.header...)
			if r.status != sc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", r.status, sc.wantStatus, r.body)
			}
			if sc.wantBody != "" {
				if diff := cmp.Diff(jsonValue(t, []byte(sc.wantBody)), jsonValue(t, r.body)); diff != "" {
					t.Errorf("body mismatch (-want +got):\n%s", diff)
				}
			}
			for _, s := range sc.wantContains {
				if !bytes.Contains(r.body, []byte(s)) {
					t.Errorf("body does not contain %s:\n%s", s, r.body)
				}
			}
			for k, v := range sc.wantHeader {
				if got := r.header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// jsonValue decodes data for comparison.
func jsonValue(tb testing.TB, data []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("not JSON: %v\n%s", err, data)
	}
	return v
}

// checkGolden compares body, indented and with the values of the keys in
// normalize replaced, to testdata/name.golden; -update rewrites the file.
func checkGolden(t *testing.T, name string, body []byte, normalize ...string) {
	t.Helper()
	v := jsonValue(t, body)
	for _, k := range normalize {
		v = replaceKey(v, k)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// replaceKey replaces the value of every key k in v with "<k>".
func replaceKey(v any, k string) any {
	switch v := v.(type) {
	case map[string]any:
		for kk, vv := range v {
			if kk == k {
				v[kk] = "<" + k + ">"
			} else {
				v[kk] = replaceKey(vv, k)
			}
		}
	case []any:
		for i := range v {
			v[i] = replaceKey(v[i], k)
		}
	}
	return v
}

// report opens a case in the i-th cell as actor and returns it.
func (e *env) report(actor, category string, cell int) caseOut {
	e.tb.Helper()
	lat, lon := cellCenter(cell)
	r := e.do("POST", "/api/v1/cases", actor, map[string]any{
		"category_code": category, "lat": lat, "lon": lon, "description": "垃圾堆在路边", "source": "inspector"})
	if r.status != http.StatusCreated {
		e.tb.Fatalf("report: %d %s", r.status, r.body)
	}
	return decodeBody[caseOut](e.tb, r)
}

// caseOut is the part of a case response the tests look at.
type caseOut struct {
	ID             int64                               `json:"id"`
	Number         string                              `json:"number"`
	Status         string                              `json:"status"`
	Version        int                                 `json:"version"`
	UnitID         int64                               `json:"unit_id"`
	InspectorID    int64                               `json:"inspector_id"`
	CellCode       string                              `json:"cell_code"`
	Deadline       *string                             `json:"deadline"`
	CreatedAt      string                              `json:"created_at"`
	Returns        int                                 `json:"returns"`
	Reworks        int                                 `json:"reworks"`
	Extensions     int                                 `json:"extensions"`
	Dispatches     int                                 `json:"dispatches"`
	AllowedActions []string                            `json:"allowed_actions"`
	Events         []struct{ Action, From, To string } `json:"events"`
}

// act takes action on case id at version as actor; extra adds fields.
func (e *env) act(actor string, id int64, version int, action string, extra map[string]any) response {
	e.tb.Helper()
	body := map[string]any{"action": action, "version": version}
	for k, v := range extra {
		body[k] = v
	}
	return e.do("POST", "/api/v1/cases/"+itoa(id)+"/actions", actor, body)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// caseCount returns how many cases there are, as the admin sees them.
func (e *env) caseCount() int {
	e.tb.Helper()
	r := e.do("GET", "/api/v1/cases?limit=1", "admin", nil)
	if r.status != http.StatusOK {
		e.tb.Fatalf("count cases: %d %s", r.status, r.body)
	}
	return decodeBody[struct {
		Total int `json:"total"`
	}](e.tb, r).Total
}

// intakeOut is the part of a report's answer the tests look at.
type intakeOut struct {
	caseOut
	ReportID int64    `json:"report_id"`
	Folded   bool     `json:"folded"`
	Repeated bool     `json:"repeated"`
	Reports  int      `json:"reports"`
	Photos   []string `json:"photos"`
}
