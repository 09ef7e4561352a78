package civicgrid

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// TestOpenCSV: the byte order mark goes, rows may differ in length, an
// empty file is io.EOF, and a file over the limit is refused whole.
func TestOpenCSV(t *testing.T) {
	cr, header, err := openCSV(strings.NewReader("\ufeffcode,name\n1\n2,b,extra\n"), 1<<20)
	if err != nil || !slices.Equal(header, []string{"code", "name"}) {
		t.Fatalf("header %q, %v", header, err)
	}
	rows, err := cr.ReadAll()
	if err != nil || len(rows) != 2 || len(rows[1]) != 3 {
		t.Errorf("rows %q, %v", rows, err)
	}
	if _, _, err := openCSV(strings.NewReader(""), 1<<20); err != io.EOF {
		t.Errorf("empty file: %v, want io.EOF", err)
	}
	big := "code\n" + strings.Repeat("1\n", 1<<20)
	if _, _, err := openCSV(strings.NewReader(big), 1<<20); ErrorCodeOf(err) != Invalid {
		t.Errorf("a file over the limit: %v, want invalid", err)
	}
}
