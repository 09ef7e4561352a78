package web

// The hotspot settings page's catalogue (热点参数). Each setting has a
// label (admin.hotspots.f.NAME), what it means (….hint) and the problem
// of an out-of-range value (….err), NAME being its JSON name.
func init() {
	addMessages(map[string]msg{
		"admin.hotspots.nav":   {"热点参数", "Hotspot settings"},
		"admin.hotspots.title": {"热点参数", "Hotspot settings"},
		"admin.hotspots.intro": {"复发的时间窗口，以及新发热点的基线和显著性门槛。", "The recurrence window, and the baseline and significance thresholds of emerging hotspots."},
		"admin.hotspots.lead": {"这些参数决定热点页、热点接口和分析报告如何找出热点。保存后立即生效，下一次查询即按新参数计算。",
			"These settings decide how the hotspot page, the hotspot API and the reports find hotspots. They apply at once: the next query uses them."},
		"admin.hotspots.recurrence_note": {"注意：复发是在每件案卷上报时标记的。修改复发窗口只影响此后上报的案卷，已标记的复发数不会重算。",
			"Note: a recurrence is marked when each case is reported. A changed recurrence window marks later reports only; recurrences already counted stay as they were."},
		"admin.hotspots.count":        {"复发窗口 %d 天，基线 %d 周", "%d-day recurrence window, %d-week baseline"},
		"admin.hotspots.default":      {"默认值：%s", "Default: %s"},
		"admin.hotspots.blank":        {"留空则使用默认值。", "Leave a field empty for its default."},
		"admin.hotspots.see":          {"查看热点", "See the hotspots"},
		"admin.hotspots.err.whole":    {"请填写整数。", "A whole number."},
		"admin.hotspots.err.number":   {"请填写数字，如 0.01。", "A number, e.g. 0.01."},
		"admin.hotspots.err.too_long": {"填写过长。", "Too long."},
		"admin.done.hotspots_saved":   {"热点参数已保存，立即生效。", "The hotspot settings were saved and apply at once."},

		"admin.hotspots.f.recurrence_days": {"复发窗口（天）", "Recurrence window (days)"},
		"admin.hotspots.f.recurrence_days.hint": {"同一网格、同一类别的问题在这么多天内再次上报，即记为一次复发。",
			"A report recurs when its cell had a case of the same category within this many days before."},
		"admin.hotspots.f.recurrence_days.err": {"须为 1 到 366 天。", "From 1 to 366 days."},

		"admin.hotspots.f.baseline_weeks": {"基线周数", "Baseline weeks"},
		"admin.hotspots.f.baseline_weeks.hint": {"新发热点与本地自身的历史比较：用所测一周之前这么多周的周均上报数作为基线。",
			"An emerging hotspot is measured against the place's own past: the weekly mean of this many weeks before the tested week."},
		"admin.hotspots.f.baseline_weeks.err": {"须为 1 到 52 周。", "From 1 to 52 weeks."},

		"admin.hotspots.f.min_count": {"最少上报数", "Fewest reports"},
		"admin.hotspots.f.min_count.hint": {"一周内至少有这么多件上报，才可能成为新发热点（无论多么反常，1 件对 0 件不算热点）。",
			"A place needs at least this many reports in the week to be an emerging hotspot (one report against none is not one, however unusual)."},
		"admin.hotspots.f.min_count.err": {"须为 1 或更大。", "1 or more."},

		"admin.hotspots.f.max_p": {"显著性门槛 p", "Significance threshold p"},
		"admin.hotspots.f.max_p.hint": {"泊松检验的 p 值不大于此值才算新发热点：即若按基线，出现这么多上报的概率。0.01 表示“百里挑一”的反常。",
			"The largest Poisson p-value of an emerging hotspot: the chance of that many reports if the place kept its baseline. 0.01 is a 1-in-100 surprise."},
		"admin.hotspots.f.max_p.err": {"须大于 0、小于 1，如 0.01。", "Between 0 and 1, e.g. 0.01."},

		"admin.hotspots.f.zero_baseline": {"无历史时的基线（件/周）", "Baseline with no history (reports a week)"},
		"admin.hotspots.f.zero_baseline.hint": {"基线期内没有任何上报的地方，按此周均值计算（均值为 0 时任何上报都会“无限显著”）。",
			"The weekly mean assumed for a place with no reports in the baseline weeks (a mean of 0 would make any report infinitely significant)."},
		"admin.hotspots.f.zero_baseline.err": {"须为 0 到 10 之间的周均值。", "A weekly mean between 0 and 10."},

		"admin.hotspots.f.component_min_cases": {"部件重复问题最少案卷数", "Fewest cases of a repeat component"},
		"admin.hotspots.f.component_min_cases.hint": {"同一部件在统计期内至少有这么多件案卷，才列为重复问题部件。",
			"A component needs at least this many cases in the period to be listed as a repeat problem."},
		"admin.hotspots.f.component_min_cases.err": {"须为 2 到 1000 件。", "From 2 to 1000 cases."},
	})
}
