package civicgrid

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"
)

// Interval is the length of the periods of a statistics series.
type Interval string

// The intervals.
const (
	IntervalDay   Interval = "day"
	IntervalWeek  Interval = "week" // Monday to Sunday
	IntervalMonth Interval = "month"
)

// Valid reports whether i is a known interval.
func (i Interval) Valid() bool { return i == IntervalDay || i == IntervalWeek || i == IntervalMonth }

// PeriodStart returns the first day of the period of interval i that d
// falls in.
func (i Interval) PeriodStart(d Date) Date {
	switch i {
	case IntervalWeek:
		return d.AddDays(-int((d.Weekday() + 6) % 7))
	case IntervalMonth:
		return Date{d.Year, d.Month, 1}
	}
	return d
}

// Next returns the first day of the period after the one starting at d.
func (i Interval) Next(d Date) Date {
	switch i {
	case IntervalWeek:
		return d.AddDays(7)
	case IntervalMonth:
		if d.Month == time.December {
			return Date{d.Year + 1, time.January, 1}
		}
		return Date{d.Year, d.Month + 1, 1}
	}
	return d.AddDays(1)
}

// StatsPeriod is one period of a series: its days (To exclusive, both
// clipped to the query's span) and its rows.
type StatsPeriod struct {
	From Date       `json:"from"`
	To   Date       `json:"to"`
	Rows []*StatRow `json:"rows"`
}

// StatsSeries is the answer to a series query: the same table as Query's,
// once per period.
type StatsSeries struct {
	GroupBy            StatDim        `json:"group_by"`
	Interval           Interval       `json:"interval"`
	From               Date           `json:"from"`
	To                 Date           `json:"to"`
	Periods            []*StatsPeriod `json:"periods"`
	DefinitionsVersion int            `json:"definitions_version"`
}

// maxSeriesPeriods bounds how many periods a series may have.
const maxSeriesPeriods = 800

// Series answers q as Query does, once for each day, week (Monday to
// Sunday) or month of q's span, every period listed even when empty: the
// trends of the dashboard, the reports and the rankings. It reads the
// aggregates once, by day, and sums them per period.
func (s *StatsService) Series(ctx context.Context, q StatsQuery, interval Interval) (*StatsSeries, error) {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	if !interval.Valid() {
		return nil, FieldError("interval", "one of day, week, month")
	}
	metrics, err := s.checkQuery(&q)
	if err != nil {
		return nil, err
	}
	var starts []Date
	for d := q.From; d.Before(q.To); d = interval.Next(interval.PeriodStart(d)) {
		if starts = append(starts, d); len(starts) > maxSeriesPeriods {
			return nil, FieldError("interval", "too many periods: choose a longer interval or a shorter span")
		}
	}
	if err := scopeStats(actor, &q); err != nil {
		return nil, err
	}
	need := neededCounts(metrics)
	q.Metrics, q.ByDay = slices.Sorted(maps.Keys(need)), true
	res := &StatsSeries{GroupBy: q.GroupBy, Interval: interval, From: q.From, To: q.To, DefinitionsVersion: s.cfg.DefinitionsVersion}
	for i, start := range starts {
		end := q.To
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		res.Periods = append(res.Periods, &StatsPeriod{From: start, To: end, Rows: []*StatRow{}})
	}
	err = s.store.View(ctx, func(tx Tx) error {
		counts, err := tx.FindStats(ctx, q)
		if err != nil {
			return err
		}
		rows := make([]map[string]*StatRow, len(res.Periods))
		names := map[string]Text{}
		for _, sc := range counts {
			p, _ := slices.BinarySearchFunc(starts, sc.Day, func(a, b Date) int { return cmp.Compare(a.DayNumber(), b.DayNumber()) })
			if p == len(starts) || starts[p] != sc.Day {
				p-- // the period starting before the day
			}
			if rows[p] == nil {
				rows[p] = map[string]*StatRow{}
			}
			r := rows[p][sc.Value]
			if r == nil {
				r = &StatRow{Key: sc.Value, Counts: map[string]int64{}, Rates: map[string]*float64{}}
				rows[p][sc.Value] = r
				res.Periods[p].Rows = append(res.Periods[p].Rows, r)
			}
			r.Counts[sc.Metric] += sc.N
			if _, ok := names[sc.Value]; !ok {
				if names[sc.Value], err = s.statName(ctx, tx, q.GroupBy, sc.Value); err != nil {
					return err
				}
			}
		}
		for _, p := range res.Periods {
			for _, r := range p.Rows {
				r.Name = names[r.Key]
				s.fill(r, metrics, need)
			}
			slices.SortFunc(p.Rows, func(a, b *StatRow) int { return cmp.Compare(a.Key, b.Key) })
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// neededCounts returns the counts metrics are computed from: the counts
// themselves and the numerators, denominators and exclusions of the rates.
func neededCounts(metrics []*Metric) map[string]bool {
	need := map[string]bool{}
	for _, m := range metrics {
		if m.Kind == MetricCount {
			need[m.Code] = true
		}
		for _, code := range append(slices.Clone(m.Counts), m.Less...) {
			need[code] = true
		}
	}
	return need
}
