package civicgrid_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// cst is the default calendar's zone, UTC+8.
var cst = civicgrid.DefaultCalendar().Location()

// calTime returns y-m-d hh:mm in China Standard Time.
func calTime(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, cst)
}

// calWH, calWD and calNH are limits in working hours, working days and
// natural hours.
func calWH(h float64) civicgrid.TimeLimit {
	return civicgrid.TimeLimit{Amount: h, Unit: civicgrid.WorkingHours}
}
func calWD(n float64) civicgrid.TimeLimit {
	return civicgrid.TimeLimit{Amount: n, Unit: civicgrid.WorkingDays}
}
func calNH(h float64) civicgrid.TimeLimit {
	return civicgrid.TimeLimit{Amount: h, Unit: civicgrid.NaturalHours}
}

func TestCalendarDeadline(t *testing.T) {
	// 2025-03-03 is a Monday in a month without holidays.
	tests := []struct {
		name  string
		start time.Time
		limit civicgrid.TimeLimit
		want  time.Time
	}{
		{"within one period", calTime(2025, 3, 3, 9, 0), calWH(2), calTime(2025, 3, 3, 11, 0)},
		{"crossing lunch", calTime(2025, 3, 3, 11, 30), calWH(1), calTime(2025, 3, 3, 14, 30)},
		{"crossing end of day and weekend", calTime(2025, 3, 7, 17, 0), calWH(1), calTime(2025, 3, 10, 9, 0)},
		{"started at night", calTime(2025, 3, 4, 22, 0), calWH(1), calTime(2025, 3, 5, 9, 30)},
		{"started before work", calTime(2025, 3, 3, 6, 0), calWH(1), calTime(2025, 3, 3, 9, 30)},
		{"started on Sunday", calTime(2025, 3, 9, 10, 0), calWH(1), calTime(2025, 3, 10, 9, 30)},
		{"started at end of day", calTime(2025, 3, 3, 17, 30), calWH(1), calTime(2025, 3, 4, 9, 30)},
		{"lands on morning end", calTime(2025, 3, 3, 8, 30), calWH(3.5), calTime(2025, 3, 3, 12, 0)},
		{"lands on day end", calTime(2025, 3, 3, 14, 0), calWH(3.5), calTime(2025, 3, 3, 17, 30)},
		{"lands on day end after lunch", calTime(2025, 3, 3, 11, 0), calWH(4.5), calTime(2025, 3, 3, 17, 30)},
		{"whole day lands on day end", calTime(2025, 3, 3, 8, 30), calWH(7), calTime(2025, 3, 3, 17, 30)},
		{"from night lands on day end", calTime(2025, 3, 2, 20, 0), calWH(7), calTime(2025, 3, 3, 17, 30)},
		{"started exactly at noon", calTime(2025, 3, 3, 12, 0), calWH(1), calTime(2025, 3, 3, 15, 0)},
		{"started at noon, half hour", calTime(2025, 3, 3, 12, 0), calWH(0.5), calTime(2025, 3, 3, 14, 30)},
		{"started in lunch break", calTime(2025, 3, 3, 13, 0), calWH(1), calTime(2025, 3, 3, 15, 0)},
		{"started exactly at 14:00", calTime(2025, 3, 3, 14, 0), calWH(1), calTime(2025, 3, 3, 15, 0)},
		{"seconds are kept", calTime(2025, 3, 3, 9, 0).Add(30 * time.Second), calWH(1), calTime(2025, 3, 3, 10, 0).Add(30 * time.Second)},
		{"start given in UTC", time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC), calWH(1), calTime(2025, 3, 3, 10, 0)},
		{"fractional hours", calTime(2025, 3, 3, 11, 45), calWH(0.5), calTime(2025, 3, 3, 14, 15)},
		{"fractional hours from night", calTime(2025, 3, 3, 19, 0), calWH(0.25), calTime(2025, 3, 4, 8, 45)},

		{"holiday Oct 1 2025 skipped", calTime(2025, 9, 30, 16, 0), calWH(4), calTime(2025, 10, 9, 11, 0)},
		{"Sunday Sep 28 2025 is a workday", calTime(2025, 9, 26, 17, 0), calWH(1), calTime(2025, 9, 28, 9, 0)},
		{"Saturday Oct 11 2025 is a workday", calTime(2025, 10, 10, 17, 0), calWH(1), calTime(2025, 10, 11, 9, 0)},
		{"started on a holiday", calTime(2025, 10, 3, 10, 0), calWH(1), calTime(2025, 10, 9, 9, 30)},
		{"New Year 2025 is one day", calTime(2024, 12, 31, 17, 0), calWH(1), calTime(2025, 1, 2, 9, 0)},
		{"Spring Festival 2026: Saturday Feb 14 works", calTime(2026, 2, 13, 16, 0), calWH(4), calTime(2026, 2, 14, 11, 0)},
		{"Spring Festival 2026: jumps Feb 15-23", calTime(2026, 2, 13, 16, 0), calWD(3), calTime(2026, 2, 25, 16, 0)},
		{"Spring Festival 2026: end of Feb 14 to Feb 24", calTime(2026, 2, 14, 17, 0), calWH(1), calTime(2026, 2, 24, 9, 0)},

		{"one working day", calTime(2025, 3, 3, 10, 0), calWD(1), calTime(2025, 3, 4, 10, 0)},
		{"one working day from Friday", calTime(2025, 3, 7, 10, 0), calWD(1), calTime(2025, 3, 10, 10, 0)},
		{"one working day from end of Friday", calTime(2025, 3, 7, 17, 30), calWD(1), calTime(2025, 3, 10, 17, 30)},
		{"one working day from Saturday", calTime(2025, 3, 8, 10, 0), calWD(1), calTime(2025, 3, 10, 17, 30)},
		{"half a working day", calTime(2025, 3, 3, 8, 30), calWD(0.5), calTime(2025, 3, 3, 12, 0)},
		{"20 working days", calTime(2025, 3, 3, 10, 0), calWD(20), calTime(2025, 3, 31, 10, 0)},
		{"20 working days over National Day 2025", calTime(2025, 9, 25, 10, 0), calWD(20), calTime(2025, 10, 29, 10, 0)},
		{"working days past the shipped years", calTime(2026, 12, 31, 10, 0), calWD(2), calTime(2027, 1, 4, 10, 0)},
		{"working days before the shipped years", calTime(2024, 12, 27, 10, 0), calWD(3), calTime(2025, 1, 2, 10, 0)},

		{"natural hours across midnight and holiday", calTime(2025, 9, 30, 23, 0), calNH(2), calTime(2025, 10, 1, 1, 0)},
		{"natural hours over a weekend", calTime(2026, 2, 13, 10, 0), calNH(48), calTime(2026, 2, 15, 10, 0)},
		{"fractional natural hours", calTime(2025, 3, 3, 23, 50), calNH(0.5), calTime(2025, 3, 4, 0, 20)},
		{"natural hours from UTC", time.Date(2025, 3, 3, 20, 0, 0, 0, time.UTC), calNH(1), calTime(2025, 3, 4, 5, 0)},
	}
	cal := civicgrid.DefaultCalendar()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Deadline(tt.start, tt.limit)
			if !got.Equal(tt.want) {
				t.Errorf("Deadline(%v, %v) = %v, want %v", tt.start, tt.limit, got, tt.want)
			}
			if got.Location() != cal.Location() {
				t.Errorf("Deadline location = %v, want %v", got.Location(), cal.Location())
			}
		})
	}
}

