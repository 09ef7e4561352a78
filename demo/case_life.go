package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"civicgrid"
)

// The shares of the exceptional paths. Together with the late stages they
// give about 85% of cases closed with every stage on time.
const (
	verifyFailShare   = 0.075 // of verified reports: not true on site
	cancelReportShare = 0.006 // duplicates and matters outside the bureau's remit
	cancelFiledShare  = 0.002
	returnShare       = 0.03 // dispatched to the wrong unit, returned, re-dispatched
	reworkShare       = 0.04 // a check fails and the unit works again
	secondReworkShare = 0.12 // of reworked: fails twice
	extendShare       = 0.02
	extendDenyShare   = 0.15 // of requested extensions
	secondExtendShare = 0.10 // of granted extensions: a second one, which a leader decides
	suspendShare      = 0.012
	longSuspendShare  = 0.25 // of suspensions: waits for months
	urgeShare         = 0.005
	urgeLateShare     = 0.06 // of cases handled late
	urgeStuckShare    = 0.3  // of overdue cases still open
	citizenWebShare   = 0.02 // of web reports: by the demo citizens
)

// verifyShares are the shares of reports, by channel, that the centre sends
// an inspector to verify before filing; an inspector's own report needs no
// verification.
var verifyShares = map[civicgrid.Source]float64{
	civicgrid.SourceHotline: 0.85, civicgrid.SourceWeb: 0.9, civicgrid.SourceOpen311: 0.9,
	civicgrid.SourceWalkIn: 0.7, civicgrid.SourceVisit: 0.6, civicgrid.SourceCamera: 0.4,
	civicgrid.SourceInspector: 0.02, civicgrid.SourcePatrol: 0.05,
}

// lateShares are the shares of cases in which one stage runs past its
// deadline, by stage.
var lateShares = []struct {
	stage civicgrid.Stage
	share float64
}{
	{civicgrid.StageHandle, 0.09}, {civicgrid.StageSign, 0.025}, {civicgrid.StageCheck, 0.015},
	{civicgrid.StageDispatch, 0.01}, {civicgrid.StageAccept, 0.005}, {civicgrid.StageClose, 0.005},
	{civicgrid.StageVerify, 0.005}, {civicgrid.StageFile, 0.003},
}

// world is what every case's life shares: the machine, the people and the
// end of time. It is read-only while cases are played, so lives can be
// played in parallel.
type world struct {
	m         *machine
	cal       *civicgrid.Calendar
	end       time.Time
	staff     *staff
	handlerOf map[civicgrid.UnitID]*civicgrid.User
	unitIDs   []civicgrid.UnitID
	lat       *lattice
	seed      int64
}

// life is one case being played.
type life struct {
	w      *world
	r      *rand.Rand
	p      *casePlan
	c      *civicgrid.Case
	events []*civicgrid.CaseEvent
	last   time.Time
	done   bool
	hurry  bool // act early in the time given
	err    error
}

// play plays the case of plan p, the i-th in time order, and returns it
// with its events. Its random draws depend only on the seed and i.
func (w *world) play(i int, p *casePlan) (*civicgrid.Case, []*civicgrid.CaseEvent, error) {
	// A case meant to be left open in some status is played again, faster,
	// if time ran out before it got there.
	var l *life
	for attempt := range 4 {
		l = &life{w: w, r: rand.New(rand.NewPCG(uint64(w.seed), uint64(i)<<2|uint64(attempt))), p: p, hurry: attempt > 0}
		l.run()
		if l.err != nil {
			return nil, nil, l.err
		}
		if p.stuck == "" || l.c.Status == p.stuck {
			break
		}
	}
	l.sweep(l.w.end.Add(time.Nanosecond))
	l.urgeBacklog()
	return l.c, l.events, l.err
}

// do takes action a at t (or just after the last event) unless the case has
// stopped; it reports whether the case goes on. The overdue sweep runs
// first, as it would have in the meantime.
func (l *life) do(t time.Time, actor *civicgrid.User, a civicgrid.Action, in input) bool {
	if l.done {
		return false
	}
	if !t.After(l.last) {
		t = l.last.Add(time.Duration(1+l.r.IntN(30)) * time.Second)
	}
	l.sweep(t)
	if t.After(l.w.end) || l.err != nil {
		l.done = true
		return false
	}
	ev, err := l.w.m.apply(l.c, actor, a, in, t)
	if err != nil {
		l.err, l.done = err, true
		return false
	}
	l.events = append(l.events, ev)
	l.last = t
	if l.p.stuck != "" && l.c.Status == l.p.stuck {
		l.done = true
		return false
	}
	return true
}

