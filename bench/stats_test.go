package bench_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/bench"
	"civicgrid/password"
	"civicgrid/sqlite"
)

// cheap hashes the demo password fast: the tests sign nobody in.
var cheap = password.New(password.Params{Memory: 64, Time: 1, Threads: 1}).Hash

// TestStatsBench loads a small city and checks that the aggregates agree
// with the GROUP BY over the case table, that the report says so, and that
// Verify finds the batches' aggregates whole; then the same once the load
// is copied three times over.
func TestStatsBench(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civicgrid.db")
	loaded, err := bench.LoadStats(t.Context(), path, bench.StatsOptions{Cases: 600, Batch: 200, Seed: 7, Hash: cheap})
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Cases != 600 || loaded.Events < 5*loaded.Cases {
		t.Fatalf("loaded %d cases, %d events; want 600 cases with their histories", loaded.Cases, loaded.Events)
	}
	rep, err := bench.RunStats(t.Context(), path, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Agree() || rep.Compared < 50 {
		t.Fatalf("compared %d numbers, differences: %v", rep.Compared, rep.Diffs)
	}
	if rep.Cases != 600 || rep.Events != int64(loaded.Events) || rep.StatsRows == 0 {
		t.Errorf("report counts %d cases, %d events, %d stats rows; loaded %+v", rep.Cases, rep.Events, rep.StatsRows, loaded)
	}
	var out strings.Builder
	rep.Print(&out)
	for _, want := range []string{"month × unit rate table", "GROUP BY over cases", "agree", "cores"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}

	// The aggregates the batches wrote are the events' recomputation,
	// and a broken count is caught.
	db, err := sqlite.Open(t.Context(), path, sqlite.Options{Location: civicgrid.DefaultCalendar().Location()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	holder, err := civicgrid.NewCityHolder(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	svc := civicgrid.NewStatsService(db, holder.City, civicgrid.DefaultStatsConfig())
	sys := civicgrid.WithActor(t.Context(), civicgrid.SystemUser)
	check, err := svc.Verify(sys)
	if err != nil || len(check.Diffs) > 0 || check.Cases != 600 || check.Events != loaded.Events {
		t.Fatalf("Verify = %v, %v; want 600 cases, %d events, no difference", check, err, loaded.Events)
	}
	db.Close()

	// Copied three times over, the case table, the aggregates and the
	// events stay consistent: the GROUP BY agrees, and Verify recomputes
	// exactly the multiplied counts.
	if err := bench.Replicate(t.Context(), path, 3, true); err != nil {
		t.Fatal(err)
	}
	rep, err = bench.RunStats(t.Context(), path, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Agree() || rep.Cases != 1800 || rep.Events != 3*int64(loaded.Events) {
		t.Fatalf("after copying: %d cases, %d events (loaded %d), diffs %v", rep.Cases, rep.Events, loaded.Events, rep.Diffs)
	}
	db, err = sqlite.Open(t.Context(), path, sqlite.Options{Location: civicgrid.DefaultCalendar().Location()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc = civicgrid.NewStatsService(db, holder.City, civicgrid.DefaultStatsConfig())
	check, err = svc.Verify(sys)
	if err != nil || len(check.Diffs) > 0 || check.Cases != 1800 || check.Events != 3*loaded.Events {
		t.Fatalf("Verify after copying = %v, %v; first diffs %v", check, err, check.Diffs[:min(3, len(check.Diffs))])
	}
}

// TestStatsBenchNoEvents loads counts without event rows and copies them
// twice over: the comparison still holds, there is no event to verify.
func TestStatsBenchNoEvents(t *testing.T) {
	path := filepath.Join(t.TempDir(), "civicgrid.db")
	if _, err := bench.LoadStats(t.Context(), path, bench.StatsOptions{Cases: 300, NoEvents: true, Hash: cheap}); err != nil {
		t.Fatal(err)
	}
	if err := bench.Replicate(t.Context(), path, 2, false); err != nil {
		t.Fatal(err)
	}
	rep, err := bench.RunStats(t.Context(), path, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Agree() || rep.Events != 0 || rep.Cases != 600 {
		t.Fatalf("report: %d cases, %d events, diffs %v", rep.Cases, rep.Events, rep.Diffs)
	}
}

// benchCases is how many cases the benchmarks load:
// CIVICGRID_BENCH_CASES, 20,000 by default (about half a minute to load).
func benchCases(b *testing.B) int {
	n := 20000
	if s := os.Getenv("CIVICGRID_BENCH_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			b.Fatalf("CIVICGRID_BENCH_CASES=%q: want a number of cases", s)
		}
	}
	return n
}

// loaded is the database the benchmarks share, loaded once per process
// (go test -cpu 1,2 runs each benchmark twice).
var loaded struct {
	once sync.Once
	path string
	err  error
}

// loadOnce loads the benchmark's city into a directory that outlives b.
func loadOnce(b *testing.B) string {
	loaded.once.Do(func() {
		dir, err := os.MkdirTemp("", "civicgrid-bench-")
		if err != nil {
			loaded.err = err
			return
		}
		loaded.path = filepath.Join(dir, "civicgrid.db")
		n := benchCases(b)
		start := time.Now()
		_, loaded.err = bench.LoadStats(b.Context(), loaded.path, bench.StatsOptions{Cases: n})
		b.Logf("loaded %d cases in %v", n, time.Since(start).Round(time.Millisecond))
	})
	if loaded.err != nil {
		b.Fatal(loaded.err)
	}
	b.Cleanup(func() {}) // the directory is removed by TestMain
	return loaded.path
}

// TestMain removes the benchmarks' database when they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if loaded.path != "" {
		os.RemoveAll(filepath.Dir(loaded.path))
	}
	os.Exit(code)
}

// BenchmarkStatsScale times, over CIVICGRID_BENCH_CASES cases, the month ×
// unit rate table and the year-long monthly report from the aggregates,
// and the GROUP BY over the case table giving the same numbers; it fails
// if they disagree. Each iteration asks every question once.
func BenchmarkStatsScale(b *testing.B) {
	path := loadOnce(b)
	var rep *bench.StatsReport
	for b.Loop() {
		var err error
		if rep, err = bench.RunStats(b.Context(), path, time.Time{}, 2); err != nil {
			b.Fatal(err)
		}
		if !rep.Agree() {
			b.Fatalf("the aggregates differ from the GROUP BY: %v", rep.Diffs)
		}
	}
	for _, t := range rep.Timings {
		var unit string
		switch {
		case strings.Contains(t.Name, "rate table"):
			unit = "month-unit"
		case strings.Contains(t.Name, "year report"):
			unit = "year-report"
		case strings.HasPrefix(t.Name, "month ×"):
			unit = "groupby-month"
		default:
			unit = "groupby-year"
		}
		b.ReportMetric(float64(t.Median.Microseconds())/1000, unit+"-ms")
	}
	b.ReportMetric(float64(rep.Cases), "cases")
}
