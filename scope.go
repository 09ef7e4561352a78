package civicgrid

import (
	"slices"
	"strings"
)

// CanSee reports whether u may see case c: staff within their area, a unit
// handler the cases dispatched to their unit, an inspector their tasks and
// the cases in their cells, a citizen their own reports.
func (u *User) CanSee(c *Case, g *Grid) bool {
	switch u.Role {
	case RoleAdmin, RoleSystem:
		return true
	case RoleOperator, RoleShiftLeader, RoleDispatcher, RoleLeader:
		return strings.HasPrefix(c.CellCode, u.AreaCode)
	case RoleUnit:
		return c.UnitID != 0 && c.UnitID == u.UnitID
	case RoleInspector:
		return c.InspectorID == u.ID || u.inspects(c.CellCode, g)
	case RoleCitizen:
		return c.Reporter.UserID != 0 && c.Reporter.UserID == u.ID
	}
	return false
}

// canActOn reports whether u's scope covers acting on c. An inspector acts
// on the cases tasked to them, or on untasked cases in their cells.
func (u *User) canActOn(c *Case, g *Grid) bool {
	switch u.Role {
	case RoleInspector:
		return c.InspectorID == u.ID || (c.InspectorID == 0 && u.inspects(c.CellCode, g))
	case RoleCitizen:
		return false
	}
	return u.CanSee(c, g)
}

// inspects reports whether u is assigned to the cell.
func (u *User) inspects(cellCode string, g *Grid) bool {
	if g == nil {
		return false
	}
	cell := g.Cell(cellCode)
	return cell != nil && slices.Contains(cell.Inspectors, u.ID)
}

// ScopeFilter narrows f to what u may see.
func (u *User) ScopeFilter(f *CaseFilter) {
	switch u.Role {
	case RoleOperator, RoleShiftLeader, RoleDispatcher, RoleLeader:
		f.ScopeArea = u.AreaCode
	case RoleUnit:
		f.ScopeUnit = u.UnitID
	case RoleInspector:
		f.ScopeInspector = u.ID
	case RoleCitizen:
		f.ScopeReporter = u.ID
	}
}
