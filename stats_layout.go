package civicgrid

import (
	"context"
	"strconv"
	"strings"
)

// statsLayoutSetting names the setting recording the layout the stored
// aggregates were computed with.
const statsLayoutSetting = "stats_layout"

// StatsLayout describes what the aggregates keep: the definitions
// version, the counts and the people each is kept by, the dimensions and
// the durations. When a new
// version adds a count or a dimension, the stored aggregates lack them
// until they are recomputed from the events.
func (s *StatsService) StatsLayout() string {
	dims := make([]string, len(StatDims))
	for i, d := range StatDims {
		dims[i] = string(d)
	}
	durations := make([]string, len(durationDefs))
	for i, m := range durationDefs {
		durations[i] = m.Code
	}
	// A count is written with the people it is kept by (+i inspector,
	// +o operator): keeping it by one more person changes the layout.
	counts := make([]string, len(countDefs))
	for i, m := range countDefs {
		counts[i] = m.Code
		if m.byInspector {
			counts[i] += "+i"
		}
		if m.byOperator {
			counts[i] += "+o"
		}
	}
	return "v" + strconv.Itoa(s.cfg.DefinitionsVersion) + ";" + strings.Join(counts, ",") + ";" +
		strings.Join(dims, ",") + ";" + strings.Join(durations, ",")
}

// EnsureLayout rebuilds the aggregates from the events when they were
// computed with another layout (an upgrade added a count or a dimension),
// and records the layout. It returns the rebuild's check, or nil when none
// was needed. The system or an admin only.
func (s *StatsService) EnsureLayout(ctx context.Context) (*StatsCheck, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	want := s.StatsLayout()
	var have string
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if have, err = tx.Setting(ctx, statsLayoutSetting); ErrorCodeOf(err) == NotFound {
			return nil
		}
		return err
	})
	if err != nil || have == want {
		return nil, err
	}
	check, err := s.Rebuild(ctx)
	if err != nil {
		return nil, err
	}
	err = s.store.Update(ctx, func(tx Tx) error { return tx.SetSetting(ctx, statsLayoutSetting, want) })
	return check, err
}
