package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// league is the part of a league table the tests read.
type league struct {
	Status      string `json:"status"`
	Revision    int    `json:"revision"`
	Unavailable []string
	Groups      []struct {
		Name civicgrid.Text `json:"name"`
		Rows []struct {
			Key       string              `json:"key"`
			Rank      int                 `json:"rank"`
			Score     *float64            `json:"score"`
			Counts    map[string]int64    `json:"counts"`
			Rates     map[string]*float64 `json:"rates"`
			SubScores map[string]*float64 `json:"sub_scores"`
			Corrected bool                `json:"corrected"`
		} `json:"rows"`
	} `json:"groups"`
	Corrections []civicgrid.EvaluationCorrection `json:"corrections"`
}

// unitRow returns the counts and score of unit key in l.
func (l league) unitRow(t *testing.T, key string) (map[string]int64, float64) {
	t.Helper()
	for _, g := range l.Groups {
		for _, r := range g.Rows {
			if r.Key == key {
				if r.Score == nil {
					t.Fatalf("row %s has no score", key)
				}
				return r.Counts, *r.Score
			}
		}
	}
	t.Fatalf("no row %s in %+v", key, l)
	return nil, 0
}

// closedCase walks a garbage case in cell A1 to closed by the sanitation
// unit.
func (e *env) closedCase() {
	e.tb.Helper()
	c := e.report("operator", catGarbage, 0)
	e.walkSteps(c.ID, toClosed...)
}

