package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// near returns a point about metres north of the middle of cell i.
func near(i int, metres float64) (lat, lon float64) {
	lat, lon = cellCenter(i)
	return lat + metres/111_320, lon
}

// garbageAt is a report of exposed garbage about metres north of the middle
// of cell i; extra adds fields.
func garbageAt(i int, metres float64, source string, extra ...any) map[string]any {
	lat, lon := near(i, metres)
	m := map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon, "description": "暴露垃圾", "source": source}
	for j := 0; j+1 < len(extra); j += 2 {
		m[extra[j].(string)] = extra[j+1]
	}
	return m
}

// TestCaseIntakeChannels: each channel's fields, the fold of a report near
// an open case, and the repeat of a report a system sent before.
func TestCaseIntakeChannels(t *testing.T) {
	e := newEnv(t)
	type want struct {
		status           int
		folded, repeated bool
		sameAs           string // the step whose case this report must land in
		contains         []string
	}
	steps := []struct {
		name, actor string
		body        map[string]any
		want        want
	}{
		{"inspector app with device time", "inspector",
			garbageAt(0, 0, "inspector", "intake", map[string]any{"device_time": "2026-03-10T00:58:00Z"}),
			want{status: http.StatusCreated, contains: []string{`"device_time":"2026-03-10T08:58:00+08:00"`, `"reports":1`, `"folded":false`, `"repeated":false`}}},
		{"hotline report 20 m away is folded in", "operator",
			garbageAt(0, 20, "hotline", "reporter", map[string]any{"name": "王女士", "phone": "13800000000"}),
			want{status: http.StatusOK, folded: true, sameAs: "inspector app with device time", contains: []string{`"reports":2`}}},
		{"a distinct problem at the same place is a new case", "operator",
			garbageAt(0, 10, "hotline", "distinct", true),
			want{status: http.StatusCreated}},
		{"another category at the same place is a new case", "operator",
			map[string]any{"category_code": catManhole, "lat": 30.25045, "lon": 120.15052, "description": "井盖缺失", "source": "hotline"},
			want{status: http.StatusCreated}},
		{"120 m away is a new case", "operator", garbageAt(1, 0, "hotline"), want{status: http.StatusCreated}},
		{"walk-in with its station", "operator",
			garbageAt(2, 0, "walkin", "intake", map[string]any{"station": "湖滨城管驿站", "received_by": "张三"}),
			want{status: http.StatusCreated, contains: []string{`"intake":{"station":"湖滨城管驿站","received_by":"张三"}`, `"source":"walkin"`}}},
		{"hotline work order", "operator",
			garbageAt(3, 0, "hotline", "intake", map[string]any{"external_id": "12345-0001"}),
			want{status: http.StatusCreated, contains: []string{`"external_id":"12345-0001"`}}},
		{"the same work order again is a repeat", "operator",
			garbageAt(3, 0, "hotline", "intake", map[string]any{"external_id": "12345-0001"}),
			want{status: http.StatusOK, repeated: true, sameAs: "hotline work order", contains: []string{`"reports":1`}}},
		{"the same number from another source is not a repeat", "operator",
			garbageAt(3, 0, "inspector", "distinct", true, "intake", map[string]any{"external_id": "12345-0001"}),
			want{status: http.StatusCreated}},
	}
	cases := map[string]int64{}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.do("POST", "/api/v1/cases", s.actor, s.body)
			if r.status != s.want.status {
				t.Fatalf("status %d, want %d: %s", r.status, s.want.status, r.body)
			}
			got := decodeBody[intakeOut](t, r)
			cases[s.name] = got.ID
			if got.Folded != s.want.folded || got.Repeated != s.want.repeated {
				t.Errorf("folded %v repeated %v, want %v %v", got.Folded, got.Repeated, s.want.folded, s.want.repeated)
			}
			if got.ReportID == 0 {
				t.Errorf("no report_id: %s", r.body)
			}
			if want := "/api/v1/cases/" + itoa(got.ID); r.header.Get("Location") != want {
				t.Errorf("Location %q, want %q", r.header.Get("Location"), want)
			}
			if s.want.sameAs != "" && got.ID != cases[s.want.sameAs] {
				t.Errorf("case %d, want the case of %q (%d)", got.ID, s.want.sameAs, cases[s.want.sameAs])
			}
			for _, c := range s.want.contains {
				if !strings.Contains(string(r.body), c) {
					t.Errorf("answer does not contain %s: %s", c, r.body)
				}
			}
		})
	}
	if n := e.caseCount(); n != 7 {
		t.Errorf("%d cases, want 7", n)
	}
	// A week later the case is too old for a report nearby to be folded in.
	e.clock.Advance(8 * 24 * time.Hour)
	r := e.do("POST", "/api/v1/cases", "operator", garbageAt(0, 5, "hotline"))
	if r.status != http.StatusCreated {
		t.Errorf("a report next to an eight-day-old case: %d %s", r.status, r.body)
	}
}

