package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// walkSteps takes the steps (actor, action, note) on case id through the API,
// each at the case's current version.
func (e *env) walkSteps(id int64, steps ...[3]string) caseOut {
	e.tb.Helper()
	var c caseOut
	for _, st := range steps {
		cur := decodeBody[caseOut](e.tb, e.do("GET", "/api/v1/cases/"+itoa(id), "admin", nil))
		extra := map[string]any{}
		if st[2] != "" {
			extra["note"] = st[2]
		}
		r := e.act(st[0], id, cur.Version, st[1], extra)
		if r.status != http.StatusOK {
			e.tb.Fatalf("%s by %s: %d %s", st[1], st[0], r.status, r.body)
		}
		c = decodeBody[caseOut](e.tb, r)
	}
	return c
}

// toClosed are the steps that take a reported case to closed.
var toClosed = [][3]string{{"operator", "file", ""}, {"dispatcher", "dispatch", ""}, {"sanitation", "sign", ""},
	{"sanitation", "finish", "已清运"}, {"operator", "check_request", ""}, {"inspector", "check_pass", ""}, {"shift_leader", "close", ""}}

// closedCitizenCase has the citizen report through the page and walks the
// case to closed; it returns the case.
func (e *env) closedCitizenCase() caseOut {
	e.tb.Helper()
	id := e.citizenReport()
	c := e.walkSteps(id, toClosed...)
	if c.Status != "closed" {
		e.tb.Fatalf("walked to %s", c.Status)
	}
	return c
}

// inspectorTasks gives the fixture's inspector a verify task (in cell 0)
// and a check task (cell 1), and returns both cases; a manhole report in
// cell 2 waits for the operator.
func (e *env) inspectorTasks() (verify, check caseOut) {
	e.tb.Helper()
	verify = e.report("operator", catGarbage, 0)
	verify = e.walkSteps(verify.ID, [3]string{"operator", "verify_request", ""})
	check = e.report("operator", catGarbage, 1)
	check = e.walkSteps(check.ID, toClosed[:5]...)
	e.report("operator", catManhole, 2)
	return verify, check
}

