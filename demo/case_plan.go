package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"civicgrid"
)

// casePlan is what is known of a case before its life is played: when,
// where and how it was reported, and, for the cases still open at the end,
// the status it is stuck in.
type casePlan struct {
	at     time.Time
	source civicgrid.Source
	cat    *civicgrid.Category
	cell   *geoCell
	u, v   float64 // the position inside the cell
	year   int
	seq    int
	stuck  civicgrid.Status // "" for a case that lives its life
	// component is the registered component the case names, if any.
	component *componentPlan
}

// number returns the case's public number, as CaseService.Report makes it.
func (p *casePlan) number() string { return fmt.Sprintf("%d-%06d", p.year, p.seq) }

// sourceShares are the channels cases come in through.
var sourceShares = []struct {
	source civicgrid.Source
	weight float64
}{
	{civicgrid.SourceInspector, 60}, {civicgrid.SourceHotline, 20}, {civicgrid.SourceCamera, 8},
	{civicgrid.SourceWeb, 5}, {civicgrid.SourceWalkIn, 2.5}, {civicgrid.SourceVisit, 2},
	{civicgrid.SourcePatrol, 2}, {civicgrid.SourceLeader, 0.5},
}

// hourWeights say when in the day each channel reports. Inspectors patrol
// in the day and into the evening, cameras never sleep, citizens write in
// the evening, walk-in stations keep office hours.
var hourWeights = map[civicgrid.Source][24]float64{
	civicgrid.SourceInspector: {0, 0, 0, 0, 0, 0, 0.2, 1.5, 4, 5, 5, 4, 1.2, 1.8, 4.5, 5, 4.5, 3, 1.2, 1, 0.8, 0.4, 0.1, 0},
	civicgrid.SourcePatrol:    {0, 0, 0, 0, 0, 0, 0, 1, 3, 4, 4, 3, 1, 1.5, 3.5, 4, 3.5, 2, 1.5, 2, 2, 1, 0.2, 0},
	civicgrid.SourceHotline:   {0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 3, 4, 4, 3.5, 2.5, 3, 3.5, 3.5, 3, 2.5, 2, 2, 1.8, 1.5, 1, 0.6},
	civicgrid.SourceCamera:    {0.8, 0.6, 0.5, 0.5, 0.5, 0.7, 1.2, 2, 2.5, 2.5, 2.5, 2.5, 2.2, 2.2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.2, 1.8, 1.4, 1},
	civicgrid.SourceWeb:       {0.5, 0.3, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 1.5, 2, 2, 2, 2.5, 2, 2, 2, 2, 2, 2.5, 3, 3.5, 3.5, 2.5, 1.2},
	civicgrid.SourceWalkIn:    {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 3, 0, 0, 3, 4, 4, 2, 0, 0, 0, 0, 0, 0},
	civicgrid.SourceVisit:     {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 3, 0, 0, 3, 4, 3, 0, 0, 0, 0, 0, 0, 0},
	civicgrid.SourceLeader:    {0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 2, 0, 0, 2, 3, 3, 1, 0, 0, 0, 0, 0, 0},
}

// officeHoursOnly are the channels that report on working days only.
var officeHoursOnly = map[civicgrid.Source]bool{civicgrid.SourceWalkIn: true, civicgrid.SourceVisit: true, civicgrid.SourceLeader: true}

