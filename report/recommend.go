package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"civicgrid"
)

// Thresholds decide when the numbers call for a recommendation.
type Thresholds struct {
	// MinDue is the fewest cases due for closing, in both periods, for a
	// unit's drop in on-time closing rate to count.
	MinDue int64
	// MinDrop is the smallest drop in on-time closing rate that counts, as
	// a fraction (0.05 is 5 points).
	MinDrop float64
	// MinZ is the two-proportion z statistic the drop must reach (1.96:
	// significant at 5 %, two-sided).
	MinZ float64
	// MaxSlipping is the most slipping units named.
	MaxSlipping int
	// RecurrenceDays is the shortest window for recurrences; a shorter
	// period looks back this many days from its end.
	RecurrenceDays int
	// MinRecurrences is the fewest reports of one category in one cell in
	// the window that make a recurrence.
	MinRecurrences int
	// PatrolDays is how far back tomorrow's patrol list looks; PatrolCells
	// how many cells it names; MinPatrolReports the fewest reports a cell
	// needs to be named.
	PatrolDays, PatrolCells int
	MinPatrolReports        int64
	// HotCells, HotCommunities, OverdueUnits and MapCells bound the tables
	// and the map.
	HotCells, HotCommunities, OverdueUnits, MapCells int
}

// DefaultThresholds are the thresholds for a report of kind k: the volume
// a unit needs grows with the period.
func DefaultThresholds(k Kind) Thresholds {
	t := Thresholds{MinDue: 30, MinDrop: 0.05, MinZ: 1.96, MaxSlipping: 3, RecurrenceDays: 28, MinRecurrences: 3,
		PatrolDays: 7, PatrolCells: 5, MinPatrolReports: 2,
		HotCells: 15, HotCommunities: 10, OverdueUnits: 12, MapCells: 1500}
	switch k {
	case Daily:
		t.MinDue = 10
	case Weekly:
		t.MinDue = 20
	}
	return t
}

// recurrence is one cell producing one category again and again.
type recurrence struct {
	cell, name string
	category   *civicgrid.Category
	n, total   int64 // reports of the category, reports of the cell
}

// recurrences finds the cells with MinRecurrences or more reports of one
// category in the recurrence window, from the aggregates' cell × category
// grouping (the same numbers as /api/v1/stats?group_by=cell,category).
func (d *data) recurrences(ctx context.Context) (*Table, error) {
	t := &Table{ID: "recurrences", Title: civicgrid.Text{Zh: "反复发生的问题", En: "Recurring problems"},
		Note: civicgrid.Text{Zh: fmt.Sprintf("%s 至 %s 同一网格同一类问题的上报数（不少于 %d 次）。", d.window.From, d.window.Last(), d.th.MinRecurrences),
			En: fmt.Sprintf("Reports of one category in one cell, %s to %s (%d or more).", d.window.From, d.window.Last(), d.th.MinRecurrences)},
		Columns: []Column{col("cell", "网格编码", "Cell", Label), col("name", "位置", "Where", Label), col("category", "类别", "Category", Label),
			col("reports", "上报数", "Reports", Count), col("cell_reported", "网格上报数", "Reports in the cell", Count)}}
	pairs, err := d.query(ctx, civicgrid.DimCellCategory, d.window, "reported")
	if err != nil {
		return nil, err
	}
	cells := d.cur[civicgrid.DimCell]
	if d.window != d.p {
		if cells, err = d.query(ctx, civicgrid.DimCell, d.window, "reported"); err != nil {
			return nil, err
		}
	}
	total := map[string]int64{}
	for _, r := range cells.Rows {
		total[r.Key] = r.Counts["reported"]
	}
	var found []recurrence
	for _, r := range pairs.Rows {
		if n := r.Counts["reported"]; n >= int64(d.th.MinRecurrences) {
			cell, code := civicgrid.SplitPairValue(r.Key)
			found = append(found, recurrence{cell, d.cellName(cell), d.city.Categories[code], n, total[cell]})
		}
	}
	slices.SortFunc(found, func(a, b recurrence) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.cell, b.cell), cmp.Compare(categoryCode(a.category), categoryCode(b.category)))
	})
	found = found[:min(len(found), maxRecurrences)]
	d.found = found
	for _, f := range found {
		t.Rows = append(t.Rows, []Value{plain(f.cell), plain(f.name), text(categoryName(f.category)), num(f.n), num(f.total)})
	}
	return t, nil
}

