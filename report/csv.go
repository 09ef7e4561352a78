package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"civicgrid"
)

// WriteCSV writes t as CSV in UTF-8 with a byte-order mark, so that Excel
// opens the Chinese right: a header row of column titles in lang, then
// one row per table row. Rates are written as percentages with two
// decimals (85.27%), which spreadsheets read as numbers; durations in
// hours with two decimals, the column's title saying so.
func WriteCSV(w io.Writer, t *Table, lang string) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = sheetTitle(c, lang)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i := range rec {
			rec[i] = ""
			if i < len(row) {
				rec[i] = csvValue(t.Columns[i].Kind, row[i], lang)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvValue writes one value: text, a plain number, or empty for none.
func csvValue(k ColumnKind, v Value, lang string) string {
	switch {
	case k == Label:
		return v.Text.In(lang)
	case v.Null:
		return ""
	case k == Rate:
		return strconv.FormatFloat(v.Num*100, 'f', 2, 64) + "%"
	case k == Points || k == Decimal:
		return strconv.FormatFloat(v.Num, 'f', 2, 64)
	case k == Duration:
		return strconv.FormatFloat(v.Num/3600, 'f', 2, 64)
	}
	return strconv.FormatFloat(v.Num, 'f', -1, 64)
}

// sheetTitle is a column's title in a CSV file or a sheet, where a
// duration is a number of hours: 中位数（小时） / Median (hours).
func sheetTitle(c Column, lang string) string {
	if c.Kind == Duration {
		return c.Title.In(lang) + civicgrid.Text{Zh: "（小时）", En: " (hours)"}.In(lang)
	}
	return c.Title.In(lang)
}
