package civicgrid

import (
	"context"
	"math"
	"time"
)

// DurationMetric is a supervision metric that is a length of time per
// case (用时): 结案用时, the time from report to close. Medians cannot be
// summed like counts, so every duration is kept, by day, dimension and
// value, in the same transaction as the event that ends it (see
// recordEvent), and the answer's median, 90th percentile and mean are
// exact over any period.
type DurationMetric struct {
	Code    string `json:"code"`
	Name    Text   `json:"name"`
	Formula Text   `json:"formula"`
	Doc     Text   `json:"doc"`

	// seconds returns the duration event ev ends, c being the case just
	// after ev, and whether ev ends one.
	seconds func(c *Case, ev *CaseEvent) (int64, bool)
}

// durationDefs are the duration metrics.
var durationDefs = []*DurationMetric{
	{Code: "closing_time", Name: Text{"结案用时", "Time to close"},
		Formula: Text{"结案时间 − 上报时间", "close time − report time"},
		Doc: Text{"每个结案的案卷从上报（案卷创建）到结案的自然时长，按结案日计入；中位数取中间两个值的平均。",
			"The calendar time from each closed case's report (its creation) to its close, counted on the day of the close; a median of an even number of cases is the mean of the middle two."},
		seconds: func(c *Case, ev *CaseEvent) (int64, bool) {
			if ev.Action != ActionClose {
				return 0, false
			}
			return int64(ev.At.Sub(c.CreatedAt) / time.Second), true
		}},
}

// DurationMetrics returns the duration metrics.
func DurationMetrics() []*DurationMetric { return durationDefs }

// DurationMetricByCode returns the duration metric code, or nil.
func DurationMetricByCode(code string) *DurationMetric {
	for _, m := range durationDefs {
		if m.Code == code {
			return m
		}
	}
	return nil
}

// DurationSample is one duration (or N equal ones) in one cell of the
// aggregates.
type DurationSample struct {
	Key     StatKey `json:"key"`
	Metric  string  `json:"metric"`
	Seconds int64   `json:"seconds"`
	N       int64   `json:"n"`
}

// DurationCount is a stored duration of a value: N cases took Seconds.
type DurationCount struct {
	Value   string
	Metric  string
	Seconds int64
	N       int64
}

// DurationStore keeps the durations. It is part of every Tx.
type DurationStore interface {
	// AddDurations adds the samples to the stored ones.
	AddDurations(ctx context.Context, samples []DurationSample) error
	// FindDurations returns the stored durations of the metric q.Metrics[0]
	// for q's dimension, days and value (prefix), summed over the days,
	// ordered by value and then seconds.
	FindDurations(ctx context.Context, q StatsQuery) ([]DurationCount, error)
	// ReplaceDurations replaces every stored duration with samples.
	ReplaceDurations(ctx context.Context, samples []DurationSample) error
}

// DurationSamples returns the durations event ev of case c ends, one per
// dimension the event counts in, dated on the city-local day of ev.At.
func DurationSamples(c *Case, ev *CaseEvent) []DurationSample {
	var out []DurationSample
	for _, m := range durationDefs {
		secs, ok := m.seconds(c, ev)
		if !ok {
			continue
		}
		var dbuf [numDims]dimValue
		for _, d := range statDims(dbuf[:0], c, ev) {
			if d.dim == DimInspector || d.dim == DimOperator {
				continue // a duration is the case's, not a person's
			}
			out = append(out, DurationSample{Key: StatKey{Day: DateOf(ev.At), Dim: d.dim, Value: d.value}, Metric: m.Code, Seconds: secs, N: 1})
		}
	}
	return out
}

// DurationStat summarises the durations of one group.
type DurationStat struct {
	N             int64    `json:"n"`
	MedianSeconds *float64 `json:"median_seconds"`
	P90Seconds    *int64   `json:"p90_seconds"`
	MeanSeconds   *float64 `json:"mean_seconds"`
}

// summarise returns the statistic of counts, one value's durations in
// ascending order of seconds.
func summarise(counts []DurationCount) *DurationStat {
	st := &DurationStat{}
	var sum float64
	for _, c := range counts {
		st.N += c.N
		sum += float64(c.Seconds) * float64(c.N)
	}
	if st.N == 0 {
		return st
	}
	mean := sum / float64(st.N)
	st.MeanSeconds = &mean
	// nth returns the k-th smallest duration (0-based).
	nth := func(k int64) int64 {
		for _, c := range counts {
			if k < c.N {
				return c.Seconds
			}
			k -= c.N
		}
		return counts[len(counts)-1].Seconds
	}
	var median float64
	if st.N%2 == 1 {
		median = float64(nth(st.N / 2))
	} else {
		median = (float64(nth(st.N/2-1)) + float64(nth(st.N/2))) / 2
	}
	st.MedianSeconds = &median
	// The nearest-rank 90th percentile: the smallest duration at least
	// 90% of the cases took no longer than.
	p90 := nth(int64(math.Ceil(0.9*float64(st.N))) - 1)
	st.P90Seconds = &p90
	return st
}
