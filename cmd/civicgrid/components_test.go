package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportComponents: a bad component file exits 1 with one line naming
// its bad rows by line and registers nothing; a good one registers every
// row, placing each in the cell containing its point.
func TestImportComponents(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	mustRun(t, "import", "grid", writeGrid(t, dir), "--data", data)
	mustRun(t, "unit", "add", "--data", data, "--code", "municipal", "--name", "市政处")
	file := filepath.Join(dir, "components.csv")
	const header = "code,category_code,name,cell_code,lat,lon,owner_unit_id,maintainer_unit_id,state\n"
	os.WriteFile(file, []byte(header+
		"3301020101000001,01001,井盖 1,,30.25045,120.15052,municipal,,\n"+
		"3301020101000002,01001,井盖 2,,30.25045,120.15052,nobody,,\n"+
		"3301020101000003,01001,井盖 3,,north,120.15052,municipal,,\n"), 0o600)
	r := civicgrid(t, "", "import", "components", file, "--data", data)
	if r.code != 1 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 ||
		!strings.Contains(r.stderr, `line 3: owner_unit_id: unknown unit "nobody"; line 4: lat:`) {
		t.Fatalf("a bad file: exit %d, stderr %q; want exit 1 and one line naming lines 3 and 4", r.code, r.stderr)
	}
	os.WriteFile(file, []byte(header+
		"3301020101000001,01001,井盖 1,,30.25045,120.15052,municipal,,\n"+
		"3301020101000002,01001,井盖 2,330102001001004,30.2514,120.1516,,municipal,破损\n"), 0o600)
	if r := mustRun(t, "import", "components", file, "--data", data); !strings.Contains(r.stdout, "registered 2 components") {
		t.Errorf("a good file: %q", r.stdout)
	}
	if r := civicgrid(t, "", "import", "components", "--data", data); r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("no file: exit %d, stderr %q; want 2 and one line", r.code, r.stderr)
	}
}
