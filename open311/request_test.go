package open311_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"civicgrid"
)

// apiError is one error of the spec's error list.
type apiError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

// errorsOf decodes the error list of a JSON or XML answer.
func errorsOf(t *testing.T, r *response) []apiError {
	t.Helper()
	var errs []apiError
	var err error
	if strings.HasPrefix(r.ctype, "application/json") {
		err = json.Unmarshal(r.body, &errs)
	} else {
		var doc struct {
			Errors []apiError `xml:"error"`
		}
		err = xml.Unmarshal(r.body, &doc)
		errs = doc.Errors
	}
	if err != nil || len(errs) == 0 {
		t.Fatalf("not an error list (%v): %s", err, r.body)
	}
	return errs
}

// TestRequestCreateRefused checks that each kind of bad report gets the
// spec's status and an error body that says what is wrong, and that none
// of them creates anything.
func TestRequestCreateRefused(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	ok := func(kv ...string) url.Values {
		v := url.Values{"api_key": {e.key}, "service_code": {catGarbage}, "lat": {lat}, "long": {lon}, "description": {"垃圾"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	for _, tc := range []struct {
		name       string
		form       url.Values
		wantStatus int
		wantText   string
	}{
		{"no api_key", ok("api_key", ""), 403, "api_key"},
		{"unknown api_key", ok("api_key", "ak_nope"), 403, "api_key"},
		{"no service_code", ok("service_code", ""), 400, "service_code: required"},
		{"unknown service_code", ok("service_code", "99999"), 404, "unknown service_code"},
		{"service not open to the public", ok("service_code", catPrivate), 404, "unknown service_code"},
		{"inactive service", ok("service_code", catInactive), 404, "unknown service_code"},
		{"unknown jurisdiction", ok("jurisdiction_id", "other.example"), 404, "jurisdiction_id"},
		{"address_string alone", ok("lat", "", "long", "", "address_string", "湖滨路 12 号"), 400, "this jurisdiction needs lat/long"},
		{"address_id alone", ok("lat", "", "long", "", "address_id", "#NOTPINPOINTED#"), 400, "no geocoder"},
		{"no location", ok("lat", "", "long", ""), 400, "send lat and long"},
		{"lat without long", ok("long", ""), 400, "long: required with lat"},
		{"lat not a number", ok("lat", "north"), 400, "lat: must be decimal degrees"},
		{"lat out of range", ok("lat", "91"), 400, "lat: must be decimal degrees"},
		{"long NaN", ok("long", "NaN"), 400, "long: must be decimal degrees"},
		{"outside the grid", ok("lat", "31.000000"), 400, "outside the managed area"},
		{"description too long", ok("description", strings.Repeat("长", 4001)), 400, "description"},
		{"media_url not a URL", ok("media_url", "photo.jpg"), 400, "media_url"},
		{"address_detail too long", ok("attribute[address_detail]", strings.Repeat("x", 201)), 400, "attribute[address_detail]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, ext := range []string{"xml", "json"} {
				r := e.post("requests."+ext, tc.form)
				if r.status != tc.wantStatus {
					t.Fatalf("%s: status %d, want %d: %s", ext, r.status, tc.wantStatus, r.body)
				}
				errs := errorsOf(t, r)
				if errs[0].Code != tc.wantStatus || !strings.Contains(errs[0].Description, tc.wantText) {
					t.Errorf("%s: errors %+v, want code %d and %q", ext, errs, tc.wantStatus, tc.wantText)
				}
			}
		})
	}
	t.Run("several problems, one error each", func(t *testing.T) {
		r := e.post("requests.json", ok("lat", "north", "long", "east"))
		if errs := errorsOf(t, r); len(errs) != 2 {
			t.Errorf("errors %+v, want one for lat and one for long", errs)
		}
	})
	if n := e.countCases(); n != 0 {
		t.Errorf("refused reports created %d cases", n)
	}
}

// TestUnknownPaths checks the answers for paths and methods that are not
// resources, in the spec's format.
func TestUnknownPaths(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tc := range []struct {
		method, path string
		wantStatus   int
		wantType     string
	}{
		{"GET", "nothing.json", 404, "application/json; charset=utf-8"},
		{"GET", "services", 404, "text/xml; charset=utf-8"},
		{"GET", "services/06010", 404, "text/xml; charset=utf-8"},
		{"GET", "requests/2026-999999.json", 404, "application/json; charset=utf-8"},
		{"GET", "requests/not-a-number.xml", 404, "text/xml; charset=utf-8"},
		{"DELETE", "requests.json", 400, "application/json; charset=utf-8"},
		{"POST", "services.xml", 400, "text/xml; charset=utf-8"},
	} {
		req, _ := http.NewRequest(tc.method, e.url(tc.path), nil)
		r := e.do(req)
		if r.status != tc.wantStatus || r.ctype != tc.wantType {
			t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, r.status, r.ctype, tc.wantStatus, tc.wantType)
		}
		errorsOf(t, r)
	}
}

