package civicgrid

import (
	"cmp"
	"context"
	"encoding/json"
	"math"
	"net/url"
	"slices"
)

// HotspotService finds hotspots (热点): the places problems crowd (Top),
// keep coming back (Recurring) and are suddenly more frequent than their
// own past (Emerging). It reads only the aggregates StatsService keeps, so
// its numbers are the statistics' numbers; every hotspot names the case
// list query that shows its cases. Repeat problems at a registered
// component are found by Components (hotspot_component.go); merchants have
// no register yet.
type HotspotService struct {
	stats *StatsService
}

// NewHotspotService returns a service over the aggregates of stats.
func NewHotspotService(stats *StatsService) *HotspotService { return &HotspotService{stats: stats} }

// Top returns the places with the most reports of q.Category (or of any)
// over q.From to q.To, most first (then most recurrences, then by code).
func (s *HotspotService) Top(ctx context.Context, q HotspotQuery) (*HotspotResult, error) {
	t, err := s.tables(ctx, q, HotspotTop)
	return t.Top, err
}

// Recurring returns the places with the most recurrences (复发数) of
// q.Category (or of any) over q.From to q.To, most first; places without
// any are left out.
func (s *HotspotService) Recurring(ctx context.Context, q HotspotQuery) (*HotspotResult, error) {
	t, err := s.tables(ctx, q, HotspotRecurring)
	return t.Recurring, err
}

// Emerging returns the places whose reports in the week ending on q.Date
// are significantly above their own baseline, the weekly mean of the
// configured weeks before: at least MinCount reports and a Poisson p-value
// of at most MaxP, most significant first. From and To of the result are
// the tested week.
func (s *HotspotService) Emerging(ctx context.Context, q HotspotQuery) (*HotspotResult, error) {
	t, err := s.tables(ctx, q, HotspotEmerging)
	return t.Emerging, err
}

// Tables returns Top, Recurring and Emerging of q at once (q needs From,
// To and Date): what a page or a report showing all three asks for, in
// one read transaction and with Top and Recurring sharing their sums.
func (s *HotspotService) Tables(ctx context.Context, q HotspotQuery) (*HotspotTables, error) {
	return s.tables(ctx, q, "")
}

// tables computes the table of kind, or all three when kind is "".
func (s *HotspotService) tables(ctx context.Context, q HotspotQuery, kind HotspotKind) (*HotspotTables, error) {
	ranked, emerging := kind != HotspotEmerging, kind == HotspotEmerging || kind == ""
	if err := checkHotspotQuery(&q, ranked, emerging); err != nil {
		return &HotspotTables{}, err
	}
	out := &HotspotTables{}
	err := s.view(ctx, q, func(tx Tx, sq StatsQuery) error {
		cfg, err := LoadHotspotConfig(ctx, tx)
		if err != nil {
			return err
		}
		if ranked {
			counts, err := s.counts(ctx, tx, sq, q, q.From, q.To)
			if err != nil {
				return err
			}
			for _, k := range []HotspotKind{HotspotTop, HotspotRecurring} {
				if kind != "" && kind != k {
					continue
				}
				res := rankedTable(k, q, cfg, counts)
				if err := s.finish(ctx, tx, res, q, q.From, q.To.AddDays(-1)); err != nil {
					return err
				}
				if k == HotspotTop {
					out.Top = res
				} else {
					out.Recurring = res
				}
			}
		}
		if emerging {
			out.Emerging, err = s.emerging(ctx, tx, sq, q, cfg)
		}
		return err
	})
	if err != nil {
		return &HotspotTables{}, err
	}
	return out, nil
}

// rankedTable ranks counts for Top or Recurring.
func rankedTable(kind HotspotKind, q HotspotQuery, cfg HotspotConfig, counts map[string]placeCounts) *HotspotResult {
	res := &HotspotResult{Kind: kind, Level: q.Level, Category: q.Category, From: q.From, To: q.To, Config: cfg, Rows: []*Hotspot{}}
	for key, c := range counts {
		if kind == HotspotRecurring && c.recurred <= 0 {
			continue
		}
		res.Rows = append(res.Rows, &Hotspot{Key: key, Reported: c.reported, Recurred: c.recurred})
	}
	slices.SortFunc(res.Rows, func(a, b *Hotspot) int {
		if kind == HotspotRecurring {
			return cmp.Or(-cmp.Compare(a.Recurred, b.Recurred), -cmp.Compare(a.Reported, b.Reported), cmp.Compare(a.Key, b.Key))
		}
		return cmp.Or(-cmp.Compare(a.Reported, b.Reported), -cmp.Compare(a.Recurred, b.Recurred), cmp.Compare(a.Key, b.Key))
	})
	return res
}

