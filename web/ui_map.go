package web

import (
	"math"
	"strconv"
	"strings"

	"civicgrid"
)

// The grid is the map: pages draw the cells around a point as inline SVG
// from their own polygons, with no tiles and no script needed to see it.

// mapSide is the width and height of a map in SVG units.
const mapSide = 600

// metresPerDegree is the length of a degree of latitude, near enough.
const metresPerDegree = 111_320.0

// mapView is a square map of the cells around a point.
type mapView struct {
	Side  int
	Cells []mapCell
	Pin   *mapPoint
	// The projection, for the report page's script to turn a click into
	// coordinates: x = (lon-MinLon)·Cos·K, y = (MaxLat-lat)·K.
	MinLon, MaxLat, Cos, K string
}

// mapCell is one cell drawn on a map.
type mapCell struct {
	Code, Name string
	Path       string // the SVG path of its polygon
	Focus      bool   // the cell the page is about
}

// mapPoint is a point in SVG units.
type mapPoint struct{ X, Y string }

// cellMap draws the cells within halfM metres of center, marking the cell
// focus and putting a pin at pin when it is set.
func cellMap(g *civicgrid.Grid, center civicgrid.Point, focus string, halfM float64, pin *civicgrid.Point) mapView {
	cos := math.Cos(center.Lat * math.Pi / 180)
	dLat := halfM / metresPerDegree
	dLon := dLat / cos
	b := civicgrid.Bounds{MinLon: center.Lon - dLon, MinLat: center.Lat - dLat, MaxLon: center.Lon + dLon, MaxLat: center.Lat + dLat}
	k := mapSide / (2 * dLat)
	proj := func(p civicgrid.Point) (float64, float64) {
		return (p.Lon - b.MinLon) * cos * k, (b.MaxLat - p.Lat) * k
	}
	m := mapView{Side: mapSide, MinLon: num(b.MinLon, 7), MaxLat: num(b.MaxLat, 7), Cos: num(cos, 7), K: num(k, 3)}
	for _, c := range g.CellsWithin(b, 400) {
		var sb strings.Builder
		for _, poly := range c.Shape {
			for _, ring := range poly {
				for i, p := range ring {
					x, y := proj(p)
					if i == 0 {
						sb.WriteString("M")
					} else {
						sb.WriteString("L")
					}
					sb.WriteString(num(x, 1) + " " + num(y, 1))
				}
				sb.WriteString("Z")
			}
		}
		m.Cells = append(m.Cells, mapCell{Code: c.Code, Name: c.Name, Path: sb.String(), Focus: c.Code == focus})
	}
	if pin != nil {
		x, y := proj(*pin)
		m.Pin = &mapPoint{X: num(x, 1), Y: num(y, 1)}
	}
	return m
}

func num(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }
