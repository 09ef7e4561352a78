package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"civicgrid"
)

// The component register (部件台账) of the demo city: the street lamps,
// manhole covers, bins, trees and railings its component cases are about.
const (
	// componentShare is the share of cases of a registered class that name
	// the component they are about; the rest describe it in words only.
	componentShare = 0.25
	// chronicComponents keep breaking: each gets cases of its class moved
	// to its cell, most of them in the last two months.
	chronicComponents = 6
	// chronicRecent and chronicEarlier are how many cases a chronic
	// component gets at most in the last 60 days and in the months before.
	chronicRecent, chronicEarlier = 5, 3
)

// componentPlan is a registered component; its units are the routing
// rules' unit for its class and cell, known once the units are stored.
type componentPlan struct {
	code  string
	cat   *civicgrid.Category
	cell  *geoCell
	u, v  float64 // its position in the cell
	state string
}

// componentPlanner draws the register from its own random stream, so that
// the cases and their lives draw what they drew before there was one.
type componentPlanner struct {
	r      *rand.Rand
	serial map[string]int              // the next serial by district and class
	byPair map[string][]*componentPlan // the components of a cell and class
	out    []*componentPlan
}

// planComponents registers components for the cases of the registered
// classes (the common component categories): a share of those cases name
// one in their cell, and a few chronic components collect cases of their
// class moved to their cell, so that the same lamp or cover fails again
// and again. plans are in time order and end at now.
func planComponents(seed int64, plans []*casePlan, now time.Time) []*componentPlan {
	p := &componentPlanner{r: rand.New(rand.NewPCG(uint64(seed), 0x6275206a69616e)), serial: map[string]int{},
		byPair: map[string][]*componentPlan{}}
	var registered []*casePlan
	for _, c := range plans {
		if c.cat.Kind == civicgrid.Component && categoryWeights[c.cat.Code] > 0 {
			registered = append(registered, c)
		}
	}
	if len(registered) == 0 {
		return nil
	}
	p.chronic(registered, now)
	for _, c := range registered {
		if c.component != nil || p.r.Float64() >= componentShare {
			continue
		}
		comps := p.byPair[pairKey(c.cell, c.cat)]
		if len(comps) == 0 || (len(comps) == 1 && p.r.Float64() < 0.2) {
			comps = append(comps, p.add(c.cell, c.cat, ""))
		}
		c.component = comps[p.r.IntN(len(comps))]
	}
	return p.out
}

// chronic picks the chronic components: each in the cell of a recent case
// of its class, with other cases of the class moved there.
func (p *componentPlanner) chronic(registered []*casePlan, now time.Time) {
	recent := now.AddDate(0, 0, -60)
	for range chronicComponents {
		anchor := registered[len(registered)-1-p.r.IntN(min(len(registered), 200))]
		if anchor.component != nil {
			continue
		}
		comp := p.add(anchor.cell, anchor.cat, "破损")
		anchor.component = comp
		var moved, earlier int
		for i := len(registered) - 1; i >= 0 && (moved < chronicRecent || earlier < chronicEarlier); i-- {
			c := registered[i]
			if c.cat != comp.cat || c.component != nil || c.stuck != "" || p.r.Float64() < 0.3 {
				continue
			}
			if c.at.After(recent) {
				if moved >= chronicRecent {
					continue
				}
				moved++
			} else {
				if earlier >= chronicEarlier {
					break
				}
				earlier++
			}
			c.cell, c.component = comp.cell, comp
		}
	}
}

// add registers a new component of cat in cell.
func (p *componentPlanner) add(cell *geoCell, cat *civicgrid.Category, state string) *componentPlan {
	district := cell.cell.DistrictCode()
	key := district + cat.Code
	p.serial[key]++
	if state == "" {
		state = "完好"
		if p.r.Float64() < 0.15 {
			state = "破损"
		}
	}
	c := &componentPlan{code: fmt.Sprintf("%s%s%06d", district, cat.Code, p.serial[key]), cat: cat, cell: cell,
		u: 0.1 + 0.8*p.r.Float64(), v: 0.1 + 0.8*p.r.Float64(), state: state}
	p.byPair[pairKey(cell, cat)] = append(p.byPair[pairKey(cell, cat)], c)
	p.out = append(p.out, c)
	return c
}

// pairKey names a cell and a class.
func pairKey(cell *geoCell, cat *civicgrid.Category) string { return cell.cell.Code + "|" + cat.Code }

// name is how the register names the component: its kind and where it
// stands, 路灯·解放路12号旁.
func (c *componentPlan) name() string {
	kind := strings.TrimSuffix(strings.TrimSuffix(c.cat.Name.Zh, "异常"), "及标线")
	return fmt.Sprintf("%s·%s%d号旁", kind, c.cell.road, c.cell.number)
}

// register returns the component as stored: maintained by the unit the
// routing rules give its class and cell, so a case that names it goes
// where it would have gone anyway, and owned by its district's bureau.
func (c *componentPlan) register(city *civicgrid.City, lat *lattice) *civicgrid.RegisteredComponent {
	unit, _ := civicgrid.Route(city.Routing, c.cat.Code, c.cell.cell.Code)
	owner, _ := civicgrid.Route(city.Routing, "", c.cell.cell.Code)
	pt := lat.pointIn(c.cell.c, c.cell.r, c.u, c.v)
	return &civicgrid.RegisteredComponent{Code: c.code, CategoryCode: c.cat.Code, Name: c.name(), CellCode: c.cell.cell.Code,
		Point:     civicgrid.Point{Lat: math.Round(pt.Lat*1e6) / 1e6, Lon: math.Round(pt.Lon*1e6) / 1e6},
		OwnerUnit: owner, Maintainer: unit, State: c.state}
}
