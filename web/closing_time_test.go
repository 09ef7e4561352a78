package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/report"
)

// closedInMarch reports three cases in the fixture's first cell and
// walks each to closed (seven steps, ten minutes apart), the second after
// 26 hours' wait and the third after 2 hours': closing times of 70
// minutes, 27 h 10 min and 3 h 10 min, all closed in March 2026 by the
// sanitation unit.
func closedInMarch(t *testing.T) *env {
	e := newEnv(t)
	toClose := []step{
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"shift_leader", "close", nil, "closed"},
	}
	for _, wait := range []time.Duration{0, 26 * time.Hour, 2 * time.Hour} {
		c := e.report("operator", catGarbage, 0)
		e.clock.Advance(wait)
		e.walk(t, c, toClose)
	}
	return e
}

// TestClosingTimeEverywhere: the closing time (结案用时) of the same
// days is the same number in GET /api/v1/stats/durations, on the
// dashboard (its JSON and its page), in the monthly report (its model,
// its HTML and its CSV) and beside the unit league on the rankings page,
// and it is written the same way (3小时10分钟) wherever it is written.
func TestClosingTimeEverywhere(t *testing.T) {
	e := closedInMarch(t)
	const median, p90 = 3*3600 + 10*60, 27*3600 + 10*60 // of 70 min, 3 h 10 min, 27 h 10 min
	type stat struct {
		N             int64    `json:"n"`
		MedianSeconds *float64 `json:"median_seconds"`
		P90Seconds    *int64   `json:"p90_seconds"`
		MeanSeconds   *float64 `json:"mean_seconds"`
	}
	type durations struct {
		Rows []struct {
			Key       string          `json:"key"`
			Durations map[string]stat `json:"durations"`
		} `json:"rows"`
	}
	api := func(q string) stat {
		t.Helper()
		r := e.do("GET", "/api/v1/stats/durations?"+q, "admin", nil)
		d := decodeBody[durations](t, r)
		if r.status != http.StatusOK || len(d.Rows) != 1 {
			t.Fatalf("durations %s: %d %s", q, r.status, r.body)
		}
		return d.Rows[0].Durations["closing_time"]
	}
	// The dashboard's month is 2026-03-01 up to tomorrow; the report's
	// the whole of March. Nothing closed after today, so they agree.
	today := civicgrid.DateOf(e.clock.Now())
	city := api("group_by=city&from=2026-03-01&to=" + today.AddDays(1).String())
	if month := api("group_by=city&from=2026-03-01&to=2026-04-01"); city.N != 3 || *city.MedianSeconds != median || *city.P90Seconds != p90 ||
		*month.MedianSeconds != *city.MedianSeconds || *month.P90Seconds != *city.P90Seconds {
		t.Fatalf("the API: %+v (month %+v), want 3 cases, median %d, p90 %d", city, month, median, p90)
	}
	unit := api("group_by=unit&from=2026-03-01&to=2026-04-01")
	medianText, p90Text := report.DurationText(median), report.DurationText(p90)
	if medianText.Zh != "3小时10分钟" || p90Text.Zh != "1天3小时" || medianText.En != "3 h 10 min" {
		t.Fatalf("written %+v and %+v", medianText, p90Text)
	}

	// The dashboard: its JSON and its page.
	dash := decodeBody[struct {
		Closing struct {
			N             int64          `json:"n"`
			MedianSeconds *float64       `json:"median_seconds"`
			P90Seconds    *int64         `json:"p90_seconds"`
			Median        civicgrid.Text `json:"median"`
			P90           civicgrid.Text `json:"p90"`
		} `json:"closing"`
	}](t, e.do("GET", "/api/v1/dashboard", "operator", nil))
	if c := dash.Closing; c.N != city.N || *c.MedianSeconds != *city.MedianSeconds || *c.P90Seconds != *city.P90Seconds ||
		c.Median != medianText || c.P90 != p90Text {
		t.Errorf("the dashboard's JSON: %+v, the API %+v", c, city)
	}
	wantBody(t, e.signedInAs("operator").get("/dashboard"), `data-k="closing-median">3小时10分钟<`, `data-k="closing-p90">1天3小时<`,
		"结案用时中位数（自然时间）", "本月结案的案卷从上报到结案的自然时间")

	// The monthly report: its model, its page and its CSV.
	r := e.do("GET", "/api/v1/reports/monthly?date=2026-03-10&format=json", "operator", nil)
	if r.status != http.StatusOK {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	var rep report.Report
	if err := json.Unmarshal(r.body, &rep); err != nil {
		t.Fatal(err)
	}
	figures := map[string]*float64{}
	for _, f := range rep.Summary {
		figures[f.Code] = f.Value
	}
	if v := figures["closing_time_median"]; v == nil || *v != *city.MedianSeconds {
		t.Errorf("the report's median %v, the API %v", v, *city.MedianSeconds)
	}
	if v := figures["closing_time_p90"]; v == nil || *v != float64(*city.P90Seconds) {
		t.Errorf("the report's p90 %v, the API %v", v, *city.P90Seconds)
	}
	tb := rep.Table("closing_units")
	if tb == nil || len(tb.Rows) != 2 {
		t.Fatalf("closing table %+v", tb)
	}
	for i, want := range []stat{city, unit} {
		row := tb.Rows[i]
		if row[1].Num != float64(want.N) || row[2].Num != *want.MedianSeconds || row[3].Num != float64(*want.P90Seconds) || row[4].Num != *want.MeanSeconds {
			t.Errorf("closing table row %d %+v, the API %+v", i, row, want)
		}
	}
	if tb.Rows[1][0].Text.Zh != "区环卫处" {
		t.Errorf("the unit row is %+v", tb.Rows[1][0])
	}
	leader := e.signedInAs("leader")
	wantBody(t, leader.get("/reports?kind=monthly&date=2026-03-10"), "<dt>结案用时中位数</dt><dd>3小时10分钟<", "<dt>结案用时 90% 分位数</dt><dd>1天3小时<",
		"<tr><td>区环卫处</td><td class=\"n\">3</td><td class=\"n\">3小时10分钟</td><td class=\"n\">1天3小时</td>")
	csv := leader.get("/reports/monthly/closing_units.csv?date=2026-03-10")
	if csv.status != http.StatusOK || !strings.Contains(string(csv.body), "单位,结案数,中位数（小时）,90% 分位数（小时）,平均（小时）\r\n全市,3,3.17,27.17,") {
		t.Errorf("closing CSV: %d %q", csv.status, csv.body)
	}

	// The rankings: the unit's median beside its score.
	page := leader.get("/rankings?kind=unit&month=2026-03")
	wantBody(t, page, "结案用时中位数<br><small>自然时间，仅供参考，不计分</small>", `<td class="num info">3小时10分钟<br><small>(3)</small></td>`)
	en := e.signedInAs("leader")
	en.get("/lang?to=en&back=/")
	wantBody(t, en.get("/rankings?kind=unit&month=2026-03"), `<td class="num info">3 h 10 min<br><small>(3)</small></td>`)
	if body := string(en.get("/rankings?kind=street&month=2026-03").body); strings.Contains(body, "Median time to close") {
		t.Error("the street league shows a closing time")
	}
}