// sweepAt is when the overdue sweep, which runs at the start of every
// minute, notices a deadline.
func sweepAt(deadline time.Time) time.Time {
	return deadline.Truncate(time.Minute).Add(time.Minute + 2*time.Second)
}

// sweep records the overdue event the sweep wrote before t, if any.
func (l *life) sweep(t time.Time) {
	c := l.c
	if !c.Status.Open() || c.Deadline == nil || c.Overdue {
		return
	}
	at := sweepAt(*c.Deadline)
	if !at.Before(t) || at.After(l.w.end) || !at.After(l.last) {
		return
	}
	l.events = append(l.events, l.w.m.overdue(c, at))
	l.last = at
}

// urgeBacklog has a leader urge some of the overdue cases still open.
func (l *life) urgeBacklog() {
	c := l.c
	if !c.Status.Open() || !c.Overdue || l.r.Float64() >= urgeStuckShare {
		return
	}
	t := l.last.Add(time.Duration(30+l.r.IntN(48*60)) * time.Minute)
	if t.After(l.w.end) {
		return
	}
	l.done = false
	l.do(t, l.leaderFor(), civicgrid.ActionUrge, input{note: pick(l.r, urgeNotes)})
	l.done = true
}

// operator is the operator on duty at t: the centre runs three shifts
// (day, evening, night).
func (l *life) operator(t time.Time) *civicgrid.User {
	ops := l.w.staff.operators
	switch h := t.Hour(); {
	case h < 8:
		return ops[2]
	case h < 16:
		return ops[0]
	default:
		return ops[1]
	}
}

// onShift is which of us is on duty at t: a day and a night shift,
// swapping daily.
func (l *life) onShift(t time.Time, us []*civicgrid.User) *civicgrid.User {
	night := 0
	if h := t.Hour(); h < 8 || h >= 20 {
		night = 1
	}
	return us[(t.YearDay()+night)%len(us)]
}

// shiftLeader and dispatcher are who is on duty at t.
func (l *life) shiftLeader(t time.Time) *civicgrid.User { return l.onShift(t, l.w.staff.shiftLeaders) }
func (l *life) dispatcher(t time.Time) *civicgrid.User  { return l.onShift(t, l.w.staff.dispatchers) }

// leaderFor is the leader who urges the case: its district's leader or
// the city's.
func (l *life) leaderFor() *civicgrid.User {
	if u := l.w.staff.leaders[l.c.DistrictCode]; u != nil && l.r.IntN(2) == 0 {
		return u
	}
	return l.w.staff.leader
}

// inspector is the user c is tasked to.
func (l *life) inspector() *civicgrid.User { return l.w.m.users[l.c.InspectorID] }

// The clocks. The command centre works around the clock and acts within
// minutes; units and inspectors work in working time and take a share of
// the time they are given.

// centre returns when the centre acts on something that arrived at from
// and is due at due: a few minutes later, within the deadline.
func (l *life) centre(from, due time.Time) time.Time {
	d := time.Duration((1 + l.r.ExpFloat64()*7) * float64(time.Minute))
	if d > 45*time.Minute {
		d = 45*time.Minute - time.Duration(l.r.IntN(600))*time.Second
	}
	t := from.Add(d)
	if t.After(due) {
		t = from.Add(time.Duration(float64(due.Sub(from)) * (0.2 + 0.6*l.r.Float64())))
	}
	return t.Truncate(time.Second)
}

