package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// calDay is one day of the year view; an empty Day pads the first week.
type calDay struct {
	Day   int
	Date  string
	Class string // work, rest, holiday (法定节假日), workday (调休上班)
	Name  string
}

// calMonth is one month of the year view, in weeks from Monday.
type calMonth struct {
	Name  string
	Weeks [][]calDay
}

// dayForm is the values of the add-day form.
type dayForm struct{ Date, Kind, NameZh, NameEn string }

// adminCalendarPage is the working calendar: a year of days, the dated
// overrides of the year, and the working periods.
type adminCalendarPage struct {
	page
	Year              int
	Prev, Next        int
	Months            []calMonth
	Weekdays          []string
	Overrides         []calDay
	Workdays          int
	Periods           string
	MinutesPerWorkday int
	Form              dayForm
	Kinds             []option
}

func (s *Server) handleAdminCalendarPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_calendar", s.adminCalendarPage(r, dayForm{Kind: string(civicgrid.DayHoliday)}, ""))
}

// adminCalendarPage builds the year of r's ?year= (this year by default);
// periods, when set, is a refused periods form.
func (s *Server) adminCalendarPage(r *http.Request, form dayForm, periods string) *adminCalendarPage {
	city := s.city.City()
	cal := city.Calendar
	year := s.now().In(cal.Location()).Year()
	if y, err := strconv.Atoi(r.FormValue("year")); err == nil && y >= 1900 && y <= 2199 {
		year = y
	}
	if d, err := civicgrid.ParseDate(form.Date); err == nil && r.Method == http.MethodPost {
		year = d.Year
	}
	m := &adminCalendarPage{page: s.adminPage(r, "admin.calendar.title"), Year: year, Prev: year - 1, Next: year + 1, Form: form,
		MinutesPerWorkday: cal.MinutesPerWorkday()}
	m.Title = m.Tf("admin.calendar.title", year)
	for _, k := range []civicgrid.DayKind{civicgrid.DayHoliday, civicgrid.DayWorkday} {
		m.Kinds = append(m.Kinds, option{Value: string(k), Label: m.T("admin.calendar." + string(k)), Selected: string(k) == form.Kind})
	}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		m.Weekdays = append(m.Weekdays, m.T("admin.calendar.wd."+d))
	}
	names := map[civicgrid.Date]civicgrid.DayOverride{}
	for _, o := range cal.Overrides() {
		if o.Date.Year == year {
			names[o.Date] = o
			m.Overrides = append(m.Overrides, calDay{Day: o.Date.Day, Date: o.Date.String(), Class: string(o.Kind), Name: m.Text(o.Name)})
		}
	}
	for month := time.January; month <= time.December; month++ {
		cm := calMonth{Name: m.Tf("admin.calendar.month", int(month))}
		d := civicgrid.Date{Year: year, Month: month, Day: 1}
		week := make([]calDay, (int(d.Weekday())+6)%7)
		for ; d.Month == month; d = d.AddDays(1) {
			day := calDay{Day: d.Day, Date: d.String(), Class: "rest"}
			if cal.IsWorkday(d) {
				day.Class = "work"
				m.Workdays++
			}
			if o, ok := names[d]; ok {
				day.Class, day.Name = string(o.Kind), m.Text(o.Name)
			}
			week = append(week, day)
			if len(week) == 7 {
				cm.Weeks, week = append(cm.Weeks, week), nil
			}
		}
		if len(week) > 0 {
			cm.Weeks = append(cm.Weeks, week)
		}
		m.Months = append(m.Months, cm)
	}
	if periods == "" {
		var ps []string
		for _, p := range cal.Periods() {
			ps = append(ps, p.String())
		}
		periods = strings.Join(ps, " ")
	}
	m.Periods = periods
	return m
}

func (s *Server) handleAdminDayAdd(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	form := dayForm{Date: strings.TrimSpace(r.PostFormValue("date")), Kind: r.PostFormValue("kind"),
		NameZh: strings.TrimSpace(r.PostFormValue("name_zh")), NameEn: strings.TrimSpace(r.PostFormValue("name_en"))}
	fe := civicgrid.FieldErrors{}
	d, err := civicgrid.ParseDate(form.Date)
	if err != nil {
		fe.Add("date", "a date such as 2026-10-01")
	} else if d.Year < 1900 || d.Year > 2199 {
		fe.Add("date", "a year between 1900 and 2199")
	}
	kind := civicgrid.DayKind(form.Kind)
	if !kind.Valid() {
		fe.Add("kind", "holiday or workday")
	}
	if form.NameZh == "" {
		fe.Add("name_zh", "required")
	}
	err = fe.Err()
	if err == nil {
		_, err = s.ref.MergeCalendar(r.Context(), nil, []civicgrid.DayOverride{{Date: d, Kind: kind,
			Name: civicgrid.Text{Zh: form.NameZh, En: form.NameEn}}})
	}
	if err != nil {
		return &refusedForm{err: err, name: "admin_calendar", model: s.adminCalendarPage(r, form, "")}
	}
	return redirect(w, r, "/admin/calendar?year="+strconv.Itoa(d.Year)+"&done=day_saved")
}

func (s *Server) handleAdminDayDelete(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	d, err := civicgrid.ParseDate(r.PostFormValue("date"))
	if err != nil {
		return civicgrid.FieldError("date", "a date such as 2026-10-01")
	}
	if _, err := s.ref.RemoveDayOverride(r.Context(), d); err != nil {
		return err
	}
	return redirect(w, r, "/admin/calendar?year="+strconv.Itoa(d.Year)+"&done=day_removed")
}

// handleAdminPeriods replaces the working periods of a working day,
// written as "08:30-12:00 14:00-17:30".
func (s *Server) handleAdminPeriods(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	text := strings.TrimSpace(r.PostFormValue("periods"))
	var periods []civicgrid.WorkPeriod
	var err error
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == ';' || r == '\n' || r == '\r' }) {
		p, perr := civicgrid.ParseWorkPeriod(f)
		if perr != nil {
			err = civicgrid.FieldError("periods", civicgrid.ErrorMessage(perr))
			break
		}
		periods = append(periods, p)
	}
	if err == nil && len(periods) == 0 {
		err = civicgrid.FieldError("periods", "required")
	}
	if err == nil {
		_, err = s.ref.MergeCalendar(r.Context(), periods, nil)
	}
	if err != nil {
		return &refusedForm{err: err, name: "admin_calendar", model: s.adminCalendarPage(r, dayForm{Kind: string(civicgrid.DayHoliday)}, text)}
	}
	return redirect(w, r, "/admin/calendar?done=periods_saved")
}
