package civicgrid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// EvalKind is what an evaluation (考评) ranks: a role's staff, the units,
// or an area level.
type EvalKind string

// The kinds of evaluation.
const (
	EvalUnit        EvalKind = "unit"         // 专业部门: the responsible units
	EvalInspector   EvalKind = "inspector"    // 监督员
	EvalOperator    EvalKind = "operator"     // 受理员
	EvalShiftLeader EvalKind = "shift_leader" // 值班长
	EvalDispatcher  EvalKind = "dispatcher"   // 派遣员
	EvalStreet      EvalKind = "street"       // 街道 (区域)
	EvalCommunity   EvalKind = "community"    // 社区 (区域)
)

// EvalKinds lists the kinds in the order the pages show them.
var EvalKinds = []EvalKind{EvalUnit, EvalStreet, EvalCommunity, EvalInspector, EvalOperator, EvalShiftLeader, EvalDispatcher}

var evalKindNames = map[EvalKind]Text{
	EvalUnit:        {"专业部门", "Units"},
	EvalInspector:   {"监督员", "Inspectors"},
	EvalOperator:    {"受理员", "Operators"},
	EvalShiftLeader: {"值班长", "Shift leaders"},
	EvalDispatcher:  {"派遣员", "Dispatchers"},
	EvalStreet:      {"街道", "Streets"},
	EvalCommunity:   {"社区", "Communities"},
}

// Valid reports whether k is a known kind.
func (k EvalKind) Valid() bool { _, ok := evalKindNames[k]; return ok }

// Name is the kind's display name.
func (k EvalKind) Name() Text { return evalKindNames[k] }

// Dim is the statistics dimension the kind's rows are: the operator
// dimension holds every centre role, told apart by the user's role.
func (k EvalKind) Dim() StatDim {
	switch k {
	case EvalUnit:
		return DimUnit
	case EvalInspector:
		return DimInspector
	case EvalStreet:
		return DimStreet
	case EvalCommunity:
		return DimCommunity
	}
	return DimOperator
}

// role is the user role of a person kind's rows; "" for units and areas.
func (k EvalKind) role() Role {
	switch k {
	case EvalInspector:
		return RoleInspector
	case EvalOperator:
		return RoleOperator
	case EvalShiftLeader:
		return RoleShiftLeader
	case EvalDispatcher:
		return RoleDispatcher
	}
	return ""
}

// ScoreTier maps a volume to a sub-score: the first tier, in order, whose
// Max (inclusive) the value does not exceed; the last tier has no Max.
type ScoreTier struct {
	Max   *float64 `json:"max,omitempty"`
	Score float64  `json:"score"`
}

// ScoreItem is one part of a composite score (综合指标值). A rate scores
// rate × 100, or (1 − rate) × 100 when LowerIsBetter; a count scores by
// its volume Tiers (per grid cell of the area when PerCell).
type ScoreItem struct {
	Metric        string      `json:"metric"`
	Weight        float64     `json:"weight"`
	LowerIsBetter bool        `json:"lower_is_better,omitempty"`
	Tiers         []ScoreTier `json:"tiers,omitempty"`
	PerCell       bool        `json:"per_cell,omitempty"`
}

// EvalGroup is one league table of a kind: the rows of the unit kinds
// listed, or the keys listed (unit ids, user ids, area codes). Tiers
// replaces an item's volume tiers for this group (部门按职责分组设档).
type EvalGroup struct {
	Name      Text                   `json:"name"`
	UnitKinds []string               `json:"unit_kinds,omitempty"`
	Keys      []string               `json:"keys,omitempty"`
	Tiers     map[string][]ScoreTier `json:"tiers,omitempty"`
}

// EvalKindConfig is how one kind is scored and grouped. Rows in no group
// go to a last group "其他"; ByParent makes one table per parent area
// (streets by district, communities by street) instead of Groups.
type EvalKindConfig struct {
	Kind     EvalKind    `json:"kind"`
	Items    []ScoreItem `json:"items"`
	Groups   []EvalGroup `json:"groups,omitempty"`
	ByParent bool        `json:"by_parent,omitempty"`
	Note     Text        `json:"note,omitzero"`
}

