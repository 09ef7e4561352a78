package web

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"civicgrid"
)

// The map's JSON (地图): the shaded grid in a box at a zoom, the case
// markers in a box (clustered when dense), and the cases of one cell. The
// zoom is that of the Web Mercator tile pyramid, so that a city's own
// tiles line up under the grid.

// Zooms at which the map changes what it draws.
const (
	mapCellZoom      = 15 // cells from here; communities below
	mapCommunityZoom = 13 // communities from here; streets below
	mapMarkerZoom    = 17 // every case its own marker from here
	mapMaxZoom       = 20
	mapClusterPx     = 48   // the side of a cluster's bucket, in pixels
	mapMaxCells      = 8000 // the most shapes one answer carries
	mapMaxMarkers    = 2000 // more single markers than this are clustered
	mapPanelCases    = 100  // the most cases a cell's panel lists
	mapMaxPoints     = 100_000
)

// mapLayer is one way to shade the grid: a number per cell or area.
type mapLayer struct {
	name string
	// values returns the layer's number for each code of dimension d
	// (cell, community or street) over the period from–to.
	values func(ctx context.Context, d civicgrid.StatDim, category string, from, to civicgrid.Date) (map[string]float64, error)
}

// mapLayers are the shading layers, in the order the page offers them.
func (s *Server) mapLayers() []mapLayer {
	return []mapLayer{
		{name: "open", values: func(ctx context.Context, d civicgrid.StatDim, category string, _, _ civicgrid.Date) (map[string]float64, error) {
			cells, err := s.maps.OpenByCell(ctx, category)
			if err != nil {
				return nil, err
			}
			return sumByArea(cells, d), nil
		}},
		{name: "reported", values: func(ctx context.Context, d civicgrid.StatDim, _ string, from, to civicgrid.Date) (map[string]float64, error) {
			return s.maps.Reported(ctx, d, from, to)
		}},
		// The hotspot score of each cell (−log10 p of its reports in the
		// period against its own baseline); an area shows its hottest cell.
		{name: "hotspot", values: func(ctx context.Context, d civicgrid.StatDim, _ string, from, to civicgrid.Date) (map[string]float64, error) {
			scores, err := s.hotspots.CellScores(ctx, from, to)
			if err != nil {
				return nil, err
			}
			return maxByArea(scores, d), nil
		}},
	}
}

// sumByArea adds per-cell values up into the areas of dimension d.
func sumByArea(cells map[string]float64, d civicgrid.StatDim) map[string]float64 {
	return rollUp(cells, d, func(a, b float64) float64 { return a + b })
}

// maxByArea keeps, for each area of dimension d, the largest of its cells'
// values.
func maxByArea(cells map[string]float64, d civicgrid.StatDim) map[string]float64 {
	return rollUp(cells, d, math.Max)
}

// rollUp combines per-cell values into the areas of dimension d.
func rollUp(cells map[string]float64, d civicgrid.StatDim, combine func(a, b float64) float64) map[string]float64 {
	n := areaCodeLen(d)
	if n == 15 {
		return cells
	}
	out := map[string]float64{}
	for code, v := range cells {
		if len(code) < n {
			continue
		}
		if cur, ok := out[code[:n]]; ok {
			v = combine(cur, v)
		}
		out[code[:n]] = v
	}
	return out
}

// areaCodeLen is the length of the codes of dimension d.
func areaCodeLen(d civicgrid.StatDim) int {
	switch d {
	case civicgrid.DimStreet:
		return 9
	case civicgrid.DimCommunity:
		return 12
	}
	return 15
}

// mapLevel returns what the map draws at zoom: cells, communities or
// streets. Areas are drawn only when the grid has their outlines.
func mapLevel(g *civicgrid.Grid, zoom int) civicgrid.StatDim {
	if zoom >= mapCellZoom {
		return civicgrid.DimCell
	}
	level, dim := civicgrid.LevelCommunity, civicgrid.DimCommunity
	if zoom < mapCommunityZoom {
		level, dim = civicgrid.LevelStreet, civicgrid.DimStreet
	}
	for _, a := range g.Areas() {
		if a.Level == level && len(a.Shape) > 0 {
			return dim
		}
	}
	return civicgrid.DimCell
}

