package sqlite

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"civicgrid"
)

// durationKey is the key of a row of the stat_durations table.
type durationKey struct {
	dim     civicgrid.StatDim
	metric  string
	day     int
	value   string
	seconds int64
}

// AddDurations gathers samples in memory; they are written with the
// transaction's counts (flushStats), one upsert per row.
func (tx *Tx) AddDurations(ctx context.Context, samples []civicgrid.DurationSample) error {
	if !tx.write {
		return civicgrid.Errorf(civicgrid.Internal, "sqlite: AddDurations in a read-only transaction")
	}
	if tx.ended.Load() {
		return civicgrid.Errorf(civicgrid.Internal, "sqlite: transaction used after it ended")
	}
	if tx.durations == nil {
		tx.durations = map[durationKey]int64{}
	}
	for _, s := range samples {
		if civicgrid.DurationMetricByCode(s.Metric) == nil {
			return civicgrid.Errorf(civicgrid.Internal, "sqlite: unknown duration metric %q", s.Metric)
		}
		tx.durations[durationKey{s.Key.Dim, s.Metric, s.Key.Day.DayNumber(), s.Key.Value, s.Seconds}] += s.N
	}
	return nil
}

// durationRows is how many rows one upsert statement writes.
const durationRows = 100

// flushDurations writes the gathered samples in key order.
func (tx *Tx) flushDurations() error {
	if len(tx.durations) == 0 {
		return nil
	}
	keys := slices.SortedFunc(maps.Keys(tx.durations), func(a, b durationKey) int {
		return cmp.Or(cmp.Compare(a.dim, b.dim), cmp.Compare(a.metric, b.metric), cmp.Compare(a.day, b.day),
			cmp.Compare(a.value, b.value), cmp.Compare(a.seconds, b.seconds))
	})
	buf := tx.durations
	tx.durations = nil
	args := make([]any, 0, 6*durationRows)
	for i, k := range keys {
		args = append(args, string(k.dim), k.metric, k.day, k.value, k.seconds, buf[k])
		if len(args) == cap(args) || i == len(keys)-1 {
			if _, err := tx.exec(context.Background(), durationUpsertSQL(len(args)/6), args...); err != nil {
				return formatError(err)
			}
			args = args[:0]
		}
	}
	return nil
}

// durationUpsertSQL adds rows rows to stat_durations.
func durationUpsertSQL(rows int) string {
	return "INSERT INTO stat_durations (dim, metric, day, value, seconds, n) VALUES " +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", rows), ", ") +
		" ON CONFLICT (dim, metric, day, value, seconds) DO UPDATE SET n = n + excluded.n"
}

// FindDurations returns the stored durations of the metric q.Metrics[0],
// summed over q's days, ordered by value and seconds.
func (tx *Tx) FindDurations(ctx context.Context, q civicgrid.StatsQuery) ([]civicgrid.DurationCount, error) {
	if err := tx.flushStats(); err != nil {
		return nil, err
	}
	if len(q.Metrics) != 1 || civicgrid.DurationMetricByCode(q.Metrics[0]) == nil {
		return nil, civicgrid.Errorf(civicgrid.Invalid, "FindDurations needs one duration metric, not %q", q.Metrics)
	}
	from, to := -1<<31, 1<<31-1
	if !q.From.IsZero() {
		from = q.From.DayNumber()
	}
	if !q.To.IsZero() {
		to = q.To.DayNumber()
	}
	query := "SELECT value, seconds, sum(n) FROM stat_durations WHERE dim = ? AND metric = ? AND day >= ? AND day < ?"
	args := []any{string(q.GroupBy), q.Metrics[0], from, to}
	if q.Value != "" {
		query += " AND value = ?"
		args = append(args, q.Value)
	}
	if q.ValuePrefix != "" {
		query += " AND substr(value, 1, ?) = ?"
		args = append(args, len(q.ValuePrefix), q.ValuePrefix)
	}
	query += " GROUP BY value, seconds HAVING sum(n) != 0 ORDER BY value, seconds"
	var out []civicgrid.DurationCount
	err := tx.queryAll(ctx, func(s scanner) error {
		d := civicgrid.DurationCount{Metric: q.Metrics[0]}
		if err := s.Scan(&d.Value, &d.Seconds, &d.N); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	}, query, args...)
	return out, err
}

// ReplaceDurations empties stat_durations and stores samples.
func (tx *Tx) ReplaceDurations(ctx context.Context, samples []civicgrid.DurationSample) error {
	tx.durations = nil
	if _, err := tx.exec(ctx, "DELETE FROM stat_durations"); err != nil {
		return formatError(err)
	}
	if err := tx.AddDurations(ctx, samples); err != nil {
		return err
	}
	return tx.flushDurations()
}
