package civicgrid

import "strconv"

// metricDefs is the one definition of every metric, counts first. A
// count's func says which events count; StatDeltas applies them all.
var metricDefs = append(countDefs, rateDefs...)

// countDefs are the counts.
var countDefs = []*Metric{
	{Code: "reported", Kind: MetricCount, byInspector: true, byOperator: true, Name: Text{"上报数", "Reported"}, Formula: Text{"上报 + 并入的重复上报 − 拆出的上报", "reports + folded reports − split-off reports"},
		Doc:   Text{"每条上报计 1：新建案卷的 report 事件，并入已有案卷的重复上报 fold 事件；拆分 split 时原案卷减 1（拆出的新案卷的 report 再计 1）。来源维度取该条上报的渠道。", "One per report: the report event of a new case and the fold event of a report folded into an open case; a split takes 1 off the case the report leaves (the new case's report event counts it again). The source is the report's own channel."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionReport, ActionFold) - pick(ev, ActionSplit) }},
	{Code: "recurred", Kind: MetricCount, Name: Text{"复发数", "Recurred"}, Formula: Text{"复发的新案卷上报", "new cases that recur"},
		Doc: Text{"新建案卷的 report 事件中，同一网格同一类别在此前 N 天内（hotspot_config 的 recurrence_days，默认 30）已有案卷的，计 1；受理时判定并记在事件的 recurs（前一案卷编号）中，之后不再改变。",
			"One per report event of a new case whose cell already had a case of the same category created in the N days before (hotspot_config's recurrence_days, 30 by default); decided at intake and kept in the event's recurs (the earlier case's number), never revised."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionReport) * b2i(ev.Data[DataRecurs] != "") }},
	{Code: "valid_reported", Kind: MetricCount, byInspector: true, Name: Text{"有效上报数", "Valid reports"}, Formula: Text{"立案的上报案卷", "filed reports"},
		Doc:   Text{"立案 file 事件计 1，按案卷的上报渠道（首条上报）；并入的重复上报不另计有效。监督员上报和巡查的案卷，记在上报的监督员（有效上报率按人计算）。", "One per file event, by the case's source (its first report's channel); reports folded into a case are not counted again as valid. A case an inspector reported (inspector or patrol channel) counts for that inspector, so the valid report rate is kept per person."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFile) }},
	{Code: "accepted", Kind: MetricCount, byOperator: true, Name: Text{"受理数", "Accepted"}, Formula: Text{"受理阶段以立案或发核实结束", "accept stage ended by file or verify_request"},
		Doc:   Text{"受理员对新上报的第一个处理：结束受理阶段的 file（直接立案）或 verify_request（发核实）事件计 1；直接作废的（不予受理）不计。", "The operator's first action on a new report: a file (filed at once) or verify_request event that ends the accept stage; a report cancelled outright (不予受理) is not accepted."},
		count: func(c *Case, ev *CaseEvent) int64 { return accepted(ev, false) }},
	{Code: "accepted_on_time", Kind: MetricCount, byOperator: true, Name: Text{"按时受理数", "Accepted on time"}, Formula: Text{"受理数中受理阶段未超时", "accepted within the accept stage's limit"},
		Doc:   Text{"受理数中，受理阶段在时限内结束的（事件的 on_time 为真）。", "Those accepted events that ended the accept stage by its deadline (on_time true)."},
		count: func(c *Case, ev *CaseEvent) int64 { return accepted(ev, true) }},
	{Code: "filed", Kind: MetricCount, byOperator: true, Name: Text{"立案数", "Filed"}, Formula: Text{"立案事件", "file events"},
		Doc:   Text{"立案 file 事件计 1。", "One per file event."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFile) }},
	{Code: "cancelled", Kind: MetricCount, byOperator: true, Name: Text{"作废数", "Cancelled"}, Formula: Text{"作废 + 核实不属实 + 合并作废", "cancel + verify_fail + merged_into"},
		Doc:   Text{"cancel（作废）、verify_fail（核实不属实）和 merged_into（作为重复案卷并入另一案卷）事件各计 1，无论是否已立案。", "One per cancel, verify_fail (not verified) and merged_into (closed as a duplicate of another case) event, filed or not."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionCancel, ActionVerifyFail, ActionMergedInto) }},
	{Code: "accurately_filed", Kind: MetricCount, byOperator: true, Name: Text{"准确立案数", "Accurately filed"}, Formula: Text{"立案数 − 立案后作废数", "filed − cancelled after filing"},
		Doc: Text{"立案 file 事件加 1；已立案案卷的 cancel 或 merged_into 事件减 1（记在作废当天）。未立案就作废的不减：它们从未立案。", "Plus one per file event; minus one per cancel or merged_into of a case that had been filed (on the day of the cancellation). Reports cancelled before filing take nothing off: they were never filed."},
		count: func(c *Case, ev *CaseEvent) int64 {
			return pick(ev, ActionFile) - b2i(pick(ev, ActionCancel, ActionMergedInto) == 1 && wasFiled(ev.From))
		}},
	{Code: "dispatched", Kind: MetricCount, byOperator: true, Name: Text{"派遣数", "Dispatched"}, Formula: Text{"派遣事件", "dispatch events"},
		Doc:   Text{"派遣 dispatch 事件计 1，记在派往的单位。", "One per dispatch event, for the unit dispatched to."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionDispatch) }},
	{Code: "returned", Kind: MetricCount, byOperator: true, Name: Text{"回退数", "Returned"}, Formula: Text{"回退事件", "return events"},
		Doc:   Text{"回退 return 事件计 1，记在回退的单位，以及被回退的那次派遣的派遣员。", "One per return event, for the unit returning the case and for the dispatcher whose dispatch it returns."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionReturn) }},
	{Code: "filed_on_time", Kind: MetricCount, byOperator: true, Name: Text{"按时立案数", "Filed on time"}, Formula: Text{"立案阶段未超时的立案", "file events within the filing limit"},
		Doc: Text{"立案 file 事件中，它结束的阶段在时限内结束的：直接立案结束受理阶段，核实属实后立案结束立案阶段（两者都是值班长/受理员自己的时钟）。", "File events that ended their stage by its deadline: a report filed at once ends the accept stage, one filed after verification ends the file stage (both the centre's own clock)."},
		count: func(c *Case, ev *CaseEvent) int64 {
			return pick(ev, ActionFile) * (ended(ev, StageAccept, true) + ended(ev, StageFile, true))
		}},
	{Code: "public_reported", Kind: MetricCount, Name: Text{"公众举报数", "Public reports filed"}, Formula: Text{"来源为公众渠道的立案", "filed cases from public channels"},
		Doc:   Text{"立案 file 事件中，案卷来源为公众渠道（热线、窗口、网页、Open311）的，记在立案当天。漏报率的代理：监督员本应发现、却由市民先举报的问题（UMP 的做法）。", "File events of cases whose source is a public channel (hotline, walk-in, web, Open311), on the day of filing. The proxy for 漏报 (problems the inspectors should have found first), as UMP counts it."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFile) * b2i(publicSource(c.Source)) }},
	{Code: "due_dispatching", Kind: MetricCount, Name: Text{"应派遣数", "Due for dispatch"}, Formula: Text{"立案 + 回退", "file + return"},
		Doc:   Text{"每开始一次派遣阶段计 1：立案 file，以及单位回退 return（需要改派）。", "One per dispatch stage started: file, and return (the case must be dispatched again)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFile, ActionReturn) }},
	{Code: "dispatched_on_time", Kind: MetricCount, byOperator: true, Name: Text{"按时派遣数", "Dispatched on time"}, Formula: Text{"派遣阶段未超时的派遣", "dispatch events within the dispatch limit"},
		Doc:   Text{"派遣 dispatch 事件中，派遣阶段在时限内结束的，记在派遣员和派往的单位。", "Dispatch events that ended the dispatch stage by its deadline, for the dispatcher and the unit dispatched to."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionDispatch) * ended(ev, StageDispatch, true) }},
	{Code: "accurately_dispatched", Kind: MetricCount, byOperator: true, Name: Text{"准确派遣数", "Accurately dispatched"}, Formula: Text{"派遣数 − 回退数", "dispatched − returned"},
		Doc: Text{"派遣 dispatch 事件加 1，回退 return 事件减 1（记在回退当天、回退的单位）：单位回退就是派错了。UMP 用“派遣数 − 返工数”，但返工是核查不通过、处置质量的问题，不是派遣错误，所以这里扣回退。回退记在被回退的那次派遣的派遣员（回退事件的 dispatcher_id），故按人统计；此前的回退事件不带派遣员，只记单位。",
			"Plus one per dispatch event, minus one per return (on the day of the return, for the returning unit): a unit returning a case says it was sent to the wrong unit. UMP subtracts rework (返工) instead, but rework is a failed check of the handling, not a dispatch error. A return counts against the dispatcher of the dispatch it returns (the return event's dispatcher_id), so the count is kept per person; returns recorded before events named the dispatcher count for the unit only."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionDispatch) - pick(ev, ActionReturn) }},
	{Code: "due_handling", Kind: MetricCount, Name: Text{"应处置数", "Due for handling"}, Formula: Text{"签收 + 核查不通过（返工）", "sign + check_fail"},
		Doc:   Text{"每开始一次处置阶段计 1：签收 sign，以及核查不通过 check_fail（返工重新处置）。", "One per handle stage started: sign, and check_fail (rework)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionSign, ActionCheckFail) }},
	{Code: "handled", Kind: MetricCount, Name: Text{"处置数", "Handled"}, Formula: Text{"处置完毕事件", "finish events"},
		Doc:   Text{"处置完毕 finish 事件计 1。", "One per finish event."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFinish) }},
	{Code: "handled_on_time", Kind: MetricCount, Name: Text{"按期处置数", "Handled on time"}, Formula: Text{"处置阶段未超时的处置完毕", "finish by the handle deadline"},
		Doc:   Text{"处置完毕 finish 事件中，处置阶段在时限（含批准的延期）内结束的。", "Finish events that ended the handle stage by its deadline (approved extensions included)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFinish) * ended(ev, StageHandle, true) }},
	{Code: "handled_late", Kind: MetricCount, Name: Text{"超期处置数", "Handled late"}, Formula: Text{"处置阶段超时的处置完毕", "finish after the handle deadline"},
		Doc:   Text{"处置完毕 finish 事件中，处置阶段超过时限才结束的。", "Finish events that ended the handle stage after its deadline."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionFinish) * ended(ev, StageHandle, false) }},
	{Code: "reworked", Kind: MetricCount, byInspector: true, Name: Text{"返工数", "Reworked"}, Formula: Text{"核查不通过事件", "check_fail events"},
		Doc:   Text{"核查不通过 check_fail 事件计 1（返工次数：一个案卷返工两次计 2）。", "One per check_fail event (rework times: a case reworked twice counts 2)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionCheckFail) }},
	{Code: "extended", Kind: MetricCount, byOperator: true, Name: Text{"延期数", "Extended"}, Formula: Text{"批准延期事件", "extend_approve events"},
		Doc:   Text{"批准延期 extend_approve 事件计 1。", "One per extend_approve event."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionExtendApprove) }},
	{Code: "suspended", Kind: MetricCount, byOperator: true, Name: Text{"挂账数", "Suspended"}, Formula: Text{"挂账事件", "suspend events"},
		Doc:   Text{"挂账 suspend 事件计 1。", "One per suspend event."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionSuspend) }},
	{Code: "urged", Kind: MetricCount, Name: Text{"督办数", "Urged"}, Formula: Text{"督办事件", "urge events"},
		Doc:   Text{"督办 urge 事件计 1。", "One per urge event."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionUrge) }},
	{Code: "due_verifying", Kind: MetricCount, byInspector: true, byOperator: true, Name: Text{"应核实数", "Due for verification"}, Formula: Text{"发核实事件", "verify_request events"},
		Doc:   Text{"发核实 verify_request 事件计 1，记在被派去核实的监督员和发出任务的受理员。", "One per verify_request event, for the inspector tasked and the operator sending the task."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionVerifyRequest) }},
	{Code: "verified", Kind: MetricCount, byInspector: true, Name: Text{"核实数", "Verified"}, Formula: Text{"核实属实 + 核实不属实", "verify_pass + verify_fail"},
		Doc:   Text{"verify_pass 和 verify_fail 事件各计 1，记在核实的监督员。", "One per verify_pass and verify_fail event, for the inspector verifying."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionVerifyPass, ActionVerifyFail) }},
	{Code: "verified_on_time", Kind: MetricCount, byInspector: true, Name: Text{"按时核实数", "Verified on time"}, Formula: Text{"核实阶段未超时的核实", "verified by the verify deadline"},
		Doc: Text{"核实数中，核实阶段在时限内结束的。", "Those verified events that ended the verify stage by its deadline."},
		count: func(c *Case, ev *CaseEvent) int64 {
			return pick(ev, ActionVerifyPass, ActionVerifyFail) * ended(ev, StageVerify, true)
		}},
	{Code: "due_checking", Kind: MetricCount, byInspector: true, byOperator: true, Name: Text{"应核查数", "Due for checking"}, Formula: Text{"发核查事件", "check_request events"},
		Doc:   Text{"发核查 check_request 事件计 1，记在被派去核查的监督员和发出任务的受理员。", "One per check_request event, for the inspector tasked and the operator sending the task."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionCheckRequest) }},
	{Code: "checked", Kind: MetricCount, byInspector: true, Name: Text{"核查数", "Checked"}, Formula: Text{"核查通过 + 核查不通过", "check_pass + check_fail"},
		Doc:   Text{"check_pass 和 check_fail 事件各计 1，记在核查的监督员。", "One per check_pass and check_fail event, for the inspector checking."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionCheckPass, ActionCheckFail) }},
	{Code: "checked_on_time", Kind: MetricCount, byInspector: true, Name: Text{"按时核查数", "Checked on time"}, Formula: Text{"核查阶段未超时的核查", "checked by the check deadline"},
		Doc: Text{"核查数中，核查阶段在时限内结束的。核查阶段从处置完毕开始计时（含受理员发核查的时间）。", "Those checked events that ended the check stage by its deadline. The check clock starts when the unit finishes (the operator's time to send the task counts)."},
		count: func(c *Case, ev *CaseEvent) int64 {
			return pick(ev, ActionCheckPass, ActionCheckFail) * ended(ev, StageCheck, true)
		}},
	{Code: "due_closing", Kind: MetricCount, Name: Text{"应结案数", "Due for closing"}, Formula: Text{"处置时限落在本期的签收案卷", "signed cases whose handle deadline falls in the period"},
		Doc:        Text{"每个案卷一次：签收 sign 事件计 1，但记在它定下的处置时限那天（不是签收那天）。延期和返工不改变它；回退发生在签收之前，所以每个案卷只签收一次。挂账案卷是否扣除由配置决定（在比率的分母中减去挂账数）。", "Once per case: the sign event counts 1, dated on the day of the handle deadline it set (not the day of signing). Extensions and rework do not move it; returns happen before signing, so a case is signed once. Whether suspended cases are excluded is configured (the rate's denominator less the suspended count)."},
		count:      func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionSign) * b2i(ev.Deadline != nil) },
		onDeadline: true},
	{Code: "closed", Kind: MetricCount, byOperator: true, Name: Text{"结案数", "Closed"}, Formula: Text{"结案事件", "close events"},
		Doc:   Text{"结案 close 事件计 1（合并作废的不算结案）。", "One per close event (cases merged away are cancelled, not closed)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionClose) }},
	{Code: "closed_on_time", Kind: MetricCount, byOperator: true, Name: Text{"按期结案数", "Closed on time"}, Formula: Text{"最后一次处置未超时的结案", "closed, last handling by its deadline"},
		Doc:   Text{"结案 close 事件中，案卷最后一次处置阶段在时限（含延期）内结束的：返工后重新处置按期的也算按期。", "Close events of cases whose last handle stage ended by its deadline (extensions included): a case reworked and then handled on time counts."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionClose) * b2i(handledOnTime(c)) }},
	{Code: "closed_late", Kind: MetricCount, byOperator: true, Name: Text{"超期结案数", "Closed late"}, Formula: Text{"最后一次处置超时的结案", "closed, last handling after its deadline"},
		Doc:   Text{"结案 close 事件中，案卷最后一次处置阶段超过时限才结束的（结案数 − 按期结案数）。", "Close events of cases whose last handle stage ended after its deadline (closed − closed on time)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionClose) * b2i(!handledOnTime(c)) }},
	{Code: "closed_timely", Kind: MetricCount, byOperator: true, Name: Text{"按时结案数", "Closed promptly"}, Formula: Text{"结案阶段未超时的结案", "close events within the closing limit"},
		Doc:   Text{"结案 close 事件中，结案阶段（核查通过后值班长结案的时钟）在时限内结束的；考核值班长。与按期结案（处置时限）不同。", "Close events that ended the close stage (the shift leader's clock after a passed check) by its deadline; evaluates shift leaders. Not the same as closed on time (the handle deadline)."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionClose) * ended(ev, StageClose, true) }},
	{Code: "verify_sent_on_time", Kind: MetricCount, byOperator: true, Name: Text{"按时发核实数", "Verification sent on time"}, Formula: Text{"受理阶段未超时的发核实", "verify_request within the accept limit"},
		Doc: Text{"发核实 verify_request 事件中，受理阶段在时限内结束的，记在受理员。按时发核查无法从事件得出（发核查不结束任何阶段时钟），未定义。", "verify_request events that ended the accept stage by its deadline, for the operator. On-time check requests cannot be told from the events (a check request ends no stage clock), so they are not defined."},
		count: func(c *Case, ev *CaseEvent) int64 {
			return pick(ev, ActionVerifyRequest) * ended(ev, StageAccept, true)
		}},
	{Code: "rated", Kind: MetricCount, Name: Text{"回访数", "Rated"}, Formula: Text{"市民评价事件", "rate events"},
		Doc:   Text{"上报人对已结案案卷的满意度评价 rate 事件计 1（每位上报人每个案卷一次），记在评价当天。", "One per rate event: a reporter's rating of a closed case's result (once per reporter and case), on the day of the rating."},
		count: func(c *Case, ev *CaseEvent) int64 { return pick(ev, ActionRate) }},
	{Code: "satisfied", Kind: MetricCount, Name: Text{"满意数", "Satisfied"}, Formula: Text{"评分 ≥ 4 的评价", "ratings of 4 or 5"},
		Doc:   Text{"回访数中评分为 4 或 5（满意、非常满意）的。", "Those rate events scoring 4 or 5 (satisfied, very satisfied)."},
		count: func(c *Case, ev *CaseEvent) int64 { return b2i(ratingScore(ev) >= SatisfiedScore) }},
}

// rateDefs are the rates.
var rateDefs = []*Metric{
	rate("rate_handled", Text{"处置率", "Handling rate"}, "handled", "due_handling"),
	rate("rate_handled_on_time", Text{"按期处置率", "On-time handling rate"}, "handled_on_time", "due_handling"),
	rate("rate_closed", Text{"结案率", "Closing rate"}, "closed", "due_closing"),
	rate("rate_closed_on_time", Text{"按期结案率", "On-time closing rate"}, "closed_on_time", "due_closing"),
	rate("rate_reworked", Text{"返工率", "Rework rate"}, "reworked", "due_closing"),
	rate("rate_accurately_filed", Text{"准确立案率", "Accurate filing rate"}, "accurately_filed", "filed"),
	rate("rate_accepted_on_time", Text{"按时受理率", "On-time acceptance rate"}, "accepted_on_time", "accepted"),
	rate("rate_verified_on_time", Text{"按时核实率", "On-time verification rate"}, "verified_on_time", "due_verifying"),
	rate("rate_checked_on_time", Text{"按时核查率", "On-time check rate"}, "checked_on_time", "due_checking"),
	rate("rate_valid_reported", Text{"有效上报率", "Valid report rate"}, "valid_reported", "reported"),
	rate("rate_extended", Text{"延期率", "Extension rate"}, "extended", "due_closing"),
	rate("rate_filed_on_time", Text{"按时立案率", "On-time filing rate"}, "filed_on_time", "filed"),
	withDoc(rate("rate_public_reported", Text{"漏报率", "Missed report rate"}, "public_reported", "filed"),
		Text{"公众举报数除以立案数：UMP 以公众举报代替“漏报数”（监督员本应上报的问题）。分母为 0 时无值。", "Public reports filed divided by filed: UMP proxies 漏报 (problems the inspectors should have reported) by public reports. None when nothing was filed."}),
	withDoc(rate("rate_dispatched_on_time", Text{"按时派遣率", "On-time dispatch rate"}, "dispatched_on_time", "dispatched"),
		Text{"按时派遣数除以派遣数。DOMAIN 引 UMP 以应派遣数为分母；这里以派遣数为分母，使比率能按派遣员计算（立案和回退不是派遣员的事件），尚待派遣的案卷不计入。分母为 0 时无值。", "Dispatched on time divided by dispatched. UMP divides by 应派遣数; dividing by dispatch events lets the rate be kept per dispatcher (filing and returns are not the dispatcher's events); cases still waiting are left out. None when nothing was dispatched."}),
	withDoc(rate("rate_accurately_dispatched", Text{"准确派遣率", "Accurate dispatch rate"}, "accurately_dispatched", "dispatched"),
		Text{"准确派遣数（派遣数 − 回退数）除以派遣数，即 1 − 回退占比。回退记在被回退的那次派遣的派遣员，所以也按派遣员计算。分母为 0 时无值。", "Accurately dispatched (dispatched − returned) divided by dispatched: 1 − the share returned. A return counts against the dispatcher of the dispatch it returns, so the rate is kept per dispatcher too. None when nothing was dispatched."}),
	rate("rate_closed_late", Text{"超期结案率", "Late closing rate"}, "closed_late", "due_closing"),
	rate("rate_closed_timely", Text{"按时结案率", "Prompt closing rate"}, "closed_timely", "closed"),
	rate("rate_verify_sent_on_time", Text{"核实按时派发率", "On-time verification dispatch rate"}, "verify_sent_on_time", "due_verifying"),
	rate("rate_satisfied", Text{"满意率", "Satisfaction rate"}, "satisfied", "rated"),
}

// rate defines a rate num/den; its formula uses the counts' names.
func rate(code string, name Text, num, den string) *Metric {
	n, d := metricName(num), metricName(den)
	return &Metric{Code: code, Name: name, Kind: MetricRate, Counts: []string{num, den},
		Formula: Text{n.Zh + " / " + d.Zh, n.En + " / " + d.En},
		Doc:     Text{"本期" + n.Zh + "除以本期" + d.Zh + "；分母为 0 时无值。", n.En + " divided by " + d.En + " over the same period; none when the denominator is 0."}}
}

// metricName is the name of a count.
func metricName(code string) Text {
	for _, m := range countDefs {
		if m.Code == code {
			return m.Name
		}
	}
	panic("civicgrid: rate of unknown count " + code)
}

// StatDeltas returns what event ev adds to the aggregates: for every count
// it changes, one delta per dimension the event has a value in, dated on
// the city-local day of ev.At (due_closing: of ev.Deadline). c is the case
// just after ev. Of c it reads only what cannot change (place, category,
// source), the unit, and at a close event, after which nothing changes,
// its handle-stage clock; so a history can be replayed from the case's
// final state and its events (RecordHistory).
func StatDeltas(c *Case, ev *CaseEvent) []StatDelta { return appendStatDeltas(nil, c, ev) }

// appendStatDeltas appends the deltas of StatDeltas to out.
func appendStatDeltas(out []StatDelta, c *Case, ev *CaseEvent) []StatDelta {
	type count struct {
		m   *Metric
		n   int64
		day Date
	}
	var buf [8]count // more than any event makes
	counts := buf[:0]
	for _, m := range countDefs {
		if n := m.count(c, ev); n != 0 {
			day := DateOf(ev.At)
			if m.onDeadline {
				day = DateOf(*ev.Deadline)
			}
			counts = append(counts, count{m, n, day})
		}
	}
	if len(counts) == 0 {
		return out
	}
	var dbuf [numDims]dimValue
	// Dimension by dimension, so that a store gathering the deltas finds
	// the counts of one cell side by side.
	for _, d := range statDims(dbuf[:0], c, ev) {
		for _, k := range counts {
			if (d.dim == DimInspector && !k.m.byInspector) || (d.dim == DimOperator && !k.m.byOperator) {
				continue
			}
			out = append(out, StatDelta{Key: StatKey{Day: k.day, Dim: d.dim, Value: d.value}, Metric: k.m.Code, N: k.n})
		}
	}
	return out
}

// dimValue is one dimension's value for an event.
type dimValue struct {
	dim   StatDim
	value string
}

// numDims is how many dimensions there are.
const numDims = len(StatDims)

// statDims appends to dims the dimensions event ev of case c counts in.
func statDims(dims []dimValue, c *Case, ev *CaseEvent) []dimValue {
	add := func(d StatDim, v string) {
		if v != "" && v != "0" {
			dims = append(dims, dimValue{d, v})
		}
	}
	add(DimCity, cityValue)
	add(DimDistrict, c.DistrictCode)
	add(DimStreet, c.StreetCode)
	add(DimCommunity, c.CommunityCode)
	add(DimCell, c.CellCode)
	add(DimCategory, c.CategoryCode)
	source := ev.Data["source"] // a report's own channel
	if source == "" {
		source = string(c.Source)
	}
	add(DimSource, source)
	if ev.Action == ActionReturn {
		add(DimUnit, ev.Data["unit_id"])
	} else if c.UnitID != 0 {
		add(DimUnit, strconv.FormatInt(int64(c.UnitID), 10))
	}
	switch {
	case ev.Data["inspector_id"] != "":
		add(DimInspector, ev.Data["inspector_id"])
	case ev.Role == RoleInspector:
		add(DimInspector, strconv.FormatInt(int64(ev.ActorID), 10))
	case ev.Action == ActionFile && fieldSource(c.Source) && c.Reporter.UserID != 0:
		// A field report's filing is the reporting inspector's valid report.
		add(DimInspector, strconv.FormatInt(int64(c.Reporter.UserID), 10))
	}
	switch {
	case ev.Role == RoleOperator, ev.Role == RoleShiftLeader, ev.Role == RoleDispatcher:
		add(DimOperator, strconv.FormatInt(int64(ev.ActorID), 10))
	case ev.Action == ActionReturn:
		// A return is held against the dispatcher whose dispatch it undoes.
		add(DimOperator, ev.Data[DataDispatcher])
	}
	return appendPairDims(dims)
}

// pick is 1 when ev is one of actions, else 0.
func pick(ev *CaseEvent, actions ...Action) int64 {
	for _, a := range actions {
		if ev.Action == a {
			return 1
		}
	}
	return 0
}

// ended is 1 when ev ended stage st on time (onTime) or late (!onTime).
func ended(ev *CaseEvent, st Stage, onTime bool) int64 {
	return b2i(ev.StageEnded == st && ev.OnTime != nil && *ev.OnTime == onTime)
}

// accepted is 1 when ev took up a new report (on time, if onTime).
func accepted(ev *CaseEvent, onTime bool) int64 {
	if pick(ev, ActionFile, ActionVerifyRequest) == 0 || ev.StageEnded != StageAccept {
		return 0
	}
	if onTime {
		return ended(ev, StageAccept, true)
	}
	return 1
}

// publicSource reports whether a report from channel s is the public's
// (公众举报), not the supervision's own finding.
func publicSource(s Source) bool {
	return s == SourceHotline || s == SourceWalkIn || s == SourceWeb || s == SourceOpen311
}

// fieldSource reports whether s is a channel of the inspectors in the
// field (监督员上报, 巡查), whose reporter is the inspector.
func fieldSource(s Source) bool { return s == SourceInspector || s == SourcePatrol }

// withDoc replaces a rate's generated doc where its definition needs a word.
func withDoc(m *Metric, doc Text) *Metric { m.Doc = doc; return m }

// wasFiled reports whether a case in status from had been filed.
func wasFiled(from Status) bool {
	return from != StatusReported && from != StatusVerifying && from != ""
}

// handledOnTime reports whether c's last handle stage ended by its
// deadline: the on_time of the finish event that ended it.
func handledOnTime(c *Case) bool {
	d, ok := c.Deadlines[StageHandle]
	return ok && d.Ended != nil && !d.Ended.After(d.Due)
}

// b2i is 1 for true.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
