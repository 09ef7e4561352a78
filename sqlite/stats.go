package sqlite

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"civicgrid"
)

// statColumns are the stats table's count columns, named for the counts
// of civicgrid.CountCodes, and statColumn their positions.
var (
	statColumns = civicgrid.CountCodes()
	statColumn  = func() map[string]int {
		m := make(map[string]int, len(statColumns))
		for i, c := range statColumns {
			m[c] = i
		}
		return m
	}()
)

// statKey is the key of a row of the stats table.
type statKey struct {
	dim   civicgrid.StatDim
	day   int
	value string
}

// statBuffer gathers a transaction's deltas: a row of counts per key.
type statBuffer struct {
	index  map[statKey]int // the row of a key
	keys   []statKey
	counts []int64 // len(statColumns) per row
	last   int     // the row of the latest delta, -1 for none
}

// row returns the counts of k, adding a row of zeros when k is new.
func (b *statBuffer) row(k statKey) []int64 {
	n := len(statColumns)
	if b.last >= 0 && b.keys[b.last] == k {
		return b.counts[b.last*n : (b.last+1)*n]
	}
	i, ok := b.index[k]
	if !ok {
		i = len(b.keys)
		b.index[k] = i
		b.keys = append(b.keys, k)
		b.counts = append(b.counts, make([]int64, n)...)
	}
	b.last = i
	return b.counts[i*n : (i+1)*n]
}

// AddStats gathers deltas in memory; they are written, one upsert per row
// of the whole transaction, when the transaction's function returns
// without error (or before a FindStats in it). A bulk load of many events
// thus writes each row once. An unknown count is Internal.
func (tx *Tx) AddStats(ctx context.Context, deltas []civicgrid.StatDelta) error {
	if !tx.write {
		return civicgrid.Errorf(civicgrid.Internal, "sqlite: AddStats in a read-only transaction")
	}
	if tx.ended.Load() {
		return civicgrid.Errorf(civicgrid.Internal, "sqlite: transaction used after it ended")
	}
	if tx.stats == nil {
		tx.stats = &statBuffer{index: map[statKey]int{}, last: -1}
	}
	for _, d := range deltas {
		col, ok := statColumn[d.Metric]
		if !ok {
			return civicgrid.Errorf(civicgrid.Internal, "sqlite: no column for count %q", d.Metric)
		}
		tx.stats.row(statKey{d.Key.Dim, d.Key.Day.DayNumber(), d.Key.Value})[col] += d.N
	}
	return nil
}

// upsertRows is how many rows one upsert statement writes.
const upsertRows = 64

// upsertFull is upsertSQL(upsertRows), built once: a bulk load runs it for
// every full run of rows.
var upsertFull = upsertSQL(upsertRows)

