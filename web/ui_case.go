package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// photoActions are the actions whose form takes a photo: the evidence of a
// verification, a fix or a check.
var photoActions = []civicgrid.Action{civicgrid.ActionVerifyPass, civicgrid.ActionVerifyFail, civicgrid.ActionFinish,
	civicgrid.ActionCheckPass, civicgrid.ActionCheckFail}

// casePage is one case: its details, photos, place on the grid, timeline
// and the forms of the actions the viewer may take now.
type casePage struct {
	page
	C         *civicgrid.Case
	Category  string
	Class     string
	Status    string
	Stage     string
	Place     string
	Cell      string
	Unit      string
	Inspector string
	Component string // the registered component (部件): name and state, or its code
	// ComponentCases lists every case of the component, for staff.
	ComponentCases string
	Source         string
	Reporter       string
	Light          string
	LightText      string
	Used           int
	Photos         []photoView
	Map            mapView
	Timeline       []eventView
	Actions        []*actionForm
	Rating         *ratingView // the reporters' ratings of the result (满意度评价)
}

// photoView links a photo and its thumbnail.
type photoView struct{ URL, Thumb string }

// eventView is one entry of the timeline.
type eventView struct {
	At       time.Time
	Action   string
	Actor    string
	From, To string
	Note     string
	Details  []string
	Photos   []photoView
	Late     bool
}

// actionForm is the form of one action the viewer may take, with the
// inputs its rule needs and, after a refusal, the values sent.
type actionForm struct {
	Action       civicgrid.Action
	Name         string
	Version      int
	NoteRequired bool
	Note         string
	Units        []option // dispatch: the unit, routing's choice first
	Inspectors   []option // verification and check requests: who goes
	Extension    bool
	ExtAmount    string
	ExtUnits     []option
	Photo        bool
	Side         bool // an action aside from the case's course (urge, suspend, cancel)
	Problem      string
	Fields       map[string]string
}

// Field returns the problem with the form's field name, or "".
func (f *actionForm) Field(name string) string { return f.Fields[name] }

// sent is an action form as posted.
type sent struct {
	action                civicgrid.Action
	note, unit, inspector string
	extAmount, extUnit    string
}

