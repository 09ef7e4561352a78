package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"civicgrid/jobs"
)

func runJobsRun(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("jobs run", flag.ContinueOnError)
	data := dataFlag(fs, e)
	var name string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if name == "" {
		return usagef("jobs run: name a job, e.g. civicgrid jobs run sla.overdue")
	}
	a, _, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	r := jobs.NewRunner(slog.New(slog.DiscardHandler), sweeps(a)...)
	n, err := r.RunOnce(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d changed\n", name, n)
	return nil
}
