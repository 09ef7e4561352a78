package civicgrid

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// EvaluationService computes league tables (考评排名) from the statistics
// (StatsService.Query: the same numbers as GET /api/v1/stats), publishes
// a month as frozen snapshots and records corrections to them. Reports and
// pages call League and Trend.
type EvaluationService struct {
	store Store
	stats *StatsService
	city  func() *City
	cfg   EvaluationConfig
	now   func() time.Time
}

// NewEvaluationService returns a service over store and stats with the
// scheme cfg, which must be valid.
func NewEvaluationService(store Store, stats *StatsService, city func() *City, cfg EvaluationConfig, now func() time.Time) *EvaluationService {
	return &EvaluationService{store: store, stats: stats, city: city, cfg: cfg, now: now}
}

// Config returns the scheme in use.
func (s *EvaluationService) Config() EvaluationConfig { return s.cfg }

// ParseMonth reads "2026-03" as its first day and the first day of the
// next month.
func ParseMonth(month string) (from, to Date, err error) {
	t, perr := time.Parse("2006-01", month)
	if perr != nil || len(month) != 7 {
		return Date{}, Date{}, FieldError("month", "a month written like 2026-03")
	}
	from = Date{t.Year(), t.Month(), 1}
	n := t.AddDate(0, 1, 0)
	return from, Date{n.Year(), n.Month(), 1}, nil
}

// monthOf is the month of day d, as "2026-03".
func monthOf(d Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// AddMonths returns month moved by n months.
func AddMonths(month string, n int) string {
	from, _, err := ParseMonth(month)
	if err != nil {
		return month
	}
	t := time.Date(from.Year, from.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return t.Format("2006-01")
}

// CurrentMonth is the month of now in the city.
func (s *EvaluationService) CurrentMonth() string {
	return monthOf(DateOf(s.now().In(s.city().Location())))
}

// mayView checks that the actor may see evaluations: the centre's staff
// and leaders (within their area, as the statistics scope them).
func mayView(ctx context.Context) (*User, error) { return requireCentre(ctx, "evaluations are") }

// mayPublish checks that the actor may publish or correct: an
// administrator or a leader of the whole city.
func mayPublish(ctx context.Context) (*User, error) {
	u := ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, Errorf(Unauthorized, "sign in first")
	}
	if u.Role == RoleAdmin || u.Role == RoleSystem || (u.Role == RoleLeader && u.AreaCode == "") {
		return u, nil
	}
	return nil, Errorf(Forbidden, "only an administrator or the centre's leader publishes and corrects evaluations")
}

func (s *EvaluationService) checkQuery(q EvaluationQuery) (*EvalKindConfig, error) {
	fe := FieldErrors{}
	k := s.cfg.Kind(q.Kind)
	if k == nil {
		fe.Add("kind", "one of unit, street, community, inspector, operator, shift_leader, dispatcher")
	}
	if _, _, err := ParseMonth(q.Month); err != nil {
		fe.Add("month", "a month written like 2026-03")
	}
	return k, fe.Err()
}

// League returns kind's league table for the month: the published
// snapshot (its latest revision, with the corrections) when the month was
// published and q.Live is false, else computed now from the statistics.
func (s *EvaluationService) League(ctx context.Context, q EvaluationQuery) (*League, error) {
	u, err := mayView(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.checkQuery(q)
	if err != nil {
		return nil, err
	}
	if !q.Live {
		l, err := s.published(ctx, q.Kind, q.Month)
		switch {
		case err == nil:
			return l, scopeLeague(u, l)
		case ErrorCodeOf(err) != NotFound:
			return nil, err
		}
	}
	return s.live(ctx, k, q.Month)
}

// scopeLeague keeps the rows of a published table the actor may see, as
// the statistics scope them.
func scopeLeague(u *User, l *League) error {
	sq := StatsQuery{GroupBy: l.Kind.Dim()}
	if err := scopeStats(u, &sq); err != nil {
		return err
	}
	if sq.ValuePrefix == "" && sq.Value == "" {
		return nil
	}
	for _, g := range l.Groups {
		g.Rows = slices.DeleteFunc(g.Rows, func(r *LeagueRow) bool {
			return (sq.Value != "" && r.Key != sq.Value) || !strings.HasPrefix(r.Key, sq.ValuePrefix)
		})
	}
	return nil
}

// published loads the latest revision of a month's table and its
// corrections.
func (s *EvaluationService) published(ctx context.Context, kind EvalKind, month string) (*League, error) {
	var l *League
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.FindLeague(ctx, kind, month); err != nil {
			return err
		}
		l.Corrections, err = tx.FindEvaluationCorrections(ctx, kind, month)
		return err
	})
	return l, err
}