func (s *Server) handleCasePage(w http.ResponseWriter, r *http.Request) error {
	if _, err := signedIn(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := s.casePage(r, id, nil)
	if err != nil {
		return err
	}
	m.Notice = doneNotice(&m.page, s.city.City(), r)
	return s.render(w, http.StatusOK, "case", m)
}

// casePage builds the page of case id for the viewer of r; form, when set,
// is a refused form whose values are kept.
func (s *Server) casePage(r *http.Request, id civicgrid.CaseID, form *sent) (*casePage, error) {
	ctx := r.Context()
	c, events, err := s.cases.Find(ctx, id)
	if err != nil {
		return nil, err
	}
	city, u := s.city.City(), civicgrid.ActorFrom(ctx)
	m := &casePage{page: s.newPage(r, "case.title", "cases"), C: c}
	m.Title = m.Tf("case.title", c.Number)
	inspectors, err := s.inspectors(ctx, u)
	if err != nil {
		return nil, err
	}
	s.describeCase(m, city, c, inspectors)
	if err := s.describeComponent(ctx, m, u, c); err != nil {
		return nil, err
	}
	pt := civicgrid.Point{Lat: c.Lat, Lon: c.Lon}
	m.Map = cellMap(city.Grid, pt, c.CellCode, 250, &pt)
	for _, ev := range slices.Backward(events) {
		m.Timeline = append(m.Timeline, s.eventView(&m.page, city, ev, inspectors, u.Role == civicgrid.RoleCitizen))
	}
	for _, a := range s.cases.Allowed(ctx, c) {
		m.Actions = append(m.Actions, s.actionForm(&m.page, city, c, a, inspectors, form))
	}
	if m.Rating, err = s.ratingView(ctx, &m.page, c, events, "case"); err != nil {
		return nil, err
	}
	return m, nil
}

// inspectors returns the inspectors by id, for names and choices; none for
// a citizen, who sees neither.
func (s *Server) inspectors(ctx context.Context, u *civicgrid.User) ([]*civicgrid.User, error) {
	if u.Role == civicgrid.RoleCitizen {
		return nil, nil
	}
	var out []*civicgrid.User
	role := civicgrid.RoleInspector
	err := s.store.View(ctx, func(tx civicgrid.Tx) error {
		var err error
		out, err = tx.FindUsers(ctx, civicgrid.UserFilter{Role: &role})
		return err
	})
	return out, err
}

// userName returns the display name of the user id among users, or "".
func userName(users []*civicgrid.User, id civicgrid.UserID) string {
	for _, u := range users {
		if u.ID == id {
			return u.DisplayName
		}
	}
	return ""
}

// describeCase fills the details of c.
func (s *Server) describeCase(m *casePage, city *civicgrid.City, c *civicgrid.Case, inspectors []*civicgrid.User) {
	m.Category = categoryName(&m.page, city, c.CategoryCode)
	if cat := city.Categories[c.CategoryCode]; cat != nil {
		m.Class = m.Text(cat.ClassName)
	}
	m.Status = m.Text(c.Status.Name())
	if c.Stage != "" && c.Status.Open() {
		m.Stage = m.T("stage." + string(c.Stage))
	}
	var names []string
	for _, code := range []string{c.DistrictCode, c.StreetCode, c.CommunityCode} {
		if a := city.Grid.Area(code); a != nil {
			names = append(names, a.Name)
		}
	}
	m.Place = strings.Join(names, " · ")
	m.Cell = c.CellCode
	if cell := city.Grid.Cell(c.CellCode); cell != nil && cell.Name != "" {
		m.Cell = cell.Name + " (" + c.CellCode + ")"
	}
	if unit := city.Units[c.UnitID]; unit != nil {
		m.Unit = m.Text(unit.Name)
	}
	m.Inspector = userName(inspectors, c.InspectorID)
	m.Source = m.Text(c.Source.Name())
	m.Reporter = strings.TrimSpace(c.Reporter.Name + " " + c.Reporter.Phone)
	var used float64
	m.Light, used = stageLight(city, c, s.now())
	m.Used = int(min(used, 9.99) * 100)
	if m.Light != "" {
		m.LightText = m.T("light." + m.Light)
	}
	m.Photos = photoViews(c.Photos)
}

// describeComponent names the registered component (部件) c is about, with
// its state; staff also get the list of the component's cases, where
// repeat problems show.
func (s *Server) describeComponent(ctx context.Context, m *casePage, u *civicgrid.User, c *civicgrid.Case) error {
	if c.ComponentCode == "" {
		return nil
	}
	m.Component = c.ComponentCode
	if u.Role == civicgrid.RoleCitizen {
		return nil
	}
	m.ComponentCases = "/cases?" + url.Values{"component": {c.ComponentCode}}.Encode()
	comp, err := s.components.Find(ctx, c.ComponentCode)
	switch {
	case civicgrid.ErrorCodeOf(err) == civicgrid.NotFound:
		return nil
	case err != nil:
		return err
	}
	m.Component = strings.TrimSpace(comp.Name + " " + comp.Code)
	if comp.State != "" {
		m.Component += " · " + comp.State
	}
	return nil
}

// photoViews links the photos with ids.
func photoViews(ids []string) []photoView {
	out := make([]photoView, len(ids))
	for i, id := range ids {
		out[i] = photoView{URL: "/photos/" + id, Thumb: "/photos/" + id + "/thumbnail"}
	}
	return out
}

// eventView describes ev; a citizen is not told who in the centre acted.
func (s *Server) eventView(p *page, city *civicgrid.City, ev *civicgrid.CaseEvent, inspectors []*civicgrid.User, citizen bool) eventView {
	v := eventView{At: ev.At, Action: actionName(p, city, ev.Action), Actor: ev.ActorName + " · " + p.Text(ev.Role.Name()),
		To: p.Text(ev.To.Name()), Note: ev.Note, Photos: photoViews(ev.Photos), Late: ev.OnTime != nil && !*ev.OnTime}
	if citizen {
		v.Actor = p.Text(ev.Role.Name())
	}
	if ev.From != "" && ev.From != ev.To {
		v.From = p.Text(ev.From.Name())
	}
	if id, err := strconv.ParseInt(ev.Data["unit_id"], 10, 64); err == nil {
		if unit := city.Units[civicgrid.UnitID(id)]; unit != nil {
			v.Details = append(v.Details, p.T("case.unit")+": "+p.Text(unit.Name))
		}
	}
	if id, err := strconv.ParseInt(ev.Data["inspector_id"], 10, 64); err == nil && !citizen {
		if name := userName(inspectors, civicgrid.UserID(id)); name != "" {
			v.Details = append(v.Details, p.T("case.inspector")+": "+name)
		}
	}
	if ext := ev.Data["extension"]; ext != "" {
		v.Details = append(v.Details, p.T("case.extension")+": "+extensionText(p, ext))
	}
	if ev.Deadline != nil {
		v.Details = append(v.Details, p.T("case.deadline")+": "+p.Time(*ev.Deadline))
	}
	return v
}

// extensionText turns a TimeLimit's String ("2 working_days") into words.
func extensionText(p *page, s string) string {
	amount, unit, ok := strings.Cut(s, " ")
	if !ok {
		return s
	}
	return amount + " " + p.T("unit."+unit)
}

// actionForm builds the form of action a on c.
func (s *Server) actionForm(p *page, city *civicgrid.City, c *civicgrid.Case, a civicgrid.Action, inspectors []*civicgrid.User, form *sent) *actionForm {
	rule := city.Workflow.Rule(a)
	f := &actionForm{Action: a, Name: actionName(p, city, a), Version: c.Version, Photo: slices.Contains(photoActions, a),
		Side: slices.Contains(sideActions, a)}
	var keep sent
	if form != nil && form.action == a {
		keep = *form
		f.Note, f.ExtAmount = form.note, form.extAmount
	}
	if rule == nil {
		return f
	}
	f.NoteRequired = slices.Contains(rule.Needs, civicgrid.InputNote)
	f.Extension = slices.Contains(rule.Needs, civicgrid.InputExtension)
	if f.Extension {
		for _, u := range []civicgrid.LimitUnit{civicgrid.WorkingDays, civicgrid.WorkingHours, civicgrid.NaturalHours} {
			f.ExtUnits = append(f.ExtUnits, option{Value: string(u), Label: p.T("unit." + string(u)), Selected: keep.extUnit == string(u)})
		}
	}
	if slices.Contains(rule.Effects, civicgrid.EffectAssignUnit) {
		f.Units = unitOptions(p, city, c, keep.unit)
	}
	if slices.Contains(rule.Effects, civicgrid.EffectAssignInspector) {
		f.Inspectors = inspectorOptions(p, city, c, inspectors, keep.inspector)
	}
	return f
}

// unitOptions lists the active units, the one routing would choose first.
func unitOptions(p *page, city *civicgrid.City, c *civicgrid.Case, selected string) []option {
	routed, _ := civicgrid.Route(city.Routing, c.CategoryCode, c.CellCode)
	first := option{Value: "", Label: p.T("case.unit.routed")}
	if u := city.Units[routed]; u != nil {
		first.Label += ": " + p.Text(u.Name)
	}
	out := []option{first}
	for _, u := range sortedByCode(city.Units, func(u *civicgrid.Unit) string { return u.Code }) {
		if !u.Active {
			continue
		}
		v := strconv.FormatInt(int64(u.ID), 10)
		out = append(out, option{Value: v, Label: p.Text(u.Name), Selected: v == selected})
	}
	return out
}

// inspectorOptions lists the inspectors who may go to c's cell: the cell's
// own first (the default), then those whose area covers it.
func inspectorOptions(p *page, city *civicgrid.City, c *civicgrid.Case, inspectors []*civicgrid.User, selected string) []option {
	first := option{Value: "", Label: p.T("case.inspector.cell")}
	if cell := city.Grid.Cell(c.CellCode); cell != nil && len(cell.Inspectors) > 0 {
		first.Label += ": " + userName(inspectors, cell.Inspectors[0])
	}
	out := []option{first}
	for _, u := range inspectors {
		if u.Active && strings.HasPrefix(c.CellCode, u.AreaCode) {
			v := strconv.FormatInt(int64(u.ID), 10)
			out = append(out, option{Value: v, Label: u.DisplayName + " (" + u.Name + ")", Selected: v == selected})
		}
	}
	return out
}

// handleCaseActForm takes an action from a case page's form. A refused action
// renders the page again with the problem and the values sent.
func (s *Server) handleCaseActForm(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return uploadError(err)
	}
	form := &sent{action: civicgrid.Action(r.FormValue("action")), note: r.FormValue("note"), unit: r.FormValue("unit_id"),
		inspector: r.FormValue("inspector_id"), extAmount: r.FormValue("ext_amount"), extUnit: r.FormValue("ext_unit")}
	c, err := s.act(r, id, form)
	if err != nil {
		m, perr := s.casePage(r, id, form)
		if perr != nil {
			return err
		}
		for _, f := range m.Actions {
			if f.Action == form.action {
				tmp := page{Lang: m.Lang}
				tmp.setProblem(err)
				f.Problem, f.Fields = tmp.Problem+" "+tmp.Detail, tmp.Fields
			}
		}
		return &refusedForm{err: err, name: "case", model: m}
	}
	target := "/cases/" + strconv.FormatInt(int64(c.ID), 10)
	if !u.CanSee(c, s.city.City().Grid) {
		target = "/"
	}
	return redirect(w, r, target+"?done="+string(form.action)+"&n="+c.Number)
}

