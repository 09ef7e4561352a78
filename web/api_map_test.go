package web_test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"civicgrid"
)

// mapFixture makes the map's cases, one per fixture cell:
//
//	cell  case     status      class    unit
//	A1    open     reported    open     -
//	A2    overdue  dispatched  overdue  sanitation
//	B1    closed   closed      closed   sanitation
//	C1    qingbo   reported    open     -          (清波街道)
type mapFixture struct {
	open, overdue, closed, qingbo caseOut
}

func newMapFixture(t *testing.T, e *env) mapFixture {
	t.Helper()
	var f mapFixture
	f.overdue = e.report("operator", catGarbage, 1)
	f.overdue = e.walk(t, f.overdue, []step{
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
	})
	e.clock.Advance(30 * 24 * time.Hour)
	cases := civicgrid.NewCaseService(e.db, e.city.City, e.clock.Now)
	if n, err := cases.SweepOverdue(civicgrid.WithActor(t.Context(), civicgrid.SystemUser)); err != nil || n != 1 {
		t.Fatalf("sweep: %d cases, %v", n, err)
	}
	f.open = e.report("operator", catGarbage, 0)
	f.closed = e.walk(t, e.report("operator", catGarbage, 2), []step{
		{"operator", "file", nil, "filed"},
		{"dispatcher", "dispatch", nil, "dispatched"},
		{"sanitation", "sign", nil, "handling"},
		{"sanitation", "finish", map[string]any{"note": "清理完毕"}, "handled"},
		{"operator", "check_request", nil, "checking"},
		{"inspector", "check_pass", nil, "checked"},
		{"shift_leader", "close", nil, "closed"},
	})
	f.qingbo = e.report("operator", catGarbage, 3)
	e.addUser("hubin_leader", civicgrid.RoleLeader, "330102001")
	return f
}

type mapCasesOut struct {
	Zoom      int  `json:"zoom"`
	Total     int  `json:"total"`
	Truncated bool `json:"truncated"`
	Markers   []struct {
		ID       int64  `json:"id"`
		Number   string `json:"number"`
		Category string `json:"category"`
		Status   string `json:"status"`
		Class    string `json:"class"`
		CellCode string `json:"cell_code"`
	} `json:"markers"`
	Clusters []struct {
		Lat, Lon float64
		Count    int            `json:"count"`
		Classes  map[string]int `json:"classes"`
	} `json:"clusters"`
}

// markerClasses returns "number:class" of each marker, sorted.
func (m mapCasesOut) markerClasses() []string {
	var out []string
	for _, mk := range m.Markers {
		out = append(out, mk.Number+":"+mk.Class)
	}
	slices.Sort(out)
	return out
}