// live computes a league table from the statistics of the month.
func (s *EvaluationService) live(ctx context.Context, k *EvalKindConfig, month string) (*League, error) {
	from, to, _ := ParseMonth(month)
	counts, rates := k.needed()
	res, err := s.stats.Query(ctx, StatsQuery{GroupBy: k.Kind.Dim(), From: from, To: to, Metrics: append(slices.Clone(counts), rates...)})
	if err != nil {
		return nil, err
	}
	metrics, version := s.stats.Metrics()
	l := &League{Kind: k.Kind, Month: month, From: from, To: to, Status: LeagueLive, DefinitionsVersion: version,
		ConfigVersion: s.cfg.Version, Config: *k, Groups: []*LeagueGroup{}, Corrections: []*EvaluationCorrection{}}
	for _, m := range metrics {
		if len(m.Less) > 0 && slices.Contains(rates, m.Code) {
			if l.Exclude == nil {
				l.Exclude = map[string][]string{}
			}
			l.Exclude[m.Code] = m.Less
		}
	}
	for _, it := range k.Items {
		if !keptFor(it.Metric, k.Kind) {
			l.Unavailable = append(l.Unavailable, it.Metric)
		}
	}
	rows := make([]*LeagueRow, 0, len(res.Rows))
	for _, r := range res.Rows {
		rows = append(rows, &LeagueRow{Key: r.Key, Name: r.Name, Counts: r.Counts, Rates: r.Rates})
	}
	if rows, err = s.keepRole(ctx, k.Kind, rows); err != nil {
		return nil, err
	}
	if err := s.addPatrolCounts(ctx, k, l, rows); err != nil {
		return nil, err
	}
	cells := s.cellCounts(k)
	for _, r := range rows {
		r.Cells = cells[r.Key]
	}
	s.group(k, l, rows)
	return l, nil
}

// addPatrolCounts fills in, on an inspector's row, the items kept by
// place rather than by person (漏报率: public reports among the filed
// cases): their counts summed over the cells the inspector patrols (the
// grid's current assignment), and their rates from those sums.
func (s *EvaluationService) addPatrolCounts(ctx context.Context, k *EvalKindConfig, l *League, rows []*LeagueRow) error {
	if k.Kind != EvalInspector || len(rows) == 0 {
		return nil
	}
	var counts, rates []string
	for _, it := range k.Items {
		if keptBy(it.Metric, DimInspector) || !keptBy(it.Metric, DimCell) {
			continue
		}
		m := MetricByCode(it.Metric)
		if m.Kind == MetricRate {
			rates = append(rates, m.Code)
			counts = append(counts, m.Counts...)
		} else {
			counts = append(counts, m.Code)
		}
	}
	g := s.city().Grid
	if len(counts) == 0 || g == nil {
		return nil
	}
	// The raw cell counts: the sums need no names, rates or zero rows.
	// The rows summed are the visible inspectors' own cells.
	var found []StatCount
	if err := s.store.View(ctx, func(tx Tx) (err error) {
		found, err = tx.FindStats(ctx, StatsQuery{GroupBy: DimCell, From: l.From, To: l.To, Metrics: counts})
		return err
	}); err != nil {
		return err
	}
	byCell := map[string]map[string]int64{}
	for _, sc := range found {
		if byCell[sc.Value] == nil {
			byCell[sc.Value] = map[string]int64{}
		}
		byCell[sc.Value][sc.Metric] += sc.N
	}
	patrols := map[string][]string{} // inspector id → their cells
	for _, c := range g.CellsWithin(g.Bounds(), 0) {
		for _, id := range c.Inspectors {
			key := strconv.FormatInt(int64(id), 10)
			patrols[key] = append(patrols[key], c.Code)
		}
	}
	for _, r := range rows {
		if r.Counts == nil {
			r.Counts = map[string]int64{}
		}
		if r.Rates == nil {
			r.Rates = map[string]*float64{}
		}
		for _, code := range counts {
			var n int64
			for _, cell := range patrols[r.Key] {
				n += byCell[cell][code]
			}
			r.Counts[code] = n
		}
		for _, code := range rates {
			r.Rates[code] = rateOf(MetricByCode(code), l.Exclude[code], r.Counts)
		}
	}
	return nil
}

