package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestUIReportsGolden renders the daily report page of the fixture city,
// in Chinese and in English, against testdata/ui_reports_*.golden.
func TestUIReportsGolden(t *testing.T) {
	e := newEnv(t)
	e.report("inspector", catGarbage, 0)
	e.report("inspector", catGarbage, 2)
	filed := e.report("inspector", catManhole, 1)
	if r := e.act("operator", filed.ID, filed.Version, "file", nil); r.status != http.StatusOK {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	operator := e.signedInAs("operator")
	leader := e.signedInAs("leader")
	leader.get("/lang?to=en&back=/")
	for _, tc := range []struct {
		name string
		b    *browserClient
		path string
	}{
		{"reports_daily", operator, "/reports?kind=daily&date=2026-03-10"},
		{"reports_weekly_en", leader, "/reports?kind=weekly&date=2026-03-10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get(tc.path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", tc.path, r.status, r.body)
			}
			if m := regexp.MustCompile(`\[[a-z_.]+\]`).Find(r.body); m != nil {
				t.Errorf("the page shows the catalogue key %s", m)
			}
			if bytes.Contains(r.body, []byte("<style")) || bytes.Contains(r.body, []byte(" style=")) {
				t.Error("the page has inline styles, which its policy blocks")
			}
			checkPageGolden(t, tc.name, r.body)
		})
	}
}

// TestUIReports checks who may see the reports and the downloads.
func TestUIReports(t *testing.T) {
	e := newEnv(t)
	e.report("inspector", catGarbage, 0)
	const day = "date=2026-03-10"
	e.runPages(t, []pageScenario{
		{name: "signed out", method: "GET", path: "/reports", wantStatus: http.StatusSeeOther, wantLocation: "/login?next=%2Freports"},
		{name: "unit", as: "sanitation", method: "GET", path: "/reports", wantStatus: http.StatusForbidden},
		{name: "inspector", as: "inspector", method: "GET", path: "/reports?kind=daily", wantStatus: http.StatusForbidden},
		{name: "citizen", as: "citizen", method: "GET", path: "/reports/monthly.xlsx", wantStatus: http.StatusForbidden},
		{name: "unit csv", as: "sanitation", method: "GET", path: "/reports/monthly/units.csv", wantStatus: http.StatusForbidden},
		{name: "default month", as: "leader", method: "GET", path: "/reports", wantStatus: http.StatusOK,
			wantContains: []string{`value="2026-02-28"`, "月报 2026-02", `href="/reports/monthly.xlsx?date=2026-02-28"`, `href="/reports/monthly/units.csv?date=2026-02-28"`}},
		{name: "default day", as: "dispatcher", method: "GET", path: "/reports?kind=daily", wantStatus: http.StatusOK,
			wantContains: []string{`value="2026-03-09"`, "日报 2026-03-09"}},
		{name: "bad date", as: "operator", method: "GET", path: "/reports?kind=daily&date=2026-02-30", wantStatus: http.StatusBadRequest,
			wantContains: []string{`class="problem"`, `id="r-date"`}, wantMissing: []string{"cg-report"}},
		{name: "bad kind", as: "operator", method: "GET", path: "/reports?kind=yearly", wantStatus: http.StatusBadRequest},
		{name: "unknown table", as: "operator", method: "GET", path: "/reports/daily/nothing.csv?" + day, wantStatus: http.StatusNotFound},
		{name: "unknown file", as: "operator", method: "GET", path: "/reports/daily.pdf?" + day, wantStatus: http.StatusNotFound},
		{name: "stylesheet", method: "GET", path: "/reports/report.css", wantStatus: http.StatusOK, wantContains: []string{"@media print"}},
	})

	b := e.signedInAs("operator")
	r := b.get("/reports/daily.xlsx?" + day)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		r.header.Get("Content-Disposition") != `attachment; filename="civicgrid-daily-2026-03-10.xlsx"` {
		t.Fatalf("xlsx: %d %v", r.status, r.header)
	}
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, part := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet12.xml"} {
		if !names[part] {
			t.Errorf("the workbook has no %s", part)
		}
	}
	r = b.get("/reports/daily/operation.csv?" + day)
	if r.status != http.StatusOK || !strings.HasPrefix(string(r.body), "\uFEFF指标,本期,上期,增减\r\n上报数,1,0,1\r\n") {
		t.Errorf("csv: %d %q", r.status, r.body)
	}
	if r := b.get("/api/v1/reports/daily?" + day); r.status != http.StatusOK || !bytes.Contains(r.body, []byte(`"kind":"daily"`)) {
		t.Errorf("the page's JSON link with the session: %d %.200s", r.status, r.body)
	}
	r = b.get("/reports/daily.html?" + day)
	if r.status != http.StatusOK || !bytes.HasPrefix(r.body, []byte("<!doctype html>")) || !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("html: %d %v", r.status, r.header)
	}
}

// TestReportsAPI: GET /api/v1/reports/{kind} answers the report model to
// the centre and refuses the others.
func TestReportsAPI(t *testing.T) {
	e := newEnv(t)
	e.report("inspector", catGarbage, 0)
	r := e.do("GET", "/api/v1/reports/daily?date=2026-03-10&format=json", "operator", nil)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var got struct {
		Kind   string `json:"kind"`
		Period struct {
			From, To string
		} `json:"period"`
		Tables []struct {
			ID string `json:"id"`
		} `json:"tables"`
		Summary []struct {
			Code  string   `json:"code"`
			Value *float64 `json:"value"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "daily" || got.Period.From != "2026-03-10" || got.Period.To != "2026-03-11" || len(got.Tables) != 12 ||
		got.Summary[0].Code != "reported" || got.Summary[0].Value == nil || *got.Summary[0].Value != 1 {
		t.Errorf("report: %s", r.body)
	}
	for _, tc := range []struct {
		path, actor string
		status      int
	}{
		{"/api/v1/reports/daily", "sanitation", http.StatusForbidden},
		{"/api/v1/reports/daily", "inspector", http.StatusForbidden},
		{"/api/v1/reports/yearly", "operator", http.StatusBadRequest},
		{"/api/v1/reports/daily?date=x", "operator", http.StatusBadRequest},
		{"/api/v1/reports/daily?format=pdf", "operator", http.StatusBadRequest},
		{"/api/v1/reports/daily", "", http.StatusUnauthorized},
	} {
		if r := e.do("GET", tc.path, tc.actor, nil); r.status != tc.status {
			t.Errorf("GET %s as %q: %d, want %d\n%s", tc.path, tc.actor, r.status, tc.status, r.body)
		}
	}
}
