package report_test

import (
	"context"
	"testing"

	"civicgrid"
	"civicgrid/report"
)

type fakeLeagues struct{ err error }

func (f fakeLeagues) League(ctx context.Context, q civicgrid.EvaluationQuery) (*civicgrid.League, error) {
	if f.err != nil {
		return nil, f.err
	}
	score := 91.5
	return &civicgrid.League{Kind: q.Kind, Month: q.Month, Status: civicgrid.LeagueLive, Groups: []*civicgrid.LeagueGroup{
		{Name: civicgrid.Text{Zh: "市级部门", En: "City departments"}, Rows: []*civicgrid.LeagueRow{{Key: "1", Name: civicgrid.Text{Zh: "环卫处"}, Rank: 1, Score: &score}}},
		{Name: civicgrid.Text{Zh: "空组"}},
	}}, nil
}

type fakeEmerging struct{ got civicgrid.HotspotQuery }

func (f *fakeEmerging) Emerging(ctx context.Context, q civicgrid.HotspotQuery) (*civicgrid.HotspotResult, error) {
	f.got = q
	return &civicgrid.HotspotResult{From: q.Date.AddDays(-6), To: q.Date.AddDays(1), Rows: []*civicgrid.Hotspot{
		{Key: "330102001001001", Reported: 9, Test: &civicgrid.PoissonTest{Observed: 9, Expected: 1.5, P: 0.00012, Score: 3.92}},
	}}, nil
}

// TestSections: the league tables and the emerging hotspots come in as
// sections; a source that refuses the actor leaves its section out.
func TestSections(t *testing.T) {
	em := &fakeEmerging{}
	b := &report.Builder{Stats: &fakeStats{}, City: fixtureCity, Evaluations: report.EvaluationSection(fakeLeagues{}), Hotspots: report.HotspotSection(em)}
	r, err := b.Build(t.Context(), report.Weekly, date("2026-04-15"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sections) != 2 || r.Sections[0].ID != "evaluation" || r.Sections[1].ID != "emerging" {
		t.Fatalf("sections: %+v", r.Sections)
	}
	if n := len(r.Sections[0].Tables); n != 2 { // units and streets, one non-empty group each
		t.Errorf("%d league tables", n)
	}
	lt := r.Table("league_unit_1")
	if lt == nil || lt.Rows[0][1].Text.Zh != "环卫处" || lt.Rows[0][2].Num != 91.5 {
		t.Errorf("league table: %+v", lt)
	}
	if em.got.Date.String() != "2026-04-19" || em.got.Level != civicgrid.DimCell {
		t.Errorf("emerging asked for %+v", em.got)
	}
	et := r.Table("emerging")
	if et == nil || report.FormatValue(report.Decimal, et.Rows[0][4]) != "0.00012" {
		t.Errorf("emerging table: %+v", et)
	}

	b.Evaluations = report.EvaluationSection(fakeLeagues{err: civicgrid.Errorf(civicgrid.Forbidden, "no")})
	b.Hotspots = nil
	if r, err = b.Build(t.Context(), report.Weekly, date("2026-04-15")); err != nil || len(r.Sections) != 0 {
		t.Errorf("sections without access: %v %+v", err, r.Sections)
	}
	b.Evaluations = report.EvaluationSection(fakeLeagues{err: civicgrid.Errorf(civicgrid.Internal, "broken")})
	if _, err = b.Build(t.Context(), report.Weekly, date("2026-04-15")); err == nil {
		t.Error("a failing source did not fail the report")
	}
}

type fakeComponents struct {
	got  civicgrid.HotspotQuery
	rows []*civicgrid.ComponentHotspot
}

func (f *fakeComponents) Components(ctx context.Context, q civicgrid.HotspotQuery) (*civicgrid.ComponentHotspotResult, error) {
	f.got = q
	return &civicgrid.ComponentHotspotResult{From: q.From, To: q.To, MinCases: 2, Rows: f.rows}, nil
}

// TestComponentSection: the components with repeated cases in the period
// come in as a section of their own, with their maintainer; a period
// without any leaves it out.
func TestComponentSection(t *testing.T) {
	fc := &fakeComponents{rows: []*civicgrid.ComponentHotspot{{Code: "33010201001000001", Name: "上水井盖", State: "破损",
		CategoryName: civicgrid.Text{Zh: "上水井盖"}, Cell: "330102001001001", UnitName: civicgrid.Text{Zh: "市政处"}, Count: 4, LatestNumber: "2026-000123"}}}
	b := &report.Builder{Stats: &fakeStats{}, City: fixtureCity, Components: report.ComponentSection(fc)}
	r, err := b.Build(t.Context(), report.Monthly, date("2026-04-15"))
	if err != nil {
		t.Fatal(err)
	}
	if fc.got.From.String() != "2026-04-01" || fc.got.To.String() != "2026-05-01" {
		t.Errorf("asked for %s – %s, want the month", fc.got.From, fc.got.To)
	}
	ct := r.Table("component_repeats")
	if len(r.Sections) != 1 || ct == nil || len(ct.Rows) != 1 {
		t.Fatalf("sections %+v", r.Sections)
	}
	if row := ct.Rows[0]; row[1].Text.Zh != "上水井盖 · 破损" || row[4].Text.Zh != "市政处" || row[5].Num != 4 || row[6].Text.Zh != "2026-000123" {
		t.Errorf("row %+v", row)
	}
	fc.rows = nil
	if r, err = b.Build(t.Context(), report.Monthly, date("2026-04-15")); err != nil || len(r.Sections) != 0 {
		t.Errorf("no repeats: %v, sections %+v", err, r.Sections)
	}
}
