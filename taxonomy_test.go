package civicgrid_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"civicgrid"

	"github.com/google/go-cmp/cmp"
)

// taxonomyClassCounts are the subclasses per class in DOMAIN.md §3: the
// legacy CET component list and event table, and the GB/T 47678.5 directory
// as imported by CIA.
var taxonomyClassCounts = map[civicgrid.Taxonomy]map[civicgrid.CategoryKind]map[string]int{
	civicgrid.TaxonomyLegacy: {
		civicgrid.Component: {"BJ01": 37, "BJ02": 16, "BJ03": 10, "BJ04": 10, "BJ05": 2, "BJ06": 5},
		civicgrid.Event:     {"SJ01": 19, "SJ02": 5, "SJ03": 6, "SJ04": 10, "SJ05": 14},
	},
	civicgrid.TaxonomyGBT47678: {
		civicgrid.Component: {"01": 76, "02": 44, "03": 16, "04": 14, "05": 3},
		civicgrid.Event:     {"06": 51, "07": 7, "08": 16, "09": 21, "10": 2},
	},
}

var taxonomyCodePatterns = map[civicgrid.Taxonomy]map[civicgrid.CategoryKind]*regexp.Regexp{
	civicgrid.TaxonomyLegacy: {
		civicgrid.Component: regexp.MustCompile(`^BJ\d{4}$`),
		civicgrid.Event:     regexp.MustCompile(`^SJ\d{4}$`),
	},
	civicgrid.TaxonomyGBT47678: {
		civicgrid.Component: regexp.MustCompile(`^0[1-5]\d{3}$`),
		civicgrid.Event:     regexp.MustCompile(`^(0[6-9]|10)\d{3}$`),
	},
}

func mustBuiltinCategories(t *testing.T, tax civicgrid.Taxonomy) map[string]*civicgrid.Category {
	t.Helper()
	cats, err := civicgrid.BuiltinCategories(tax)
	if err != nil {
		t.Fatalf("BuiltinCategories(%s): %v", tax, err)
	}
	byCode := make(map[string]*civicgrid.Category, len(cats))
	for _, c := range cats {
		if _, dup := byCode[c.Code]; dup {
			t.Errorf("%s: duplicate code %s", tax, c.Code)
		}
		byCode[c.Code] = c
	}
	return byCode
}

func TestBuiltinCategoriesTaxonomyCounts(t *testing.T) {
	for tax, wantKinds := range taxonomyClassCounts {
		t.Run(string(tax), func(t *testing.T) {
			got := map[civicgrid.CategoryKind]map[string]int{civicgrid.Component: {}, civicgrid.Event: {}}
			for _, c := range mustBuiltinCategories(t, tax) {
				got[c.Kind][c.ClassCode]++
			}
			if diff := cmp.Diff(wantKinds, got); diff != "" {
				t.Errorf("categories per kind and class (-want +got):\n%s", diff)
			}
		})
	}
	legacy := mustBuiltinCategories(t, civicgrid.TaxonomyLegacy)
	gbt := mustBuiltinCategories(t, civicgrid.TaxonomyGBT47678)
	if len(legacy) != 80+54 || len(gbt) != 153+97 {
		t.Errorf("got %d legacy and %d gbt47678 categories, want 134 and 250", len(legacy), len(gbt))
	}
	// CIA's import leaves these codes out; none may be invented.
	for _, code := range []string{"01016", "05001", "05004", "05008", "06031", "07005", "09007"} {
		if _, ok := gbt[code]; ok {
			t.Errorf("gbt47678 has %s, which is not in the directory", code)
		}
	}
}

func TestBuiltinCategoriesTaxonomyRules(t *testing.T) {
	for tax := range taxonomyClassCounts {
		t.Run(string(tax), func(t *testing.T) {
			for code, c := range mustBuiltinCategories(t, tax) {
				checkBuiltinCategory(t, tax, code, c)
			}
		})
	}
}

