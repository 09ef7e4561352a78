package civicgrid

import (
	"fmt"
	"slices"
)

// The actions of the default workflow.
const (
	ActionReport        Action = "report"         // a new report; creates the case
	ActionVerifyRequest Action = "verify_request" // 发核实: operator sends an inspector to verify
	ActionVerifyPass    Action = "verify_pass"    // 核实通过
	ActionVerifyFail    Action = "verify_fail"    // 核实不属实: the report is cancelled
	ActionFile          Action = "file"           // 立案
	ActionCancel        Action = "cancel"         // 作废
	ActionDispatch      Action = "dispatch"       // 派遣
	ActionReturn        Action = "return"         // 回退: the unit returns a mis-dispatched case
	ActionSign          Action = "sign"           // 签收
	ActionExtendRequest Action = "extend_request" // 申请延期
	ActionExtendApprove Action = "extend_approve" // 批准延期
	ActionExtendDeny    Action = "extend_deny"    // 驳回延期
	ActionSuspend       Action = "suspend"        // 挂账
	ActionResume        Action = "resume"         // 挂账恢复
	ActionFinish        Action = "finish"         // 处置完毕
	ActionCheckRequest  Action = "check_request"  // 发核查
	ActionCheckPass     Action = "check_pass"     // 核查通过
	ActionCheckFail     Action = "check_fail"     // 核查不通过: rework
	ActionClose         Action = "close"          // 结案
	ActionUrge          Action = "urge"           // 督办
	ActionOverdue       Action = "overdue"        // a stage deadline passed (recorded by the sweep)
	ActionFold          Action = "fold"           // another report of the same problem was folded in
	ActionMerge         Action = "merge"          // an operator merged another case into this one
	ActionMergedInto    Action = "merged_into"    // this case was merged into another and closed as a duplicate
	ActionSplit         Action = "split"          // a report was split off into a case of its own
	ActionComment       Action = "comment"        // a remark from a citizen or an application
)

// Effect names a built-in side effect of a rule. The table of rules is data;
// effects are the closed set of primitives it may use.
type Effect string

// The effects.
const (
	EffectAssignInspector  Effect = "assign_inspector"  // task an inspector (input or the cell's first)
	EffectAssignUnit       Effect = "assign_unit"       // dispatch to a unit (input or routing)
	EffectCountReturn      Effect = "count_return"      // count a return and clear the unit
	EffectCountRework      Effect = "count_rework"      // count a rework
	EffectRequestExtension Effect = "request_extension" // park the requested extension for approval
	EffectGrantExtension   Effect = "grant_extension"   // move the stage deadline by the parked extension
	EffectDenyExtension    Effect = "deny_extension"    // drop the parked extension
	EffectSuspend          Effect = "suspend"           // stop the clock, remembering what was left
	EffectResume           Effect = "resume"            // restart the clock with what was left
	EffectCountUrge        Effect = "count_urge"        // count a 督办
)

// Guard names a built-in precondition of a rule.
type Guard string

// The guards.
const (
	GuardExtensionPending   Guard = "extension_pending"    // an extension request is waiting
	GuardNoExtensionPending Guard = "no_extension_pending" // no extension request is waiting
)

// Input names a value an action needs from the actor.
type Input string

// The inputs.
const (
	InputNote      Input = "note"      // a reason or result text
	InputUnit      Input = "unit_id"   // an explicit unit
	InputExtension Input = "extension" // a TimeLimit to extend by
)

// Previous is the To of a rule that returns the case to the status it had
// before it was suspended.
const Previous Status = "@previous"

// Escalation hands a rule to other roles once a counter reaches a value:
// a second extension needs a leader.
type Escalation struct {
	Counter string `json:"counter"` // "extensions", "returns", "reworks"
	AtLeast int    `json:"at_least"`
	Roles   []Role `json:"roles"`
}

// Rule is one row of the transition table: who may take Action from which
// statuses, where the case goes, which stage clock starts, what must be
// supplied and what else happens.
type Rule struct {
	Action   Action      `json:"action"`
	Name     Text        `json:"name"`
	From     []Status    `json:"from"`
	To       Status      `json:"to,omitempty"` // "" keeps the status
	Roles    []Role      `json:"roles"`
	Escalate *Escalation `json:"escalate,omitempty"`
	Starts   Stage       `json:"starts,omitempty"` // the stage whose clock starts
	Needs    []Input     `json:"needs,omitempty"`
	Guards   []Guard     `json:"guards,omitempty"`
	Effects  []Effect    `json:"effects,omitempty"`
	Notify   []string    `json:"notify,omitempty"` // unit, inspector, reporter, dispatchers
}

// Workflow is a versioned transition table. Cases remember the version they
// were opened under, so a city can change its table without moving cases in
// flight onto rules they were not filed under.
type Workflow struct {
	Version int     `json:"version"`
	Rules   []*Rule `json:"rules"`
}

// Rule returns the rule for action, or nil.
func (w *Workflow) Rule(a Action) *Rule {
	for _, r := range w.Rules {
		if r.Action == a {
			return r
		}
	}
	return nil
}

// Validate checks that every rule is well formed.
func (w *Workflow) Validate() error {
	seen := map[Action]bool{}
	for i, r := range w.Rules {
		where := fmt.Sprintf("rules[%d] (%s)", i, r.Action)
		switch {
		case r.Action == "" || seen[r.Action]:
			return Errorf(Invalid, "%s: action missing or repeated", where)
		case len(r.From) == 0:
			return Errorf(Invalid, "%s: no from statuses", where)
		case r.To != "" && r.To != Previous && !r.To.Valid():
			return Errorf(Invalid, "%s: unknown target status %q", where, r.To)
		case r.Starts != "" && !r.Starts.Valid():
			return Errorf(Invalid, "%s: unknown stage %q", where, r.Starts)
		case len(r.Roles) == 0:
			return Errorf(Invalid, "%s: no roles", where)
		}
		for _, s := range r.From {
			if !s.Valid() {
				return Errorf(Invalid, "%s: unknown from status %q", where, s)
			}
		}
		seen[r.Action] = true
	}
	return nil
}

// allowsRole reports whether role may take r on c, after escalation.
func (r *Rule) allowsRole(c *Case, role Role) bool {
	if role == RoleAdmin || role == RoleSystem {
		return true
	}
	roles := r.Roles
	if e := r.Escalate; e != nil && c.counter(e.Counter) >= e.AtLeast {
		roles = e.Roles
	}
	return slices.Contains(roles, role)
}

// guardsHold reports whether every guard of r holds for c.
func (r *Rule) guardsHold(c *Case) bool {
	for _, g := range r.Guards {
		switch g {
		case GuardExtensionPending:
			if c.PendingExtension == nil {
				return false
			}
		case GuardNoExtensionPending:
			if c.PendingExtension != nil {
				return false
			}
		}
	}
	return true
}

// Allowed returns the actions actor may take on c now, in table order. It
// applies status, role, scope and guards, but not inputs.
func (w *Workflow) Allowed(c *Case, actor *User, g *Grid) []Action {
	var out []Action
	if !actor.canActOn(c, g) {
		return nil
	}
	for _, r := range w.Rules {
		if slices.Contains(r.From, c.Status) && r.allowsRole(c, actor.Role) && r.guardsHold(c) {
			out = append(out, r.Action)
		}
	}
	return out
}
