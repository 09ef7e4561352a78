package report_test

import (
	"bytes"
	"strings"
	"testing"

	"civicgrid"
	"civicgrid/report"
)

// TestDurationText: Chinese and English, to the minute below a day and to
// the hour above it.
func TestDurationText(t *testing.T) {
	for _, tc := range []struct {
		seconds float64
		zh, en  string
	}{
		{0, "0分钟", "0 min"},
		{29, "不到1分钟", "< 1 min"},
		{45 * 60, "45分钟", "45 min"},
		{3600, "1小时", "1 h"},
		{3*3600 + 20*60 + 10, "3小时20分钟", "3 h 20 min"},
		{24 * 3600, "1天", "1 d"},
		{2*86400 + 3*3600 + 10*60, "2天3小时", "2 d 3 h"},
		{2*86400 + 3*3600 + 40*60, "2天4小时", "2 d 4 h"},
		{86400 + 23*3600 + 50*60, "2天", "2 d"},
		{-(3*3600 + 5*60), "−3小时5分钟", "−3 h 5 min"},
	} {
		if got := report.DurationText(tc.seconds); got.Zh != tc.zh || got.En != tc.en {
			t.Errorf("DurationText(%v) = %+v, want %s / %s", tc.seconds, got, tc.zh, tc.en)
		}
	}
}

// TestDurationColumns: a duration reads 2天3小时 in the HTML and the
// text, and is a number of hours in the CSV, its title saying so.
func TestDurationColumns(t *testing.T) {
	tb := &report.Table{ID: "closing_units", Title: civicgrid.Text{Zh: "结案用时", En: "Time to close"}, Columns: []report.Column{
		{Key: "unit", Title: civicgrid.Text{Zh: "单位", En: "Unit"}, Kind: report.Label},
		{Key: "median", Title: civicgrid.Text{Zh: "中位数", En: "Median"}, Kind: report.Duration},
	}, Rows: [][]report.Value{
		{{Text: civicgrid.Text{Zh: "环卫处", En: "Sanitation"}}, {Num: 2*86400 + 3*3600}},
		{{Text: civicgrid.Text{Zh: "市政"}}, {Null: true}},
	}}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, tb, "zh"); err != nil {
		t.Fatal(err)
	}
	if want := "\uFEFF单位,中位数（小时）\r\n环卫处,51.00\r\n市政,\r\n"; buf.String() != want {
		t.Errorf("CSV %q, want %q", buf.String(), want)
	}
	if got := report.FormatValue(report.Duration, tb.Rows[0][1]); got != "2天3小时" {
		t.Errorf("FormatValue = %q", got)
	}
	p := report.PeriodOf(report.Monthly, date("2026-04-15"))
	r := &report.Report{Kind: report.Monthly, City: "测试市", Period: p, Previous: p.Previous(), Tables: []*report.Table{tb}, Trend: &report.Trend{}}
	for lang, want := range map[string]string{"zh": "2天3小时", "en": "2 d 3 h"} {
		buf.Reset()
		if err := report.WriteText(&buf, r, lang); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s text lacks %q:\n%s", lang, want, buf.String())
		}
	}
}
