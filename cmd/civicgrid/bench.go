package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"civicgrid/bench"
)

// runBenchStats loads synthetic cases into a data directory (a temporary
// one unless --dir) and times the statistics against a GROUP BY over the
// case table; a disagreement is exit code 1. A --dir that already holds a
// database is measured as it is, without loading.
func runBenchStats(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("bench stats", flag.ContinueOnError)
	cases := fs.Int("cases", 10_000_000, "how many synthetic cases to load")
	dir := fs.String("dir", "", "data `directory` to load into (kept); a temporary one, removed afterwards, when empty")
	keep := fs.Bool("keep", false, "keep the temporary data directory")
	batch := fs.Int("batch", 0, "cases per bulk transaction (default 100000)")
	play := fs.Int("play", 0, "play this many cases through the engine and copy them up to --cases (which it must divide) in SQL; 0 plays them all")
	noEvents := fs.Bool("no-events", false, "store cases and counts but not the event rows (stats verify then has nothing to read)")
	runs := fs.Int("runs", 5, "times each question is asked (the first is reported apart, cold)")
	seed := fs.Int64("seed", 1, "the demo's random seed")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *cases < 1 {
		return usagef("bench stats: --cases must be at least 1")
	}
	if *play <= 0 {
		*play = *cases
	}
	if *play > *cases || *cases%*play != 0 {
		return usagef("bench stats: --play must divide --cases")
	}
	d := *dir
	if d == "" {
		tmp, err := os.MkdirTemp("", "civicgrid-bench-")
		if err != nil {
			return err
		}
		d = tmp
		if !*keep {
			defer os.RemoveAll(tmp)
		}
	} else if err := os.MkdirAll(d, 0o750); err != nil {
		return fmt.Errorf("bench stats: %w", err)
	}
	path := bench.DBPath(d)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(e.stdout, "loading %d cases into %s …\n", *play, path)
		last := time.Now()
		loaded, err := bench.LoadStats(ctx, path, bench.StatsOptions{Cases: *play, Batch: *batch, Seed: *seed, NoEvents: *noEvents,
			Progress: func(done, total int) {
				if done == total || time.Since(last) > 30*time.Second {
					last = time.Now()
					fmt.Fprintf(e.stdout, "  %s  %d/%d cases\n", last.Format(time.TimeOnly), done, total)
				}
			}})
		if err != nil {
			return fmt.Errorf("bench stats: load: %w", err)
		}
		fmt.Fprintf(e.stdout, "loaded %d cases, %d events in %v (%.0f cases/s)\n", loaded.Cases, loaded.Events,
			loaded.Took.Round(time.Second), float64(loaded.Cases)/loaded.Took.Seconds())
		if k := *cases / *play; k > 1 {
			start := time.Now()
			if err := bench.Replicate(ctx, path, k, !*noEvents); err != nil {
				return fmt.Errorf("bench stats: %w", err)
			}
			fmt.Fprintf(e.stdout, "copied them %d times over in SQL in %v\n", k, time.Since(start).Round(time.Second))
		}
		fmt.Fprintln(e.stdout)
	} else {
		fmt.Fprintf(e.stdout, "measuring the database already in %s (no load)\n\n", d)
	}
	rep, err := bench.RunStats(ctx, path, time.Time{}, *runs)
	if err != nil {
		return fmt.Errorf("bench stats: %w", err)
	}
	rep.Print(e.stdout)
	if *keep || *dir != "" {
		fmt.Fprintf(e.stdout, "\ndata kept in %s: civicgrid stats verify --data %s\n", d, d)
	}
	if !rep.Agree() {
		return errors.New("bench stats: the aggregates differ from the GROUP BY over the case table")
	}
	return nil
}
