package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"civicgrid"
)

// staff is every demo user, by what they do in the case histories.
type staff struct {
	all          []*civicgrid.User
	admin        *civicgrid.User
	operators    []*civicgrid.User // day, evening, night shift
	shiftLeaders []*civicgrid.User
	dispatchers  []*civicgrid.User
	leader       *civicgrid.User            // city-wide
	leaders      map[string]*civicgrid.User // district code → district leader
	citizens     []*civicgrid.User
	inspectors   []*civicgrid.User
	handlers     []*civicgrid.User // one per unit plan, in plan order
	handlerKind  []string          // the kind of each handler's unit

	// inspectorOf maps a community to the inspector of its cells.
	inspectorOf map[*geoCommunity]*civicgrid.User
}

// cellsPerInspector is about the most cells one inspector patrols.
const cellsPerInspector = 95

// planUsers makes the users of every role. Unit handlers get their UnitID
// once the units are stored.
func planUsers(g *geography, units []*unitPlan, r *rand.Rand, hash string, created time.Time) *staff {
	s := &staff{leaders: map[string]*civicgrid.User{}, inspectorOf: map[*geoCommunity]*civicgrid.User{}}
	used := map[string]bool{}
	add := func(name, display string, role civicgrid.Role, area string) *civicgrid.User {
		if display == "" {
			display = personName(r, used)
		}
		u := &civicgrid.User{Name: name, DisplayName: display, Role: role, AreaCode: area, Phone: mobile(r),
			PasswordHash: hash, Active: true, CreatedAt: created}
		s.all = append(s.all, u)
		return u
	}
	s.admin = add("admin", "系统管理员", civicgrid.RoleAdmin, "")
	for i := 1; i <= 3; i++ {
		s.operators = append(s.operators, add(fmt.Sprintf("operator%d", i), "", civicgrid.RoleOperator, ""))
	}
	for i := 1; i <= 2; i++ {
		s.shiftLeaders = append(s.shiftLeaders, add(fmt.Sprintf("shiftleader%d", i), "", civicgrid.RoleShiftLeader, ""))
	}
	for i := 1; i <= 2; i++ {
		s.dispatchers = append(s.dispatchers, add(fmt.Sprintf("dispatcher%d", i), "", civicgrid.RoleDispatcher, ""))
	}
	for _, p := range units {
		s.handlers = append(s.handlers, add(p.login, "", civicgrid.RoleUnit, ""))
		s.handlerKind = append(s.handlerKind, p.unit.Kind)
	}
	for _, st := range g.streets {
		k := int(math.Ceil(float64(st.cells) / cellsPerInspector))
		var team []*civicgrid.User
		for range k {
			u := add(fmt.Sprintf("inspector%02d", len(s.inspectors)+1), "", civicgrid.RoleInspector, st.area.Code)
			s.inspectors = append(s.inspectors, u)
			team = append(team, u)
		}
		for i, who := range shareOut(st.communities, k) {
			s.inspectorOf[st.communities[i]] = team[who]
		}
	}
	s.leader = add("leader", "", civicgrid.RoleLeader, "")
	d := g.districts[0]
	s.leaders[d.spec.code] = add("leader-"+d.spec.pinyin, "", civicgrid.RoleLeader, d.spec.code)
	for i := 1; i <= 2; i++ {
		s.citizens = append(s.citizens, add(fmt.Sprintf("citizen%d", i), "", civicgrid.RoleCitizen, ""))
	}
	return s
}

// shareOut gives each community to one of k inspectors so that the
// busiest inspector has as few cells as possible, trying every way (a
// street has a handful of communities and at most a few inspectors).
func shareOut(comms []*geoCommunity, k int) []int {
	best, bestMax := make([]int, len(comms)), math.MaxInt
	cur := make([]int, len(comms))
	load := make([]int, k)
	var try func(i int)
	try = func(i int) {
		if i == len(comms) {
			m := slices.Max(load)
			if slices.Min(load) > 0 && m < bestMax {
				bestMax = m
				copy(best, cur)
			}
			return
		}
		for who := range k {
			cur[i] = who
			load[who] += len(comms[i].cells)
			try(i + 1)
			load[who] -= len(comms[i].cells)
		}
	}
	try(0)
	return best
}

// logins lists one or more users of every role for the start-up banner.
func (s *staff) logins() []Login {
	var out []Login
	add := func(u *civicgrid.User) { out = append(out, Login{Name: u.Name, Role: u.Role, Password: Password}) }
	add(s.admin)
	for _, u := range s.operators {
		add(u)
	}
	for _, u := range s.shiftLeaders {
		add(u)
	}
	for _, u := range s.dispatchers {
		add(u)
	}
	for _, name := range []string{"unit-sanitation", "unit-municipal", "unit-greening"} {
		for _, u := range s.handlers {
			if u.Name == name {
				add(u)
			}
		}
	}
	// The first district bureau and the first street office.
	for _, kind := range []string{"district", "street"} {
		for i, u := range s.handlers {
			if s.handlerKind[i] == kind {
				add(u)
				break
			}
		}
	}
	add(s.inspectors[0])
	add(s.inspectors[1])
	add(s.leader)
	for _, u := range s.leaders {
		add(u)
	}
	for _, u := range s.citizens {
		add(u)
	}
	return out
}

// personName draws a Chinese name not drawn before.
func personName(r *rand.Rand, used map[string]bool) string {
	for {
		name := []rune{surnames[r.IntN(len(surnames))], givenChars[r.IntN(len(givenChars))]}
		if r.IntN(3) > 0 {
			name = append(name, givenChars[r.IntN(len(givenChars))])
		}
		if s := string(name); !used[s] {
			used[s] = true
			return s
		}
	}
}

// mobile makes up a mainland mobile number.
func mobile(r *rand.Rand) string {
	prefixes := [...]string{"133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "176", "177", "180", "181", "186", "187", "188", "189", "199"}
	return fmt.Sprintf("%s%08d", prefixes[r.IntN(len(prefixes))], r.IntN(100000000))
}
