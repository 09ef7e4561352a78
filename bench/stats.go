// Package bench proves the statistics answer at scale (issue 5 §5, 大数据量
// 压测): it loads many synthetic cases with realistic histories into a real
// SQLite file, times the questions dashboards ask of the aggregates
// (StatsService.Query), times the same numbers computed the plain way (a
// GROUP BY over the case table), and checks the two agree.
//
// `civicgrid bench stats` runs it from the command line; the benchmarks of
// this package and of sqlite run it under go test.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"civicgrid"
	"civicgrid/demo"
	"civicgrid/password"
	"civicgrid/sqlite"
)

// StatsOptions configures LoadStats.
type StatsOptions struct {
	Cases int   // how many cases to load
	Batch int   // cases per bulk transaction; demo.DefaultBatch when zero
	Seed  int64 // the demo's seed
	// Now is the end of the year of cases; DefaultNow when zero.
	Now time.Time
	// NoEvents stores the cases and their counts but not the event rows:
	// the aggregates and the case table are whole, the verifier has
	// nothing to read.
	NoEvents bool
	// Progress, when set, is told how many cases are written.
	Progress func(done, total int)
	// Hash hashes the demo users' password; password.DefaultParams when
	// nil (tests pass a cheap one).
	Hash func(password string) (string, error)
}

// DefaultNow is when the benchmark's year of cases ends: midnight starting
// 1 November 2026 in the demo city, so the year holds twelve whole months,
// November 2025 to October 2026.
func DefaultNow() time.Time {
	return time.Date(2026, time.November, 1, 0, 0, 0, 0, civicgrid.DefaultCalendar().Location())
}

// Loaded is what LoadStats made.
type Loaded struct {
	Cases, Events int
	Took          time.Duration
}