// office returns when a unit or an inspector acts on something that
// arrived at from and is due at due: part of the way through the working
// time between, or of the natural time for a natural-hours limit.
func (l *life) office(from, due time.Time, natural bool) time.Time {
	u := 0.08 + 0.87*math.Pow(l.r.Float64(), 1.2)
	if l.hurry {
		u = 0.02 + 0.1*l.r.Float64()
	}
	wm := l.w.cal.WorkingMinutesBetween(from, due)
	if natural || wm < 2 {
		return from.Add(time.Duration(float64(due.Sub(from)) * u)).Truncate(time.Second)
	}
	t := l.w.cal.AddWorkingMinutes(from, 1+int(u*float64(wm-1))).Add(time.Duration(l.r.IntN(60)) * time.Second)
	if t.After(due) {
		t = due
	}
	return t
}

// late returns a time past due: by natural minutes for the centre and
// natural-hours limits, by working time otherwise, about mean working
// minutes late.
func (l *life) late(due time.Time, natural bool, mean float64) time.Time {
	if natural {
		return due.Add(time.Duration(5+l.r.ExpFloat64()*mean) * time.Minute).Truncate(time.Second)
	}
	extra := 5 + int(l.r.ExpFloat64()*mean)
	return l.w.cal.AddWorkingMinutes(due, extra).Add(time.Duration(l.r.IntN(60)) * time.Second)
}

// centreStep is when the centre takes the step that ends the running
// stage, late or not.
func (l *life) centreStep(late bool) time.Time {
	if late {
		return l.late(*l.c.Deadline, true, 60)
	}
	return l.centre(l.last, *l.c.Deadline)
}

// officeStep is when a unit or inspector takes the step that ends the
// running stage.
func (l *life) officeStep(late bool, mean float64) time.Time {
	natural := l.c.StageLimit.Unit == civicgrid.NaturalHours
	if late {
		return l.late(*l.c.Deadline, natural, mean)
	}
	return l.office(l.last, *l.c.Deadline, natural)
}

// run plays the case from its report to wherever it ends.
func (l *life) run() {
	p, r, w := l.p, l.r, l.w
	var late civicgrid.Stage
	x := r.Float64()
	for _, s := range lateShares {
		if x < s.share {
			late = s.stage
			break
		}
		x -= s.share
	}
	stuck := p.stuck != ""
	l.report()
	if p.stuck == civicgrid.StatusReported {
		return
	}

	// 受理 and 核实: the operator sends an inspector, or files at once.
	verify := r.Float64() < verifyShares[p.source] || p.stuck == civicgrid.StatusVerifying
	t := l.centreStep(late == civicgrid.StageAccept)
	if verify {
		if !l.do(t, l.operator(t), civicgrid.ActionVerifyRequest, input{}) {
			return
		}
		t = l.officeStep(late == civicgrid.StageVerify, 60)
		if !stuck && r.Float64() < verifyFailShare {
			l.do(t, l.inspector(), civicgrid.ActionVerifyFail, input{note: pick(r, verifyFailNotes)})
			return
		}
		if !l.do(t, l.inspector(), civicgrid.ActionVerifyPass, input{note: pick(r, verifyPassNotes)}) {
			return
		}
		t = l.centreStep(late == civicgrid.StageFile)
	}
	if !stuck && r.Float64() < cancelReportShare {
		l.do(t, l.shiftLeader(t), civicgrid.ActionCancel, input{note: pick(r, cancelNotes)})
		return
	}
	filer := l.shiftLeader(t)
	if r.Float64() < 0.3 {
		filer = l.operator(t)
	}
	if !l.do(t, filer, civicgrid.ActionFile, input{}) {
		return
	}

	// 派遣, perhaps first to the wrong unit, which returns it.
	t = l.centreStep(late == civicgrid.StageDispatch)
	if !stuck && r.Float64() < cancelFiledShare {
		l.do(t, l.shiftLeader(t), civicgrid.ActionCancel, input{note: pick(r, cancelNotes)})
		return
	}
	if r.Float64() < returnShare {
		right, _ := civicgrid.Route(w.m.city.Routing, l.c.CategoryCode, l.c.CellCode)
		wrong := w.unitIDs[r.IntN(len(w.unitIDs))]
		for wrong == right {
			wrong = w.unitIDs[r.IntN(len(w.unitIDs))]
		}
		if !l.do(t, l.dispatcher(t), civicgrid.ActionDispatch, input{unit: wrong}) {
			return
		}
		t = l.officeStep(false, 0)
		if !l.do(t, w.handlerOf[wrong], civicgrid.ActionReturn, input{note: pick(r, returnNotes)}) {
			return
		}
		t = l.centreStep(false)
	}
	if !l.do(t, l.dispatcher(t), civicgrid.ActionDispatch, input{}) {
		return
	}
	unit := w.handlerOf[l.c.UnitID]

	// 签收 and 处置, with rework when a check fails.
	t = l.officeStep(late == civicgrid.StageSign, 90)
	if !l.do(t, unit, civicgrid.ActionSign, input{}) {
		return
	}
	reworks := 0
	if !stuck && r.Float64() < reworkShare {
		reworks = 1
		if r.Float64() < secondReworkShare {
			reworks = 2
		}
	}
	for round := 0; ; round++ {
		if !l.handle(unit, round == 0, late == civicgrid.StageHandle && round == 0) {
			return
		}
		t = l.centre(l.last, *l.c.Deadline)
		if !l.do(t, l.operator(t), civicgrid.ActionCheckRequest, input{}) {
			return
		}
		t = l.officeStep(late == civicgrid.StageCheck && round == reworks, 120)
		if round < reworks {
			if !l.do(t, l.inspector(), civicgrid.ActionCheckFail, input{note: pick(r, checkFailNotes)}) {
				return
			}
			continue
		}
		if !l.do(t, l.inspector(), civicgrid.ActionCheckPass, input{note: pick(r, checkPassNotes)}) {
			return
		}
		break
	}

	// 结案.
	t = l.centreStep(late == civicgrid.StageClose)
	l.do(t, l.shiftLeader(t), civicgrid.ActionClose, input{note: pick(r, closeNotes)})
}