type mapFeatureJSON struct {
	Code     string        `json:"code"`
	Name     string        `json:"name,omitempty"`
	Value    float64       `json:"value"`
	Class    int           `json:"class"` // 0: none; 1.. the legend's classes
	Geometry *geometryJSON `json:"geometry"`
}

type mapCellsJSON struct {
	Layer     string            `json:"layer"`
	Level     civicgrid.StatDim `json:"level"`
	Zoom      int               `json:"zoom"`
	From      civicgrid.Date    `json:"from,omitzero"`
	To        civicgrid.Date    `json:"to,omitzero"`
	Breaks    []float64         `json:"breaks"` // the lower bound of each class
	Max       float64           `json:"max"`
	Features  []mapFeatureJSON  `json:"features"`
	Truncated bool              `json:"truncated"`
}

func (s *Server) handleMapCells(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fe := civicgrid.FieldErrors{}
	box := parseBBox(q.Get("bbox"), fe)
	zoom := parseZoom(q, fe)
	from, to := parsePeriod(q, fe)
	name := cmp.Or(q.Get("layer"), "open")
	i := slices.IndexFunc(s.mapLayers(), func(l mapLayer) bool { return l.name == name })
	if i < 0 {
		fe.Add("layer", "unknown layer")
	}
	category := q.Get("category")
	if category != "" && s.city.City().Categories[category] == nil {
		fe.Add("category", "unknown category")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	layer := s.mapLayers()[i]
	if name != "open" {
		defFrom, defTo := defaultMapPeriod(s.now().In(s.city.City().Location()))
		switch {
		case from.IsZero() && to.IsZero():
			from, to = defFrom, defTo
		case from.IsZero():
			from = to.AddDays(-30)
		case to.IsZero():
			if to = defTo; !from.Before(to) {
				to = from.AddDays(1)
			}
		}
	}
	g := s.city.City().Grid
	level := mapLevel(g, zoom)
	values, err := layer.values(r.Context(), level, category, from, to)
	if err != nil {
		return err
	}
	out := mapCellsJSON{Layer: name, Level: level, Zoom: zoom, Breaks: mapBreaks(values), Features: []mapFeatureJSON{}}
	if name != "open" {
		out.From, out.To = from, to
	}
	for _, v := range values {
		out.Max = max(out.Max, v)
	}
	add := func(code, name string, shape civicgrid.MultiPolygon) {
		v := values[code]
		out.Features = append(out.Features, mapFeatureJSON{Code: code, Name: name, Value: v, Class: classOf(v, out.Breaks),
			Geometry: simplifiedGeometry(shape, zoom)})
	}
	if level == civicgrid.DimCell {
		cells := g.CellsWithin(box, mapMaxCells+1)
		out.Truncated = len(cells) > mapMaxCells
		for _, c := range cells[:min(len(cells), mapMaxCells)] {
			add(c.Code, c.Name, c.Shape)
		}
		return encode(w, http.StatusOK, out)
	}
	areas := g.Areas()
	slices.SortFunc(areas, func(a, b *civicgrid.Area) int { return strings.Compare(a.Code, b.Code) })
	n := areaCodeLen(level)
	for _, a := range areas {
		if len(a.Code) == n && len(a.Shape) > 0 && a.Shape.Bounds().Intersects(box) {
			add(a.Code, a.Name, a.Shape)
		}
	}
	return encode(w, http.StatusOK, out)
}

// defaultMapPeriod is the last 30 days, today included.
func defaultMapPeriod(now time.Time) (civicgrid.Date, civicgrid.Date) {
	today := civicgrid.DateOf(now)
	return today.AddDays(-29), today.AddDays(1)
}

// parseZoom reads the zoom, 0 to 20; absent, the cells' zoom.
func parseZoom(q url.Values, fe civicgrid.FieldErrors) int {
	v := q.Get("zoom")
	if v == "" {
		return mapCellZoom
	}
	z, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(z) || z < 0 || z > mapMaxZoom {
		fe.Add("zoom", "must be a number from 0 to 20")
		return 0
	}
	return int(math.Floor(z))
}

// parsePeriod reads from and to, dates (to exclusive); either may be
// absent.
func parsePeriod(q url.Values, fe civicgrid.FieldErrors) (from, to civicgrid.Date) {
	for _, p := range []struct {
		name string
		d    *civicgrid.Date
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(p.name); v != "" {
			d, err := civicgrid.ParseDate(v)
			if err != nil {
				fe.Add(p.name, "must be a date like 2026-01-01")
			}
			*p.d = d
		}
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		fe.Add("to", "must be after from (to is exclusive)")
	}
	return from, to
}

// mapBreaks returns up to five class breaks for values: the lower bounds
// of classes holding about as many areas each, rounded to whole numbers
// and strictly rising. The zero areas have no class.
func mapBreaks(values map[string]float64) []float64 {
	var vs []float64
	for _, v := range values {
		if v > 0 {
			vs = append(vs, v)
		}
	}
	breaks := []float64{}
	if len(vs) == 0 {
		return breaks
	}
	slices.Sort(vs)
	for i := range 5 {
		b := vs[len(vs)*i/5]
		if b >= 1 {
			b = math.Floor(b)
		}
		if len(breaks) == 0 || b > breaks[len(breaks)-1] {
			breaks = append(breaks, b)
		}
	}
	return breaks
}

// classOf returns the class of v under breaks: 0 for nothing, else 1 to
// len(breaks).
func classOf(v float64, breaks []float64) int {
	if v <= 0 {
		return 0
	}
	c := 0
	for i, b := range breaks {
		if v >= b {
			c = i + 1
		}
	}
	return max(c, 1)
}

// simplifiedGeometry renders shape as GeoJSON with positions rounded to
// a pixel at zoom (finer than 1 m never), dropping the positions that
// rounding makes repeat or that lie on a straight line.
func simplifiedGeometry(m civicgrid.MultiPolygon, zoom int) *geometryJSON {
	step := 360 / (256 * math.Exp2(float64(zoom))) // degrees of longitude per pixel
	step = max(step, 1e-5)
	round := func(f float64) float64 { return math.Round(math.Round(f/step)*step*1e6) / 1e6 }
	g := &geometryJSON{Type: "MultiPolygon", Coordinates: make([][][][2]float64, 0, len(m))}
	for _, poly := range m {
		var rings [][][2]float64
		for _, ring := range poly {
			var pos [][2]float64
			for _, p := range ring {
				q := [2]float64{round(p.Lon), round(p.Lat)}
				if n := len(pos); n > 0 && pos[n-1] == q {
					continue
				}
				if n := len(pos); n >= 2 && collinear(pos[n-2], pos[n-1], q) {
					pos[n-1] = q
					continue
				}
				pos = append(pos, q)
			}
			if len(pos) > 1 && pos[0] == pos[len(pos)-1] {
				pos = pos[:len(pos)-1]
			}
			if len(pos) < 3 {
				continue // smaller than a pixel
			}
			rings = append(rings, append(pos, pos[0]))
		}
		if len(rings) > 0 {
			g.Coordinates = append(g.Coordinates, rings)
		}
	}
	return g
}

// collinear reports whether b lies on the straight line from a to c.
func collinear(a, b, c [2]float64) bool {
	cross := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	return math.Abs(cross) < 1e-14
}

// mapMarkerJSON is one case on the map.
type mapMarkerJSON struct {
	ID       civicgrid.CaseID      `json:"id"`
	Number   string                `json:"number"`
	Category string                `json:"category"`
	Status   civicgrid.Status      `json:"status"`
	Class    civicgrid.MarkerClass `json:"class"`
	Lat      float64               `json:"lat"`
	Lon      float64               `json:"lon"`
	CellCode string                `json:"cell_code"`
}

type mapCasesJSON struct {
	Zoom int `json:"zoom"`
	// ClosedSince is set when closed cases are shown without a period:
	// those reported on or after it.
	ClosedSince civicgrid.Date            `json:"closed_since,omitzero"`
	Total       int                       `json:"total"`
	Truncated   bool                      `json:"truncated"` // always false: too many markers are clustered
	Markers     []mapMarkerJSON           `json:"markers"`
	Clusters    []*civicgrid.PointCluster `json:"clusters"`
}

// parseMapQuery reads the markers' filters: status (open, overdue,
// closed; a list), category, from, to, and the box.
func (s *Server) parseMapQuery(q url.Values, fe civicgrid.FieldErrors) civicgrid.MapQuery {
	mq := civicgrid.MapQuery{Category: q.Get("category")}
	for _, v := range q["status"] {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				mq.Classes = append(mq.Classes, civicgrid.MarkerClass(c))
			}
		}
	}
	for _, c := range mq.Classes {
		if !c.Valid() {
			fe.Add("status", "one or more of open, overdue, closed")
			break
		}
	}
	if mq.Category != "" && s.city.City().Categories[mq.Category] == nil {
		fe.Add("category", "unknown category")
	}
	mq.From, mq.To = parsePeriod(q, fe)
	mq.Bounds = parseBBox(q.Get("bbox"), fe)
	return mq
}