// LoadStats creates the database at path (which must not exist) and loads
// the demo city with opts.Cases cases into it, through the demo's engine
// replay and RecordHistory, in bulk transactions.
func LoadStats(ctx context.Context, path string, opts StatsOptions) (*Loaded, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, civicgrid.Errorf(civicgrid.Conflict, "bench: %s exists; give an empty directory", path)
	}
	if opts.Now.IsZero() {
		opts.Now = DefaultNow()
	}
	loc := civicgrid.DefaultCalendar().Location()
	// A benchmark's load need not survive a power cut: NORMAL skips the
	// fsync of every commit (there are few).
	db, err := sqlite.Open(ctx, path, sqlite.Options{Location: loc, Synchronous: "NORMAL"})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var wrap func(civicgrid.Tx) civicgrid.Tx
	if opts.NoEvents {
		wrap = func(tx civicgrid.Tx) civicgrid.Tx { return noEvents{tx} }
	}
	progress := func(stage string, done, total int) {
		if stage == "cases" && opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	start := time.Now()
	if opts.Hash == nil {
		opts.Hash = password.New(password.DefaultParams).Hash
	}
	res, err := demo.BuildLarge(ctx, db, db.BulkLoad, demo.Options{Seed: opts.Seed, Now: opts.Now, Cases: opts.Cases,
		Hash: opts.Hash, Progress: progress}, opts.Batch, wrap)
	if err != nil {
		return nil, err
	}
	l := &Loaded{Cases: res.Cases, Events: res.Events}
	if opts.NoEvents {
		l.Events = 0
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	l.Took = time.Since(start)
	return l, nil
}

// noEvents is a transaction that drops event rows (their counts are still
// added).
type noEvents struct{ civicgrid.Tx }

// AppendEvent writes nothing.
func (noEvents) AppendEvent(context.Context, *civicgrid.CaseEvent) error { return nil }

// Timing is how long one question took: the first (cold) run and the
// median of the runs after it.
type Timing struct {
	Name   string
	Rows   int // rows of the answer (summed over its queries)
	First  time.Duration
	Median time.Duration
}

// StatsReport is the outcome of RunStats.
type StatsReport struct {
	Path          string
	Cores         int
	Cases, Events int64
	DBBytes       int64 // the database file and its WAL
	StatsRows     int64
	Month         civicgrid.Date // the month asked about
	Timings       []Timing
	Compared      int      // cells compared between the aggregates and the GROUP BY
	Diffs         []string // where they differ
}

// Agree reports whether the aggregates and the GROUP BY gave the same
// numbers.
func (r *StatsReport) Agree() bool { return len(r.Diffs) == 0 }

// monthUnitMetrics are the counts and rates of the month × unit table.
var monthUnitMetrics = []string{"dispatched", "handled", "closed", "rate_handled", "rate_handled_on_time", "rate_closed", "rate_closed_on_time", "rate_reworked"}

// reportDims are the groupings of the year-long monthly report.
var reportDims = []civicgrid.StatDim{civicgrid.DimUnit, civicgrid.DimDistrict, civicgrid.DimStreet, civicgrid.DimCategory}

// RunStats opens the loaded database at path and times each question runs
// times (at least 2). From the aggregates (StatsService.Query): the month
// × unit rate table of the last whole month of the data before now, and
// the year-long monthly report (twelve months × reportDims). By a plain
// GROUP BY over the case table: that month's closed counts by unit, and
// the year's closed counts by unit and reported counts by district, month
// by month. It compares every number both ways give.
func RunStats(ctx context.Context, path string, now time.Time, runs int) (*StatsReport, error) {
	if now.IsZero() {
		now = DefaultNow()
	}
	runs = max(runs, 2)
	cal := civicgrid.DefaultCalendar()
	loc := cal.Location()
	db, err := sqlite.Open(ctx, path, sqlite.Options{Location: loc})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	holder, err := civicgrid.NewCityHolder(ctx, db)
	if err != nil {
		return nil, err
	}
	stats := civicgrid.NewStatsService(db, holder.City, civicgrid.DefaultStatsConfig())
	sys := civicgrid.WithActor(ctx, civicgrid.SystemUser)
	plain, err := sql.Open("sqlite", path+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	defer plain.Close()
	plain.SetMaxOpenConns(1)

	rep := &StatsReport{Path: path, Cores: runtime.NumCPU()}
	for _, f := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(f); err == nil {
			rep.DBBytes += fi.Size()
		}
	}
	if err := plain.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_events), (SELECT count(*) FROM stats)").
		Scan(&rep.Cases, &rep.Events, &rep.StatsRows); err != nil {
		return nil, err
	}

	// The last whole month before now, or before the day after the newest
	// case (of a load cut short, say).
	var newest sql.NullInt64
	if err := plain.QueryRowContext(ctx, "SELECT max(created_at) FROM cases").Scan(&newest); err != nil {
		return nil, err
	}
	if after := time.UnixMilli(newest.Int64).Add(24 * time.Hour); newest.Valid && after.Before(now) {
		now = after
	}
	end := civicgrid.DateOf(now.In(loc))
	month := addMonths(civicgrid.Date{Year: end.Year, Month: end.Month, Day: 1}, -1)
	rep.Month = month
	next := addMonths(month, 1)
	yearFrom := addMonths(month, -11)

	// The aggregates.
	var monthUnit *civicgrid.StatsResult
	if err := rep.add(runs, "month × unit rate table (StatsService.Query)", func() (int, error) {
		monthUnit, err = stats.Query(sys, civicgrid.StatsQuery{GroupBy: civicgrid.DimUnit, From: month, To: next, Metrics: monthUnitMetrics})
		if err != nil {
			return 0, err
		}
		return len(monthUnit.Rows), nil
	}); err != nil {
		return nil, err
	}
	year := map[civicgrid.StatDim][]*civicgrid.StatsResult{}
	if err := rep.add(runs, fmt.Sprintf("year report: 12 months × %v (StatsService.Query)", reportDims), func() (int, error) {
		rows := 0
		for _, d := range reportDims {
			year[d] = year[d][:0]
			for m := yearFrom; m.Before(next); m = addMonths(m, 1) {
				res, err := stats.Query(sys, civicgrid.StatsQuery{GroupBy: d, From: m, To: addMonths(m, 1)})
				if err != nil {
					return 0, err
				}
				rows += len(res.Rows)
				year[d] = append(year[d], res)
			}
		}
		return rows, nil
	}); err != nil {
		return nil, err
	}

	// The plain way: a GROUP BY over the case table. Days are the city's:
	// its zone's offset (fixed: China keeps no summer time) shifts times.
	_, offset := month.At(0, loc).Zone()
	fromMs, toMs := month.At(0, loc).UnixMilli(), next.At(0, loc).UnixMilli()
	yearMs := yearFrom.At(0, loc).UnixMilli()
	plainMonth := map[string]int64{}
	if err := rep.add(runs, "month × unit closed, GROUP BY over cases", func() (int, error) {
		clear(plainMonth)
		err := queryCounts(ctx, plain, plainMonth, `SELECT coalesce(unit_id, 0), '', count(*) FROM cases
			WHERE status = 'closed' AND closed_at >= ? AND closed_at < ? GROUP BY unit_id`, fromMs, toMs)
		return len(plainMonth), err
	}); err != nil {
		return nil, err
	}
	plainClosed, plainReported := map[string]int64{}, map[string]int64{}
	monthOf := func(col string) string {
		return fmt.Sprintf("strftime('%%Y%%m', %s / 1000 + %d, 'unixepoch')", col, offset)
	}
	if err := rep.add(runs, "year: month × unit closed + month × district reported, GROUP BY over cases", func() (int, error) {
		clear(plainClosed)
		clear(plainReported)
		err := queryCounts(ctx, plain, plainClosed, `SELECT coalesce(unit_id, 0), `+monthOf("closed_at")+`, count(*) FROM cases
			WHERE status = 'closed' AND closed_at >= ? AND closed_at < ? GROUP BY 1, 2`, yearMs, toMs)
		if err == nil {
			err = queryCounts(ctx, plain, plainReported, `SELECT district_code, `+monthOf("created_at")+`, count(*) FROM cases
			WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2`, yearMs, toMs)
		}
		return len(plainClosed) + len(plainReported), err
	}); err != nil {
		return nil, err
	}

	// Compare.
	agg := map[string]int64{}
	for _, r := range monthUnit.Rows {
		agg[r.Key+"|"] = r.Counts["closed"]
	}
	rep.compare("month × unit closed", agg, plainMonth)
	for _, pair := range []struct {
		dim    civicgrid.StatDim
		metric string
		plain  map[string]int64
	}{{civicgrid.DimUnit, "closed", plainClosed}, {civicgrid.DimDistrict, "reported", plainReported}} {
		agg := map[string]int64{}
		for i, res := range year[pair.dim] {
			m := addMonths(yearFrom, i)
			for _, r := range res.Rows {
				agg[r.Key+"|"+fmt.Sprintf("%04d%02d", m.Year, int(m.Month))] = r.Counts[pair.metric]
			}
		}
		rep.compare("year month × "+string(pair.dim)+" "+pair.metric, agg, pair.plain)
	}
	return rep, nil
}