// TestUIInspectorPage renders the patrol page: the camera and GPS report
// form, the category picker with the frequent ones first, the tasks with
// their actions and photo, and the inspector's cells.
func TestUIInspectorPage(t *testing.T) {
	e := newEnv(t)
	verify, check := e.inspectorTasks()
	insp := e.signedInAs("inspector")
	r := insp.get("/inspector")
	if r.status != http.StatusOK {
		t.Fatalf("GET /inspector: %d\n%s", r.status, r.body)
	}
	if m := regexp.MustCompile(`\[[a-z_.]+\]`).Find(r.body); m != nil {
		t.Errorf("the page shows the catalogue key %s", m)
	}
	body := string(r.body)
	for _, want := range []string{
		`accept="image/*" capture="environment"`, `id="insp-lat"`, `svg class="gridmap"`, `id="cat-search"`,
		`id="task-` + itoa(verify.ID) + `-verify_pass"`, `id="task-` + itoa(verify.ID) + `-verify_fail"`,
		`id="task-` + itoa(check.ID) + `-check_pass"`, `action="/inspector/tasks/` + itoa(check.ID) + `"`,
		`<option value="` + cellA1 + `" data-lat=`, "共 4 个网格", `href="/inspector" aria-current="page"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// The two categories reported in the inspector's cells come first.
	freq := body[strings.Index(body, "常用"):]
	freq = freq[:strings.Index(freq, `<p class="cat-class">`)]
	if !strings.Contains(freq, catGarbage) || !strings.Contains(freq, catManhole) {
		t.Errorf("the frequent categories are %s", freq)
	}
	checkPageGolden(t, "inspector", r.body)

	english := e.signedInAs("inspector")
	english.get("/lang?to=en&back=/inspector")
	if en := string(english.get("/inspector").body); !strings.Contains(en, "Take a photo") || !strings.Contains(en, "Verify and check tasks") ||
		!strings.Contains(en, `lang="en"`) || regexp.MustCompile(`\[[a-z_.]+\]`).MatchString(en) {
		t.Errorf("the English patrol page is not in English:\n%s", en)
	}
	if home := insp.get("/"); !strings.Contains(string(home.body), `<a class="button" href="/inspector">`) {
		t.Errorf("the inspector's home does not link to the patrol page")
	}
	for _, who := range []string{"citizen", "operator"} {
		if r := e.signedInAs(who).get("/inspector"); r.status != http.StatusForbidden {
			t.Errorf("%s GET /inspector: %d, want 403", who, r.status)
		}
	}
	if r := e.newBrowserClient().get("/inspector"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("anonymous GET /inspector: %d to %q, want the sign-in page", r.status, r.header.Get("Location"))
	}
}

// TestUIInspectorTasks does a verify and a check from the patrol page,
// with a photo; a fail without a note comes back with the problem on the
// task.
func TestUIInspectorTasks(t *testing.T) {
	e := newEnv(t)
	verify, check := e.inspectorTasks()
	insp := e.signedInAs("inspector")

	r := insp.postMultipart("/inspector/tasks/"+itoa(check.ID), url.Values{"action": {"check_fail"}, "version": {itoa(int64(check.Version))}}, "")
	if r.status != http.StatusUnprocessableEntity && r.status != http.StatusBadRequest {
		t.Fatalf("check_fail without a note: %d, want a refusal\n%s", r.status, r.body)
	}
	if !strings.Contains(string(r.body), `<p class="err" role="alert">`) || !strings.Contains(string(r.body), `id="task-form-`+itoa(check.ID)) {
		t.Errorf("the refusal is not shown on the task:\n%s", r.body)
	}

	r = insp.postMultipart("/inspector/tasks/"+itoa(verify.ID), url.Values{"action": {"verify_pass"}, "version": {itoa(int64(verify.Version))},
		"note": {"现场属实"}}, "../testdata/photos/no_exif.jpg")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/inspector?done=verify_pass&n="+verify.Number+"#tasks" {
		t.Fatalf("verify_pass: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	r = insp.postMultipart("/inspector/tasks/"+itoa(check.ID), url.Values{"action": {"check_pass"}, "version": {itoa(int64(check.Version))}},
		"../testdata/photos/photo.png")
	if r.status != http.StatusSeeOther {
		t.Fatalf("check_pass: %d\n%s", r.status, r.body)
	}
	for _, c := range []caseOut{verify, check} {
		got := decodeBody[struct {
			Status string `json:"status"`
			Events []struct {
				Action string   `json:"action"`
				Photos []string `json:"photos"`
			} `json:"events"`
		}](t, e.do("GET", "/api/v1/cases/"+itoa(c.ID), "admin", nil))
		last := got.Events[len(got.Events)-1]
		if len(last.Photos) != 1 {
			t.Errorf("case %s: last event %+v, want its photo", c.Number, last)
		}
	}
	page := insp.get("/inspector?done=check_pass&n=" + check.Number)
	if !strings.Contains(string(page.body), "暂无核实、核查任务") || !strings.Contains(string(page.body), `class="notice"`) {
		t.Errorf("after both tasks the page still lists tasks or says nothing:\n%s", page.body)
	}
	// Only the task actions are taken here.
	r = insp.postMultipart("/inspector/tasks/"+itoa(verify.ID), url.Values{"action": {"close"}}, "")
	if r.status != http.StatusBadRequest {
		t.Errorf("another action: %d, want 400", r.status)
	}
}

// TestServiceWorker: /sw.js names the page's hashed assets, is not kept
// by the HTTP cache, and may control /inspector.
func TestServiceWorker(t *testing.T) {
	e := newEnv(t)
	r := e.newBrowserClient().get("/sw.js")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") ||
		r.header.Get("Cache-Control") != "no-cache" || r.header.Get("Service-Worker-Allowed") != "/inspector" {
		t.Fatalf("GET /sw.js: %d %v", r.status, r.header)
	}
	for _, re := range []string{`/static/inspector\.[0-9a-f]{8}\.js`, `/static/inspector\.[0-9a-f]{8}\.css`, `/static/app\.[0-9a-f]{8}\.css`, `civicgrid-inspector-[0-9a-f]{12}`} {
		if !regexp.MustCompile(re).Match(r.body) {
			t.Errorf("sw.js lacks %s", re)
		}
	}
	if strings.Contains(string(r.body), "%s") {
		t.Errorf("sw.js has an unfilled placeholder")
	}
}

