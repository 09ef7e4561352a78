package report

import (
	"cmp"
	"slices"
	"strings"

	"civicgrid"
)

// col is a column.
func col(key, zh, en string, k ColumnKind) Column {
	return Column{Key: key, Title: civicgrid.Text{Zh: zh, En: en}, Kind: k}
}

// metricCol is a column of metric code, titled with its name.
func metricCol(code string) Column {
	m := civicgrid.MetricByCode(code)
	k := Count
	if m.Kind == civicgrid.MetricRate {
		k = Rate
	}
	return Column{Key: code, Title: m.Name, Kind: k}
}

func text(t civicgrid.Text) Value { return Value{Text: t} }
func plain(s string) Value        { return Value{Text: civicgrid.Text{Zh: s}} }
func num(n int64) Value           { return Value{Num: float64(n)} }

// rate is a rate's value, Null when there is none.
func rate(v *float64) Value {
	if v == nil {
		return Value{Null: true}
	}
	return Value{Num: *v}
}

// change is cur − old in percentage points, Null unless both exist.
func change(cur, old *float64) Value {
	if cur == nil || old == nil {
		return Value{Null: true}
	}
	return Value{Num: (*cur - *old) * 100}
}

// operationCodes are the counts of the day's operation.
var operationCodes = []string{"reported", "valid_reported", "accepted", "filed", "dispatched", "handled", "handled_late", "closed",
	"cancelled", "reworked", "returned", "extended", "suspended", "urged"}

func (d *data) operationTable() *Table {
	t := &Table{ID: "operation", Title: civicgrid.Text{Zh: "运行概况", En: "Operation"},
		Columns: []Column{col("metric", "指标", "Metric", Label), col("value", "本期", "This period", Count),
			col("previous", "上期", "Previous period", Count), col("change", "增减", "Change", Count)}}
	cur, old := cityRow(d.cur[civicgrid.DimCity]), cityRow(d.old[civicgrid.DimCity])
	for _, code := range operationCodes {
		m := civicgrid.MetricByCode(code)
		t.Rows = append(t.Rows, []Value{text(m.Name), num(cur.Counts[code]), num(old.Counts[code]), num(cur.Counts[code] - old.Counts[code])})
	}
	return t
}

func (d *data) intakeTable() *Table {
	t := &Table{ID: "intake", Title: civicgrid.Text{Zh: "各渠道上报", En: "Intake by channel"},
		Columns: []Column{col("source", "渠道", "Channel", Label), metricCol("reported"), metricCol("valid_reported"),
			col("share", "占比", "Share", Rate), metricCol("rate_valid_reported")}}
	rows := slices.Clone(d.cur[civicgrid.DimSource].Rows)
	slices.SortStableFunc(rows, func(a, b *civicgrid.StatRow) int { return cmp.Compare(b.Counts["reported"], a.Counts["reported"]) })
	total := cityRow(d.cur[civicgrid.DimCity]).Counts["reported"]
	for _, r := range rows {
		share := Value{Null: true}
		if total > 0 {
			share = Value{Num: float64(r.Counts["reported"]) / float64(total)}
		}
		t.Rows = append(t.Rows, []Value{text(r.Name), num(r.Counts["reported"]), num(r.Counts["valid_reported"]), share, rate(r.Rates["rate_valid_reported"])})
	}
	return t
}

func (d *data) ratesTable() *Table {
	t := &Table{ID: "rates", Title: civicgrid.Text{Zh: "标准比率", En: "Standard rates"},
		Note: civicgrid.Text{Zh: "增减为百分点。", En: "Changes are in percentage points."},
		Columns: []Column{col("rate", "比率", "Rate", Label), col("formula", "公式", "Formula", Label), col("numerator", "分子", "Numerator", Count),
			col("denominator", "分母", "Denominator", Count), col("value", "本期", "This period", Rate), col("previous", "上期", "Previous period", Rate),
			col("change", "增减（点）", "Change (points)", Points)}}
	cur, old := cityRow(d.cur[civicgrid.DimCity]), cityRow(d.old[civicgrid.DimCity])
	for _, m := range civicgrid.DefaultStatsConfig().Metrics() {
		if m.Kind != civicgrid.MetricRate {
			continue
		}
		den := cur.Counts[m.Counts[1]]
		for _, code := range m.Less {
			den -= cur.Counts[code]
		}
		t.Rows = append(t.Rows, []Value{text(m.Name), text(m.Formula), num(cur.Counts[m.Counts[0]]), num(den),
			rate(cur.Rates[m.Code]), rate(old.Rates[m.Code]), change(cur.Rates[m.Code], old.Rates[m.Code])})
	}
	return t
}