// keepRole keeps, for a person kind on the operator dimension, the rows
// of users whose role is the kind's.
func (s *EvaluationService) keepRole(ctx context.Context, kind EvalKind, rows []*LeagueRow) ([]*LeagueRow, error) {
	if kind.Dim() != DimOperator {
		return rows, nil
	}
	role := kind.role()
	var users []*User
	if err := s.store.View(ctx, func(tx Tx) (err error) {
		users, err = tx.FindUsers(ctx, UserFilter{Role: &role})
		return err
	}); err != nil {
		return nil, err
	}
	ofRole := make(map[string]bool, len(users))
	for _, u := range users {
		ofRole[strconv.FormatInt(int64(u.ID), 10)] = true
	}
	return slices.DeleteFunc(rows, func(r *LeagueRow) bool { return !ofRole[r.Key] }), nil
}

// cellCounts returns the number of grid cells of each area, when an item
// of k is per cell.
func (s *EvaluationService) cellCounts(k *EvalKindConfig) map[string]int {
	if !slices.ContainsFunc(k.Items, func(it ScoreItem) bool { return it.PerCell }) {
		return nil
	}
	g := s.city().Grid
	if g == nil || g.Len() == 0 {
		return nil
	}
	n := len(areaCodeOf(k.Kind.Dim()))
	out := map[string]int{}
	for _, c := range g.CellsWithin(g.Bounds(), 0) {
		if len(c.Code) >= n {
			out[c.Code[:n]]++
		}
	}
	return out
}

// group sorts rows into k's groups, scores and ranks them.
func (s *EvaluationService) group(k *EvalKindConfig, l *League, rows []*LeagueRow) {
	city := s.city()
	type bucket struct {
		g    *LeagueGroup
		tier map[string][]ScoreTier
	}
	var buckets []*bucket
	byName := map[string]*bucket{}
	get := func(name Text, tiers map[string][]ScoreTier) *bucket {
		b := byName[name.Zh]
		if b == nil {
			b = &bucket{g: &LeagueGroup{Name: name, Rows: []*LeagueRow{}}, tier: tiers}
			byName[name.Zh] = b
			buckets = append(buckets, b)
		}
		return b
	}
	// Configured groups come first, in order, even when empty.
	if !k.ByParent {
		for _, g := range k.Groups {
			get(g.Name, g.Tiers)
		}
	}
	for _, r := range rows {
		var b *bucket
		switch {
		case k.ByParent:
			parent := ""
			if a := city.Grid.Area(r.Key); a != nil {
				parent = a.ParentCode
			} else if len(r.Key) > 3 {
				parent = r.Key[:len(r.Key)-3]
			}
			name := Text{parent, parent}
			if a := city.Grid.Area(parent); a != nil {
				name = Text{a.Name, a.Name}
			}
			b = get(name, nil)
		case len(k.Groups) == 0:
			b = get(k.Kind.Name(), nil)
		default:
			for _, g := range k.Groups {
				if slices.Contains(g.Keys, r.Key) || (len(g.UnitKinds) > 0 && slices.Contains(g.UnitKinds, unitKind(city, r.Key))) {
					b = get(g.Name, g.Tiers)
					break
				}
			}
			if b == nil {
				b = get(Text{"其他", "Others"}, nil)
			}
		}
		k.score(r, b.tier)
		b.g.Rows = append(b.g.Rows, r)
	}
	if k.ByParent {
		slices.SortStableFunc(buckets, func(a, b *bucket) int { return strings.Compare(a.g.Name.Zh, b.g.Name.Zh) })
	}
	for _, b := range buckets {
		rank(b.g.Rows)
		l.Groups = append(l.Groups, b.g)
	}
}

