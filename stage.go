package civicgrid

// Stage is a clocked step of a case's life. Each stage has a time limit
// (per category, with city-wide defaults) and its deadline is computed on
// the working calendar when the stage starts.
type Stage string

// The stages, in the order a case normally passes them.
const (
	StageAccept   Stage = "accept"   // 受理: the operator takes up a new report
	StageVerify   Stage = "verify"   // 核实: an inspector verifies on site
	StageFile     Stage = "file"     // 立案: the case is filed (or rejected)
	StageDispatch Stage = "dispatch" // 派遣: the dispatcher sends it to a unit
	StageSign     Stage = "sign"     // 签收: the unit signs for it
	StageHandle   Stage = "handle"   // 处置: the unit handles it
	StageCheck    Stage = "check"    // 核查: an inspector checks the result
	StageClose    Stage = "close"    // 结案: the shift leader closes it
)

// Stages lists every stage in order.
var Stages = []Stage{StageAccept, StageVerify, StageFile, StageDispatch, StageSign, StageHandle, StageCheck, StageClose}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	for _, v := range Stages {
		if s == v {
			return true
		}
	}
	return false
}

// StageLimits maps a stage to its time limit.
type StageLimits map[Stage]TimeLimit

// DefaultStageLimits are the city-wide limits used when a category does not
// set its own. They follow common practice in Chinese command centres
// (受理 and 核实 within half an hour to an hour of working time, 核查 within
// two working hours); a city edits them as data.
func DefaultStageLimits() StageLimits {
	return StageLimits{
		StageAccept:   {Amount: 0.5, Unit: WorkingHours},
		StageVerify:   {Amount: 1, Unit: WorkingHours},
		StageFile:     {Amount: 0.5, Unit: WorkingHours},
		StageDispatch: {Amount: 0.5, Unit: WorkingHours},
		StageSign:     {Amount: 1, Unit: WorkingHours},
		StageHandle:   {Amount: 1, Unit: WorkingDays},
		StageCheck:    {Amount: 2, Unit: WorkingHours},
		StageClose:    {Amount: 1, Unit: WorkingHours},
	}
}

// Get returns the limit for s, falling back to fallback when l has none.
func (l StageLimits) Get(s Stage, fallback StageLimits) TimeLimit {
	if v, ok := l[s]; ok && !v.IsZero() {
		return v
	}
	return fallback[s]
}
