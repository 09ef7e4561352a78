package sqlite

import (
	"context"
	"fmt"
	"time"

	"civicgrid"
)

// periodRow is a WorkPeriod as stored: [start, end] in minutes.
type periodRow [2]int

// overrideRow is a DayOverride as stored. The date is kept as text and read
// back without validation, so that whatever was saved loads again.
type overrideRow struct {
	Date string            `json:"date"`
	Kind civicgrid.DayKind `json:"kind"`
	Name civicgrid.Text    `json:"name"`
}

// SaveCalendar replaces the working periods and the dated overrides.
func (tx *Tx) SaveCalendar(ctx context.Context, periods []civicgrid.WorkPeriod, overrides []civicgrid.DayOverride) error {
	ps := make([]periodRow, len(periods))
	for i, p := range periods {
		ps[i] = periodRow{p.Start, p.End}
	}
	ovs := make([]overrideRow, len(overrides))
	for i, o := range overrides {
		ovs[i] = overrideRow{Date: fmt.Sprintf("%04d-%02d-%02d", o.Date.Year, int(o.Date.Month), o.Date.Day), Kind: o.Kind, Name: o.Name}
	}
	pj, err := jsonColumn(ps, false)
	if err != nil {
		return err
	}
	oj, err := jsonColumn(ovs, false)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO calendar (id, periods, overrides) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET periods = excluded.periods, overrides = excluded.overrides`, pj, oj)
	return formatError(err)
}

// LoadCalendar returns the stored periods and overrides; NotFound when no
// calendar was ever saved.
func (tx *Tx) LoadCalendar(ctx context.Context) ([]civicgrid.WorkPeriod, []civicgrid.DayOverride, error) {
	var pj, oj []byte
	if err := tx.queryRow(ctx, "SELECT periods, overrides FROM calendar WHERE id = 1").Scan(&pj, &oj); err != nil {
		return nil, nil, notFound(err, "no calendar saved")
	}
	var ps []periodRow
	var ovs []overrideRow
	if err := fromJSON(pj, &ps); err != nil {
		return nil, nil, err
	}
	if err := fromJSON(oj, &ovs); err != nil {
		return nil, nil, err
	}
	periods := make([]civicgrid.WorkPeriod, len(ps))
	for i, p := range ps {
		periods[i] = civicgrid.WorkPeriod{Start: p[0], End: p[1]}
	}
	overrides := make([]civicgrid.DayOverride, len(ovs))
	for i, o := range ovs {
		var y, m, d int
		if _, err := fmt.Sscanf(o.Date, "%d-%d-%d", &y, &m, &d); err != nil {
			return nil, nil, &civicgrid.Error{Code: civicgrid.Internal, Message: "stored calendar is corrupt", Err: err}
		}
		overrides[i] = civicgrid.DayOverride{Date: civicgrid.Date{Year: y, Month: time.Month(m), Day: d}, Kind: o.Kind, Name: o.Name}
	}
	return periods, overrides, nil
}