// rankedUnits returns the units with cases due for closing, best on-time
// closing rate first (more cases first among equals).
func (d *data) rankedUnits() []*civicgrid.StatRow {
	rows := slices.Clone(d.cur[civicgrid.DimUnit].Rows)
	rows = slices.DeleteFunc(rows, func(r *civicgrid.StatRow) bool { return r.Counts["due_closing"] == 0 })
	slices.SortStableFunc(rows, func(a, b *civicgrid.StatRow) int {
		return cmp.Or(cmpRate(a.Rates["rate_closed_on_time"], b.Rates["rate_closed_on_time"]), cmp.Compare(b.Counts["due_closing"], a.Counts["due_closing"]))
	})
	return rows
}

func (d *data) unitTable() *Table {
	t := &Table{ID: "units", Title: civicgrid.Text{Zh: "单位排名", En: "Units ranked"},
		Note: civicgrid.Text{Zh: "按按期结案率排序；只列本期有应结案的单位。", En: "By on-time closing rate; units with cases due for closing in the period."},
		Columns: []Column{col("rank", "名次", "Rank", Count), col("unit", "单位", "Unit", Label), metricCol("due_closing"), metricCol("closed"),
			metricCol("closed_on_time"), metricCol("reworked"), metricCol("rate_closed_on_time"), metricCol("rate_closed"), metricCol("rate_reworked"),
			col("previous", "上期按期结案率", "Previous on-time closing rate", Rate), col("change", "增减（点）", "Change (points)", Points)}}
	old := byKey(d.old[civicgrid.DimUnit])
	for i, r := range d.rankedUnits() {
		var prev *float64
		if o := old[r.Key]; o != nil {
			prev = o.Rates["rate_closed_on_time"]
		}
		t.Rows = append(t.Rows, []Value{num(int64(i + 1)), text(r.Name), num(r.Counts["due_closing"]), num(r.Counts["closed"]),
			num(r.Counts["closed_on_time"]), num(r.Counts["reworked"]), rate(r.Rates["rate_closed_on_time"]), rate(r.Rates["rate_closed"]),
			rate(r.Rates["rate_reworked"]), rate(prev), change(r.Rates["rate_closed_on_time"], prev)})
	}
	return t
}

var areaTitles = map[civicgrid.StatDim][2]civicgrid.Text{
	civicgrid.DimDistrict: {{Zh: "区县排名", En: "Districts ranked"}, {Zh: "区县", En: "District"}},
	civicgrid.DimStreet:   {{Zh: "街道排名", En: "Streets ranked"}, {Zh: "街道", En: "Street"}},
}

// areaTable ranks districts or streets by on-time closing rate.
func (d *data) areaTable(dim civicgrid.StatDim) *Table {
	titles := areaTitles[dim]
	t := &Table{ID: string(dim) + "s", Title: titles[0],
		Columns: []Column{col("rank", "名次", "Rank", Count), {Key: string(dim), Title: titles[1], Kind: Label}, metricCol("reported"), metricCol("filed"),
			metricCol("due_closing"), metricCol("closed"), metricCol("rate_closed_on_time"), metricCol("rate_closed"), metricCol("rate_reworked")}}
	rows := slices.Clone(d.cur[dim].Rows)
	slices.SortStableFunc(rows, func(a, b *civicgrid.StatRow) int {
		return cmp.Or(cmpRate(a.Rates["rate_closed_on_time"], b.Rates["rate_closed_on_time"]), cmp.Compare(b.Counts["reported"], a.Counts["reported"]))
	})
	for i, r := range rows {
		t.Rows = append(t.Rows, []Value{num(int64(i + 1)), text(r.Name), num(r.Counts["reported"]), num(r.Counts["filed"]), num(r.Counts["due_closing"]),
			num(r.Counts["closed"]), rate(r.Rates["rate_closed_on_time"]), rate(r.Rates["rate_closed"]), rate(r.Rates["rate_reworked"])})
	}
	return t
}

// hottest returns the rows of res with reports, most reports first, at
// most n.
func hottest(res *civicgrid.StatsResult, n int) []*civicgrid.StatRow {
	rows := slices.Clone(res.Rows)
	rows = slices.DeleteFunc(rows, func(r *civicgrid.StatRow) bool { return r.Counts["reported"] == 0 })
	slices.SortStableFunc(rows, func(a, b *civicgrid.StatRow) int { return cmp.Compare(b.Counts["reported"], a.Counts["reported"]) })
	return rows[:min(n, len(rows))]
}

// cellName is a cell's name with its community, unless the name already
// says it: 东坡社区 3 号网格.
func (d *data) cellName(code string) string {
	name := ""
	if c := d.city.Grid.Cell(code); c != nil {
		name = c.Name
	}
	if len(code) < 12 {
		return name
	}
	a := d.city.Grid.Area(code[:12])
	switch {
	case a == nil || strings.HasPrefix(name, a.Name):
		return name
	case name == "":
		return a.Name
	}
	return a.Name + " " + name
}

