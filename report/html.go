package report

import (
	"crypto/sha256"
	_ "embed" // the stylesheet and the template
	"encoding/hex"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"civicgrid"
)

// CSS is the report's stylesheet: inline in a standalone document, a
// stylesheet of its own in the web page (whose policy forbids inline
// styles).
//
//go:embed report.css
var CSS string

// CSSVersion is a short hash of CSS, for cache-busting URLs.
var CSSVersion = func() string {
	sum := sha256.Sum256([]byte(CSS))
	return hex.EncodeToString(sum[:4])
}()

//go:embed report.html.tmpl
var htmlTemplate string

var tmpl = template.Must(template.New("report").Parse(htmlTemplate))

// HTMLOptions choose the language and the links of the HTML.
type HTMLOptions struct {
	Lang string // "en" for English; anything else Chinese
	// CSV, when set, returns the URL of a table's CSV download, shown
	// above the table.
	CSV func(tableID string) string
}

// WriteHTML writes r as a self-contained, printable HTML document: inline
// styles, charts as inline SVG, no scripts, no external URL.
func WriteHTML(w io.Writer, r *Report, o HTMLOptions) error {
	return tmpl.ExecuteTemplate(w, "document", newView(r, o))
}

// BodyHTML returns r as an HTML fragment (an <article>) to embed in a
// page that links CSS.
func BodyHTML(r *Report, o HTMLOptions) (template.HTML, error) {
	var sb strings.Builder
	if err := tmpl.ExecuteTemplate(&sb, "body", newView(r, o)); err != nil {
		return "", err
	}
	return template.HTML(sb.String()), nil // the template escaped it
}

// view is what the template sees.
type view struct {
	R    *Report
	o    HTMLOptions
	lang string
}

func newView(r *Report, o HTMLOptions) *view {
	lang := "zh"
	if o.Lang == "en" {
		lang = "en"
	}
	return &view{R: r, o: o, lang: lang}
}

func (v *view) HTMLLang() string {
	if v.lang == "en" {
		return "en"
	}
	return "zh-CN"
}

// CSS is the stylesheet, for the document's <style>.
func (v *view) CSS() template.CSS { return template.CSS(CSS) }

// Title is 杭州市 月报 2026-03.
func (v *view) Title() string {
	return v.R.City + " " + v.R.Kind.Name().In(v.lang) + " " + v.R.Period.Label()
}

// Generated is when the report was made, to the minute.
func (v *view) Generated() string { return v.R.Generated.Format("2006-01-02 15:04") }

// T returns a label of the report in its language.
func (v *view) T(key string) string {
	t, ok := labels[key]
	if !ok {
		return "[" + key + "]"
	}
	return t.In(v.lang)
}

// Text returns t in the report's language.
func (v *view) Text(t civicgrid.Text) string { return t.In(v.lang) }

// Fig formats x, the value (or previous value) of headline figure f.
func (v *view) Fig(f Figure, x *float64) string {
	if f.Duration && x != nil {
		return DurationText(*x).In(v.lang)
	}
	return v.Figure(f.Rate, x)
}

// Figure formats a headline value.
func (v *view) Figure(rate bool, x *float64) string {
	switch {
	case x == nil:
		return "—"
	case rate:
		return formatRate(*x)
	}
	return strconv.FormatInt(int64(math.Round(*x)), 10)
}

// Delta shows a figure's change: points for a rate, a count otherwise.
func (v *view) Delta(f Figure) template.HTML {
	if f.Value == nil || f.Previous == nil {
		return ""
	}
	d := *f.Value - *f.Previous
	s := formatSigned(d, 0)
	switch {
	case f.Rate:
		d *= 100
		s = formatSigned(d, 1) + v.T("points")
	case f.Duration:
		if s = DurationText(d).In(v.lang); !strings.HasPrefix(s, "−") {
			s = "+" + s
		}
	}
	class := ""
	if lowerIsBetter[f.Code] {
		d = -d // for the colour only
	}
	switch {
	case d > 0:
		class = ` class="up"`
	case d < 0:
		class = ` class="down"`
	}
	return template.HTML(`<span` + class + `>(` + template.HTMLEscapeString(s) + `)</span>`)
}

