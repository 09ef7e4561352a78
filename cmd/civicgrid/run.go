package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usageError is a mistake in the command line; the program exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// env is what every command gets from the process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand: its name, a one-line summary and its body.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the server (--demo builds a demo city on first start)", runServe},
		{"migrate", "create or upgrade the database", runMigrate},
		{"user add", "create a user; --token prints an API token", runUserAdd},
		{"unit add", "create a responsible unit (专业部门/处置单位)", runUnitAdd},
		{"route add", "route a category (prefix) in an area to a unit", runRouteAdd},
		{"import grid", "import grid cells and areas from a GeoJSON FeatureCollection", runImportGrid},
		{"import taxonomy", "add or replace categories from a JSON or CSV file, or pick a shipped directory", runImportTaxonomy},
		{"import calendar", "change working periods and add holidays or 调休 workdays from a JSON file", runImportCalendar},
		{"import hotline", "import work orders exported from a 12345 hotline system (CSV), all or nothing", runImportHotline},
		{"import cases", "import the cases of the previous system (历史案卷) from a CSV file, all or nothing", runImportCases},
		{"import cameras", "register cameras and the alarm-class table of the camera channel (JSON)", runImportCameras},
		{"import components", "register components (部件台账: manhole covers, street lamps, …) from a CSV file, all or nothing", runImportComponents},
		{"apikey add", "issue an API key for an application (Open311 clients, camera systems); prints it", runAPIKeyAdd},
		{"jobs run", "run one background job once (e.g. sla.overdue)", runJobsRun},
		{"metrics", "print the metric definitions (统计口径), in Chinese and English, with formulas", runMetrics},
		{"stats verify", "recompute the statistics from the events and compare; exit 1 on a difference", runStatsVerify},
		{"stats rebuild", "replace the statistics with a recomputation from the events", runStatsRebuild},
		{"config set", "store the metric, evaluation or hotspot config: config set stats|evaluation|hotspots FILE.json (validated)", runConfigSet},
		{"config show", "print the metric, evaluation or hotspot config in use: config show stats|evaluation|hotspots", runConfigShow},
		{"evaluate publish", "freeze a month's league tables (考评排名): --month 2026-03", runEvaluatePublish},
		{"evaluate show", "print a league table: --kind unit --month 2026-03", runEvaluateShow},
		{"report", "write a daily, weekly or monthly analysis report (分析报告) as text, HTML, XLSX, CSV or JSON", runReport},
		{"bench stats", "load synthetic cases (--cases 10000000) and time the statistics against a GROUP BY", runBenchStats},
		{"version", "print the version", runVersion},
	}
}

// run dispatches args[1:] to a subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	rest := args[1:]
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(rest) >= len(words) && strings.Join(rest[:len(words)], " ") == c.name {
			err := c.run(ctx, e, rest[len(words):])
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printUsage(stdout)
		return nil
	}
	return usagef("unknown command %q; run 'civicgrid help'", strings.Join(rest, " "))
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "civicgrid: grid-based urban management (数字城管)")
	fmt.Fprintln(w, "\nUsage: civicgrid COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'civicgrid COMMAND -h' for a command's flags.")
}

// parseFlags parses args with fs, turning any problem into a one-line usage
// error; -h prints the flags and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string, e env) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return err
	}
	if err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}