// EvaluationConfig is a city's evaluation scheme: weights, volume tiers
// and groups per kind, kept as the "evaluation.config" setting. Bump
// Version whenever it changes: published tables keep the config they used.
type EvaluationConfig struct {
	Version int              `json:"version"`
	Kinds   []EvalKindConfig `json:"kinds"`
}

// Kind returns the config of kind k, or nil.
func (cfg EvaluationConfig) Kind(k EvalKind) *EvalKindConfig {
	for i := range cfg.Kinds {
		if cfg.Kinds[i].Kind == k {
			return &cfg.Kinds[i]
		}
	}
	return nil
}

// tiers builds volume tiers from pairs of max and score; the last score
// has no max.
func tiers(pairs ...float64) []ScoreTier {
	var out []ScoreTier
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, ScoreTier{Max: new(pairs[i]), Score: pairs[i+1]})
	}
	return append(out, ScoreTier{Score: pairs[len(pairs)-1]})
}

// DefaultEvaluationConfig is DOMAIN.md §6.3 (UMP's templates, after CJ/T
// 292) as data. An inspector's 漏报率 is that of the cells they patrol.
// Where an item cannot be measured from the events for a kind (on-time
// check requests) the item is kept with its weight and the row's score is
// renormalised over the items that have a value; the league marks them.
func DefaultEvaluationConfig() EvaluationConfig {
	volume := tiers(100, 0, 300, 40, 500, 60, 1200, 75, 2000, 90, 100)  // 受理数/派遣数: more is better
	unitCases := tiers(50, 100, 100, 90, 200, 75, 500, 60, 1000, 40, 0) // 立案数 of a unit: fewer is better
	areaCases := tiers(0, 100, 2, 90, 4, 75, 6, 60, 8, 40, 0)           // 一类区域 filed per cell
	return EvaluationConfig{Version: 1, Kinds: []EvalKindConfig{
		{Kind: EvalUnit, Items: []ScoreItem{
			{Metric: "dispatched", Weight: 0.1, Tiers: unitCases},
			{Metric: "rate_closed", Weight: 0.3},
			{Metric: "rate_handled_on_time", Weight: 0.3},
			{Metric: "rate_reworked", Weight: 0.3, LowerIsBetter: true},
		}, Groups: []EvalGroup{
			{Name: Text{"市级部门", "City departments"}, UnitKinds: []string{"department"}},
			{Name: Text{"区级部门", "District units"}, UnitKinds: []string{"district"}},
			{Name: Text{"街道", "Street offices"}, UnitKinds: []string{"street"}},
			{Name: Text{"企事业单位", "Companies"}, UnitKinds: []string{"company"}},
		}, Note: Text{"部门的“立案数”取派往该部门的派遣数（立案时尚无部门）。", "A unit's case volume is the dispatches to it (a case has no unit when filed)."}},
		{Kind: EvalStreet, ByParent: true, Items: areaItems(areaCases), Note: areaNote},
		{Kind: EvalCommunity, ByParent: true, Items: areaItems(areaCases), Note: areaNote},
		{Kind: EvalInspector, Items: []ScoreItem{
			{Metric: "rate_valid_reported", Weight: 0.4},
			{Metric: "rate_public_reported", Weight: 0.2, LowerIsBetter: true},
			{Metric: "rate_verified_on_time", Weight: 0.2},
			{Metric: "rate_checked_on_time", Weight: 0.2},
		}, Note: Text{"有效上报率按上报的监督员计（立案记在上报人）；漏报率按监督员负责的网格计：这些网格中由公众举报的立案占立案的比例（按当前的网格分配）。", "Valid reports count for the inspector who reported (a filing counts for its reporter); the 漏报 rate is that of the cells the inspector patrols: public reports among the cases filed there (by today's cell assignment)."}},
		{Kind: EvalOperator, Items: []ScoreItem{
			{Metric: "accepted", Weight: 0.25, Tiers: volume},
			{Metric: "rate_verify_sent_on_time", Weight: 0.4},
			{Metric: "rate_accepted_on_time", Weight: 0.35},
		}, Note: Text{"核查按时派发率无法从事件得出（发核查不结束阶段时钟），以按时受理率代替。", "On-time check requests cannot be told from the events (a check request ends no stage clock); the on-time acceptance rate stands in."}},
		{Kind: EvalShiftLeader, Items: []ScoreItem{
			{Metric: "rate_filed_on_time", Weight: 0.25},
			{Metric: "rate_accurately_filed", Weight: 0.4},
			{Metric: "rate_closed_timely", Weight: 0.35},
		}},
		{Kind: EvalDispatcher, Items: []ScoreItem{
			{Metric: "dispatched", Weight: 0.2, Tiers: volume},
			{Metric: "rate_dispatched_on_time", Weight: 0.4},
			{Metric: "rate_accurately_dispatched", Weight: 0.4},
		}, Note: Text{"准确派遣数 = 派遣数 − 回退数，回退记在被回退的那次派遣的派遣员。", "Accurately dispatched = dispatched − returned; a return counts against the dispatcher of the dispatch it returns."}},
	}}
}

