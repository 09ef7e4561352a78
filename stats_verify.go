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

// Verify recomputes the aggregates from every event and compares them
// with the stored ones, on one snapshot; it changes nothing. Admins only.
func (s *StatsService) Verify(ctx context.Context) (*StatsCheck, error) {
	if err := s.checkAdmin(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	var check *StatsCheck
	err := s.store.View(ctx, func(tx Tx) error {
		want, chk, err := s.recompute(ctx, tx)
		if err != nil {
			return err
		}
		check = chk
		for _, d := range StatDims {
			stored, err := tx.FindStats(ctx, StatsQuery{GroupBy: d, ByDay: true})
			if err != nil {
				return err
			}
			for _, sc := range stored {
				k := statCell{StatKey{sc.Day, d, sc.Value}, sc.Metric}
				if w := want[k]; w != sc.N {
					check.Diffs = append(check.Diffs, StatsDiff{Key: k.key, Metric: k.metric, Stored: sc.N, Recomputed: w})
				}
				delete(want, k)
			}
		}
		for k, w := range want {
			if w != 0 {
				check.Diffs = append(check.Diffs, StatsDiff{Key: k.key, Metric: k.metric, Recomputed: w})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(check.Diffs, func(a, b StatsDiff) int {
		return cmp.Or(cmp.Compare(a.Key.Dim, b.Key.Dim), cmp.Compare(a.Key.Value, b.Key.Value),
			cmp.Compare(a.Key.Day.DayNumber(), b.Key.Day.DayNumber()), cmp.Compare(a.Metric, b.Metric))
	})
	check.Took = time.Since(start)
	return check, nil
}

// Rebuild replaces the aggregates with a recomputation from every event,
// in one write transaction (writes wait meanwhile). Admins only.
func (s *StatsService) Rebuild(ctx context.Context) (*StatsCheck, error) {
	if err := s.checkAdmin(ctx); err != nil {
		return nil, err
	}
	start := time.Now()
	var check *StatsCheck
	err := s.store.Update(ctx, func(tx Tx) error {
		want, chk, err := s.recompute(ctx, tx)
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
		return tx.ReplaceStats(ctx, deltas)
	})
	if err != nil {
		return nil, err
	}
	check.Took = time.Since(start)
	return check, nil
}

// checkAdmin refuses anyone but an admin or the system.
func (s *StatsService) checkAdmin(ctx context.Context) error {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active {
		return Errorf(Unauthorized, "sign in first")
	}
	if actor.Role != RoleAdmin && actor.Role != RoleSystem {
		return Errorf(Forbidden, "only an administrator may check or rebuild the statistics")
	}
	return nil
}

// recomputePage is how many cases recompute reads at a time.
const recomputePage = 1000

// recompute replays every case's events through StatDeltas, with event
// times in the city's zone, and returns the counts by cell.
func (s *StatsService) recompute(ctx context.Context, tx Tx) (map[statCell]int64, *StatsCheck, error) {
	loc := s.city().Location()
	want := map[statCell]int64{}
	check := &StatsCheck{}
	f := CaseFilter{Limit: recomputePage}
	for {
		cases, _, err := tx.FindCases(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cases {
			events, err := tx.FindEvents(ctx, c.ID)
			if err != nil {
				return nil, nil, err
			}
			check.Cases++
			check.Events += len(events)
			for _, ev := range events {
				ev.At = ev.At.In(loc)
				if ev.Deadline != nil {
					d := ev.Deadline.In(loc)
					ev.Deadline = &d
				}
			}
			for _, d := range HistoryStatDeltas(c, events) {
				want[statCell{d.Key, d.Metric}] += d.N
			}
		}
		if len(cases) < recomputePage {
			break
		}
		f.After = cases[len(cases)-1].ID
	}
	for k, n := range want {
		if n == 0 {
			delete(want, k)
		}
	}
	check.Cells = len(want)
	return want, check, nil
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