func (d *data) cellTable() *Table {
	t := &Table{ID: "cells", Title: civicgrid.Text{Zh: "热点网格", En: "Hotspot cells"},
		Note: civicgrid.Text{Zh: "按本期上报数排序。", En: "By reports in the period."},
		Columns: []Column{col("rank", "名次", "Rank", Count), col("cell", "网格编码", "Cell", Label), col("name", "位置", "Where", Label),
			metricCol("reported"), col("previous", "上期上报数", "Previous reports", Count), col("change", "增减", "Change", Count)}}
	old := byKey(d.old[civicgrid.DimCell])
	for i, r := range hottest(d.cur[civicgrid.DimCell], d.th.HotCells) {
		var prev int64
		if o := old[r.Key]; o != nil {
			prev = o.Counts["reported"]
		}
		t.Rows = append(t.Rows, []Value{num(int64(i + 1)), plain(r.Key), plain(d.cellName(r.Key)), num(r.Counts["reported"]), num(prev),
			num(r.Counts["reported"] - prev)})
	}
	return t
}

func (d *data) communityTable() *Table {
	t := &Table{ID: "communities", Title: civicgrid.Text{Zh: "热点社区", En: "Hotspot communities"},
		Columns: []Column{col("rank", "名次", "Rank", Count), col("community", "社区", "Community", Label), col("street", "街道", "Street", Label),
			metricCol("reported"), col("previous", "上期上报数", "Previous reports", Count), col("change", "增减", "Change", Count), metricCol("rate_closed_on_time")}}
	old := byKey(d.old[civicgrid.DimCommunity])
	for i, r := range hottest(d.cur[civicgrid.DimCommunity], d.th.HotCommunities) {
		var prev int64
		if o := old[r.Key]; o != nil {
			prev = o.Counts["reported"]
		}
		street := ""
		if a := d.city.Grid.Area(r.Key[:min(9, len(r.Key))]); a != nil {
			street = a.Name
		}
		t.Rows = append(t.Rows, []Value{num(int64(i + 1)), text(r.Name), plain(street), num(r.Counts["reported"]), num(prev),
			num(r.Counts["reported"] - prev), rate(r.Rates["rate_closed_on_time"])})
	}
	return t
}

// trendTable is the trend as a table.
func trendTable(tr *Trend) *Table {
	t := &Table{ID: "trend", Title: tr.Title, Columns: []Column{col("period", "时段", "Period", Label)}}
	for _, s := range tr.Series {
		t.Columns = append(t.Columns, metricCol(s.Code))
	}
	for i, label := range tr.Labels {
		row := []Value{plain(label)}
		for _, s := range tr.Series {
			row = append(row, rate(s.Values[i]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// hotMap is the hotspot map: the streets around the hotspots as the
// background, and the cells with reports in the period (the MapCells
// busiest), shaded by their reports.
func (d *data) hotMap() *HotMap {
	hot := hottest(d.cur[civicgrid.DimCell], d.th.HotCells)
	if len(hot) == 0 {
		return nil
	}
	m := &HotMap{Bounds: civicgrid.EmptyBounds()}
	for i, r := range hottest(d.cur[civicgrid.DimCell], d.th.MapCells) {
		c := d.city.Grid.Cell(r.Key)
		if c == nil {
			continue
		}
		mc := MapCell{Code: c.Code, Name: d.cellName(c.Code), Shape: c.Shape, Reported: r.Counts["reported"]}
		if i < len(hot) {
			mc.Rank = i + 1
			b := c.Shape.Bounds()
			m.Bounds = m.Bounds.Extend(civicgrid.Point{Lat: b.MinLat, Lon: b.MinLon}).Extend(civicgrid.Point{Lat: b.MaxLat, Lon: b.MaxLon})
		}
		m.Max = max(m.Max, mc.Reported)
		m.Cells = append(m.Cells, mc)
	}
	if m.Bounds.IsEmpty() {
		return nil
	}
	// A margin of a tenth of the extent, at least about 100 m.
	mlat, mlon := max((m.Bounds.MaxLat-m.Bounds.MinLat)/10, 0.001), max((m.Bounds.MaxLon-m.Bounds.MinLon)/10, 0.001)
	m.Bounds = civicgrid.Bounds{MinLon: m.Bounds.MinLon - mlon, MinLat: m.Bounds.MinLat - mlat, MaxLon: m.Bounds.MaxLon + mlon, MaxLat: m.Bounds.MaxLat + mlat}
	m.Cells = slices.DeleteFunc(m.Cells, func(c MapCell) bool { return !c.Shape.Bounds().Intersects(m.Bounds) })
	for _, a := range d.city.Grid.Areas() {
		if a.Level == civicgrid.LevelStreet && len(a.Shape) > 0 && a.Shape.Bounds().Intersects(m.Bounds) {
			m.Areas = append(m.Areas, MapArea{Code: a.Code, Name: a.Name, Shape: a.Shape})
		}
	}
	slices.SortFunc(m.Areas, func(a, b MapArea) int { return cmp.Compare(a.Code, b.Code) })
	return m
}
