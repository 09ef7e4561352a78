package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"civicgrid"
)

// countUsers returns how many users the store holds.
func (e *env) countUsers(t *testing.T) int {
	t.Helper()
	var n int
	err := e.db.View(t.Context(), func(tx civicgrid.Tx) error {
		users, err := tx.FindUsers(t.Context(), civicgrid.UserFilter{})
		n = len(users)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAdminUserForms creates, edits, deactivates, reactivates a user and
// resets a password through the pages; every bad input re-shows the form
// with the values sent and changes nothing.
func TestAdminUserForms(t *testing.T) {
	e := newEnv(t)
	users := e.countUsers(t)
	good := url.Values{"name": {"wang.wu"}, "display_name": {"王五"}, "role": {"unit_handler"}, "unit": {unitSanit},
		"area_code": {"330102"}, "phone": {"13900001111"}, "password": {"first-pass-1"}, "password_again": {"first-pass-1"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	e.runPages(t, []pageScenario{
		{name: "bad login name", as: "admin", method: "POST", path: "/admin/users", form: with("name", "x"),
			wantStatus: http.StatusBadRequest, wantContains: []string{`value="x"`, "2–64 个字母", `value="13900001111"`, `aria-invalid="true"`}},
		{name: "unit handler without unit", as: "admin", method: "POST", path: "/admin/users", form: with("unit", ""),
			wantStatus: http.StatusBadRequest, wantContains: []string{"处置单位角色必须选择单位", `value="wang.wu"`}},
		{name: "bad area", as: "admin", method: "POST", path: "/admin/users", form: with("area_code", "33"),
			wantStatus: http.StatusBadRequest, wantContains: []string{"须为 6、9 或 12 位区域代码", `value="33"`}},
		{name: "short password", as: "admin", method: "POST", path: "/admin/users", form: with("password", "short"),
			wantStatus: http.StatusBadRequest, wantContains: []string{"两次输入不一致"}},
		{name: "taken name", as: "admin", method: "POST", path: "/admin/users", form: with("name", "operator"),
			wantStatus: http.StatusConflict, wantContains: []string{"该用户名已被使用"}},
		{name: "unknown role", as: "admin", method: "POST", path: "/admin/users", form: with("role", "king"),
			wantStatus: http.StatusBadRequest, wantContains: []string{"请选择角色"}},
	})
	if n := e.countUsers(t); n != users {
		t.Fatalf("refused forms changed the users: %d, want %d", n, users)
	}
	admin := e.signedInAs("admin")
	r := admin.post("/admin/users", good)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/users?done=user_created&q=wang.wu" {
		t.Fatalf("create: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	page := admin.get(r.header.Get("Location"))
	wantBody(t, page, "账号已创建", "wang.wu", "王五", "区环卫处")
	u := e.findUser(t, "wang.wu")
	if u == nil || u.Role != civicgrid.RoleUnit || u.UnitID != e.units[unitSanit].ID || u.AreaCode != "330102" || !u.Active {
		t.Fatalf("created %+v", u)
	}
	path := fmt.Sprintf("/admin/users/%d", u.ID)

	// The new user signs in; then the admin edits, deactivates and resets.
	wang := e.newBrowserClient()
	if r := wang.post("/login", url.Values{"name": {"wang.wu"}, "password": {"first-pass-1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("the new user signs in: %d\n%s", r.status, r.body)
	}
	e.runPages(t, []pageScenario{
		{name: "edit: bad area", as: "admin", method: "POST", path: path,
			form:       url.Values{"display_name": {"王五五"}, "role": {"unit_handler"}, "unit": {unitSanit}, "area_code": {"1"}},
			wantStatus: http.StatusBadRequest, wantContains: []string{`value="王五五"`, `value="1"`, "须为 6、9 或 12 位区域代码"}},
		{name: "edit: unit handler without unit", as: "admin", method: "POST", path: path,
			form:       url.Values{"display_name": {"王五"}, "role": {"unit_handler"}, "unit": {""}},
			wantStatus: http.StatusBadRequest, wantContains: []string{"处置单位角色必须选择单位"}},
		{name: "reset: short", as: "admin", method: "POST", path: path + "/password",
			form: url.Values{"password": {"short"}, "password_again": {"short"}}, wantStatus: http.StatusBadRequest, wantContains: []string{"至少 8 个字符"}},
		{name: "reset: mismatch", as: "admin", method: "POST", path: path + "/password",
			form: url.Values{"password": {"second-pass-2"}, "password_again": {"other-pass"}}, wantStatus: http.StatusBadRequest, wantContains: []string{"两次输入不一致"}},
		{name: "deactivate yourself", as: "admin", method: "POST", path: fmt.Sprintf("/admin/users/%d/active", e.users["admin"].ID),
			form: url.Values{"active": {"0"}}, wantStatus: http.StatusConflict, wantContains: []string{"you may not deactivate yourself"}},
		{name: "demote yourself", as: "admin", method: "POST", path: fmt.Sprintf("/admin/users/%d", e.users["admin"].ID),
			form: url.Values{"role": {"leader"}}, wantStatus: http.StatusBadRequest, wantContains: []string{"不能取消自己的管理员角色"}},
		{name: "unknown user", as: "admin", method: "GET", path: "/admin/users/9999", wantStatus: http.StatusNotFound},
	})
	if got := e.findUser(t, "wang.wu"); *got != *u {
		t.Fatalf("refused forms changed the user:\n%+v\n%+v", got, u)
	}
	if got := e.findUser(t, "admin"); got.Role != civicgrid.RoleAdmin || !got.Active {
		t.Fatalf("the admin demoted or deactivated themselves: %+v", got)
	}

	r = admin.post(path, url.Values{"display_name": {"王五（市政）"}, "role": {"unit_handler"}, "unit": {unitMunic}, "area_code": {""}, "phone": {""}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != path+"?done=user_saved" {
		t.Fatalf("edit: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	wantBody(t, admin.get(path+"?done=user_saved"), "账号已保存", "王五（市政）", `<option value="shizheng" selected>`)
	if got := e.findUser(t, "wang.wu"); got.UnitID != e.units[unitMunic].ID || got.AreaCode != "" || got.DisplayName != "王五（市政）" {
		t.Fatalf("edited %+v", got)
	}

	// Deactivation ends the user's session and refuses their token.
	e.tokens["wang.wu"] = e.issueToken(t, u.ID)
	if r := wang.get("/password"); r.status != http.StatusOK {
		t.Fatalf("before deactivation the user's page: %d", r.status)
	}
	if r := admin.post(path+"/active", url.Values{"active": {"0"}}); r.status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", r.status, r.body)
	}
	wantBody(t, admin.get(path+"?done=user_deactivated"), "账号已停用", "重新启用")
	if r := wang.get("/password"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("the deactivated user's session: %d %q, want a redirect to sign in", r.status, r.header.Get("Location"))
	}
	if r := e.do("GET", "/api/v1/me", "wang.wu", nil); r.status != http.StatusUnauthorized {
		t.Errorf("the deactivated user's token: %d, want 401", r.status)
	}
	if r := e.newBrowserClient().post("/login", url.Values{"name": {"wang.wu"}, "password": {"first-pass-1"}}); r.status == http.StatusSeeOther {
		t.Error("a deactivated user signed in")
	}
	if r := admin.post(path+"/active", url.Values{"active": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d\n%s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/me", "wang.wu", nil); r.status != http.StatusOK {
		t.Errorf("the reactivated user's token: %d, want 200", r.status)
	}

	// A reset password signs in; the old one does not.
	if r := admin.post(path+"/password", url.Values{"password": {"second-pass-2"}, "password_again": {"second-pass-2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.status, r.body)
	}
	wantBody(t, admin.get(path+"?done=password_reset"), "密码已重置")
	if r := e.newBrowserClient().post("/login", url.Values{"name": {"wang.wu"}, "password": {"first-pass-1"}}); r.status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	if r := e.newBrowserClient().post("/login", url.Values{"name": {"wang.wu"}, "password": {"second-pass-2"}}); r.status != http.StatusSeeOther {
		t.Errorf("the new password: %d", r.status)
	}
}

// wantBody fails unless the page is 200 and shows every one of want.
func wantBody(t *testing.T, r response, want ...string) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	for _, w := range want {
		if !strings.Contains(string(r.body), w) {
			t.Errorf("the page does not show %q:\n%s", w, r.body)
		}
	}
}

// issueToken gives the user id an API token.
func (e *env) issueToken(t *testing.T, id civicgrid.UserID) string {
	t.Helper()
	token := fmt.Sprintf("test_admin_issued_%d", id)
	err := e.db.Update(t.Context(), func(tx civicgrid.Tx) error {
		return tx.CreateToken(t.Context(), &civicgrid.Token{UserID: id, Name: "test", Hash: civicgrid.HashToken(token), CreatedAt: e.clock.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestAdminUnitAndRoutingForms creates and edits a unit, adds and removes
// routing rules and tests routing through the pages.
func TestAdminUnitAndRoutingForms(t *testing.T) {
	e := newEnv(t)
	units, rules := len(e.city.City().Units), len(e.city.City().Routing)
	good := url.Values{"code": {"lvhua"}, "name_zh": {"区园林绿化处"}, "name_en": {"Parks"}, "kind": {"department"},
		"area_code": {"330102"}, "phone": {"0571-87000000"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	e.runPages(t, []pageScenario{
		{name: "bad code", as: "admin", method: "POST", path: "/admin/units", form: with("code", "园林 1"),
			wantStatus: http.StatusBadRequest, wantContains: []string{"1–32 个字母、数字、_ 或 -", `value="园林 1"`, `value="区园林绿化处"`}},
		{name: "no Chinese name", as: "admin", method: "POST", path: "/admin/units", form: with("name_zh", ""),
			wantStatus: http.StatusBadRequest, wantContains: []string{"必须填写中文名称", `value="Parks"`}},
		{name: "bad area", as: "admin", method: "POST", path: "/admin/units", form: with("area_code", "3301"),
			wantStatus: http.StatusBadRequest, wantContains: []string{"须为 6、9 或 12 位区域代码"}},
		{name: "taken code", as: "admin", method: "POST", path: "/admin/units", form: with("code", unitSanit),
			wantStatus: http.StatusConflict, wantContains: []string{"该单位代码已被使用"}},
		{name: "rule without unit", as: "admin", method: "POST", path: "/admin/routing",
			form: url.Values{"category_prefix": {"SJ02"}, "area_prefix": {""}, "unit_id": {""}}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`id="unitid-err"`, `value="SJ02"`}},
		{name: "rule with a bad area", as: "admin", method: "POST", path: "/admin/routing",
			form:       url.Values{"category_prefix": {"SJ02"}, "area_prefix": {"3301"}, "unit_id": {fmt.Sprint(e.units[unitSanit].ID)}},
			wantStatus: http.StatusBadRequest, wantContains: []string{"留空，或填写 6、9、12、15 位代码", `value="3301"`}},
		{name: "rule for an unknown unit", as: "admin", method: "POST", path: "/admin/routing",
			form:       url.Values{"category_prefix": {"SJ02"}, "unit_id": {"999"}},
			wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"没有这个单位"}},
		{name: "rule that exists", as: "admin", method: "POST", path: "/admin/routing",
			form:       url.Values{"category_prefix": {"SJ01"}, "area_prefix": {"330102001"}, "unit_id": {fmt.Sprint(e.units[unitMunic].ID)}},
			wantStatus: http.StatusConflict, wantContains: []string{"该类别和区域已有规则"}},
		{name: "remove an unknown rule", as: "admin", method: "POST", path: "/admin/routing/999/delete", wantStatus: http.StatusNotFound},
		{name: "routing test without a place", as: "admin", method: "GET", path: "/admin/routing?test_category=SJ0102",
			wantStatus: http.StatusOK, wantContains: []string{"请填写网格代码或经纬度"}},
		{name: "routing test outside the grid", as: "admin", method: "GET", path: "/admin/routing?test_category=SJ0102&test_lat=31&test_lon=121",
			wantStatus: http.StatusOK, wantContains: []string{"该位置不在管辖网格内"}},
		{name: "routing test falls to the catch-all", as: "admin", method: "GET", path: "/admin/routing?test_category=SJ0201&test_cell=" + cellA1 + "&x=1",
			wantStatus: http.StatusOK, wantContains: []string{"#3 全部类别"}},
	})
	if c := e.city.City(); len(c.Units) != units || len(c.Routing) != rules {
		t.Fatalf("refused forms changed units or rules: %d %d", len(c.Units), len(c.Routing))
	}

	admin := e.signedInAs("admin")
	r := admin.post("/admin/units", good)
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=unit_created") {
		t.Fatalf("create unit: %d %q\n%s", r.status, loc, r.body)
	}
	wantBody(t, admin.get(loc), "单位已创建", "区园林绿化处", "没有规则派往本单位")
	unitPath := strings.TrimSuffix(loc, "?done=unit_created")
	var parks *civicgrid.Unit
	for _, u := range e.city.City().Units {
		if u.Code == "lvhua" {
			parks = u
		}
	}
	if parks == nil || parks.Name.En != "Parks" || parks.AreaCode != "330102" || !parks.Active {
		t.Fatalf("created %+v", parks)
	}
	e.runPages(t, []pageScenario{
		{name: "edit: no Chinese name", as: "admin", method: "POST", path: unitPath, form: with("name_zh", ""),
			wantStatus: http.StatusBadRequest, wantContains: []string{"必须填写中文名称", `value="lvhua"`}},
		{name: "edit: taken code", as: "admin", method: "POST", path: unitPath, form: with("code", unitMunic),
			wantStatus: http.StatusConflict, wantContains: []string{"该单位代码已被使用"}},
	})
	edit := with("name_zh", "区园林局")
	edit.Set("active", "1")
	if r := admin.post(unitPath, edit); r.status != http.StatusSeeOther {
		t.Fatalf("edit unit: %d\n%s", r.status, r.body)
	}
	if u := e.city.City().Units[parks.ID]; u.Name.Zh != "区园林局" || u.Code != "lvhua" || !u.Active {
		t.Fatalf("edited %+v", u)
	}

	// A rule for the new unit wins over the catch-all, as the test box shows.
	r = admin.post("/admin/routing", url.Values{"category_prefix": {"SJ0106"}, "area_prefix": {"330102"}, "unit_id": {fmt.Sprint(parks.ID)}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/routing?done=rule_added" {
		t.Fatalf("add rule: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	wantBody(t, admin.get("/admin/routing?done=rule_added&test_category=SJ0106&test_cell="+cellC1),
		"派遣规则已添加", "派往：区园林局", `<li class="chosen">#4 绿地脏乱 <code>SJ0106</code>`)
	wantBody(t, admin.get(unitPath), "绿地脏乱")
	if unit, ok := civicgrid.Route(e.city.City().Routing, "SJ0106", cellC1); !ok || unit != parks.ID {
		t.Fatalf("routing after the rule: %d %v", unit, ok)
	}
	r = admin.post("/admin/routing/4/delete", url.Values{"back": {unitPath}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != unitPath+"?done=rule_removed" {
		t.Fatalf("remove rule: %d %q", r.status, r.header.Get("Location"))
	}
	if unit, _ := civicgrid.Route(e.city.City().Routing, "SJ0106", cellC1); unit != e.units[unitStreet].ID {
		t.Fatalf("routing after removal: %d", unit)
	}
}

// TestAdminTaxonomyForms switches the directory and imports a city's own
// file; a file with problems is listed line by line and changes nothing.
func TestAdminTaxonomyForms(t *testing.T) {
	e := newEnv(t)
	cats := len(e.city.City().Categories)
	admin := e.signedInAs("admin")
	header := "code,kind,class_code,class_name_zh,class_name_en,name_zh,name_en,filing_condition_zh,closing_condition_zh,handle_limit,urgent,public\n"
	bad := header +
		"SJ9901,event,SJ99,本市事项,City,共享单车乱停,Shared bikes,影响通行,已清理,4 working_hours,no,yes\n" +
		"SJ9902,thing,SJ99,本市事项,City,,No name,,,4 hours,maybe,yes\n" +
		"SJ9901,event,SJ99,本市事项,City,重复,Dup,,,,,\n"
	r := admin.postFile("/admin/taxonomy/import", nil, "city.csv", []byte(bad))
	if r.status != http.StatusBadRequest {
		t.Fatalf("a bad file: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"line 3", "kind: must be component or event", "line 4", "duplicate code SJ9901", `aria-invalid="true"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("the refused import does not show %q:\n%s", want, r.body)
		}
	}
	if strings.Index(string(r.body), "line 3") > strings.Index(string(r.body), "line 4") {
		t.Error("the problems are not in line order")
	}
	e.runPages(t, []pageScenario{
		{name: "no file", as: "admin", method: "POST", path: "/admin/taxonomy/import", wantStatus: http.StatusBadRequest, wantContains: []string{"请选择文件"}},
		{name: "unknown directory", as: "admin", method: "POST", path: "/admin/taxonomy/builtin", form: url.Values{"taxonomy": {"iso"}},
			wantStatus: http.StatusBadRequest, wantContains: []string{`id="tax-err">unknown taxonomy &#34;iso&#34;`}},
	})
	if n := len(e.city.City().Categories); n != cats {
		t.Fatalf("refused imports changed the categories: %d, want %d", n, cats)
	}
	good := header + "SJ9901,event,SJ99,本市事项,City,共享单车乱停,Shared bikes,影响通行,已清理,4 working_hours,no,yes\n"
	r = admin.postFile("/admin/taxonomy/import", nil, "city.csv", []byte(good))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/taxonomy?done=categories_imported" {
		t.Fatalf("a good file: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	wantBody(t, admin.get(r.header.Get("Location")), "类别已导入", "共享单车乱停", "处置 4 工作小时")
	r = admin.post("/admin/taxonomy/builtin", url.Values{"taxonomy": {"gbt47678"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("switch: %d\n%s", r.status, r.body)
	}
	wantBody(t, admin.get(r.header.Get("Location")), "已切换到所选分类目录", "GB/T 47678.5-2026 管理事项目录")
	if n := len(e.city.City().Categories); n <= cats+1 {
		t.Errorf("after switching, %d categories", n)
	}
	if e.city.City().Categories["SJ9901"] == nil {
		t.Error("switching directory dropped the city's own category")
	}
}

// TestAdminCalendarForms adds and removes a holiday and a workday and
// changes the working periods.
func TestAdminCalendarForms(t *testing.T) {
	e := newEnv(t)
	before := e.city.City().Calendar
	e.runPages(t, []pageScenario{
		{name: "bad date", as: "admin", method: "POST", path: "/admin/calendar/days",
			form: url.Values{"date": {"2026-02-30"}, "kind": {"holiday"}, "name_zh": {"校庆"}}, wantStatus: http.StatusBadRequest,
			wantContains: []string{"请填写日期", `value="2026-02-30"`, `value="校庆"`}},
		{name: "no name", as: "admin", method: "POST", path: "/admin/calendar/days",
			form: url.Values{"date": {"2026-05-20"}, "kind": {"holiday"}}, wantStatus: http.StatusBadRequest, wantContains: []string{`id="namezh-err"`}},
		{name: "bad kind", as: "admin", method: "POST", path: "/admin/calendar/days",
			form: url.Values{"date": {"2026-05-20"}, "kind": {"half"}, "name_zh": {"x"}}, wantStatus: http.StatusBadRequest, wantContains: []string{"须为法定节假日或调休上班"}},
		{name: "bad periods", as: "admin", method: "POST", path: "/admin/calendar/periods",
			form: url.Values{"periods": {"9:00-12:00"}}, wantStatus: http.StatusBadRequest, wantContains: []string{`value="9:00-12:00"`, `id="periods-err"`}},
		{name: "overlapping periods", as: "admin", method: "POST", path: "/admin/calendar/periods",
			form: url.Values{"periods": {"08:00-12:00 11:00-17:00"}}, wantStatus: http.StatusBadRequest, wantContains: []string{"overlaps"}},
		{name: "remove an ordinary day", as: "admin", method: "POST", path: "/admin/calendar/days/delete",
			form: url.Values{"date": {"2026-05-20"}}, wantStatus: http.StatusNotFound},
	})
	if e.city.City().Calendar != before {
		t.Fatal("refused forms changed the calendar")
	}
	admin := e.signedInAs("admin")
	wed := civicgrid.Date{Year: 2026, Month: 5, Day: 20}
	sat := civicgrid.Date{Year: 2026, Month: 5, Day: 23}
	for _, f := range []url.Values{
		{"date": {wed.String()}, "kind": {"holiday"}, "name_zh": {"校庆"}, "name_en": {"Founders' day"}},
		{"date": {sat.String()}, "kind": {"workday"}, "name_zh": {"校庆调休"}},
	} {
		r := admin.post("/admin/calendar/days", f)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/calendar?year=2026&done=day_saved" {
			t.Fatalf("add day: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
		}
	}
	wantBody(t, admin.get("/admin/calendar?year=2026&done=day_saved"), "日期已保存", `<td class="day holiday" title="校庆"><time datetime="2026-05-20">20</time>`,
		`<td class="day workday" title="校庆调休">`)
	cal := e.city.City().Calendar
	if cal.IsWorkday(wed) || !cal.IsWorkday(sat) {
		t.Fatalf("after adding: Wednesday works %v, Saturday works %v", cal.IsWorkday(wed), cal.IsWorkday(sat))
	}
	if r := admin.post("/admin/calendar/days/delete", url.Values{"date": {wed.String()}}); r.status != http.StatusSeeOther {
		t.Fatalf("remove day: %d\n%s", r.status, r.body)
	}
	if !e.city.City().Calendar.IsWorkday(wed) {
		t.Error("the removed holiday is still off")
	}
	if r := admin.post("/admin/calendar/periods", url.Values{"periods": {"09:00-12:00, 13:30-18:00"}}); r.status != http.StatusSeeOther {
		t.Fatalf("periods: %d\n%s", r.status, r.body)
	}
	if m := e.city.City().Calendar.MinutesPerWorkday(); m != 450 {
		t.Errorf("after new periods a working day has %d minutes, want 450", m)
	}
	wantBody(t, admin.get("/admin/calendar?done=periods_saved"), "工作时段已保存", `value="09:00-12:00 13:30-18:00"`)
}

// TestAdminAPIKeyForms issues a key, which is shown once, and revokes it.
func TestAdminAPIKeyForms(t *testing.T) {
	e := newEnv(t)
	admin := e.signedInAs("admin")
	e.runPages(t, []pageScenario{
		{name: "no name", as: "admin", method: "POST", path: "/admin/apikeys", form: url.Values{"name": {"  "}},
			wantStatus: http.StatusBadRequest, wantContains: []string{"1–64 个字符"}, wantMissing: []string{"ak_"}},
		{name: "revoke an unknown key", as: "admin", method: "POST", path: "/admin/apikeys/99/revoke", wantStatus: http.StatusNotFound},
	})
	r := admin.post("/admin/apikeys", url.Values{"name": {"12345热线"}})
	if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: %d %q\n%s", r.status, r.header.Get("Cache-Control"), r.body)
	}
	key := regexpFind(t, `value="(ak_[A-Za-z0-9_-]+)"`, r.body)
	wantBody(t, r, "密钥已生成", "只显示这一次", "12345热线")
	list := admin.get("/admin/apikeys")
	if strings.Contains(string(list.body), key) {
		t.Error("the list shows the whole key again")
	}
	wantBody(t, list, key[:10]+"…")
	r = admin.post("/admin/apikeys", url.Values{"name": {"12345热线"}})
	if r.status != http.StatusConflict || !strings.Contains(string(r.body), "该应用已有密钥") {
		t.Errorf("a second key of the same name: %d", r.status)
	}
	e.tokens["hotline-key"] = key
	if r := e.do("GET", "/api/v1/me", "hotline-key", nil); r.status != http.StatusOK {
		t.Fatalf("the new key: %d %s", r.status, r.body)
	}
	if r := admin.post("/admin/apikeys/1/revoke", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/apikeys?done=key_revoked" {
		t.Fatalf("revoke: %d %q", r.status, r.header.Get("Location"))
	}
	wantBody(t, admin.get("/admin/apikeys?done=key_revoked"), "密钥已吊销", "已吊销 2026-03-10 09:00")
	if r := e.do("GET", "/api/v1/me", "hotline-key", nil); r.status != http.StatusUnauthorized {
		t.Errorf("the revoked key: %d, want 401", r.status)
	}
}

// regexpFind returns the first group of pattern in body.
func regexpFind(t *testing.T, pattern string, body []byte) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in:\n%s", pattern, body)
	}
	return string(m[1])
}