// categoryWeights make the common problems common. Every other category
// of the directory gets otherCategoryWeight.
var categoryWeights = map[string]float64{
	"06010": 110, // 暴露垃圾
	"09005": 85,  // 店外经营
	"06036": 75,  // 乱堆杂物
	"09006": 70,  // 占道经营
	"07001": 65,  // 非法小广告
	"09010": 55,  // 非机动车乱停放
	"09009": 45,  // 机动车乱停放
	"06013": 38,  // 道路破损
	"06012": 35,  // 道路不洁
	"06042": 30,  // 垃圾站（箱）满溢
	"06011": 28,  // 积存垃圾渣土
	"09001": 28,  // 无照经营游商
	"09011": 25,  // 共享单车乱象
	"01037": 24,  // 路灯异常
	"06007": 20,  // 沿街晾挂
	"03005": 18,  // 垃圾箱异常
	"06017": 18,  // 绿地脏乱
	"04002": 15,  // 行道树异常
	"01002": 14,  // 污水井盖异常
	"01003": 14,  // 雨水井盖异常
	"01004": 12,  // 雨水箅子异常
	"06035": 14,  // 废弃家具设备
	"08002": 14,  // 施工占道
	"07003": 14,  // 违规户外广告
	"06041": 12,  // 垃圾未分类
	"02017": 10,  // 交通护栏异常
	"07006": 10,  // 违规牌匾标识
	"08004": 9,   // 工地扬尘
	"06034": 8,   // 废弃车辆
	"06027": 8,   // 油烟污染
	"06029": 8,   // 露天烧烤
	"04013": 8,   // 绿地异常
	"03001": 7,   // 公共厕所异常
	"01001": 6,   // 供水井盖异常
	"01007": 6,   // 通信井盖异常
	"02010": 6,   // 交通标志牌及标线异常
	"06028": 5,   // 噪声扰民
	"01005": 5,   // 电力井盖异常
	"02004": 5,   // 公交站设施异常
	"06040": 5,   // 私设地锁、阻车桩
	"01011": 4,   // 燃气井盖异常
	"02014": 4,   // 交通信号灯异常
	"01046": 4,   // 户外健身设施异常
	"06001": 4,   // 私搭乱建
}

const otherCategoryWeight = 0.6

// cameraWeights are what the AI cameras are trained to spot.
var cameraWeights = map[string]float64{
	"09006": 30, "09005": 30, "09010": 20, "09009": 15, "06010": 20, "06036": 15, "06007": 8,
	"08002": 6, "06042": 8, "09001": 10, "09021": 2, "09022": 3, "06014": 2,
}

// hotspotCategories cluster at the busy places: markets, station squares,
// school gates and night-food streets.
var hotspotCategories = map[string]bool{"09006": true, "09005": true, "09010": true, "09001": true, "06010": true, "09011": true, "06029": true}

// seasonal scales a category's weight by month.
func seasonal(code string, m time.Month) float64 {
	summer := m >= time.June && m <= time.September
	winter := m == time.December || m <= time.February
	switch code {
	case "06029", "06021", "06027": // barbecues, pests, cooking fumes
		if summer {
			return 3
		}
		if winter {
			return 0.4
		}
	case "10001": // snow and ice: a few days a winter in Hangzhou
		if winter {
			return 8
		}
		return 0
	case "04002", "06018": // street trees and green waste after the typhoons
		if m >= time.July && m <= time.September {
			return 2
		}
	}
	return 1
}

// weightedPick draws an index from cumulative weights.
func weightedPick(r *rand.Rand, cum []float64) int {
	x := r.Float64() * cum[len(cum)-1]
	return min(sort.SearchFloat64s(cum, x), len(cum)-1)
}

// cumulative returns running sums of w.
func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		out[i] = s
	}
	return out
}

// planner draws the cases' reports.
type planner struct {
	r     *rand.Rand
	cal   *civicgrid.Calendar
	now   time.Time
	start time.Time
	geo   *geography
	cats  []*civicgrid.Category

	days      []civicgrid.Date
	dayCum    []float64
	workCum   []float64 // days weighted for office-hours channels
	sourceCum []float64
	hourCum   map[civicgrid.Source][]float64
	cellCum   []float64
	hotCells  []*geoCell
	catCum    [13][]float64 // by month, index 0 for cameras
	camCum    []float64
}

