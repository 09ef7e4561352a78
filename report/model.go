// Package report builds the centre's analysis reports (分析报告): daily,
// weekly and monthly, from the statistics service only, so that every
// number is the one the API and the dashboard show; and renders them as
// printable HTML, XLSX workbooks and CSV tables.
package report

import (
	"context"
	"time"

	"civicgrid"
)

// Report is one analysis report: its period, the previous period beside
// it, its tables in reading order, the trend, the hotspot map and the
// recommendations drawn from the numbers.
type Report struct {
	Kind               Kind              `json:"kind"`
	City               string            `json:"city"`
	Period             Period            `json:"period"`
	Previous           Period            `json:"previous"`
	Generated          time.Time         `json:"generated"`
	DefinitionsVersion int               `json:"definitions_version"`
	Summary            []Figure          `json:"summary"` // the headline figures
	Tables             []*Table          `json:"tables"`
	Trend              *Trend            `json:"trend"`
	Map                *HotMap           `json:"map,omitempty"`
	Recommendations    []*Recommendation `json:"recommendations"`
	Sections           []*Section        `json:"sections,omitempty"` // from the optional sources
}

// Table returns the table with id, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.ID == id {
			return t
		}
	}
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			if t.ID == id {
				return t
			}
		}
	}
	return nil
}

// AllTables returns the report's tables and its sections' tables.
func (r *Report) AllTables() []*Table {
	out := append([]*Table(nil), r.Tables...)
	for _, s := range r.Sections {
		out = append(out, s.Tables...)
	}
	return out
}

// Figure is one headline number with its value in the previous period.
type Figure struct {
	Code     string         `json:"code"`
	Name     civicgrid.Text `json:"name"`
	Rate     bool           `json:"rate"`
	Duration bool           `json:"duration,omitempty"` // Value is in seconds
	Value    *float64       `json:"value"`              // nil: no value (a rate over 0)
	Previous *float64       `json:"previous"`
}

// ColumnKind says how a column's values are written.
type ColumnKind string

// The column kinds.
const (
	Label   ColumnKind = "label"   // text
	Count   ColumnKind = "count"   // a whole number
	Rate    ColumnKind = "rate"    // a ratio, shown as a percentage
	Points  ColumnKind = "points"  // a difference of rates, in percentage points
	Decimal ColumnKind = "decimal" // any other number
	// Duration is a length of time in seconds, written 2天3小时 / 2 d 3 h
	// (DurationText); CSV and XLSX give it in hours.
	Duration ColumnKind = "duration"
)

// Column is one column of a table.
type Column struct {
	Key   string         `json:"key"`
	Title civicgrid.Text `json:"title"`
	Kind  ColumnKind     `json:"kind"`
}

// Value is one cell: Text for a label column, Num otherwise; Null is a
// number that does not exist (a rate over 0 cases).
type Value struct {
	Text civicgrid.Text `json:"text,omitzero"`
	Num  float64        `json:"num,omitempty"`
	Null bool           `json:"null,omitempty"`
}

// Table is one table of a report, exportable on its own (CSV) or as a
// sheet (XLSX).
type Table struct {
	ID      string         `json:"id"`
	Title   civicgrid.Text `json:"title"`
	Note    civicgrid.Text `json:"note,omitzero"`
	Columns []Column       `json:"columns"`
	Rows    [][]Value      `json:"rows"`
}

// Trend is the report's time series: one point per day, week or month.
type Trend struct {
	Title  civicgrid.Text `json:"title"`
	Labels []string       `json:"labels"`
	Series []Series       `json:"series"`
}

// Series is one line of the trend.
type Series struct {
	Code   string         `json:"code"`
	Name   civicgrid.Text `json:"name"`
	Rate   bool           `json:"rate"`
	Values []*float64     `json:"values"`
}

// HotMap is the hotspot map: the streets around the hotspots and the
// cells with reports in the period.
type HotMap struct {
	Bounds civicgrid.Bounds `json:"bounds"`
	Areas  []MapArea        `json:"areas"`
	Cells  []MapCell        `json:"cells"`
	Max    int64            `json:"max"`
}

// MapArea is a street drawn as the map's background.
type MapArea struct {
	Code  string                 `json:"code"`
	Name  string                 `json:"name"`
	Shape civicgrid.MultiPolygon `json:"-"`
}

// MapCell is a cell drawn on the hotspot map.
type MapCell struct {
	Code     string                 `json:"code"`
	Name     string                 `json:"name"`
	Shape    civicgrid.MultiPolygon `json:"-"`
	Reported int64                  `json:"reported"`
	Rank     int                    `json:"rank,omitempty"` // 1 for the hottest cell; 0 when not in the top list
}

// Recommendation is one advice line written from the numbers it cites.
type Recommendation struct {
	Kind string         `json:"kind"` // slipping_unit, recurring_cell, patrol_cells
	Text civicgrid.Text `json:"text"`
}

// Section is an optional part of a report from another service (the
// evaluations' league tables, the emerging hotspots).
type Section struct {
	ID     string           `json:"id"`
	Title  civicgrid.Text   `json:"title"`
	Notes  []civicgrid.Text `json:"notes,omitempty"`
	Tables []*Table         `json:"tables"`
}

// SectionSource adds a section to a report for period p. The evaluation
// and hotspot services plug in through it; a nil source omits its
// section.
type SectionSource interface {
	ReportSection(ctx context.Context, p Period) (*Section, error)
}

// Stats answers statistics queries: civicgrid.StatsService. Durations
// gives the closing times (结案用时) the reports show beside the counts.
type Stats interface {
	Query(ctx context.Context, q civicgrid.StatsQuery) (*civicgrid.StatsResult, error)
	Series(ctx context.Context, q civicgrid.StatsQuery, interval civicgrid.Interval) (*civicgrid.StatsSeries, error)
	Durations(ctx context.Context, q civicgrid.StatsQuery) (*civicgrid.DurationsResult, error)
}

// Cases lists cases: civicgrid.CaseService.
type Cases interface {
	List(ctx context.Context, f civicgrid.CaseFilter) (*civicgrid.CasePage, error)
}

var (
	_ Stats = (*civicgrid.StatsService)(nil)
	_ Cases = (*civicgrid.CaseService)(nil)
)