// maxRecurrences bounds the recurrences a report lists.
const maxRecurrences = 30

func categoryName(c *civicgrid.Category) civicgrid.Text {
	if c == nil {
		return civicgrid.Text{}
	}
	return c.Name
}

func categoryCode(c *civicgrid.Category) string {
	if c == nil {
		return ""
	}
	return c.Code
}

// recommend writes the recommendations: the slipping units, the cells
// producing the same problem, and the cells tomorrow's patrols should
// cover; each cites its numbers.
func (d *data) recommend() []*Recommendation {
	var out []*Recommendation
	out = append(out, d.slipping()...)
	for i, f := range d.found {
		if i == 3 {
			break
		}
		out = append(out, &Recommendation{Kind: "recurring_cell", Text: civicgrid.Text{
			Zh: fmt.Sprintf("网格 %s（%s）在 %s 至 %s 反复出现「%s」%d 件（该网格同期上报 %d 件），建议从源头治理并纳入重点巡查。",
				f.cell, f.name, d.window.From, d.window.Last(), categoryName(f.category).Zh, f.n, f.total),
			En: fmt.Sprintf("Cell %s (%s) produced %q %d times from %s to %s (of %d reports there): deal with the cause and patrol it closely.",
				f.cell, f.name, categoryName(f.category).In("en"), f.n, d.window.From, d.window.Last(), f.total)}})
	}
	if r := d.patrol(); r != nil {
		out = append(out, r)
	}
	return out
}

// slipping names the units whose on-time closing rate dropped
// significantly against the previous period, the most cases lost first.
func (d *data) slipping() []*Recommendation {
	type slip struct {
		row       *civicgrid.StatRow
		cur, prev float64
		z, lost   float64
	}
	var found []slip
	checked := 0
	old := byKey(d.old[civicgrid.DimUnit])
	for _, r := range d.cur[civicgrid.DimUnit].Rows {
		o := old[r.Key]
		if o == nil || r.Rates["rate_closed_on_time"] == nil || o.Rates["rate_closed_on_time"] == nil {
			continue
		}
		n1, n2 := r.Counts["due_closing"], o.Counts["due_closing"]
		if n1 < d.th.MinDue || n2 < d.th.MinDue {
			continue
		}
		checked++
		p1, p2 := *r.Rates["rate_closed_on_time"], *o.Rates["rate_closed_on_time"]
		z := twoProportionZ(p2, float64(n2), p1, float64(n1))
		if p2-p1 >= d.th.MinDrop && z >= d.th.MinZ {
			found = append(found, slip{r, p1, p2, z, (p2 - p1) * float64(n1)})
		}
	}
	slices.SortStableFunc(found, func(a, b slip) int { return cmp.Compare(b.lost, a.lost) })
	if len(found) == 0 && checked > 0 {
		return []*Recommendation{{Kind: "units_stable", Text: civicgrid.Text{
			Zh: fmt.Sprintf("两期应结案均不少于 %d 件的 %d 个单位中，没有单位的按期结案率显著下降（下降 %.0f 个百分点以上且 z ≥ %.2f）。", d.th.MinDue, checked, d.th.MinDrop*100, d.th.MinZ),
			En: fmt.Sprintf("Of the %d units with at least %d cases due in both periods, none saw its on-time closing rate drop significantly (by %.0f points or more with z ≥ %.2f).", checked, d.th.MinDue, d.th.MinDrop*100, d.th.MinZ)}}}
	}
	var out []*Recommendation
	for i, s := range found {
		if i == d.th.MaxSlipping {
			break
		}
		drop := (s.prev - s.cur) * 100
		out = append(out, &Recommendation{Kind: "slipping_unit", Text: civicgrid.Text{
			Zh: fmt.Sprintf("%s 按期结案率由上期 %.1f%% 降至 %.1f%%，下降 %.1f 个百分点（本期应结案 %d 件，约少 %.0f 件按期结案；z = %.2f，差异显著），建议督办并分析原因。",
				s.row.Name.Zh, s.prev*100, s.cur*100, drop, s.row.Counts["due_closing"], math.Round(s.lost), s.z),
			En: fmt.Sprintf("%s: on-time closing fell from %.1f%% to %.1f%%, down %.1f points (%d cases due, about %.0f fewer closed on time; z = %.2f, significant): urge it and find out why.",
				s.row.Name.In("en"), s.prev*100, s.cur*100, drop, s.row.Counts["due_closing"], math.Round(s.lost), s.z)}})
	}
	return out
}

