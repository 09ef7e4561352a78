package report

import (
	"fmt"
	"time"

	"civicgrid"
)

// Kind is the length of a report's period.
type Kind string

// The kinds of report (分析报告).
const (
	Daily   Kind = "daily"   // 日报: one day
	Weekly  Kind = "weekly"  // 周报: an ISO week, Monday to Sunday
	Monthly Kind = "monthly" // 月报: a calendar month
)

// Kinds lists the kinds in order of length.
var Kinds = [...]Kind{Daily, Weekly, Monthly}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == Daily || k == Weekly || k == Monthly }

// Name is the kind's name, 日报 / Daily report.
func (k Kind) Name() civicgrid.Text {
	switch k {
	case Daily:
		return civicgrid.Text{Zh: "日报", En: "Daily report"}
	case Weekly:
		return civicgrid.Text{Zh: "周报", En: "Weekly report"}
	}
	return civicgrid.Text{Zh: "月报", En: "Monthly report"}
}

// ParseKind returns the kind named s, or an Invalid error.
func ParseKind(s string) (Kind, error) {
	if k := Kind(s); k.Valid() {
		return k, nil
	}
	return "", civicgrid.FieldError("kind", "one of daily, weekly, monthly")
}

// Period is the days a report covers: From up to To, exclusive.
type Period struct {
	Kind Kind           `json:"kind"`
	From civicgrid.Date `json:"from"`
	To   civicgrid.Date `json:"to"` // exclusive
}

// intervalOf is the statistics interval of a report kind's periods.
var intervalOf = map[Kind]civicgrid.Interval{Daily: civicgrid.IntervalDay, Weekly: civicgrid.IntervalWeek, Monthly: civicgrid.IntervalMonth}

// PeriodOf returns the period of kind k that contains d: the day, its ISO
// week (Monday to Sunday), or its month.
func PeriodOf(k Kind, d civicgrid.Date) Period {
	iv := intervalOf[k]
	from := iv.PeriodStart(d)
	return Period{k, from, iv.Next(from)}
}

// Previous returns the period of the same kind just before p.
func (p Period) Previous() Period { return PeriodOf(p.Kind, p.From.AddDays(-1)) }

// Last returns p's last day.
func (p Period) Last() civicgrid.Date { return p.To.AddDays(-1) }

// Days returns how many days p covers.
func (p Period) Days() int {
	n := 0
	for d := p.From; d.Before(p.To); d = d.AddDays(1) {
		n++
	}
	return n
}

// Label names the period: 2026-03-15, 2026-W11 (03-09 – 03-15) or 2026-03.
func (p Period) Label() string {
	switch p.Kind {
	case Daily:
		return p.From.String()
	case Weekly:
		y, w := p.From.At(0, time.UTC).ISOWeek()
		return fmt.Sprintf("%d-W%02d (%s – %s)", y, w, p.From, p.Last())
	}
	return p.From.String()[:7]
}

// DefaultDate is the date a report of kind k is about when none is given,
// today being today: yesterday for a daily report, a day of the last
// complete week or month otherwise.
func DefaultDate(k Kind, today civicgrid.Date) civicgrid.Date {
	switch k {
	case Daily:
		return today.AddDays(-1)
	case Weekly:
		return PeriodOf(Weekly, today).From.AddDays(-1)
	}
	return PeriodOf(Monthly, today).From.AddDays(-1)
}

// trendPoints returns the periods of p's trend, oldest first, ending with
// p: the 30 days to a day, 8 weeks to a week, 12 months to a month.
func trendPoints(p Period) []Period {
	n := map[Kind]int{Daily: 30, Weekly: 8, Monthly: 12}[p.Kind]
	out := make([]Period, n)
	q := p
	for i := n - 1; i >= 0; i-- {
		out[i] = q
		q = q.Previous()
	}
	return out
}