// planCases draws n reports over the year before now and numbers them in
// time order, per year, as NextCaseSeq would.
func planCases(r *rand.Rand, cal *civicgrid.Calendar, now time.Time, geo *geography, cats []*civicgrid.Category, n int) []*casePlan {
	p := &planner{r: r, cal: cal, now: now, start: now.AddDate(-1, 0, 0), geo: geo, cats: cats,
		hourCum: map[civicgrid.Source][]float64{}}
	p.weighDays()
	w := make([]float64, len(sourceShares))
	for i, s := range sourceShares {
		w[i] = s.weight
		h := hourWeights[s.source]
		p.hourCum[s.source] = cumulative(h[:])
	}
	p.sourceCum = cumulative(w)
	p.weighCells()
	p.weighCategories()

	plans := make([]*casePlan, n)
	for i := range plans {
		plans[i] = p.draw()
	}
	slices.SortStableFunc(plans, func(a, b *casePlan) int { return a.at.Compare(b.at) })
	seq := map[int]int{}
	for _, c := range plans {
		c.year = c.at.Year()
		seq[c.year]++
		c.seq = seq[c.year]
	}
	p.chooseStuck(plans)
	return plans
}

// weighDays weighs each day of the year: fewer reports at weekends and on
// holidays (far fewer at the Spring Festival), a few more in summer, and
// today only up to now.
func (p *planner) weighDays() {
	holiday := map[civicgrid.Date]string{}
	for _, o := range p.cal.Overrides() {
		if o.Kind == civicgrid.DayHoliday {
			holiday[o.Date] = o.Name.Zh
		}
	}
	var w, ww []float64
	for d := civicgrid.DateOf(p.start); !civicgrid.DateOf(p.now).Before(d); d = d.AddDays(1) {
		x := 1.0
		if !p.cal.IsWorkday(d) {
			x = 0.65
		}
		switch name := holiday[d]; {
		case name == "春节":
			x = 0.35
		case name != "":
			x = 0.6
		}
		doy := float64(d.At(0, p.cal.Location()).YearDay())
		x *= 1 + 0.12*math.Sin(2*math.Pi*(doy-100)/365)
		if d == civicgrid.DateOf(p.now) {
			x *= float64(p.now.Hour()*60+p.now.Minute()) / (24 * 60)
		}
		if d == civicgrid.DateOf(p.start) {
			x *= 1 - float64(p.start.Hour()*60+p.start.Minute())/(24*60)
		}
		p.days = append(p.days, d)
		w = append(w, x)
		if p.cal.IsWorkday(d) {
			ww = append(ww, x)
		} else {
			ww = append(ww, 0)
		}
	}
	p.dayCum, p.workCum = cumulative(w), cumulative(ww)
}

// weighCells makes some places busier than others: every cell varies, a
// few busy communities get more, and some thirty hotspots far more.
func (p *planner) weighCells() {
	busy := map[*geoCommunity]bool{}
	for range 15 {
		busy[p.geo.comms[p.r.IntN(len(p.geo.comms))]] = true
	}
	hot := map[*geoCell]bool{}
	for len(hot) < 30 {
		hot[p.geo.cells[p.r.IntN(len(p.geo.cells))]] = true
	}
	w := make([]float64, len(p.geo.cells))
	for i, c := range p.geo.cells {
		w[i] = math.Exp(0.7 * p.r.NormFloat64())
		if busy[c.community] {
			w[i] *= 2
		}
		if hot[c] {
			w[i] *= 12
			p.hotCells = append(p.hotCells, c)
		}
	}
	p.cellCum = cumulative(w)
}

// weighCategories prepares the category draw for each month and for
// cameras.
func (p *planner) weighCategories() {
	for m := time.January; m <= time.December; m++ {
		w := make([]float64, len(p.cats))
		for i, c := range p.cats {
			x, ok := categoryWeights[c.Code]
			if !ok {
				x = otherCategoryWeight
			}
			if !c.Active {
				x = 0
			}
			w[i] = x * seasonal(c.Code, m)
		}
		p.catCum[m] = cumulative(w)
	}
	w := make([]float64, len(p.cats))
	for i, c := range p.cats {
		w[i] = cameraWeights[c.Code]
	}
	p.camCum = cumulative(w)
}

