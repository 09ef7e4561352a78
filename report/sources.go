package report

import (
	"context"
	"fmt"

	"civicgrid"
)

// Leagues answers league tables: civicgrid.EvaluationService.
type Leagues interface {
	League(ctx context.Context, q civicgrid.EvaluationQuery) (*civicgrid.League, error)
}

// EmergingHotspots finds emerging hotspots: civicgrid.HotspotService.
type EmergingHotspots interface {
	Emerging(ctx context.Context, q civicgrid.HotspotQuery) (*civicgrid.HotspotResult, error)
}

var (
	_ Leagues          = (*civicgrid.EvaluationService)(nil)
	_ EmergingHotspots = (*civicgrid.HotspotService)(nil)
)

// leagueKinds are the league tables a report shows.
var leagueKinds = []civicgrid.EvalKind{civicgrid.EvalUnit, civicgrid.EvalStreet}

// EvaluationSection returns the source of the league tables section: the
// composite scores (综合指标值) of the units and the streets for the month
// of the period (a daily or weekly report shows its month so far).
func EvaluationSection(l Leagues) SectionSource { return leagueSource{l} }

type leagueSource struct{ l Leagues }

func (s leagueSource) ReportSection(ctx context.Context, p Period) (*Section, error) {
	month := p.From.String()[:7]
	sec := &Section{ID: "evaluation", Title: civicgrid.Text{Zh: "综合评价 " + month, En: "Evaluation, " + month}}
	for _, kind := range leagueKinds {
		league, err := s.l.League(ctx, civicgrid.EvaluationQuery{Kind: kind, Month: month})
		if code := civicgrid.ErrorCodeOf(err); code == civicgrid.Forbidden || code == civicgrid.Invalid {
			continue
		}
		if err != nil {
			return nil, err
		}
		status := civicgrid.Text{Zh: "实时计算", En: "live"}
		if league.Status == civicgrid.LeaguePublished {
			status = civicgrid.Text{Zh: fmt.Sprintf("已发布（第 %d 版）", league.Revision), En: fmt.Sprintf("published, revision %d", league.Revision)}
		}
		sec.Notes = append(sec.Notes, civicgrid.Text{Zh: kind.Name().Zh + "：" + status.Zh, En: kind.Name().En + ": " + status.En})
		for i, g := range league.Groups {
			if len(g.Rows) == 0 {
				continue
			}
			t := &Table{ID: fmt.Sprintf("league_%s_%d", kind, i+1), Title: civicgrid.Text{Zh: kind.Name().Zh + " · " + g.Name.Zh, En: kind.Name().En + " · " + g.Name.In("en")},
				Columns: []Column{col("rank", "名次", "Rank", Count), col("name", "名称", "Name", Label), col("score", "综合指标值", "Score", Decimal)}}
			for _, r := range g.Rows {
				rank, score := Value{Null: r.Rank == 0, Num: float64(r.Rank)}, Value{Null: true}
				if r.Score != nil {
					score = Value{Num: *r.Score}
				}
				t.Rows = append(t.Rows, []Value{rank, text(r.Name), score})
			}
			sec.Tables = append(sec.Tables, t)
		}
	}
	if len(sec.Tables) == 0 {
		return nil, nil
	}
	return sec, nil
}

// HotspotSection returns the source of the emerging hotspots section: the
// cells whose reports in the 7 days to the period's last day are
// significantly above their own baseline (a Poisson test).
func HotspotSection(h EmergingHotspots) SectionSource { return emergingSource{h} }

type emergingSource struct{ h EmergingHotspots }

func (s emergingSource) ReportSection(ctx context.Context, p Period) (*Section, error) {
	res, err := s.h.Emerging(ctx, civicgrid.HotspotQuery{Level: civicgrid.DimCell, Date: p.Last(), Limit: 15})
	if code := civicgrid.ErrorCodeOf(err); code == civicgrid.Forbidden || code == civicgrid.Invalid {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	week := res.From.String() + " – " + res.To.AddDays(-1).String()
	t := &Table{ID: "emerging", Title: civicgrid.Text{Zh: "新发热点 " + week, En: "Emerging hotspots, " + week},
		Note: civicgrid.Text{Zh: "7 天上报数显著高于该网格此前各周的周均值（泊松检验）。", En: "Reports in the 7 days significantly above the cell's weekly mean before (a Poisson test)."},
		Columns: []Column{col("cell", "网格编码", "Cell", Label), col("name", "位置", "Where", Label), metricCol("reported"),
			col("expected", "周均基线", "Weekly baseline", Decimal), col("p", "p 值", "p-value", Decimal), col("score", "显著性（−log₁₀p）", "Score (−log₁₀p)", Decimal)}}
	for _, h := range res.Rows {
		row := []Value{plain(h.Key), text(h.Name), num(h.Reported), {Null: true}, {Null: true}, {Null: true}}
		if h.Test != nil {
			row[3], row[4], row[5] = Value{Num: h.Test.Expected}, Value{Num: h.Test.P}, Value{Num: h.Test.Score}
		}
		t.Rows = append(t.Rows, row)
	}
	return &Section{ID: "emerging", Title: civicgrid.Text{Zh: "新发热点", En: "Emerging hotspots"}, Tables: []*Table{t}}, nil
}

// ComponentHotspots finds repeat problems at the same registered component
// (部件): civicgrid.HotspotService.
type ComponentHotspots interface {
	Components(ctx context.Context, q civicgrid.HotspotQuery) (*civicgrid.ComponentHotspotResult, error)
}

var _ ComponentHotspots = (*civicgrid.HotspotService)(nil)

// ComponentSection returns the source of the repeat problems section: the
// registered components (manhole covers, street lamps …) with repeated
// cases in the period, most first, each with the unit that maintains it.
// A period without any leaves the section out.
func ComponentSection(h ComponentHotspots) SectionSource { return componentSource{h} }

type componentSource struct{ h ComponentHotspots }

func (s componentSource) ReportSection(ctx context.Context, p Period) (*Section, error) {
	res, err := s.h.Components(ctx, civicgrid.HotspotQuery{From: p.From, To: p.To, Limit: 20})
	if code := civicgrid.ErrorCodeOf(err); code == civicgrid.Forbidden || code == civicgrid.Invalid {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(res.Rows) == 0 {
		return nil, nil
	}
	t := &Table{ID: "component_repeats", Title: civicgrid.Text{Zh: "部件重复问题", En: "Repeat problems at the same component"},
		Note: civicgrid.Text{Zh: fmt.Sprintf("本期同一部件的案卷不少于 %d 件（含作废的）；应由养护单位查明原因，而不是一次次修补。", res.MinCases),
			En: fmt.Sprintf("Components with %d or more cases in the period (cancelled ones included): the maintainer should find the cause rather than patch it again.", res.MinCases)},
		Columns: []Column{col("component", "部件编码", "Component", Label), col("name", "部件", "Name", Label), col("category", "类别", "Category", Label),
			col("cell", "网格", "Cell", Label), col("unit", "养护单位", "Maintainer", Label), col("cases", "案卷数", "Cases", Count),
			col("latest", "最近案卷", "Latest case", Label)}}
	for _, c := range res.Rows {
		name := c.Name
		if c.State != "" {
			name += " · " + c.State
		}
		t.Rows = append(t.Rows, []Value{plain(c.Code), plain(name), text(c.CategoryName), plain(c.Cell), text(c.UnitName), num(c.Count), plain(c.LatestNumber)})
	}
	return &Section{ID: "components", Title: civicgrid.Text{Zh: "部件重复问题", En: "Repeat problems at the same component"}, Tables: []*Table{t}}, nil
}
