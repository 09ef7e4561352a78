package civicgrid

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MetricKind says whether a metric is counted or computed from counts.
type MetricKind string

// The metric kinds.
const (
	MetricCount MetricKind = "count" // a number of events, kept as aggregates
	MetricRate  MetricKind = "rate"  // a ratio of two counts, computed when asked
)

// Metric is one supervision metric (考评指标), defined once: its name, the
// formula people read, and, for a count, exactly which events count. A
// rate names its numerator and denominator counts, and the counts a city
// excludes from the denominator (Less, from the StatsConfig).
type Metric struct {
	Code    string     `json:"code"`
	Name    Text       `json:"name"`
	Kind    MetricKind `json:"kind"`
	Formula Text       `json:"formula"`
	Counts  []string   `json:"counts,omitempty"` // a rate's numerator and denominator
	Less    []string   `json:"less,omitempty"`   // counts subtracted from a rate's denominator
	Doc     Text       `json:"doc"`

	// count returns what ev adds to the count (+1, -1 for a correction,
	// 0), c being the case just after ev; nil for a rate.
	count func(c *Case, ev *CaseEvent) int64
	// onDeadline dates the count on the day of ev.Deadline, not ev.At.
	onDeadline bool
	// byInspector and byOperator say whether the count is about the
	// inspector or the centre staff member of the event, and so is also
	// kept by that person (see statDims).
	byInspector, byOperator bool
}

// StatDim is a dimension aggregates are kept by. Every event adds one row
// per dimension it has a value in, so grouping by a dimension is a sum of
// that dimension's rows over the days asked for.
type StatDim string

// The dimensions.
const (
	DimCity      StatDim = "city"      // the whole city: value "all"
	DimDistrict  StatDim = "district"  // the case's district code
	DimStreet    StatDim = "street"    // street code
	DimCommunity StatDim = "community" // community code
	DimCell      StatDim = "cell"      // unit grid cell code
	DimCategory  StatDim = "category"  // category code
	DimSource    StatDim = "source"    // the report's channel
	DimUnit      StatDim = "unit"      // the unit holding the case at the event (for a return, the unit returning it)
	DimInspector StatDim = "inspector" // the inspector the event tasks, or the inspector acting
	DimOperator  StatDim = "operator"  // the centre staff member acting (受理员, 值班长, 派遣员)

	// The two-level groupings (二级分组): a value "<first>|<category>",
	// so that "cell × category" is a sum of rows, not a scan of cases.
	DimStreetCategory    StatDim = "street_category"    // street code|category code
	DimCommunityCategory StatDim = "community_category" // community code|category code
	DimCellCategory      StatDim = "cell_category"      // cell code|category code
	DimUnitCategory      StatDim = "unit_category"      // unit id|category code
)

// StatDims lists every dimension.
var StatDims = [...]StatDim{DimCity, DimDistrict, DimStreet, DimCommunity, DimCell, DimCategory, DimSource, DimUnit, DimInspector, DimOperator,
	DimStreetCategory, DimCommunityCategory, DimCellCategory, DimUnitCategory}

// pairDims are the two-level groupings and the dimensions they pair.
var pairDims = [...]struct{ pair, first, second StatDim }{
	{DimStreetCategory, DimStreet, DimCategory},
	{DimCommunityCategory, DimCommunity, DimCategory},
	{DimCellCategory, DimCell, DimCategory},
	{DimUnitCategory, DimUnit, DimCategory},
}

// PairSeparator joins the two values of a two-level grouping.
const PairSeparator = "|"

// PairDim returns the two-level grouping of first then second (cell then
// category is DimCellCategory), or false when none is kept.
func PairDim(first, second StatDim) (StatDim, bool) {
	for _, p := range pairDims {
		if p.first == first && p.second == second {
			return p.pair, true
		}
	}
	return "", false
}

// Split returns the two dimensions of a two-level grouping, or d and ""
// for a plain one.
func (d StatDim) Split() (first, second StatDim) {
	for _, p := range pairDims {
		if p.pair == d {
			return p.first, p.second
		}
	}
	return d, ""
}

// PairValue is the value of a two-level grouping: first|second.
func PairValue(first, second string) string { return first + PairSeparator + second }

// SplitPairValue returns the two values of a two-level grouping's value.
func SplitPairValue(v string) (first, second string) {
	first, second, _ = strings.Cut(v, PairSeparator)
	return first, second
}

// Valid reports whether d is a known dimension.
func (d StatDim) Valid() bool {
	for _, v := range StatDims {
		if d == v {
			return true
		}
	}
	return false
}

// area reports whether d is a level of the area tree, whose codes nest,
// or a two-level grouping led by one (whose values start with its code).
func (d StatDim) area() bool {
	d, _ = d.Split()
	return d == DimDistrict || d == DimStreet || d == DimCommunity || d == DimCell
}

// cityValue is the value of the city dimension's one row.
const cityValue = "all"

// StatKey is one cell of the aggregates: a day, a dimension and its value.
type StatKey struct {
	Day   Date    `json:"day"`
	Dim   StatDim `json:"dim"`
	Value string  `json:"value"`
}

// StatDelta is what one event adds to one count in one cell.
type StatDelta struct {
	Key    StatKey `json:"key"`
	Metric string  `json:"metric"`
	N      int64   `json:"n"`
}

