package civicgrid

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// StatsDiff is a cell where the stored aggregates and a recomputation
// from the events differ.
type StatsDiff struct {
	Key        StatKey `json:"key"`
	Metric     string  `json:"metric"`
	Stored     int64   `json:"stored"`
	Recomputed int64   `json:"recomputed"`
}

// StatsCheck is the outcome of Verify or Rebuild.
type StatsCheck struct {
	Cases  int           `json:"cases"`
	Events int           `json:"events"`
	Cells  int           `json:"cells"` // non-zero cells of the recomputation
	Diffs  []StatsDiff   `json:"diffs,omitempty"`
	Took   time.Duration `json:"-"`
}

// statCell identifies one stored count.
type statCell struct {
	key    StatKey
	metric string
}

// HistoryStore walks the event log case by case, for recomputing the
// aggregates (stats verify, stats rebuild).
type HistoryStore interface {
	// EachHistory calls fn with every case, in id order, and its events,
	// oldest first (in id order). It reads a page of cases and their
	// events at a time and calls fn after each page is read, so memory
	// holds one page whatever the number of cases, and fn may use the
	// transaction. fn must not keep c or events; an error from fn stops
	// the walk and is returned.
	EachHistory(ctx context.Context, fn func(c *Case, events []*CaseEvent) error) error
}

