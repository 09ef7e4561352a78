package civicgrid

// Status is where a case stands in the workflow.
type Status string

// The statuses.
const (
	StatusReported   Status = "reported"   // 待受理
	StatusVerifying  Status = "verifying"  // 核实中
	StatusFiled      Status = "filed"      // 已立案
	StatusDispatched Status = "dispatched" // 已派遣
	StatusHandling   Status = "handling"   // 处置中
	StatusHandled    Status = "handled"    // 已处置待核查
	StatusChecking   Status = "checking"   // 核查中
	StatusChecked    Status = "checked"    // 核查通过待结案
	StatusClosed     Status = "closed"     // 已结案
	StatusCancelled  Status = "cancelled"  // 已作废
	StatusSuspended  Status = "suspended"  // 挂账
)

// Statuses lists every status in workflow order.
var Statuses = []Status{
	StatusReported, StatusVerifying, StatusFiled, StatusDispatched, StatusHandling,
	StatusHandled, StatusChecking, StatusChecked, StatusClosed, StatusCancelled, StatusSuspended,
}

var statusNames = map[Status]Text{
	StatusReported:   {"待受理", "Reported"},
	StatusVerifying:  {"核实中", "Verifying"},
	StatusFiled:      {"已立案", "Filed"},
	StatusDispatched: {"已派遣", "Dispatched"},
	StatusHandling:   {"处置中", "Handling"},
	StatusHandled:    {"已处置待核查", "Handled, awaiting check"},
	StatusChecking:   {"核查中", "Checking"},
	StatusChecked:    {"核查通过待结案", "Checked, awaiting close"},
	StatusClosed:     {"已结案", "Closed"},
	StatusCancelled:  {"已作废", "Cancelled"},
	StatusSuspended:  {"挂账", "Suspended"},
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Name returns the status's display name.
func (s Status) Name() Text { return statusNames[s] }

// Open reports whether a case in s still needs work (not closed or
// cancelled).
func (s Status) Open() bool { return s.Valid() && s != StatusClosed && s != StatusCancelled }

// Action is something an actor does to a case: a workflow transition or an
// action that changes no status (urge, extension requests).
type Action string
