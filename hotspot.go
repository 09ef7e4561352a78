package civicgrid

import (
	"context"
	"time"
)

// HotspotKind is one of the three hotspot tables.
type HotspotKind string

// The hotspot kinds.
const (
	HotspotTop       HotspotKind = "top"       // most reports (上报数)
	HotspotRecurring HotspotKind = "recurring" // most recurrences (复发数)
	HotspotEmerging  HotspotKind = "emerging"  // significantly above its own baseline
)

// HotspotQuery asks for hotspots.
type HotspotQuery struct {
	// Level is the places ranked: DimCell (the default), DimCommunity or
	// DimStreet.
	Level StatDim
	// Category narrows to one category's reports; "" counts them all.
	Category string
	// From and To are the days Top and Recurring count, To exclusive.
	From, To Date
	// Date is the last day of the week Emerging tests (the 7 days ending
	// on it); the BaselineWeeks before that week are its baseline.
	Date Date
	// Limit is the most rows returned: 20 when 0, at most 500.
	Limit int
}

// Hotspot is one place of a hotspot table.
type Hotspot struct {
	Key      string `json:"key"` // the cell, community or street code
	Name     Text   `json:"name"`
	Reported int64  `json:"reported"` // 上报数 in the period (Emerging: the week)
	Recurred int64  `json:"recurred"` // 复发数 in the period (Emerging: the week)
	// Test is the significance test of an emerging hotspot (and of a
	// CellScores place); nil in the other tables.
	Test *PoissonTest `json:"test,omitempty"`
	// Cases is the case list query listing the hotspot's cases.
	Cases HotspotCases `json:"cases"`
}

// PoissonTest is a one-sided Poisson test of a week's count against the
// place's baseline: P is the chance of at least Observed reports if they
// arrived at the baseline's weekly mean, Expected.
type PoissonTest struct {
	Observed int64   `json:"observed"`
	Expected float64 `json:"expected"` // the baseline's weekly mean, at least the zero-baseline floor
	Baseline int64   `json:"baseline"` // reports in all the baseline weeks
	P        float64 `json:"p"`
	Score    float64 `json:"score"` // −log10 P
}

// HotspotCases is the case list query (GET /api/v1/cases, the /cases
// page) of a hotspot's cases: its place, its category if the table has
// one, and the days the cases were created, both included. Reported counts
// reports, folded ones included, so a place's cases may be fewer than its
// reports.
type HotspotCases struct {
	Cell        string `json:"cell,omitempty"`
	Community   string `json:"community,omitempty"`
	Street      string `json:"street,omitempty"`
	Component   string `json:"component,omitempty"` // a registered component's code (部件)
	Category    string `json:"category,omitempty"`
	CreatedFrom Date   `json:"created_from"`
	CreatedTo   Date   `json:"created_to"`
	Query       string `json:"query"` // the same, as URL query parameters
}

// HotspotResult is a hotspot table.
type HotspotResult struct {
	Kind     HotspotKind   `json:"kind"`
	Level    StatDim       `json:"level"`
	Category string        `json:"category,omitempty"`
	From     Date          `json:"from"`
	To       Date          `json:"to"` // exclusive
	Config   HotspotConfig `json:"config"`
	Rows     []*Hotspot    `json:"rows"`
}

// HotspotTables are the three hotspot tables of one query, read from one
// snapshot of the aggregates.
type HotspotTables struct {
	Top, Recurring, Emerging *HotspotResult
}

// HotspotStore finds what hotspots need beyond the aggregates.
type HotspotStore interface {
	// FindLatestCase returns the case of category created latest in cell
	// before at, whatever became of it since (so that the answer depends
	// on nothing that changes: a bulk load of finished cases finds what
	// intake found); NotFound when there is none.
	FindLatestCase(ctx context.Context, cell, category string, at time.Time) (*Case, error)
}
