package civicgrid

import "context"

// HistoryDurationSamples returns the durations the events of a case, whose
// final state is c, end, as RecordHistory records them.
func HistoryDurationSamples(c *Case, events []*CaseEvent) []DurationSample {
	var out []DurationSample
	replayStats(c, events, func(at *Case, ev *CaseEvent) error {
		out = append(out, DurationSamples(at, ev)...)
		return nil
	})
	return out
}

// durationTotal is how many durations a dimension keeps of a metric, and
// their sum in seconds.
type durationTotal struct{ n, seconds int64 }

// durationTotals gathers the recomputed durations of a verify: per
// dimension and metric, their number and sum, in constant memory.
type durationTotals map[statCell]*durationTotal

// add counts the durations events of c end.
func (t durationTotals) add(c *Case, events []*CaseEvent) {
	for _, s := range HistoryDurationSamples(c, events) {
		k := statCell{StatKey{Dim: s.Key.Dim}, s.Metric}
		if t[k] == nil {
			t[k] = &durationTotal{}
		}
		t[k].n += s.N
		t[k].seconds += s.N * s.Seconds
	}
}

// compare checks the totals against the stored durations of every
// dimension and metric, reporting a difference in number as the metric's
// code and one in the sum of seconds as code+"_seconds". It checks totals,
// not each day's: a duration kept on the wrong day or value but with the
// right length goes unnoticed.
func (t durationTotals) compare(ctx context.Context, tx Tx, check *StatsCheck) error {
	for _, dim := range StatDims {
		for _, m := range durationDefs {
			counts, err := tx.FindDurations(ctx, StatsQuery{GroupBy: dim, Metrics: []string{m.Code}})
			if err != nil {
				return err
			}
			var stored durationTotal
			for _, c := range counts {
				stored.n += c.N
				stored.seconds += c.N * c.Seconds
			}
			want := t[statCell{StatKey{Dim: dim}, m.Code}]
			if want == nil {
				want = &durationTotal{}
			}
			key := StatKey{Dim: dim, Value: "*"}
			if stored.n != want.n {
				check.Diffs = append(check.Diffs, StatsDiff{Key: key, Metric: m.Code, Stored: stored.n, Recomputed: want.n})
			}
			if stored.seconds != want.seconds {
				check.Diffs = append(check.Diffs, StatsDiff{Key: key, Metric: m.Code + "_seconds", Stored: stored.seconds, Recomputed: want.seconds})
			}
		}
	}
	return nil
}
