package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// plan returns SQLite's query plan for query, one detail per line.
func plan(t *testing.T, db *DB, query string, args ...any) string {
	t.Helper()
	var lines []string
	err := db.View(t.Context(), func(tx civicgrid.Tx) error {
		return tx.(*Tx).queryAll(t.Context(), func(s scanner) error {
			var id, parent, unused int
			var detail string
			err := s.Scan(&id, &parent, &unused, &detail)
			lines = append(lines, detail)
			return err
		}, "EXPLAIN QUERY PLAN "+query, args...)
	})
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(lines, "\n")
}

// TestQueryPlans checks that the hot queries use the indexes meant for them.
func TestQueryPlans(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now()
	area := caseFilter(civicgrid.CaseFilter{AreaCode: "110101"})
	scope := caseFilter(civicgrid.CaseFilter{ScopeInspector: 7})
	updated := caseFilter(civicgrid.CaseFilter{UpdatedFrom: &now, UpdatedTo: &now})
	ids := caseFilter(civicgrid.CaseFilter{IDs: []civicgrid.CaseID{3, 1, 2}})
	move := &where{}
	move.add("case_id = ?", 1)
	move.add("id IN (SELECT value FROM json_each(?))", idList([]int64{4, 5}))
	for _, tc := range []struct {
		name, query string
		args        []any
		want        string
	}{
		{"FindDueCases", "SELECT " + caseColumns + ` FROM cases
			WHERE overdue = 0 AND deadline IS NOT NULL AND status NOT IN ('closed', 'cancelled') AND deadline <= ?
			ORDER BY deadline, id LIMIT ?`, []any{millis(now), 10}, "USING INDEX cases_due"},
		{"CountByArea", "SELECT COUNT(*) FROM cases" + area.String(), area.args, "USING COVERING INDEX cases_cell_"},
		{"Overdue", "SELECT COUNT(*) FROM cases" + caseFilter(civicgrid.CaseFilter{Overdue: new(true)}).String(), nil, "cases_overdue"},
		{"ScopeInspector", "SELECT COUNT(*) FROM cases" + scope.String(), scope.args, "cell_inspectors_user"},
		{"CloseCell", "UPDATE grid_cells SET valid_to = ? WHERE code = ? AND valid_to IS NULL", []any{1, "x"}, "grid_cells_current"},
		{"CurrentCells", "SELECT " + cellColumns + " FROM grid_cells WHERE valid_to IS NULL ORDER BY code", nil, "grid_cells_current"},
		{"Events", "SELECT id FROM case_events WHERE case_id = ? ORDER BY id", []any{1}, "case_events_case"},
		{"EventsBetween", "SELECT " + eventColumns + " FROM case_events WHERE at >= ? AND at < ? ORDER BY at, id LIMIT ?",
			[]any{millis(now), millis(now), 10}, "USING INDEX case_events_at"},
		{"UpdatedSpan", "SELECT COUNT(*) FROM cases" + updated.String(), updated.args, "USING COVERING INDEX cases_updated"},
		{"IDs", "SELECT id FROM cases" + ids.String() + " ORDER BY id DESC", ids.args, "USING INTEGER PRIMARY KEY"},
		{"OpenCasesNear", "SELECT " + caseColumns + ` FROM cases
			WHERE status NOT IN ('closed', 'cancelled') AND category_code = ?
				AND lat >= ? AND lat <= ? AND lon >= ? AND lon <= ? AND created_at >= ?
			ORDER BY created_at DESC, id DESC LIMIT ?`,
			[]any{"SJ0101", 39.9, 39.91, 116.4, 116.41, millis(now), 50}, "USING INDEX cases_open_near (category_code=? AND lat>? AND lat<?)"},
		{"ReportByExternalID", "SELECT " + reportColumns + ` FROM case_reports
			WHERE source = ? AND external_id = ? AND external_id <> ''`, []any{"hotline", "x"}, "USING INDEX case_reports_external"},
		{"CaseReports", "SELECT " + reportColumns + " FROM case_reports WHERE case_id = ? ORDER BY at, id", []any{1},
			"USING INDEX case_reports_case"},
		{"MoveReports", "UPDATE case_reports SET case_id = ?" + move.String(), append([]any{2}, move.args...), "case_reports_case (case_id=?)"},
		{"APIKeyByHash", "SELECT " + apiKeyColumns + " FROM api_keys WHERE hash = ?", []any{"h"}, "(hash=?)"},
		{"PurgeIdempotency", "DELETE FROM idempotency WHERE created_at < ?", []any{millis(now)}, "idempotency_created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, db, tc.query, tc.args...)
			t.Logf("plan:\n%s", p)
			if !strings.Contains(p, tc.want) {
				t.Errorf("plan does not mention %q:\n%s", tc.want, p)
			}
		})
	}
}