// report opens the case.
func (l *life) report() {
	p, r, w := l.p, l.r, l.w
	cell := p.cell.cell
	pt := w.geoPoint(p)
	c := &civicgrid.Case{Number: p.number(), Source: p.source, CategoryCode: p.cat.Code,
		Lat: pt.Lat, Lon: pt.Lon, Address: fmt.Sprintf("%s%d号%s", p.cell.road, p.cell.number, pick(r, addressSuffixes)),
		CellCode: cell.Code, CommunityCode: cell.CommunityCode(), StreetCode: cell.StreetCode(), DistrictCode: cell.DistrictCode(),
		Description: description(r, p.cat)}
	if p.component != nil {
		c.ComponentCode = p.component.code
	}
	var actor *civicgrid.User
	switch p.source {
	case civicgrid.SourceInspector, civicgrid.SourcePatrol:
		actor = w.m.users[cell.Inspectors[0]]
		c.Reporter = civicgrid.Reporter{Name: actor.DisplayName, Phone: actor.Phone, UserID: actor.ID}
		taken := p.at.Add(-time.Duration(20+r.IntN(300)) * time.Second) // the app's clock, as the photo was taken
		c.Intake.DeviceTime = &taken
	case civicgrid.SourceHotline, civicgrid.SourceWalkIn, civicgrid.SourceVisit:
		actor = l.operator(p.at)
		c.Reporter = civicgrid.Reporter{Name: citizenName(r), Phone: mobile(r)}
		c.Intake.ReceivedBy = actor.DisplayName
		switch p.source {
		case civicgrid.SourceHotline: // the 12345 work-order number
			c.Intake.ExternalID = "12345-" + strings.ReplaceAll(c.Number, "-", "")
		case civicgrid.SourceWalkIn:
			c.Intake.Station = pick(r, walkInStations)
		}
	case civicgrid.SourceCamera:
		actor = civicgrid.SystemUser
		c.Reporter = civicgrid.Reporter{Name: "视频智能分析"}
		c.Intake.ExternalID = "demo-cam/" + c.Number
	case civicgrid.SourceLeader:
		actor = w.staff.leader
		c.Reporter = civicgrid.Reporter{Name: actor.DisplayName, UserID: actor.ID}
	default: // web and Open311
		actor = civicgrid.SystemUser
		c.Reporter = civicgrid.Reporter{Name: citizenName(r), Phone: mobile(r)}
		if r.Float64() < citizenWebShare {
			actor = w.staff.citizens[r.IntN(len(w.staff.citizens))]
			c.Reporter = civicgrid.Reporter{Name: actor.DisplayName, Phone: actor.Phone}
		}
	}
	l.c = c
	l.events = append(l.events, w.m.report(c, actor, p.at))
	l.last = p.at
}

