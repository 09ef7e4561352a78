package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"civicgrid"
)

// Traffic lights of a running stage clock: green while less than 80% of
// the stage's time is used, yellow up to its deadline, red once overdue.
const (
	lightGreen  = "green"
	lightYellow = "yellow"
	lightRed    = "red"
)

// stageLight returns the traffic light of c's running stage at now, and
// the fraction of its time used; "" when no clock runs (closed,
// cancelled, suspended).
func stageLight(city *civicgrid.City, c *civicgrid.Case, now time.Time) (string, float64) {
	if !c.Status.Open() || c.Status == civicgrid.StatusSuspended || c.Deadline == nil || c.StageStartedAt == nil {
		return "", 0
	}
	used := city.Calendar.Used(*c.StageStartedAt, *c.Deadline, now, c.StageLimit.Unit)
	switch {
	case used > 1:
		return lightRed, used
	case used >= 0.8:
		return lightYellow, used
	}
	return lightGreen, used
}

// caseRow is a case in a list.
type caseRow struct {
	ID          civicgrid.CaseID
	Number      string
	Category    string
	Status      string
	StatusCode  civicgrid.Status
	Place       string
	Created     time.Time
	Deadline    time.Time
	Light       string
	LightText   string
	Used        int // percent of the stage's time used
	Urgent      bool
	Description string
	Actions     []string // what the viewer may do now
}

// caseRow describes c for a list shown to the viewer of p.
func (s *Server) caseRow(p *page, city *civicgrid.City, c *civicgrid.Case, allowed []civicgrid.Action, now time.Time) caseRow {
	row := caseRow{ID: c.ID, Number: c.Number, Category: categoryName(p, city, c.CategoryCode), Status: p.Text(c.Status.Name()),
		StatusCode: c.Status, Place: placeName(city, c), Created: c.CreatedAt, Urgent: c.Urgent, Description: shorten(c.Description, 60)}
	if c.Deadline != nil {
		row.Deadline = *c.Deadline
	}
	var used float64
	row.Light, used = stageLight(city, c, now)
	row.Used = int(min(used, 9.99) * 100)
	if row.Light != "" {
		row.LightText = p.T("light." + row.Light)
	}
	for _, a := range allowed {
		row.Actions = append(row.Actions, actionName(p, city, a))
	}
	return row
}

// categoryName names the category with code, or shows the code.
func categoryName(p *page, city *civicgrid.City, code string) string {
	if cat := city.Categories[code]; cat != nil {
		return p.Text(cat.Name)
	}
	return code
}

// placeName names where c is: its community and street, or its cell.
func placeName(city *civicgrid.City, c *civicgrid.Case) string {
	g := city.Grid
	street, community := g.Area(c.StreetCode), g.Area(c.CommunityCode)
	switch {
	case street != nil && community != nil:
		return street.Name + " · " + community.Name
	case street != nil:
		return street.Name
	}
	return c.CellCode
}

// actionName names an action: its rule's name, or the catalogue's name of
// the actions no rule has (report, overdue, fold, ...).
func actionName(p *page, city *civicgrid.City, a civicgrid.Action) string {
	if r := city.Workflow.Rule(a); r != nil {
		return p.Text(r.Name)
	}
	return p.T("action." + string(a))
}

// shorten cuts s to at most n characters.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// optgroup is a labelled group of choices.
type optgroup struct {
	Label   string
	Options []option
}

// categoryGroups returns the active categories grouped by class, in code
// order, with selected marked; only public ones when public is set.
func categoryGroups(p *page, city *civicgrid.City, public bool, selected string) []optgroup {
	cats := make([]*civicgrid.Category, 0, len(city.Categories))
	for _, c := range city.Categories {
		if c.Active && (!public || c.Public) {
			cats = append(cats, c)
		}
	}
	slices.SortFunc(cats, func(a, b *civicgrid.Category) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ClassCode, b.ClassCode), cmp.Compare(a.Code, b.Code))
	})
	var out []optgroup
	for _, c := range cats {
		label := p.Text(c.ClassName)
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, optgroup{Label: label})
		}
		g := &out[len(out)-1]
		g.Options = append(g.Options, option{Value: c.Code, Label: p.Text(c.Name), Selected: c.Code == selected})
	}
	return out
}

// statusOptions returns every status, with selected marked.
func statusOptions(p *page, selected string) []option {
	out := make([]option, 0, len(civicgrid.Statuses))
	for _, st := range civicgrid.Statuses {
		out = append(out, option{Value: string(st), Label: p.Text(st.Name()), Selected: string(st) == selected})
	}
	return out
}

// areaOptions returns the areas of level under parent ("" for all), by
// code, with selected marked.
func areaOptions(city *civicgrid.City, level civicgrid.AreaLevel, parent, selected string) []option {
	var out []option
	for _, a := range city.Grid.Areas() {
		if a.Level == level && (parent == "" || a.ParentCode == parent) {
			out = append(out, option{Value: a.Code, Label: a.Name, Selected: a.Code == selected})
		}
	}
	slices.SortFunc(out, func(a, b option) int { return cmp.Compare(a.Value, b.Value) })
	return out
}

// pathID parses the {id} path value of a page.
func pathID(r *http.Request) (civicgrid.CaseID, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, civicgrid.Errorf(civicgrid.NotFound, "no case %q", r.PathValue("id"))
	}
	return civicgrid.CaseID(id), nil
}
