package civicgrid

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// DayKind says what a DayOverride makes of its date.
type DayKind string

// The day kinds: a holiday (法定节假日) is a day off even on a weekday; a
// workday (调休上班) is a working day even on a weekend.
const (
	DayHoliday DayKind = "holiday"
	DayWorkday DayKind = "workday"
)

// Valid reports whether k is one of the day kinds.
func (k DayKind) Valid() bool { return k == DayHoliday || k == DayWorkday }

// DayOverride marks a date as a holiday (法定节假日, a day off) or an
// adjusted working day (调休, a weekend day worked).
type DayOverride struct {
	Date Date    `json:"date"`
	Kind DayKind `json:"kind"`
	Name Text    `json:"name"`
}

// Calendar is a city's working calendar (工作日历). Monday to Friday are
// working days by default and Saturday and Sunday rest days; Overrides
// change single dates. On a working day time counts only inside the
// Periods. A Calendar is immutable after NewCalendar and safe for
// concurrent use.
//
// Internally every date is a day number (days since 1970-01-01) and every
// instant a position on the working clock: the working days before its
// date plus the working time already spent on its date. Outside the dates
// that overrides touch, working days follow from weekday arithmetic; inside,
// from a prefix-sum table. Both directions are O(1), with no loop over days.
type Calendar struct {
	loc       *time.Location
	periods   []WorkPeriod
	spans     []span // periods as time of day
	overrides []DayOverride
	perDay    int           // working minutes per working day
	dayLen    time.Duration // perDay as a duration

	// The override table covers day numbers lo to lo+len(work)-1.
	lo    int
	work  []bool  // whether day lo+i is a working day
	cum   []int   // cum[i] is workdaysBefore(lo+i); one longer than work
	nth   []int32 // nth[j] is the offset from lo of working day number cum[0]+j
	shift int     // working days added (or, negative, removed) by the overrides
}

type span struct{ start, end time.Duration }

// The years an override may fall in.
const (
	minOverrideYear = 1900
	maxOverrideYear = 2199
)

// NewCalendar returns a calendar in loc with the working periods of a
// working day and the overrides. It returns an Invalid error when loc is
// nil, when periods is empty, when a period is empty, lies outside
// 00:00-24:00, or overlaps or precedes the one before it, and when an
// override has a date that does not exist or lies outside the years
// 1900–2199, has a bad kind, or repeats a date. The error's Fields name
// "location", "periods" or "overrides".
func NewCalendar(loc *time.Location, periods []WorkPeriod, overrides []DayOverride) (*Calendar, error) {
	if loc == nil {
		return nil, FieldError("location", "calendar needs a time zone")
	}
	if len(periods) == 0 {
		return nil, FieldError("periods", "calendar needs at least one work period")
	}
	c := &Calendar{loc: loc, periods: slices.Clone(periods)}
	for i, p := range periods {
		if p.Start < 0 || p.End > 24*60 || p.Start >= p.End {
			return nil, FieldError("periods", "a work period must end after it starts, within 00:00-24:00")
		}
		if i > 0 && p.Start < periods[i-1].End {
			return nil, FieldError("periods", fmt.Sprintf("work period %s overlaps or precedes %s", p, periods[i-1]))
		}
		c.spans = append(c.spans, span{time.Duration(p.Start) * time.Minute, time.Duration(p.End) * time.Minute})
		c.perDay += p.End - p.Start
	}
	c.dayLen = time.Duration(c.perDay) * time.Minute
	c.overrides = slices.Clone(overrides)
	slices.SortFunc(c.overrides, func(a, b DayOverride) int { return cmp.Compare(a.Date.day(), b.Date.day()) })
	if err := checkOverrides(c.overrides); err != nil {
		return nil, err
	}
	c.buildTable()
	return c, nil
}

// checkOverrides checks overrides sorted by date.
func checkOverrides(overrides []DayOverride) error {
	for i, o := range overrides {
		if o.Date.IsZero() || !o.Date.valid() {
			return FieldError("overrides", fmt.Sprintf("date %04d-%02d-%02d does not exist", o.Date.Year, int(o.Date.Month), o.Date.Day))
		}
		// The override table has an entry per day between the first and
		// the last override; the bound keeps a mistyped year from making it
		// huge.
		if o.Date.Year < minOverrideYear || o.Date.Year > maxOverrideYear {
			return FieldError("overrides", fmt.Sprintf("date %s is not between %d and %d", o.Date, minOverrideYear, maxOverrideYear))
		}
		if !o.Kind.Valid() {
			return FieldError("overrides", fmt.Sprintf("%s: kind %q is not holiday or workday", o.Date, o.Kind))
		}
		if i > 0 && o.Date == overrides[i-1].Date {
			return FieldError("overrides", fmt.Sprintf("date %s appears twice", o.Date))
		}
	}
	return nil
}

