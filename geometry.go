package civicgrid

import (
	"fmt"
	"math"
)

// EarthRadiusM is the mean radius of the Earth in metres (IUGG R1), used
// for distances.
const EarthRadiusM = 6371008.8

// WGS84 ellipsoid, for areas.
const (
	wgs84A  = 6378137.0
	wgs84F  = 1 / 298.257223563
	wgs84E2 = wgs84F * (2 - wgs84F)
)

// Point is a position in WGS84 degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Bounds is a longitude/latitude box in degrees, edges included. The zero
// value is the single point (0, 0); use EmptyBounds for a box that holds
// nothing yet.
type Bounds struct {
	MinLon float64 `json:"min_lon"`
	MinLat float64 `json:"min_lat"`
	MaxLon float64 `json:"max_lon"`
	MaxLat float64 `json:"max_lat"`
}

// EmptyBounds returns bounds that contain no point and intersect nothing;
// Extend grows it to the first point.
func EmptyBounds() Bounds {
	return Bounds{MinLon: math.Inf(1), MinLat: math.Inf(1), MaxLon: math.Inf(-1), MaxLat: math.Inf(-1)}
}

// IsEmpty reports whether b contains no point.
func (b Bounds) IsEmpty() bool { return !(b.MinLon <= b.MaxLon && b.MinLat <= b.MaxLat) }

// Contains reports whether p lies inside b or on its edge.
func (b Bounds) Contains(p Point) bool {
	return p.Lon >= b.MinLon && p.Lon <= b.MaxLon && p.Lat >= b.MinLat && p.Lat <= b.MaxLat
}

// Intersects reports whether b and o share at least one point; boxes that
// only touch intersect.
func (b Bounds) Intersects(o Bounds) bool {
	return !b.IsEmpty() && !o.IsEmpty() &&
		b.MinLon <= o.MaxLon && o.MinLon <= b.MaxLon && b.MinLat <= o.MaxLat && o.MinLat <= b.MaxLat
}

// Extend returns the smallest bounds that hold both b and p.
func (b Bounds) Extend(p Point) Bounds {
	return Bounds{
		MinLon: math.Min(b.MinLon, p.Lon),
		MinLat: math.Min(b.MinLat, p.Lat),
		MaxLon: math.Max(b.MaxLon, p.Lon),
		MaxLat: math.Max(b.MaxLat, p.Lat),
	}
}

// Center returns the middle of b.
func (b Bounds) Center() Point {
	return Point{Lat: (b.MinLat + b.MaxLat) / 2, Lon: (b.MinLon + b.MaxLon) / 2}
}

// Ring is a sequence of positions; a valid ring is closed (the first and
// last positions are equal) and holds at least four positions.
type Ring []Point

// Polygon is an outer ring followed by zero or more holes.
type Polygon []Ring

// MultiPolygon is a set of polygons, such as one grid cell or one
// administrative area.
type MultiPolygon []Polygon

// Contains reports whether p lies inside m by the even-odd rule, holes
// excluded. Points exactly on an edge, a hole's edge included, count as
// inside.
func (m MultiPolygon) Contains(p Point) bool {
	for _, poly := range m {
		odd := false
		for _, r := range poly {
			n := len(r)
			for i, j := 0, n-1; i < n; j, i = i, i+1 {
				toggle, on := edgeTest(r[j].Lon, r[j].Lat, r[i].Lon, r[i].Lat, p.Lon, p.Lat)
				if on {
					return true
				}
				odd = odd != toggle
			}
		}
		if odd {
			return true
		}
	}
	return false
}

// edgeTest reports whether the edge a→b crosses the horizontal ray from p
// towards +x, and whether p lies on the edge. The endpoints are ordered by
// latitude first so that an edge shared by two neighbouring shapes gives
// bit-identical answers for both, whatever their winding: every point off
// the edge then falls in exactly one of them.
func edgeTest(ax, ay, bx, by, px, py float64) (toggle, on bool) {
	if (ay > py) != (by > py) {
		if ay > by {
			ax, ay, bx, by = bx, by, ax, ay
		}
		// The conversions stop the compiler from fusing into FMA, which
		// would break the symmetry described above.
		c := float64((bx-ax)*(py-ay)) - float64((px-ax)*(by-ay))
		return c > 0, c == 0
	}
	if ay == py {
		if ax == px {
			return false, true
		}
		if by == py && (ax < px) != (bx < px) {
			return false, true
		}
	}
	return false, false
}