// draw makes one report.
func (p *planner) draw() *casePlan {
	r := p.r
	c := &casePlan{source: sourceShares[weightedPick(r, p.sourceCum)].source}
	loc := p.cal.Location()
	for try := 0; ; try++ {
		cum := p.dayCum
		if officeHoursOnly[c.source] {
			cum = p.workCum
		}
		d := p.days[weightedPick(r, cum)]
		h := weightedPick(r, p.hourCum[c.source])
		c.at = d.At(h*60+r.IntN(60), loc).Add(time.Duration(r.IntN(60)) * time.Second)
		if c.at.Before(p.now) && !c.at.Before(p.start) {
			break
		}
		if try > 50 {
			c.at = p.now.Add(-time.Duration(1+r.IntN(3600)) * time.Second)
			break
		}
	}
	switch {
	case c.source == civicgrid.SourceCamera && p.camCum[len(p.camCum)-1] > 0:
		c.cat = p.cats[weightedPick(r, p.camCum)]
	default:
		c.cat = p.cats[weightedPick(r, p.catCum[c.at.Month()])]
	}
	if hotspotCategories[c.cat.Code] && r.Float64() < 0.3 {
		c.cell = p.hotCells[r.IntN(len(p.hotCells))]
	} else {
		c.cell = p.geo.cells[weightedPick(r, p.cellCum)]
	}
	c.u, c.v = 0.05+0.9*r.Float64(), 0.05+0.9*r.Float64()
	return c
}

// stuckShares are the statuses open cases are left in at the end, with how
// long before the end such a case was reported: a case waits hours for the
// centre, days for a unit.
var stuckShares = []struct {
	status   civicgrid.Status
	share    float64
	from, to time.Duration // age at the end
}{
	{civicgrid.StatusReported, 0.08, 0, 36 * time.Hour},
	{civicgrid.StatusVerifying, 0.06, 0, 36 * time.Hour},
	{civicgrid.StatusFiled, 0.06, time.Hour, 36 * time.Hour},
	{civicgrid.StatusDispatched, 0.08, 2 * time.Hour, 48 * time.Hour},
	{civicgrid.StatusHandling, 0.32, 6 * time.Hour, 20 * 24 * time.Hour},
	{civicgrid.StatusHandled, 0.08, 24 * time.Hour, 96 * time.Hour},
	{civicgrid.StatusChecking, 0.10, 24 * time.Hour, 96 * time.Hour},
	{civicgrid.StatusChecked, 0.06, 24 * time.Hour, 72 * time.Hour},
	{civicgrid.StatusSuspended, 0.06, 2 * 24 * time.Hour, 60 * 24 * time.Hour},
}

// openShare is the share of cases left open at the end on purpose, on top
// of those still in flight.
const openShare = 0.008

// chooseStuck marks some recent cases to stop in each open status. plans
// are in time order.
func (p *planner) chooseStuck(plans []*casePlan) {
	total := max(int(math.Round(openShare*float64(len(plans)))), 2*len(stuckShares))
	if len(plans) < 4*total {
		return
	}
	for _, s := range stuckShares {
		need := max(1, int(math.Round(s.share*float64(total))))
		// Reported between from and to before now, or, for a small
		// demo, among the last cases reported at least from before.
		lo := sort.Search(len(plans), func(i int) bool { return !plans[i].at.Before(p.now.Add(-s.to)) })
		hi := sort.Search(len(plans), func(i int) bool { return !plans[i].at.Before(p.now.Add(-s.from)) })
		lo = max(0, min(lo, hi-4*need))
		for placed, tries := 0, 0; placed < need && tries < 100*need && hi > lo; tries++ {
			c := plans[lo+p.r.IntN(hi-lo)]
			if c.stuck == "" {
				c.stuck = s.status
				placed++
			}
		}
	}
}