// listIDs returns the service_request_ids of a JSON list answer, failing
// unless it is 200.
func listIDs(t *testing.T, r *response) []string {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var items []struct {
		ID string `json:"service_request_id"`
	}
	if err := json.Unmarshal(r.body, &items); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestLenientInput checks what sloppy real clients send: 6-decimal
// coordinates, dates in every encoding, comma lists or repeated
// parameters, English by Accept-Language, the base URL with or without its
// slash, and jurisdiction_id sent or not.
func TestLenientInput(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	first := e.report(catGarbage, lat, lon)
	lat2, lon2 := cellCenter(3)
	second := e.report(catManhole, lat2, lon2, "jurisdiction_id", strings.ToUpper(jurisdiction))
	e.act(second, civicgrid.ActionInput{Action: civicgrid.ActionCancel, Note: "重复"})
	e.clock.Advance(time.Hour)
	both := []string{second, first}

	t.Run("dates", func(t *testing.T) {
		for _, q := range []string{
			"start_date=2026-03-10T08:00:00%2B08:00", // encoded properly
			"start_date=2026-03-10T08:00:00+08:00",   // '+' unencoded: arrives as a space
			"start_date=2026-03-10T08%3A00%3A00%2B08%3A00",
			"start_date=2026-03-10T08:00:00%252B08:00", // encoded twice
			"start_date=2026-03-10T00:00:00Z",
			"start_date=2026-03-10T00:00:00.000z",
			"start_date=2026-03-10T00:00:00.5%2B0000",
			"start_date=2026-03-10%2008:00:00%2008:00",
			"start_date=2026-03-10T08:00", // no zone: the city's
			"start_date=2026-03-10&end_date=2026-03-10T23:59:59.999%2B08:00",
		} {
			if got := listIDs(t, e.get("requests.json?"+q)); !slices.Equal(got, both) {
				t.Errorf("%s: %v, want %v", q, got, both)
			}
		}
		if got := listIDs(t, e.get("requests.json?end_date=2026-03-10T08:59:59Z")); len(got) != 2 {
			t.Errorf("end_date after both: %v", got)
		}
		if got := listIDs(t, e.get("requests.json?start_date=2026-03-10T09:00:00.001%2B08:00")); len(got) != 0 {
			t.Errorf("start_date after both: %v", got)
		}
		for _, q := range []string{"start_date=yesterday", "start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z",
			"start_date=2026-03-10T00:00:00Z&end_date=2026-03-09T00:00:00Z"} {
			if r := e.get("requests.json?" + q); r.status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400: %s", q, r.status, r.body)
			}
		}
	})
	t.Run("lists", func(t *testing.T) {
		for q, want := range map[string][]string{
			"status=open,closed":                         both,
			"status=open&status=closed":                  both,
			"status=closed":                              {second},
			"status=OPEN":                                {first},
			"status=no_further_action":                   {second},
			"service_code=06010,01001":                   both,
			"service_code=06010&service_code=01001":      both,
			"service_code=06010,%2001001,":               both,
			"service_code=01001":                         {second},
			"service_request_id=" + first + "," + second: {first, second},
			"service_request_id=" + first + "&service_request_id=2026-999999&service_request_id=" + first: {first},
			"service_request_id=" + second + "&status=open":                                               {second}, // ids override the other filters
		} {
			if got := listIDs(t, e.get("requests.json?"+q)); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", q, got, want)
			}
		}
		if r := e.get("requests.json?status=pending"); r.status != http.StatusBadRequest {
			t.Errorf("status=pending: %d, want 400", r.status)
		}
	})
	t.Run("language", func(t *testing.T) {
		for _, h := range []string{"en", "en-GB,en;q=0.9", "fr, en-US;q=0.5"} {
			r := e.get("services.json", "Accept-Language", h)
			if !strings.Contains(string(r.body), `"service_name":"Exposed garbage"`) {
				t.Errorf("Accept-Language %s: %s", h, r.body)
			}
		}
		if r := e.get("services.json", "Accept-Language", "zh-CN,en;q=0.8"); !strings.Contains(string(r.body), `"service_name":"暴露垃圾"`) {
			t.Errorf("Accept-Language zh-CN: %s", r.body)
		}
	})
	t.Run("base URL", func(t *testing.T) {
		for _, path := range []string{"/open311/v2", "/open311/v2/", "/open311/v2/discovery.xml"} {
			r := e.get(path)
			if r.status != http.StatusOK || !strings.Contains(string(r.body), "<discovery>") {
				t.Errorf("GET %s: %d %s", path, r.status, r.body)
			}
		}
	})
	t.Run("jurisdiction", func(t *testing.T) {
		for q, want := range map[string]int{"": 200, "jurisdiction_id=" + jurisdiction: 200, "jurisdiction_id=": 200, "jurisdiction_id=sfgov.org": 404} {
			if r := e.get("services.xml?" + q); r.status != want {
				t.Errorf("%q: %d, want %d", q, r.status, want)
			}
		}
	})
	t.Run("coordinates", func(t *testing.T) {
		r := e.get("requests/" + first + ".json")
		var got []struct{ Lat, Long float64 }
		if err := json.Unmarshal(r.body, &got); err != nil || len(got) != 1 {
			t.Fatalf("%v: %s", err, r.body)
		}
		if coord(got[0].Lat) != lat || coord(got[0].Long) != lon {
			t.Errorf("lat/long %v,%v, want %s,%s", got[0].Lat, got[0].Long, lat, lon)
		}
	})
}

