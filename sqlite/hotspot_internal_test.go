package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLatestCasePlan checks that intake's recurrence lookup is one seek in
// cases_cell_category, whatever the number of cases, with no sort.
func TestLatestCasePlan(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got := plan(t, db, "SELECT id"+latestCaseWhere, "SJ0101", "110101001001001", millis(time.Now()))
	if !strings.Contains(got, "SEARCH cases USING COVERING INDEX cases_cell_category (cell_code=? AND category_code=? AND created_at<?)") ||
		strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("plan:\n%s", got)
	}
}
