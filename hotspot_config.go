package civicgrid

import (
	"context"
	"encoding/json"
)

// SettingHotspots is the setting holding the HotspotConfig, as JSON.
const SettingHotspots = "hotspot_config"

// HotspotConfig is a city's choices in finding hotspots (热点). A stored
// setting may leave fields out (or zero): they take the defaults.
type HotspotConfig struct {
	// RecurrenceDays is the window of a recurrence (复发): a new case
	// recurs when its cell had a case of its category created in the
	// days before. Changing it marks later reports only.
	RecurrenceDays int `json:"recurrence_days"`
	// BaselineWeeks is how many weeks before the tested week make an
	// emerging hotspot's baseline (its own weekly mean).
	BaselineWeeks int `json:"baseline_weeks"`
	// MinCount is the fewest reports in the tested week for a place to be
	// an emerging hotspot, however unusual: one report against none is
	// not a hotspot.
	MinCount int64 `json:"min_count"`
	// MaxP is the largest p-value of an emerging hotspot: the chance of at
	// least that many reports in a week if the place kept its baseline.
	MaxP float64 `json:"max_p"`
	// ZeroBaseline is the weekly mean assumed for a place with no reports
	// in the baseline weeks (a Poisson mean of 0 makes any report
	// impossible, so infinitely significant).
	ZeroBaseline float64 `json:"zero_baseline"`
	// ComponentMinCases is the fewest cases in the period at one
	// registered component (部件) for it to be a repeat problem.
	ComponentMinCases int `json:"component_min_cases"`
}

// DefaultHotspotConfig is the configuration when the city has none: a
// 30-day recurrence window, 8 baseline weeks, at least 5 reports and p ≤
// 0.01, and a baseline of 0.25 reports a week for a quiet place; a
// component with 2 cases in the period repeats.
func DefaultHotspotConfig() HotspotConfig {
	return HotspotConfig{RecurrenceDays: 30, BaselineWeeks: 8, MinCount: 5, MaxP: 0.01, ZeroBaseline: 0.25, ComponentMinCases: 2}
}

// withDefaults returns cfg with its zero fields set to the defaults.
func (cfg HotspotConfig) withDefaults() HotspotConfig {
	def := DefaultHotspotConfig()
	if cfg.RecurrenceDays == 0 {
		cfg.RecurrenceDays = def.RecurrenceDays
	}
	if cfg.BaselineWeeks == 0 {
		cfg.BaselineWeeks = def.BaselineWeeks
	}
	if cfg.MinCount == 0 {
		cfg.MinCount = def.MinCount
	}
	if cfg.MaxP == 0 {
		cfg.MaxP = def.MaxP
	}
	if cfg.ZeroBaseline == 0 {
		cfg.ZeroBaseline = def.ZeroBaseline
	}
	if cfg.ComponentMinCases == 0 {
		cfg.ComponentMinCases = def.ComponentMinCases
	}
	return cfg
}

// Validate checks the configuration's ranges (zero fields are defaults).
func (cfg HotspotConfig) Validate() error {
	fe := FieldErrors{}
	if cfg.RecurrenceDays < 0 || cfg.RecurrenceDays > 366 {
		fe.Add("recurrence_days", "from 1 to 366 days")
	}
	if cfg.BaselineWeeks < 0 || cfg.BaselineWeeks > 52 {
		fe.Add("baseline_weeks", "from 1 to 52 weeks")
	}
	if cfg.MinCount < 0 {
		fe.Add("min_count", "1 or more")
	}
	if !(cfg.MaxP >= 0 && cfg.MaxP < 1) { // NaN fails too
		fe.Add("max_p", "between 0 and 1, e.g. 0.01")
	}
	if !(cfg.ZeroBaseline >= 0 && cfg.ZeroBaseline <= 10) {
		fe.Add("zero_baseline", "a weekly mean between 0 and 10")
	}
	if cfg.ComponentMinCases < 0 || cfg.ComponentMinCases == 1 || cfg.ComponentMinCases > 1000 {
		fe.Add("component_min_cases", "from 2 to 1000 cases")
	}
	return fe.Err()
}

// LoadHotspotConfig returns the city's hotspot configuration stored in
// tx, with defaults for whatever it leaves out (all of it when there is
// none). A stored value that is not a valid configuration is Internal.
func LoadHotspotConfig(ctx context.Context, tx Tx) (HotspotConfig, error) {
	var cfg HotspotConfig
	v, err := tx.Setting(ctx, SettingHotspots)
	switch {
	case ErrorCodeOf(err) == NotFound:
		return DefaultHotspotConfig(), nil
	case err != nil:
		return cfg, err
	}
	if err := json.Unmarshal([]byte(v), &cfg); err != nil {
		return cfg, &Error{Code: Internal, Message: "the stored hotspot_config is not valid JSON", Err: err}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, &Error{Code: Internal, Message: "the stored hotspot_config is out of range", Err: err}
	}
	return cfg.withDefaults(), nil
}
