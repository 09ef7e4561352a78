package civicgrid

// openStatuses are the statuses urge applies to.
var openStatuses = []Status{StatusReported, StatusVerifying, StatusFiled, StatusDispatched, StatusHandling,
	StatusHandled, StatusChecking, StatusChecked, StatusSuspended}

// DefaultWorkflow returns the standard 数字城管 transition table: report →
// (verify) → file → dispatch → sign → handle → check → close, with return,
// extension, suspension, cancellation, rework and urging.
func DefaultWorkflow() *Workflow {
	leaders := []Role{RoleLeader}
	return &Workflow{Version: 1, Rules: []*Rule{
		{Action: ActionVerifyRequest, Name: Text{"发核实", "Request verification"}, From: []Status{StatusReported},
			To: StatusVerifying, Roles: []Role{RoleOperator}, Starts: StageVerify, Effects: []Effect{EffectAssignInspector}, Notify: []string{"inspector"}},
		{Action: ActionVerifyPass, Name: Text{"核实属实", "Verified"}, From: []Status{StatusVerifying},
			To: StatusReported, Roles: []Role{RoleInspector}, Starts: StageFile},
		{Action: ActionVerifyFail, Name: Text{"核实不属实", "Not verified"}, From: []Status{StatusVerifying},
			To: StatusCancelled, Roles: []Role{RoleInspector}, Needs: []Input{InputNote}, Notify: []string{"reporter"}},
		{Action: ActionFile, Name: Text{"立案", "File"}, From: []Status{StatusReported},
			To: StatusFiled, Roles: []Role{RoleOperator, RoleShiftLeader}, Starts: StageDispatch},
		{Action: ActionCancel, Name: Text{"作废", "Cancel"}, From: []Status{StatusReported, StatusVerifying, StatusFiled},
			To: StatusCancelled, Roles: []Role{RoleShiftLeader}, Needs: []Input{InputNote}, Notify: []string{"reporter"}},
		{Action: ActionDispatch, Name: Text{"派遣", "Dispatch"}, From: []Status{StatusFiled},
			To: StatusDispatched, Roles: []Role{RoleDispatcher}, Starts: StageSign, Effects: []Effect{EffectAssignUnit}, Notify: []string{"unit"}},
		{Action: ActionReturn, Name: Text{"回退", "Return"}, From: []Status{StatusDispatched},
			To: StatusFiled, Roles: []Role{RoleUnit}, Starts: StageDispatch, Needs: []Input{InputNote}, Effects: []Effect{EffectCountReturn}, Notify: []string{"dispatchers"}},
		{Action: ActionSign, Name: Text{"签收", "Sign for"}, From: []Status{StatusDispatched},
			To: StatusHandling, Roles: []Role{RoleUnit}, Starts: StageHandle},
		{Action: ActionExtendRequest, Name: Text{"申请延期", "Request extension"}, From: []Status{StatusHandling},
			Roles: []Role{RoleUnit}, Needs: []Input{InputNote, InputExtension}, Guards: []Guard{GuardNoExtensionPending},
			Effects: []Effect{EffectRequestExtension}, Notify: []string{"dispatchers"}},
		{Action: ActionExtendApprove, Name: Text{"批准延期", "Approve extension"}, From: []Status{StatusHandling},
			Roles: []Role{RoleDispatcher}, Escalate: &Escalation{Counter: "extensions", AtLeast: 1, Roles: leaders},
			Guards: []Guard{GuardExtensionPending}, Effects: []Effect{EffectGrantExtension}, Notify: []string{"unit"}},
		{Action: ActionExtendDeny, Name: Text{"驳回延期", "Deny extension"}, From: []Status{StatusHandling},
			Roles: []Role{RoleDispatcher}, Escalate: &Escalation{Counter: "extensions", AtLeast: 1, Roles: leaders},
			Needs: []Input{InputNote}, Guards: []Guard{GuardExtensionPending}, Effects: []Effect{EffectDenyExtension}, Notify: []string{"unit"}},
		{Action: ActionSuspend, Name: Text{"挂账", "Suspend"}, From: []Status{StatusFiled, StatusDispatched, StatusHandling},
			To: StatusSuspended, Roles: []Role{RoleDispatcher}, Needs: []Input{InputNote}, Effects: []Effect{EffectSuspend}, Notify: []string{"unit"}},
		{Action: ActionResume, Name: Text{"恢复", "Resume"}, From: []Status{StatusSuspended},
			To: Previous, Roles: []Role{RoleDispatcher}, Effects: []Effect{EffectResume}, Notify: []string{"unit"}},
		{Action: ActionFinish, Name: Text{"处置完毕", "Finish"}, From: []Status{StatusHandling},
			To: StatusHandled, Roles: []Role{RoleUnit}, Starts: StageCheck, Needs: []Input{InputNote}, Notify: []string{"dispatchers"}},
		{Action: ActionCheckRequest, Name: Text{"发核查", "Request check"}, From: []Status{StatusHandled},
			To: StatusChecking, Roles: []Role{RoleOperator}, Effects: []Effect{EffectAssignInspector}, Notify: []string{"inspector"}},
		{Action: ActionCheckPass, Name: Text{"核查通过", "Check passed"}, From: []Status{StatusChecking},
			To: StatusChecked, Roles: []Role{RoleInspector}, Starts: StageClose},
		{Action: ActionCheckFail, Name: Text{"核查不通过", "Check failed"}, From: []Status{StatusChecking},
			To: StatusHandling, Roles: []Role{RoleInspector}, Starts: StageHandle, Needs: []Input{InputNote},
			Effects: []Effect{EffectCountRework}, Notify: []string{"unit"}},
		{Action: ActionClose, Name: Text{"结案", "Close"}, From: []Status{StatusChecked},
			To: StatusClosed, Roles: []Role{RoleShiftLeader}, Notify: []string{"reporter"}},
		{Action: ActionUrge, Name: Text{"督办", "Urge"}, From: openStatuses,
			Roles: []Role{RoleLeader}, Needs: []Input{InputNote}, Effects: []Effect{EffectCountUrge}, Notify: []string{"unit"}},
	}}
}