// buildTable fills the override table from the sorted overrides.
func (c *Calendar) buildTable() {
	if len(c.overrides) == 0 {
		c.cum = []int{workdaysBefore(0)}
		return
	}
	c.lo = c.overrides[0].Date.day()
	n := c.overrides[len(c.overrides)-1].Date.day() - c.lo + 1
	c.work = make([]bool, n)
	for i := range c.work {
		c.work[i] = isWeekday(c.lo + i)
	}
	for _, o := range c.overrides {
		c.work[o.Date.day()-c.lo] = o.Kind == DayWorkday
	}
	c.cum = make([]int, n+1)
	c.cum[0] = workdaysBefore(c.lo)
	for i, w := range c.work {
		c.cum[i+1] = c.cum[i]
		if w {
			c.cum[i+1]++
			c.nth = append(c.nth, int32(i))
		}
	}
	c.shift = c.cum[n] - workdaysBefore(c.lo+n)
}

// defaultCalendar is built once: a Calendar is immutable, so every caller
// can share it.
var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := NewCalendar(time.FixedZone("CST", 8*3600),
		[]WorkPeriod{{8*60 + 30, 12 * 60}, {14 * 60, 17*60 + 30}}, ChinaHolidays())
	if err != nil {
		panic("civicgrid: default calendar: " + err.Error())
	}
	return c
})

// DefaultCalendar returns the calendar of a mainland Chinese city: China
// Standard Time (UTC+8, as a fixed zone, since China has no daylight saving
// time and a fixed zone needs no tzdata), working periods 08:30–12:00 and
// 14:00–17:30, and the overrides of ChinaHolidays. Dates after the last
// shipped year follow plain weekdays until a city adds its overrides.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Periods returns a copy of the working periods of a working day.
func (c *Calendar) Periods() []WorkPeriod { return slices.Clone(c.periods) }

// Overrides returns a copy of the overrides, sorted by date.
func (c *Calendar) Overrides() []DayOverride { return slices.Clone(c.overrides) }

// MinutesPerWorkday returns the working minutes of one working day.
func (c *Calendar) MinutesPerWorkday() int { return c.perDay }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool { return c.isWorkday(d.day()) }

func (c *Calendar) isWorkday(day int) bool {
	if i := day - c.lo; i >= 0 && i < len(c.work) {
		return c.work[i]
	}
	return isWeekday(day)
}

// Deadline returns when a limit l started at start runs out, in
// c.Location(). Natural hours run around the clock. Working hours count
// l.Minutes() working minutes and working days l.Amount ×
// MinutesPerWorkday() working minutes, as AddWorkingMinutes does. A limit
// with an unknown unit has no deadline: Deadline returns the zero time.
func (c *Calendar) Deadline(start time.Time, l TimeLimit) time.Time {
	switch l.Unit {
	case NaturalHours:
		return start.Add(time.Duration(l.Minutes()) * time.Minute).In(c.loc)
	case WorkingHours:
		return c.AddWorkingMinutes(start, l.Minutes())
	case WorkingDays:
		return c.AddWorkingMinutes(start, int(math.Round(l.Amount*float64(c.perDay))))
	}
	return time.Time{}
}

// AddWorkingMinutes returns the earliest instant, in c.Location(), by which
// minutes working minutes have passed since start. A clock started outside
// working time starts at the next period start, and a result that falls on
// the end of a period stays there (17:30, not the next day's 08:30).
// Minutes of zero or less return start.
func (c *Calendar) AddWorkingMinutes(start time.Time, minutes int) time.Time {
	if minutes <= 0 {
		return start.In(c.loc)
	}
	k, w := c.position(start)
	k += minutes / c.perDay
	w += time.Duration(minutes%c.perDay) * time.Minute
	// Keep w in (0, dayLen] so that a result on a period end stays on it.
	switch {
	case w > c.dayLen:
		k, w = k+1, w-c.dayLen
	case w == 0:
		k, w = k-1, c.dayLen
	}
	d := dateOfDay(c.nthWorkday(k))
	sod := c.timeOfDay(w)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, int(sod/time.Second), int(sod%time.Second), c.loc)
}

