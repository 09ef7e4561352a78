package report

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"

	"civicgrid"
)

// closingTime is the duration metric the reports show: 结案用时, the
// calendar (wall-clock) time from report to close, counted on the day of
// the close (civicgrid.DurationMetricByCode("closing_time")).
const closingTime = "closing_time"

// DurationText writes a length of time in seconds as people read it, to
// the minute: 2天3小时 / 2 d 3 h, 3小时20分钟 / 3 h 20 min, 45分钟 /
// 45 min, 不到1分钟 / < 1 min. Above a day it leaves out the minutes. The dashboard and the
// rankings write durations with it too, so they read the same everywhere.
func DurationText(seconds float64) civicgrid.Text {
	sign := ""
	if seconds < 0 {
		sign, seconds = "−", -seconds
	}
	mins := int64(math.Round(seconds / 60))
	d, h, m := mins/(24*60), mins/60%24, mins%60
	if d > 0 {
		h = int64(math.Round(seconds/3600)) - d*24 // the hours, rounded
		if h == 24 {
			d, h = d+1, 0
		}
	}
	n := strconv.FormatInt
	switch {
	case d > 0 && h > 0:
		return civicgrid.Text{Zh: sign + n(d, 10) + "天" + n(h, 10) + "小时", En: sign + n(d, 10) + " d " + n(h, 10) + " h"}
	case d > 0:
		return civicgrid.Text{Zh: sign + n(d, 10) + "天", En: sign + n(d, 10) + " d"}
	case h > 0 && m > 0:
		return civicgrid.Text{Zh: sign + n(h, 10) + "小时" + n(m, 10) + "分钟", En: sign + n(h, 10) + " h " + n(m, 10) + " min"}
	case h > 0:
		return civicgrid.Text{Zh: sign + n(h, 10) + "小时", En: sign + n(h, 10) + " h"}
	case m == 0 && seconds > 0:
		return civicgrid.Text{Zh: sign + "不到1分钟", En: sign + "< 1 min"}
	}
	return civicgrid.Text{Zh: sign + n(m, 10) + "分钟", En: sign + n(m, 10) + " min"}
}

// durations asks the statistics service for the closing times by
// dimension dim over p, as query asks for the counts: for an actor
// limited to an area the city is that area, and a grouping the area
// cannot be cut out of is answered with no rows.
func (d *data) durations(ctx context.Context, dim civicgrid.StatDim, p Period) (*civicgrid.DurationsResult, error) {
	group := dim
	if dim == civicgrid.DimCity && d.area != "" {
		group = d.areaDim
	}
	res, err := d.b.Stats.Durations(ctx, civicgrid.StatsQuery{GroupBy: group, From: p.From, To: p.To, Metrics: []string{closingTime}})
	if d.area != "" && civicgrid.ErrorCodeOf(err) == civicgrid.Forbidden {
		return &civicgrid.DurationsResult{GroupBy: dim, From: p.From, To: p.To}, nil
	}
	if err != nil || group == dim {
		return res, err
	}
	res.Rows = slices.DeleteFunc(res.Rows, func(r *civicgrid.DurationRow) bool { return r.Key != d.area })
	return res, nil
}

// closingOf returns the closing-time statistic of the first row of res
// (the city's), or an empty one.
func closingOf(res *civicgrid.DurationsResult) *civicgrid.DurationStat {
	if res != nil && len(res.Rows) > 0 && res.Rows[0].Durations[closingTime] != nil {
		return res.Rows[0].Durations[closingTime]
	}
	return &civicgrid.DurationStat{}
}

// durationValue is a number of seconds as a Duration cell, Null for none.
func durationValue[N int64 | float64](v *N) Value {
	if v == nil {
		return Value{Null: true}
	}
	return Value{Num: float64(*v)}
}

// closingTable is the closing times of the period by unit (结案用时),
// the city (or the actor's area) first.
func (d *data) closingTable() *Table {
	t := &Table{ID: "closing_units", Title: civicgrid.Text{Zh: "结案用时（按单位）", En: "Time to close by unit"},
		Note: civicgrid.Text{Zh: "结案用时为从上报到结案的自然时间（含夜间和节假日），按结案日计入本期；中位数和 90% 分位数为精确值。单位为结案时承办的单位。",
			En: "Time to close is the calendar time from report to close (nights and holidays included), counted in the period of the close; the median and 90th percentile are exact. The unit is the one holding the case when it closed."},
		Columns: []Column{col("unit", "单位", "Unit", Label), col("closed", "结案数", "Closed", Count),
			col("median", "中位数", "Median", Duration), col("p90", "90% 分位数", "90th percentile", Duration), col("mean", "平均", "Mean", Duration)}}
	row := func(name civicgrid.Text, st *civicgrid.DurationStat) []Value {
		return []Value{text(name), num(st.N), durationValue(st.MedianSeconds), durationValue(st.P90Seconds), durationValue(st.MeanSeconds)}
	}
	city := civicgrid.Text{Zh: "全市", En: "City"}
	if d.area != "" {
		city = civicgrid.Text{Zh: areaName(d.city, d.area)}
	}
	t.Rows = append(t.Rows, row(city, closingOf(d.closing)))
	units := slices.DeleteFunc(slices.Clone(d.closingUnits.Rows), func(r *civicgrid.DurationRow) bool {
		st := r.Durations[closingTime]
		return st == nil || st.MedianSeconds == nil
	})
	slices.SortStableFunc(units, func(a, b *civicgrid.DurationRow) int { // quickest first
		return cmp.Compare(*a.Durations[closingTime].MedianSeconds, *b.Durations[closingTime].MedianSeconds)
	})
	for _, r := range units {
		t.Rows = append(t.Rows, row(r.Name, r.Durations[closingTime]))
	}
	return t
}
