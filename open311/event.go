package open311

import (
	"civicgrid"
)

// actionNames name the actions that are not rules of the workflow table
// (whose rules carry their own names).
var actionNames = map[civicgrid.Action]civicgrid.Text{
	civicgrid.ActionReport:     {Zh: "上报", En: "Reported"},
	civicgrid.ActionFold:       {Zh: "同一问题再次上报，已合并", En: "Reported again, folded in"},
	civicgrid.ActionMerge:      {Zh: "合并重复案件", En: "Duplicate request merged in"},
	civicgrid.ActionMergedInto: {Zh: "作为重复案件合并", En: "Merged as a duplicate"},
	civicgrid.ActionSplit:      {Zh: "拆分出新案件", En: "Split into a new request"},
	civicgrid.ActionComment:    {Zh: "留言", En: "Comment"},
	civicgrid.ActionRate:       {Zh: "满意度评价", En: "Result rated"},
	civicgrid.ActionOverdue:    {Zh: "超时", En: "Overdue"},
}

// actionName returns the display name of action a.
func actionName(city *civicgrid.City, a civicgrid.Action) civicgrid.Text {
	if r := city.Workflow.Rule(a); r != nil {
		return r.Name
	}
	if t, ok := actionNames[a]; ok {
		return t
	}
	return civicgrid.Text{Zh: string(a)}
}

// shown reports whether a public event is shown to Open311 clients: all
// but the overdue marks, which are the command centre's own bookkeeping.
func shown(e *civicgrid.CaseEvent) bool { return e.Action != civicgrid.ActionOverdue }

// summary describes event e: the action's name and its note.
func summary(city *civicgrid.City, e *civicgrid.CaseEvent, lang string) string {
	name := actionName(city, e.Action).In(lang)
	if e.Note == "" {
		return name
	}
	if lang == "en" {
		return name + ": " + e.Note
	}
	return name + "：" + e.Note
}

// noteType is the type of a note in Chicago's vocabulary: submitted,
// opened (filed), closed, or activity for everything in between.
func noteType(a civicgrid.Action) string {
	switch a {
	case civicgrid.ActionReport:
		return "submitted"
	case civicgrid.ActionFile:
		return "opened"
	case civicgrid.ActionClose, civicgrid.ActionCancel, civicgrid.ActionVerifyFail, civicgrid.ActionMergedInto:
		return "closed"
	}
	return "activity"
}

// notes renders the events as the extension's activity history.
func notes(city *civicgrid.City, events []*civicgrid.CaseEvent, lang string) list {
	var items []any
	for _, e := range events {
		if shown(e) {
			items = append(items, object{
				{"datetime", timeIn(&e.At, city.Location())},
				{"type", noteType(e.Action)},
				{"summary", summary(city, e, lang)},
			})
		}
	}
	return list{"note", items}
}

// statusNotes returns the note of the last event that says why the status
// is what it is: a workflow action's note, not the words of reporters
// (reports, folded reports, comments).
func statusNotes(events []*civicgrid.CaseEvent) string {
	for i := len(events) - 1; i >= 0; i-- {
		switch e := events[i]; e.Action {
		case civicgrid.ActionReport, civicgrid.ActionFold, civicgrid.ActionComment, civicgrid.ActionOverdue:
		default:
			if e.Note != "" {
				return e.Note
			}
		}
	}
	return ""
}
