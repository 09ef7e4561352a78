package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBrowserAdmin signs in as the administrator in a real Chromium,
// creates a user, a unit and a routing rule through the admin pages,
// checks the rule with the routing test, and imports a grid, watching the
// page's progress bar until the import is done. Each page is saved as a
// screenshot.
func TestBrowserAdmin(t *testing.T) {
	b := startBrowser(t)
	e := newEnv(t)
	const pw = "admin-browser-pass"
	e.setPassword("admin", pw)
	base := e.srv.URL

	b.open(base + "/login")
	b.fill("#name", "admin")
	b.fill("#password", pw)
	b.submit("form.stack button.primary")
	b.submit(`.menu a[href="/admin"]`)
	b.wantText("系统管理", "用户", "10 个账号", "网格导入")
	b.screenshot("admin-overview")

	// A user: a bad login name is refused with the input kept, then fixed.
	b.submit(`.admincards a[href="/admin/users"]`)
	b.fill("#name", "x")
	b.fill("#display_name", "赵六")
	b.choose("#role", "unit_handler")
	b.choose("#unit", unitSanit)
	b.fill("#password", "zhao-liu-pass")
	b.fill("#password_again", "zhao-liu-pass")
	b.submit("#user-form button.primary")
	b.wantText("2–64 个字母、数字或 _ . - @")
	if v := b.eval(`document.getElementById("display_name").value`); v != "赵六" {
		t.Fatalf("the refused form kept the display name as %v", v)
	}
	b.screenshot("admin-user-refused")
	b.fill("#name", "zhao.liu")
	b.fill("#password", "zhao-liu-pass")
	b.fill("#password_again", "zhao-liu-pass")
	b.submit("#user-form button.primary")
	b.wantText("账号已创建", "zhao.liu", "赵六", "区环卫处")
	b.screenshot("admin-user-created")

	// A unit.
	b.open(base + "/admin/units")
	b.fill("#code", "lvhua")
	b.fill("#name_zh", "区园林绿化处")
	b.fill("#name_en", "Parks")
	b.choose("#kind", "department")
	b.fill("#area_code", "330102")
	b.fill("#phone", "0571-87000000")
	b.submit("#unit-form button.primary")
	b.wantText("单位已创建", "区园林绿化处", "没有规则派往本单位")
	b.screenshot("admin-unit-created")

	// A routing rule for it, then the routing test shows it winning.
	b.open(base + "/admin/routing")
	b.fill("#category_prefix", "SJ0106")
	b.fill("#area_prefix", "330102")
	b.eval(`(() => { const s = document.getElementById("unit_id");
		s.value = [...s.options].find(o => o.text.includes("区园林绿化处")).value; })()`)
	b.submit("#rule-form button.primary")
	b.wantText("派遣规则已添加", "绿地脏乱")
	b.choose("#test_category", "SJ0106")
	b.fill("#test_cell", cellC1)
	b.submit("#test-form button")
	b.wantText("派往：区园林绿化处", "生效")
	b.screenshot("admin-routing-test")

	// The other sections render.
	for _, p := range []string{"/admin/taxonomy", "/admin/calendar", "/admin/apikeys"} {
		b.open(base + p)
		b.screenshot("admin" + strings.ReplaceAll(p, "/", "-"))
	}

	// A grid import of 20,000 cells, followed on the job page: the bar
	// only moves forward and the page shows the result when done.
	file := filepath.Join(t.TempDir(), "district.geojson")
	if err := os.WriteFile(file, gridFile(t, newCellCodes(20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open(base + "/admin/grid")
	b.attach("#file", file)
	b.screenshot("admin-grid-upload")
	b.submit("#grid-form button.primary")
	var seen []float64
	deadline := time.Now().Add(60 * time.Second)
	for {
		v, _ := b.eval(`(() => { const bar = document.getElementById("job-bar");
			return bar ? [bar.value, document.getElementById("job-result") !== null] : [-1, false]; })()`).([]any)
		if len(v) == 2 {
			if pct, _ := v[0].(float64); pct >= 0 && (len(seen) == 0 || seen[len(seen)-1] != pct) {
				seen = append(seen, pct)
				if len(seen) == 2 {
					b.screenshot("admin-grid-progress")
				}
			}
			if done, _ := v[1].(bool); done {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import page did not finish; it showed %v", seen)
		}
		time.Sleep(50 * time.Millisecond) // the page's own script does the waiting; this only samples it
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("the progress bar went back: %v", seen)
		}
	}
	if seen[len(seen)-1] != 100 {
		t.Errorf("the bar ended at %v, want 100 (seen %v)", seen[len(seen)-1], seen)
	}
	t.Logf("progress bar values seen: %v", seen)
	b.wantText("导入完成", "单元网格 20000 个")
	b.screenshot("admin-grid-done")
	if n := e.city.City().Grid.Len(); n != len(cellCodes)+20000 {
		t.Errorf("after the import the grid has %d cells", n)
	}

	// On a phone the users list still works.
	b.viewport(390, 844, true)
	b.open(base + "/admin/users")
	b.wantText("zhao.liu")
	b.screenshot("admin-users-phone")
}