// TestPragmas checks the settings of the writer and reader connections.
func TestPragmas(t *testing.T) {
	for _, tc := range []struct {
		sync string
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{"", 2}, {"NORMAL", 1}} {
		db, err := Open(t.Context(), filepath.Join(t.TempDir(), "pragma.db"), Options{Synchronous: tc.sync})
		if err != nil {
			t.Fatal(err)
		}
		pragma := func(q interface {
			QueryRowContext(context.Context, string, ...any) *sql.Row
		}, name string) string {
			var v string
			if err := q.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
				t.Fatalf("PRAGMA %s: %v", name, err)
			}
			return v
		}
		err = db.submit(t.Context(), &request{job: func() error {
			got := map[string]string{}
			for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "query_only", "temp_store"} {
				got[p] = pragma(db.w.db, p)
			}
			want := map[string]string{"journal_mode": "wal", "synchronous": fmt.Sprint(tc.want), "foreign_keys": "1",
				"busy_timeout": "10000", "query_only": "0", "temp_store": "2"}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("writer pragmas (-want +got):\n%s", d)
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		c := <-db.readers
		if got := pragma(c.db, "query_only"); got != "1" {
			t.Errorf("reader query_only = %s, want 1", got)
		}
		db.readers <- c
		db.Close()
	}
}

// TestReadersSeeFreshStatistics checks that after BulkLoad refreshes the
// planner's statistics, Views plan with them: a list page filtered on a
// large area scans the newest cases instead of sorting the whole area.
func TestReadersSeeFreshStatistics(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "stats.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := caseFilter(civicgrid.CaseFilter{AreaCode: "110101003"})
	list := "SELECT id FROM cases" + w.String() + " ORDER BY id DESC LIMIT 50"
	before := plan(t, db, list, w.args...)
	err = db.BulkLoad(t.Context(), func(tx civicgrid.Tx) error {
		at := time.Now()
		for i := range 5000 {
			cell := fmt.Sprintf("110101%03d%03d%03d", i%7, i%11, i%13+1)
			c := &civicgrid.Case{Number: fmt.Sprint(i), Status: civicgrid.StatusReported, CellCode: cell, CreatedAt: at, UpdatedAt: at}
			if err := tx.CreateCase(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := plan(t, db, list, w.args...)
	t.Logf("plan before the load:\n%s\nafter:\n%s", before, after)
	if strings.Contains(after, "TEMP B-TREE") {
		t.Errorf("after the load, the list still sorts the area:\n%s", after)
	}
}

func TestShapeBlob(t *testing.T) {
	shape := civicgrid.MultiPolygon{
		{{{Lon: 116.1, Lat: 39.1}, {Lon: 116.2, Lat: 39.1}, {Lon: 116.2, Lat: 39.2}, {Lon: 116.1, Lat: 39.1}},
			{{Lon: 116.12, Lat: 39.12}, {Lon: 116.13, Lat: 39.12}, {Lon: 116.13, Lat: 39.13}, {Lon: 116.12, Lat: 39.12}}},
		{{}},
	}
	b := encodeShape(shape)
	got, err := decodeShape(b)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(shape, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if encodeShape(nil) != nil || encodeShape(civicgrid.MultiPolygon{}) != nil {
		t.Error("an empty shape is not NULL")
	}
	if got, err := decodeShape(nil); got != nil || err != nil {
		t.Errorf("decodeShape(nil) = %v, %v", got, err)
	}
	for n := range len(b) {
		if _, err := decodeShape(b[:n]); err == nil {
			t.Errorf("a blob cut to %d of %d bytes decodes", n, len(b))
		}
	}
	if _, err := decodeShape(append(b, 0)); err == nil {
		t.Error("a blob with a trailing byte decodes")
	}
	if _, err := decodeShape([]byte{0xff, 0xff, 0xff, 0xff, 0x0f}); err == nil {
		t.Error("a huge count decodes")
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		p, end string
		ok     bool
	}{
		{"110101", "110102", true},
		{"119", "11:", true},
		{"1\xff", "2", true},
		{"\xff\xff", "", false},
	} {
		end, ok := prefixEnd(tc.p)
		if end != tc.end || ok != tc.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tc.p, end, ok, tc.end, tc.ok)
		}
	}
}
