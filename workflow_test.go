package civicgrid_test

import (
	"slices"
	"testing"

	"civicgrid"
)

// expectedRules is the default transition table written out independently
// of workflow_default.go: action → statuses it may be taken from and the
// roles (besides admin) that may take it.
var expectedRules = map[civicgrid.Action]struct {
	from  []civicgrid.Status
	roles []civicgrid.Role
}{
	"verify_request": {[]civicgrid.Status{"reported"}, []civicgrid.Role{"operator"}},
	"verify_pass":    {[]civicgrid.Status{"verifying"}, []civicgrid.Role{"inspector"}},
	"verify_fail":    {[]civicgrid.Status{"verifying"}, []civicgrid.Role{"inspector"}},
	"file":           {[]civicgrid.Status{"reported"}, []civicgrid.Role{"operator", "shift_leader"}},
	"cancel":         {[]civicgrid.Status{"reported", "verifying", "filed"}, []civicgrid.Role{"shift_leader"}},
	"dispatch":       {[]civicgrid.Status{"filed"}, []civicgrid.Role{"dispatcher"}},
	"return":         {[]civicgrid.Status{"dispatched"}, []civicgrid.Role{"unit_handler"}},
	"sign":           {[]civicgrid.Status{"dispatched"}, []civicgrid.Role{"unit_handler"}},
	"extend_request": {[]civicgrid.Status{"handling"}, []civicgrid.Role{"unit_handler"}},
	"extend_approve": {[]civicgrid.Status{"handling"}, []civicgrid.Role{"dispatcher"}},
	"extend_deny":    {[]civicgrid.Status{"handling"}, []civicgrid.Role{"dispatcher"}},
	"suspend":        {[]civicgrid.Status{"filed", "dispatched", "handling"}, []civicgrid.Role{"dispatcher"}},
	"resume":         {[]civicgrid.Status{"suspended"}, []civicgrid.Role{"dispatcher"}},
	"finish":         {[]civicgrid.Status{"handling"}, []civicgrid.Role{"unit_handler"}},
	"check_request":  {[]civicgrid.Status{"handled"}, []civicgrid.Role{"operator"}},
	"check_pass":     {[]civicgrid.Status{"checking"}, []civicgrid.Role{"inspector"}},
	"check_fail":     {[]civicgrid.Status{"checking"}, []civicgrid.Role{"inspector"}},
	"close":          {[]civicgrid.Status{"checked"}, []civicgrid.Role{"shift_leader"}},
	"urge": {[]civicgrid.Status{"reported", "verifying", "filed", "dispatched", "handling", "handled", "checking", "checked", "suspended"},
		[]civicgrid.Role{"leader"}},
}

const testCell = "330102001001001"

func testGrid(inspector civicgrid.UserID) *civicgrid.Grid {
	sq := civicgrid.MultiPolygon{{{{Lat: 30.25, Lon: 120.15}, {Lat: 30.25, Lon: 120.151}, {Lat: 30.251, Lon: 120.151}, {Lat: 30.251, Lon: 120.15}, {Lat: 30.25, Lon: 120.15}}}}
	return civicgrid.NewGrid([]*civicgrid.GridCell{{Code: testCell, Shape: sq, Inspectors: []civicgrid.UserID{inspector}}}, nil)
}

// actorsByRole returns one in-scope user per role: the unit handler belongs
// to unit 7, the inspector is tasked with the case.
func actorsByRole() map[civicgrid.Role]*civicgrid.User {
	m := map[civicgrid.Role]*civicgrid.User{}
	for i, r := range civicgrid.Roles {
		u := &civicgrid.User{ID: civicgrid.UserID(i + 1), Name: string(r), Role: r, Active: true}
		if r == civicgrid.RoleUnit {
			u.UnitID = 7
		}
		m[r] = u
	}
	return m
}

// TestDefaultWorkflowEveryTransition checks every action in every status for
// every role against the table above: allowed exactly when the status and
// role match.
func TestDefaultWorkflowEveryTransition(t *testing.T) {
	wf := civicgrid.DefaultWorkflow()
	if err := wf.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(wf.Rules) != len(expectedRules) {
		t.Fatalf("default workflow has %d rules, the expected table %d", len(wf.Rules), len(expectedRules))
	}
	actors := actorsByRole()
	grid := testGrid(actors[civicgrid.RoleInspector].ID)
	for _, status := range civicgrid.Statuses {
		for _, role := range civicgrid.Roles {
			actor := actors[role]
			c := &civicgrid.Case{Status: status, CellCode: testCell, UnitID: 7, InspectorID: actors[civicgrid.RoleInspector].ID}
			pending := &civicgrid.TimeLimit{Amount: 1, Unit: civicgrid.WorkingDays}
			for _, withPending := range []bool{false, true} {
				c.PendingExtension = nil
				if withPending {
					c.PendingExtension = pending
				}
				got := wf.Allowed(c, actor, grid)
				for action, want := range expectedRules {
					allowed := slices.Contains(want.from, status) && (role == civicgrid.RoleAdmin || slices.Contains(want.roles, role))
					switch action {
					case "extend_request":
						allowed = allowed && !withPending
					case "extend_approve", "extend_deny":
						allowed = allowed && withPending
					}
					if slices.Contains(got, action) != allowed {
						t.Errorf("status %s, role %s, pending extension %v: %s allowed = %v, want %v",
							status, role, withPending, action, !allowed, allowed)
					}
				}
			}
		}
	}
}

