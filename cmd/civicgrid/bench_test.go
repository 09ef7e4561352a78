package main_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchStats loads a small city, copies it up to --cases, prints the
// timings with the aggregates agreeing with the GROUP BY, leaves a data
// directory stats verify accepts, and measures it again without loading.
func TestBenchStats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bench")
	r := mustRun(t, "bench", "stats", "--cases", "600", "--play", "200", "--runs", "2", "--dir", dir)
	for _, want := range []string{"loaded 200 cases", "copied them 3 times over", "600 cases", "cores",
		"month × unit rate table", "GROUP BY over cases", "agree ", "civicgrid stats verify --data " + dir} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("bench stats output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = mustRun(t, "stats", "verify", "--data", dir)
	if !strings.Contains(r.stdout, "stats verify: ok, 600 cases") {
		t.Errorf("verify of the bench data: %s", r.stdout)
	}
	r = mustRun(t, "bench", "stats", "--runs", "2", "--dir", dir)
	if !strings.Contains(r.stdout, "measuring the database already in") || !strings.Contains(r.stdout, "agree ") {
		t.Errorf("bench stats on loaded data:\n%s", r.stdout)
	}
	if r := civicgrid(t, "", "bench", "stats", "--cases", "500", "--play", "200"); r.code != 2 {
		t.Errorf("--play not dividing --cases: exit %d, stderr %s", r.code, r.stderr)
	}
}
