package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"civicgrid"
)

// reportPage is the "report a problem" form: a category, a place picked
// on the grid map or typed, a description and a photo.
type reportPage struct {
	page
	Categories  []optgroup
	Sources     []option // staff pick the channel; citizens report on the web
	Lat, Lon    string
	Address     string
	Description string
	Map         mapView
	CLat, CLon  string // the map's centre
}

// reportSources are the channels a staff member may record a report as.
var reportSources = []civicgrid.Source{civicgrid.SourceHotline, civicgrid.SourceInspector, civicgrid.SourcePatrol,
	civicgrid.SourceVisit, civicgrid.SourceLeader, civicgrid.SourceWeb}

// defaultSource is the channel of a report made by a user of role.
func defaultSource(role civicgrid.Role) civicgrid.Source {
	switch role {
	case civicgrid.RoleInspector:
		return civicgrid.SourceInspector
	case civicgrid.RoleOperator, civicgrid.RoleShiftLeader, civicgrid.RoleAdmin:
		return civicgrid.SourceHotline
	case civicgrid.RoleLeader:
		return civicgrid.SourceLeader
	}
	return civicgrid.SourceWeb
}

func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "report", s.reportPage(r))
}

// mapStep is how far the report map's arrows move it, in metres.
const mapStep = 600

// reportPage builds the form with the values of r. The map centres on the
// centre it had (clat, clon), moved by the arrow pressed (pan), or on the
// pin, or on the middle of the grid.
func (s *Server) reportPage(r *http.Request) *reportPage {
	city, u := s.city.City(), civicgrid.ActorFrom(r.Context())
	m := &reportPage{page: s.newPage(r, "report.title", "report"), Lat: r.FormValue("lat"), Lon: r.FormValue("lon"),
		Address: r.FormValue("address"), Description: r.FormValue("description")}
	m.Categories = categoryGroups(&m.page, city, u.Role == civicgrid.RoleCitizen, r.FormValue("category_code"))
	if m.Staff() {
		source := r.FormValue("source")
		if source == "" {
			source = string(defaultSource(u.Role))
		}
		for _, src := range reportSources {
			m.Sources = append(m.Sources, option{Value: string(src), Label: m.Text(src.Name()), Selected: string(src) == source})
		}
	}
	pin, hasPin := parsePoint(m.Lat, m.Lon)
	center, ok := parsePoint(r.FormValue("clat"), r.FormValue("clon"))
	switch {
	case ok:
	case hasPin:
		center = pin
	default:
		center = city.Grid.Bounds().Center()
	}
	step := mapStep / metresPerDegree
	switch r.FormValue("pan") {
	case "n":
		center.Lat += step
	case "s":
		center.Lat -= step
	case "e":
		center.Lon += step / math.Cos(center.Lat*math.Pi/180)
	case "w":
		center.Lon -= step / math.Cos(center.Lat*math.Pi/180)
	}
	focus := ""
	if loc, err := city.Grid.Locate(pin); hasPin && err == nil {
		focus = loc.CellCode
	}
	m.Map = cellMap(city.Grid, center, focus, 400, nil)
	if hasPin {
		m.Map = cellMap(city.Grid, center, focus, 400, &pin)
	}
	m.CLat, m.CLon = num(center.Lat, 6), num(center.Lon, 6)
	return m
}

// parsePoint reads a latitude and longitude.
func parsePoint(lat, lon string) (civicgrid.Point, bool) {
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 || (la == 0 && lo == 0) {
		return civicgrid.Point{}, false
	}
	return civicgrid.Point{Lat: la, Lon: lo}, true
}

// handleReport opens a case from the form, or folds it into the open case
// of the same problem nearby, and shows that case.
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return uploadError(err)
	}
	m := s.reportPage(r)
	res, err := s.report(r, u)
	if err != nil {
		return &refusedForm{err: err, name: "report", model: m}
	}
	done := civicgrid.ActionReport
	if res.Folded {
		done = civicgrid.ActionFold
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(int64(res.Case.ID), 10)+"?done="+string(done)+"&n="+res.Case.Number)
}

// report turns the posted form into a report and takes it in.
func (s *Server) report(r *http.Request, u *civicgrid.User) (*civicgrid.IntakeResult, error) {
	in := civicgrid.ReportInput{CategoryCode: r.FormValue("category_code"), Address: r.FormValue("address"),
		Description: r.FormValue("description"), Source: defaultSource(u.Role)}
	fe := civicgrid.FieldErrors{}
	for _, c := range []struct {
		name string
		dst  *float64
	}{{"lat", &in.Lat}, {"lon", &in.Lon}} {
		v := strings.TrimSpace(r.FormValue(c.name))
		if v == "" {
			fe.Add(c.name, "required")
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			fe.Add(c.name, "must be a number")
		}
		*c.dst = f
	}
	if u.Role == civicgrid.RoleCitizen {
		in.Reporter = civicgrid.Reporter{Name: u.DisplayName, Phone: u.Phone, UserID: u.ID}
	} else if src := civicgrid.Source(r.FormValue("source")); src != "" {
		in.Source = src
	}
	if err := in.Validate(); err != nil {
		if e := civicgrid.AsError(err); e != nil {
			for f, p := range e.Fields {
				fe.Add(f, p)
			}
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	photo, err := s.uploadFormPhoto(r)
	if err != nil {
		return nil, err
	}
	if photo != "" {
		in.Photos = []string{photo}
	}
	return s.cases.Intake(r.Context(), in)
}

// followPage finds a case by its public number.
type followPage struct {
	page
	Number   string
	Found    bool
	Case     *civicgrid.Case
	Category string
	Status   string
	Timeline []eventView
	Rating   *ratingView // the reporter's rating of the result (满意度评价)
}

// handleFollow shows the public progress of the case with the number
// asked for; anyone may follow a case of a public category.
func (s *Server) handleFollow(w http.ResponseWriter, r *http.Request) error {
	m := &followPage{page: s.newPage(r, "follow.title", "follow"), Number: strings.TrimSpace(r.URL.Query().Get("number"))}
	if m.Number == "" {
		return s.render(w, http.StatusOK, "follow", m)
	}
	c, events, err := s.cases.PublicFindByNumber(r.Context(), m.Number)
	if err != nil {
		if civicgrid.ErrorCodeOf(err) == civicgrid.NotFound {
			err = &civicgrid.Error{Code: civicgrid.NotFound, Message: "no public case " + m.Number, Fields: map[string]string{"number": "not found"}}
		}
		return &refusedForm{err: err, name: "follow", model: m}
	}
	if err := s.fillFollow(r, m, c, events); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "follow", m)
}