// Verify recomputes the aggregates from every event and compares them
// with the stored ones, on one snapshot; it changes nothing. Admins only.
// It also checks the kept durations' number and sum per dimension (see
// durationTotals.compare).
//
// It streams: cases come in id order, and ids follow the reports, so once
// the walk reaches a case reported on day D no case still to come counts
// anything on a day before D (an event is never dated before its case's
// report, nor a deadline before its event). Verify compares the days
// before D with the stored rows as soon as it gets there, one dimension at
// a time, and forgets them. A case that breaks the rule (imported with an
// old date, say) is still counted right: what it adds to a day already
// compared is checked against that day's stored cell on its own. Memory
// thus holds one page of cases (EachHistory's), the recomputed rows dated
// on or after the report day of the case being read (in a live city, the
// last days' rows and the deadlines ahead), one day of one dimension's
// stored rows, and the differences found; not the cases, the events or
// the whole aggregates.
func (s *StatsService) Verify(ctx context.Context) (*StatsCheck, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	var check *StatsCheck
	err := s.store.View(ctx, func(tx Tx) error {
		v := newVerifier(ctx, tx)
		durations := durationTotals{}
		loc := s.city().Location()
		err := tx.EachHistory(ctx, func(c *Case, events []*CaseEvent) error {
			inZone(events, loc)
			durations.add(c, events)
			if day := DateOf(c.CreatedAt.In(loc)).DayNumber(); day > v.upTo {
				if err := v.compare(day); err != nil {
					return err
				}
			}
			v.check.Cases++
			v.check.Events += len(events)
			for _, d := range HistoryStatDeltas(c, events) {
				if err := v.add(d); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			err = v.compare(maxDay)
		}
		check = v.finish()
		if err == nil {
			err = durations.compare(ctx, tx, check)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	check.Took = time.Since(start)
	return check, nil
}

// Rebuild replaces the aggregates and the durations with a recomputation
// from every event, in one write transaction (writes wait meanwhile).
// Admins only.
func (s *StatsService) Rebuild(ctx context.Context) (*StatsCheck, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	var check *StatsCheck
	err := s.store.Update(ctx, func(tx Tx) error {
		want, samples, chk, err := s.recompute(ctx, tx)
		if err != nil {
			return err
		}
		check = chk
		deltas := make([]StatDelta, 0, len(want))
		for k, n := range want {
			if n != 0 {
				deltas = append(deltas, StatDelta{Key: k.key, Metric: k.metric, N: n})
			}
		}
		if err := tx.ReplaceStats(ctx, deltas); err != nil {
			return err
		}
		return tx.ReplaceDurations(ctx, samples)
	})
	if err != nil {
		return nil, err
	}
	check.Took = time.Since(start)
	return check, nil
}

// recompute replays every case's events, with event times in the city's
// zone, in one pass over the event log: it returns the counts by cell and
// the duration samples, all of them in memory, as ReplaceStats and
// ReplaceDurations take them.
func (s *StatsService) recompute(ctx context.Context, tx Tx) (map[statCell]int64, []DurationSample, *StatsCheck, error) {
	loc := s.city().Location()
	want := map[statCell]int64{}
	var samples []DurationSample
	check := &StatsCheck{}
	err := tx.EachHistory(ctx, func(c *Case, events []*CaseEvent) error {
		check.Cases++
		check.Events += len(events)
		inZone(events, loc)
		for _, d := range HistoryStatDeltas(c, events) {
			want[statCell{d.Key, d.Metric}] += d.N
		}
		samples = append(samples, HistoryDurationSamples(c, events)...)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for k, n := range want {
		if n == 0 {
			delete(want, k)
		}
	}
	check.Cells = len(want)
	return want, samples, check, nil
}

// inZone puts the times of events in loc, where days are the city's.
func inZone(events []*CaseEvent, loc *time.Location) {
	for _, ev := range events {
		ev.At = ev.At.In(loc)
		if ev.Deadline != nil {
			d := ev.Deadline.In(loc)
			ev.Deadline = &d
		}
	}
}

// maxDay is after every day.
const maxDay = 1<<31 - 1

// statRow is a row of the aggregates within a day: a dimension and value.
type statRow struct {
	dim   StatDim
	value string
}

// verifier is the state of a streaming Verify.
type verifier struct {
	ctx   context.Context
	tx    Tx
	codes []string       // the counts, in column order
	col   map[string]int // a count's column
	days  map[int]map[statRow][]int64
	upTo  int                     // days before it are compared (yyyymmdd), 0 for none
	diffs map[statCell]*StatsDiff // every difference found, so late counts can settle them
	check *StatsCheck
}

func newVerifier(ctx context.Context, tx Tx) *verifier {
	v := &verifier{ctx: ctx, tx: tx, codes: CountCodes(), col: map[string]int{}, days: map[int]map[statRow][]int64{},
		diffs: map[statCell]*StatsDiff{}, check: &StatsCheck{}}
	for i, c := range v.codes {
		v.col[c] = i
	}
	return v
}

// add counts d, on a day not yet compared, or against the stored cell of
// a day already compared.
func (v *verifier) add(d StatDelta) error {
	day := d.Key.Day.DayNumber()
	if day < v.upTo {
		return v.addLate(d)
	}
	rows := v.days[day]
	if rows == nil {
		rows = map[statRow][]int64{}
		v.days[day] = rows
	}
	k := statRow{d.Key.Dim, d.Key.Value}
	counts := rows[k]
	if counts == nil {
		counts = make([]int64, len(v.codes))
		rows[k] = counts
	}
	i, ok := v.col[d.Metric]
	if !ok {
		return Errorf(Internal, "stats verify: %q is not a count", d.Metric)
	}
	counts[i] += d.N
	return nil
}

// addLate settles d, dated on a day already compared: the cell's
// recomputation so far was its stored count unless a difference was found.
func (v *verifier) addLate(d StatDelta) error {
	k := statCell{d.Key, d.Metric}
	diff := v.diffs[k]
	if diff == nil {
		stored, err := v.tx.FindStats(v.ctx, StatsQuery{GroupBy: d.Key.Dim, From: d.Key.Day, To: d.Key.Day.AddDays(1),
			Value: d.Key.Value, Metrics: []string{d.Metric}})
		if err != nil {
			return err
		}
		var n int64
		for _, sc := range stored {
			n += sc.N
		}
		diff = &StatsDiff{Key: d.Key, Metric: d.Metric, Stored: n, Recomputed: n}
		v.diffs[k] = diff
	}
	before := diff.Recomputed
	diff.Recomputed += d.N
	v.check.Cells += int(b2i(before == 0 && diff.Recomputed != 0) - b2i(before != 0 && diff.Recomputed == 0))
	return nil
}

// compare checks the recomputed rows of the days from upTo up to before
// (exclusive) against the stored ones, dimension by dimension, and drops
// them.
func (v *verifier) compare(before int) error {
	var days []int
	for day := range v.days {
		if day < before {
			days = append(days, day)
		}
	}
	q := StatsQuery{ByDay: true}
	if v.upTo > 0 {
		q.From = DateOfNumber(v.upTo)
	}
	if before < maxDay {
		q.To = DateOfNumber(before)
	}
	for _, dim := range StatDims {
		q.GroupBy = dim
		stored, err := v.tx.FindStats(v.ctx, q)
		if err != nil {
			return err
		}
		for _, sc := range stored {
			var n int64
			if counts := v.days[sc.Day.DayNumber()][statRow{dim, sc.Value}]; counts != nil {
				i, ok := v.col[sc.Metric]
				if !ok {
					return Errorf(Internal, "stats verify: %q is not a count", sc.Metric)
				}
				n, counts[i] = counts[i], 0
				v.check.Cells += int(b2i(n != 0))
			}
			if n != sc.N {
				v.differ(StatKey{sc.Day, dim, sc.Value}, sc.Metric, sc.N, n)
			}
		}
	}
	// What is left was not stored.
	for _, day := range days {
		for row, counts := range v.days[day] {
			for i, n := range counts {
				if n != 0 {
					v.check.Cells++
					v.differ(StatKey{DateOfNumber(day), row.dim, row.value}, v.codes[i], 0, n)
				}
			}
		}
		delete(v.days, day)
	}
	v.upTo = before
	return nil
}

// differ records a difference.
func (v *verifier) differ(k StatKey, metric string, stored, recomputed int64) {
	v.diffs[statCell{k, metric}] = &StatsDiff{Key: k, Metric: metric, Stored: stored, Recomputed: recomputed}
}

// finish returns the check with its differences in order.
func (v *verifier) finish() *StatsCheck {
	for _, d := range v.diffs {
		if d.Stored != d.Recomputed {
			v.check.Diffs = append(v.check.Diffs, *d)
		}
	}
	slices.SortFunc(v.check.Diffs, func(a, b StatsDiff) int {
		return cmp.Or(cmp.Compare(a.Key.Dim, b.Key.Dim), cmp.Compare(a.Key.Value, b.Key.Value),
			cmp.Compare(a.Key.Day.DayNumber(), b.Key.Day.DayNumber()), cmp.Compare(a.Metric, b.Metric))
	})
	return v.check
}

// String summarises the check in one line.
func (c *StatsCheck) String() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(c.Cases) + " cases, " + strconv.Itoa(c.Events) + " events, " + strconv.Itoa(c.Cells) + " cells")
	if len(c.Diffs) > 0 {
		b.WriteString(", " + strconv.Itoa(len(c.Diffs)) + " differences")
	}
	return b.String()
}