func TestCalendarDeadlineUnknownUnit(t *testing.T) {
	got := civicgrid.DefaultCalendar().Deadline(calTime(2025, 3, 3, 9, 0), civicgrid.TimeLimit{Amount: 1, Unit: "weeks"})
	if !got.IsZero() {
		t.Errorf("Deadline with unknown unit = %v, want zero time", got)
	}
}

func TestCalendarIsWorkday(t *testing.T) {
	tests := []struct {
		name string
		date civicgrid.Date
		want bool
	}{
		{"plain Monday", civicgrid.Date{Year: 2025, Month: 3, Day: 3}, true},
		{"plain Saturday", civicgrid.Date{Year: 2025, Month: 3, Day: 8}, false},
		{"plain Sunday", civicgrid.Date{Year: 2025, Month: 3, Day: 9}, false},
		{"National Day 2025", civicgrid.Date{Year: 2025, Month: 10, Day: 1}, false},
		{"make-up Sunday Sep 28 2025", civicgrid.Date{Year: 2025, Month: 9, Day: 28}, true},
		{"Saturday before it", civicgrid.Date{Year: 2025, Month: 9, Day: 27}, false},
		{"New Year 2025", civicgrid.Date{Year: 2025, Month: 1, Day: 1}, false},
		{"make-up Sunday Jan 4 2026", civicgrid.Date{Year: 2026, Month: 1, Day: 4}, true},
		{"make-up Saturday Feb 14 2026", civicgrid.Date{Year: 2026, Month: 2, Day: 14}, true},
		{"Spring Festival Monday Feb 16 2026", civicgrid.Date{Year: 2026, Month: 2, Day: 16}, false},
		{"Spring Festival Monday Feb 23 2026", civicgrid.Date{Year: 2026, Month: 2, Day: 23}, false},
		{"last override Oct 10 2026", civicgrid.Date{Year: 2026, Month: 10, Day: 10}, true},
		{"before shipped years", civicgrid.Date{Year: 2024, Month: 12, Day: 31}, true},
		{"after shipped years, no overrides", civicgrid.Date{Year: 2030, Month: 1, Day: 1}, true},
		{"long ago Sunday", civicgrid.Date{Year: 1900, Month: 1, Day: 7}, false},
	}
	cal := civicgrid.DefaultCalendar()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.IsWorkday(tt.date); got != tt.want {
				t.Errorf("IsWorkday(%v) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestCalendarWorkingDaysPerYear(t *testing.T) {
	// Both years: 261 weekdays. 2025 loses 18 weekdays to holidays and gains
	// 5 make-up days; 2026 loses 19 and gains 6. Both come to 248, the
	// figure of 365 − 104 weekend days − 13 statutory holidays since the
	// 2024 revision of the holiday rules.
	tests := []struct {
		name string
		year int
		want int
	}{
		{"2025", 2025, 248},
		{"2026", 2026, 248},
		{"2027 without overrides", 2027, 261},
	}
	cal := civicgrid.DefaultCalendar()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for d := (civicgrid.Date{Year: tt.year, Month: 1, Day: 1}); d.Year == tt.year; d = d.AddDays(1) {
				if cal.IsWorkday(d) {
					n++
				}
			}
			t.Logf("%d has %d working days", tt.year, n)
			if n != tt.want {
				t.Errorf("%d has %d working days, want %d", tt.year, n, tt.want)
			}
			from, to := calTime(tt.year, 1, 1, 0, 0), calTime(tt.year+1, 1, 1, 0, 0)
			if got, want := cal.WorkingMinutesBetween(from, to), n*cal.MinutesPerWorkday(); got != want {
				t.Errorf("WorkingMinutesBetween over %d = %d, want %d", tt.year, got, want)
			}
		})
	}
}