func checkBuiltinCategory(t *testing.T, tax civicgrid.Taxonomy, code string, c *civicgrid.Category) {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Errorf("%s: Validate: %v", code, err)
	}
	if c.Taxonomy != tax || !c.Active || c.DuplicateRadiusM <= 0 {
		t.Errorf("%s: taxonomy %q, active %v, radius %v", code, c.Taxonomy, c.Active, c.DuplicateRadiusM)
	}
	if !taxonomyCodePatterns[tax][c.Kind].MatchString(code) || !strings.HasPrefix(code, c.ClassCode) {
		t.Errorf("%s: code does not fit kind %s, class %s", code, c.Kind, c.ClassCode)
	}
	for field, text := range map[string]civicgrid.Text{
		"name": c.Name, "class_name": c.ClassName,
		"filing_condition": c.FilingCondition, "closing_condition": c.ClosingCondition,
	} {
		if text.Zh == "" || text.En == "" {
			t.Errorf("%s: %s lacks a language: %+v", code, field, text)
		}
	}
	handle, ok := c.Limits[civicgrid.StageHandle]
	if !ok || handle.Validate() != nil || len(c.Limits) != 1 {
		t.Errorf("%s: limits %v, want a valid handle limit only", code, c.Limits)
	}
	if c.Urgent && handle.Unit != civicgrid.NaturalHours {
		t.Errorf("%s: urgent but its handle limit %v is not in natural hours", code, handle)
	}
	if tax == civicgrid.TaxonomyGBT47678 && c.Kind == civicgrid.Component && !strings.HasSuffix(c.Name.Zh, "异常") {
		t.Errorf("%s: component matter %q does not end in 异常", code, c.Name.Zh)
	}
}

func TestBuiltinCategoriesTaxonomySpotChecks(t *testing.T) {
	type want struct {
		Name, NameEn string
		Kind         civicgrid.CategoryKind
		Handle       civicgrid.TimeLimit
		Urgent       bool
		Public       bool
		Radius       float64
	}
	wh := func(n float64) civicgrid.TimeLimit {
		return civicgrid.TimeLimit{Amount: n, Unit: civicgrid.WorkingHours}
	}
	wd := func(n float64) civicgrid.TimeLimit {
		return civicgrid.TimeLimit{Amount: n, Unit: civicgrid.WorkingDays}
	}
	nh := func(n float64) civicgrid.TimeLimit {
		return civicgrid.TimeLimit{Amount: n, Unit: civicgrid.NaturalHours}
	}
	tests := map[civicgrid.Taxonomy]map[string]want{
		civicgrid.TaxonomyLegacy: {
			"BJ0101": {"上水井盖", "Water supply manhole cover", civicgrid.Component, nh(2), true, true, 30},
			"BJ0118": {"路灯", "Street light", civicgrid.Component, wd(3), false, true, 30},
			"BJ0308": {"环保监测站", "Environmental monitoring station", civicgrid.Component, wd(3), false, false, 50},
			"BJ0601": {"重大危险源", "Major hazard installation", civicgrid.Component, nh(4), true, false, 100},
			"SJ0101": {"私搭乱建", "Illegal construction", civicgrid.Event, wd(20), false, true, 100},
			"SJ0102": {"暴露垃圾", "Exposed garbage", civicgrid.Event, wh(4), false, true, 50},
			"SJ0401": {"路面塌陷", "Road collapse", civicgrid.Event, nh(4), true, true, 50},
			"SJ0403": {"燃气管道破裂", "Gas pipe rupture", civicgrid.Event, nh(2), true, true, 100},
			"SJ0504": {"店外经营", "Business outside the shopfront", civicgrid.Event, wh(2), false, true, 50},
		},
		civicgrid.TaxonomyGBT47678: {
			"01001": {"供水井盖异常", "Water supply manhole cover problem", civicgrid.Component, nh(2), true, true, 30},
			"03011": {"污水口监测站异常", "Sewage outfall monitoring station problem", civicgrid.Component, wd(3), false, false, 50},
			"06010": {"暴露垃圾", "Exposed garbage", civicgrid.Event, wh(4), false, true, 50},
			"06011": {"积存垃圾渣土", "Accumulated garbage and muck", civicgrid.Event, wd(2), false, true, 50},
			"06012": {"道路不洁", "Dirty road", civicgrid.Event, wh(2), false, true, 50},
			"06017": {"绿地脏乱", "Dirty or messy green space", civicgrid.Event, wh(4), false, true, 50},
			"06025": {"水域不洁", "Dirty water surface", civicgrid.Event, wd(15), false, true, 100},
			"08004": {"工地扬尘", "Dust from a construction site", civicgrid.Event, wd(1), false, true, 100},
			"09006": {"占道经营", "Street vending blocking the road", civicgrid.Event, wh(2), false, true, 50},
			"10002": {"架空线缆脱落", "Fallen overhead cable", civicgrid.Event, nh(2), true, true, 50},
		},
	}
	for tax, byCode := range tests {
		cats := mustBuiltinCategories(t, tax)
		for code, w := range byCode {
			t.Run(code, func(t *testing.T) {
				c, ok := cats[code]
				if !ok {
					t.Fatalf("%s has no %s", tax, code)
				}
				got := want{c.Name.Zh, c.Name.En, c.Kind, c.Limits[civicgrid.StageHandle], c.Urgent, c.Public, c.DuplicateRadiusM}
				if diff := cmp.Diff(w, got); diff != "" {
					t.Errorf("%s (-want +got):\n%s", code, diff)
				}
			})
		}
	}
}

