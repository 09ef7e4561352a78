package civicgrid

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"
)

// RecordEvent appends ev, an event of case c, and adds its counts to the
// aggregates, in tx: the one way an event is written, so that no event is
// stored without its counts. c is the case just after ev.
func RecordEvent(ctx context.Context, tx Tx, c *Case, ev *CaseEvent) error {
	return recordEvent(ctx, tx, c, ev, nil)
}

// recordEvent is RecordEvent gathering the deltas in buf's memory.
func recordEvent(ctx context.Context, tx Tx, c *Case, ev *CaseEvent, buf []StatDelta) error {
	if err := tx.AppendEvent(ctx, ev); err != nil {
		return err
	}
	if d := appendStatDeltas(buf[:0], c, ev); len(d) > 0 {
		if err := tx.AddStats(ctx, d); err != nil {
			return err
		}
	}
	if d := DurationSamples(c, ev); len(d) > 0 {
		return tx.AddDurations(ctx, d)
	}
	return nil
}

// RecordHistory records events, the whole history of case c (already
// stored, in its final state), oldest first, each with the counts it
// made at the time (see replayStats). Bulk loads use it.
func RecordHistory(ctx context.Context, tx Tx, c *Case, events []*CaseEvent) error {
	buf := make([]StatDelta, 0, 64) // AddStats keeps no delta: reuse the memory
	return replayStats(c, events, func(at *Case, ev *CaseEvent) error {
		ev.CaseID = c.ID
		return recordEvent(ctx, tx, at, ev, buf)
	})
}

// HistoryStatDeltas returns the deltas of every event of a case, whose
// final state is c, as RecordHistory records them.
func HistoryStatDeltas(c *Case, events []*CaseEvent) []StatDelta {
	var out []StatDelta
	replayStats(c, events, func(at *Case, ev *CaseEvent) error {
		out = appendStatDeltas(out, at, ev)
		return nil
	})
	return out
}

// replayStats calls fn with each of events, the history of the case whose
// final state is c, oldest first, and the case as StatDeltas needs it just
// after that event. StatDeltas reads of a case its place, category and
// source, which no action changes; its unit, which only dispatch (the unit
// in the event) and return (none) change; and at the close event, after
// which no action changes it, its handle-stage clock. So the final state
// with the unit replayed from the events is the state each event saw.
func replayStats(c *Case, events []*CaseEvent, fn func(at *Case, ev *CaseEvent) error) error {
	s := *c
	s.UnitID = 0
	for _, ev := range events {
		switch ev.Action {
		case ActionDispatch:
			id, _ := strconv.ParseInt(ev.Data["unit_id"], 10, 64)
			s.UnitID = UnitID(id)
		case ActionReturn:
			s.UnitID = 0
		}
		if err := fn(&s, ev); err != nil {
			return err
		}
	}
	return nil
}

// StatsService answers statistics queries from the aggregates, and checks
// and rebuilds the aggregates from the event log.
type StatsService struct {
	store   Store
	city    func() *City
	cfg     StatsConfig
	metrics []*Metric // cfg.Metrics(), built once
}

// NewStatsService returns a service over store with the metric choices of
// cfg, which must be valid.
func NewStatsService(store Store, city func() *City, cfg StatsConfig) *StatsService {
	return &StatsService{store: store, city: city, cfg: cfg, metrics: cfg.Metrics()}
}

// Config returns the metric choices the service computes with.
func (s *StatsService) Config() StatsConfig { return s.cfg }

// Metrics returns the definitions in use and their version.
func (s *StatsService) Metrics() ([]*Metric, int) {
	return slices.Clone(s.metrics), s.cfg.DefinitionsVersion
}

// StatRow is one group of a statistics answer: its key (a code, an id,
// "all" for the city), its name, its counts and its rates (nil where the
// denominator is 0).
type StatRow struct {
	Key    string              `json:"key"`
	Name   Text                `json:"name"`
	Counts map[string]int64    `json:"counts"`
	Rates  map[string]*float64 `json:"rates"`
}

