package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"civicgrid"
)

// runImportCases imports the cases of a city's previous system (历史案卷).
func runImportCases(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import cases", flag.ContinueOnError)
	data := dataFlag(fs, e)
	columns := fs.String("columns", "", "the file's column for a field where its header is not a known one, as `field=Header,…` (fields: external_id, category, created_at, closed_at, status, lat, lon, address, description, source)")
	source := fs.String("source", "hotline", "the `channel` of rows without a source column of ours")
	zone := fs.String("zone", "", "the time `zone` of times written without one (default: the city's)")
	file, err := fileArg(fs, args, e, "import cases")
	if err != nil {
		return err
	}
	opts := civicgrid.HistoryCSVOptions{Columns: map[string]string{}, Source: civicgrid.Source(*source)}
	if !opts.Source.Valid() {
		return usagef("import cases: unknown --source %q", *source)
	}
	for _, pair := range strings.Split(*columns, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		f, h, ok := strings.Cut(pair, "=")
		if !ok || !civicgrid.HistoryField(strings.TrimSpace(f)) || strings.TrimSpace(h) == "" {
			return usagef("import cases: --columns wants field=Header pairs with a known field, not %q", pair)
		}
		opts.Columns[strings.TrimSpace(f)] = strings.TrimSpace(h)
	}
	if *zone != "" {
		if opts.Location, err = time.LoadLocation(*zone); err != nil {
			return usagef("import cases: unknown --zone %q", *zone)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := civicgrid.ParseHistoryCSV(f, a.city.City(), opts)
	if err != nil {
		return importFailure(e, err)
	}
	fmt.Fprintf(e.stderr, "checking %d cases…\n", len(rows))
	res, err := a.cases.ImportHistory(sys, rows, func(done, total int) { fmt.Fprintf(e.stderr, "  stored %d/%d\n", done, total) })
	if err != nil {
		return importFailure(e, err)
	}
	fmt.Fprintf(e.stdout, "imported %d cases in %.1fs: %d created (%d closed, %d cancelled, %d still open; %d without a place), %d already imported\n",
		len(rows), time.Since(start).Seconds(), res.Created, res.Closed, res.Cancelled, res.StillOpen, res.Unlocated, res.Repeated)
	if res.EndedEarly > 0 {
		fmt.Fprintf(e.stdout, "note: %d cases end before they begin in the previous system's records (a close entered as a date only, say); they are kept as recorded\n", res.EndedEarly)
	}
	return nil
}