func TestBuiltinCategoriesTaxonomyUnknown(t *testing.T) {
	_, err := civicgrid.BuiltinCategories("cjt214")
	if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
		t.Fatalf("got %v, want an Invalid error", err)
	}
}

func TestBuiltinCategoriesTaxonomyFreshCopy(t *testing.T) {
	first, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyLegacy)
	if err != nil {
		t.Fatal(err)
	}
	first[0].Name.Zh = "changed"
	first[0].Limits[civicgrid.StageHandle] = civicgrid.TimeLimit{Amount: 99, Unit: civicgrid.WorkingDays}
	second, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyLegacy)
	if err != nil {
		t.Fatal(err)
	}
	if second[0].Name.Zh == "changed" || second[0].Limits[civicgrid.StageHandle].Amount == 99 {
		t.Errorf("a change to one copy leaked into the next: %+v", second[0])
	}
}

func TestParseCategoriesRoundTripsBuiltinTaxonomy(t *testing.T) {
	want, err := civicgrid.BuiltinCategories(civicgrid.TaxonomyGBT47678)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := civicgrid.ParseCategories(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseCategoriesJSON(t *testing.T) {
	in := `  [
	{"code": "2101", "kind": "component", "class_code": "21", "class_name": {"zh": "扩展部件"},
	 "name": {"zh": "防蚊闸", "en": "Anti-mosquito drain valve"},
	 "limits": {"handle": {"amount": 3, "unit": "working_days"}}, "public": true},
	{"code": "SJ2101", "taxonomy": "legacy", "kind": "event", "name": {"zh": "占道洗车"},
	 "urgent": true, "duplicate_radius_m": 20, "active": false}
]`
	got, err := civicgrid.ParseCategories(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []*civicgrid.Category{
		{
			Code: "2101", Kind: civicgrid.Component, ClassCode: "21", ClassName: civicgrid.Text{Zh: "扩展部件"},
			Name:   civicgrid.Text{Zh: "防蚊闸", En: "Anti-mosquito drain valve"},
			Limits: civicgrid.StageLimits{civicgrid.StageHandle: {Amount: 3, Unit: civicgrid.WorkingDays}},
			Public: true, DuplicateRadiusM: 50, Active: true,
		},
		{
			Code: "SJ2101", Taxonomy: civicgrid.TaxonomyLegacy, Kind: civicgrid.Event, Name: civicgrid.Text{Zh: "占道洗车"},
			Urgent: true, DuplicateRadiusM: 20, Active: false,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseCategoriesCSV(t *testing.T) {
	in := "\uFEFFcode,kind,class_code,class_name_zh,class_name_en,name_zh,name_en,filing_condition_zh,closing_condition_zh,handle_limit,urgent,public\n" +
		`SJ2101,event,SJ21,扩展事件,Extended events,占道洗车,Car washing on the road,"在道路上洗车，影响通行",洗车已停止,4 working_hours,false,true` + "\n" +
		"\n" +
		"BJ2115,component,BJ21,扩展部件,Extended components,泵站,Pumping station,泵站异常,泵站恢复运行,,是,否\n"
	got, err := civicgrid.ParseCategories(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []*civicgrid.Category{
		{
			Code: "SJ2101", Kind: civicgrid.Event, ClassCode: "SJ21",
			ClassName:        civicgrid.Text{Zh: "扩展事件", En: "Extended events"},
			Name:             civicgrid.Text{Zh: "占道洗车", En: "Car washing on the road"},
			FilingCondition:  civicgrid.Text{Zh: "在道路上洗车，影响通行"},
			ClosingCondition: civicgrid.Text{Zh: "洗车已停止"},
			Limits:           civicgrid.StageLimits{civicgrid.StageHandle: {Amount: 4, Unit: civicgrid.WorkingHours}},
			Public:           true, DuplicateRadiusM: 50, Active: true,
		},
		{
			Code: "BJ2115", Kind: civicgrid.Component, ClassCode: "BJ21",
			ClassName:        civicgrid.Text{Zh: "扩展部件", En: "Extended components"},
			Name:             civicgrid.Text{Zh: "泵站", En: "Pumping station"},
			FilingCondition:  civicgrid.Text{Zh: "泵站异常"},
			ClosingCondition: civicgrid.Text{Zh: "泵站恢复运行"},
			Urgent:           true, DuplicateRadiusM: 50, Active: true,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseCategoriesErrors(t *testing.T) {
	const header = "code,kind,class_code,class_name_zh,class_name_en,name_zh,name_en,filing_condition_zh,closing_condition_zh,handle_limit,urgent,public\n"
	const good = "SJ2101,event,SJ21,扩展事件,,占道洗车,,,,4 working_hours,false,true\n"
	tests := []struct {
		name      string
		in        string
		wantField string
		wantText  string
	}{
		{"empty file", " \n", "file", "empty"},
		{"bad JSON", "[\n{\"code\": \"SJ2101\",}\n]", "line 2", "invalid JSON"},
		{"JSON wrong type", `[{"code": "SJ2101", "kind": "event", "name": {"zh": "x"}}, {"code": "SJ2102", "urgent": "yes"}]`, "row 2", "urgent"},
		{"JSON unknown field", `[{"code": "SJ2101", "kind": "event", "name": {"zh": "x"}, "colour": "red"}]`, "row 1", "unknown field"},
		{"JSON bad limit", `[{"code": "SJ2101", "kind": "event", "name": {"zh": "x"}, "limits": {"handle": {"amount": 4, "unit": "hours"}}}]`, "row 1", "limits.handle"},
		{"JSON duplicate code", `[{"code": "SJ2101", "kind": "event", "name": {"zh": "x"}}, {"code": "SJ2101", "kind": "event", "name": {"zh": "y"}}]`, "row 2", "duplicate code SJ2101 (first in row 1)"},
		{"JSON missing name", `[{"code": "SJ2101", "kind": "event"}]`, "row 1", "name"},
		{"CSV bad limit", header + good + "SJ2102,event,SJ21,扩展事件,,乱涂乱画,,,,4 hours,false,true\n", "line 3", "handle_limit"},
		{"CSV negative limit", header + "SJ2102,event,SJ21,扩展事件,,乱涂乱画,,,,-1 working_days,false,true\n", "line 2", "handle_limit"},
		{"CSV duplicate code", header + good + good, "line 3", "duplicate code SJ2101 (first in line 2)"},
		{"CSV missing name", header + good + "SJ2102,event,SJ21,扩展事件,,,,,,,false,true\n", "line 3", "name_zh"},
		{"CSV bad kind", header + "SJ2102,incident,SJ21,扩展事件,,乱涂乱画,,,,,false,true\n", "line 2", "kind"},
		{"CSV bad bool", header + "SJ2102,event,SJ21,扩展事件,,乱涂乱画,,,,,maybe,true\n", "line 2", "urgent"},
		{"CSV column count", header + good + "SJ2102,event\n", "line 3", "columns"},
		{"CSV unknown column", strings.Replace(header, "public", "publik", 1) + good, "line 1", "publik"},
		{"CSV missing column", strings.Replace(header, ",public", "", 1), "line 1", "missing columns: public"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := civicgrid.ParseCategories(strings.NewReader(tt.in))
			if got != nil {
				t.Errorf("got %d categories, want none", len(got))
			}
			e := civicgrid.AsError(err)
			if e == nil || e.Code != civicgrid.Invalid {
				t.Fatalf("got %v, want an Invalid error", err)
			}
			if problem, ok := e.Fields[tt.wantField]; !ok || !strings.Contains(problem, tt.wantText) {
				t.Errorf("fields %v, want %q to mention %q", e.Fields, tt.wantField, tt.wantText)
			}
		})
	}
}

func TestParseCategoriesReportsEveryBadRow(t *testing.T) {
	in := `[{"code": "x"}, {"code": "SJ2101", "kind": "event", "name": {"zh": "ok"}}, {"kind": "event"}]`
	_, err := civicgrid.ParseCategories(strings.NewReader(in))
	e := civicgrid.AsError(err)
	if e == nil {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	var fields []string
	for f := range e.Fields {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	if diff := cmp.Diff([]string{"row 1", "row 3"}, fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
