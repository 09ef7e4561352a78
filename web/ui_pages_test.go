package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestUIPagesGolden renders the main pages for the fixture city and
// compares them with testdata/ui_*.golden.
func TestUIPagesGolden(t *testing.T) {
	e := newEnv(t)
	c := e.report("inspector", catGarbage, 0)
	filed := e.report("inspector", catManhole, 1)
	if r := e.act("operator", filed.ID, filed.Version, "file", nil); r.status != http.StatusOK {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	anon := e.newBrowserClient()
	operator := e.signedInAs("operator")
	dispatcher := e.signedInAs("dispatcher")
	citizen := e.signedInAs("citizen")
	english := e.signedInAs("sanitation")
	english.get("/lang?to=en&back=/")
	for _, tc := range []struct {
		name   string
		b      *browserClient
		path   string
		status int
	}{
		{"landing", anon, "/", http.StatusOK},
		{"login", anon, "/login", http.StatusOK},
		{"follow", anon, "/follow?number=" + c.Number, http.StatusOK},
		{"not_found", operator, "/no/such/page", http.StatusNotFound},
		{"home_operator", operator, "/", http.StatusOK},
		{"cases_operator", operator, "/cases?district=330102&street=330102001", http.StatusOK},
		{"case_operator", operator, "/cases/" + itoa(c.ID), http.StatusOK},
		{"case_dispatcher", dispatcher, "/cases/" + itoa(filed.ID), http.StatusOK},
		{"report_citizen", citizen, "/report?lat=30.25045&lon=120.15052", http.StatusOK},
		{"password_en", english, "/password", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.get(tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s: %d, want %d\n%s", tc.path, r.status, tc.status, r.body)
			}
			if m := regexp.MustCompile(`\[[a-z_.]+\]`).Find(r.body); m != nil {
				t.Errorf("the page shows the catalogue key %s", m)
			}
			checkPageGolden(t, tc.name, r.body)
		})
	}
}

// TestUIRolePages checks what each role sees and may do.
func TestUIRolePages(t *testing.T) {
	e := newEnv(t)
	c := e.report("inspector", catGarbage, 0)
	id := "/cases/" + itoa(c.ID)
	mine := e.citizenReport()
	e.runPages(t, []pageScenario{
		{name: "operator: queue has the new case", as: "operator", path: "/", wantStatus: http.StatusOK,
			wantContains: []string{"等我处理", c.Number, "可办理: 发核实 / 立案", "light green"}},
		{name: "operator: verify and file forms", as: "operator", path: id, wantStatus: http.StatusOK,
			wantContains: []string{`id="act-verify_request"`, `id="act-file"`, `name="inspector_id"`, "本网格监督员: inspector"},
			wantMissing:  []string{`id="act-dispatch"`}},
		{name: "shift leader: file, and cancel aside", as: "shift_leader", path: id, wantStatus: http.StatusOK,
			wantContains: []string{`id="act-file"`, `<details class="side">`, `id="act-cancel"`}},
		{name: "dispatcher: nothing to do on a reported case", as: "dispatcher", path: id, wantStatus: http.StatusOK,
			wantContains: []string{"您现在不能对此案卷进行操作"}, wantMissing: []string{`<form method="post" action="/cases/`}},
		{name: "dispatcher: empty queue", as: "dispatcher", path: "/", wantStatus: http.StatusOK, wantContains: []string{"暂无待办"}},
		{name: "unit: cannot see an undispatched case", as: "sanitation", path: id, wantStatus: http.StatusNotFound,
			wantContains: []string{"未找到"}},
		{name: "leader: overdue list", as: "leader", path: "/", wantStatus: http.StatusOK, wantContains: []string{"超时案卷", "没有超时案卷"}},
		{name: "citizen: another's case is not found", as: "citizen2", path: "/cases/" + itoa(mine), wantStatus: http.StatusNotFound},
		{name: "citizen: own reports at home", as: "citizen", path: "/", wantStatus: http.StatusOK,
			wantContains: []string{"我的上报", "/cases/" + itoa(mine)}, wantMissing: []string{c.Number}},
		{name: "citizen: own case, no actions, no staff names", as: "citizen", path: "/cases/" + itoa(mine), wantStatus: http.StatusOK,
			wantContains: []string{"您现在不能对此案卷进行操作", "人行道上有碎玻璃"}, wantMissing: []string{`href="/cases">`}},
		{name: "citizen: no case list in the menu", as: "citizen", path: "/report", wantStatus: http.StatusOK,
			wantMissing: []string{`<a href="/cases"`, `name="source"`}},
		{name: "operator: report form has channels", as: "operator", path: "/report", wantStatus: http.StatusOK,
			wantContains: []string{`name="source"`, `<option value="hotline" selected>`}},
		{name: "case list filtered", as: "operator", path: "/cases?status=reported&district=330102", wantStatus: http.StatusOK,
			wantContains: []string{c.Number, "共 2 件"}},
		{name: "case list, bad filter", as: "operator", path: "/cases?category=XX99", wantStatus: http.StatusUnprocessableEntity,
			wantContains: []string{"无法按所填内容办理"}},
		{name: "case list, page beyond the end", as: "operator", path: "/cases?page=9", wantStatus: http.StatusOK,
			wantContains: []string{"没有符合条件的案卷", `rel="prev"`}},
		{name: "no such case", as: "operator", path: "/cases/999999", wantStatus: http.StatusNotFound},
		{name: "a forged notice is not shown", as: "operator", path: "/?done=file&n=" + url.QueryEscape("您的账号已冻结"), wantStatus: http.StatusOK,
			wantMissing: []string{"账号已冻结", "已完成"}},
		{name: "follow: unknown number", path: "/follow?number=2026-999999", wantStatus: http.StatusNotFound,
			wantContains: []string{"未找到此编号的公开案卷", `value="2026-999999"`}},
		{name: "follow: anyone", path: "/follow?number=" + c.Number, wantStatus: http.StatusOK,
			wantContains: []string{c.Number, "待受理"}, wantMissing: []string{"inspector ·"}},
	})
}