// TestWorkflowTargets checks where each transition leads and which clock it
// starts.
func TestWorkflowTargets(t *testing.T) {
	wf := civicgrid.DefaultWorkflow()
	tests := []struct {
		action civicgrid.Action
		to     civicgrid.Status
		starts civicgrid.Stage
	}{
		{"verify_request", "verifying", "verify"},
		{"verify_pass", "reported", "file"},
		{"verify_fail", "cancelled", ""},
		{"file", "filed", "dispatch"},
		{"cancel", "cancelled", ""},
		{"dispatch", "dispatched", "sign"},
		{"return", "filed", "dispatch"},
		{"sign", "handling", "handle"},
		{"extend_request", "", ""},
		{"suspend", "suspended", ""},
		{"resume", civicgrid.Previous, ""},
		{"finish", "handled", "check"},
		{"check_request", "checking", ""},
		{"check_pass", "checked", "close"},
		{"check_fail", "handling", "handle"},
		{"close", "closed", ""},
		{"urge", "", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			r := wf.Rule(tt.action)
			if r == nil {
				t.Fatal("no rule")
			}
			if r.To != tt.to || r.Starts != tt.starts {
				t.Errorf("to %q starts %q, want to %q starts %q", r.To, r.Starts, tt.to, tt.starts)
			}
		})
	}
}

// TestSecondExtensionNeedsLeader checks the escalation rule: a dispatcher
// approves the first extension, only a leader the second.
func TestSecondExtensionNeedsLeader(t *testing.T) {
	wf := civicgrid.DefaultWorkflow()
	actors := actorsByRole()
	grid := testGrid(actors[civicgrid.RoleInspector].ID)
	c := &civicgrid.Case{Status: "handling", CellCode: testCell, UnitID: 7,
		PendingExtension: &civicgrid.TimeLimit{Amount: 2, Unit: civicgrid.WorkingDays}}
	for _, tt := range []struct {
		extensions int
		role       civicgrid.Role
		want       bool
	}{
		{0, "dispatcher", true}, {0, "leader", false}, {1, "dispatcher", false}, {1, "leader", true}, {2, "leader", true}, {1, "admin", true},
	} {
		c.Extensions = tt.extensions
		got := slices.Contains(wf.Allowed(c, actors[tt.role], grid), civicgrid.ActionExtendApprove)
		if got != tt.want {
			t.Errorf("extensions %d, %s: approve allowed = %v, want %v", tt.extensions, tt.role, got, tt.want)
		}
	}
}

// TestScopeLimitsActions checks that role alone is not enough: the unit,
// the tasked inspector and the area must fit.
func TestScopeLimitsActions(t *testing.T) {
	wf := civicgrid.DefaultWorkflow()
	actors := actorsByRole()
	grid := testGrid(actors[civicgrid.RoleInspector].ID)
	otherUnit := &civicgrid.User{ID: 50, Role: civicgrid.RoleUnit, UnitID: 8, Active: true}
	otherInspector := &civicgrid.User{ID: 51, Role: civicgrid.RoleInspector, Active: true}
	farLeader := &civicgrid.User{ID: 52, Role: civicgrid.RoleLeader, AreaCode: "330106", Active: true}
	nearLeader := &civicgrid.User{ID: 53, Role: civicgrid.RoleLeader, AreaCode: "330102001", Active: true}
	tests := []struct {
		name   string
		status civicgrid.Status
		tasked civicgrid.UserID
		actor  *civicgrid.User
		action civicgrid.Action
		want   bool
	}{
		{"own unit signs", "dispatched", 0, actors[civicgrid.RoleUnit], "sign", true},
		{"other unit may not sign", "dispatched", 0, otherUnit, "sign", false},
		{"tasked inspector checks", "checking", actors[civicgrid.RoleInspector].ID, actors[civicgrid.RoleInspector], "check_pass", true},
		{"untasked inspector may not check", "checking", actors[civicgrid.RoleInspector].ID, otherInspector, "check_pass", false},
		{"cell inspector takes an untasked check", "checking", 0, actors[civicgrid.RoleInspector], "check_pass", true},
		{"leader of another district may not urge", "handling", 0, farLeader, "urge", false},
		{"leader of the street urges", "handling", 0, nearLeader, "urge", true},
		{"citizen may do nothing", "reported", 0, actors[civicgrid.RoleCitizen], "file", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &civicgrid.Case{Status: tt.status, CellCode: testCell, UnitID: 7, InspectorID: tt.tasked}
			got := slices.Contains(wf.Allowed(c, tt.actor, grid), tt.action)
			if got != tt.want {
				t.Errorf("allowed = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWorkflowValidate rejects malformed tables.
func TestWorkflowValidate(t *testing.T) {
	tests := []struct {
		name string
		rule civicgrid.Rule
	}{
		{"no action", civicgrid.Rule{From: []civicgrid.Status{"reported"}, Roles: []civicgrid.Role{"operator"}}},
		{"no from", civicgrid.Rule{Action: "x", Roles: []civicgrid.Role{"operator"}}},
		{"bad target", civicgrid.Rule{Action: "x", From: []civicgrid.Status{"reported"}, To: "nowhere", Roles: []civicgrid.Role{"operator"}}},
		{"bad stage", civicgrid.Rule{Action: "x", From: []civicgrid.Status{"reported"}, Starts: "lunch", Roles: []civicgrid.Role{"operator"}}},
		{"no roles", civicgrid.Rule{Action: "x", From: []civicgrid.Status{"reported"}}},
		{"bad from", civicgrid.Rule{Action: "x", From: []civicgrid.Status{"limbo"}, Roles: []civicgrid.Role{"operator"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.rule
			wf := &civicgrid.Workflow{Version: 2, Rules: []*civicgrid.Rule{&r}}
			if err := wf.Validate(); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Errorf("Validate() = %v, want an invalid error", err)
			}
		})
	}
}
