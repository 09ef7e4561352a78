package open311

import (
	"net/http"
	"slices"
	"strings"

	"civicgrid"
)

// specURL identifies GeoReport v2 in the discovery document.
const specURL = "http://wiki.open311.org/GeoReport_v2"

// handleDiscovery serves the discovery document. There is no separate
// sandbox, so the test endpoint is the same URL: it is listed because
// validators and some clients need at least two endpoints.
func (s *server) handleDiscovery(w http.ResponseWriter, r *http.Request, f format) error {
	city := s.city()
	base := s.baseURL(r)
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	changeset := s.changeset.In(city.Location()).Format(w3c)
	formats := list{"format", []any{"text/xml", "application/json"}}
	endpoint := func(typ string) object {
		return object{{"specification", specURL}, {"url", base}, {"changeset", changeset}, {"type", typ}, {"formats", formats}}
	}
	return write(w, f, http.StatusOK, document{"discovery", object{
		{"changeset", changeset},
		{"contact", "Open311 endpoint of " + city.Name + "; contact the city's urban management command centre."},
		{"key_service", "API keys are issued by the city's civicgrid administrator (civicgrid apikey add --name APP)."},
		{"endpoints", list{"endpoint", []any{endpoint("production"), endpoint("test")}}},
	}})
}

// publicService returns the category with code when it is open to the
// public, or NotFound.
func publicService(city *civicgrid.City, code string) (*civicgrid.Category, error) {
	cat := city.Categories[code]
	if cat == nil || !cat.Public || !cat.Active {
		return nil, civicgrid.Errorf(civicgrid.NotFound, "unknown service_code %q", code)
	}
	return cat, nil
}

// handleServiceList lists one service per category open to the public, in
// code order (so grouped by class).
func (s *server) handleServiceList(w http.ResponseWriter, r *http.Request, f format) error {
	city := s.city()
	lang := langOf(r)
	var cats []*civicgrid.Category
	for _, c := range city.Categories {
		if c.Public && c.Active {
			cats = append(cats, c)
		}
	}
	slices.SortFunc(cats, func(a, b *civicgrid.Category) int { return strings.Compare(a.Code, b.Code) })
	items := make([]any, len(cats))
	for i, c := range cats {
		items[i] = object{
			{"service_code", c.Code},
			{"service_name", c.Name.In(lang)},
			{"description", orNull(c.FilingCondition.In(lang))},
			{"metadata", len(serviceAttributes(c, lang)) > 0},
			{"type", "realtime"},
			{"keywords", orNull(keywords(c, lang))},
			{"group", orNull(c.ClassName.In(lang))},
		}
	}
	return write(w, f, http.StatusOK, document{"services", list{"service", items}})
}

// keywords are the category's name in the other language, its kind, and
// "urgent" for urgent ones, comma-separated.
func keywords(c *civicgrid.Category, lang string) string {
	var out []string
	other := c.Name.Zh
	if lang != "en" {
		other = c.Name.En
	}
	if other != "" && other != c.Name.In(lang) {
		out = append(out, other)
	}
	out = append(out, kindNames[c.Kind].In(lang))
	if c.Urgent {
		out = append(out, urgentName.In(lang))
	}
	return strings.Join(slices.DeleteFunc(out, func(s string) bool { return s == "" }), ",")
}

var (
	kindNames = map[civicgrid.CategoryKind]civicgrid.Text{
		civicgrid.Component: {Zh: "部件", En: "component"},
		civicgrid.Event:     {Zh: "事件", En: "event"},
	}
	urgentName = civicgrid.Text{Zh: "紧急", En: "urgent"}
)

// handleServiceDefinition serves services/{code}: the questions a report
// of the service may answer.
func (s *server) handleServiceDefinition(w http.ResponseWriter, r *http.Request, f format) error {
	code, err := resourceName(r)
	if err != nil {
		return err
	}
	cat, err := publicService(s.city(), code)
	if err != nil {
		return err
	}
	attrs := serviceAttributes(cat, langOf(r))
	items := make([]any, len(attrs))
	for i, a := range attrs {
		items[i] = object{
			{"variable", a.variable},
			{"code", a.code},
			{"datatype", a.datatype},
			{"required", false},
			{"datatype_description", orNull(a.hint)},
			{"order", i + 1},
			{"description", a.description},
		}
	}
	return write(w, f, http.StatusOK, document{"service_definition", object{
		{"service_code", cat.Code},
		{"attributes", list{"attribute", items}},
	}})
}

// attribute is one question of a service definition.
type attribute struct {
	variable    bool
	code        string
	datatype    string
	hint        string
	description string
}

// attrAddressDetail is the code of the one question every service asks.
const attrAddressDetail = "address_detail"

// serviceAttributes are the questions of a service: an informational one
// stating when such a case is closed (variable false: shown, not answered),
// and an optional free-text address detail.
func serviceAttributes(c *civicgrid.Category, lang string) []attribute {
	closing := c.ClosingCondition.In(lang)
	if closing == "" {
		closing = defaultClosing.In(lang)
	}
	return []attribute{
		{code: "closing_condition", datatype: "string", description: closingLabel.In(lang) + closing},
		{variable: true, code: attrAddressDetail, datatype: "string", hint: addressHint.In(lang), description: addressLabel.In(lang)},
	}
}

var (
	defaultClosing = civicgrid.Text{Zh: "问题处置完毕并经核查通过", En: "the problem is dealt with and the result is checked"}
	closingLabel   = civicgrid.Text{Zh: "结案条件：", En: "Closed when: "}
	addressHint    = civicgrid.Text{Zh: "门牌号、楼层或附近的标志物，最多 200 字", En: "house number, floor or a landmark nearby, at most 200 characters"}
	addressLabel   = civicgrid.Text{Zh: "详细位置（选填）", En: "Location details (optional)"}
)
