package demo_test

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"civicgrid"
	"civicgrid/demo"
)

// TestEngineAgrees replays generated histories through the real
// CaseService on a twin of the demo store, action by action at the same
// instants and by the same actors, and checks that the engine allows every
// step and writes the same events and the same case. Every distinct path
// is replayed (at most twice).
func TestEngineAgrees(t *testing.T) {
	b := smallCity(t)
	ctx := context.Background()
	db, _, err := build(ctx, t.TempDir(), demo.Options{Seed: 7, Now: testNow, Cases: smallCases})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var city *civicgrid.City
	users := map[civicgrid.UserID]*civicgrid.User{0: civicgrid.SystemUser}
	err = db.View(ctx, func(tx civicgrid.Tx) error {
		if city, err = civicgrid.LoadCity(ctx, tx); err != nil {
			return err
		}
		us, err := tx.FindUsers(ctx, civicgrid.UserFilter{})
		for _, u := range us {
			users[u.ID] = u
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var now time.Time
	svc := civicgrid.NewCaseService(db, func() *civicgrid.City { return city }, func() time.Time { return now })

	// Real reports continue each year's sequence after the demo's.
	perYear := map[int]int{}
	for _, c := range b.cases {
		perYear[c.CreatedAt.In(city.Location()).Year()]++
	}

	seen := map[string]int{}
	replayed := 0
	for _, orig := range b.cases {
		evs := b.events[orig.ID]
		var path []string
		for _, ev := range evs {
			path = append(path, string(ev.Action))
		}
		sig := strings.Join(path, " ") + " → " + string(orig.Status)
		if seen[sig] >= 2 {
			continue
		}
		seen[sig]++
		replayed++
		var c *civicgrid.Case
		for i, ev := range evs {
			now = ev.At
			actx := civicgrid.WithActor(ctx, users[ev.ActorID])
			switch ev.Action {
			case civicgrid.ActionReport:
				c, err = svc.Report(actx, civicgrid.ReportInput{CategoryCode: orig.CategoryCode, Lat: orig.Lat, Lon: orig.Lon,
					Address: orig.Address, Description: orig.Description, Source: orig.Source, Reporter: orig.Reporter,
					Intake: replayIntake(orig.Intake), Distinct: true}) // the generator opens every case on its own: none is a duplicate
				if err == nil {
					y := ev.At.In(city.Location()).Year()
					perYear[y]++
					if want := fmt.Sprintf("%d-%06d", y, perYear[y]); c.Number != want {
						t.Errorf("a new report is %s, want %s", c.Number, want)
					}
				}
			case civicgrid.ActionOverdue:
				_, err = svc.SweepOverdue(ctx)
				if err == nil {
					err = db.View(ctx, func(tx civicgrid.Tx) error {
						c, err = tx.FindCase(ctx, c.ID)
						return err
					})
				}
			default:
				in := civicgrid.ActionInput{Action: ev.Action, Version: c.Version, Note: ev.Note}
				if ev.Action == civicgrid.ActionDispatch {
					id, _ := strconv.ParseInt(ev.Data["unit_id"], 10, 64)
					in.UnitID = civicgrid.UnitID(id)
				}
				if ev.Action == civicgrid.ActionExtendRequest {
					ext, perr := parseLimit(ev.Data["extension"])
					if perr != nil {
						t.Fatal(perr)
					}
					in.Extension = &ext
				}
				c, err = svc.Act(actx, c.ID, in)
			}
			if err != nil {
				t.Fatalf("case %s (%s), event %d %s by %s at %v: the engine says %v", orig.Number, sig, i, ev.Action, users[ev.ActorID].Name, ev.At, err)
			}
		}
		var got []*civicgrid.CaseEvent
		err = db.View(ctx, func(tx civicgrid.Tx) error {
			if c, err = tx.FindCase(ctx, c.ID); err != nil {
				return err
			}
			got, err = tx.FindEvents(ctx, c.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffEvents(evs, got); diff != "" {
			t.Errorf("case %s (%s): events differ: %s", orig.Number, sig, diff)
		}
		if diff := diffCase(orig, c); diff != "" {
			t.Errorf("case %s (%s): case differs: %s", orig.Number, sig, diff)
		}
	}
	t.Logf("replayed %d cases covering %d distinct paths", replayed, len(seen))
}

func eqTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

func diffEvents(want, got []*civicgrid.CaseEvent) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d events, the engine wrote %d", len(want), len(got))
	}
	for i, w := range want {
		g := got[i]
		onTime := func(b *bool) string {
			if b == nil {
				return "-"
			}
			return strconv.FormatBool(*b)
		}
		switch {
		case w.Action != g.Action || w.ActorID != g.ActorID || w.ActorName != g.ActorName || w.Role != g.Role:
			return fmt.Sprintf("event %d: %s by %s (%s), engine %s by %s (%s)", i, w.Action, w.ActorName, w.Role, g.Action, g.ActorName, g.Role)
		case !w.At.Equal(g.At) || w.From != g.From || w.To != g.To || w.Note != g.Note:
			return fmt.Sprintf("event %d %s: %v %s→%s %q, engine %v %s→%s %q", i, w.Action, w.At, w.From, w.To, w.Note, g.At, g.From, g.To, g.Note)
		case w.StageEnded != g.StageEnded || onTime(w.OnTime) != onTime(g.OnTime) || !eqTime(w.Deadline, g.Deadline):
			return fmt.Sprintf("event %d %s: ended %q on time %s deadline %v, engine %q %s %v", i, w.Action,
				w.StageEnded, onTime(w.OnTime), w.Deadline, g.StageEnded, onTime(g.OnTime), g.Deadline)
		case !maps.Equal(w.Data, g.Data):
			return fmt.Sprintf("event %d %s: data %v, engine %v", i, w.Action, w.Data, g.Data)
		}
	}
	return ""
}

func diffCase(w, g *civicgrid.Case) string {
	type field struct {
		name string
		eq   bool
		w, g any
	}
	fields := []field{
		{"status", w.Status == g.Status, w.Status, g.Status},
		{"stage", w.Stage == g.Stage, w.Stage, g.Stage},
		{"stage started", eqTime(w.StageStartedAt, g.StageStartedAt), w.StageStartedAt, g.StageStartedAt},
		{"stage limit", w.StageLimit == g.StageLimit, w.StageLimit, g.StageLimit},
		{"deadline", eqTime(w.Deadline, g.Deadline), w.Deadline, g.Deadline},
		{"cell", w.CellCode == g.CellCode && w.CommunityCode == g.CommunityCode && w.StreetCode == g.StreetCode && w.DistrictCode == g.DistrictCode, w.CellCode, g.CellCode},
		{"place", w.Lat == g.Lat && w.Lon == g.Lon && w.Address == g.Address, w.Address, g.Address},
		{"reporter", w.Reporter == g.Reporter, w.Reporter, g.Reporter},
		{"unit", w.UnitID == g.UnitID, w.UnitID, g.UnitID},
		{"inspector", w.InspectorID == g.InspectorID, w.InspectorID, g.InspectorID},
		{"urgent", w.Urgent == g.Urgent, w.Urgent, g.Urgent},
		{"overdue", w.Overdue == g.Overdue, w.Overdue, g.Overdue},
		{"counters", w.Returns == g.Returns && w.Reworks == g.Reworks && w.Extensions == g.Extensions && w.Dispatches == g.Dispatches && w.Urges == g.Urges && w.Reports == g.Reports,
			[]int{w.Returns, w.Reworks, w.Extensions, w.Dispatches, w.Urges, w.Reports}, []int{g.Returns, g.Reworks, g.Extensions, g.Dispatches, g.Urges, g.Reports}},
		{"pending extension", (w.PendingExtension == nil) == (g.PendingExtension == nil) && (w.PendingExtension == nil || *w.PendingExtension == *g.PendingExtension), w.PendingExtension, g.PendingExtension},
		{"suspended", w.SuspendedFrom == g.SuspendedFrom && w.SuspendedLeft == g.SuspendedLeft, []any{w.SuspendedFrom, w.SuspendedLeft}, []any{g.SuspendedFrom, g.SuspendedLeft}},
		{"workflow version", w.WorkflowVersion == g.WorkflowVersion, w.WorkflowVersion, g.WorkflowVersion},
		{"times", w.CreatedAt.Equal(g.CreatedAt) && w.UpdatedAt.Equal(g.UpdatedAt) && eqTime(w.ClosedAt, g.ClosedAt), []any{w.CreatedAt, w.UpdatedAt, w.ClosedAt}, []any{g.CreatedAt, g.UpdatedAt, g.ClosedAt}},
		{"version", w.Version == g.Version, w.Version, g.Version},
		{"text", w.Description == g.Description && w.Source == g.Source && w.CategoryCode == g.CategoryCode, w.Description, g.Description},
		{"deadlines", len(w.Deadlines) == len(g.Deadlines), w.Deadlines, g.Deadlines},
	}
	for st, d := range w.Deadlines {
		e, ok := g.Deadlines[st]
		if !ok || !d.Started.Equal(e.Started) || !d.Due.Equal(e.Due) || !eqTime(d.Ended, e.Ended) || d.Overdue != e.Overdue {
			fields = append(fields, field{"deadline of " + string(st), false, d, e})
		}
	}
	var out []string
	for _, f := range fields {
		if !f.eq {
			out = append(out, fmt.Sprintf("%s %v, engine %v", f.name, f.w, f.g))
		}
	}
	return strings.Join(out, "; ")
}

// replayIntake is orig's intake without the sending system's id: the
// replay runs beside the generated case, whose id would make the report a
// repeat of it.
func replayIntake(orig civicgrid.Intake) civicgrid.Intake {
	orig.ExternalID = ""
	return orig
}
