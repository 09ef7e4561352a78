package civicgrid_test

import (
	"math"
	"strings"
	"testing"

	"civicgrid"
)

// geoBox returns a closed counter-clockwise rectangular ring.
func geoBox(minLon, minLat, maxLon, maxLat float64) civicgrid.Ring {
	return civicgrid.Ring{
		{Lat: minLat, Lon: minLon}, {Lat: minLat, Lon: maxLon}, {Lat: maxLat, Lon: maxLon},
		{Lat: maxLat, Lon: minLon}, {Lat: minLat, Lon: minLon},
	}
}

// geoReversed returns r with its positions in the opposite order.
func geoReversed(r civicgrid.Ring) civicgrid.Ring {
	out := make(civicgrid.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

func TestGeometryBounds(t *testing.T) {
	b := civicgrid.Bounds{MinLon: 0, MinLat: 0, MaxLon: 2, MaxLat: 1}
	empty := civicgrid.EmptyBounds()
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"contains inside", b.Contains(civicgrid.Point{Lat: 0.5, Lon: 1}), true},
		{"contains corner", b.Contains(civicgrid.Point{Lat: 1, Lon: 2}), true},
		{"contains outside", b.Contains(civicgrid.Point{Lat: 1.01, Lon: 1}), false},
		{"intersects overlap", b.Intersects(civicgrid.Bounds{MinLon: 1, MinLat: 0.5, MaxLon: 3, MaxLat: 3}), true},
		{"intersects touching", b.Intersects(civicgrid.Bounds{MinLon: 2, MinLat: 1, MaxLon: 3, MaxLat: 3}), true},
		{"intersects apart", b.Intersects(civicgrid.Bounds{MinLon: 2.1, MinLat: 0, MaxLon: 3, MaxLat: 1}), false},
		{"intersects inside", b.Intersects(civicgrid.Bounds{MinLon: 0.5, MinLat: 0.2, MaxLon: 0.6, MaxLat: 0.3}), true},
		{"empty is empty", empty.IsEmpty(), true},
		{"zero value is not empty", civicgrid.Bounds{}.IsEmpty(), false},
		{"empty contains nothing", empty.Contains(civicgrid.Point{}), false},
		{"empty intersects nothing", empty.Intersects(b) || b.Intersects(empty), false},
		{"extended empty holds the point", empty.Extend(civicgrid.Point{Lat: 3, Lon: 4}) == civicgrid.Bounds{MinLon: 4, MinLat: 3, MaxLon: 4, MaxLat: 3}, true},
		{"extend grows", b.Extend(civicgrid.Point{Lat: -1, Lon: 5}) == civicgrid.Bounds{MinLon: 0, MinLat: -1, MaxLon: 5, MaxLat: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestGeometryContains(t *testing.T) {
	withHole := civicgrid.MultiPolygon{{geoBox(0, 0, 10, 10), geoReversed(geoBox(4, 4, 6, 6))}}
	clockwise := civicgrid.MultiPolygon{{geoReversed(geoBox(0, 0, 10, 10))}}
	two := civicgrid.MultiPolygon{{geoBox(0, 0, 1, 1)}, {geoBox(5, 5, 6, 6)}}
	unclosed := civicgrid.MultiPolygon{{geoBox(0, 0, 1, 1)[:4]}}
	triangle := civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 4}, {Lat: 4, Lon: 0}, {Lat: 0, Lon: 0}}}}
	// An island inside the hole of another polygon of the same shape.
	island := civicgrid.MultiPolygon{{geoBox(0, 0, 10, 10), geoBox(4, 4, 6, 6)}, {geoBox(4.5, 4.5, 5.5, 5.5)}}
	pt := func(lat, lon float64) civicgrid.Point { return civicgrid.Point{Lat: lat, Lon: lon} }
	tests := []struct {
		name  string
		shape civicgrid.MultiPolygon
		p     civicgrid.Point
		want  bool
	}{
		{"inside", withHole, pt(2, 2), true},
		{"in hole", withHole, pt(5, 5), false},
		{"outside", withHole, pt(11, 5), false},
		{"left of", withHole, pt(5, -1), false},
		{"on outer edge", withHole, pt(0, 5), true},
		{"on right edge", withHole, pt(5, 10), true},
		{"on outer vertex", withHole, pt(10, 10), true},
		{"on hole edge", withHole, pt(5, 4), true},
		{"on hole vertex", withHole, pt(6, 6), true},
		{"ray through vertex", withHole, pt(10, -5), false},
		{"ray through hole vertex", withHole, pt(4, 2), true},
		{"clockwise inside", clockwise, pt(5, 5), true},
		{"clockwise on edge", clockwise, pt(10, 3), true},
		{"multipolygon first", two, pt(0.5, 0.5), true},
		{"multipolygon second", two, pt(5.5, 5.5), true},
		{"multipolygon between", two, pt(3, 3), false},
		{"unclosed ring", unclosed, pt(0.5, 0.5), true},
		{"unclosed ring closing edge", unclosed, pt(0.5, 0), true},
		{"triangle hypotenuse", triangle, pt(2, 2), true},
		{"triangle beyond hypotenuse", triangle, pt(2.001, 2), false},
		{"island in hole", island, pt(5, 5), true},
		{"hole around island", island, pt(4.2, 4.2), false},
		{"empty", nil, pt(0, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.shape.Contains(tt.p); got != tt.want {
				t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
}

// Metres per degree on WGS84 at 30°N (NGA/NIMA tables).
const (
	mPerDegLat30 = 110852.43
	mPerDegLon30 = 96486.28
)

func TestGeometryAreaM2(t *testing.T) {
	dLat, dLon := 100/mPerDegLat30, 100/mPerDegLon30
	cell := geoBox(120, 30, 120+dLon, 30+dLat)
	hole := geoBox(120+dLon/4, 30+dLat/4, 120+3*dLon/4, 30+3*dLat/4)
	tests := []struct {
		name  string
		shape civicgrid.MultiPolygon
		want  float64
		tol   float64 // relative
	}{
		{"100 m square at 30N", civicgrid.MultiPolygon{{cell}}, 10000, 0.0005},
		{"clockwise", civicgrid.MultiPolygon{{geoReversed(cell)}}, 10000, 0.005},
		{"with hole", civicgrid.MultiPolygon{{cell, geoReversed(hole)}}, 7500, 0.005},
		{"hole of same winding", civicgrid.MultiPolygon{{cell, hole}}, 7500, 0.005},
		{"two cells", civicgrid.MultiPolygon{{cell}, {geoBox(121, 30, 121+dLon, 30+dLat)}}, 20000, 0.005},
		// One degree square at the equator: 12,308.464 km² on WGS84, by
		// integrating M(φ)·N(φ)·cos φ numerically.
		{"degree at equator", civicgrid.MultiPolygon{{geoBox(0, 0, 1, 1)}}, 12308.464e6, 1e-6},
		{"across the antimeridian", civicgrid.MultiPolygon{{geoBox(179.5, 0, -179.5, 1)}}, 12308.464e6, 1e-6},
		{"empty", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.shape.AreaM2()
			if math.Abs(got-tt.want) > tt.tol*tt.want {
				t.Errorf("AreaM2 = %.3f, want %.3f ± %.2f%%", got, tt.want, tt.tol*100)
			}
		})
	}
}

func TestGeometryCentroid(t *testing.T) {
	// An L of three unit squares: (0,0)-(2,1) plus (0,1)-(1,2).
	ell := civicgrid.Ring{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 2}, {Lat: 1, Lon: 1},
		{Lat: 2, Lon: 1}, {Lat: 2, Lon: 0}, {Lat: 0, Lon: 0}}
	tests := []struct {
		name  string
		shape civicgrid.MultiPolygon
		want  civicgrid.Point
	}{
		{"square", civicgrid.MultiPolygon{{geoBox(120, 30, 120.001, 30.001)}}, civicgrid.Point{Lat: 30.0005, Lon: 120.0005}},
		{"ell near equator", civicgrid.MultiPolygon{{ell}}, civicgrid.Point{Lat: 5.0 / 6, Lon: 5.0 / 6}},
		{"off-centre hole", civicgrid.MultiPolygon{{geoBox(0, 0, 0.004, 0.002), geoBox(0.002, 0, 0.004, 0.002)}}, civicgrid.Point{Lat: 0.001, Lon: 0.001}},
		{"two equal parts", civicgrid.MultiPolygon{{geoBox(0, 0, 0.001, 0.001)}, {geoBox(0.002, 0, 0.003, 0.001)}}, civicgrid.Point{Lat: 0.0005, Lon: 0.0015}},
		{"degenerate falls back to bounds centre", civicgrid.MultiPolygon{{{{Lat: 1, Lon: 1}, {Lat: 3, Lon: 3}, {Lat: 1, Lon: 1}}}}, civicgrid.Point{Lat: 2, Lon: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.shape.Centroid()
			// The ell is large enough for the local plane to show; allow 1e-3°.
			if math.Abs(got.Lat-tt.want.Lat) > 1e-3 || math.Abs(got.Lon-tt.want.Lon) > 1e-3 {
				t.Errorf("Centroid = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGeometryDistanceM(t *testing.T) {
	tests := []struct {
		name string
		a, b civicgrid.Point
		want float64
		tol  float64
	}{
		{"same point", civicgrid.Point{Lat: 30, Lon: 120}, civicgrid.Point{Lat: 30, Lon: 120}, 0, 1e-9},
		{"one degree of latitude", civicgrid.Point{Lat: 0, Lon: 0}, civicgrid.Point{Lat: 1, Lon: 0}, 6371008.8 * math.Pi / 180, 1e-6},
		{"antipodes", civicgrid.Point{Lat: 0, Lon: 0}, civicgrid.Point{Lat: 0, Lon: 180}, 6371008.8 * math.Pi, 1e-6},
		{"Beijing to Shanghai", civicgrid.Point{Lat: 39.9042, Lon: 116.4074}, civicgrid.Point{Lat: 31.2304, Lon: 121.4737}, 1067e3, 5e3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := civicgrid.DistanceM(tt.a, tt.b); math.Abs(got-tt.want) > tt.tol {
				t.Errorf("DistanceM = %.3f, want %.3f", got, tt.want)
			}
		})
	}
}

func TestGeometryValidate(t *testing.T) {
	ok := geoBox(120, 30, 120.001, 30.001)
	tests := []struct {
		name  string
		shape civicgrid.MultiPolygon
		want  string // substring of the message; "" for valid
	}{
		{"valid cell", civicgrid.MultiPolygon{{ok}}, ""},
		{"valid with hole", civicgrid.MultiPolygon{{geoBox(0, 0, 10, 10), geoBox(4, 4, 6, 6)}}, ""},
		{"valid concave", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 2}, {Lat: 1, Lon: 1},
			{Lat: 2, Lon: 1}, {Lat: 2, Lon: 0}, {Lat: 0, Lon: 0}}}}, ""},
		{"valid with repeated position", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 1}, {Lat: 0, Lon: 1}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}, ""},
		{"empty", nil, "no polygons"},
		{"polygon without rings", civicgrid.MultiPolygon{{}}, "polygon 0 has no rings"},
		{"too few positions", civicgrid.MultiPolygon{{ok[:3]}}, "ring 0 has 3 positions"},
		{"NaN", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: math.NaN(), Lon: 1}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}, "position 1 has a coordinate that is not a finite number"},
		{"infinite", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: math.Inf(1)}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}, "not a finite number"},
		{"latitude out of range", civicgrid.MultiPolygon{{geoBox(0, 89, 1, 91)}}, "latitude 91 outside [-90, 90]"},
		{"longitude out of range", civicgrid.MultiPolygon{{geoBox(179, 0, 181, 1)}}, "longitude 181 outside [-180, 180]"},
		{"unclosed", civicgrid.MultiPolygon{{ok[:4]}}, "ring 0 is not closed"},
		{"unclosed hole", civicgrid.MultiPolygon{{ok}, {ok, geoBox(120.0002, 30.0002, 120.0004, 30.0004)[:4]}}, "polygon 1: ring 1 is not closed"},
		{"zero area", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 1, Lon: 1}, {Lat: 2, Lon: 2}, {Lat: 0, Lon: 0}}}}, "ring 0 has zero area"},
		{"flat", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 1}, {Lat: 0, Lon: 2}, {Lat: 0, Lon: 0}}}}, "zero area"},
		{"bow tie", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 2, Lon: 2}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 0}, {Lat: 0, Lon: 0}}}}, "intersects itself (edges 0 and 2)"},
		{"touching itself at a vertex", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 1},
			{Lat: 2, Lon: 2}, {Lat: 2, Lon: 0}, {Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}, "intersects itself"},
		{"spike folding back", civicgrid.MultiPolygon{{{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 2}, {Lat: 0, Lon: 3}, {Lat: 0, Lon: 1},
			{Lat: 1, Lon: 1}, {Lat: 0, Lon: 0}}}}, "intersects itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.shape.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Fatalf("Validate() = %v, want an Invalid error", err)
			}
			if msg := civicgrid.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("Validate() message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

func TestGeometryValidateSkipsHugeRings(t *testing.T) {
	// A bow tie with 1,200 positions is past the self-intersection limit.
	var r civicgrid.Ring
	for i := range 600 {
		r = append(r, civicgrid.Point{Lat: float64(i) / 600, Lon: float64(i) / 600})
	}
	for i := range 599 {
		r = append(r, civicgrid.Point{Lat: 1 - float64(i)/600, Lon: 0.5 + float64(i)/1200})
	}
	r = append(r, r[0])
	if err := (civicgrid.MultiPolygon{{r}}).Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil above the self-intersection limit", err)
	}
}