// emerging tests the week ending on q.Date (see Emerging).
func (s *HotspotService) emerging(ctx context.Context, tx Tx, sq StatsQuery, q HotspotQuery, cfg HotspotConfig) (*HotspotResult, error) {
	weekFrom, weekTo := q.Date.AddDays(-6), q.Date.AddDays(1)
	res := &HotspotResult{Kind: HotspotEmerging, Level: q.Level, Category: q.Category, From: weekFrom, To: weekTo, Config: cfg, Rows: []*Hotspot{}}
	tests, err := s.tests(ctx, tx, sq, q, weekFrom, weekTo, cfg)
	if err != nil {
		return nil, err
	}
	for _, h := range tests {
		if h.Test.Observed >= cfg.MinCount && h.Test.P <= cfg.MaxP {
			res.Rows = append(res.Rows, h)
		}
	}
	slices.SortFunc(res.Rows, func(a, b *Hotspot) int {
		return cmp.Or(-cmp.Compare(a.Test.Score, b.Test.Score), -cmp.Compare(a.Reported, b.Reported), cmp.Compare(a.Key, b.Key))
	})
	return res, s.finish(ctx, tx, res, q, weekFrom, q.Date)
}

// CellScores returns a hotspot score for every cell the actor may see
// with reports from from up to to (exclusive), for shading a map: −log10
// of the Poisson p-value of its reports in the period against its own
// baseline, the same span repeated over the BaselineWeeks weeks' worth of
// periods before (at least one). 0 is "as usual or quieter"; 2 is "a 1 in
// 100 chance"; it has no upper bound. Cells without reports are absent.
func (s *HotspotService) CellScores(ctx context.Context, from, to Date) (map[string]float64, error) {
	q := HotspotQuery{Level: DimCell, From: from, To: to}
	if err := checkHotspotQuery(&q, true, false); err != nil {
		return nil, err
	}
	out := map[string]float64{}
	err := s.view(ctx, q, func(tx Tx, sq StatsQuery) error {
		cfg, err := LoadHotspotConfig(ctx, tx)
		if err != nil {
			return err
		}
		tests, err := s.tests(ctx, tx, sq, q, from, to, cfg)
		for _, h := range tests {
			out[h.Key] = h.Test.Score
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkActor returns the actor in ctx if they may see hotspots (the
// command centre's staff, leaders and admins), and checks category, when
// set, is the city's.
func (s *HotspotService) checkActor(ctx context.Context, category string) (*User, error) {
	actor, err := requireCentre(ctx, "hotspots are")
	if err != nil {
		return nil, err
	}
	if category != "" && s.stats.city().Categories[category] == nil {
		return nil, &Error{Code: Unprocessable, Message: "unknown category " + category, Fields: map[string]string{"category": "unknown category"}}
	}
	return actor, nil
}

// Config returns the city's hotspot configuration, defaults filled in,
// to the centre's staff, leaders and admins.
func (s *HotspotService) Config(ctx context.Context) (HotspotConfig, error) {
	if _, err := requireCentre(ctx, "the hotspot settings are"); err != nil {
		return HotspotConfig{}, err
	}
	var cfg HotspotConfig
	err := s.stats.store.View(ctx, func(tx Tx) error {
		var err error
		cfg, err = LoadHotspotConfig(ctx, tx)
		return err
	})
	return cfg, err
}

// SetConfig stores the city's hotspot configuration. Admins only.
func (s *HotspotService) SetConfig(ctx context.Context, cfg HotspotConfig) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(cfg.withDefaults())
	if err != nil {
		return err
	}
	return s.stats.store.Update(ctx, func(tx Tx) error { return tx.SetSetting(ctx, SettingHotspots, string(b)) })
}

// checkHotspotQuery validates q, filling in its defaults: the ranked
// tables need q.From and q.To, the emerging one q.Date.
func checkHotspotQuery(q *HotspotQuery, ranked, emerging bool) error {
	fe := FieldErrors{}
	if q.Level == "" {
		q.Level = DimCell
	}
	if _, ok := PairDim(q.Level, DimCategory); !ok || !q.Level.area() {
		fe.Add("level", "one of cell, community, street")
	}
	switch {
	case q.Limit == 0:
		q.Limit = 20
	case q.Limit < 0 || q.Limit > 500:
		fe.Add("limit", "from 1 to 500")
	}
	if emerging && q.Date.IsZero() {
		fe.Add("date", "required: the last day of the week tested, e.g. 2026-03-15")
	}
	switch {
	case !ranked:
	case q.From.IsZero() || q.To.IsZero():
		fe.Add("from", "from and to are required dates, e.g. from=2026-03-01&to=2026-04-01 (to is exclusive)")
	case !q.From.Before(q.To):
		fe.Add("to", "must be after from (to is exclusive)")
	case q.To.day()-q.From.day() > maxStatsDays:
		fe.Add("to", "at most ten years after from")
	}
	return fe.Err()
}

// view runs fn in a read-only transaction with the statistics query of q
// (its dimension: the level, paired with the category when there is one)
// cut to the actor's scope. Hotspots are the command centre's: its staff,
// leaders and admins.
func (s *HotspotService) view(ctx context.Context, q HotspotQuery, fn func(Tx, StatsQuery) error) error {
	actor, err := s.checkActor(ctx, q.Category)
	if err != nil {
		return err
	}
	sq := StatsQuery{GroupBy: q.Level, Metrics: []string{"reported", "recurred"}}
	if q.Category != "" {
		sq.GroupBy, _ = PairDim(q.Level, DimCategory)
		sq.ValueSuffix = PairSeparator + q.Category
	}
	if err := scopeStats(actor, &sq); err != nil {
		return err
	}
	return s.stats.store.View(ctx, func(tx Tx) error { return fn(tx, sq) })
}

// placeCounts are a place's counts over some days.
type placeCounts struct{ reported, recurred int64 }

// counts sums sq's counts from from up to to by place, keeping only
// q.Category's when sq is a two-level grouping.
func (s *HotspotService) counts(ctx context.Context, tx Tx, sq StatsQuery, q HotspotQuery, from, to Date) (map[string]placeCounts, error) {
	sq.From, sq.To = from, to
	found, err := tx.FindStats(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := map[string]placeCounts{}
	for _, sc := range found {
		key := sc.Value
		if q.Category != "" {
			var cat string
			if key, cat = SplitPairValue(sc.Value); cat != q.Category {
				continue
			}
		}
		c := out[key]
		switch sc.Metric {
		case "reported":
			c.reported += sc.N
		case "recurred":
			c.recurred += sc.N
		}
		out[key] = c
	}
	return out, nil
}

// tests runs the Poisson test of every place with reports from from up to
// to against its baseline: the cfg.BaselineWeeks weeks' worth of periods
// of the same length just before (at least one period).
func (s *HotspotService) tests(ctx context.Context, tx Tx, sq StatsQuery, q HotspotQuery, from, to Date, cfg HotspotConfig) ([]*Hotspot, error) {
	span := to.day() - from.day()
	periods := max(cfg.BaselineWeeks*7/span, 1)
	now, err := s.counts(ctx, tx, sq, q, from, to)
	if err != nil {
		return nil, err
	}
	before, err := s.counts(ctx, tx, sq, q, from.AddDays(-periods*span), from)
	if err != nil {
		return nil, err
	}
	var out []*Hotspot
	for key, c := range now {
		if c.reported <= 0 {
			continue
		}
		base := before[key].reported
		expected := math.Max(float64(base)/float64(periods), cfg.ZeroBaseline*float64(span)/7)
		logP := LogPoissonTail(c.reported, expected)
		out = append(out, &Hotspot{Key: key, Reported: c.reported, Recurred: c.recurred, Test: &PoissonTest{
			Observed: c.reported, Expected: expected, Baseline: base, P: math.Exp(logP), Score: HotspotScore(logP)}})
	}
	return out, nil
}

// finish cuts res to q.Limit rows and names them, with the case list
// query of their cases created from first to last (both included).
func (s *HotspotService) finish(ctx context.Context, tx Tx, res *HotspotResult, q HotspotQuery, first, last Date) error {
	if len(res.Rows) > q.Limit {
		res.Rows = res.Rows[:q.Limit]
	}
	for _, h := range res.Rows {
		var err error
		if h.Name, err = s.stats.statName(ctx, tx, q.Level, h.Key); err != nil {
			return err
		}
		h.Cases = hotspotCases(q.Level, h.Key, q.Category, first, last)
	}
	return nil
}

// hotspotCases is the case list query of the cases of category (any when
// "") at place, a code of level, created from first to last.
func hotspotCases(level StatDim, place, category string, first, last Date) HotspotCases {
	c := HotspotCases{Category: category, CreatedFrom: first, CreatedTo: last}
	v := url.Values{}
	v.Set(string(level), place)
	switch level {
	case DimCell:
		c.Cell = place
	case DimCommunity:
		c.Community = place
	case DimStreet:
		c.Street = place
	}
	if category != "" {
		v.Set("category", category)
	}
	v.Set("created_from", first.String())
	v.Set("created_to", last.String())
	c.Query = v.Encode()
	return c
}