// compare adds to r.Diffs the keys where agg and plain differ, zeros
// counting as absent.
func (r *StatsReport) compare(what string, agg, plain map[string]int64) {
	keys := map[string]bool{}
	for k := range agg {
		keys[k] = true
	}
	for k := range plain {
		keys[k] = true
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}) {
		r.Compared++
		if agg[k] != plain[k] {
			r.Diffs = append(r.Diffs, fmt.Sprintf("%s %s: aggregates %d, GROUP BY %d", what, k, agg[k], plain[k]))
		}
	}
}

// queryCounts runs a query of (key, month, count) rows into dst, keyed
// "key|month".
func queryCounts(ctx context.Context, db *sql.DB, dst map[string]int64, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key, month string
		var n int64
		if err := rows.Scan(&key, &month, &n); err != nil {
			return err
		}
		if key == "0" { // no unit: a case closed without one cannot be
			key = ""
		}
		if n != 0 && key != "" {
			dst[key+"|"+month] = n
		}
	}
	return rows.Err()
}

// time1 runs fn runs times and returns its timing.
func time1(runs int, name string, fn func() (int, error)) (Timing, error) {
	t := Timing{Name: name}
	var ds []time.Duration
	for i := range runs {
		start := time.Now()
		n, err := fn()
		d := time.Since(start)
		if err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		t.Rows = n
		if i == 0 {
			t.First = d
			continue
		}
		ds = append(ds, d)
	}
	slices.Sort(ds)
	t.Median = ds[len(ds)/2]
	return t, nil
}

