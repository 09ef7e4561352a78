package civicgrid

import (
	"testing"
)

func TestEvaluationConfigValidate(t *testing.T) {
	if err := DefaultEvaluationConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, k := range EvalKinds {
		if DefaultEvaluationConfig().Kind(k) == nil {
			t.Errorf("default config has no %s", k)
		}
	}
	bad := map[string]EvaluationConfig{
		"weights":       {Version: 1, Kinds: []EvalKindConfig{{Kind: EvalUnit, Items: []ScoreItem{{Metric: "rate_closed", Weight: 0.5}}}}},
		"count no tier": {Version: 1, Kinds: []EvalKindConfig{{Kind: EvalUnit, Items: []ScoreItem{{Metric: "closed", Weight: 1}}}}},
		"unknown":       {Version: 1, Kinds: []EvalKindConfig{{Kind: EvalUnit, Items: []ScoreItem{{Metric: "nope", Weight: 1}}}}},
		"kind":          {Version: 1, Kinds: []EvalKindConfig{{Kind: "x", Items: []ScoreItem{{Metric: "rate_closed", Weight: 1}}}}},
		"tiers":         {Version: 1, Kinds: []EvalKindConfig{{Kind: EvalUnit, Items: []ScoreItem{{Metric: "closed", Weight: 1, Tiers: tiers(5, 1, 3, 2, 0)}}}}},
		"per cell unit": {Version: 1, Kinds: []EvalKindConfig{{Kind: EvalUnit, Items: []ScoreItem{{Metric: "closed", Weight: 1, Tiers: tiers(0), PerCell: true}}}}},
		"version":       {Version: 0},
	}
	for name, cfg := range bad {
		if ErrorCodeOf(cfg.Validate()) != Invalid {
			t.Errorf("%s: want Invalid, got %v", name, cfg.Validate())
		}
	}
	if _, err := ParseEvaluationConfig([]byte(`{"version":1,"kinds":[],"extra":1}`)); ErrorCodeOf(err) != Invalid {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ParseStatsConfig([]byte(`{"definitions_version":3,"exclude":{"rate_closed":["suspended"]}}`)); err != nil {
		t.Errorf("stats config: %v", err)
	}
}

// TestLeagueScoreRankCorrect: DOMAIN §6.3's unit formula, tiers, lower is
// better, shared ranks, and a count correction that rescores and reranks.
func TestLeagueScoreRankCorrect(t *testing.T) {
	k := DefaultEvaluationConfig().Kind(EvalUnit)
	row := func(key string, dispatched, closed, dueClosing, onTime, dueHandling, reworked int64) *LeagueRow {
		counts := map[string]int64{"dispatched": dispatched, "closed": closed, "due_closing": dueClosing,
			"handled_on_time": onTime, "due_handling": dueHandling, "reworked": reworked}
		r := &LeagueRow{Key: key, Counts: counts, Rates: map[string]*float64{}}
		for _, code := range []string{"rate_closed", "rate_handled_on_time", "rate_reworked"} {
			r.Rates[code] = rateOf(MetricByCode(code), nil, counts)
		}
		return r
	}
	a := row("1", 40, 90, 100, 80, 100, 10)  // 100×.1 + 90×.3 + 80×.3 + 90×.3 = 88
	b := row("2", 150, 90, 100, 80, 100, 10) // 75×.1 + … = 85.5
	c := row("3", 40, 90, 100, 80, 100, 10)  // ties with a
	d := row("4", 0, 0, 0, 0, 0, 0)          // volume only: 100
	e := row("5", 0, 0, 0, 0, 0, 0)
	e.Counts["dispatched"] = 2000 // volume 0 only: 0
	rows := []*LeagueRow{b, a, c, d, e}
	for _, r := range rows {
		k.score(r, nil)
	}
	rank(rows)
	got := map[string][2]float64{}
	for _, r := range rows {
		got[r.Key] = [2]float64{float64(r.Rank), *r.Score}
	}
	want := map[string][2]float64{"4": {1, 100}, "1": {2, 88}, "3": {2, 88}, "2": {4, 85.5}, "5": {5, 0}}
	for key, w := range want {
		if got[key] != w {
			t.Errorf("row %s: rank, score = %v, want %v", key, got[key], w)
		}
	}
	if rows[0].Key != "4" || rows[4].Key != "5" {
		t.Errorf("order %s … %s", rows[0].Key, rows[4].Key)
	}

	l := &League{Kind: EvalUnit, Month: "2026-03", Config: *k, Groups: []*LeagueGroup{{Name: Text{"市级部门", ""}, Rows: rows}}}
	// 3's closings were under-counted: 100 of 100 closed moves it to 91.
	corr, err := l.apply(CorrectionInput{RowKey: "3", Field: "counts.closed", Value: 100, Reason: "漏统计"})
	if err != nil {
		t.Fatal(err)
	}
	if *corr.Old != 90 || corr.New != 100 {
		t.Errorf("correction %+v", corr)
	}
	r3 := l.Row("3")
	if *r3.Rates["rate_closed"] != 1 || *r3.Score != 91 || r3.Rank != 2 || !r3.Corrected || l.Row("1").Rank != 3 {
		t.Errorf("after correction: rate %v score %v rank %d; row 1 rank %d", *r3.Rates["rate_closed"], *r3.Score, r3.Rank, l.Row("1").Rank)
	}
	if _, err := l.apply(CorrectionInput{RowKey: "9", Field: "score", Value: 1}); ErrorCodeOf(err) != Invalid {
		t.Errorf("unknown row: %v", err)
	}
	if _, err := l.apply(CorrectionInput{RowKey: "1", Field: "rates.rate_closed", Value: 2}); ErrorCodeOf(err) != Invalid {
		t.Errorf("rate 2: %v", err)
	}
	if _, err := l.apply(CorrectionInput{RowKey: "1", Field: "score", Value: 99}); err != nil || l.Row("1").Rank != 2 {
		t.Errorf("score correction: %v, rank %d", err, l.Row("1").Rank)
	}
}

// TestKeptBy: per-person dimensions have only the metrics kept by them.
func TestKeptBy(t *testing.T) {
	for _, tc := range []struct {
		code string
		dim  StatDim
		want bool
	}{
		{"rate_accurately_dispatched", DimOperator, true},
		{"rate_valid_reported", DimInspector, true},
		{"rate_dispatched_on_time", DimOperator, true},
		{"rate_accurately_dispatched", DimUnit, true},
		{"rate_verified_on_time", DimInspector, true},
		{"rate_public_reported", DimInspector, false},
		{"accepted", DimOperator, true},
	} {
		if got := keptBy(tc.code, tc.dim); got != tc.want {
			t.Errorf("keptBy(%s, %s) = %v", tc.code, tc.dim, got)
		}
	}
	// An inspector's 漏报率 is that of their cells; an operator's is none.
	if !keptFor("rate_public_reported", EvalInspector) || keptFor("rate_public_reported", EvalOperator) {
		t.Error("keptFor(rate_public_reported): want the inspector's cells only")
	}
}
