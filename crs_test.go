package civicgrid_test

import (
	"math"
	"testing"

	"civicgrid"
)

// crsCities are WGS84 positions across China's shift field.
var crsCities = []struct {
	name string
	p    civicgrid.Point
}{
	{"Beijing", civicgrid.Point{Lat: 39.9042, Lon: 116.4074}},
	{"Shanghai", civicgrid.Point{Lat: 31.2304, Lon: 121.4737}},
	{"Hangzhou", civicgrid.Point{Lat: 30.2741, Lon: 120.1551}},
	{"Shenzhen", civicgrid.Point{Lat: 22.5431, Lon: 114.0579}},
	{"Chengdu", civicgrid.Point{Lat: 30.5728, Lon: 104.0668}},
	{"Urumqi", civicgrid.Point{Lat: 43.8256, Lon: 87.6168}},
	{"Harbin", civicgrid.Point{Lat: 45.8038, Lon: 126.5350}},
	{"Lhasa", civicgrid.Point{Lat: 29.6520, Lon: 91.1721}},
	{"Sanya", civicgrid.Point{Lat: 18.2528, Lon: 109.5119}},
}

func TestCRSValid(t *testing.T) {
	tests := []struct {
		crs  civicgrid.CRS
		want bool
	}{
		{civicgrid.WGS84, true}, {civicgrid.GCJ02, true}, {civicgrid.BD09, true},
		{"", false}, {"WGS84", false}, {"epsg:4326", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.crs), func(t *testing.T) {
			if got := tt.crs.Valid(); got != tt.want {
				t.Errorf("Valid() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCRSRoundTrip(t *testing.T) {
	for _, c := range crsCities {
		for _, crs := range []civicgrid.CRS{civicgrid.WGS84, civicgrid.GCJ02, civicgrid.BD09} {
			t.Run(c.name+"/"+string(crs), func(t *testing.T) {
				shifted, err := civicgrid.FromWGS84(c.p, crs)
				if err != nil {
					t.Fatal(err)
				}
				back, err := civicgrid.ToWGS84(shifted, crs)
				if err != nil {
					t.Fatal(err)
				}
				if d := math.Max(math.Abs(back.Lat-c.p.Lat), math.Abs(back.Lon-c.p.Lon)); d > 1e-7 {
					t.Errorf("round trip through %s is off by %g degrees: %v → %v → %v", crs, d, c.p, shifted, back)
				}
				// The shift is real: a few hundred metres for GCJ-02, more
				// for BD-09, nothing for WGS84.
				d := civicgrid.DistanceM(c.p, shifted)
				lo, hi := 0.0, 0.0
				switch crs {
				case civicgrid.GCJ02:
					lo, hi = 50, 1000
				case civicgrid.BD09:
					lo, hi = 300, 2000
				}
				if d < lo || d > hi {
					t.Errorf("%s shift is %.0f m, want between %.0f and %.0f m", crs, d, lo, hi)
				}
			})
		}
	}
}

func TestCRSReference(t *testing.T) {
	// Tiananmen: the widely published pair WGS84 → GCJ-02, and Baidu's
	// own map centre for Tiananmen (116.404, 39.915), which is the BD-09
	// of the GCJ-02 position (39.908692, 116.397477).
	tiananmen := civicgrid.Point{Lat: 39.908692, Lon: 116.397477}
	tests := []struct {
		name string
		got  func() (civicgrid.Point, error)
		want civicgrid.Point
		tol  float64
	}{
		{"WGS84 to GCJ-02", func() (civicgrid.Point, error) { return civicgrid.FromWGS84(tiananmen, civicgrid.GCJ02) },
			civicgrid.Point{Lat: 39.910093, Lon: 116.403719}, 1e-5},
		{"GCJ-02 to BD-09", func() (civicgrid.Point, error) {
			w, err := civicgrid.ToWGS84(tiananmen, civicgrid.GCJ02)
			if err != nil {
				return w, err
			}
			return civicgrid.FromWGS84(w, civicgrid.BD09)
		}, civicgrid.Point{Lat: 39.915, Lon: 116.404}, 5e-4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got.Lat-tt.want.Lat) > tt.tol || math.Abs(got.Lon-tt.want.Lon) > tt.tol {
				t.Errorf("got (%.6f, %.6f), want (%.6f, %.6f) ± %g", got.Lat, got.Lon, tt.want.Lat, tt.want.Lon, tt.tol)
			}
			if d := civicgrid.DistanceM(tiananmen, got); d < 300 || d > 1500 {
				t.Errorf("shift in Beijing is %.0f m, want a few hundred metres", d)
			}
		})
	}
}

func TestCRSOutsideChina(t *testing.T) {
	for _, p := range []civicgrid.Point{
		{Lat: 35.6762, Lon: 139.6503},  // Tokyo
		{Lat: 40.7128, Lon: -74.0060},  // New York
		{Lat: 34.0522, Lon: -118.2437}, // Los Angeles
		{Lat: -33.8688, Lon: 151.2093}, // Sydney
	} {
		for _, f := range []func(civicgrid.Point, civicgrid.CRS) (civicgrid.Point, error){civicgrid.FromWGS84, civicgrid.ToWGS84} {
			got, err := f(p, civicgrid.GCJ02)
			if err != nil || got != p {
				t.Errorf("GCJ-02 conversion of %v = %v, %v; want it unchanged", p, got, err)
			}
		}
	}
}

func TestCRSErrors(t *testing.T) {
	tests := []struct {
		name string
		p    civicgrid.Point
		crs  civicgrid.CRS
	}{
		{"empty CRS", civicgrid.Point{Lat: 30, Lon: 120}, ""},
		{"unknown CRS", civicgrid.Point{Lat: 30, Lon: 120}, "cgcs2000"},
		{"NaN", civicgrid.Point{Lat: math.NaN(), Lon: 120}, civicgrid.GCJ02},
		{"latitude out of range", civicgrid.Point{Lat: 91, Lon: 120}, civicgrid.BD09},
		{"longitude out of range", civicgrid.Point{Lat: 30, Lon: math.Inf(1)}, civicgrid.WGS84},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := civicgrid.ToWGS84(tt.p, tt.crs); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Errorf("ToWGS84 error = %v, want Invalid", err)
			}
			if _, err := civicgrid.FromWGS84(tt.p, tt.crs); civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Errorf("FromWGS84 error = %v, want Invalid", err)
			}
		})
	}
}
