package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/sqlite"
)

// TestFullBuild builds the demo `serve --demo` builds, 50,000 cases, into
// an SQLite file with durable commits, logs how long it took, and checks
// the mix and every history. It takes about ten seconds, so -short skips
// it, and so does the race detector, under which it takes minutes; the
// small demo of the other tests runs the same code.
func TestFullBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("the full demo takes about ten seconds; run without -short")
	}
	if raceEnabled {
		t.Skip("the full demo takes minutes under the race detector; run without -race")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{Location: testNow.Location()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stages := map[string]time.Duration{}
	start := time.Now()
	res, err := demo.Build(ctx, db, db.BulkLoad, demo.Options{Seed: 1, Now: testNow, Hash: hasher.Hash,
		Progress: func(stage string, done, total int) {
			if done == total {
				stages[stage] = time.Since(start)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	t.Logf("full demo built in %v (users at %v, grid at %v, cases at %v): %d districts, %d streets, %d communities, %d cells, %d units, %d users, %d cases, %d events",
		elapsed.Round(time.Millisecond), stages["users"].Round(time.Millisecond), stages["city"].Round(time.Millisecond), stages["cases"].Round(time.Millisecond),
		res.Districts, res.Streets, res.Communities, res.Cells, res.Units, res.Users, res.Cases, res.Events)
	if fi, err := os.Stat(path); err == nil {
		t.Logf("database file: %.1f MB", float64(fi.Size())/1e6)
	}
	if res.Cases != demo.DefaultCases {
		t.Fatalf("%d cases, want %d", res.Cases, demo.DefaultCases)
	}
	b, err := load(ctx, db, res)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.cases {
		if err := checkHistory(b.city, c, b.events[c.ID], testNow); err != nil {
			t.Errorf("case %s: %v", c.Number, err)
		}
	}
	checkNumbers(t, b.cases, b.city.Location())
	m := mixOf(b.cases, b.events)
	t.Log("\n" + m.table())
	checkMix(t, m, 0.25)
	for _, s := range civicgrid.Statuses {
		if s.Open() && m.status[s] < 10 {
			t.Errorf("only %d cases are %s", m.status[s], s)
		}
	}
}