func (s *Server) handleMapCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fe := civicgrid.FieldErrors{}
	mq := s.parseMapQuery(q, fe)
	zoom := parseZoom(q, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	out := mapCasesJSON{Zoom: zoom, ClosedSince: s.maps.ClosedSince(mq), Markers: []mapMarkerJSON{}, Clusters: []*civicgrid.PointCluster{}}
	var singles []*civicgrid.CasePoint
	var err error
	if zoom >= mapMarkerZoom {
		singles, out.Truncated, err = s.maps.Points(r.Context(), mq, mapMaxMarkers)
		out.Total = len(singles)
	}
	if zoom < mapMarkerZoom || out.Truncated {
		step := civicgrid.MapBuckets(float64(zoom), mapClusterPx, (mq.Bounds.MinLat+mq.Bounds.MaxLat)/2)
		singles, out.Clusters, out.Total, err = s.maps.Clusters(r.Context(), mq, step)
		out.Truncated = false
	}
	if err != nil {
		return err
	}
	if out.Clusters == nil {
		out.Clusters = []*civicgrid.PointCluster{}
	}
	lang := langOf(r)
	city := s.city.City()
	for _, p := range singles {
		out.Markers = append(out.Markers, markerOf(lang, city, p))
	}
	return encode(w, http.StatusOK, out)
}

