package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// maxDiffsShown caps the differences stats verify prints.
const maxDiffsShown = 50

// runStatsVerify recomputes the aggregates from the events and compares
// them with the stored ones; a difference is exit code 1.
func runStatsVerify(ctx context.Context, e env, args []string) error {
	a, sys, err := openAppFlags(ctx, e, "stats verify", args)
	if err != nil {
		return err
	}
	defer a.Close()
	check, err := a.stats.Verify(sys)
	if err != nil {
		return err
	}
	for i, d := range check.Diffs {
		if i == maxDiffsShown {
			fmt.Fprintf(e.stdout, "… and %d more\n", len(check.Diffs)-maxDiffsShown)
			break
		}
		fmt.Fprintf(e.stdout, "%s=%s %s %s: stored %d, recomputed %d\n", d.Key.Dim, d.Key.Value, d.Key.Day, d.Metric, d.Stored, d.Recomputed)
	}
	if len(check.Diffs) > 0 {
		return errors.New("stats verify: the aggregates differ from the events: " + check.String() + "; run civicgrid stats rebuild")
	}
	fmt.Fprintf(e.stdout, "stats verify: ok, %s, in %v\n", check, check.Took.Round(time.Millisecond))
	return nil
}

// runStatsRebuild replaces the aggregates with a recomputation.
func runStatsRebuild(ctx context.Context, e env, args []string) error {
	a, sys, err := openAppFlags(ctx, e, "stats rebuild", args)
	if err != nil {
		return err
	}
	defer a.Close()
	check, err := a.stats.Rebuild(sys)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "stats rebuild: %s, in %v\n", check, check.Took.Round(time.Millisecond))
	return nil
}