// areaNote explains the area items' departures from UMP.
var areaNote = Text{"监督举报率以 1 − 漏报率（公众举报占立案的比例）计；立案数按每个网格的月立案数分档（一类区域档位）；权重 10%/20%/30%/40%，末项 40% 为推断（UMP 注释只给出前三项）。",
	"The supervision report rate is scored as 1 − the missed report rate (public reports among filed); filed cases are tiered per grid cell and month (class-1 area tiers); weights 10/20/30/40 %, the last inferred (UMP's comment gives only the first three)."}

// areaItems are the items of an area (区域): 监督举报率 as 1 − 漏报率
// (public reports among filed), filed per cell, 结案率, 按期结案率.
func areaItems(cases []ScoreTier) []ScoreItem {
	return []ScoreItem{
		{Metric: "rate_public_reported", Weight: 0.1, LowerIsBetter: true},
		{Metric: "filed", Weight: 0.2, Tiers: cases, PerCell: true},
		{Metric: "rate_closed", Weight: 0.3},
		{Metric: "rate_closed_on_time", Weight: 0.4},
	}
}

// Validate checks every kind's items, weights, tiers and groups.
func (cfg EvaluationConfig) Validate() error {
	if cfg.Version < 1 {
		return FieldError("version", "must be 1 or more")
	}
	seen := map[EvalKind]bool{}
	for _, k := range cfg.Kinds {
		if err := k.validate(); err != nil {
			return err
		}
		if seen[k.Kind] {
			return FieldError("kinds", fmt.Sprintf("%s appears twice", k.Kind))
		}
		seen[k.Kind] = true
	}
	return nil
}

func (k *EvalKindConfig) validate() error {
	where := "kinds." + string(k.Kind)
	if !k.Kind.Valid() {
		return FieldError("kinds", fmt.Sprintf("unknown kind %q", k.Kind))
	}
	if len(k.Items) == 0 {
		return FieldError(where, "needs at least one item")
	}
	sum := 0.0
	for _, it := range k.Items {
		m := MetricByCode(it.Metric)
		switch {
		case m == nil:
			return FieldError(where, fmt.Sprintf("unknown metric %q", it.Metric))
		case it.Weight <= 0 || it.Weight > 1:
			return FieldError(where, fmt.Sprintf("%s: weight must be in (0, 1]", it.Metric))
		case m.Kind == MetricCount && len(it.Tiers) == 0:
			return FieldError(where, fmt.Sprintf("%s is a count: it needs volume tiers", it.Metric))
		case m.Kind == MetricRate && (len(it.Tiers) > 0 || it.PerCell):
			return FieldError(where, fmt.Sprintf("%s is a rate: no tiers or per_cell", it.Metric))
		case it.PerCell && k.Kind != EvalStreet && k.Kind != EvalCommunity:
			return FieldError(where, "per_cell is for areas only")
		}
		if err := validTiers(it.Tiers); err != nil {
			return FieldError(where, fmt.Sprintf("%s: %v", it.Metric, err))
		}
		sum += it.Weight
	}
	if math.Abs(sum-1) > 1e-6 {
		return FieldError(where, fmt.Sprintf("weights add up to %g, not 1", sum))
	}
	for _, g := range k.Groups {
		if g.Name.Zh == "" {
			return FieldError(where, "a group needs a Chinese name")
		}
		for code, ts := range g.Tiers {
			if err := validTiers(ts); err != nil || len(ts) == 0 {
				return FieldError(where, fmt.Sprintf("group %s: tiers of %s: %v", g.Name.Zh, code, err))
			}
		}
	}
	return nil
}