// StatCount is a stored count: summed over the days asked for (Day zero),
// or of one day.
type StatCount struct {
	Day    Date
	Value  string
	Metric string
	N      int64
}

// StatsQuery selects stored counts of one dimension. Zero From or To do not
// bound the days; To is exclusive. Empty Metrics means all; Value (exact),
// ValuePrefix and ValueSuffix narrow the values (ASCII codes: a prefix
// cuts out an area, a suffix "|category" one category of a two-level
// grouping).
type StatsQuery struct {
	GroupBy     StatDim
	From, To    Date
	Metrics     []string
	Value       string
	ValuePrefix string
	ValueSuffix string
	ByDay       bool // one StatCount per day, instead of sums over the days
}

// StatsStore keeps the aggregates, written with the events they count.
type StatsStore interface {
	// AddStats adds the deltas to the stored counts when the transaction
	// commits (a backend may gather them until then; FindStats in the same
	// transaction sees them). It keeps no reference to deltas. Internal in
	// a read-only transaction or for a metric that is not a count.
	AddStats(ctx context.Context, deltas []StatDelta) error
	// FindStats returns the non-zero counts q selects, by value and
	// metric (and day when q.ByDay), in no particular order; Invalid when
	// q names a metric that is not a count.
	FindStats(ctx context.Context, q StatsQuery) ([]StatCount, error)
	// ReplaceStats replaces every stored count with the sums of deltas.
	ReplaceStats(ctx context.Context, deltas []StatDelta) error
}

// DayNumber is d as an ordered integer, yyyymmdd, as stores keep days.
func (d Date) DayNumber() int { return d.Year*10000 + int(d.Month)*100 + d.Day }

// DateOfNumber is the inverse of DayNumber.
func DateOfNumber(n int) Date { return Date{n / 10000, time.Month(n / 100 % 100), n % 100} }

// StatsConfig is a city's choices in its metrics: the counts excluded
// from a rate's denominator (Jinhua's 按期结案率 = 按期结案数 / (应结案数 −
// 缓办数) is Exclude{"rate_closed_on_time": {"suspended"}}). Exclusions
// apply when rates are computed, so changing them needs no rebuild; bump
// DefinitionsVersion whenever they change, so published numbers say which
// definitions they used.
type StatsConfig struct {
	DefinitionsVersion int                 `json:"definitions_version"`
	Exclude            map[string][]string `json:"exclude,omitempty"`
}

// DefaultStatsConfig is version 3 of the definitions, without exclusions.
// Version 2 added the dispatch, filing, closing and 漏报 counts of the
// evaluations; version 3 keeps valid reports by the reporting inspector and
// returns (so accurate dispatch) by the dispatcher they undo.
func DefaultStatsConfig() StatsConfig { return StatsConfig{DefinitionsVersion: 3} }

// Validate checks that the exclusions name rates and counts.
func (cfg StatsConfig) Validate() error {
	if cfg.DefinitionsVersion < 1 {
		return FieldError("definitions_version", "must be 1 or more")
	}
	for rate, less := range cfg.Exclude {
		if m := MetricByCode(rate); m == nil || m.Kind != MetricRate {
			return FieldError("exclude", fmt.Sprintf("%q is not a rate", rate))
		}
		for _, code := range less {
			if m := MetricByCode(code); m == nil || m.Kind != MetricCount {
				return FieldError("exclude", fmt.Sprintf("%q is not a count", code))
			}
		}
	}
	return nil
}

// Metrics returns every metric, counts first, with cfg's exclusions in the
// rates' Less and formulas.
func (cfg StatsConfig) Metrics() []*Metric {
	out := make([]*Metric, 0, len(metricDefs))
	for _, m := range metricDefs {
		less := cfg.Exclude[m.Code]
		if m.Kind != MetricRate || len(less) == 0 {
			out = append(out, m)
			continue
		}
		mm := *m
		mm.Less = less
		zh, en := []string{MetricByCode(m.Counts[1]).Name.Zh}, []string{MetricByCode(m.Counts[1]).Name.En}
		for _, code := range less {
			zh, en = append(zh, MetricByCode(code).Name.Zh), append(en, MetricByCode(code).Name.En)
		}
		num := MetricByCode(m.Counts[0]).Name
		mm.Formula = Text{num.Zh + " / (" + strings.Join(zh, " − ") + ")", num.En + " / (" + strings.Join(en, " − ") + ")"}
		out = append(out, &mm)
	}
	return out
}

// CountCodes returns the codes of the counts in definition order: the
// numbers a store keeps per day, dimension and value.
func CountCodes() []string {
	codes := make([]string, len(countDefs))
	for i, m := range countDefs {
		codes[i] = m.Code
	}
	return codes
}

// MetricByCode returns the definition of a metric, or nil.
func MetricByCode(code string) *Metric {
	for _, m := range metricDefs {
		if m.Code == code {
			return m
		}
	}
	return nil
}

// appendPairDims appends to dims, an event's plain dimensions, its
// two-level groupings: each first dimension paired with the category.
func appendPairDims(dims []dimValue) []dimValue {
	category := ""
	for _, d := range dims {
		if d.dim == DimCategory {
			category = d.value
		}
	}
	if category == "" {
		return dims
	}
	for _, d := range dims {
		if pair, ok := PairDim(d.dim, DimCategory); ok {
			dims = append(dims, dimValue{pair, PairValue(d.value, category)})
		}
	}
	return dims
}