// unitKind is the kind of the unit with id key.
func unitKind(city *City, key string) string {
	id, _ := strconv.ParseInt(key, 10, 64)
	if u := city.Units[UnitID(id)]; u != nil {
		return u.Kind
	}
	return ""
}

// Trend is the score of each row over the months up to Month, oldest
// first; each month is its published snapshot when there is one.
type Trend struct {
	Kind   EvalKind    `json:"kind"`
	Months []string    `json:"months"`
	Status []string    `json:"status"` // per month: live or published
	Rows   []*TrendRow `json:"rows"`
}

// TrendRow is one row's scores over the months (nil: no score that month).
type TrendRow struct {
	Key    string     `json:"key"`
	Name   Text       `json:"name"`
	Scores []*float64 `json:"scores"`
}

// MaxTrendMonths bounds a trend.
const MaxTrendMonths = 24

// Trend returns the scores of kind's rows over the n months ending with
// q.Month.
func (s *EvaluationService) Trend(ctx context.Context, q EvaluationQuery, n int) (*Trend, error) {
	if n < 1 || n > MaxTrendMonths {
		return nil, FieldError("months", fmt.Sprintf("1 to %d", MaxTrendMonths))
	}
	t := &Trend{Kind: q.Kind, Rows: []*TrendRow{}}
	rows := map[string]*TrendRow{}
	for i := n - 1; i >= 0; i-- {
		mq := q
		mq.Month = AddMonths(q.Month, -i)
		l, err := s.League(ctx, mq)
		if err != nil {
			return nil, err
		}
		j := len(t.Months)
		t.Months, t.Status = append(t.Months, mq.Month), append(t.Status, l.Status)
		for _, g := range l.Groups {
			for _, r := range g.Rows {
				tr := rows[r.Key]
				if tr == nil {
					tr = &TrendRow{Key: r.Key, Name: r.Name, Scores: make([]*float64, n)}
					rows[r.Key] = tr
					t.Rows = append(t.Rows, tr)
				}
				tr.Name, tr.Scores[j] = r.Name, r.Score
			}
		}
	}
	slices.SortFunc(t.Rows, func(a, b *TrendRow) int { return strings.Compare(a.Key, b.Key) })
	return t, nil
}

