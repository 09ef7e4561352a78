package civicgrid

import (
	"encoding/json"
	"fmt"
	"strings"
)

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