// StatsResult is the answer to a statistics query.
type StatsResult struct {
	GroupBy            StatDim    `json:"group_by"`
	From               Date       `json:"from"`
	To                 Date       `json:"to"`
	Rows               []*StatRow `json:"rows"`
	DefinitionsVersion int        `json:"definitions_version"`
}

// maxStatsDays bounds a query's span.
const maxStatsDays = 3700

// Query returns the metrics q names (all when none) for each value of
// q.GroupBy over the days from q.From up to q.To (exclusive), within the
// actor's scope: staff with an area see the areas within it, a unit only
// itself, an inspector only themself. It reads only the aggregates.
func (s *StatsService) Query(ctx context.Context, q StatsQuery) (*StatsResult, error) {
	actor := ActorFrom(ctx)
	if actor == nil || !actor.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	metrics, err := s.checkQuery(&q)
	if err != nil {
		return nil, err
	}
	if err := scopeStats(actor, &q); err != nil {
		return nil, err
	}
	need := neededCounts(metrics)
	q.Metrics = slices.Sorted(maps.Keys(need))
	var counts []StatCount
	res := &StatsResult{GroupBy: q.GroupBy, From: q.From, To: q.To, Rows: []*StatRow{}, DefinitionsVersion: s.cfg.DefinitionsVersion}
	err = s.store.View(ctx, func(tx Tx) error {
		if counts, err = tx.FindStats(ctx, q); err != nil {
			return err
		}
		rows := map[string]*StatRow{}
		for _, sc := range counts {
			r := rows[sc.Value]
			if r == nil {
				r = &StatRow{Key: sc.Value, Counts: map[string]int64{}, Rates: map[string]*float64{}}
				rows[sc.Value] = r
				res.Rows = append(res.Rows, r)
			}
			r.Counts[sc.Metric] += sc.N
		}
		for _, r := range res.Rows {
			s.fill(r, metrics, need)
			if r.Name, err = s.statName(ctx, tx, q.GroupBy, r.Key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(res.Rows, func(a, b *StatRow) int { return cmp.Compare(a.Key, b.Key) })
	return res, nil
}

// checkQuery validates q and returns the metrics it asks for.
func (s *StatsService) checkQuery(q *StatsQuery) ([]*Metric, error) {
	fe := FieldErrors{}
	if !q.GroupBy.Valid() {
		fe.Add("group_by", "one of city, district, street, community, cell, category, source, unit, inspector, operator, "+
			"or two of them: street,category, community,category, cell,category, unit,category")
	}
	switch {
	case q.From.IsZero() || q.To.IsZero():
		fe.Add("from", "from and to are required dates, e.g. from=2026-01-01&to=2026-02-01 (to is exclusive)")
	case !q.From.Before(q.To):
		fe.Add("to", "must be after from (to is exclusive)")
	case q.To.day()-q.From.day() > maxStatsDays:
		fe.Add("to", "at most ten years after from")
	}
	all := s.metrics
	var metrics []*Metric
	if len(q.Metrics) == 0 {
		metrics = all
	}
	for _, code := range q.Metrics {
		i := slices.IndexFunc(all, func(m *Metric) bool { return m.Code == code })
		if i < 0 {
			fe.Add("metrics", "unknown metric "+code+"; GET /api/v1/metrics lists them")
			continue
		}
		metrics = append(metrics, all[i])
	}
	q.Value, q.ValuePrefix, q.ValueSuffix, q.ByDay = "", "", "", false
	return metrics, fe.Err()
}

// scopeStats narrows q to what actor may see, or refuses a grouping the
// actor's scope cannot be cut out of (a district's leader grouping the
// whole city by unit).
func scopeStats(actor *User, q *StatsQuery) error {
	switch actor.Role {
	case RoleAdmin, RoleSystem:
		return nil
	case RoleOperator, RoleShiftLeader, RoleDispatcher, RoleLeader:
		if actor.AreaCode == "" {
			return nil
		}
		if !q.GroupBy.area() || len(areaCodeOf(q.GroupBy)) < len(actor.AreaCode) {
			return Errorf(Forbidden, "your statistics are those of area %s: group by an area within it", actor.AreaCode)
		}
		q.ValuePrefix = actor.AreaCode
		return nil
	case RoleUnit:
		id := strconv.FormatInt(int64(actor.UnitID), 10)
		switch q.GroupBy {
		case DimUnit:
			q.Value = id
		case DimUnitCategory:
			q.ValuePrefix = PairValue(id, "")
		default:
			return Errorf(Forbidden, "a unit sees its own statistics: group by unit")
		}
		return nil
	case RoleInspector:
		if q.GroupBy != DimInspector {
			return Errorf(Forbidden, "an inspector sees their own statistics: group by inspector")
		}
		q.Value = strconv.FormatInt(int64(actor.ID), 10)
		return nil
	}
	return Errorf(Forbidden, "the %s role may not see statistics", actor.Role)
}

// areaCodeOf returns a code as long as an area dimension's codes (of the
// first one, for a two-level grouping).
// AreaDim is the dimension of the area with code: district, street or
// community by its level (LevelOfCode), the cell dimension otherwise.
func AreaDim(code string) StatDim {
	switch LevelOfCode(code) {
	case LevelDistrict:
		return DimDistrict
	case LevelStreet:
		return DimStreet
	case LevelCommunity:
		return DimCommunity
	}
	return DimCell
}

func areaCodeOf(d StatDim) string {
	d, _ = d.Split()
	switch d {
	case DimDistrict:
		return "000000"
	case DimStreet:
		return "000000000"
	case DimCommunity:
		return "000000000000"
	}
	return "000000000000000"
}

// fill computes r's rates and drops the counts nobody asked for.
func (s *StatsService) fill(r *StatRow, metrics []*Metric, need map[string]bool) {
	for code := range need {
		if _, ok := r.Counts[code]; !ok {
			r.Counts[code] = 0
		}
	}
	for _, m := range metrics {
		if m.Kind != MetricRate {
			continue
		}
		r.Rates[m.Code] = rateOf(m, m.Less, r.Counts)
	}
}

// statName returns the display name of value in dimension d; a two-level
// grouping's is the names of its two values, joined by " · ".
func (s *StatsService) statName(ctx context.Context, tx Tx, d StatDim, value string) (Text, error) {
	if first, second := d.Split(); second != "" {
		v1, v2 := SplitPairValue(value)
		n1, err := s.statName(ctx, tx, first, v1)
		if err != nil {
			return Text{}, err
		}
		n2, err := s.statName(ctx, tx, second, v2)
		if err != nil {
			return Text{}, err
		}
		return Text{n1.Zh + " · " + n2.Zh, joinNames(n1.En, n2.En)}, nil
	}
	city := s.city()
	switch d {
	case DimCity:
		return Text{city.Name, city.Name}, nil
	case DimDistrict, DimStreet, DimCommunity:
		if a := city.Grid.Area(value); a != nil {
			return Text{Zh: a.Name}, nil
		}
	case DimCell:
		if c := city.Grid.Cell(value); c != nil && c.Name != "" {
			return Text{Zh: c.Name}, nil
		}
	case DimCategory:
		if c := city.Categories[value]; c != nil {
			return c.Name, nil
		}
	case DimSource:
		if n := Source(value).Name(); n.Zh != "" {
			return n, nil
		}
	case DimUnit:
		id, _ := strconv.ParseInt(value, 10, 64)
		if u := city.Units[UnitID(id)]; u != nil {
			return u.Name, nil
		}
	case DimInspector, DimOperator:
		id, _ := strconv.ParseInt(value, 10, 64)
		u, err := tx.FindUser(ctx, UserID(id))
		switch {
		case err == nil && u.DisplayName != "":
			return Text{Zh: u.DisplayName}, nil
		case err == nil:
			return Text{Zh: u.Name}, nil
		case ErrorCodeOf(err) != NotFound:
			return Text{}, err
		}
	}
	return Text{Zh: value}, nil
}

// joinNames joins two English names, "" when either has none (the
// Chinese name then stands for both).
func joinNames(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	return a + " · " + b
}
