package web

// The hotspots page's catalogue.
func init() {
	addMessages(map[string]msg{
		"hot.title":              {"热点分析", "Hotspots"},
		"hot.from":               {"开始日期", "From"},
		"hot.until":              {"截止日期（含）", "Until (included)"},
		"hot.level":              {"统计层级", "Level"},
		"hot.level.cell":         {"单元网格", "Grid cell"},
		"hot.level.community":    {"社区", "Community"},
		"hot.level.street":       {"街道", "Street"},
		"hot.top":                {"高发热点", "Top places"},
		"hot.top.hint":           {"%s 至 %s 上报数最多的地点（含并入的重复上报）。", "The places with most reports from %s to %s (folded reports included)."},
		"hot.chart":              {"上报数前十的地点", "The ten places with most reports"},
		"hot.recurring":          {"反复发生", "Recurring problems"},
		"hot.recurring.hint":     {"同一网格同一类别 %d 天内又出现新案卷的次数（复发数）最多的地点。", "The places where a new case of the same category came in the same cell within %d days of the last most often (recurrences)."},
		"hot.emerging":           {"新发热点", "Emerging hotspots"},
		"hot.emerging.hint":      {"%s 这一周的上报数显著高于该地点此前 %d 周的周均值：至少 %d 件，且按泊松分布偶然出现的概率 p ≤ %s。", "Reports in the week %s significantly above the place's weekly mean over the %d weeks before: at least %d, with a Poisson chance p ≤ %s of happening by chance."},
		"hot.col.place":          {"地点", "Place"},
		"hot.col.reported":       {"上报数", "Reports"},
		"hot.col.recurred":       {"复发数", "Recurrences"},
		"hot.col.expected":       {"周均基线", "Weekly baseline"},
		"hot.col.p":              {"p 值", "p-value"},
		"hot.col.score":          {"显著性（−log₁₀p）", "Score (−log₁₀p)"},
		"hot.col.links":          {"查看", "See"},
		"hot.cases":              {"案卷", "Cases"},
		"hot.map":                {"地图", "Map"},
		"hot.drill":              {"热点下钻", "Hotspot drill-down"},
		"hot.drill.cell":         {"网格", "cell"},
		"hot.drill.created_from": {"创建自", "created from"},
		"hot.drill.created_to":   {"创建至（含）", "created until (included)"},
		"hot.empty":              {"本期没有符合条件的地点。", "No place qualifies in this period."},
	})
}