// add times one question into r.
func (r *StatsReport) add(runs int, name string, fn func() (int, error)) error {
	t, err := time1(runs, name, fn)
	r.Timings = append(r.Timings, t)
	return err
}

// addMonths returns the first of the month n months after d's.
func addMonths(d civicgrid.Date, n int) civicgrid.Date {
	m := d.Year*12 + int(d.Month) - 1 + n
	return civicgrid.Date{Year: m / 12, Month: time.Month(m%12 + 1), Day: 1}
}

// Print writes the report as a small table.
func (r *StatsReport) Print(w io.Writer) {
	fmt.Fprintf(w, "database   %s (%s, %d stats rows)\n", r.Path, sizeOf(r.DBBytes), r.StatsRows)
	fmt.Fprintf(w, "data       %d cases, %d events; month %04d-%02d\n", r.Cases, r.Events, r.Month.Year, int(r.Month.Month))
	fmt.Fprintf(w, "machine    %d cores, %s %s/%s\n\n", r.Cores, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "question\trows\tfirst\tmedian\t")
	for _, t := range r.Timings {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", t.Name, t.Rows, ms(t.First), ms(t.Median))
	}
	tw.Flush()
	if r.Agree() {
		fmt.Fprintf(w, "\nagree      the aggregates and the GROUP BY give the same %d numbers\n", r.Compared)
		return
	}
	fmt.Fprintf(w, "\nDIFFER     %d of %d numbers differ:\n", len(r.Diffs), r.Compared)
	for i, d := range r.Diffs {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more\n", len(r.Diffs)-20)
			break
		}
		fmt.Fprintln(w, "  "+d)
	}
}

// ms formats d in milliseconds.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}

// sizeOf formats a byte count.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d B", n)
}

// DBPath is the database file of a data directory, where civicgrid serve
// and civicgrid stats verify look for it.
func DBPath(dir string) string { return filepath.Join(dir, "civicgrid.db") }

