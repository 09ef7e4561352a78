package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"civicgrid"
)

// Cell list page sizes.
const (
	defaultCellLimit = 500
	maxCellLimit     = 5000
)

// cellJSON is a grid cell as the API shows it.
type cellJSON struct {
	Code          string             `json:"code"`
	Name          string             `json:"name,omitempty"`
	AreaM2        float64            `json:"area_m2"`
	Centroid      civicgrid.Point    `json:"centroid"`
	CommunityCode string             `json:"community_code"`
	StreetCode    string             `json:"street_code"`
	DistrictCode  string             `json:"district_code"`
	Inspectors    []civicgrid.UserID `json:"inspectors,omitempty"`
	Geometry      *geometryJSON      `json:"geometry,omitempty"`
}

// geometryJSON is a GeoJSON MultiPolygon: positions are [lon, lat] and
// rings are closed.
type geometryJSON struct {
	Type        string           `json:"type"`
	Coordinates [][][][2]float64 `json:"coordinates"`
}

type cellListJSON struct {
	Items     []cellJSON `json:"items"`
	Truncated bool       `json:"truncated"` // more cells lie in the box than limit
}

func (s *Server) handleLocate(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fe := civicgrid.FieldErrors{}
	p := civicgrid.Point{Lat: floatParam(q, "lat", fe), Lon: floatParam(q, "lon", fe)}
	crs := civicgrid.CRS(q.Get("crs"))
	if crs == "" {
		crs = civicgrid.WGS84
	} else if !crs.Valid() {
		fe.Add("crs", "must be wgs84, gcj02 or bd09")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	p, err := civicgrid.ToWGS84(p, crs)
	if err != nil {
		return err
	}
	loc, err := s.city.City().Grid.Locate(p)
	if err != nil {
		return err
	}
	return encode(w, http.StatusOK, loc)
}

// floatParam reads a required finite number.
func floatParam(q url.Values, name string, fe civicgrid.FieldErrors) float64 {
	v := q.Get(name)
	if v == "" {
		fe.Add(name, "required")
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		fe.Add(name, "must be a number")
	}
	return f
}

func (s *Server) handleCellList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fe := civicgrid.FieldErrors{}
	box := parseBBox(q.Get("bbox"), fe)
	limit := parseLimit(q, defaultCellLimit, maxCellLimit, fe)
	withGeometry := false
	if v := q.Get("geometry"); v != "" {
		var err error
		if withGeometry, err = strconv.ParseBool(v); err != nil {
			fe.Add("geometry", "must be 1 or 0")
		}
	}
	if err := fe.Err(); err != nil {
		return err
	}
	cells := s.city.City().Grid.CellsWithin(box, limit+1)
	out := cellListJSON{Items: make([]cellJSON, 0, min(len(cells), limit)), Truncated: len(cells) > limit}
	for _, c := range cells[:min(len(cells), limit)] {
		cj := cellJSON{Code: c.Code, Name: c.Name, AreaM2: c.AreaM2, Centroid: c.Centroid,
			CommunityCode: c.CommunityCode(), StreetCode: c.StreetCode(), DistrictCode: c.DistrictCode(), Inspectors: c.Inspectors}
		if withGeometry {
			cj.Geometry = geometryOf(c.Shape)
		}
		out.Items = append(out.Items, cj)
	}
	return encode(w, http.StatusOK, out)
}

// parseBBox reads minLon,minLat,maxLon,maxLat; an absent box is the world.
func parseBBox(v string, fe civicgrid.FieldErrors) civicgrid.Bounds {
	if v == "" {
		return civicgrid.Bounds{MinLon: -180, MinLat: -90, MaxLon: 180, MaxLat: 90}
	}
	parts := strings.Split(v, ",")
	var n [4]float64
	bad := len(parts) != 4
	for i := 0; !bad && i < 4; i++ {
		f, err := strconv.ParseFloat(strings.TrimSpace(parts[i]), 64)
		bad = err != nil || math.IsNaN(f) || math.IsInf(f, 0)
		n[i] = f
	}
	b := civicgrid.Bounds{MinLon: n[0], MinLat: n[1], MaxLon: n[2], MaxLat: n[3]}
	if bad || b.MinLon > b.MaxLon || b.MinLat > b.MaxLat {
		fe.Add("bbox", "must be minLon,minLat,maxLon,maxLat with min ≤ max")
	}
	return b
}

// geometryOf renders a shape as GeoJSON.
func geometryOf(m civicgrid.MultiPolygon) *geometryJSON {
	g := &geometryJSON{Type: "MultiPolygon", Coordinates: make([][][][2]float64, len(m))}
	for i, poly := range m {
		g.Coordinates[i] = make([][][2]float64, len(poly))
		for j, ring := range poly {
			pos := make([][2]float64, 0, len(ring)+1)
			for _, p := range ring {
				pos = append(pos, [2]float64{p.Lon, p.Lat})
			}
			if len(ring) > 0 && ring[0] != ring[len(ring)-1] {
				pos = append(pos, [2]float64{ring[0].Lon, ring[0].Lat})
			}
			g.Coordinates[i][j] = pos
		}
	}
	return g
}
