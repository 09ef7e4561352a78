package open311

import (
	"slices"
	"strings"

	"civicgrid"
)

// extendedStatus maps civicgrid's statuses to FixMyStreet's extended
// statuses (OPEN311.md §2.4), shown with extensions=true and in
// servicerequestupdates (upper-cased there). A new report is open, not
// for_triage: FixMyStreet treats for_triage as hidden from the public. A
// cancelled case is no_further_action, or duplicate when it was cancelled
// by being merged into another case.
var extendedStatus = map[civicgrid.Status]string{
	civicgrid.StatusReported:   "open",
	civicgrid.StatusVerifying:  "investigating",
	civicgrid.StatusFiled:      "action_scheduled",
	civicgrid.StatusDispatched: "action_scheduled",
	civicgrid.StatusHandling:   "in_progress",
	civicgrid.StatusHandled:    "in_progress",
	civicgrid.StatusChecking:   "in_progress",
	civicgrid.StatusChecked:    "in_progress",
	civicgrid.StatusClosed:     "fixed",
	civicgrid.StatusCancelled:  "no_further_action",
	civicgrid.StatusSuspended:  "planned",
}

// statusDuplicate is the extended status of a case merged into another.
const statusDuplicate = "duplicate"

// baseStatus is the spec's status: open until the case is closed or
// cancelled.
func baseStatus(s civicgrid.Status) string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

// requestStatus returns the status shown for a case in s: the extended one
// when ext, "duplicate" for a case merged into another.
func requestStatus(s civicgrid.Status, merged, ext bool) string {
	switch {
	case !ext:
		return baseStatus(s)
	case merged && s == civicgrid.StatusCancelled:
		return statusDuplicate
	}
	return extendedStatus[s]
}

// statusFilter returns the statuses that the status parameter's values
// select: open, closed, or any extended status we show. An extended status
// selects the statuses that map to it; duplicate and no_further_action
// both select the cancelled cases.
func statusFilter(vals []string) ([]civicgrid.Status, error) {
	var out []civicgrid.Status
	for _, v := range vals {
		v = strings.ToLower(v)
		if !knownStatus(v) {
			return nil, civicgrid.FieldError("status", "must be open or closed (or an extended status: investigating, action_scheduled, in_progress, planned, fixed, no_further_action, duplicate)")
		}
		for _, s := range civicgrid.Statuses {
			selected := v == baseStatus(s) || v == extendedStatus[s] || (v == statusDuplicate && s == civicgrid.StatusCancelled)
			if selected && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// knownStatus reports whether v is a status we show.
func knownStatus(v string) bool {
	if v == "open" || v == "closed" || v == statusDuplicate {
		return true
	}
	for _, e := range extendedStatus {
		if e == v {
			return true
		}
	}
	return false
}

// updateStatuses are the statuses a FixMyStreet update may carry.
var updateStatuses = []string{"OPEN", "CLOSED", "FIXED", "INVESTIGATING", "ACTION_SCHEDULED", "IN_PROGRESS", "PLANNED",
	"NO_FURTHER_ACTION", "NOT_COUNCILS_RESPONSIBILITY", "DUPLICATE", "INTERNAL_REFERRAL", "CANCELLED", "REOPEN", "FOR_TRIAGE"}