// act turns the posted form into an ActionInput and takes it.
func (s *Server) act(r *http.Request, id civicgrid.CaseID, form *sent) (*civicgrid.Case, error) {
	version, _ := strconv.Atoi(r.FormValue("version"))
	in := civicgrid.ActionInput{Action: form.action, Version: version, Note: form.note}
	fe := civicgrid.FieldErrors{}
	if form.unit != "" {
		n, err := strconv.ParseInt(form.unit, 10, 64)
		if err != nil {
			fe.Add("unit_id", "unknown unit")
		}
		in.UnitID = civicgrid.UnitID(n)
	}
	if form.inspector != "" {
		n, err := strconv.ParseInt(form.inspector, 10, 64)
		if err != nil {
			fe.Add("inspector_id", "unknown user")
		}
		in.InspectorID = civicgrid.UserID(n)
	}
	if form.extAmount != "" || form.extUnit != "" {
		amount, err := strconv.ParseFloat(form.extAmount, 64)
		if err != nil || amount <= 0 {
			fe.Add("extension", "must be a positive number")
		}
		in.Extension = &civicgrid.TimeLimit{Amount: amount, Unit: civicgrid.LimitUnit(form.extUnit)}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	photo, err := s.uploadFormPhoto(r)
	if err != nil {
		return nil, err
	}
	if photo != "" {
		in.Photos = []string{photo}
	}
	return s.cases.Act(r.Context(), id, in)
}

// uploadFormPhoto stores the photo of the form's photo field and returns
// its id; "" when none was chosen.
func (s *Server) uploadFormPhoto(r *http.Request) (string, error) {
	f, hdr, err := r.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && hdr.Size == 0) {
		return "", nil
	}
	if err != nil {
		return "", uploadError(err)
	}
	defer f.Close()
	if hdr.Size > civicgrid.MaxPhotoBytes {
		return "", photoTooLarge()
	}
	data, err := io.ReadAll(io.LimitReader(f, civicgrid.MaxPhotoBytes+1))
	if err != nil {
		return "", uploadError(err)
	}
	a, err := s.photos.Upload(r.Context(), data)
	if err != nil {
		if e := civicgrid.AsError(err); e != nil && len(e.Fields) == 0 && e.Code != civicgrid.Internal {
			return "", &civicgrid.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{"photo": e.Message}, Err: err}
		}
		return "", err
	}
	return a.ID, nil
}

// handlePhotoFile serves a photo, or its thumbnail, to a signed-in user.
func (s *Server) handlePhotoFile(thumbnail bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := signedIn(r); err != nil {
			return err
		}
		return s.servePhoto(w, r, thumbnail)
	}
}