func TestChinaHolidays(t *testing.T) {
	hs := civicgrid.ChinaHolidays()
	count := map[string]int{}
	for i, h := range hs {
		if i > 0 && !hs[i-1].Date.Before(h.Date) {
			t.Errorf("override %v is not after %v", h.Date, hs[i-1].Date)
		}
		if h.Name.Zh == "" || h.Name.En == "" {
			t.Errorf("override %v has name %+v, want Chinese and English", h.Date, h.Name)
		}
		wk := h.Date.Weekday()
		if h.Kind == civicgrid.DayWorkday && wk != time.Saturday && wk != time.Sunday {
			t.Errorf("make-up workday %v is a %v, want a weekend day", h.Date, wk)
		}
		count[h.Date.String()[:4]+" "+string(h.Kind)]++
	}
	want := map[string]int{"2025 holiday": 28, "2025 workday": 5, "2026 holiday": 33, "2026 workday": 6}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("override counts (-want +got):\n%s", diff)
	}
	hs[0].Name.Zh = "changed"
	if civicgrid.ChinaHolidays()[0].Name.Zh == "changed" {
		t.Error("ChinaHolidays shares its slice between calls")
	}
}

func TestCalendarWorkingMinutesBetween(t *testing.T) {
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"within one period", calTime(2025, 3, 3, 9, 0), calTime(2025, 3, 3, 10, 0), 60},
		{"across lunch", calTime(2025, 3, 3, 11, 0), calTime(2025, 3, 3, 15, 0), 120},
		{"inside lunch", calTime(2025, 3, 3, 12, 10), calTime(2025, 3, 3, 13, 50), 0},
		{"across a night", calTime(2025, 3, 3, 17, 0), calTime(2025, 3, 4, 9, 0), 60},
		{"night to night", calTime(2025, 3, 3, 20, 0), calTime(2025, 3, 4, 20, 0), 420},
		{"across a weekend", calTime(2025, 3, 7, 17, 0), calTime(2025, 3, 10, 9, 0), 60},
		{"weekend only", calTime(2025, 3, 8, 0, 0), calTime(2025, 3, 10, 0, 0), 0},
		{"whole week", calTime(2025, 3, 3, 0, 0), calTime(2025, 3, 10, 0, 0), 5 * 420},
		{"across National Day 2025", calTime(2025, 9, 30, 17, 0), calTime(2025, 10, 9, 9, 0), 60},
		{"make-up Sunday counts", calTime(2025, 9, 27, 0, 0), calTime(2025, 9, 29, 0, 0), 420},
		{"30 days in March 2025", calTime(2025, 3, 1, 0, 0), calTime(2025, 3, 31, 0, 0), 20 * 420},
		{"partial minutes are dropped", calTime(2025, 3, 3, 9, 0), calTime(2025, 3, 3, 9, 1).Add(-time.Second), 0},
		{"seconds across lunch", calTime(2025, 3, 3, 11, 59).Add(30 * time.Second), calTime(2025, 3, 3, 14, 0).Add(30 * time.Second), 1},
		{"to before from", calTime(2025, 3, 4, 9, 0), calTime(2025, 3, 3, 9, 0), 0},
		{"equal", calTime(2025, 3, 3, 9, 0), calTime(2025, 3, 3, 9, 0), 0},
		{"mixed zones", time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC), calTime(2025, 3, 3, 10, 0), 60},
	}
	cal := civicgrid.DefaultCalendar()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.WorkingMinutesBetween(tt.from, tt.to); got != tt.want {
				t.Errorf("WorkingMinutesBetween(%v, %v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestCalendarUsed(t *testing.T) {
	cal := civicgrid.DefaultCalendar()
	// 4 working hours from Monday 09:00 run to 15:00 (three hours before lunch).
	start := calTime(2025, 3, 3, 9, 0)
	deadline := cal.Deadline(start, calWH(4))
	natStart := calTime(2025, 3, 8, 22, 0) // a Saturday night
	natDeadline := cal.Deadline(natStart, calNH(10))
	friEnd := calTime(2025, 3, 7, 17, 30) // five working days from start, less 30 minutes
	tests := []struct {
		name                 string
		start, deadline, now time.Time
		unit                 civicgrid.LimitUnit
		want                 float64
	}{
		{"green", start, deadline, calTime(2025, 3, 3, 11, 0), civicgrid.WorkingHours, 0.5},
		{"yellow", start, deadline, calTime(2025, 3, 3, 14, 36), civicgrid.WorkingHours, 0.9},
		{"red", start, deadline, calTime(2025, 3, 3, 15, 48), civicgrid.WorkingHours, 1.2},
		{"paused over lunch", start, deadline, calTime(2025, 3, 3, 13, 0), civicgrid.WorkingHours, 0.75},
		{"at deadline", start, deadline, deadline, civicgrid.WorkingHours, 1},
		{"before start", start, deadline, calTime(2025, 3, 3, 8, 0), civicgrid.WorkingHours, 0},
		{"working days", start, cal.Deadline(start, calWD(2)), calTime(2025, 3, 4, 9, 0), civicgrid.WorkingDays, 0.5},
		{"natural green", natStart, natDeadline, calTime(2025, 3, 9, 3, 0), civicgrid.NaturalHours, 0.5},
		{"natural yellow", natStart, natDeadline, calTime(2025, 3, 9, 7, 0), civicgrid.NaturalHours, 0.9},
		{"natural red", natStart, natDeadline, calTime(2025, 3, 9, 10, 0), civicgrid.NaturalHours, 1.2},
		{"zero limit before", start, start, start.Add(-time.Minute), civicgrid.WorkingHours, 0},
		{"zero limit at deadline", start, start, start, civicgrid.WorkingHours, 1},
		{"zero limit after", start, start, start.Add(time.Minute), civicgrid.WorkingHours, math.Nextafter(1, 2)},
		{"past deadline at night", start, deadline, calTime(2025, 3, 3, 19, 0), civicgrid.WorkingHours, 1.625},
		{"past a day-end deadline over the weekend", start, friEnd, calTime(2025, 3, 8, 10, 0), civicgrid.WorkingHours, math.Nextafter(1, 2)},
		{"at a day-end deadline", start, friEnd, friEnd, civicgrid.WorkingHours, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Used(tt.start, tt.deadline, tt.now, tt.unit)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Used(%v, %v, %v, %s) = %v, want %v", tt.start, tt.deadline, tt.now, tt.unit, got, tt.want)
			}
			if overdue := tt.now.After(tt.deadline); (got > 1) != overdue {
				t.Errorf("Used = %v, want more than 1 exactly when overdue (%v)", got, overdue)
			}
		})
	}
}

