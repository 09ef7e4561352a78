package report

import (
	"io"
	"unicode/utf8"

	"civicgrid"
	"civicgrid/xlsx"
)

// WriteXLSX writes r as a workbook: a summary sheet (the headline figures
// and the recommendations), then one sheet per table, titled in lang,
// with numbers as numbers and rates as percentages.
func WriteXLSX(w io.Writer, r *Report, lang string) error {
	wb := xlsx.New()
	wb.Modified = r.Generated
	v := newView(r, HTMLOptions{Lang: lang})
	sum := wb.AddSheet(labels["summary"].In(lang))
	sum.AddRow(xlsx.Header(v.Title()))
	sum.AddRow(xlsx.Text(labels["period"].In(lang)), xlsx.Text(r.Period.Label()))
	sum.AddRow(xlsx.Text(labels["previous"].In(lang)), xlsx.Text(r.Previous.Label()))
	sum.AddRow()
	sum.AddRow(xlsx.Header(civicgrid.Text{Zh: "指标", En: "Metric"}.In(lang)), xlsx.Header(civicgrid.Text{Zh: "本期", En: "This period"}.In(lang)),
		xlsx.Header(civicgrid.Text{Zh: "上期", En: "Previous period"}.In(lang)))
	for _, f := range r.Summary {
		st := xlsx.Integer
		name := f.Name.In(lang)
		value, previous := f.Value, f.Previous
		switch {
		case f.Rate:
			st = xlsx.Percent
		case f.Duration:
			st, name = xlsx.Decimal, sheetTitle(Column{Title: f.Name, Kind: Duration}, lang)
			value, previous = hours(value), hours(previous)
		}
		sum.AddRow(xlsx.Text(name), figureCell(value, st), figureCell(previous, st))
	}
	sum.AddRow()
	sum.AddRow(xlsx.Header(labels["advice"].In(lang)))
	for _, rec := range r.Recommendations {
		sum.AddRow(xlsx.Text(rec.Text.In(lang)))
	}
	sum.SetWidth(0, 28)
	sum.SetWidth(1, 22)
	sum.SetWidth(2, 22)
	for _, t := range r.AllTables() {
		addTable(wb, t, lang)
	}
	return wb.Write(w)
}

// hours is a number of seconds in hours.
func hours(x *float64) *float64 {
	if x == nil {
		return nil
	}
	h := *x / 3600
	return &h
}

func figureCell(x *float64, st xlsx.Style) xlsx.Cell {
	if x == nil {
		return xlsx.Blank()
	}
	return xlsx.Number(*x).With(st)
}

// addTable adds t as a sheet with a bold, frozen header row.
func addTable(wb *xlsx.Workbook, t *Table, lang string) {
	s := wb.AddSheet(t.Title.In(lang))
	widths := make([]int, len(t.Columns))
	head := make([]xlsx.Cell, len(t.Columns))
	for i, c := range t.Columns {
		title := sheetTitle(c, lang)
		head[i] = xlsx.Header(title)
		widths[i] = displayWidth(title)
	}
	s.AddRow(head...)
	for _, row := range t.Rows {
		cells := make([]xlsx.Cell, len(t.Columns))
		for i, c := range t.Columns {
			if i >= len(row) {
				break
			}
			cells[i] = xlsxCell(c.Kind, row[i], lang)
			if c.Kind == Label {
				widths[i] = max(widths[i], displayWidth(row[i].Text.In(lang)))
			} else {
				widths[i] = max(widths[i], 8)
			}
		}
		s.AddRow(cells...)
	}
	for i, w := range widths {
		s.SetWidth(i, float64(min(w, 60)+2))
	}
	s.FreezeHeader()
}

// xlsxCell is a value as a cell of column kind k.
func xlsxCell(k ColumnKind, v Value, lang string) xlsx.Cell {
	switch {
	case k == Label:
		return xlsx.Text(v.Text.In(lang))
	case v.Null:
		return xlsx.Blank()
	case k == Rate:
		return xlsx.Number(v.Num).With(xlsx.Percent)
	case k == Points || k == Decimal:
		return xlsx.Number(v.Num).With(xlsx.Decimal)
	case k == Duration:
		return xlsx.Number(v.Num / 3600).With(xlsx.Decimal)
	}
	return xlsx.Number(v.Num).With(xlsx.Integer)
}

// displayWidth is the width of s in columns: two for a wide (CJK)
// character.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if utf8.RuneLen(r) >= 3 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
