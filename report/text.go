package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes r as plain text for a terminal: the headline figures,
// the recommendations and every table, in columns aligned for Chinese
// characters (two columns wide each).
func WriteText(w io.Writer, r *Report, lang string) error {
	v := newView(r, HTMLOptions{Lang: lang})
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s %s · %s %s\n\n", v.Title(), v.T("period"), r.Period.Label(), v.T("previous"), r.Previous.Label())
	var rows [][]string
	for _, f := range r.Summary {
		rows = append(rows, []string{f.Name.In(v.lang), v.Fig(f, f.Value), v.T("previous") + " " + v.Fig(f, f.Previous)})
	}
	writeColumns(&b, rows)
	fmt.Fprintf(&b, "\n%s\n", v.T("advice"))
	for i, rec := range r.Recommendations {
		fmt.Fprintf(&b, "%d. %s\n", i+1, rec.Text.In(v.lang))
	}
	for _, t := range r.AllTables() {
		fmt.Fprintf(&b, "\n%s\n", t.Title.In(v.lang))
		head := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			head[i] = c.Title.In(v.lang)
		}
		rows := [][]string{head}
		for _, row := range t.Rows {
			cells := make([]string, len(row))
			for i, x := range row {
				switch {
				case t.Columns[i].Kind == Label:
					cells[i] = x.Text.In(v.lang)
				case t.Columns[i].Kind == Duration && !x.Null:
					cells[i] = DurationText(x.Num).In(v.lang)
				default:
					cells[i] = FormatValue(t.Columns[i].Kind, x)
				}
			}
			rows = append(rows, cells)
		}
		writeColumns(&b, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeColumns writes rows with each column padded to its widest cell.
func writeColumns(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, row := range rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteString("\n")
	}
}