// validTiers checks that the maxima rise and only the last tier is open.
func validTiers(ts []ScoreTier) error {
	for i, t := range ts {
		last := i == len(ts)-1
		switch {
		case last && t.Max != nil:
			return fmt.Errorf("the last tier must have no max")
		case !last && t.Max == nil:
			return fmt.Errorf("only the last tier may have no max")
		case !last && i > 0 && *t.Max <= *ts[i-1].Max:
			return fmt.Errorf("tier maxima must rise")
		case t.Score < 0 || t.Score > 100:
			return fmt.Errorf("a tier score is 0 to 100")
		}
	}
	return nil
}

// tierScore is the score of value v in ts.
func tierScore(ts []ScoreTier, v float64) float64 {
	for _, t := range ts {
		if t.Max == nil || v <= *t.Max {
			return t.Score
		}
	}
	return 0
}

// The settings the metric and evaluation choices are kept in.
const (
	SettingStatsConfig      = "stats.config"
	SettingEvaluationConfig = "evaluation.config"
)

// ParseStatsConfig decodes and validates a StatsConfig written as JSON;
// unknown fields are an error.
func ParseStatsConfig(data []byte) (StatsConfig, error) {
	var cfg StatsConfig
	if err := decodeStrict(data, &cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// ParseEvaluationConfig decodes and validates an EvaluationConfig.
func ParseEvaluationConfig(data []byte) (EvaluationConfig, error) {
	var cfg EvaluationConfig
	if err := decodeStrict(data, &cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func decodeStrict(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return Errorf(Invalid, "not a valid config: %v", err)
	}
	if d.More() {
		return Errorf(Invalid, "not a valid config: more than one JSON value")
	}
	return nil
}

// LoadStatsConfig returns the stored metric choices, or the defaults when
// none were ever set.
func LoadStatsConfig(ctx context.Context, store Store) (StatsConfig, error) {
	cfg := DefaultStatsConfig()
	err := loadConfigSetting(ctx, store, SettingStatsConfig, func(b []byte) (err error) { cfg, err = ParseStatsConfig(b); return err })
	return cfg, err
}

// LoadEvaluationConfig returns the stored evaluation scheme, or the
// default when none was ever set.
func LoadEvaluationConfig(ctx context.Context, store Store) (EvaluationConfig, error) {
	cfg := DefaultEvaluationConfig()
	err := loadConfigSetting(ctx, store, SettingEvaluationConfig, func(b []byte) (err error) { cfg, err = ParseEvaluationConfig(b); return err })
	return cfg, err
}

func loadConfigSetting(ctx context.Context, store Store, key string, parse func([]byte) error) error {
	return store.View(ctx, func(tx Tx) error {
		v, err := tx.Setting(ctx, key)
		switch {
		case ErrorCodeOf(err) == NotFound:
			return nil
		case err != nil:
			return err
		}
		if err := parse([]byte(v)); err != nil {
			return fmt.Errorf("setting %s: %w", key, err)
		}
		return nil
	})
}

// SaveConfigSetting validates data as the config of key (SettingStatsConfig
// or SettingEvaluationConfig) and stores it, as actor (an admin). Services
// built before keep the old config until restarted.
func SaveConfigSetting(ctx context.Context, store Store, key string, data []byte) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var v any
	var err error
	switch key {
	case SettingStatsConfig:
		v, err = ParseStatsConfig(data)
	case SettingEvaluationConfig:
		v, err = ParseEvaluationConfig(data)
	default:
		return Errorf(Invalid, "unknown config %q: stats or evaluation", key)
	}
	if err != nil {
		return err
	}
	norm, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return store.Update(ctx, func(tx Tx) error { return tx.SetSetting(ctx, key, string(norm)) })
}

// EvaluationQuery selects a league table: a kind and a month ("2026-03").
// Live computes it from the aggregates even when the month is published.
type EvaluationQuery struct {
	Kind  EvalKind
	Month string
	Live  bool
}

// League is a league table (排名) of one kind for one month: its groups'
// rows ranked by composite score. Status says whether it was computed now
// from the aggregates ("live") or is a published snapshot ("published",
// Revision 1 at publication, one more per correction).
type League struct {
	Kind               EvalKind                `json:"kind"`
	Month              string                  `json:"month"`
	From               Date                    `json:"from"`
	To                 Date                    `json:"to"`
	Status             string                  `json:"status"`
	Revision           int                     `json:"revision,omitempty"`
	PublishedAt        *time.Time              `json:"published_at,omitempty"`
	PublishedBy        UserID                  `json:"published_by,omitempty"`
	DefinitionsVersion int                     `json:"definitions_version"`
	ConfigVersion      int                     `json:"config_version"`
	Exclude            map[string][]string     `json:"exclude,omitempty"`
	Config             EvalKindConfig          `json:"config"`
	Unavailable        []string                `json:"unavailable,omitempty"` // items with no value for this kind
	Groups             []*LeagueGroup          `json:"groups"`
	Corrections        []*EvaluationCorrection `json:"corrections"`
}

// The statuses of a league table.
const (
	LeagueLive      = "live"
	LeaguePublished = "published"
)

// LeagueGroup is one table of a league.
type LeagueGroup struct {
	Name Text         `json:"name"`
	Rows []*LeagueRow `json:"rows"`
}

// LeagueRow is one ranked row: its composite score and sub-scores (nil
// where the item has no value), and the counts and rates behind them. Rank
// is shared by equal scores (1, 1, 3); 0 when the row has no score.
type LeagueRow struct {
	Key       string              `json:"key"`
	Name      Text                `json:"name"`
	Rank      int                 `json:"rank"`
	Score     *float64            `json:"score"`
	SubScores map[string]*float64 `json:"sub_scores"`
	Counts    map[string]int64    `json:"counts"`
	Rates     map[string]*float64 `json:"rates"`
	Cells     int                 `json:"cells,omitempty"` // an area's grid cells, for per-cell items
	Corrected bool                `json:"corrected,omitempty"`
}

// Row returns the row with key, or nil.
func (l *League) Row(key string) *LeagueRow {
	for _, g := range l.Groups {
		for _, r := range g.Rows {
			if r.Key == key {
				return r
			}
		}
	}
	return nil
}

// keptFor reports whether metric code has a value for a row of kind: kept
// by the kind's dimension, or, for an inspector, by the grid cells they
// patrol (责任网格: a count about a place is summed over the inspector's
// cells; see EvaluationService.addPatrolCounts).
func keptFor(code string, kind EvalKind) bool {
	return keptBy(code, kind.Dim()) || (kind == EvalInspector && keptBy(code, DimCell))
}

// keptBy reports whether metric code has values for dimension d: counts
// about people are kept per person only when the metric says so, and a
// rate needs all its counts.
func keptBy(code string, d StatDim) bool {
	m := MetricByCode(code)
	if m == nil {
		return false
	}
	if m.Kind == MetricRate {
		for _, c := range m.Counts {
			if !keptBy(c, d) {
				return false
			}
		}
		return true
	}
	switch d {
	case DimInspector:
		return m.byInspector
	case DimOperator:
		return m.byOperator
	}
	return true
}

// needed lists, in item order, the counts and rates a kind's rows carry:
// those of its items, and the counts of its rates (so a count correction
// recomputes them).
func (k *EvalKindConfig) needed() (counts, rates []string) {
	add := func(list *[]string, c string) {
		if !slices.Contains(*list, c) {
			*list = append(*list, c)
		}
	}
	for _, it := range k.Items {
		m := MetricByCode(it.Metric)
		if m.Kind == MetricCount {
			add(&counts, m.Code)
			continue
		}
		add(&rates, m.Code)
		for _, c := range m.Counts {
			add(&counts, c)
		}
	}
	return counts, rates
}

// score computes r's sub-scores and composite from its counts and rates:
// the weighted mean of the items that have a value (weights renormalised
// over them), rounded to 0.01. tiers overrides items' tiers (a group's).
func (k *EvalKindConfig) score(r *LeagueRow, tiers map[string][]ScoreTier) {
	r.SubScores = map[string]*float64{}
	var sum, weights float64
	for _, it := range k.Items {
		var v *float64
		switch {
		case !keptFor(it.Metric, k.Kind):
		case len(it.Tiers) > 0:
			x := float64(r.Counts[it.Metric])
			if it.PerCell {
				if r.Cells == 0 {
					break
				}
				x /= float64(r.Cells)
			}
			ts := it.Tiers
			if g := tiers[it.Metric]; len(g) > 0 {
				ts = g
			}
			v = new(tierScore(ts, x))
		case r.Rates[it.Metric] != nil:
			// A month's rate may pass 1 when its counts fall on different
			// days (closed this month, due last month): it scores 100.
			x := min(max(*r.Rates[it.Metric], 0), 1) * 100
			if it.LowerIsBetter {
				x = 100 - x
			}
			v = new(round2(x))
		}
		r.SubScores[it.Metric] = v
		if v != nil {
			sum += *v * it.Weight
			weights += it.Weight
		}
	}
	r.Score = nil
	if weights > 0 {
		r.Score = new(round2(sum / weights))
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// rank orders rows by score, highest first (no score last, then by key),
// and gives equal scores the same rank.
func rank(rows []*LeagueRow) {
	slices.SortStableFunc(rows, func(a, b *LeagueRow) int {
		switch {
		case a.Score == nil && b.Score == nil:
		case a.Score == nil:
			return 1
		case b.Score == nil:
			return -1
		case *a.Score != *b.Score:
			if *a.Score > *b.Score {
				return -1
			}
			return 1
		}
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	for i, r := range rows {
		switch {
		case r.Score == nil:
			r.Rank = 0
		case i > 0 && rows[i-1].Score != nil && *rows[i-1].Score == *r.Score:
			r.Rank = rows[i-1].Rank
		default:
			r.Rank = i + 1
		}
	}
}

// rateOf computes rate m over counts, less the exclusions, as the
// statistics do: nil when the denominator is not positive.
func rateOf(m *Metric, less []string, counts map[string]int64) *float64 {
	den := counts[m.Counts[1]]
	for _, c := range less {
		den -= counts[c]
	}
	if den <= 0 {
		return nil
	}
	return new(float64(counts[m.Counts[0]]) / float64(den))
}

// EvaluationCorrection is an explicit change to a published league table:
// who changed which row's field from what to what, when and why. Field is
// "score", "counts.CODE" or "rates.CODE"; a count's rates and the scores
// are recomputed, a score is set as given. Revision is the snapshot
// revision the correction made.
type EvaluationCorrection struct {
	ID       int64     `json:"id"`
	Kind     EvalKind  `json:"kind"`
	Month    string    `json:"month"`
	Revision int       `json:"revision"`
	RowKey   string    `json:"row_key"`
	Field    string    `json:"field"`
	Old      *float64  `json:"old"`
	New      float64   `json:"new"`
	Reason   string    `json:"reason"`
	By       UserID    `json:"by"`
	ByName   string    `json:"by_name"`
	At       time.Time `json:"at"`
}

// EvaluationStore keeps published league tables and their corrections.
type EvaluationStore interface {
	// SaveLeague stores l as revision l.Revision of its kind and month;
	// Conflict when that revision exists.
	SaveLeague(ctx context.Context, l *League) error
	// FindLeague returns the latest revision of kind's table for month,
	// without corrections; NotFound when it was never published.
	FindLeague(ctx context.Context, kind EvalKind, month string) (*League, error)
	// AddEvaluationCorrection stores c and sets c.ID.
	AddEvaluationCorrection(ctx context.Context, c *EvaluationCorrection) error
	// FindEvaluationCorrections returns the corrections of kind's table
	// for month, oldest first.
	FindEvaluationCorrections(ctx context.Context, kind EvalKind, month string) ([]*EvaluationCorrection, error)
}