// TestDuplicates checks that a second report 10 m from an open case of the
// same service is folded into it: the same service_request_id, a notice,
// and one more report counted.
func TestDuplicates(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	first := e.report(catGarbage, lat, lon)
	e.clock.Advance(time.Minute)
	r := e.post("requests.json", url.Values{"api_key": {e.key}, "service_code": {catGarbage},
		"lat": {coord(30.25045 + 0.00009)}, "long": {lon}, "description": {"又看到垃圾"}})
	var got []struct {
		ID     string  `json:"service_request_id"`
		Notice *string `json:"service_notice"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 || len(got) != 1 {
		t.Fatalf("%d %s (%v)", r.status, r.body, err)
	}
	if got[0].ID != first || got[0].Notice == nil || *got[0].Notice != "已合并到已有案件" {
		t.Errorf("second report: %s, want id %s and the merged notice", r.body, first)
	}
	if c := e.findCase(first); c.Reports != 2 {
		t.Errorf("case counts %d reports, want 2", c.Reports)
	}
	if n := e.countCases(); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	// Another service at the same place is another problem.
	if other := e.report(catRoad, lat, lon); other == first {
		t.Errorf("a report of another service was folded in")
	}
	// FixMyStreet resending a report it got no answer for gets the first answer.
	fms := url.Values{"api_key": {e.key}, "service_code": {catManhole}, "lat": {lat}, "long": {lon}, "attribute[fixmystreet_id]": {"4711"}}
	a, b := e.post("requests.json", fms), e.post("requests.json", fms)
	if listIDs(t, a)[0] != listIDs(t, b)[0] || !strings.Contains(string(b.body), "此前已收到同一请求") {
		t.Errorf("resent report: %s then %s", a.body, b.body)
	}
	if c := e.findCase(listIDs(t, a)[0]); c.Reports != 1 {
		t.Errorf("the resent report was counted again: %d reports", c.Reports)
	}
}

// seedCases opens n cases of public categories through the domain (as an
// operator, marked distinct so none is folded), a minute apart, and
// returns their numbers newest first.
func (e *env) seedCases(n int) []string {
	e.tb.Helper()
	ctx := civicgrid.WithActor(context.Background(), e.users[civicgrid.RoleOperator])
	var numbers []string
	for i := range n {
		c, err := e.cases.Report(ctx, civicgrid.ReportInput{CategoryCode: []string{catGarbage, catRoad, catManhole}[i%3],
			Lat: originLat + 0.0001 + float64(i%17)*0.0001, Lon: originLon + 0.0001 + float64(i%19)*0.0001,
			Description: fmt.Sprintf("问题 %d", i), Source: civicgrid.SourceHotline, Distinct: true})
		if err != nil {
			e.tb.Fatal(err)
		}
		numbers = append([]string{c.Number}, numbers...)
		e.clock.Advance(time.Minute)
	}
	return numbers
}

// TestPagination walks the pages as fgregg/chicagorequests does, until the
// first empty page.
func TestPagination(t *testing.T) {
	e := newEnv(t, envOptions{})
	want := e.seedCases(23)
	var got []string
	pages := 0
	for page := 1; ; page++ {
		ids := listIDs(t, e.get(fmt.Sprintf("requests.json?page_size=5&page=%d", page)))
		if len(ids) == 0 {
			break
		}
		pages++
		got = append(got, ids...)
	}
	if pages != 5 || !slices.Equal(got, want) {
		t.Errorf("%d pages of %v, want 5 pages of %v", pages, got, want)
	}
	if ids := listIDs(t, e.get("requests.json?page=2")); !slices.Equal(ids, []string{}) {
		t.Errorf("page 2 of the default 50: %v", ids)
	}
	if ids := listIDs(t, e.get("requests.json")); !slices.Equal(ids, want) {
		t.Errorf("unpaged: %d requests, want all %d", len(ids), len(want))
	}
	r := e.get("requests.xml?page_size=5&page=99")
	if r.status != 200 || !strings.Contains(string(r.body), "<service_requests/>") {
		t.Errorf("a page past the end: %d %s", r.status, r.body)
	}
	for _, q := range []string{"page_size=501", "page_size=0", "page=0", "page=two"} {
		if r := e.get("requests.json?" + q); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, r.status)
		}
	}
}

// TestUpdatedWindow checks updated_after and updated_before, and that
// without any date only the last 90 days are listed.
func TestUpdatedWindow(t *testing.T) {
	e := newEnv(t, envOptions{})
	numbers := e.seedCases(3) // newest first, 09:00 to 09:02
	e.clock.Advance(2 * time.Hour)
	e.act(numbers[1], civicgrid.ActionInput{Action: civicgrid.ActionFile}) // updated at 11:03
	for q, want := range map[string][]string{
		"updated_after=2026-03-10T10:00:00%2B08:00":                                              {numbers[1]},
		"updated_after=2026-03-10T11:03:00%2B08:00":                                              {}, // after, not at
		"updated_before=2026-03-10T10:00:00%2B08:00":                                             {numbers[0], numbers[2]},
		"updated_after=2026-03-10T03:00:00Z&status=open":                                         {numbers[1]},
		"updated_after=2026-03-10T00:00:00Z&updated_before=2026-03-10T03:00:00Z&service_code=01": {},
	} {
		if got := listIDs(t, e.get("requests.json?"+q)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	e.clock.Advance(91 * 24 * time.Hour)
	if got := listIDs(t, e.get("requests.json")); len(got) != 0 {
		t.Errorf("cases older than 90 days listed by default: %v", got)
	}
	if got := listIDs(t, e.get("requests.json?start_date=2026-03-01T00:00:00Z")); len(got) != 3 {
		t.Errorf("with start_date: %v", got)
	}
	if got := listIDs(t, e.get("requests.json?updated_after=2026-03-01T00:00:00Z")); len(got) != 3 {
		t.Errorf("with updated_after (no default window): %v", got)
	}
}

// TestStatuses follows cases through the workflow and checks the base and
// extended statuses, and the filters on them.
func TestStatuses(t *testing.T) {
	e := newEnv(t, envOptions{})
	numbers := e.seedCases(6)
	inspector := e.users[civicgrid.RoleInspector].ID
	steps := map[string][]civicgrid.ActionInput{
		numbers[0]: {},
		numbers[1]: {{Action: civicgrid.ActionVerifyRequest, InspectorID: inspector}},
		numbers[2]: {{Action: civicgrid.ActionFile}, {Action: civicgrid.ActionDispatch, UnitID: e.unit.ID}, {Action: civicgrid.ActionSign}},
		numbers[3]: {{Action: civicgrid.ActionFile}, {Action: civicgrid.ActionSuspend, Note: "等待施工"}},
		numbers[4]: closingPath(e.unit.ID, inspector),
		numbers[5]: {{Action: civicgrid.ActionCancel, Note: "不属实"}},
	}
	for n, ins := range steps {
		for _, in := range ins {
			e.act(n, in)
		}
	}
	want := map[string][2]string{
		numbers[0]: {"open", "open"},
		numbers[1]: {"open", "investigating"},
		numbers[2]: {"open", "in_progress"},
		numbers[3]: {"open", "planned"},
		numbers[4]: {"closed", "fixed"},
		numbers[5]: {"closed", "no_further_action"},
	}
	for _, ext := range []bool{false, true} {
		r := e.get(fmt.Sprintf("requests.json?extensions=%t", ext))
		var items []struct {
			ID     string `json:"service_request_id"`
			Status string `json:"status"`
			Notes  string `json:"status_notes"`
		}
		if err := json.Unmarshal(r.body, &items); err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if w := want[it.ID][map[bool]int{false: 0, true: 1}[ext]]; it.Status != w {
				t.Errorf("extensions=%t: %s is %s, want %s", ext, it.ID, it.Status, w)
			}
		}
		if len(items) != 6 {
			t.Errorf("%d requests, want 6", len(items))
		}
	}
	for q, wantIDs := range map[string][]string{
		"status=planned":             {numbers[3]},
		"status=in_progress,fixed":   {numbers[2], numbers[4]},
		"status=investigating":       {numbers[1]},
		"status=closed":              {numbers[4], numbers[5]},
		"status=open&service_code=x": {},
	} {
		if got := listIDs(t, e.get("requests.json?"+q)); !slices.Equal(got, wantIDs) {
			t.Errorf("%s: %v, want %v", q, got, wantIDs)
		}
	}
	// A case merged into another is a duplicate, and says into which.
	a, b := e.findCase(numbers[0]), e.findCase(numbers[1])
	_, err := e.cases.Merge(civicgrid.WithActor(context.Background(), e.users[civicgrid.RoleAdmin]),
		civicgrid.MergeInput{From: a.ID, FromVersion: a.Version, Into: b.ID, IntoVersion: b.Version})
	if err != nil {
		t.Fatal(err)
	}
	r := e.get("requests/" + numbers[0] + ".json?extensions=true")
	if !strings.Contains(string(r.body), `"status":"duplicate"`) || !strings.Contains(string(r.body), `"service_notice":"已合并到案件 `+numbers[1]+`"`) {
		t.Errorf("merged case: %s", r.body)
	}
	if !strings.Contains(string(e.get("requests/"+numbers[3]+".json").body), `"status_notes":"等待施工"`) {
		t.Errorf("status_notes of the suspended case missing")
	}
}

// TestNumberLookup checks GET requests/{id} among cases of categories not
// open to the public, which take numbers too.
func TestNumberLookup(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := civicgrid.WithActor(context.Background(), e.users[civicgrid.RoleOperator])
	var public, private []string
	for i := range 40 {
		cat := catGarbage
		if i%3 == 0 {
			cat = catPrivate
		}
		c, err := e.cases.Report(ctx, civicgrid.ReportInput{CategoryCode: cat, Lat: originLat + 0.0001 + float64(i%17)*0.0001,
			Lon: originLon + 0.0002, Description: "问题", Source: civicgrid.SourceHotline, Distinct: true})
		if err != nil {
			t.Fatal(err)
		}
		if cat == catPrivate {
			private = append(private, c.Number)
		} else {
			public = append(public, c.Number)
		}
	}
	for _, n := range public {
		if ids := listIDs(t, e.get("requests/"+n+".json")); !slices.Equal(ids, []string{n}) {
			t.Errorf("requests/%s: %v", n, ids)
		}
	}
	for _, n := range append(private, "2026-000000", "2026-000041", "2025-000001", "2026-1", "26-000001") {
		if r := e.get("requests/" + n + ".json"); r.status != http.StatusNotFound {
			t.Errorf("requests/%s: %d, want 404: %s", n, r.status, r.body)
		}
	}
}

// TestRequestCreateFields checks where each field of a report ends up on
// the case, sent as multipart as FixMyStreet does with photos.
func TestRequestCreateFields(t *testing.T) {
	e := newEnv(t, envOptions{})
	lat, lon := cellCenter(0)
	r := e.postMultipart("requests.xml", url.Values{"api_key": {e.key}, "service_code": {catRoad}, "lat": {lat}, "long": {lon},
		"address_string": {"湖滨路 12 号"}, "description": {"  路面塌陷\n约一米见方  "}, "email": {"li@example.com"},
		"first_name": {"Li"}, "last_name": {"Lei"}, "phone": {"13800000000"}, "deviceid": {"d-1"}, "account_id": {"acct-7"},
		"attribute[address_detail]": {"公交站旁"}, "attribute[hazards][]": {"glass", "oil"}, "attribute[closing_condition]": {"x"},
		"attribute[empty]": {""}, "media_url": {"https://photos.example.com/1.jpg", "http://photos.example.com/2.jpg"}})
	var doc struct {
		Requests []struct {
			ID        string `xml:"service_request_id"`
			AccountID string `xml:"account_id"`
		} `xml:"request"`
	}
	if err := xml.Unmarshal(r.body, &doc); err != nil || r.status != 200 || len(doc.Requests) != 1 {
		t.Fatalf("%d %s (%v)", r.status, r.body, err)
	}
	if doc.Requests[0].AccountID != "acct-7" {
		t.Errorf("account_id %q, want it echoed", doc.Requests[0].AccountID)
	}
	c := e.findCase(doc.Requests[0].ID)
	want := &civicgrid.Case{Source: civicgrid.SourceOpen311, CategoryCode: catRoad, Address: "湖滨路 12 号", Description: "路面塌陷\n约一米见方",
		Reporter: civicgrid.Reporter{Name: "Li Lei", Phone: "13800000000", Email: "li@example.com"}, CellCode: cellCodes[0],
		Intake: civicgrid.Intake{APIKeyID: c.Intake.APIKeyID, Attributes: map[string]string{
			"address_detail": "公交站旁", "hazards": "glass,oil", "device_id": "d-1", "account_id": "acct-7",
			"media_url_1": "https://photos.example.com/1.jpg", "media_url_2": "http://photos.example.com/2.jpg"}}}
	got := &civicgrid.Case{Source: c.Source, CategoryCode: c.CategoryCode, Address: c.Address, Description: c.Description,
		Reporter: c.Reporter, CellCode: c.CellCode, Intake: c.Intake}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("case (-want +got):\n%s", diff)
	}
	if c.Intake.APIKeyID == 0 {
		t.Errorf("the case does not name the API key it came through")
	}
	// Without a description the service's name stands in.
	n := e.report(catManhole, lat, lon, "description", "")
	if c := e.findCase(n); c.Description != "供水井盖异常" {
		t.Errorf("description %q, want the service name", c.Description)
	}
}