// flushStats writes the gathered deltas, adding them to the stored rows.
func (tx *Tx) flushStats() error {
	if err := tx.flushDurations(); err != nil {
		return err
	}
	b := tx.stats
	if b == nil || len(b.keys) == 0 {
		return nil
	}
	tx.stats = nil
	// In key order each insert lands beside the last: a bulk load appends
	// to the table instead of seeking a page for every row.
	order := make([]int, len(b.keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, c := b.keys[i], b.keys[j]
		return cmp.Or(cmp.Compare(a.dim, c.dim), cmp.Compare(a.day, c.day), cmp.Compare(a.value, c.value))
	})
	n := len(statColumns)
	if len(order) < upsertRows {
		// A live write's few rows each touch one to three counts: an
		// upsert of only those columns binds a tenth of the values.
		return tx.upsertTouched(b, order)
	}
	args := make([]any, 0, (3+n)*upsertRows)
	flush := func() error {
		q := upsertFull
		if len(args) < cap(args) {
			q = upsertSQL(len(args) / (3 + n))
		}
		if _, err := tx.exec(context.Background(), q, args...); err != nil {
			return formatError(err)
		}
		args = args[:0]
		return nil
	}
	for _, i := range order {
		k := b.keys[i]
		args = append(args, string(k.dim), k.day, k.value)
		for _, v := range b.counts[i*n : (i+1)*n] {
			args = append(args, v)
		}
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(args) > 0 {
		return flush()
	}
	return nil
}

// upsertTouched writes the rows order names of b, each with only the
// counts it changes.
func (tx *Tx) upsertTouched(b *statBuffer, order []int) error {
	n := len(statColumns)
	var cols []int
	var args []any
	for _, i := range order {
		k, counts := b.keys[i], b.counts[i*n:(i+1)*n]
		cols, args = cols[:0], append(args[:0], string(k.dim), k.day, k.value)
		for c, v := range counts {
			if v != 0 {
				cols = append(cols, c)
				args = append(args, v)
			}
		}
		if len(cols) == 0 {
			continue
		}
		if _, err := tx.exec(context.Background(), touchedUpsertSQL(cols), args...); err != nil {
			return formatError(err)
		}
	}
	return nil
}

// touchedUpserts caches the upsert of each set of count columns.
var touchedUpserts sync.Map // string(cols as bytes) → SQL

// touchedUpsertSQL adds one row of the counts cols (column positions) to
// the stats table.
func touchedUpsertSQL(cols []int) string {
	key := make([]byte, len(cols))
	for i, c := range cols {
		key[i] = byte(c)
	}
	if q, ok := touchedUpserts.Load(string(key)); ok {
		return q.(string)
	}
	var q strings.Builder
	q.WriteString("INSERT INTO stats (dim, day, value")
	for _, c := range cols {
		q.WriteString(`, "` + statColumns[c] + `"`)
	}
	q.WriteString(") VALUES (?, ?, ?" + strings.Repeat(", ?", len(cols)) + ") ON CONFLICT (dim, day, value) DO UPDATE SET ")
	for i, c := range cols {
		if i > 0 {
			q.WriteString(", ")
		}
		name := statColumns[c]
		q.WriteString(`"` + name + `" = "` + name + `" + excluded."` + name + `"`)
	}
	touchedUpserts.Store(string(key), q.String())
	return q.String()
}

// upsertSQL adds rows rows to the stats table.
func upsertSQL(rows int) string {
	var q strings.Builder
	q.WriteString("INSERT INTO stats (dim, day, value")
	for _, c := range statColumns {
		q.WriteString(`, "` + c + `"`)
	}
	q.WriteString(") VALUES ")
	row := "(?, ?, ?" + strings.Repeat(", ?", len(statColumns)) + ")"
	q.WriteString(strings.TrimSuffix(strings.Repeat(row+", ", rows), ", "))
	q.WriteString(" ON CONFLICT (dim, day, value) DO UPDATE SET ")
	for i, c := range statColumns {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(`"` + c + `" = "` + c + `" + excluded."` + c + `"`)
	}
	return q.String()
}

// FindStats returns the stored non-zero counts q selects, summed over the
// days unless q.ByDay. An unknown count is Invalid.
func (tx *Tx) FindStats(ctx context.Context, q civicgrid.StatsQuery) ([]civicgrid.StatCount, error) {
	if err := tx.flushStats(); err != nil {
		return nil, err
	}
	cols := q.Metrics
	if len(cols) == 0 {
		cols = statColumns
	}
	var sel strings.Builder
	for _, c := range cols {
		if _, ok := statColumn[c]; !ok {
			return nil, civicgrid.Errorf(civicgrid.Invalid, "unknown count %q", c)
		}
		if q.ByDay {
			sel.WriteString(`, "` + c + `"`)
		} else {
			sel.WriteString(`, sum("` + c + `")`)
		}
	}
	from, to := -1<<31, 1<<31-1
	if !q.From.IsZero() {
		from = q.From.DayNumber()
	}
	if !q.To.IsZero() {
		to = q.To.DayNumber()
	}
	query := "SELECT 0, value" + sel.String()
	if q.ByDay {
		query = "SELECT day, value" + sel.String()
	}
	query += " FROM stats WHERE dim = ? AND day >= ? AND day < ?"
	args := []any{string(q.GroupBy), from, to}
	if q.Value != "" {
		query += " AND value = ?"
		args = append(args, q.Value)
	}
	if q.ValuePrefix != "" {
		query += " AND substr(value, 1, ?) = ?"
		args = append(args, len(q.ValuePrefix), q.ValuePrefix)
	}
	if q.ValueSuffix != "" {
		query += " AND substr(value, ?) = ?"
		args = append(args, -len(q.ValueSuffix), q.ValueSuffix)
	}
	if !q.ByDay {
		query += " GROUP BY value"
	}
	var out []civicgrid.StatCount
	day, value, counts := 0, "", make([]int64, len(cols))
	dest := []any{&day, &value}
	for i := range counts {
		dest = append(dest, &counts[i])
	}
	err := tx.queryAll(ctx, func(s scanner) error {
		if err := s.Scan(dest...); err != nil {
			return err
		}
		var d civicgrid.Date
		if day != 0 {
			d = civicgrid.DateOfNumber(day)
		}
		for i, n := range counts {
			if n != 0 {
				out = append(out, civicgrid.StatCount{Day: d, Value: value, Metric: cols[i], N: n})
			}
		}
		return nil
	}, query, args...)
	return out, err
}

// ReplaceStats empties the stats table and stores the sums of deltas.
func (tx *Tx) ReplaceStats(ctx context.Context, deltas []civicgrid.StatDelta) error {
	tx.stats = nil
	if _, err := tx.exec(ctx, "DELETE FROM stats"); err != nil {
		return formatError(err)
	}
	if err := tx.AddStats(ctx, deltas); err != nil {
		return err
	}
	return tx.flushStats()
}
