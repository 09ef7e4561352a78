package web

import (
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"civicgrid"
)

// hotspotField is one setting of the hotspot settings form (热点参数): a
// field of civicgrid.HotspotConfig, named by its JSON name. The form is
// made from the struct, so a setting added to it shows up here (with its
// JSON name as label until the catalogue has words for it).
type hotspotField struct {
	Name, Label, Hint string
	Value             string // as shown: the setting in use, or what was typed
	Default           string
	Whole             bool // a whole number (else any decimal)
}

// adminHotspotsPage is the hotspot settings form.
type adminHotspotsPage struct {
	page
	Fields []hotspotField
}

func (s *Server) handleAdminHotspotsPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	cfg, err := s.hotspots.Config(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin_hotspots", s.adminHotspotsPage(r, cfg, nil))
}

// adminHotspotsPage builds the form showing cfg, or the values typed
// (by JSON name) where typed is not nil.
func (s *Server) adminHotspotsPage(r *http.Request, cfg civicgrid.HotspotConfig, typed map[string]string) *adminHotspotsPage {
	m := &adminHotspotsPage{page: s.adminPage(r, "admin.hotspots.title")}
	def := civicgrid.DefaultHotspotConfig()
	for _, f := range hotspotConfigFields(&cfg) {
		hf := hotspotField{Name: f.name, Label: f.name, Value: formatSetting(f.value), Whole: f.whole,
			Default: formatSetting(reflect.ValueOf(def).FieldByIndex(f.index))}
		if _, ok := messages["admin.hotspots.f."+f.name]; ok {
			hf.Label = m.T("admin.hotspots.f." + f.name)
		}
		if _, ok := messages["admin.hotspots.f."+f.name+".hint"]; ok {
			hf.Hint = m.T("admin.hotspots.f." + f.name + ".hint")
		}
		if typed != nil {
			hf.Value = typed[f.name]
		}
		m.Fields = append(m.Fields, hf)
	}
	return m
}

// handleAdminHotspots saves the form: every field parsed (an empty one
// takes its default), then HotspotService.SetConfig validates and stores
// it. A refused form comes back with what was typed and the problem
// beside each field.
func (s *Server) handleAdminHotspots(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireAdminPage(r); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxJSONBytes)
	lang := langOf(r)
	// A setting the form cannot carry (not a number) keeps its value.
	cfg, err := s.hotspots.Config(r.Context())
	if err != nil {
		return err
	}
	typed := map[string]string{}
	fe := civicgrid.FieldErrors{}
	for _, f := range hotspotConfigFields(&cfg) {
		text := strings.TrimSpace(r.PostFormValue(f.name))
		typed[f.name] = text
		switch {
		case text == "":
			f.value.SetZero() // the default
		case len(text) > 40:
			fe.Add(f.name, message(lang, "admin.hotspots.err.too_long"))
		case f.whole:
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil || f.value.OverflowInt(n) {
				fe.Add(f.name, message(lang, "admin.hotspots.err.whole"))
				continue
			}
			f.value.SetInt(n)
		default:
			x, err := strconv.ParseFloat(text, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				fe.Add(f.name, message(lang, "admin.hotspots.err.number"))
				continue
			}
			f.value.SetFloat(x)
		}
	}
	// The ranges too, so that every problem shows at once; a field that
	// did not parse keeps that problem.
	if e := civicgrid.AsError(cfg.Validate()); e != nil {
		for name, problem := range e.Fields {
			fe.Add(name, localProblem(name, problem, lang))
		}
	}
	err = fe.Err()
	if err == nil {
		err = localFieldErrors(s.hotspots.SetConfig(r.Context(), cfg), lang)
	}
	if err != nil {
		return &refusedForm{err: err, name: "admin_hotspots", model: s.adminHotspotsPage(r, cfg, typed)}
	}
	return redirect(w, r, "/admin/hotspots?done=hotspots_saved")
}

// localFieldErrors returns err with its field problems in lang (see
// localProblem).
func localFieldErrors(err error, lang string) error {
	e := civicgrid.AsError(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make(map[string]string, len(e.Fields))
	for name, problem := range e.Fields {
		out.Fields[name] = localProblem(name, problem, lang)
	}
	return &out
}

// localProblem is the catalogue's words (admin.hotspots.f.NAME.err) for
// the domain's problem with setting name, or the domain's own words when
// the catalogue has none.
func localProblem(name, problem, lang string) string {
	if _, ok := messages["admin.hotspots.f."+name+".err"]; ok {
		return message(lang, "admin.hotspots.f."+name+".err")
	}
	return problem
}

// configField is one field of a HotspotConfig: its JSON name, where it is
// in the struct, its settable value and whether it is a whole number.
type configField struct {
	name  string
	index []int
	value reflect.Value
	whole bool
}

// hotspotConfigFields lists the number fields of *cfg with a JSON name,
// in the struct's order.
func hotspotConfigFields(cfg *civicgrid.HotspotConfig) []configField {
	v := reflect.ValueOf(cfg).Elem()
	var out []configField
	for _, sf := range reflect.VisibleFields(v.Type()) {
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		f := configField{name: name, index: sf.Index, value: v.FieldByIndex(sf.Index)}
		switch sf.Type.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.whole = true
		case reflect.Float32, reflect.Float64:
		default:
			continue // not a number: the form cannot carry it
		}
		out = append(out, f)
	}
	return out
}

// formatSetting writes a number field as the form shows it.
func formatSetting(v reflect.Value) string {
	if v.CanInt() {
		return strconv.FormatInt(v.Int(), 10)
	}
	return strconv.FormatFloat(v.Float(), 'f', -1, 64)
}