// WorkingMinutesBetween returns the whole working minutes in [from, to), or
// 0 when to is not after from.
func (c *Calendar) WorkingMinutesBetween(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	k1, w1 := c.position(from)
	k2, w2 := c.position(to)
	return (k2-k1)*c.perDay + int(floorDiv64(int64(w2-w1), int64(time.Minute)))
}

// Used returns the fraction of the limit from start to deadline that has
// passed at now: 0.8 is 80 %. Natural-hour limits are measured in natural
// time, the others in working time, so a working-time fraction holds still
// at night, at weekends and on holidays. Used is more than 1 exactly when
// now is after deadline: past a deadline while the working clock stands
// still (Friday 17:30 to Monday 08:30) it is the smallest float64 above 1.
// A limit of no length is 0 used before its deadline and 1 at it.
func (c *Calendar) Used(start, deadline, now time.Time, unit LimitUnit) float64 {
	var used, total float64
	if unit == NaturalHours {
		used, total = float64(now.Sub(start)), float64(deadline.Sub(start))
	} else {
		used, total = c.workingSpan(start, now), c.workingSpan(start, deadline)
	}
	overdue := now.After(deadline)
	switch {
	case total <= 0 && !overdue:
		if now.Before(deadline) {
			return 0
		}
		return 1
	case total <= 0 || overdue && used <= total:
		return math.Nextafter(1, 2)
	case !overdue && used >= total:
		return 1
	}
	return max(used/total, 0)
}

// workingSpan returns the working time from a to b in nanoseconds, negative
// when b is before a; float64 keeps spans of centuries from overflowing.
func (c *Calendar) workingSpan(a, b time.Time) float64 {
	k1, w1 := c.position(a)
	k2, w2 := c.position(b)
	return float64(k2-k1)*float64(c.dayLen) + float64(w2-w1)
}

// position places t on the working clock: k working days lie before t's
// date, and w of working time has passed on t's date (0 on a rest day).
func (c *Calendar) position(t time.Time) (k int, w time.Duration) {
	_, off := t.In(c.loc).Zone()
	s := t.Unix() + int64(off)
	day := int(floorDiv64(s, 86400))
	sod := time.Duration(s-int64(day)*86400)*time.Second + time.Duration(t.Nanosecond())
	k = c.workdaysBefore(day)
	if c.isWorkday(day) {
		w = c.worked(sod)
	}
	return k, w
}

// worked returns the working time of a working day before time of day sod.
func (c *Calendar) worked(sod time.Duration) time.Duration {
	var w time.Duration
	for _, p := range c.spans {
		if sod <= p.start {
			break
		}
		if sod < p.end {
			return w + sod - p.start
		}
		w += p.end - p.start
	}
	return w
}

// timeOfDay is the inverse of worked for w in (0, dayLen]: the earliest
// time of day by which w of working time has passed.
func (c *Calendar) timeOfDay(w time.Duration) time.Duration {
	for _, p := range c.spans {
		if w <= p.end-p.start {
			return p.start + w
		}
		w -= p.end - p.start
	}
	return c.spans[len(c.spans)-1].end
}

// workdaysBefore returns the number of working days before day, counted
// from the weekday origin of the package-level workdaysBefore.
func (c *Calendar) workdaysBefore(day int) int {
	switch i := day - c.lo; {
	case i <= 0:
		return workdaysBefore(day)
	case i >= len(c.work):
		return workdaysBefore(day) + c.shift
	default:
		return c.cum[i]
	}
}

// nthWorkday is the inverse of workdaysBefore: the working day with k
// working days before it.
func (c *Calendar) nthWorkday(k int) int {
	switch j := k - c.cum[0]; {
	case j < 0:
		return nthWeekday(k)
	case j >= len(c.nth):
		return nthWeekday(k - c.shift)
	default:
		return c.lo + int(c.nth[j])
	}
}

// workdaysBefore returns the number of weekdays (Monday to Friday) from
// Monday 1969-12-29 to the day before day; negative for earlier days.
func workdaysBefore(day int) int {
	x := day + 3 // days since Monday 1969-12-29
	weeks := floorDiv(x, 7)
	return 5*weeks + min(x-7*weeks, 5)
}

// nthWeekday is the inverse of workdaysBefore: the weekday with k weekdays
// before it.
func nthWeekday(k int) int {
	weeks := floorDiv(k, 5)
	return 7*weeks + (k - 5*weeks) - 3
}

func isWeekday(day int) bool { return floorMod(day+3, 7) < 5 }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