// TestEvaluationPublishFreezes: a month's league is live until published;
// then it is frozen (late events change only the live table), and a
// correction makes a new revision, logged.
func TestEvaluationPublishFreezes(t *testing.T) {
	e := newEnv(t)
	e.clock.Advance(-28 * 24 * time.Hour) // one case in February, for the trend
	e.closedCase()
	e.clock.Advance(28 * 24 * time.Hour)
	e.closedCase()
	e.closedCase()
	sanit := itoa(int64(e.units[unitSanit].ID))
	const q = "/api/v1/evaluations?kind=unit&month=2026-03"

	r := e.do("POST", "/api/v1/evaluations/publish", "leader", map[string]any{"month": "2026-03"})
	if r.status != http.StatusConflict {
		t.Fatalf("publishing a month not ended: %d %s", r.status, r.body)
	}
	e.clock.Advance(23 * 24 * time.Hour) // 2026-04-02

	live := decodeBody[league](t, e.do("GET", q, "operator", nil))
	counts, liveScore := live.unitRow(t, sanit)
	if live.Status != "live" || counts["closed"] != 2 || counts["dispatched"] != 2 {
		t.Fatalf("live table: %s %v", live.Status, counts)
	}
	if live.Groups[0].Name.Zh != "市级部门" {
		t.Errorf("first group %v", live.Groups[0].Name)
	}

	for _, tc := range []struct {
		actor string
		want  int
	}{{"operator", http.StatusForbidden}, {"dispatcher", http.StatusForbidden}, {"leader", http.StatusCreated}, {"admin", http.StatusConflict}} {
		if r := e.do("POST", "/api/v1/evaluations/publish", tc.actor, map[string]any{"month": "2026-03"}); r.status != tc.want {
			t.Errorf("publish by %s: %d, want %d: %s", tc.actor, r.status, tc.want, r.body)
		}
	}

	// A late event dated in March (an offline report synced late): the
	// published table stays, the live one moves.
	e.clock.Advance(-72 * time.Hour)
	e.closedCase()
	e.clock.Advance(72 * time.Hour)
	pub := decodeBody[league](t, e.do("GET", q, "operator", nil))
	pubCounts, pubScore := pub.unitRow(t, sanit)
	if pub.Status != "published" || pub.Revision != 1 || pubCounts["closed"] != 2 || pubScore != liveScore {
		t.Errorf("published table: %s rev %d closed %d score %v (live before %v)", pub.Status, pub.Revision, pubCounts["closed"], pubScore, liveScore)
	}
	now := decodeBody[league](t, e.do("GET", q+"&live=true", "operator", nil))
	if c, _ := now.unitRow(t, sanit); now.Status != "live" || c["closed"] != 3 {
		t.Errorf("live after the late event: %s closed %d", now.Status, c["closed"])
	}

	// Corrections: only leaders and admins, with a reason, of a published row.
	body := map[string]any{"kind": "unit", "month": "2026-03", "row_key": sanit, "field": "counts.closed", "value": 1, "reason": "一件结案经复核不成立"}
	e.run(t, []scenario{
		{name: "operator may not correct", method: "POST", path: "/api/v1/evaluations/corrections", actor: "operator", body: body, wantStatus: http.StatusForbidden},
		{name: "reason required", method: "POST", path: "/api/v1/evaluations/corrections", actor: "leader",
			body: map[string]any{"kind": "unit", "month": "2026-03", "row_key": sanit, "field": "score", "value": 50}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"code":"invalid"`, `"reason"`}},
		{name: "unpublished month", method: "POST", path: "/api/v1/evaluations/corrections", actor: "leader",
			body: map[string]any{"kind": "unit", "month": "2026-02", "row_key": sanit, "field": "score", "value": 50, "reason": "x"}, wantStatus: http.StatusNotFound},
		{name: "unknown field", method: "POST", path: "/api/v1/evaluations/corrections", actor: "leader",
			body: map[string]any{"kind": "unit", "month": "2026-03", "row_key": sanit, "field": "colour", "value": 1, "reason": "x"}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"field"`}},
		{name: "bad kind", method: "GET", path: "/api/v1/evaluations?kind=planet&month=2026-03", actor: "operator", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"kind"`}},
		{name: "bad month", method: "GET", path: "/api/v1/evaluations?kind=unit&month=March", actor: "operator", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"month"`}},
		{name: "units may not see rankings", method: "GET", path: q, actor: "sanitation", wantStatus: http.StatusForbidden},
	})
	r = e.do("POST", "/api/v1/evaluations/corrections", "leader", body)
	if r.status != http.StatusCreated {
		t.Fatalf("correction: %d %s", r.status, r.body)
	}
	fixed := decodeBody[league](t, e.do("GET", q, "operator", nil))
	c, score := fixed.unitRow(t, sanit)
	if fixed.Revision != 2 || c["closed"] != 1 || score >= pubScore || len(fixed.Corrections) != 1 {
		t.Fatalf("after the correction: rev %d closed %d score %v (was %v), %d corrections", fixed.Revision, c["closed"], score, pubScore, len(fixed.Corrections))
	}
	if k := fixed.Corrections[0]; k.Old == nil || *k.Old != 2 || k.New != 1 || k.ByName != "leader" || k.Revision != 2 || k.Field != "counts.closed" {
		t.Errorf("correction record %+v", k)
	}

	// The trend reads the published month and live ones.
	tr := decodeBody[struct {
		Months []string `json:"months"`
		Status []string `json:"status"`
		Rows   []struct {
			Key    string     `json:"key"`
			Scores []*float64 `json:"scores"`
		} `json:"rows"`
	}](t, e.do("GET", "/api/v1/evaluations/trend?kind=unit&month=2026-03&months=3", "operator", nil))
	if strings.Join(tr.Months, ",") != "2026-01,2026-02,2026-03" || strings.Join(tr.Status, ",") != "live,live,published" {
		t.Errorf("trend months %v status %v", tr.Months, tr.Status)
	}
	for _, row := range tr.Rows {
		if row.Key == sanit && (row.Scores[2] == nil || *row.Scores[2] != score || row.Scores[0] != nil) {
			t.Errorf("trend of %s: %v", sanit, row.Scores)
		}
	}

	// The page shows the frozen revision and the corrections log.
	page := e.signedInAs("leader").get("/rankings?kind=unit&month=2026-03")
	for _, want := range []string{"已发布，第 2 版", "一件结案经复核不成立", "区环卫处", "已更正", `<svg class="spark"`} {
		if !strings.Contains(string(page.body), want) {
			t.Errorf("rankings page lacks %q", want)
		}
	}
	if strings.Contains(string(page.body), `action="/rankings/publish"`) {
		t.Error("a published month offers publishing again")
	}
}

// TestEvaluationKinds: every kind answers from the same statistics; the
// person kinds keep only users of their role; every item is measured.
func TestEvaluationKinds(t *testing.T) {
	e := newEnv(t)
	e.closedCase()
	for _, kind := range []string{"unit", "street", "community", "inspector", "operator", "shift_leader", "dispatcher"} {
		l := decodeBody[league](t, e.do("GET", "/api/v1/evaluations?kind="+kind+"&month=2026-03", "admin", nil))
		rows := 0
		for _, g := range l.Groups {
			rows += len(g.Rows)
		}
		if rows == 0 {
			t.Errorf("%s: no rows", kind)
		}
		switch kind {
		case "operator", "shift_leader", "dispatcher":
			if rows != 1 {
				t.Errorf("%s: %d rows, want the one user of the role", kind, rows)
			}
		}
		// Every item of the default scheme is measured for every kind
		// (accurate dispatch per dispatcher since definitions version 3).
		if len(l.Unavailable) != 0 {
			t.Errorf("%s: items %v unavailable", kind, l.Unavailable)
		}
	}
	// The same numbers as the statistics.
	sanit := itoa(int64(e.units[unitSanit].ID))
	l := decodeBody[league](t, e.do("GET", "/api/v1/evaluations?kind=unit&month=2026-03", "admin", nil))
	counts, _ := l.unitRow(t, sanit)
	var st struct {
		Rows []struct {
			Key    string           `json:"key"`
			Counts map[string]int64 `json:"counts"`
		} `json:"rows"`
	}
	r := e.do("GET", "/api/v1/stats?group_by=unit&from=2026-03-01&to=2026-04-01&metrics=closed,dispatched,reworked", "admin", nil)
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	for _, row := range st.Rows {
		if row.Key == sanit {
			for _, m := range []string{"closed", "dispatched", "reworked"} {
				if row.Counts[m] != counts[m] {
					t.Errorf("%s: stats %d, league %d", m, row.Counts[m], counts[m])
				}
			}
		}
	}
}