// TestCalendarRoundTrip checks that AddWorkingMinutes and
// WorkingMinutesBetween are inverses, that results land inside working
// time, and that AddWorkingMinutes agrees with a minute-by-minute count.
func TestCalendarRoundTrip(t *testing.T) {
	cal := civicgrid.DefaultCalendar()
	r := rand.New(rand.NewPCG(2025, 2026))
	lo := calTime(2024, 11, 1, 0, 0)
	span := calTime(2027, 3, 1, 0, 0).Sub(lo)
	for i := range 2000 {
		start := lo.Add(time.Duration(r.Int64N(int64(span))))
		m := 1 + r.IntN(30*420)
		end := cal.AddWorkingMinutes(start, m)
		if got := cal.WorkingMinutesBetween(start, end); got != m {
			t.Fatalf("case %d: WorkingMinutesBetween(%v, AddWorkingMinutes(_, %d) = %v) = %d", i, start, m, end, got)
		}
		if !inWorkingTime(cal, end) {
			t.Fatalf("case %d: AddWorkingMinutes(%v, %d) = %v, not in working time", i, start, m, end)
		}
	}
	for i := range 200 {
		start := lo.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Minute)
		m := 1 + r.IntN(3*420)
		if got, want := cal.AddWorkingMinutes(start, m), slowAddWorkingMinutes(cal, start, m); !got.Equal(want) {
			t.Fatalf("case %d: AddWorkingMinutes(%v, %d) = %v, minute count says %v", i, start, m, got, want)
		}
	}
}