// lowerIsBetter are the rates that improve as they fall.
var lowerIsBetter = map[string]bool{"rate_reworked": true, "rate_extended": true, "closing_time_median": true, "closing_time_p90": true}

// tableView is a table as the "table" template sees it.
type tableView struct {
	*view
	Table *Table
	CSV   string
}

// Tab returns the view of the report's table id (nil Table: not shown).
func (v *view) Tab(id string) *tableView { return v.TabOf(v.R.Table(id)) }

// TabOf returns the view of t.
func (v *view) TabOf(t *Table) *tableView {
	tv := &tableView{view: v, Table: t}
	if t != nil && v.o.CSV != nil {
		tv.CSV = v.o.CSV(t.ID)
	}
	return tv
}

// Cell renders the i-th value of a row as a <td>.
func (tv *tableView) Cell(i int, x Value) template.HTML {
	k := Label
	if i < len(tv.Table.Columns) {
		k = tv.Table.Columns[i].Kind
	}
	switch {
	case k == Label:
		return template.HTML("<td>" + template.HTMLEscapeString(x.Text.In(tv.lang)) + "</td>")
	case k == Duration && !x.Null:
		return template.HTML(`<td class="n">` + template.HTMLEscapeString(DurationText(x.Num).In(tv.lang)) + "</td>")
	}
	return template.HTML(`<td class="n">` + template.HTMLEscapeString(FormatValue(k, x)) + "</td>")
}

// FormatValue writes a numeric value as people read it: 1234, 85.3%,
// +1.2, 2天3小时 (see DurationText for other languages), — for none.
func FormatValue(k ColumnKind, x Value) string {
	switch {
	case x.Null:
		return "—"
	case k == Duration:
		return DurationText(x.Num).Zh
	case k == Rate:
		return formatRate(x.Num)
	case k == Points:
		return formatSigned(x.Num, 1)
	case k == Decimal && x.Num != 0 && math.Abs(x.Num) < 0.01:
		return strconv.FormatFloat(x.Num, 'g', 2, 64) // a small p-value
	case k == Decimal:
		return strconv.FormatFloat(x.Num, 'f', 2, 64)
	}
	return strconv.FormatInt(int64(math.Round(x.Num)), 10)
}

func formatRate(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + "%" }

// formatSigned writes x with its sign (− for negatives) and prec decimals.
func formatSigned(x float64, prec int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', prec, 64)
	if strings.Trim(s, "0.") == "" {
		return "±" + s
	}
	if x < 0 {
		return "−" + s
	}
	return "+" + s
}

// labels are the report's own words.
var labels = map[string]civicgrid.Text{
	"period":          {Zh: "统计时段", En: "Period"},
	"previous":        {Zh: "上期", En: "previous"},
	"generated":       {Zh: "生成于", En: "made"},
	"definitions":     {Zh: "统计口径", En: "definitions"},
	"summary":         {Zh: "概要", En: "Summary"},
	"advice":          {Zh: "分析与建议", En: "Findings and recommendations"},
	"no_advice":       {Zh: "本期数据未触发任何建议阈值。", En: "No threshold was crossed in this period."},
	"operation":       {Zh: "运行情况", En: "Operation"},
	"rates":           {Zh: "标准比率（与上期对比）", En: "Standard rates, against the previous period"},
	"trend_caption":   {Zh: "实线：上报数、立案数、结案数（左轴）；虚线：按期结案率（右轴）。", En: "Solid: reported, filed, closed (left axis); dashed: on-time closing rate (right axis)."},
	"ranking":         {Zh: "排名", En: "Rankings"},
	"ranking_caption": {Zh: "各单位按期结案率；括号内为应结案数。", En: "On-time closing rate by unit; cases due in brackets."},
	"hotspots":        {Zh: "热点", En: "Hotspots"},
	"map_caption":     {Zh: "按本期上报数着色，数字为热点名次。", En: "Shaded by reports in the period; numbers are the hotspot ranks."},
	"overdue":         {Zh: "超期情况", En: "Overdue"},
	"csv":             {Zh: "下载 CSV", En: "Download CSV"},
	"none":            {Zh: "无", En: "None"},
	"points":          {Zh: " 个百分点", En: " points"},
}

// svgText escapes s for SVG text.
func svgText(s string) string { return template.HTMLEscapeString(s) }

// f1 writes a coordinate with one decimal.
func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