// Publish freezes every kind's league table of month as revision 1 of its
// snapshot; later events no longer change what League returns for it.
// Conflict when the month was already published (correct it instead), or
// when it has not ended yet.
func (s *EvaluationService) Publish(ctx context.Context, month string) ([]*League, error) {
	u, err := mayPublish(ctx)
	if err != nil {
		return nil, err
	}
	_, to, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if today := DateOf(now.In(s.city().Location())); today.Before(to) {
		return nil, Errorf(Conflict, "%s has not ended yet: publish it from %s", month, to)
	}
	sys := WithActor(ctx, SystemUser) // the whole city, whatever the publisher's scope
	var out []*League
	for _, k := range s.cfg.Kinds {
		l, err := s.live(sys, &k, month)
		if err != nil {
			return nil, err
		}
		l.Status, l.Revision, l.PublishedAt, l.PublishedBy = LeaguePublished, 1, &now, u.ID
		out = append(out, l)
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		for _, l := range out {
			if err := tx.SaveLeague(ctx, l); err != nil {
				if ErrorCodeOf(err) == Conflict {
					return Errorf(Conflict, "%s is already published: correct it instead", month)
				}
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CorrectionInput asks to change one field of one row of a published
// table (see EvaluationCorrection); Reason is required.
type CorrectionInput struct {
	Kind   EvalKind `json:"kind"`
	Month  string   `json:"month"`
	RowKey string   `json:"row_key"`
	Field  string   `json:"field"`
	Value  float64  `json:"value"`
	Reason string   `json:"reason"`
}

// Correct applies in to the latest revision of the published table and
// stores the result as the next revision, with the correction record.
func (s *EvaluationService) Correct(ctx context.Context, in CorrectionInput) (*League, error) {
	u, err := mayPublish(ctx)
	if err != nil {
		return nil, err
	}
	fe := FieldErrors{}
	if strings.TrimSpace(in.Reason) == "" {
		fe.Add("reason", "required: say why the published number changes")
	}
	if in.RowKey == "" {
		fe.Add("row_key", "required")
	}
	if _, _, err := ParseMonth(in.Month); err != nil {
		fe.Add("month", "a month written like 2026-03")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var l *League
	err = s.store.Update(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.FindLeague(ctx, in.Kind, in.Month); err != nil {
			if ErrorCodeOf(err) == NotFound {
				return Errorf(NotFound, "%s of %s is not published: nothing to correct", in.Kind, in.Month)
			}
			return err
		}
		c, err := l.apply(in)
		if err != nil {
			return err
		}
		l.Revision++
		c.Revision, c.By, c.ByName, c.At = l.Revision, u.ID, u.DisplayName, s.now()
		if c.ByName == "" {
			c.ByName = u.Name
		}
		if err := tx.SaveLeague(ctx, l); err != nil {
			return err
		}
		if err := tx.AddEvaluationCorrection(ctx, c); err != nil {
			return err
		}
		l.Corrections, err = tx.FindEvaluationCorrections(ctx, in.Kind, in.Month)
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// apply changes l as in asks, rescoring and reranking the row's group,
// and returns the correction record (without who and when).
func (l *League) apply(in CorrectionInput) (*EvaluationCorrection, error) {
	var row *LeagueRow
	var group *LeagueGroup
	for _, g := range l.Groups {
		for _, r := range g.Rows {
			if r.Key == in.RowKey {
				row, group = r, g
			}
		}
	}
	if row == nil {
		return nil, FieldError("row_key", "no such row in the published table")
	}
	c := &EvaluationCorrection{Kind: l.Kind, Month: l.Month, RowKey: in.RowKey, Field: in.Field, New: in.Value, Reason: strings.TrimSpace(in.Reason)}
	field, code, _ := strings.Cut(in.Field, ".")
	k := &l.Config
	switch {
	case in.Field == "score":
		if in.Value < 0 || in.Value > 100 {
			return nil, FieldError("value", "a score is 0 to 100")
		}
		c.Old, row.Score = row.Score, new(round2(in.Value))
	case field == "counts":
		old, ok := row.Counts[code]
		if !ok {
			return nil, FieldError("field", "the row has no count "+code)
		}
		if in.Value < 0 || in.Value != float64(int64(in.Value)) {
			return nil, FieldError("value", "a count is a whole number, 0 or more")
		}
		c.Old = new(float64(old))
		row.Counts[code] = int64(in.Value)
		for rc := range row.Rates {
			if m := MetricByCode(rc); m != nil && m.Kind == MetricRate {
				row.Rates[rc] = rateOf(m, l.Exclude[rc], row.Counts)
			}
		}
		k.score(row, l.groupTiers(group))
	case field == "rates":
		old, ok := row.Rates[code]
		if !ok {
			return nil, FieldError("field", "the row has no rate "+code)
		}
		if in.Value < 0 || in.Value > 1 {
			return nil, FieldError("value", "a rate is 0 to 1")
		}
		c.Old = old
		row.Rates[code] = new(in.Value)
		k.score(row, l.groupTiers(group))
	default:
		return nil, FieldError("field", "score, counts.CODE or rates.CODE")
	}
	row.Corrected = true
	rank(group.Rows)
	return c, nil
}

// groupTiers returns the configured tiers of group g.
func (l *League) groupTiers(g *LeagueGroup) map[string][]ScoreTier {
	for _, cg := range l.Config.Groups {
		if cg.Name.Zh == g.Name.Zh {
			return cg.Tiers
		}
	}
	return nil
}
