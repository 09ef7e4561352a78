package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"civicgrid"
)

// runMetrics prints the metric definitions in Chinese and English.
func runMetrics(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("metrics", flag.ContinueOnError)
	data := dataFlag(fs, e)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	// The exclusions in force are those of the data directory, when it
	// has a database; the defaults otherwise.
	cfg := civicgrid.DefaultStatsConfig()
	if _, err := os.Stat(dbPath(*data)); err == nil {
		a, _, err := openApp(ctx, *data)
		if err != nil {
			return err
		}
		defer a.Close()
		cfg = a.stats.Config()
	}
	fmt.Fprintf(e.stdout, "Metric definitions, version %d (统计口径)\n", cfg.DefinitionsVersion)
	for _, m := range cfg.Metrics() {
		fmt.Fprintf(e.stdout, "\n%s  %s / %s  (%s)\n", m.Code, m.Name.Zh, m.Name.En, m.Kind)
		fmt.Fprintf(e.stdout, "  公式  %s\n  formula  %s\n", m.Formula.Zh, m.Formula.En)
		if len(m.Counts) > 0 {
			fmt.Fprintf(e.stdout, "  counts  %s\n", strings.Join(m.Counts, " / "))
		}
		if len(m.Less) > 0 {
			fmt.Fprintf(e.stdout, "  分母扣除 excluded  %s\n", strings.Join(m.Less, ", "))
		}
		fmt.Fprintf(e.stdout, "  口径  %s\n  counts as  %s\n", m.Doc.Zh, m.Doc.En)
	}
	return nil
}