// TestRankingsAndMetricsPages: golden pages, the publish button for a
// leader only, and publishing from the page.
func TestRankingsAndMetricsPages(t *testing.T) {
	e := newEnv(t)
	e.closedCase()
	e.clock.Advance(23 * 24 * time.Hour)
	leader := e.signedInAs("leader")
	r := leader.get("/rankings?kind=unit&month=2026-03")
	if r.status != http.StatusOK {
		t.Fatalf("rankings: %d %s", r.status, r.body)
	}
	checkPageGolden(t, "rankings_leader", r.body)
	op := e.signedInAs("operator").get("/rankings?kind=unit&month=2026-03")
	if strings.Contains(string(op.body), `action="/rankings/publish"`) || !strings.Contains(string(op.body), "实时计算") {
		t.Error("operator: the publish button shows, or the status is missing")
	}
	m := e.signedInAs("operator").get("/metrics")
	if m.status != http.StatusOK {
		t.Fatalf("metrics: %d %s", m.status, m.body)
	}
	// The golden holds the page's shape; the metric rows, which other
	// areas' metrics change, are checked against the definitions instead.
	metricRow := regexp.MustCompile(`(?m)^<tr id="m-[a-z_]+">.*</tr>\n`)
	checkPageGolden(t, "metrics_operator", metricRow.ReplaceAll(m.body, nil))
	text := html.UnescapeString(string(m.body))
	for _, def := range civicgrid.DefaultStatsConfig().Metrics() {
		row := `<tr id="m-` + def.Code + `"><th scope="row">` + def.Name.Zh + `<br>`
		if !strings.Contains(text, row) || !strings.Contains(text, def.Formula.Zh) {
			t.Errorf("metrics page lacks %s (%s, %s)", def.Code, def.Name.Zh, def.Formula.Zh)
		}
	}
	for _, want := range []string{"准确派遣率", "准确派遣数 / 派遣数", "按时结案率", "返工率"} {
		if !strings.Contains(string(m.body), want) {
			t.Errorf("metrics page lacks %q", want)
		}
	}
	p := leader.post("/rankings/publish", url.Values{"month": {"2026-03"}, "kind": {"unit"}})
	if p.status != http.StatusSeeOther || !strings.Contains(p.header.Get("Location"), "done=published") {
		t.Fatalf("publish form: %d %s", p.status, p.header.Get("Location"))
	}
	after := leader.get(p.header.Get("Location"))
	if !strings.Contains(string(after.body), "已发布，第 1 版") || !strings.Contains(string(after.body), "没有更正") {
		t.Errorf("after publishing:\n%s", after.body)
	}
	// Correcting from the page: refused without a reason, with the form
	// kept; then recorded as revision 2.
	sanit := itoa(int64(e.units[unitSanit].ID))
	form := url.Values{"kind": {"unit"}, "month": {"2026-03"}, "row_key": {sanit}, "field": {"rates.rate_closed"}, "value": {"0.5"}}
	refused := leader.post("/rankings/corrections", form)
	if refused.status != http.StatusBadRequest || !strings.Contains(string(refused.body), `value="0.5"`) || !strings.Contains(string(refused.body), `class="err"`) {
		t.Errorf("correction without a reason: %d\n%s", refused.status, refused.body)
	}
	form.Set("reason", "结案复核")
	ok := leader.post("/rankings/corrections", form)
	if ok.status != http.StatusSeeOther {
		t.Fatalf("correction: %d %s", ok.status, ok.body)
	}
	corrected := leader.get(ok.header.Get("Location"))
	for _, want := range []string{"已记录更正，当前为第 2 版。", "已发布，第 2 版", "结案复核", "rates.rate_closed", "1 → 0.5"} {
		if !strings.Contains(string(corrected.body), want) {
			t.Errorf("after correcting, the page lacks %q", want)
		}
	}
	if op := e.signedInAs("operator").get("/rankings?kind=unit&month=2026-03"); strings.Contains(string(op.body), `action="/rankings/corrections"`) {
		t.Error("an operator is offered the correction form")
	}
	if r := e.signedInAs("sanitation").get("/rankings"); r.status != http.StatusForbidden {
		t.Errorf("unit on /rankings: %d", r.status)
	}
}
