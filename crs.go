package civicgrid

import "math"

// CRS names the coordinate reference system a position was reported in.
// Phone maps in China do not report WGS84: Amap and Tencent use GCJ-02 and
// Baidu uses BD-09, both deliberately shifted by up to several hundred
// metres.
type CRS string

// The coordinate reference systems.
const (
	WGS84 CRS = "wgs84" // GPS and the grid's own coordinates
	GCJ02 CRS = "gcj02" // 国测局 "Mars" coordinates: Amap, Tencent, Apple Maps in China
	BD09  CRS = "bd09"  // Baidu's further shift of GCJ-02
)

// Valid reports whether c is one of the coordinate reference systems. The
// empty CRS is not valid; callers pick their own default.
func (c CRS) Valid() bool {
	switch c {
	case WGS84, GCJ02, BD09:
		return true
	}
	return false
}

// Parameters of the published GCJ-02 algorithm: the Krasovsky 1940
// ellipsoid and Baidu's angular factor.
const (
	krasovskyA  = 6378245.0
	krasovskyE2 = 0.00669342162296594323
	bdXPi       = math.Pi * 3000.0 / 180.0
)

// shiftTolerance is how close, in degrees, the inverse transforms bring
// the forward transform of their answer to the input: about 0.1 mm.
const shiftTolerance = 1e-9

// ToWGS84 converts p from the reference system from to WGS84. GCJ-02 is
// inverted by fixed-point iteration; BD-09 goes through GCJ-02. Points
// outside China's bounding box are not shifted by GCJ-02. An unknown CRS
// or an unusable point gives an Invalid error.
func ToWGS84(p Point, from CRS) (Point, error) {
	if err := checkCRSPoint(p, from); err != nil {
		return Point{}, err
	}
	switch from {
	case GCJ02:
		return gcj02ToWGS84(p), nil
	case BD09:
		return gcj02ToWGS84(bd09ToGCJ02(p)), nil
	}
	return p, nil
}

// FromWGS84 converts the WGS84 point p to the reference system to. An
// unknown CRS or an unusable point gives an Invalid error.
func FromWGS84(p Point, to CRS) (Point, error) {
	if err := checkCRSPoint(p, to); err != nil {
		return Point{}, err
	}
	switch to {
	case GCJ02:
		return wgs84ToGCJ02(p), nil
	case BD09:
		return gcj02ToBD09(wgs84ToGCJ02(p)), nil
	}
	return p, nil
}

// checkCRSPoint returns an Invalid error unless c is known and p is a
// finite position within the ranges of latitude and longitude.
func checkCRSPoint(p Point, c CRS) error {
	if !c.Valid() {
		return Errorf(Invalid, "coordinate system %q is not one of wgs84, gcj02, bd09", c)
	}
	if !(math.Abs(p.Lat) <= 90 && math.Abs(p.Lon) <= 180) {
		return Errorf(Invalid, "position (%v, %v) is not a valid latitude and longitude", p.Lat, p.Lon)
	}
	return nil
}

// outOfChina reports whether p lies outside the rough bounding box in
// which GCJ-02 applies its shift.
func outOfChina(p Point) bool {
	return p.Lon < 72.004 || p.Lon > 137.8347 || p.Lat < 0.8293 || p.Lat > 55.8271
}

// wgs84ToGCJ02 applies the GCJ-02 shift to a WGS84 point.
func wgs84ToGCJ02(p Point) Point {
	if outOfChina(p) {
		return p
	}
	x, y := p.Lon-105, p.Lat-35
	dLat, dLon := gcjShiftLat(x, y), gcjShiftLon(x, y)
	rad := p.Lat * math.Pi / 180
	s := math.Sin(rad)
	magic := 1 - krasovskyE2*s*s
	sq := math.Sqrt(magic)
	dLat = dLat * 180 / (krasovskyA * (1 - krasovskyE2) / (magic * sq) * math.Pi)
	dLon = dLon * 180 / (krasovskyA / sq * math.Cos(rad) * math.Pi)
	return Point{Lat: p.Lat + dLat, Lon: p.Lon + dLon}
}

// gcjShiftLat is the published latitude perturbation, in metres on the
// Krasovsky ellipsoid, for x = lon-105 and y = lat-35.
func gcjShiftLat(x, y float64) float64 {
	r := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(y*math.Pi) + 40*math.Sin(y/3*math.Pi)) * 2 / 3
	r += (160*math.Sin(y/12*math.Pi) + 320*math.Sin(y*math.Pi/30)) * 2 / 3
	return r
}

// gcjShiftLon is the published longitude perturbation, in metres on the
// Krasovsky ellipsoid, for x = lon-105 and y = lat-35.
func gcjShiftLon(x, y float64) float64 {
	r := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(x*math.Pi) + 40*math.Sin(x/3*math.Pi)) * 2 / 3
	r += (150*math.Sin(x/12*math.Pi) + 300*math.Sin(x/30*math.Pi)) * 2 / 3
	return r
}

// gcj02ToWGS84 inverts wgs84ToGCJ02. The shift changes by well under 1%
// of a step across a step, so the fixed-point iteration w ← w − (f(w) − g)
// gains about two digits per round.
func gcj02ToWGS84(g Point) Point {
	return invert(g, wgs84ToGCJ02)
}

// gcj02ToBD09 applies Baidu's shift to a GCJ-02 point.
func gcj02ToBD09(g Point) Point {
	x, y := g.Lon, g.Lat
	z := math.Sqrt(x*x+y*y) + 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) + 0.000003*math.Cos(x*bdXPi)
	return Point{Lat: z*math.Sin(theta) + 0.006, Lon: z*math.Cos(theta) + 0.0065}
}

// bd09ToGCJ02 inverts gcj02ToBD09. The usual closed-form inverse is off
// by up to about 2e-6 degrees (20 cm), so it only seeds the iteration.
func bd09ToGCJ02(b Point) Point {
	x, y := b.Lon-0.0065, b.Lat-0.006
	z := math.Sqrt(x*x+y*y) - 0.00002*math.Sin(y*bdXPi)
	theta := math.Atan2(y, x) - 0.000003*math.Cos(x*bdXPi)
	seed := Point{Lat: z * math.Sin(theta), Lon: z * math.Cos(theta)}
	return invertFrom(b, seed, gcj02ToBD09)
}

// invert finds w with forward(w) ≈ target, starting from target itself.
func invert(target Point, forward func(Point) Point) Point {
	return invertFrom(target, target, forward)
}

// invertFrom finds w with forward(w) ≈ target, starting from w.
func invertFrom(target, w Point, forward func(Point) Point) Point {
	for range 30 {
		f := forward(w)
		dLat, dLon := f.Lat-target.Lat, f.Lon-target.Lon
		w.Lat -= dLat
		w.Lon -= dLon
		if math.Abs(dLat) < shiftTolerance && math.Abs(dLon) < shiftTolerance {
			break
		}
	}
	return w
}
