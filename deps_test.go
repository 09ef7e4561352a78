package civicgrid_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRootImportsOnlyStandardLibrary keeps the domain free of adapters: the
// root package may import nothing but the standard library.
func TestRootImportsOnlyStandardLibrary(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg != "civicgrid" {
			t.Errorf("the domain package depends on %s; only the standard library is allowed", pkg)
		}
	}
	forbidden := []string{"database/sql", "net/http", "html/template"}
	out, err = exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, f := range forbidden {
		for _, d := range deps {
			if d == f {
				t.Errorf("the domain package imports %s; that belongs in an adapter", f)
			}
		}
	}
}