func TestCaseIntakeErrors(t *testing.T) {
	e := newEnv(t)
	e.run(t, []scenario{
		{name: "walk-in needs its station", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       garbageAt(0, 0, "walkin", "intake", map[string]any{"received_by": "张三"}),
			wantStatus: http.StatusBadRequest,
			wantBody: `{"error":{"code":"invalid","message":"intake.station: required for a walk-in report: which station received it",
				"fields":{"intake.station":"required for a walk-in report: which station received it"}}}`},
		{name: "hotline without a work-order number is fine", method: "POST", path: "/api/v1/cases", actor: "operator",
			body: garbageAt(1, 0, "hotline"), wantStatus: http.StatusCreated},
		{name: "the api key is the server's to set", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       garbageAt(2, 0, "hotline", "intake", map[string]any{"api_key_id": 3}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"intake.api_key_id":"set by the server, not by the client"`}},
		{name: "unknown intake field", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       garbageAt(2, 0, "hotline", "intake", map[string]any{"desk": 3}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`unknown field \"desk\"`}},
		{name: "device time without a zone", method: "POST", path: "/api/v1/cases", actor: "inspector",
			body:       garbageAt(2, 0, "inspector", "intake", map[string]any{"device_time": "2026-03-10 08:58"}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"code":"invalid"`}},
		{name: "an external id too long", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       garbageAt(2, 0, "hotline", "intake", map[string]any{"external_id": strings.Repeat("9", 65)}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"intake":`}},
		{name: "distinct must be a boolean", method: "POST", path: "/api/v1/cases", actor: "operator",
			body:       garbageAt(2, 0, "hotline", "distinct", "yes"),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"distinct":"must be a boolean, not string"}`}},
	})
	if n := e.caseCount(); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
}

// TestFoldedAnswerHidesTheFirstReporter: a citizen whose report is folded
// into a case someone else reported learns the case, not who reported it.
func TestFoldedAnswerHidesTheFirstReporter(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/cases", "operator", garbageAt(0, 0, "hotline", "reporter", map[string]any{"name": "王女士", "phone": "13800000000"},
		"intake", map[string]any{"received_by": "话务员小李"}))
	if r.status != http.StatusCreated {
		t.Fatalf("report: %d %s", r.status, r.body)
	}
	r = e.do("POST", "/api/v1/cases", "citizen", garbageAt(0, 15, "web"))
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"folded":true`) {
		t.Fatalf("citizen's report: %d %s", r.status, r.body)
	}
	for _, secret := range []string{"13800000000", "王女士", "话务员小李"} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("the citizen's answer shows %s: %s", secret, r.body)
		}
	}
}

func TestCaseReports(t *testing.T) {
	e := newEnv(t)
	// A citizen reports; a hotline caller reports the same problem, which
	// is folded in.
	c := decodeBody[intakeOut](t, e.do("POST", "/api/v1/cases", "citizen", garbageAt(1, 0, "web", "reporter", map[string]any{"name": "陈先生"})))
	e.clock.Advance(time.Hour)
	r := e.do("POST", "/api/v1/cases", "operator", garbageAt(1, 25, "hotline", "reporter", map[string]any{"name": "王女士", "phone": "13800000000"},
		"intake", map[string]any{"external_id": "WO-7", "received_by": "话务员小李"}))
	folded := decodeBody[intakeOut](t, r)
	if r.status != http.StatusOK || folded.ID != c.ID {
		t.Fatalf("second report: %d %s", r.status, r.body)
	}
	c.caseOut = e.walk(t, folded.caseOut, []step{{"operator", "file", nil, "filed"}, {"dispatcher", "dispatch", nil, "dispatched"}})
	path := "/api/v1/cases/" + itoa(c.ID) + "/reports"
	e.run(t, []scenario{
		{name: "the centre sees every reporter", method: "GET", path: path, actor: "operator", wantStatus: http.StatusOK,
			wantContains: []string{`"name":"陈先生"`, `"phone":"13800000000"`, `"received_by":"话务员小李"`, `"external_id":"WO-7"`,
				`"at":"2026-03-10T09:00:00+08:00"`, `"at":"2026-03-10T10:00:00+08:00"`}},
		{name: "the unit sees the problem, not the people", method: "GET", path: path, actor: "sanitation", wantStatus: http.StatusOK,
			wantContains: []string{`"source":"web"`, `"source":"hotline"`}},
		{name: "the citizen sees their own report only", method: "GET", path: path, actor: "citizen", wantStatus: http.StatusOK,
			wantContains: []string{`"name":"陈先生"`}},
		{name: "another citizen sees nothing", method: "GET", path: path, actor: "citizen2", wantStatus: http.StatusNotFound},
		{name: "unknown case", method: "GET", path: "/api/v1/cases/9999/reports", actor: "operator", wantStatus: http.StatusNotFound},
		{name: "not an id", method: "GET", path: "/api/v1/cases/x/reports", actor: "operator", wantStatus: http.StatusBadRequest},
		{name: "no token", method: "GET", path: path, wantStatus: http.StatusUnauthorized},
	})
	for _, tt := range []struct {
		actor  string
		hidden []string
	}{
		{"sanitation", []string{"陈先生", "王女士", "13800000000"}},
		{"inspector", []string{"陈先生", "王女士", "13800000000"}},
		{"citizen", []string{"王女士", "13800000000", "话务员小李"}},
	} {
		r := e.do("GET", path, tt.actor, nil)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d %s", tt.actor, r.status, r.body)
			continue
		}
		for _, h := range tt.hidden {
			if strings.Contains(string(r.body), h) {
				t.Errorf("%s sees %s: %s", tt.actor, h, r.body)
			}
		}
	}
	got := decodeBody[struct {
		Items []struct {
			ID     int64  `json:"id"`
			CaseID int64  `json:"case_id"`
			Source string `json:"source"`
		} `json:"items"`
	}](t, e.do("GET", path, "operator", nil))
	if len(got.Items) != 2 || got.Items[0].Source != "web" || got.Items[1].Source != "hotline" || got.Items[0].CaseID != c.ID {
		t.Errorf("reports %+v", got.Items)
	}
}