// markerOf describes p for the map.
func markerOf(lang string, city *civicgrid.City, p *civicgrid.CasePoint) mapMarkerJSON {
	name := p.CategoryCode
	if c := city.Categories[p.CategoryCode]; c != nil {
		name = c.Name.In(lang)
	}
	return mapMarkerJSON{ID: p.ID, Number: p.Number, Category: name, Status: p.Status, Class: p.Class(),
		Lat: p.Lat, Lon: p.Lon, CellCode: p.CellCode}
}

type mapCellInfoJSON struct {
	Code          string           `json:"code"`
	Name          string           `json:"name,omitempty"`
	CommunityName string           `json:"community_name,omitempty"`
	StreetName    string           `json:"street_name,omitempty"`
	DistrictName  string           `json:"district_name,omitempty"`
	Centroid      civicgrid.Point  `json:"centroid"`
	Bounds        civicgrid.Bounds `json:"bounds"`
}

type mapPanelCaseJSON struct {
	ID         civicgrid.CaseID      `json:"id"`
	Number     string                `json:"number"`
	Category   string                `json:"category"`
	Status     civicgrid.Status      `json:"status"`
	StatusName string                `json:"status_name"`
	Class      civicgrid.MarkerClass `json:"class"`
	Light      string                `json:"light,omitempty"` // green, yellow, red; none without a running clock
	CreatedAt  time.Time             `json:"created_at"`
	URL        string                `json:"url"`
}

