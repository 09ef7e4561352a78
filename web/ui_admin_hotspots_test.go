package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"civicgrid"
)

// hotspotConfig reads the stored hotspot settings.
func (e *env) hotspotConfig(t *testing.T) civicgrid.HotspotConfig {
	t.Helper()
	var cfg civicgrid.HotspotConfig
	err := e.db.View(t.Context(), func(tx civicgrid.Tx) error {
		var err error
		cfg, err = civicgrid.LoadHotspotConfig(t.Context(), tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestAdminHotspotsPage: the settings page shows what is in use and what
// each setting means; a bad value comes back beside its field with what
// was typed and changes nothing; a good form is saved, shown, and used.
func TestAdminHotspotsPage(t *testing.T) {
	e := newEnv(t)
	e.runPages(t, []pageScenario{
		{name: "nobody", method: "GET", path: "/admin/hotspots", wantStatus: http.StatusSeeOther, wantLocation: "/login?next=%2Fadmin%2Fhotspots"},
		{name: "operator", as: "operator", method: "GET", path: "/admin/hotspots", wantStatus: http.StatusForbidden},
		{name: "operator posts", as: "operator", method: "POST", path: "/admin/hotspots", form: url.Values{"recurrence_days": {"3"}}, wantStatus: http.StatusForbidden},
		{name: "another site", as: "admin", method: "POST", path: "/admin/hotspots", form: url.Values{"recurrence_days": {"3"}},
			header: []string{"Sec-Fetch-Site", "cross-site"}, wantStatus: http.StatusForbidden},
		{name: "admin", as: "admin", method: "GET", path: "/admin/hotspots", wantStatus: http.StatusOK, wantContains: []string{
			"复发窗口（天）", `name="recurrence_days" value="30"`, `name="baseline_weeks" value="8"`, `name="min_count" value="5"`,
			`name="max_p" value="0.01"`, `name="zero_baseline" value="0.25"`, `name="component_min_cases" value="2"`, "默认值：30", "修改复发窗口只影响此后上报的案卷", "保存后立即生效",
			`href="/admin/hotspots" aria-current="page"`}},
		{name: "in the overview", as: "admin", method: "GET", path: "/admin", wantStatus: http.StatusOK,
			wantContains: []string{`href="/admin/hotspots"`, "复发窗口 30 天，基线 8 周"}},
		{name: "bad values", as: "admin", method: "POST", path: "/admin/hotspots",
			form:       url.Values{"recurrence_days": {"400"}, "baseline_weeks": {"2.5"}, "min_count": {"3"}, "max_p": {"abc"}, "zero_baseline": {""}},
			wantStatus: http.StatusBadRequest, wantContains: []string{
				`name="recurrence_days" value="400"`, `name="baseline_weeks" value="2.5"`, `name="min_count" value="3"`, `name="max_p" value="abc"`,
				`<p class="err" id="f-recurrence_days-err">须为 1 到 366 天。</p>`, `<p class="err" id="f-baseline_weeks-err">请填写整数。</p>`,
				`<p class="err" id="f-max_p-err">请填写数字，如 0.01。</p>`, `aria-invalid="true"`},
			wantMissing: []string{`id="f-min_count-err"`, `id="f-zero_baseline-err"`}},
		{name: "not a number", as: "admin", method: "POST", path: "/admin/hotspots", form: url.Values{"max_p": {"NaN"}, "zero_baseline": {"Inf"}},
			wantStatus: http.StatusBadRequest, wantContains: []string{`id="f-max_p-err">请填写数字`, `id="f-zero_baseline-err">请填写数字`}},
		{name: "a range only", as: "admin", method: "POST", path: "/admin/hotspots", form: url.Values{"max_p": {"1"}},
			wantStatus: http.StatusBadRequest, wantContains: []string{`<p class="err" id="f-max_p-err">须大于 0、小于 1，如 0.01。</p>`, `name="max_p" value="1"`}},
	})
	if got := e.hotspotConfig(t); got != civicgrid.DefaultHotspotConfig() {
		t.Fatalf("refused forms changed the settings: %+v", got)
	}

	admin := e.signedInAs("admin")
	r := admin.post("/admin/hotspots", url.Values{"recurrence_days": {" 21 "}, "baseline_weeks": {""}, "min_count": {"4"}, "max_p": {"0.02"}, "zero_baseline": {"0.5"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/hotspots?done=hotspots_saved" {
		t.Fatalf("save: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	// Every field of the struct is on the form; a blank one takes its default.
	want := civicgrid.DefaultHotspotConfig()
	want.RecurrenceDays, want.MinCount, want.MaxP, want.ZeroBaseline = 21, 4, 0.02, 0.5
	if got := e.hotspotConfig(t); got != want {
		t.Fatalf("saved %+v, want %+v", got, want)
	}
	page := admin.get(r.header.Get("Location"))
	wantBody(t, page, "热点参数已保存，立即生效。", `name="recurrence_days" value="21"`, `name="baseline_weeks" value="8"`, `name="max_p" value="0.02"`,
		`name="zero_baseline" value="0.5"`)
	checkAdminGolden(t, "admin_hotspots", page.body)
	if got := decodeBody[civicgrid.HotspotConfig](t, e.do("GET", "/api/v1/hotspots/config", "operator", nil)); got != want {
		t.Errorf("the API answers %+v, want %+v", got, want)
	}

	en := e.signedInAs("admin")
	en.get("/lang?to=en&back=/")
	wantBody(t, en.get("/admin/hotspots"), "Recurrence window (days)", "Default: 30", "marks later reports only", `value="21"`)
	if r := en.post("/admin/hotspots", url.Values{"recurrence_days": {"0.5"}}); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "A whole number.") {
		t.Errorf("English refusal: %d\n%s", r.status, r.body)
	}
}
