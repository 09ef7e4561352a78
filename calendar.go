package civicgrid

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Date is a civil date in the city's time zone. The zero Date is "no date"
// and renders as the empty string.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date written as 2026-01-01. It returns an Invalid error
// for any other form and for dates that do not exist (2026-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(Invalid, "date %q is not a date written like 2026-01-01", s)
	}
	return DateOf(t), nil
}

// String renders d as 2026-01-01, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// MarshalText renders d as String does, so that a Date is a JSON string and
// can be a JSON map key.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses text as ParseDate does; empty text is the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the date n days after d (before d when n is negative).
func (d Date) AddDays(n int) Date { return dateOfDay(d.day() + n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return time.Weekday(floorMod(d.day()+4, 7)) }

// Before reports whether d is an earlier date than o.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// At returns the instant min minutes after midnight of d in loc.
func (d Date) At(min int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, min, 0, 0, loc)
}

// valid reports whether d names a date that exists.
func (d Date) valid() bool { return dateOfDay(d.day()) == d }

// day returns the number of days from 1970-01-01 to d (the proleptic
// Gregorian calendar; Howard Hinnant's days_from_civil).
func (d Date) day() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDay is the inverse of Date.day (Hinnant's civil_from_days).
func dateOfDay(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := (mp+2)%12 + 1
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

// WorkPeriod is one working span of a day, in minutes after midnight:
// 08:30–12:00 is {510, 720}. In JSON it is {"start":"08:30","end":"12:00"}.
type WorkPeriod struct {
	Start, End int
}

// ParseWorkPeriod parses a period written as 08:30-12:00. It returns an
// Invalid error for any other form and for periods that do not end after
// they start; 24:00 is allowed as an end.
func ParseWorkPeriod(s string) (WorkPeriod, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return WorkPeriod{}, Errorf(Invalid, "work period %q is not written like 08:30-12:00", s)
	}
	return parseWorkPeriod(from, to)
}

func parseWorkPeriod(from, to string) (WorkPeriod, error) {
	start, ok1 := parseClock(from)
	end, ok2 := parseClock(to)
	if !ok1 || !ok2 {
		return WorkPeriod{}, Errorf(Invalid, "work period %s-%s is not written like 08:30-12:00", from, to)
	}
	p := WorkPeriod{start, end}
	if err := p.validate(); err != nil {
		return WorkPeriod{}, err
	}
	return p, nil
}

// parseClock parses HH:MM into minutes after midnight, 00:00 to 24:00.
func parseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h*60+m > 24*60 {
		return 0, false
	}
	return h*60 + m, true
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// String renders p as 08:30-12:00.
func (p WorkPeriod) String() string { return formatClock(p.Start) + "-" + formatClock(p.End) }

func (p WorkPeriod) validate() error {
	if p.Start < 0 || p.End > 24*60 || p.Start >= p.End {
		return Errorf(Invalid, "a work period must end after it starts, within 00:00-24:00")
	}
	return nil
}

type workPeriodJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// MarshalJSON renders p as {"start":"08:30","end":"12:00"}.
func (p WorkPeriod) MarshalJSON() ([]byte, error) {
	return json.Marshal(workPeriodJSON{formatClock(p.Start), formatClock(p.End)})
}

// UnmarshalJSON parses {"start":"08:30","end":"12:00"}, with the checks of
// ParseWorkPeriod.
func (p *WorkPeriod) UnmarshalJSON(b []byte) error {
	var v workPeriodJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return Errorf(Invalid, "work period must be an object like {\"start\":\"08:30\",\"end\":\"12:00\"}")
	}
	q, err := parseWorkPeriod(v.Start, v.End)
	if err != nil {
		return err
	}
	*p = q
	return nil
}

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
