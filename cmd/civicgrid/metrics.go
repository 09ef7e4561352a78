package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"civicgrid"
)

// runMetrics prints the metric definitions in Chinese and English.
func runMetrics(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("metrics", flag.ContinueOnError)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	cfg := civicgrid.DefaultStatsConfig()
	fmt.Fprintf(e.stdout, "Metric definitions, version %d (统计口径)\n", cfg.DefinitionsVersion)
	for _, m := range cfg.Metrics() {
		fmt.Fprintf(e.stdout, "\n%s  %s / %s  (%s)\n", m.Code, m.Name.Zh, m.Name.En, m.Kind)
		fmt.Fprintf(e.stdout, "  公式  %s\n  formula  %s\n", m.Formula.Zh, m.Formula.En)
		if len(m.Counts) > 0 {
			fmt.Fprintf(e.stdout, "  counts  %s\n", strings.Join(m.Counts, " / "))
		}
		fmt.Fprintf(e.stdout, "  口径  %s\n  counts as  %s\n", m.Doc.Zh, m.Doc.En)
	}
	return nil
}