// Bounds returns the box around every position of m, or EmptyBounds when m
// has none.
func (m MultiPolygon) Bounds() Bounds {
	b := EmptyBounds()
	for _, poly := range m {
		for _, r := range poly {
			for _, p := range r {
				b = b.Extend(p)
			}
		}
	}
	return b
}

// AreaM2 returns the area of m in square metres on the WGS84 ellipsoid,
// holes subtracted. Edges are taken as straight lines in the cylindrical
// equal-area projection, which is exact for cells bounded by meridians and
// parallels and well within 0.1% for grid-sized cells of any shape.
func (m MultiPolygon) AreaM2() float64 {
	total := 0.0
	for _, poly := range m {
		for i, r := range poly {
			a := math.Abs(ringAreaM2(r))
			if i > 0 {
				a = -a
			}
			total += a
		}
	}
	return math.Max(total, 0)
}

// ringAreaM2 returns the signed area of r (positive when counter-clockwise)
// by the shoelace formula on longitude and the ellipsoid's authalic
// function q, relative to the first position to keep precision.
func ringAreaM2(r Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	x0, y0 := r[0].Lon, authalicQ(r[0].Lat)
	sum := 0.0
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		xj, yj := lonDelta(r[j].Lon-x0), authalicQ(r[j].Lat)-y0
		xi, yi := lonDelta(r[i].Lon-x0), authalicQ(r[i].Lat)-y0
		sum += xj*yi - xi*yj
	}
	const k = wgs84A * wgs84A / 2 * math.Pi / 180
	return sum / 2 * k
}

// lonDelta folds a longitude difference into [-180, 180), so rings that
// cross the antimeridian keep their true size.
func lonDelta(d float64) float64 {
	if d >= 180 {
		return d - 360
	}
	if d < -180 {
		return d + 360
	}
	return d
}

// authalicQ is the function q(φ) of the ellipsoid's equal-area projections
// (Snyder, Map Projections: A Working Manual, eq. 3-12).
func authalicQ(lat float64) float64 {
	e := math.Sqrt(wgs84E2)
	s := math.Sin(lat * math.Pi / 180)
	es := e * s
	return (1 - wgs84E2) * (s/(1-es*es) - math.Log((1-es)/(1+es))/(2*e))
}

// Centroid returns the area-weighted centroid of m, holes subtracted,
// computed on a local plane around m's first position. When m has no area
// it returns the centre of its bounds.
func (m MultiPolygon) Centroid() Point {
	b := m.Bounds()
	if b.IsEmpty() {
		return Point{}
	}
	ref := b.Center()
	for _, poly := range m {
		if len(poly) > 0 && len(poly[0]) > 0 {
			ref = poly[0][0]
			break
		}
	}
	kx := math.Cos(ref.Lat * math.Pi / 180)
	var w, cx, cy float64
	for _, poly := range m {
		for i, r := range poly {
			a, x, y := ringMoments(r, ref, kx)
			if (a < 0) != (i > 0) {
				a, x, y = -a, -x, -y
			}
			w, cx, cy = w+a, cx+x, cy+y
		}
	}
	if w == 0 || math.IsNaN(w) || math.IsInf(w, 0) || kx == 0 {
		return b.Center()
	}
	return Point{Lat: ref.Lat + cy/(3*w), Lon: ref.Lon + cx/(3*w)/kx}
}

// ringMoments returns r's signed shoelace sum (twice its planar area) and
// its first moments times six, in a plane centred on ref with longitudes
// scaled by kx.
func ringMoments(r Ring, ref Point, kx float64) (a, mx, my float64) {
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		xj, yj := lonDelta(r[j].Lon-ref.Lon)*kx, r[j].Lat-ref.Lat
		xi, yi := lonDelta(r[i].Lon-ref.Lon)*kx, r[i].Lat-ref.Lat
		c := xj*yi - xi*yj
		a += c
		mx += (xj + xi) * c
		my += (yj + yi) * c
	}
	return a, mx, my
}

// DistanceM returns the great-circle distance between a and b in metres by
// the haversine formula.
func DistanceM(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusM * math.Asin(math.Sqrt(math.Min(1, s)))
}

// maxSelfIntersectionCheck is the largest ring, in positions, whose outer
// edges Validate tests pairwise for crossings; larger rings (whole
// districts) would make the quadratic test too slow.
const maxSelfIntersectionCheck = 1000

