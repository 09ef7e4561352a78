package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"civicgrid"
	"civicgrid/report"
)

// runReport writes an analysis report (分析报告):
//
//	civicgrid report daily|weekly|monthly [--date 2026-03-15] [--lang zh|en] [--out FILE.html|.xlsx|.csv|.json] [--table units]
//
// Without --out it prints the report as text.
func runReport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	data := dataFlag(fs, e)
	date := fs.String("date", "", "a `day` of the period, like 2026-03-15 (default: yesterday, or the last complete week or month)")
	lang := fs.String("lang", "zh", "language: zh or en")
	out := fs.String("out", "", "write to `FILE`: .html (printable), .xlsx (every table), .csv (one table, see --table) or .json")
	table := fs.String("table", "units", "the table a .csv holds: operation, intake, rates, units, districts, streets, cells, communities, overdue_units, recurrences, trend")
	var kindArg string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		kindArg, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if kindArg == "" && fs.NArg() > 0 {
		kindArg = fs.Arg(0)
	}
	kind, err := report.ParseKind(kindArg)
	if err != nil {
		return usagef("report: say daily, weekly or monthly, not %q", kindArg)
	}
	if *lang != "zh" && *lang != "en" {
		return usagef("report: --lang must be zh or en, not %q", *lang)
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if *out != "" && ext != ".html" && ext != ".htm" && ext != ".xlsx" && ext != ".csv" && ext != ".json" {
		return usagef("report: --out %q: write .html, .xlsx, .csv or .json", *out)
	}
	var day civicgrid.Date
	if *date != "" {
		if day, err = civicgrid.ParseDate(*date); err != nil {
			return usagef("report: --date %q is not a date written like 2026-03-15", *date)
		}
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if day.IsZero() {
		day = report.DefaultDate(kind, civicgrid.DateOf(a.now().In(a.city.City().Location())))
	}
	start := time.Now()
	hot := civicgrid.NewHotspotService(a.stats)
	b := &report.Builder{Stats: a.stats, Cases: a.cases, City: a.city.City, Now: a.now,
		Evaluations: report.EvaluationSection(a.evals), Hotspots: report.HotspotSection(hot), Components: report.ComponentSection(hot)}
	r, err := b.Build(sys, kind, day)
	if err != nil {
		return err
	}
	if *out == "" {
		return report.WriteText(e.stdout, r, *lang)
	}
	var buf bytes.Buffer
	switch ext {
	case ".xlsx":
		err = report.WriteXLSX(&buf, r, *lang)
	case ".csv":
		t := r.Table(*table)
		if t == nil {
			return usagef("report: no table %q; --table takes one of %s", *table, tableIDs(r))
		}
		err = report.WriteCSV(&buf, t, *lang)
	case ".json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	default:
		err = report.WriteHTML(&buf, r, report.HTMLOptions{Lang: *lang})
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(e.stdout, "report %s %s: wrote %s (%d bytes) in %v\n", kind, r.Period.Label(), *out, buf.Len(), time.Since(start).Round(time.Millisecond))
	return nil
}

// tableIDs lists the report's tables.
func tableIDs(r *report.Report) string {
	var ids []string
	for _, t := range r.AllTables() {
		ids = append(ids, t.ID)
	}
	return strings.Join(ids, ", ")
}