// TestUIRating: the citizen rates a closed case from its page and from the
// follow page; each refusal is shown; staff see the ratings.
func TestUIRating(t *testing.T) {
	e := newEnv(t)
	c := e.closedCitizenCase()
	open := e.citizenReport()
	citizen := e.signedInAs("citizen")
	casePath := "/cases/" + itoa(c.ID)

	r := citizen.get(casePath)
	if !strings.Contains(string(r.body), `<form method="post" action="/cases/`+itoa(c.ID)+`/rate"`) {
		t.Fatalf("the closed case's page has no rating form:\n%s", r.body)
	}
	form := string(r.body)
	form = form[strings.Index(form, `<section class="rating"`):]
	form = form[:strings.Index(form, "</section>")+len("</section>")]
	checkPageGolden(t, "rating_form", []byte(form))
	if r := citizen.get("/cases/" + itoa(open)); !strings.Contains(string(r.body), "案卷结案后可以评价处理结果") {
		t.Errorf("an open case's page does not say when it may be rated")
	}

	e.runPages(t, []pageScenario{
		{name: "no score", as: "citizen", method: "POST", path: casePath + "/rate", form: url.Values{"back": {"case"}},
			wantStatus: http.StatusBadRequest, wantContains: []string{`<p class="err" role="alert">`, "must be 1 to 5"}},
		{name: "not closed", as: "citizen", method: "POST", path: "/cases/" + itoa(open) + "/rate", form: url.Values{"score": {"5"}},
			wantStatus: http.StatusConflict, wantContains: []string{"is not closed yet"}},
		{name: "not the reporter", as: "citizen2", method: "POST", path: casePath + "/rate",
			form: url.Values{"score": {"5"}, "back": {"follow"}}, wantStatus: http.StatusForbidden, wantContains: []string{"only a reporter"}},
		{name: "rated", as: "citizen", method: "POST", path: casePath + "/rate", form: url.Values{"score": {"4"}, "remark": {"处理及时"}, "back": {"follow"}},
			wantStatus: http.StatusSeeOther, wantLocation: "/follow?number=" + c.Number + "#rating"},
		{name: "the follow page shows it", as: "citizen", path: "/follow?number=" + c.Number, wantStatus: http.StatusOK,
			wantContains: []string{"您的评价", "★★★★☆", "处理及时", "满意度评价"}, wantMissing: []string{`action="/cases/` + itoa(c.ID) + `/rate"`}},
		{name: "rated already", as: "citizen", method: "POST", path: casePath + "/rate", form: url.Values{"score": {"1"}, "back": {"case"}},
			wantStatus: http.StatusConflict, wantContains: []string{"rated case " + c.Number + " already"}},
		{name: "anyone following sees no remark", path: "/follow?number=" + c.Number, wantStatus: http.StatusOK,
			wantContains: []string{"满意度评价"}, wantMissing: []string{"处理及时", "您的评价"}},
		{name: "staff see the rating", as: "operator", path: casePath, wantStatus: http.StatusOK,
			wantContains: []string{"回访 1 次，平均 4.0 分，满意 1 次", "处理及时"}},
	})
}