// Validate returns an Invalid error naming the first problem in m: no
// polygons, a polygon without rings, a ring with fewer than four positions,
// a coordinate that is not finite or out of range, a ring that is not
// closed, a ring without area, or an outer ring that crosses itself (tested
// for rings of up to 1000 positions). It does not close rings.
func (m MultiPolygon) Validate() error {
	if len(m) == 0 {
		return Errorf(Invalid, "geometry has no polygons")
	}
	for i, poly := range m {
		if len(poly) == 0 {
			return Errorf(Invalid, "polygon %d has no rings", i)
		}
		for j, r := range poly {
			if problem := ringProblem(r, j == 0); problem != "" {
				return Errorf(Invalid, "polygon %d: ring %d %s", i, j, problem)
			}
		}
	}
	return nil
}

// ringProblem describes what is wrong with r, or returns "".
func ringProblem(r Ring, outer bool) string {
	if len(r) < 4 {
		return fmt.Sprintf("has %d positions; a closed ring needs at least 4", len(r))
	}
	for k, p := range r {
		switch {
		case math.IsNaN(p.Lat) || math.IsInf(p.Lat, 0) || math.IsNaN(p.Lon) || math.IsInf(p.Lon, 0):
			return fmt.Sprintf("position %d has a coordinate that is not a finite number", k)
		case math.Abs(p.Lat) > 90:
			return fmt.Sprintf("position %d has latitude %v outside [-90, 90]", k, p.Lat)
		case math.Abs(p.Lon) > 180:
			return fmt.Sprintf("position %d has longitude %v outside [-180, 180]", k, p.Lon)
		}
	}
	if r[0] != r[len(r)-1] {
		return "is not closed (its first and last positions differ)"
	}
	b := MultiPolygon{{r}}.Bounds()
	w, h := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	if a, _, _ := ringMoments(r, r[0], 1); w == 0 || h == 0 || math.Abs(a) <= 1e-10*w*h {
		return "has zero area"
	}
	if outer && len(r) <= maxSelfIntersectionCheck {
		if i, j, ok := selfIntersection(r); ok {
			return fmt.Sprintf("intersects itself (edges %d and %d)", i, j)
		}
	}
	return ""
}

// selfIntersection reports the first pair of edges of the closed ring r
// that touch or cross other than at the vertex two neighbouring edges
// share, or where neighbouring edges fold back over each other. Repeated
// consecutive positions are ignored. Edge k runs from position k onward.
func selfIntersection(r Ring) (int, int, bool) {
	pts := make([]Point, 0, len(r))
	orig := make([]int, 0, len(r))
	for k, p := range r {
		if k == 0 || p != r[k-1] {
			pts, orig = append(pts, p), append(orig, k)
		}
	}
	n := len(pts) - 1 // edges
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var hit bool
			switch {
			case j == i+1:
				hit = foldsBack(pts[i], pts[i+1], pts[j+1])
			case i == 0 && j == n-1:
				hit = foldsBack(pts[j], pts[0], pts[1])
			default:
				hit = segmentsTouch(pts[i], pts[i+1], pts[j], pts[j+1])
			}
			if hit {
				return orig[i], orig[j], true
			}
		}
	}
	return 0, 0, false
}

// orient returns the sign of the turn a→b→c: positive counter-clockwise,
// negative clockwise, zero when collinear.
func orient(a, b, c Point) float64 {
	return float64((b.Lon-a.Lon)*(c.Lat-a.Lat)) - float64((b.Lat-a.Lat)*(c.Lon-a.Lon))
}

// foldsBack reports whether the path a→b→c turns back on itself.
func foldsBack(a, b, c Point) bool {
	return orient(a, b, c) == 0 && (b.Lon-a.Lon)*(c.Lon-b.Lon)+(b.Lat-a.Lat)*(c.Lat-b.Lat) < 0
}

// segmentsTouch reports whether segments p1p2 and q1q2 share any point.
func segmentsTouch(p1, p2, q1, q2 Point) bool {
	d1, d2 := orient(q1, q2, p1), orient(q1, q2, p2)
	d3, d4 := orient(p1, p2, q1), orient(p1, p2, q2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2)) ||
		(d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2))
}

// onSegment reports whether p, known to be collinear with a and b, lies
// between them.
func onSegment(a, b, p Point) bool {
	return math.Min(a.Lon, b.Lon) <= p.Lon && p.Lon <= math.Max(a.Lon, b.Lon) &&
		math.Min(a.Lat, b.Lat) <= p.Lat && p.Lat <= math.Max(a.Lat, b.Lat)
}