func TestMapCases(t *testing.T) {
	e := newEnv(t)
	f := newMapFixture(t, e)
	mc := func(c caseOut, class string) string { return c.Number + ":" + class }
	sorted := func(s ...string) []string { slices.Sort(s); return s }
	for _, tc := range []struct {
		name, actor, query string
		want               []string
	}{
		{"open and overdue by default", "operator", "zoom=18", sorted(mc(f.open, "open"), mc(f.overdue, "overdue"), mc(f.qingbo, "open"))},
		{"closed", "operator", "zoom=18&status=closed", sorted(mc(f.closed, "closed"))},
		{"overdue", "operator", "zoom=18&status=overdue", sorted(mc(f.overdue, "overdue"))},
		{"open only leaves the overdue out", "operator", "zoom=18&status=open", sorted(mc(f.open, "open"), mc(f.qingbo, "open"))},
		{"open and closed", "operator", "zoom=18&status=open,closed", sorted(mc(f.open, "open"), mc(f.closed, "closed"), mc(f.qingbo, "open"))},
		{"all", "admin", "zoom=18&status=open&status=overdue,closed", sorted(mc(f.open, "open"), mc(f.overdue, "overdue"), mc(f.closed, "closed"), mc(f.qingbo, "open"))},
		{"a box", "operator", "zoom=18&status=open,overdue,closed&bbox=120.15,30.25,120.152,30.2509", sorted(mc(f.open, "open"), mc(f.overdue, "overdue"))},
		{"a period", "operator", "zoom=18&status=open,overdue,closed&from=2026-03-01&to=2026-03-11", sorted(mc(f.overdue, "overdue"))},
		{"a category", "operator", "zoom=18&category=" + catManhole, nil},
		{"an area's leader sees the area", "hubin_leader", "zoom=18&status=open,overdue,closed", sorted(mc(f.open, "open"), mc(f.overdue, "overdue"), mc(f.closed, "closed"))},
		{"a unit sees its cases", "sanitation", "zoom=18&status=open,overdue,closed", sorted(mc(f.overdue, "overdue"), mc(f.closed, "closed"))},
		{"another unit sees none", "street_office", "zoom=18", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("GET", "/api/v1/map/cases?"+tc.query, tc.actor, nil)
			if r.status != http.StatusOK {
				t.Fatalf("%d %s", r.status, r.body)
			}
			got := decodeBody[mapCasesOut](t, r)
			if !slices.Equal(got.markerClasses(), tc.want) || len(got.Clusters) != 0 || got.Total != len(tc.want) {
				t.Errorf("markers %v, clusters %d, total %d; want %v", got.markerClasses(), len(got.Clusters), got.Total, tc.want)
			}
		})
	}

	t.Run("clustered when zoomed out", func(t *testing.T) {
		r := e.do("GET", "/api/v1/map/cases?zoom=12&status=open,overdue,closed", "operator", nil)
		got := decodeBody[mapCasesOut](t, r)
		if r.status != http.StatusOK || len(got.Markers) != 0 || len(got.Clusters) != 1 {
			t.Fatalf("%d: %s", r.status, r.body)
		}
		c := got.Clusters[0]
		if c.Count != 4 || c.Classes["open"] != 2 || c.Classes["overdue"] != 1 || c.Classes["closed"] != 1 {
			t.Errorf("cluster %+v, want 4 cases: 2 open, 1 overdue, 1 closed", c)
		}
		if c.Lat < originLat || c.Lat > originLat+cellDLat || c.Lon < originLon || c.Lon > originLon+4*cellDLon {
			t.Errorf("cluster at %v,%v, outside the cases", c.Lat, c.Lon)
		}
	})
	t.Run("a lone case stays a marker when zoomed out", func(t *testing.T) {
		r := e.do("GET", "/api/v1/map/cases?zoom=12&status=closed", "operator", nil)
		got := decodeBody[mapCasesOut](t, r)
		if len(got.Markers) != 1 || len(got.Clusters) != 0 {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("at zoom 16 the cells' cases split", func(t *testing.T) {
		// 100 m is about 18 px at zoom 16: two cases 100 m apart share a
		// 48 px bucket or sit in neighbours, never all four in one.
		r := e.do("GET", "/api/v1/map/cases?zoom=16&status=open,overdue,closed", "operator", nil)
		got := decodeBody[mapCasesOut](t, r)
		n := len(got.Markers)
		for _, c := range got.Clusters {
			n += c.Count
		}
		if n != 4 || len(got.Clusters) == 1 && got.Clusters[0].Count == 4 {
			t.Errorf("%s", r.body)
		}
	})

	e.run(t, []scenario{
		{name: "citizens have no map", method: "GET", path: "/api/v1/map/cases", actor: "citizen", wantStatus: http.StatusForbidden},
		{name: "signed out", method: "GET", path: "/api/v1/map/cases", wantStatus: http.StatusUnauthorized},
		{name: "unknown class", method: "GET", path: "/api/v1/map/cases?status=late", actor: "operator", wantStatus: http.StatusBadRequest,
			wantContains: []string{`"status":"one or more of open, overdue, closed"`}},
		{name: "bad box", method: "GET", path: "/api/v1/map/cases?bbox=1,2,3", actor: "operator", wantStatus: http.StatusBadRequest},
		{name: "bad zoom", method: "GET", path: "/api/v1/map/cases?zoom=21", actor: "operator", wantStatus: http.StatusBadRequest},
		{name: "bad period", method: "GET", path: "/api/v1/map/cases?from=2026-03-10&to=2026-03-01", actor: "operator", wantStatus: http.StatusBadRequest},
		{name: "unknown category", method: "GET", path: "/api/v1/map/cases?category=XX9999", actor: "operator", wantStatus: http.StatusBadRequest},
	})
}

type mapCellsOut struct {
	Layer    string    `json:"layer"`
	Level    string    `json:"level"`
	Zoom     int       `json:"zoom"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Breaks   []float64 `json:"breaks"`
	Max      float64   `json:"max"`
	Features []struct {
		Code     string  `json:"code"`
		Value    float64 `json:"value"`
		Class    int     `json:"class"`
		Geometry struct {
			Type        string           `json:"type"`
			Coordinates [][][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
	Truncated bool `json:"truncated"`
}

func (m mapCellsOut) values() map[string]float64 {
	out := map[string]float64{}
	for _, f := range m.Features {
		out[f.Code] = f.Value
	}
	return out
}

func TestMapCells(t *testing.T) {
	e := newEnv(t)
	newMapFixture(t, e)
	get := func(t *testing.T, actor, query string) mapCellsOut {
		t.Helper()
		r := e.do("GET", "/api/v1/map/cells?"+query, actor, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		return decodeBody[mapCellsOut](t, r)
	}

	t.Run("open cases per cell", func(t *testing.T) {
		got := get(t, "operator", "zoom=16")
		want := map[string]float64{cellA1: 1, cellA2: 1, cellB1: 0, cellC1: 1}
		if got.Layer != "open" || got.Level != "cell" || got.Max != 1 || !slices.Equal(got.Breaks, []float64{1}) || !mapsEqual(got.values(), want) {
			t.Fatalf("got %+v, want values %v", got, want)
		}
		for _, f := range got.Features {
			if wantClass := int(f.Value); f.Class != wantClass {
				t.Errorf("%s: class %d, want %d", f.Code, f.Class, wantClass)
			}
			ring := f.Geometry.Coordinates[0][0]
			if f.Geometry.Type != "MultiPolygon" || len(ring) != 5 || ring[0] != ring[4] {
				t.Errorf("%s: geometry %+v, want a closed square", f.Code, f.Geometry)
			}
		}
	})
	t.Run("in a box", func(t *testing.T) {
		got := get(t, "operator", "zoom=16&bbox=120.1501,30.2501,120.1502,30.2502")
		if len(got.Features) != 1 || got.Features[0].Code != cellA1 {
			t.Errorf("%+v", got.Features)
		}
	})
	t.Run("an area's leader counts the area's cases only", func(t *testing.T) {
		got := get(t, "hubin_leader", "zoom=16")
		if v := got.values(); v[cellC1] != 0 || v[cellA1] != 1 {
			t.Errorf("%v", v)
		}
	})
	t.Run("a unit counts its own cases", func(t *testing.T) {
		got := get(t, "sanitation", "zoom=16")
		if v := got.values(); v[cellA2] != 1 || v[cellA1] != 0 {
			t.Errorf("%v", v)
		}
	})
	t.Run("reported is the statistics' count", func(t *testing.T) {
		const period = "from=2026-03-01&to=2026-05-01"
		got := get(t, "operator", "zoom=16&layer=reported&"+period)
		r := e.do("GET", "/api/v1/stats?group_by=cell&metrics=reported&"+period, "operator", nil)
		stats := decodeBody[struct {
			Rows []struct {
				Key    string           `json:"key"`
				Counts map[string]int64 `json:"counts"`
			} `json:"rows"`
		}](t, r)
		want := map[string]float64{cellA1: 0, cellA2: 0, cellB1: 0, cellC1: 0}
		for _, row := range stats.Rows {
			want[row.Key] = float64(row.Counts["reported"])
		}
		if got.From != "2026-03-01" || got.To != "2026-05-01" || !mapsEqual(got.values(), want) || want[cellA1] != 1 {
			t.Errorf("map %+v, stats %v", got.values(), want)
		}
	})
	t.Run("reported from a day to today", func(t *testing.T) {
		got := get(t, "operator", "zoom=16&layer=reported&from=2026-03-01")
		if got.From != "2026-03-01" || got.To != e.clock.Now().AddDate(0, 0, 1).Format(time.DateOnly) {
			t.Errorf("period %s to %s", got.From, got.To)
		}
	})
	t.Run("reported defaults to the last 30 days", func(t *testing.T) {
		got := get(t, "operator", "zoom=16&layer=reported")
		today := e.clock.Now().Format(time.DateOnly)
		if got.To <= today || got.From >= today {
			t.Errorf("period %s to %s, today %s", got.From, got.To, today)
		}
	})

	t.Run("hotspot is the hotspot service's score", func(t *testing.T) {
		const period = "from=2026-03-01&to=2026-05-01"
		got := get(t, "operator", "zoom=16&layer=hotspot&"+period)
		from, _ := civicgrid.ParseDate("2026-03-01")
		to, _ := civicgrid.ParseDate("2026-05-01")
		hot := civicgrid.NewHotspotService(civicgrid.NewStatsService(e.db, e.city.City, civicgrid.DefaultStatsConfig()))
		scores, err := hot.CellScores(civicgrid.WithActor(t.Context(), e.users["operator"]), from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{cellA1: 0, cellA2: 0, cellB1: 0, cellC1: 0}
		maps.Copy(want, scores)
		if len(scores) == 0 || !mapsEqual(got.values(), want) {
			t.Errorf("map %+v, hotspot scores %v", got.values(), scores)
		}
	})

	e.run(t, []scenario{
		{name: "a unit has no reported layer", method: "GET", path: "/api/v1/map/cells?layer=reported", actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "nor a hotspot layer", method: "GET", path: "/api/v1/map/cells?layer=hotspot", actor: "sanitation", wantStatus: http.StatusForbidden},
		{name: "citizens have no map", method: "GET", path: "/api/v1/map/cells", actor: "citizen", wantStatus: http.StatusForbidden},
		{name: "unknown layer", method: "GET", path: "/api/v1/map/cells?layer=heat", actor: "operator", wantStatus: http.StatusBadRequest},
		{name: "bad zoom", method: "GET", path: "/api/v1/map/cells?zoom=x", actor: "operator", wantStatus: http.StatusBadRequest},
	})
}

func mapsEqual(a, b map[string]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestMapCellCases(t *testing.T) {
	e := newEnv(t)
	f := newMapFixture(t, e)
	type out struct {
		Cell struct {
			Code, Name    string
			CommunityName string `json:"community_name"`
			StreetName    string `json:"street_name"`
			DistrictName  string `json:"district_name"`
		} `json:"cell"`
		Items []struct {
			ID         int64  `json:"id"`
			Number     string `json:"number"`
			Category   string `json:"category"`
			StatusName string `json:"status_name"`
			Class      string `json:"class"`
			Light      string `json:"light"`
			URL        string `json:"url"`
		} `json:"items"`
		Total   int    `json:"total"`
		ListURL string `json:"list_url"`
	}
	get := func(t *testing.T, actor, path string) out {
		t.Helper()
		r := e.do("GET", path, actor, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		return decodeBody[out](t, r)
	}
	t.Run("open case", func(t *testing.T) {
		got := get(t, "operator", "/api/v1/map/cells/"+cellA1+"/cases")
		if got.Cell.Code != cellA1 || got.Cell.CommunityName != "东坡社区" || got.Cell.StreetName != "湖滨街道" || got.Total != 1 ||
			got.ListURL != "/cases?cell="+cellA1+"&community=330102001001&district=330102&street=330102001" {
			t.Fatalf("%+v", got)
		}
		it := got.Items[0]
		if it.Number != f.open.Number || it.Class != "open" || it.StatusName != "待受理" || it.URL != "/cases/"+itoa(f.open.ID) ||
			!strings.Contains(it.Category, "垃圾") {
			t.Errorf("%+v", it)
		}
	})
	t.Run("overdue case has a red light", func(t *testing.T) {
		got := get(t, "operator", "/api/v1/map/cells/"+cellA2+"/cases")
		if got.Total != 1 || got.Items[0].Class != "overdue" || got.Items[0].Light != "red" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("the filters apply", func(t *testing.T) {
		if got := get(t, "operator", "/api/v1/map/cells/"+cellB1+"/cases"); got.Total != 0 {
			t.Errorf("closed case listed by default: %+v", got)
		}
		got := get(t, "operator", "/api/v1/map/cells/"+cellB1+"/cases?status=closed")
		if got.Total != 1 || got.Items[0].Class != "closed" || got.Items[0].Light != "" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("scope", func(t *testing.T) {
		if got := get(t, "hubin_leader", "/api/v1/map/cells/"+cellC1+"/cases"); got.Total != 0 || len(got.Items) != 0 {
			t.Errorf("outside the leader's area: %+v", got)
		}
	})
	e.run(t, []scenario{
		{name: "unknown cell", method: "GET", path: "/api/v1/map/cells/330102009009009/cases", actor: "operator", wantStatus: http.StatusNotFound},
		{name: "citizens have no map", method: "GET", path: "/api/v1/map/cells/" + cellA1 + "/cases", actor: "citizen", wantStatus: http.StatusForbidden},
	})
}