// handle plays the handle stage from sign (or a failed check) to finish:
// perhaps suspended for a while, perhaps extended, perhaps urged.
func (l *life) handle(unit *civicgrid.User, first, late bool) bool {
	r, c := l.r, l.c
	stuckSuspended := l.p.stuck == civicgrid.StatusSuspended
	if first && (stuckSuspended || (l.p.stuck == "" && r.Float64() < suspendShare)) {
		t := l.officeStep(false, 0)
		if !l.do(t, l.dispatcher(t), civicgrid.ActionSuspend, input{note: pick(r, suspendNotes)}) {
			return false
		}
		days := 3 + r.ExpFloat64()*12
		if r.Float64() < longSuspendShare || stuckSuspended {
			days = 60 + r.Float64()*200
		}
		back := civicgrid.DateOf(l.last.Add(time.Duration(days * 24 * float64(time.Hour))))
		t = l.w.cal.AddWorkingMinutes(back.At(0, l.w.cal.Location()), 10+r.IntN(400))
		if !l.do(t, l.dispatcher(t), civicgrid.ActionResume, input{}) {
			return false
		}
	}
	if first && l.p.stuck == "" && r.Float64() < extendShare {
		if !l.extend(unit, r.Float64() < extendDenyShare) {
			return false
		}
		if c.Extensions == 1 && r.Float64() < secondExtendShare && !l.extend(unit, false) {
			return false
		}
	}
	natural := c.StageLimit.Unit == civicgrid.NaturalHours
	var t time.Time
	if late {
		t = l.late(*c.Deadline, natural, 0.8*float64(l.w.cal.MinutesPerWorkday()))
	} else {
		t = l.office(l.last, *c.Deadline, natural)
	}
	if (late && r.Float64() < urgeLateShare) || (first && r.Float64() < urgeShare) {
		from := l.last
		if late {
			from = sweepAt(*c.Deadline)
		}
		if tu := from.Add(time.Duration(float64(t.Sub(from)) * (0.2 + 0.6*r.Float64()))).Truncate(time.Second); tu.After(from) {
			if !l.do(tu, l.leaderFor(), civicgrid.ActionUrge, input{note: pick(r, urgeNotes)}) {
				return false
			}
		}
	}
	return l.do(t, unit, civicgrid.ActionFinish, input{note: finishNote(r, l.p.cat)})
}

// extend has the unit ask for more time and the dispatcher (a leader for a
// second extension) grant or deny it.
func (l *life) extend(unit *civicgrid.User, deny bool) bool {
	r, c := l.r, l.c
	natural := c.StageLimit.Unit == civicgrid.NaturalHours
	t := l.office(l.last, *c.Deadline, natural)
	ext := civicgrid.TimeLimit{Amount: float64(1 + r.IntN(3)), Unit: civicgrid.WorkingDays}
	if natural {
		ext = civicgrid.TimeLimit{Amount: float64(4 * (1 + r.IntN(3))), Unit: civicgrid.NaturalHours}
	}
	if !l.do(t, unit, civicgrid.ActionExtendRequest, input{note: pick(r, extendNotes), extension: &ext}) {
		return false
	}
	decider := l.dispatcher(t)
	if c.Extensions >= 1 {
		decider = l.w.staff.leader
	}
	t = l.last.Add(time.Duration(10+r.IntN(80)) * time.Minute)
	if deny {
		return l.do(t, decider, civicgrid.ActionExtendDeny, input{note: pick(r, extendDenyNotes)})
	}
	return l.do(t, decider, civicgrid.ActionExtendApprove, input{note: pick(r, extendApproveNotes)})
}

// geoPoint is the plan's position, rounded as a phone reports it.
func (w *world) geoPoint(p *casePlan) civicgrid.Point {
	pt := w.lat.pointIn(p.cell.c, p.cell.r, p.u, p.v)
	return civicgrid.Point{Lat: math.Round(pt.Lat*1e6) / 1e6, Lon: math.Round(pt.Lon*1e6) / 1e6}
}
