package web

import (
	"strings"

	"civicgrid"
)

// messages is the pages' catalogue: every string a page shows that does
// not come from the domain's own names (statuses, roles, categories,
// rules), in Chinese and English. TestMessages checks that every key the
// templates use is here. A page family keeps its own entries in its own
// file (ui_messages_NAME.go) and adds them with addMessages from an init.
var messages = map[string]msg{
	// Titles.
	"landing.title":  {"数字城管平台", "Digital urban management"},
	"login.title":    {"登录", "Sign in"},
	"home.title":     {"我的待办", "My work"},
	"cases.title":    {"案卷列表", "Cases"},
	"case.title":     {"案卷 %s", "Case %s"},
	"report.title":   {"问题上报", "Report a problem"},
	"follow.title":   {"查询办理进度", "Follow a case"},
	"password.title": {"修改密码", "Change password"},
	"error.title":    {"出错了", "Something went wrong"},

	// Layout.
	"nav.skip":      {"跳到正文", "Skip to content"},
	"nav.label":     {"主导航", "Main"},
	"nav.home":      {"待办", "Work queue"},
	"nav.mine":      {"我的上报", "My reports"},
	"nav.cases":     {"案卷", "Cases"},
	"nav.report":    {"上报问题", "Report a problem"},
	"nav.dashboard": {"指挥大屏", "Dashboard"},
	"nav.inspector": {"巡查", "Patrol"},
	"nav.map":       {"地图", "Map"},
	"nav.rankings":  {"考评排名", "Rankings"},
	"nav.hotspots":  {"热点", "Hotspots"},
	"nav.reports":   {"分析报告", "Reports"},
	"nav.admin":     {"系统管理", "Admin"},
	"nav.follow":    {"查询进度", "Follow a case"},
	"nav.password":  {"修改密码", "Password"},
	"nav.logout":    {"退出", "Sign out"},
	"nav.login":     {"登录", "Sign in"},
	"nav.crumbs":    {"位置", "Breadcrumb"},
	"footer.text":   {"网格化城市管理", "grid-based urban management"},
	"notice.done":   {"已完成：%s（案卷 %s）", "Done: %s (case %s)"},

	// Landing.
	"landing.heading":   {"数字城管平台", "Digital urban management"},
	"landing.intro":     {"网格化城市管理：上报、核实、立案、派遣、处置、核查、结案，每个环节按工作日历计时。", "Grid-based urban management: report, verify, file, dispatch, handle, check and close, each stage on a working-time clock."},
	"landing.login":     {"指挥中心、处置单位、监督员和市民账号从这里登录。", "Command centre staff, units, inspectors and citizens sign in here."},
	"landing.report":    {"发现井盖缺失、垃圾暴露等问题？登录后上报，附上位置和照片。", "Seen a missing manhole cover or exposed rubbish? Sign in and report it with the place and a photo."},
	"landing.follow":    {"凭案卷编号查看处理进度，无需登录。", "See how a case is going by its number; no sign-in needed."},
	"landing.api":       {"接口 API", "API"},
	"landing.api.intro": {"接口说明（OpenAPI）：", "The JSON API is described at"},
	"landing.api.token": {"之后每个请求带上 Authorization: Bearer <token>：", "Then send the token with every request as Authorization: Bearer <token>:"},

	// Sign-in and password.
	"login.name":       {"用户名", "User name"},
	"login.password":   {"密码", "Password"},
	"login.submit":     {"登录", "Sign in"},
	"login.hint":       {"演示环境：各角色账号见启动时的输出，密码均为 demo。", "Demo: the start-up output lists a login for every role; the password of all is demo."},
	"password.current": {"当前密码", "Current password"},
	"password.new":     {"新密码", "New password"},
	"password.again":   {"再次输入新密码", "New password again"},
	"password.rule":    {"至少 8 个字符。", "At least 8 characters."},
	"password.submit":  {"修改密码", "Change password"},
	"password.others":  {"修改后，您在其他设备上的登录将失效。", "Changing it signs you out on every other device."},
	"password.changed": {"密码已修改，其他设备上的登录已退出。", "Password changed; your other devices were signed out."},

	// Home.
	"home.queue":              {"等我处理", "Waiting for me"},
	"home.queue.intro":        {"您现在可以办理的案卷，最新的在前。", "Cases you can act on now, newest first."},
	"home.queue.empty":        {"暂无待办。", "Nothing is waiting for you."},
	"home.overdue":            {"超时案卷", "Overdue cases"},
	"home.overdue.intro":      {"已超过环节时限的案卷，可督办。", "Cases past their stage deadline, which you may urge."},
	"home.overdue.empty":      {"没有超时案卷。", "No case is overdue."},
	"home.mine":               {"我的上报", "My reports"},
	"home.mine.intro":         {"您上报的问题及其办理状态。", "The problems you reported and how they stand."},
	"home.mine.empty":         {"您还没有上报过问题。", "You have not reported anything yet."},
	"home.more":               {"还有更多，查看案卷列表", "There are more: see the case list"},
	"home.overdue.link":       {"查看超时案卷", "See overdue cases"},
	"light.green":             {"正常", "On time"},
	"light.yellow":            {"临近超时", "Due soon"},
	"light.red":               {"已超时", "Overdue"},
	"col.number":              {"编号", "Number"},
	"col.category":            {"类别", "Category"},
	"col.place":               {"位置", "Place"},
	"col.status":              {"状态", "Status"},
	"col.deadline":            {"环节时限", "Stage deadline"},
	"col.reported":            {"上报时间", "Reported"},
	"col.can":                 {"可办理", "You can"},
	"cases.count":             {"共 %d 件 · 第 %d / %d 页", "%d cases · page %d of %d"},
	"cases.empty":             {"没有符合条件的案卷。", "No case matches."},
	"filter.any":              {"全部", "Any"},
	"filter.district":         {"区", "District"},
	"filter.street":           {"街道", "Street"},
	"filter.community":        {"社区", "Community"},
	"filter.overdue":          {"只看超时", "Overdue only"},
	"filter.apply":            {"筛选", "Filter"},
	"filter.reset":            {"清除条件", "Clear"},
	"filter.hint":             {"选择区后点“筛选”，可再按街道、社区筛选。", "Choose a district and filter to narrow by street, then community."},
	"pager.label":             {"翻页", "Pages"},
	"pager.prev":              {"上一页", "Previous"},
	"pager.next":              {"下一页", "Next"},
	"case.actions":            {"办理", "Actions"},
	"case.noactions":          {"您现在不能对此案卷进行操作。", "There is nothing you can do on this case now."},
	"case.details":            {"案卷信息", "Details"},
	"case.description":        {"问题描述", "Description"},
	"case.address":            {"地址", "Address"},
	"case.cell":               {"单元网格", "Grid cell"},
	"case.source":             {"来源", "Source"},
	"case.unit":               {"处置单位", "Unit"},
	"case.unit.routed":        {"按派遣规则", "By the routing rules"},
	"case.inspector":          {"监督员", "Inspector"},
	"case.component":          {"部件", "Component"},
	"case.component.cases":    {"该部件的全部案卷", "All cases of this component"},
	"case.inspector.cell":     {"本网格监督员", "The cell's inspector"},
	"case.reporter":           {"上报人", "Reporter"},
	"case.pending":            {"待批延期", "Extension requested"},
	"case.closed":             {"结案时间", "Closed"},
	"case.counts":             {"统计", "Counts"},
	"case.counts.text":        {"上报 %d 次 · 回退 %d · 返工 %d · 延期 %d", "%d reports · %d returns · %d reworks · %d extensions"},
	"case.stage":              {"环节", "Stage"},
	"case.deadline":           {"时限", "Due"},
	"case.extension":          {"延期", "Extension"},
	"case.map":                {"位置", "Where"},
	"case.map.legend":         {"深色为案卷所在网格，图钉为上报位置。", "The dark cell is the case's cell; the pin is where it was reported."},
	"case.photos":             {"照片", "Photos"},
	"case.photo":              {"现场照片", "Photo of the site"},
	"case.photo.add":          {"附照片（可选）", "Photo (optional)"},
	"case.timeline":           {"办理过程", "Timeline"},
	"case.late":               {"超时", "late"},
	"case.urgent":             {"紧急", "Urgent"},
	"case.note":               {"备注（可选）", "Note (optional)"},
	"case.note.required":      {"意见（必填）", "Reason or result (required)"},
	"case.ext.amount":         {"延期时长", "Extend by"},
	"case.ext.unit":           {"单位", "Unit of time"},
	"map.label":               {"单元网格地图", "Map of the grid cells"},
	"map.pan":                 {"移动地图", "Move the map"},
	"map.north":               {"北", "North"},
	"map.south":               {"南", "South"},
	"map.west":                {"西", "West"},
	"map.east":                {"东", "East"},
	"report.intro":            {"请选择问题类别，在地图上点选位置（或填写经纬度），描述问题并附上照片。", "Choose what the problem is, click its place on the map (or type the coordinates), describe it and add a photo."},
	"report.category":         {"问题类别", "What is the problem?"},
	"report.category.pick":    {"请选择", "Choose"},
	"report.source":           {"来源渠道", "Channel"},
	"report.where":            {"位置", "Where is it?"},
	"report.map.hint":         {"在网格地图上点击问题所在位置，或直接填写纬度、经度。", "Click the place on the grid map, or type the latitude and longitude."},
	"report.lat":              {"纬度", "Latitude"},
	"report.lon":              {"经度", "Longitude"},
	"report.locate":           {"使用我的位置", "Use my location"},
	"report.showmap":          {"在地图上显示", "Show on the map"},
	"report.address":          {"地址或参照物（可选）", "Address or landmark (optional)"},
	"report.description":      {"问题描述", "Describe the problem"},
	"report.photo":            {"照片（可选）", "Photo (optional)"},
	"report.submit":           {"提交上报", "Send the report"},
	"follow.intro":            {"输入上报后得到的案卷编号，查看办理进度。", "Type the case number you got when you reported, to see how it is going."},
	"follow.number":           {"案卷编号", "Case number"},
	"follow.submit":           {"查询", "Look up"},
	"error.home":              {"返回首页", "Back to the start page"},
	"error.internal.detail":   {"服务器内部错误，已记录。请稍后再试。", "An internal error was logged. Please try again later."},
	"error.invalid":           {"请检查填写的内容。", "Please check what you entered."},
	"error.unprocessable":     {"无法按所填内容办理。", "This cannot be done with what you entered."},
	"error.not_found":         {"未找到。", "Not found."},
	"error.conflict":          {"此操作现在不能执行。", "This cannot be done now."},
	"error.unauthorized":      {"用户名或密码不正确，或需要重新登录。", "Wrong name or password, or you need to sign in again."},
	"error.forbidden":         {"您无权执行此操作。", "You may not do this."},
	"error.too_large":         {"文件太大。", "The file is too large."},
	"error.rate_limited":      {"尝试次数过多，请稍后再试。", "Too many attempts; please wait and try again."},
	"error.unavailable":       {"服务暂不可用，请稍后再试。", "The service is not available yet; please try again soon."},
	"error.internal":          {"出错了。", "Something went wrong."},
	"stage.accept":            {"受理", "Accept"},
	"stage.verify":            {"核实", "Verify"},
	"stage.file":              {"立案", "File"},
	"stage.dispatch":          {"派遣", "Dispatch"},
	"stage.sign":              {"签收", "Sign for"},
	"stage.handle":            {"处置", "Handle"},
	"stage.check":             {"核查", "Check"},
	"stage.close":             {"结案", "Close"},
	"unit.working_hours":      {"工作小时", "working hours"},
	"unit.working_days":       {"工作日", "working days"},
	"unit.natural_hours":      {"自然小时", "hours"},
	"action.report":           {"上报", "Reported"},
	"action.overdue":          {"超时", "Overdue"},
	"action.fold":             {"重复上报并入", "Another report folded in"},
	"action.merge":            {"合并案卷", "Merged a case in"},
	"action.merged_into":      {"并入其他案卷", "Merged into another case"},
	"action.split":            {"拆分", "Split off"},
	"action.comment":          {"留言", "Comment"},
	"field.required":          {"必填", "required"},
	"field.number":            {"须为数字", "must be a number"},
	"field.wrong_password":    {"密码不正确", "wrong password"},
	"field.mismatch":          {"两次输入不一致", "does not match"},
	"field.short_password":    {"至少 8 个字符", "at least 8 characters"},
	"field.unknown_category":  {"请选择有效的问题类别", "choose a category from the list"},
	"field.outside":           {"该位置不在管辖网格内", "this place is outside the managed grid"},
	"field.not_found":         {"未找到此编号的公开案卷", "no public case has this number"},
	"field.reason":            {"请填写理由或结果", "a reason or result is required"},
	"field.no_inspector":      {"该网格未配置监督员，请选择一位", "the cell has no inspector; choose one"},
	"field.no_route":          {"没有匹配的派遣规则，请选择处置单位", "no routing rule matches; choose a unit"},
	"field.positive":          {"须为正数", "must be a positive number"},
	"field.too_long_note":     {"不超过 2000 字", "at most 2000 characters"},
	"field.too_long_describe": {"不超过 4000 字", "at most 4000 characters"},
}