// reportForm builds a multipart report: the JSON in the field report (when
// not nil) and each photo in a field named photo; extra adds name, value
// fields.
func reportForm(tb testing.TB, report any, photos [][]byte, extra ...string) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if report != nil {
		data, err := json.Marshal(report)
		if err != nil {
			tb.Fatal(err)
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="report"`)
		h.Set("Content-Type", "application/json")
		pw, _ := mw.CreatePart(h)
		_, _ = pw.Write(data)
	}
	for i, p := range photos {
		fw, err := mw.CreateFormFile("photo", "photo"+itoa(int64(i))+".png")
		if err != nil {
			tb.Fatal(err)
		}
		_, _ = fw.Write(p)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		_ = mw.WriteField(extra[i], extra[i+1])
	}
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func TestCaseIntakePhotos(t *testing.T) {
	e := newEnv(t)
	png1, png2, jpg := pngBytes(t, 4, 3), pngBytes(t, 5, 5), jpegBytes(t, 8, 6)
	notImage := []byte("GIF89a this is not a photo we take")
	b64 := base64.StdEncoding.EncodeToString

	form, ct := reportForm(t, garbageAt(0, 0, "inspector"), [][]byte{png1, png2})
	r := e.do("POST", "/api/v1/cases", "inspector", form, "Content-Type", ct)
	if r.status != http.StatusCreated {
		t.Fatalf("multipart report: %d %s", r.status, r.body)
	}
	if got := decodeBody[intakeOut](t, r); len(got.Photos) != 2 || got.Photos[0] != hashOf(png1) || got.Photos[1] != hashOf(png2) {
		t.Errorf("photos %v, want the two PNGs", got.Photos)
	}
	if r := e.do("GET", "/api/v1/photos/"+hashOf(png2), "operator", nil); r.status != http.StatusOK || !bytes.Equal(r.body, png2) {
		t.Errorf("the photo of the multipart report: %d", r.status)
	}

	r = e.do("POST", "/api/v1/cases", "inspector", garbageAt(1, 0, "inspector",
		"photos_base64", []string{b64(png1), "data:image/jpeg;base64," + base64.RawURLEncoding.EncodeToString(jpg)}))
	if r.status != http.StatusCreated {
		t.Fatalf("base64 report: %d %s", r.status, r.body)
	}
	if got := decodeBody[intakeOut](t, r); len(got.Photos) != 2 || got.Photos[0] != hashOf(png1) || got.Photos[1] != hashOf(jpg) {
		t.Errorf("photos %v, want the PNG and the JPEG", got.Photos)
	}

	// An uploaded photo, a base64 one and a multipart one together.
	up := e.do("POST", "/api/v1/photos", "inspector", pngBytes(t, 7, 7), "Content-Type", "image/png")
	upID := decodeBody[struct {
		ID string `json:"id"`
	}](t, up).ID
	form, ct = reportForm(t, garbageAt(2, 0, "inspector", "photos", []string{upID}, "photos_base64", []string{b64(jpg)}), [][]byte{png2})
	r = e.do("POST", "/api/v1/cases", "inspector", form, "Content-Type", ct)
	if got := decodeBody[intakeOut](t, r); r.status != http.StatusCreated || len(got.Photos) != 3 || got.Photos[0] != upID {
		t.Errorf("mixed photos: %d %s", r.status, r.body)
	}

	before := e.caseCount()
	tooMany := make([][]byte, 10)
	for i := range tooMany {
		tooMany[i] = png1
	}
	formNotImage, ctNotImage := reportForm(t, garbageAt(3, 0, "inspector"), [][]byte{png2, notImage})
	formNoReport, ctNoReport := reportForm(t, nil, [][]byte{png1})
	formUnknown, ctUnknown := reportForm(t, garbageAt(3, 0, "inspector"), nil, "colour", "red")
	formBadJSON, ctBadJSON := reportForm(t, "not an object", nil)
	formTooMany, ctTooMany := reportForm(t, garbageAt(3, 0, "inspector"), tooMany)
	formWalkIn, ctWalkIn := reportForm(t, garbageAt(3, 0, "walkin"), [][]byte{png1})
	unseen := pngBytes(t, 9, 9) // never stored
	e.run(t, []scenario{
		{name: "multipart: not an image", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formNotImage,
			header: []string{"Content-Type", ctNotImage}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"code":"invalid"`, `"fields":{"photo[1]":`}},
		{name: "base64: not an image", method: "POST", path: "/api/v1/cases", actor: "inspector",
			body:       garbageAt(3, 0, "inspector", "photos_base64", []string{b64(unseen), b64(notImage)}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"photos_base64[1]":`}},
		{name: "base64: not base64", method: "POST", path: "/api/v1/cases", actor: "inspector",
			body:       garbageAt(3, 0, "inspector", "photos_base64", []string{"%%%"}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"photos_base64[0]":"not valid base64"}`}},
		{name: "base64: a data URL that is not base64", method: "POST", path: "/api/v1/cases", actor: "inspector",
			body:       garbageAt(3, 0, "inspector", "photos_base64", []string{"data:image/png,abc"}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"photos_base64[0]"`}},
		{name: "base64: too many photos", method: "POST", path: "/api/v1/cases", actor: "inspector",
			body:       garbageAt(3, 0, "inspector", "photos_base64", []string{b64(png1), b64(png1), b64(png1), b64(png1), b64(png1)}, "photos", []string{upID, upID, upID, upID, upID}),
			wantStatus: http.StatusBadRequest, wantContains: []string{`"photos":"at most 9 photos in all"`}},
		{name: "multipart: no report", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formNoReport,
			header: []string{"Content-Type", ctNoReport}, wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"report":"required`}},
		{name: "multipart: unknown field", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formUnknown,
			header: []string{"Content-Type", ctUnknown}, wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"colour":"unknown field"}`}},
		{name: "multipart: the report is not an object", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formBadJSON,
			header: []string{"Content-Type", ctBadJSON}, wantStatus: http.StatusBadRequest, wantContains: []string{`must be a JSON object`}},
		{name: "multipart: too many photos", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formTooMany,
			header: []string{"Content-Type", ctTooMany}, wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"photo":"at most 9 photos"}`}},
		{name: "multipart: the report is checked", method: "POST", path: "/api/v1/cases", actor: "operator", body: formWalkIn,
			header: []string{"Content-Type", ctWalkIn}, wantStatus: http.StatusBadRequest, wantContains: []string{`"intake.station"`}},
		{name: "multipart without a boundary", method: "POST", path: "/api/v1/cases", actor: "inspector", body: formWalkIn,
			header: []string{"Content-Type", "multipart/form-data"}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`Content-Type must be application/json, or multipart/form-data`}},
	})
	if n := e.caseCount(); n != before {
		t.Errorf("%d cases after the bad reports, want %d", n, before)
	}
	if r := e.do("GET", "/api/v1/photos/"+hashOf(unseen), "operator", nil); r.status != http.StatusNotFound {
		t.Errorf("a good photo of a refused report was stored: %d", r.status)
	}
}

func TestCaseIntakeGolden(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/cases", "operator", garbageAt(2, 0, "walkin", "reporter", map[string]any{"name": "赵先生", "email": "zhao@example.cn"},
		"intake", map[string]any{"station": "湖滨城管驿站", "received_by": "张三"}))
	if r.status != http.StatusCreated {
		t.Fatalf("walk-in: %d %s", r.status, r.body)
	}
	e.clock.Advance(30 * time.Minute)
	r = e.do("POST", "/api/v1/cases", "inspector", garbageAt(2, 12, "inspector",
		"intake", map[string]any{"device_time": "2026-03-10T09:29:00+08:00", "external_id": "INSP-0042"}))
	if r.status != http.StatusOK {
		t.Fatalf("fold: %d %s", r.status, r.body)
	}
	checkGolden(t, "case_folded", r.body, "id", "report_id")
	c := decodeBody[intakeOut](t, r)
	r = e.do("GET", "/api/v1/cases/"+itoa(c.ID)+"/reports", "operator", nil)
	checkGolden(t, "case_reports", r.body, "id", "case_id")
}