// twoProportionZ is the z statistic of the difference p1 − p2 between two
// proportions over n1 and n2 trials (pooled standard error); 0 when it
// cannot be computed.
func twoProportionZ(p1, n1, p2, n2 float64) float64 {
	// A rate's numerator and denominator count different events (closed in
	// the period, due in the period), so it can pass 100 %.
	p1, p2 = math.Min(max(p1, 0), 1), math.Min(max(p2, 0), 1)
	pool := (p1*n1 + p2*n2) / (n1 + n2)
	se := math.Sqrt(pool * (1 - pool) * (1/n1 + 1/n2))
	if se == 0 || math.IsNaN(se) {
		return 0
	}
	return (p1 - p2) / se
}

// patrol names the cells tomorrow's patrols should cover: by turns, the
// cells with the most reports in the last PatrolDays days of the period
// and the cells with recurrences.
func (d *data) patrol() *Recommendation {
	type pick struct{ code, zh, en string }
	var recent, recurring []pick
	for _, r := range hottest(d.recent, d.th.PatrolCells) {
		if r.Counts["reported"] < d.th.MinPatrolReports {
			break
		}
		recent = append(recent, pick{r.Key, fmt.Sprintf("%s（%s，近 %d 天上报 %d 件）", r.Key, d.cellName(r.Key), d.th.PatrolDays, r.Counts["reported"]),
			fmt.Sprintf("%s (%s, %d reports in %d days)", r.Key, d.cellName(r.Key), r.Counts["reported"], d.th.PatrolDays)})
	}
	for _, f := range d.found {
		recurring = append(recurring, pick{f.cell, fmt.Sprintf("%s（%s，反复出现「%s」%d 件）", f.cell, f.name, categoryName(f.category).Zh, f.n),
			fmt.Sprintf("%s (%s, %q %d times)", f.cell, f.name, categoryName(f.category).In("en"), f.n)})
	}
	var zh, en []string
	named := map[string]bool{}
	for i := 0; len(zh) < d.th.PatrolCells && (i < len(recent) || i < len(recurring)); i++ {
		for _, list := range [][]pick{recent, recurring} {
			if i < len(list) && !named[list[i].code] && len(zh) < d.th.PatrolCells {
				named[list[i].code] = true
				zh, en = append(zh, list[i].zh), append(en, list[i].en)
			}
		}
	}
	if len(zh) == 0 {
		return nil
	}
	return &Recommendation{Kind: "patrol_cells", Text: civicgrid.Text{
		Zh: fmt.Sprintf("%s 的巡查建议重点覆盖：%s。", d.p.To, strings.Join(zh, "；")),
		En: fmt.Sprintf("Patrols on %s should cover: %s.", d.p.To, strings.Join(en, "; "))}}
}