// citizenReport has the fixture's citizen report a problem through the
// page and returns the case id.
func (e *env) citizenReport() int64 {
	e.tb.Helper()
	lat, lon := cellCenter(2)
	b := e.signedInAs("citizen")
	r := b.postMultipart("/report", url.Values{"category_code": {catGarbage}, "lat": {coord(lat)}, "lon": {coord(lon)},
		"description": {"人行道上有碎玻璃"}}, "")
	loc := r.header.Get("Location")
	m := regexp.MustCompile(`^/cases/(\d+)\?done=report&n=\d{4}-\d{6}$`).FindStringSubmatch(loc)
	if r.status != http.StatusSeeOther || m == nil {
		e.tb.Fatalf("report: %d to %q\n%s", r.status, loc, r.body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

// TestUIForms checks that a refused form comes back with the problem and
// the values sent, and that accepted ones move the case on.
func TestUIForms(t *testing.T) {
	e := newEnv(t)
	c := e.report("inspector", catGarbage, 0)
	id := "/cases/" + itoa(c.ID)
	op := e.signedInAs("operator")

	// A stale version: someone acted first. The page comes back with the
	// problem, the current version and the note kept.
	r := op.post(id+"/act", url.Values{"action": {"verify_request"}, "version": {"7"}, "note": {"请尽快核实"}})
	body := string(r.body)
	if r.status != http.StatusConflict || !strings.Contains(body, "此操作现在不能执行") || !strings.Contains(body, "请尽快核实") ||
		!strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, `class="err" role="alert"`) {
		t.Fatalf("stale version: %d\n%s", r.status, body)
	}
	r = op.post(id+"/act", url.Values{"action": {"file"}, "version": {"1"}, "note": {"属实"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != id+"?done=file&n="+c.Number {
		t.Fatalf("file: %d to %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	if r := op.get(r.header.Get("Location")); !strings.Contains(string(r.body), "已完成：立案（案卷 "+c.Number+"）") {
		t.Errorf("no notice after filing:\n%s", r.body)
	}
	// Filing again is an action no longer possible.
	r = op.post(id+"/act", url.Values{"action": {"file"}, "version": {"2"}})
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "此操作现在不能执行") {
		t.Errorf("file twice: %d\n%s", r.status, r.body)
	}

	disp := e.signedInAs("dispatcher")
	r = disp.post(id+"/act", url.Values{"action": {"suspend"}, "version": {"2"}})
	if body := string(r.body); r.status != http.StatusBadRequest || !strings.Contains(body, "请填写理由或结果") || !strings.Contains(body, `<details class="side" open>`) {
		t.Errorf("suspend without a reason: %d\n%s", r.status, body)
	}
	r = disp.post(id+"/act", url.Values{"action": {"dispatch"}, "version": {"2"}, "unit_id": {itoa(int64(e.units[unitMunic].ID))}, "note": {"转市政"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("dispatch to a chosen unit: %d\n%s", r.status, r.body)
	}
	// The unit chosen, not the routed one, has it now.
	if r := e.signedInAs("street_office").get(id); r.status != http.StatusNotFound {
		t.Errorf("another unit sees the case: %d", r.status)
	}
	e.setPassword("sanitation", uiPassword)
	unit := e.newBrowserClient()
	unit.post("/login", url.Values{"name": {"sanitation"}, "password": {uiPassword}})
	if r := unit.get(id); r.status != http.StatusNotFound {
		t.Errorf("the routed unit sees a case dispatched elsewhere: %d", r.status)
	}
	if got := e.caseStatus(c.ID); got != "dispatched" {
		t.Errorf("status %s, want dispatched", got)
	}
}

func TestUIReportForm(t *testing.T) {
	e := newEnv(t)
	b := e.signedInAs("citizen")
	lat, lon := cellCenter(1)
	for _, tc := range []struct {
		name       string
		form       url.Values
		wantStatus int
		want       []string
	}{
		{"nothing", url.Values{}, http.StatusBadRequest, []string{"请检查填写的内容", `aria-describedby="category-err"`, `aria-describedby="description-err"`, `aria-describedby="lat-err"`}},
		{"outside the grid, values kept", url.Values{"category_code": {catGarbage}, "lat": {"31.5"}, "lon": {"121.5"}, "description": {"井盖松动"}},
			http.StatusUnprocessableEntity, []string{"该位置不在管辖网格内", `value="31.5"`, ">井盖松动</textarea>", `<option value="SJ0102" selected>`}},
		{"not a number", url.Values{"category_code": {catGarbage}, "lat": {"north"}, "lon": {coord(lon)}, "description": {"x"}},
			http.StatusBadRequest, []string{"须为数字", `value="north"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.postMultipart("/report", tc.form, "")
			if r.status != tc.wantStatus {
				t.Errorf("status %d, want %d\n%s", r.status, tc.wantStatus, r.body)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("the page lacks %q\n%s", w, r.body)
				}
			}
		})
	}
	r := b.postMultipart("/report", url.Values{"category_code": {catGarbage}, "lat": {coord(lat)}, "lon": {coord(lon)},
		"description": {"垃圾桶满了"}, "address": {"湖滨路 1 号"}}, "../testdata/photos/no_exif.jpg")
	if r.status != http.StatusSeeOther {
		t.Fatalf("report with a photo: %d\n%s", r.status, r.body)
	}
	page := b.get(strings.Split(r.header.Get("Location"), "?")[0])
	m := regexp.MustCompile(`src="(/photos/[0-9a-f]{64}/thumbnail)"`).FindSubmatch(page.body)
	if m == nil || !strings.Contains(string(page.body), "湖滨路 1 号") {
		t.Fatalf("the case page shows no photo or address:\n%s", page.body)
	}
	if r := b.get(string(m[1])); r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("thumbnail with a session: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if r := e.newBrowserClient().get(string(m[1])); r.status != http.StatusSeeOther {
		t.Errorf("thumbnail without a session: %d", r.status)
	}
	// A second report of the same problem nearby is folded into the case.
	r = b.postMultipart("/report", url.Values{"category_code": {catGarbage}, "lat": {coord(lat)}, "lon": {coord(lon)}, "description": {"还是满的"}}, "")
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "done=fold") {
		t.Errorf("a repeated report: %d to %q", r.status, r.header.Get("Location"))
	}
}

func TestUIStaticFiles(t *testing.T) {
	e := newEnv(t)
	page := e.newBrowserClient().get("/login")
	for _, name := range []string{"app.css", "app.js", "icon.svg"} {
		base, ext, _ := strings.Cut(name, ".")
		m := regexp.MustCompile(`/static/` + base + `\.[0-9a-f]{8}\.` + ext).Find(page.body)
		if m == nil {
			t.Fatalf("the page does not link %s:\n%s", name, page.body)
		}
		r := e.newBrowserClient().get(string(m))
		if r.status != http.StatusOK || r.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.header.Get("ETag") == "" {
			t.Errorf("%s: %d %v", m, r.status, r.header)
		}
	}
	if r := e.newBrowserClient().get("/static/app.00000000.css"); r.status != http.StatusNotFound {
		t.Errorf("an unknown static file: %d", r.status)
	}
	h := page.header
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("page headers %v", h)
	}
}
