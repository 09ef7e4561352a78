package main_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cg "civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
	"civicgrid/sqlite"
)

// TestMetrics prints every definition in both languages.
func TestMetrics(t *testing.T) {
	r := mustRun(t, "metrics")
	for _, want := range []string{"rate_closed_on_time  按期结案率 / On-time closing rate  (rate)", "公式  按期结案数 / 应结案数",
		"formula  Closed on time / Due for closing", "due_closing  应结案数 / Due for closing  (count)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("metrics output lacks %q", want)
		}
	}
}

// TestStatsVerify: a demo city verifies clean; a count changed behind the
// events' back is reported with exit code 1 and a one-line summary, and
// a rebuild repairs it.
func TestStatsVerify(t *testing.T) {
	data, now := smallDemo(t, 300)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "civicgrid.db"), sqlite.Options{Location: cg.DefaultCalendar().Location()})
	if err != nil {
		t.Fatal(err)
	}
	day := cg.DateOf(now)
	err = db.Update(ctx, func(tx cg.Tx) error {
		return tx.AddStats(ctx, []cg.StatDelta{{Key: cg.StatKey{Day: day, Dim: cg.DimCity, Value: "all"}, Metric: "closed", N: 1}})
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	r := civicgrid(t, "", "stats", "verify", "--data", data)
	if r.code != 1 || !strings.Contains(r.stdout, "city=all "+day.String()+" closed: stored ") ||
		strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "1 differences") {
		t.Fatalf("verify after tampering: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = mustRun(t, "stats", "rebuild", "--data", data)
	if !strings.Contains(r.stdout, "300 cases") {
		t.Errorf("rebuild: %s", r.stdout)
	}
	r = mustRun(t, "stats", "verify", "--data", data)
	if !strings.HasPrefix(r.stdout, "stats verify: ok, 300 cases") {
		t.Errorf("verify after rebuild: %s", r.stdout)
	}
}

// smallDemo builds a demo city of n cases, as it stood on 2026-05-20 10:30,
// in a fresh data directory, and returns the directory and that time.
func smallDemo(t *testing.T, n int) (string, time.Time) {
	t.Helper()
	data := t.TempDir()
	ctx := context.Background()
	loc := cg.DefaultCalendar().Location()
	db, err := sqlite.Open(ctx, filepath.Join(data, "civicgrid.db"), sqlite.Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 5, 20, 10, 30, 0, 0, loc)
	if _, err := demo.Build(ctx, db, db.BulkLoad, demo.Options{Seed: 3, Now: now, Cases: n,
		Hash: password.New(password.Params{Memory: 64, Time: 1, Threads: 1}).Hash}); err != nil {
		t.Fatal(err)
	}
	return data, now
}
