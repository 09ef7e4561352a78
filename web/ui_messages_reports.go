package web

// The analysis reports page's catalogue.
func init() {
	addMessages(map[string]msg{
		"reports.title":        {"分析报告", "Analysis reports"},
		"reports.kind":         {"报告类型", "Kind"},
		"reports.kind.daily":   {"日报", "Daily"},
		"reports.kind.weekly":  {"周报（周一至周日）", "Weekly (Monday to Sunday)"},
		"reports.kind.monthly": {"月报", "Monthly"},
		"reports.date":         {"日期", "Date"},
		"reports.date.hint":    {"报告所在时段中的任意一天；留空为昨天、上一整周或上一整月。", "Any day of the period; empty for yesterday, the last complete week or month."},
		"reports.show":         {"生成报告", "Show the report"},
		"reports.download":     {"下载：", "Download:"},
		"reports.xlsx":         {"Excel 工作簿（全部表格）", "Excel workbook (every table)"},
		"reports.html":         {"可打印的 HTML", "Printable HTML"},
		"reports.json":         {"JSON（接口）", "JSON (API)"},
		"reports.print":        {"打印本页即得到排好版的报告（导航和表单不打印）。", "Print this page for a laid-out report (the navigation and the form are not printed)."},
	})
}