// msg is a catalogue entry: Chinese, then English.
type msg struct{ zh, en string }

// addMessages adds a page family's entries to the catalogue; a key
// defined twice is a programming error.
func addMessages(m map[string]msg) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic("web: message " + k + " defined twice")
		}
		messages[k] = v
	}
}

// fieldProblems maps the domain's words for a field problem to the
// catalogue's; problems not listed are shown as the domain said them.
var fieldProblems = map[string]string{
	"required":                            "field.required",
	"must be a number":                    "field.number",
	"wrong password":                      "field.wrong_password",
	"does not match":                      "field.mismatch",
	"at least 8 characters":               "field.short_password",
	"unknown category":                    "field.unknown_category",
	"outside the managed area":            "field.outside",
	"not found":                           "field.not_found",
	"required: the cell has no inspector": "field.no_inspector",
	"required: no routing rule matches":   "field.no_route",
	"must be a positive number":           "field.positive",
	"at most 2000 characters":             "field.too_long_note",
	"at most 4000 characters":             "field.too_long_describe",
}

// message returns the catalogue message key in lang; a missing key shows
// as itself in brackets, which the page tests catch.
func message(lang, key string) string {
	t, ok := messages[key]
	if !ok {
		return "[" + key + "]"
	}
	return civicgrid.Text{Zh: t.zh, En: t.en}.In(lang)
}

// fieldProblem translates a field problem the domain reported.
func fieldProblem(lang, problem string) string {
	if key, ok := fieldProblems[problem]; ok {
		return message(lang, key)
	}
	if strings.HasPrefix(problem, "a reason or result is required") {
		return message(lang, "field.reason")
	}
	return problem
}