// TestAPIRating: POST /api/v1/cases/{id}/rating and its refusals; the
// counts reach GET /api/v1/stats.
func TestAPIRating(t *testing.T) {
	e := newEnv(t)
	c := e.closedCitizenCase()
	open := e.citizenReport()
	path := "/api/v1/cases/" + itoa(c.ID) + "/rating"
	e.run(t, []scenario{
		{name: "operator", method: "POST", path: path, actor: "operator", body: map[string]any{"score": 5}, wantStatus: http.StatusForbidden},
		{name: "another citizen", method: "POST", path: path, actor: "citizen2", body: map[string]any{"score": 5}, wantStatus: http.StatusForbidden},
		{name: "not closed", method: "POST", path: "/api/v1/cases/" + itoa(open) + "/rating", actor: "citizen", body: map[string]any{"score": 5}, wantStatus: http.StatusConflict},
		{name: "bad score", method: "POST", path: path, actor: "citizen", body: map[string]any{"score": 9}, wantStatus: http.StatusBadRequest},
		{name: "unknown field", method: "POST", path: path, actor: "citizen", body: map[string]any{"score": 3, "stars": 3}, wantStatus: http.StatusBadRequest},
		{name: "rated", method: "POST", path: path, actor: "citizen", body: map[string]any{"score": 3, "remark": "一般"}, wantStatus: http.StatusCreated},
		{name: "rated already", method: "POST", path: path, actor: "citizen", body: map[string]any{"score": 5}, wantStatus: http.StatusConflict},
	})
	stats := decodeBody[struct {
		Rows []struct {
			Counts map[string]int64    `json:"counts"`
			Rates  map[string]*float64 `json:"rates"`
		} `json:"rows"`
	}](t, e.do("GET", "/api/v1/stats?from=2026-03-01&to=2026-04-01&metrics=rated,satisfied,rate_satisfied", "admin", nil))
	if len(stats.Rows) != 1 || stats.Rows[0].Counts["rated"] != 1 || stats.Rows[0].Counts["satisfied"] != 0 ||
		stats.Rows[0].Rates["rate_satisfied"] == nil || *stats.Rows[0].Rates["rate_satisfied"] != 0 {
		t.Errorf("stats %+v, want rated 1, satisfied 0, rate 0", stats.Rows)
	}
}

// TestInspectorReportResend sends a report the way the patrol page's
// outbox does (multipart, with the photo, an Idempotency-Key and the same
// key as external id) three times: again with the same key after the
// answer was lost (a new multipart boundary, as a reloaded page makes),
// and with a new key, as after the server forgot the first. One case, one
// report, one photo.
func TestInspectorReportResend(t *testing.T) {
	e := newEnv(t)
	lat, lon := cellCenter(1)
	photo, err := os.ReadFile("../testdata/photos/no_exif.jpg")
	if err != nil {
		t.Fatal(err)
	}
	const key = "insp-00112233445566778899aabbccddeeff"
	report := `{"category_code":"` + catGarbage + `","lat":` + coord(lat) + `,"lon":` + coord(lon) +
		`,"description":"离线上报","source":"inspector","intake":{"device_time":"2026-03-10T08:40:00+08:00","external_id":"` + key + `"}}`
	send := func(idem string) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if err := mw.WriteField("report", report); err != nil {
			t.Fatal(err)
		}
		fw, err := mw.CreateFormFile("photo", "photo.jpg")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(photo)
		mw.Close()
		return e.do("POST", "/api/v1/cases", "inspector", body.Bytes(), "Content-Type", mw.FormDataContentType(), "Idempotency-Key", idem)
	}
	before := e.caseCount()
	first := send(key)
	if first.status != http.StatusCreated {
		t.Fatalf("first sending: %d %s", first.status, first.body)
	}
	c := decodeBody[intakeOut](t, first)
	again := send(key)
	if again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.body, first.body) {
		t.Errorf("the same key again: %d replayed %q", again.status, again.header.Get("Idempotent-Replayed"))
	}
	late := send("insp-another-key")
	got := decodeBody[intakeOut](t, late)
	if late.status != http.StatusOK || !got.Repeated || got.ID != c.ID {
		t.Errorf("a new key: %d %+v, want the first case, repeated", late.status, got)
	}
	if n := e.caseCount(); n != before+1 {
		t.Errorf("%d cases, want %d", n, before+1)
	}
	show := decodeBody[intakeOut](t, e.do("GET", "/api/v1/cases/"+itoa(c.ID), "admin", nil))
	if show.Reports != 1 || len(show.Photos) != 1 {
		t.Errorf("the case has %d reports and photos %v, want one of each", show.Reports, show.Photos)
	}
}
