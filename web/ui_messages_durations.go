package web

// The closing time's (结案用时) words on the dashboard and the rankings.
// It is calendar time (自然时间), nights and holidays included, not
// working time: see the closing_time duration metric.
func init() {
	addMessages(map[string]msg{
		"dash.closing.median": {"结案用时中位数（自然时间）", "Median time to close (calendar time)"},
		"dash.closing.p90":    {"结案用时 90% 分位数（自然时间）", "90th percentile time to close (calendar time)"},
		"dash.closing.hint": {"结案用时为本月结案的案卷从上报到结案的自然时间（含夜间和节假日），与统计接口 /api/v1/stats/durations 和分析报告一致。",
			"Time to close is the calendar time from report to close (nights and holidays included) of the cases closed this month, as in /api/v1/stats/durations and the reports."},

		"rankings.closing":     {"结案用时中位数", "Median time to close"},
		"rankings.closing.sub": {"自然时间，仅供参考，不计分", "calendar time; for information, not scored"},
		"rankings.closing.hint": {"“结案用时中位数”为本月在该单位结案的案卷从上报到结案的自然时间中位数（括号内为结案数），随统计实时计算，不计入考评得分，发布后也不冻结。",
			"“Median time to close” is the median calendar time from report to close of the cases the unit closed in the month (cases closed in brackets). It is computed live from the statistics, is not part of the score, and is not frozen when the month is published."},
	})
}
