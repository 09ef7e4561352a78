package demo

import (
	"fmt"

	"civicgrid"
)

// deptSpec is a city-wide department or company and the category prefixes
// it answers for across the city.
type deptSpec struct {
	code, zh, en, kind string
	prefixes           []string
}

// departments are the city's professional units. Class-level prefixes
// ("01" every municipal-facility component) are refined by item-level ones
// ("01037" street lights), as the most specific rule wins.
var departments = []deptSpec{
	{"municipal", "市政设施管理处", "Municipal Facilities Office", "department",
		[]string{"01", "02", "06013", "06016", "06048", "06049", "06050", "06051", "06052", "08003", "10001"}},
	{"sanitation", "环境卫生管理处", "Sanitation Office", "department",
		[]string{"03", "06042", "06033"}},
	{"greening", "园林绿化管理处", "Parks and Greening Office", "department",
		[]string{"04", "06017", "06018", "06021", "06022", "06045", "06047"}},
	{"streetlight", "路灯管理所", "Street Lighting Office", "department",
		[]string{"01006", "01037", "01038", "01039", "01060"}},
	{"river", "河道管理处", "Rivers Office", "department",
		[]string{"01069", "01070", "01071", "06023", "06024", "06025", "06026", "06046"}},
	{"water", "供水公司", "Water Supply Company", "company",
		[]string{"01001", "01019", "01024", "01025", "01063", "01068"}},
	{"gas", "燃气公司", "Gas Company", "company",
		[]string{"01011", "01021", "01049", "01057"}},
	{"power", "电力公司", "Power Supply Company", "company",
		[]string{"01005", "01017", "01028", "01029", "01030", "01047", "01048", "01054"}},
	{"telecom", "通信公司", "Telecom Company", "company",
		[]string{"01007", "01008", "01009", "01027", "01031", "01062", "10002"}},
	{"traffic-police", "交警支队", "Traffic Police Detachment", "department",
		[]string{"02010", "02014", "02015", "02016", "09009", "09012"}},
	{"market", "市场监督管理局", "Market Regulation Bureau", "department",
		[]string{"09015", "09020"}},
}

// streetOfficePrefixes are the classes a street office with its own law
// enforcement team (综合执法队) takes over from its district bureau: street
// order, advertising and the city's appearance.
var streetOfficePrefixes = []string{"06", "07", "09"}

// streetOffices is how many streets of each district run their own team.
const streetOfficesPerDistrict = 4

// unitPlan is a unit to create and the routing rules that point at it.
type unitPlan struct {
	unit  *civicgrid.Unit
	rules []*civicgrid.RoutingRule // UnitID filled in once the unit has an ID
	login string                   // the handler's login name
}

// planUnits lists the departments, the four district bureaus (属地: every
// category of their district not claimed by a department) and a few street
// offices (属地 at street level for street order and appearance).
func planUnits(g *geography) []*unitPlan {
	var out []*unitPlan
	for _, d := range departments {
		p := &unitPlan{unit: &civicgrid.Unit{Code: d.code, Name: civicgrid.Text{Zh: d.zh, En: d.en}, Kind: d.kind,
			Phone: phoneFor(d.code), Active: true}, login: "unit-" + d.code}
		for _, prefix := range d.prefixes {
			p.rules = append(p.rules, &civicgrid.RoutingRule{CategoryPrefix: prefix})
		}
		out = append(out, p)
	}
	for _, d := range g.districts {
		p := &unitPlan{unit: &civicgrid.Unit{Code: "bureau-" + d.spec.pinyin,
			Name: civicgrid.Text{Zh: d.spec.zh + "城市管理局", En: d.spec.en + " Urban Management Bureau"},
			Kind: "district", AreaCode: d.spec.code, Phone: phoneFor(d.spec.code), Active: true},
			login: "unit-" + d.spec.pinyin}
		p.rules = append(p.rules, &civicgrid.RoutingRule{CategoryPrefix: "", AreaPrefix: d.spec.code})
		out = append(out, p)
	}
	for _, d := range g.districts {
		// Every other street, from the first, has its own team.
		for i := 0; i < streetOfficesPerDistrict; i++ {
			s := d.streets[i*2]
			p := &unitPlan{unit: &civicgrid.Unit{Code: "street-" + s.spec.pinyin,
				Name: civicgrid.Text{Zh: s.spec.zh + "办事处", En: fmt.Sprintf("%s Street Office", title(s.spec.pinyin))},
				Kind: "street", AreaCode: s.area.Code, Phone: phoneFor(s.area.Code), Active: true},
				login: "unit-" + s.spec.pinyin}
			for _, prefix := range streetOfficePrefixes {
				p.rules = append(p.rules, &civicgrid.RoutingRule{CategoryPrefix: prefix, AreaPrefix: s.area.Code})
			}
			out = append(out, p)
		}
	}
	return out
}

// phoneFor makes up a stable office phone number (0571 is Hangzhou's area
// code).
func phoneFor(key string) string {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h = (h ^ uint32(key[i])) * 16777619
	}
	return fmt.Sprintf("0571-8%07d", h%10000000)
}

// title capitalises an ASCII word.
func title(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