type mapCellCasesJSON struct {
	Cell    mapCellInfoJSON    `json:"cell"`
	Items   []mapPanelCaseJSON `json:"items"`
	Total   int                `json:"total"`
	More    bool               `json:"more"`     // more cases than listed
	ListURL string             `json:"list_url"` // the case list filtered by the cell
}

func (s *Server) handleMapCellCases(w http.ResponseWriter, r *http.Request) error {
	city := s.city.City()
	cell := city.Grid.Cell(r.PathValue("code"))
	if cell == nil {
		return civicgrid.Errorf(civicgrid.NotFound, "cell %s not found", r.PathValue("code"))
	}
	q := r.URL.Query()
	fe := civicgrid.FieldErrors{}
	q.Del("bbox")
	mq := s.parseMapQuery(q, fe)
	if err := fe.Err(); err != nil {
		return err
	}
	mq.Cell = cell.Code
	points, _, err := s.maps.Points(r.Context(), mq, mapMaxPoints)
	if err != nil {
		return err
	}
	out := mapCellCasesJSON{Cell: cellInfo(city.Grid, cell), Items: []mapPanelCaseJSON{}, Total: len(points),
		More: len(points) > mapPanelCases, ListURL: cellListURL(cell)}
	points = points[:min(len(points), mapPanelCases)]
	if len(points) == 0 {
		return encode(w, http.StatusOK, out)
	}
	ids := make([]civicgrid.CaseID, len(points))
	for i, p := range points {
		ids[i] = p.ID
	}
	page, err := s.cases.List(r.Context(), civicgrid.CaseFilter{IDs: ids, Limit: mapPanelCases})
	if err != nil {
		return err
	}
	lang, now := langOf(r), s.now()
	for _, c := range page.Items {
		p := civicgrid.CasePoint{Status: c.Status, Overdue: c.Overdue}
		light, _ := stageLight(city, c, now)
		name := c.CategoryCode
		if cat := city.Categories[c.CategoryCode]; cat != nil {
			name = cat.Name.In(lang)
		}
		out.Items = append(out.Items, mapPanelCaseJSON{ID: c.ID, Number: c.Number, Category: name, Status: c.Status,
			StatusName: c.Status.Name().In(lang), Class: p.Class(), Light: light, CreatedAt: c.CreatedAt,
			URL: "/cases/" + strconv.FormatInt(int64(c.ID), 10)})
	}
	return encode(w, http.StatusOK, out)
}

// cellListURL is the case list filtered by the cell. The list page filters
// by the most specific area it is given: the community with its street and
// district (so that its pickers show them), and the cell.
func cellListURL(c *civicgrid.GridCell) string {
	q := url.Values{"district": {c.DistrictCode()}, "street": {c.StreetCode()}, "community": {c.CommunityCode()}, "cell": {c.Code}}
	return "/cases?" + q.Encode()
}

// cellInfo describes a cell and the areas it lies in.
func cellInfo(g *civicgrid.Grid, c *civicgrid.GridCell) mapCellInfoJSON {
	info := mapCellInfoJSON{Code: c.Code, Name: c.Name, Centroid: c.Centroid, Bounds: c.Shape.Bounds()}
	if a := g.Area(c.CommunityCode()); a != nil {
		info.CommunityName = a.Name
	}
	if a := g.Area(c.StreetCode()); a != nil {
		info.StreetName = a.Name
	}
	if a := g.Area(c.DistrictCode()); a != nil {
		info.DistrictName = a.Name
	}
	return info
}
