package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"civicgrid/web"
)

// TestAdminGridImport uploads a grid of 3,000 new cells and follows the
// background import to 100 %; then a broken file, which fails with its
// problems listed and changes nothing.
func TestAdminGridImport(t *testing.T) {
	e := newEnv(t)
	admin := e.signedInAs("admin")
	codes := newCellCodes(3000)
	job := admin.startGridImport(t, "district.geojson", gridFile(t, codes))
	seen := admin.waitGridImport(t, job)
	last := seen[len(seen)-1]
	if last.Step != "done" || last.Percent != 100 || last.Error != "" || last.Report == nil {
		t.Fatalf("the import ended as %+v", last)
	}
	if last.Parsed != 3000 || last.Validated != 3000 || last.Written != 3000 || last.Total != 3000 || last.BytesRead != last.Size {
		t.Errorf("the counts at the end: %+v", last)
	}
	if r := last.Report; r.Cells != 3000 || r.Streets != 1 || r.Communities != 4 || r.Redrawn != 0 {
		t.Errorf("report %+v", *r)
	}
	// Parsing reports every 64 KiB, validation every 1,000 features and
	// writing twice: the job moved through many versions.
	if last.Version < 10 {
		t.Errorf("the import reported %d changes; progress was not reported as it went", last.Version)
	}
	grid := e.city.City().Grid
	if grid.Len() != len(cellCodes)+3000 || grid.Cell(codes[2999]) == nil || grid.Area("330102003") == nil {
		t.Fatalf("after the import the grid has %d cells", grid.Len())
	}
	wantBody(t, admin.get("/admin/grid/"+job), "导入完成", "单元网格 3000 个", `value="100"`)
	wantBody(t, admin.get("/admin/grid"), "district.geojson", "已完成", "当前共 3004 个单元网格")

	// A file with a bad code and a repeated one.
	broken := gridFile(t, []string{"330102004001001", "33010200400100X", "330102004001003", "330102004001001"})
	job = admin.startGridImport(t, "broken.geojson", broken)
	seen = admin.waitGridImport(t, job)
	last = seen[len(seen)-1]
	if last.Step != "failed" || !last.Done || last.Report != nil || !strings.Contains(last.Error, "nothing was written") || len(last.Problems) < 2 {
		t.Fatalf("the broken import ended as %+v", last)
	}
	if g := e.city.City().Grid; g.Len() != grid.Len() || g.Cell("330102004001001") != nil {
		t.Fatalf("a refused import changed the grid: %d cells", g.Len())
	}
	page := admin.get("/admin/grid/" + job)
	wantBody(t, page, "导入被拒绝，现有网格未改变", "feature 1 (33010200400100X)", "repeats feature 0")

	// Not JSON at all: refused while parsing.
	job = admin.startGridImport(t, "notes.txt", []byte("code,name\n1,2\n"))
	seen = admin.waitGridImport(t, job)
	if last := seen[len(seen)-1]; last.Step != "failed" || last.Error == "" {
		t.Fatalf("a file that is not GeoJSON ended as %+v", last)
	}
	if r := admin.get("/admin/grid/nope"); r.status != http.StatusNotFound {
		t.Errorf("an unknown job: %d", r.status)
	}
	if r := e.signedInAs("operator").get("/admin/grid/" + job + "/progress"); r.status != http.StatusForbidden {
		t.Errorf("an operator follows an import: %d", r.status)
	}
}

// TestAdminGridUploadLimits refuses a missing file and one over the size
// limit, re-showing the form and starting nothing.
func TestAdminGridUploadLimits(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.MaxGridUpload = 4 << 10 })
	admin := e.signedInAs("admin")
	r := admin.postFile("/admin/grid", nil, "", nil)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `id="gridfile-err">请选择文件`) {
		t.Errorf("no file: %d\n%s", r.status, r.body)
	}
	big := gridFile(t, newCellCodes(100))
	if len(big) <= 4<<10 {
		t.Fatalf("the big file is only %d bytes", len(big))
	}
	r = admin.postFile("/admin/grid", nil, "big.geojson", big)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(string(r.body), "文件过大") ||
		!strings.Contains(string(r.body), "the file is larger than") {
		t.Errorf("a file over the limit: %d\n%s", r.status, r.body)
	}
	wantBody(t, admin.get("/admin/grid"), "本次启动以来还没有导入")
	if n := e.city.City().Grid.Len(); n != len(cellCodes) {
		t.Errorf("refused uploads changed the grid: %d cells", n)
	}
}

// TestAdminGridImportClose checks that Server.Close ends the imports: when
// it returns, an import started before is either done or cancelled with
// nothing written, and a new upload is refused.
func TestAdminGridImportClose(t *testing.T) {
	var cfg web.Config
	e := newEnv(t, func(c *web.Config) { cfg = *c })
	s := web.NewServer(cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e.srv = srv // the browser clients talk to the server under test
	admin := e.signedInAs("admin")
	before := e.city.City().Grid.Len()
	job := admin.startGridImport(t, "big.geojson", gridFile(t, newCellCodes(20000)))
	s.Close()
	r := admin.get("/admin/grid/" + job + "/progress")
	var p gridProgress
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("progress: %d %v\n%s", r.status, err, r.body)
	}
	switch {
	case !p.Done:
		t.Fatalf("Close returned while the import was still running: %+v", p)
	case p.Step == "failed":
		if !strings.Contains(p.Error, "cancelled") || e.city.City().Grid.Len() != before {
			t.Errorf("a cancelled import: %+v, %d cells", p, e.city.City().Grid.Len())
		}
	case e.city.City().Grid.Len() != before+20000:
		t.Errorf("a finished import left %d cells", e.city.City().Grid.Len())
	}
	t.Logf("the import ended as %s at %d%%", p.Step, p.Percent)
	if r := admin.postFile("/admin/grid", nil, "more.geojson", gridFile(t, newCellCodes(1))); r.status != http.StatusServiceUnavailable {
		t.Errorf("an upload after Close: %d", r.status)
	}
}