// inWorkingTime reports whether t is on a working day within or at the end
// of a period, excluding period starts.
func inWorkingTime(cal *civicgrid.Calendar, t time.Time) bool {
	t = t.In(cal.Location())
	if !cal.IsWorkday(civicgrid.DateOf(t)) {
		return false
	}
	min := float64(t.Hour()*60+t.Minute()) + float64(t.Second())/60 + float64(t.Nanosecond())/6e10
	for _, p := range cal.Periods() {
		if min > float64(p.Start) && min <= float64(p.End) {
			return true
		}
	}
	return false
}

// slowAddWorkingMinutes counts whole minutes one by one from a start on a
// minute boundary.
func slowAddWorkingMinutes(cal *civicgrid.Calendar, start time.Time, m int) time.Time {
	t := start.In(cal.Location())
	for {
		min := t.Hour()*60 + t.Minute()
		if cal.IsWorkday(civicgrid.DateOf(t)) {
			for _, p := range cal.Periods() {
				if min >= p.Start && min < p.End {
					m--
				}
			}
		}
		t = t.Add(time.Minute)
		if m == 0 {
			return t
		}
	}
}

func TestCalendarConcurrent(t *testing.T) {
	cal := civicgrid.DefaultCalendar()
	want := cal.Deadline(calTime(2025, 9, 25, 10, 0), calWD(20))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if got := civicgrid.DefaultCalendar().Deadline(calTime(2025, 9, 25, 10, 0), calWD(20)); !got.Equal(want) {
					t.Errorf("concurrent Deadline = %v, want %v", got, want)
				}
			}
		})
	}
	wg.Wait()
}