// Replicate makes the loaded database at path k times as big, in SQL on a
// connection of its own: every case becomes k cases (the original and k−1
// copies numbered NUMBER-j), with copies of its reports and, if events,
// of its events; every count of the aggregates (stats, stat_durations) is
// multiplied by k, which is exactly what the copies add. Case and event
// ids are renumbered id×k+j, so they still follow the reports and each
// case's events stay in order. It is how a benchmark reaches 10 million
// cases when playing every life through the engine would take too long:
// the case table and its indexes are real, the aggregates answer the
// same questions over as many rows per day and value as the original
// load made.
func Replicate(ctx context.Context, path string, k int, events bool) error {
	if k < 2 {
		return nil
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	columns := func(table string) ([]string, error) {
		rows, err := conn.QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return nil, err
			}
			cols = append(cols, `"`+c+`"`)
		}
		return cols, rows.Err()
	}
	// copySQL copies every row of table (whose rows are the originals,
	// at ids divisible by k) once per j, with set's expressions for some
	// columns.
	copySQL := func(table string, set map[string]string) (string, error) {
		cols, err := columns(table)
		if err != nil {
			return "", err
		}
		var sel []string
		for _, c := range cols {
			if e, ok := set[c]; ok {
				sel = append(sel, e)
			} else {
				sel = append(sel, "t."+c)
			}
		}
		return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") SELECT " + strings.Join(sel, ", ") + " FROM " + table +
			" t, replicas r WHERE t.id % " + strconv.Itoa(k) + " = 0", nil
	}
	ks := strconv.Itoa(k)
	stmts := []string{
		"BEGIN IMMEDIATE",
		"CREATE TEMP TABLE replicas (j INTEGER PRIMARY KEY)",
		"WITH RECURSIVE s(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM s WHERE j < " + strconv.Itoa(k-1) + ") INSERT INTO replicas SELECT j FROM s",
	}
	// The secondary indexes are dropped and made again at the end: one
	// sort each instead of millions of inserts at random places.
	var indexes []string
	rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('cases', 'case_events', 'case_reports')`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return err
		}
		stmts = append(stmts, `DROP INDEX "`+name+`"`)
		indexes = append(indexes, create)
	}
	rows.Close()
	// Renumber the originals id×k, through negative ids so that no new id
	// meets an old one.
	stmts = append(stmts, "UPDATE cases SET id = -id", "UPDATE cases SET id = -id * "+ks,
		"UPDATE case_events SET id = -id, case_id = case_id * "+ks, "UPDATE case_events SET id = -id * "+ks,
		"UPDATE case_reports SET id = -id, case_id = case_id * "+ks, "UPDATE case_reports SET id = -id * "+ks,
		"UPDATE outbox SET case_id = case_id * "+ks+" WHERE case_id IS NOT NULL")
	suffix := func(col string) string {
		return "CASE WHEN t." + col + " IS NULL OR t." + col + " = '' THEN t." + col + " ELSE t." + col + " || '-' || r.j END"
	}
	cases, err := copySQL("cases", map[string]string{`"id"`: "t.id + r.j", `"number"`: suffix("number")})
	if err != nil {
		return err
	}
	reports, err := copySQL("case_reports", map[string]string{`"id"`: "t.id + r.j", `"case_id"`: "t.case_id + r.j",
		`"external_id"`: suffix("external_id")})
	if err != nil {
		return err
	}
	copies := [][2]string{{"cases", cases}, {"case_reports", reports}}
	if events {
		evs, err := copySQL("case_events", map[string]string{`"id"`: "t.id + r.j", `"case_id"`: "t.case_id + r.j"})
		if err != nil {
			return err
		}
		copies = append(copies, [2]string{"case_events", evs})
	} else {
		stmts = append(stmts, "DELETE FROM case_events")
	}
	// A statement reading the table it writes reads into a temporary
	// table first: a chunk of ids at a time keeps that small.
	const chunk = 20000
	for _, c := range copies {
		var maxID int64
		if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM "+c[0]).Scan(&maxID); err != nil {
			return err
		}
		for lo := int64(0); lo <= maxID*int64(k); lo += chunk * int64(k) {
			stmts = append(stmts, c[1]+" AND t.id >= "+strconv.FormatInt(lo, 10)+" AND t.id < "+strconv.FormatInt(lo+chunk*int64(k), 10))
		}
	}
	stmts = append(stmts, indexes...)
	statCols, err := columns("stats")
	if err != nil {
		return err
	}
	var mult []string
	for _, c := range statCols {
		if c != `"dim"` && c != `"day"` && c != `"value"` {
			mult = append(mult, c+" = "+c+" * "+ks)
		}
	}
	stmts = append(stmts, "UPDATE stats SET "+strings.Join(mult, ", "), "UPDATE stat_durations SET n = n * "+ks,
		"UPDATE case_seq SET seq = seq * "+ks, "COMMIT", "PRAGMA wal_checkpoint(TRUNCATE)", "ANALYZE")
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
			return fmt.Errorf("bench: replicate: %s: %w", s[:min(len(s), 60)], err)
		}
	}
	return nil
}
