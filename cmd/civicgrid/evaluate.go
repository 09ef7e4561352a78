package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"civicgrid"
)

// configKeys maps the names config set and show take to their settings.
var configKeys = map[string]string{"stats": civicgrid.SettingStatsConfig, "evaluation": civicgrid.SettingEvaluationConfig,
	"hotspots": civicgrid.SettingHotspots}

// runConfigSet validates FILE.json as the metric (stats), evaluation or
// hotspot config and stores it. The server uses the first two from its
// next start; the hotspot config is read per query, so it applies at once.
func runConfigSet(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("config set", flag.ContinueOnError)
	data := dataFlag(fs, e)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 2 || configKeys[fs.Arg(0)] == "" {
		return usagef("config set: want stats|evaluation|hotspots FILE.json")
	}
	body, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		return err
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if fs.Arg(0) == "hotspots" {
		return setHotspotConfig(sys, e, a, body)
	}
	if err := civicgrid.SaveConfigSetting(sys, a.db, configKeys[fs.Arg(0)], body); err != nil {
		return cliError(err)
	}
	fmt.Fprintf(e.stdout, "config %s: stored; restart the server to use it\n", fs.Arg(0))
	return nil
}

// runConfigShow prints the config in use (the stored one, or the default).
func runConfigShow(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("config show", flag.ContinueOnError)
	data := dataFlag(fs, e)
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 || configKeys[fs.Arg(0)] == "" {
		return usagef("config show: want stats|evaluation|hotspots")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	var v any
	switch fs.Arg(0) {
	case "hotspots":
		if v, err = civicgrid.NewHotspotService(a.stats).Config(sys); err != nil {
			return cliError(err)
		}
	case "stats":
		v = a.stats.Config()
	default:
		v = a.evals.Config()
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// setHotspotConfig stores body as the hotspot config through
// HotspotService.SetConfig, whose validation (ranges, zero for the
// default) is the API's and the admin page's. Unknown fields are refused.
func setHotspotConfig(sys context.Context, e env, a *app, body []byte) error {
	var cfg civicgrid.HotspotConfig
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return fmt.Errorf("not a valid hotspot config: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return fmt.Errorf("not a valid hotspot config: more than one JSON value")
	}
	if err := civicgrid.NewHotspotService(a.stats).SetConfig(sys, cfg); err != nil {
		return cliError(err)
	}
	fmt.Fprintln(e.stdout, "config hotspots: stored; it applies at once (a changed recurrence_days marks later reports only)")
	return nil
}

// runEvaluatePublish freezes a month's league tables.
func runEvaluatePublish(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("evaluate publish", flag.ContinueOnError)
	data := dataFlag(fs, e)
	month := fs.String("month", "", "the `month` to publish, e.g. 2026-03 (required)")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if *month == "" || fs.NArg() > 0 {
		return usagef("evaluate publish: --month is required and no arguments are taken")
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	ls, err := a.evals.Publish(sys, *month)
	if err != nil {
		return cliError(err)
	}
	for _, l := range ls {
		n := 0
		for _, g := range l.Groups {
			n += len(g.Rows)
		}
		fmt.Fprintf(e.stdout, "published %s %s: revision %d, %d rows\n", *month, l.Kind, l.Revision, n)
	}
	return nil
}

// runEvaluateShow prints a league table.
func runEvaluateShow(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("evaluate show", flag.ContinueOnError)
	data := dataFlag(fs, e)
	kind := fs.String("kind", "unit", "`kind`: unit, street, community, inspector, operator, shift_leader or dispatcher")
	month := fs.String("month", "", "the `month`, e.g. 2026-03 (default: last month)")
	live := fs.Bool("live", false, "compute it now even when the month is published")
	asJSON := fs.Bool("json", false, "print the table as JSON, as GET /api/v1/evaluations answers")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("evaluate show: unexpected argument %q", fs.Arg(0))
	}
	a, sys, err := openApp(ctx, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if *month == "" {
		*month = civicgrid.AddMonths(a.evals.CurrentMonth(), -1)
	}
	l, err := a.evals.League(sys, civicgrid.EvaluationQuery{Kind: civicgrid.EvalKind(*kind), Month: *month, Live: *live})
	if err != nil {
		return cliError(err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(l)
	}
	status := "live (not published)"
	if l.Status == civicgrid.LeaguePublished {
		status = fmt.Sprintf("published, revision %d", l.Revision)
	}
	fmt.Fprintf(e.stdout, "%s %s (%s), %s; definitions v%d, scheme v%d\n", l.Kind.Name().Zh, l.Month, l.Kind, status, l.DefinitionsVersion, l.ConfigVersion)
	head := []string{"rank", "name", "score"}
	for _, it := range l.Config.Items {
		head = append(head, it.Metric)
	}
	for _, g := range l.Groups {
		fmt.Fprintf(e.stdout, "\n%s\n", g.Name.Zh)
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, r := range g.Rows {
			cells := []string{fmt.Sprint(r.Rank), r.Name.Zh, num(r.Score)}
			for _, it := range l.Config.Items {
				cells = append(cells, num(r.SubScores[it.Metric]))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		tw.Flush()
	}
	for _, c := range l.Corrections {
		fmt.Fprintf(e.stdout, "\ncorrection r%d %s by %s: %s %s %s → %g (%s)\n", c.Revision, c.At.Format("2006-01-02 15:04"), c.ByName, c.RowKey, c.Field, num(c.Old), c.New, c.Reason)
	}
	return nil
}

// num formats a score, "-" for none.
func num(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *v)
}