func TestNewCalendar(t *testing.T) {
	day := []civicgrid.WorkPeriod{{Start: 510, End: 720}, {Start: 840, End: 1050}}
	sat := civicgrid.Date{Year: 2025, Month: 3, Day: 8}
	tests := []struct {
		name      string
		loc       *time.Location
		periods   []civicgrid.WorkPeriod
		overrides []civicgrid.DayOverride
		wantErr   bool
	}{
		{"valid", time.UTC, day, nil, false},
		{"touching periods", time.UTC, []civicgrid.WorkPeriod{{Start: 0, End: 720}, {Start: 720, End: 1440}}, nil, false},
		{"with overrides", time.UTC, day, []civicgrid.DayOverride{{Date: sat, Kind: civicgrid.DayWorkday}}, false},
		{"nil location", nil, day, nil, true},
		{"no periods", time.UTC, nil, nil, true},
		{"empty period", time.UTC, []civicgrid.WorkPeriod{{Start: 510, End: 510}}, nil, true},
		{"reversed period", time.UTC, []civicgrid.WorkPeriod{{Start: 720, End: 510}}, nil, true},
		{"negative start", time.UTC, []civicgrid.WorkPeriod{{Start: -10, End: 510}}, nil, true},
		{"end after midnight", time.UTC, []civicgrid.WorkPeriod{{Start: 1000, End: 1441}}, nil, true},
		{"overlapping", time.UTC, []civicgrid.WorkPeriod{{Start: 510, End: 720}, {Start: 700, End: 1050}}, nil, true},
		{"unsorted", time.UTC, []civicgrid.WorkPeriod{{Start: 840, End: 1050}, {Start: 510, End: 720}}, nil, true},
		{"duplicate date", time.UTC, day, []civicgrid.DayOverride{
			{Date: sat, Kind: civicgrid.DayWorkday}, {Date: sat, Kind: civicgrid.DayHoliday}}, true},
		{"bad kind", time.UTC, day, []civicgrid.DayOverride{{Date: sat, Kind: "rest"}}, true},
		{"date that does not exist", time.UTC, day, []civicgrid.DayOverride{
			{Date: civicgrid.Date{Year: 2025, Month: 2, Day: 29}, Kind: civicgrid.DayHoliday}}, true},
		{"zero date", time.UTC, day, []civicgrid.DayOverride{{Kind: civicgrid.DayHoliday}}, true},
		{"date far in the future", time.UTC, day, []civicgrid.DayOverride{
			{Date: civicgrid.Date{Year: 20250, Month: 1, Day: 1}, Kind: civicgrid.DayHoliday}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := civicgrid.NewCalendar(tt.loc, tt.periods, tt.overrides)
			if tt.wantErr {
				if code := civicgrid.ErrorCodeOf(err); code != civicgrid.Invalid {
					t.Errorf("NewCalendar error = %v (code %q), want an Invalid error", err, code)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewCalendar: %v", err)
			}
			if diff := cmp.Diff(tt.periods, cal.Periods()); diff != "" {
				t.Errorf("Periods (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCalendarIsImmutable(t *testing.T) {
	periods := []civicgrid.WorkPeriod{{Start: 540, End: 1020}}
	overrides := []civicgrid.DayOverride{{Date: civicgrid.Date{Year: 2025, Month: 3, Day: 3}, Kind: civicgrid.DayHoliday}}
	cal, err := civicgrid.NewCalendar(time.UTC, periods, overrides)
	if err != nil {
		t.Fatal(err)
	}
	periods[0].End = 600
	overrides[0].Kind = civicgrid.DayWorkday
	cal.Periods()[0].End = 600
	cal.Overrides()[0].Kind = civicgrid.DayWorkday
	if got := cal.MinutesPerWorkday(); got != 480 {
		t.Errorf("MinutesPerWorkday = %d, want 480", got)
	}
	if cal.IsWorkday(overrides[0].Date) {
		t.Error("editing the input overrides changed the calendar")
	}
	if got := cal.Overrides()[0].Kind; got != civicgrid.DayHoliday {
		t.Errorf("Overrides()[0].Kind = %q, want holiday", got)
	}
}

func TestCalendarDefault(t *testing.T) {
	cal := civicgrid.DefaultCalendar()
	if _, off := time.Date(2025, 7, 1, 0, 0, 0, 0, cal.Location()).Zone(); off != 8*3600 {
		t.Errorf("default zone offset = %d, want %d", off, 8*3600)
	}
	want := []civicgrid.WorkPeriod{{Start: 510, End: 720}, {Start: 840, End: 1050}}
	if diff := cmp.Diff(want, cal.Periods()); diff != "" {
		t.Errorf("Periods (-want +got):\n%s", diff)
	}
	if got := cal.MinutesPerWorkday(); got != 420 {
		t.Errorf("MinutesPerWorkday = %d, want 420", got)
	}
	if diff := cmp.Diff(civicgrid.ChinaHolidays(), cal.Overrides()); diff != "" {
		t.Errorf("Overrides (-want +got):\n%s", diff)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    civicgrid.Date
		wantErr bool
	}{
		{"2026-01-01", civicgrid.Date{Year: 2026, Month: 1, Day: 1}, false},
		{"2024-02-29", civicgrid.Date{Year: 2024, Month: 2, Day: 29}, false},
		{"", civicgrid.Date{}, true},
		{"2026-1-1", civicgrid.Date{}, true},
		{"2026-02-30", civicgrid.Date{}, true},
		{"2025-02-29", civicgrid.Date{}, true},
		{"20260101", civicgrid.Date{}, true},
		{"2026/01/01", civicgrid.Date{}, true},
		{" 2026-01-01", civicgrid.Date{}, true},
		{"2026-01-01T00:00:00Z", civicgrid.Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := civicgrid.ParseDate(tt.in)
			if tt.wantErr {
				if code := civicgrid.ErrorCodeOf(err); code != civicgrid.Invalid {
					t.Errorf("ParseDate(%q) error = %v, want Invalid", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseDate(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestParseWorkPeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    civicgrid.WorkPeriod
		wantErr bool
	}{
		{"08:30-12:00", civicgrid.WorkPeriod{Start: 510, End: 720}, false},
		{"00:00-24:00", civicgrid.WorkPeriod{Start: 0, End: 1440}, false},
		{"", civicgrid.WorkPeriod{}, true},
		{"08:30", civicgrid.WorkPeriod{}, true},
		{"08:30-", civicgrid.WorkPeriod{}, true},
		{"8:30-12:00", civicgrid.WorkPeriod{}, true},
		{"08:30 - 12:00", civicgrid.WorkPeriod{}, true},
		{"12:00-08:30", civicgrid.WorkPeriod{}, true},
		{"08:30-08:30", civicgrid.WorkPeriod{}, true},
		{"08:60-12:00", civicgrid.WorkPeriod{}, true},
		{"23:00-24:30", civicgrid.WorkPeriod{}, true},
		{"08h30-12h00", civicgrid.WorkPeriod{}, true},
		{"08:30-12:00-14:00", civicgrid.WorkPeriod{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := civicgrid.ParseWorkPeriod(tt.in)
			if tt.wantErr {
				if code := civicgrid.ErrorCodeOf(err); code != civicgrid.Invalid {
					t.Errorf("ParseWorkPeriod(%q) = %v, %v, want an Invalid error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseWorkPeriod(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due    civicgrid.Date         `json:"due"`
		None   civicgrid.Date         `json:"none"`
		ByDate map[civicgrid.Date]int `json:"by_date"`
	}
	in := doc{
		Due:    civicgrid.Date{Year: 2026, Month: 2, Day: 14},
		ByDate: map[civicgrid.Date]int{{Year: 2025, Month: 10, Day: 1}: 3},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"due":"2026-02-14","none":"","by_date":{"2025-10-01":3}}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &out); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Errorf("Unmarshal of a bad date: %v, want an Invalid error", err)
	}
}

func TestWorkPeriodJSON(t *testing.T) {
	in := []civicgrid.DayOverride{{
		Date: civicgrid.Date{Year: 2026, Month: 2, Day: 14},
		Kind: civicgrid.DayWorkday,
		Name: civicgrid.Text{Zh: "春节调休上班", En: "Spring Festival make-up workday"},
	}}
	b, err := json.Marshal(struct {
		Periods   []civicgrid.WorkPeriod  `json:"periods"`
		Overrides []civicgrid.DayOverride `json:"overrides"`
	}{civicgrid.DefaultCalendar().Periods(), in})
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"periods":[{"start":"08:30","end":"12:00"},{"start":"14:00","end":"17:30"}],` +
		`"overrides":[{"date":"2026-02-14","kind":"workday","name":{"zh":"春节调休上班","en":"Spring Festival make-up workday"}}]}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant       %s", b, want)
	}
	var out struct {
		Periods   []civicgrid.WorkPeriod  `json:"periods"`
		Overrides []civicgrid.DayOverride `json:"overrides"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(civicgrid.DefaultCalendar().Periods(), out.Periods); diff != "" {
		t.Errorf("periods round trip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(in, out.Overrides); diff != "" {
		t.Errorf("overrides round trip (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"start":"12:00","end":"08:30"}`, `{"start":"8:30","end":"12:00"}`, `"08:30-12:00"`} {
		var p civicgrid.WorkPeriod
		if err := json.Unmarshal([]byte(bad), &p); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
			t.Errorf("Unmarshal(%s) = %v, want an Invalid error", bad, err)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name string
		d    civicgrid.Date
		n    int
		want civicgrid.Date
	}{
		{"into leap day", civicgrid.Date{Year: 2024, Month: 2, Day: 28}, 1, civicgrid.Date{Year: 2024, Month: 2, Day: 29}},
		{"over year end", civicgrid.Date{Year: 2025, Month: 12, Day: 31}, 1, civicgrid.Date{Year: 2026, Month: 1, Day: 1}},
		{"backwards over year end", civicgrid.Date{Year: 2026, Month: 1, Day: 1}, -1, civicgrid.Date{Year: 2025, Month: 12, Day: 31}},
		{"a year", civicgrid.Date{Year: 2025, Month: 3, Day: 1}, 365, civicgrid.Date{Year: 2026, Month: 3, Day: 1}},
		{"zero", civicgrid.Date{Year: 2025, Month: 3, Day: 1}, 0, civicgrid.Date{Year: 2025, Month: 3, Day: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.AddDays(tt.n); got != tt.want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
			}
		})
	}
	t.Run("agrees with package time", func(t *testing.T) {
		base := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
		d0 := civicgrid.DateOf(base)
		for n := -800_000; n <= 800_000; n += 997 {
			tm := base.AddDate(0, 0, n)
			d := d0.AddDays(n)
			if d != civicgrid.DateOf(tm) || d.Weekday() != tm.Weekday() {
				t.Fatalf("AddDays(%d) = %v (%v), want %v (%v)", n, d, d.Weekday(), civicgrid.DateOf(tm), tm.Weekday())
			}
		}
	})
	t.Run("Before", func(t *testing.T) {
		a := civicgrid.Date{Year: 2025, Month: 12, Day: 31}
		b := civicgrid.Date{Year: 2026, Month: 1, Day: 1}
		if !a.Before(b) || b.Before(a) || a.Before(a) {
			t.Errorf("Before is wrong for %v and %v", a, b)
		}
	})
	t.Run("At", func(t *testing.T) {
		got := civicgrid.Date{Year: 2026, Month: 2, Day: 14}.At(510, cst)
		if want := calTime(2026, 2, 14, 8, 30); !got.Equal(want) || got.Location() != cst {
			t.Errorf("At(510) = %v, want %v", got, want)
		}
	})
	t.Run("DateOf uses the location", func(t *testing.T) {
		utc := time.Date(2025, 9, 30, 20, 0, 0, 0, time.UTC)
		if got, want := civicgrid.DateOf(utc.In(cst)), (civicgrid.Date{Year: 2025, Month: 10, Day: 1}); got != want {
			t.Errorf("DateOf = %v, want %v", got, want)
		}
	})
}
