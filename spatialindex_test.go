package civicgrid_test

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"civicgrid"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// geoTiling returns nx×ny grid cells of about 100 m × 100 m with south-west
// corner origin, tiling a rectangle without gaps. Interior corners are
// jittered, every south and north edge has a jittered midpoint shared with
// the neighbouring cell and about half of the west and east edges have one,
// so rings have 6 to 8 distinct positions.
func geoTiling(nx, ny int, origin civicgrid.Point, seed uint64) []civicgrid.IndexedShape {
	dLat := 100 / 110_852.0
	dLon := 100 / (111_320 * math.Cos(origin.Lat*math.Pi/180))
	rnd := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	jitter := func(border bool) float64 {
		if border {
			return 0
		}
		return (rnd.Float64() - 0.5) * 0.3
	}
	grid := func(w, h int) [][]civicgrid.Point {
		g := make([][]civicgrid.Point, w)
		for i := range g {
			g[i] = make([]civicgrid.Point, h)
		}
		return g
	}
	corner := grid(nx+1, ny+1)
	for i := range nx + 1 {
		for j := range ny + 1 {
			corner[i][j] = civicgrid.Point{
				Lat: origin.Lat + (float64(j)+jitter(j == 0 || j == ny))*dLat,
				Lon: origin.Lon + (float64(i)+jitter(i == 0 || i == nx))*dLon,
			}
		}
	}
	south := grid(nx, ny+1) // midpoint of corner[i][j]–corner[i+1][j]
	for i := range nx {
		for j := range ny + 1 {
			a, b := corner[i][j], corner[i+1][j]
			south[i][j] = civicgrid.Point{Lat: (a.Lat+b.Lat)/2 + jitter(j == 0 || j == ny)*dLat, Lon: (a.Lon + b.Lon) / 2}
		}
	}
	west := grid(nx+1, ny) // midpoint of corner[i][j]–corner[i][j+1], if any
	hasWest := make([][]bool, nx+1)
	for i := range nx + 1 {
		hasWest[i] = make([]bool, ny)
		for j := range ny {
			a, b := corner[i][j], corner[i][j+1]
			west[i][j] = civicgrid.Point{Lat: (a.Lat + b.Lat) / 2, Lon: (a.Lon+b.Lon)/2 + jitter(i == 0 || i == nx)*dLon}
			hasWest[i][j] = rnd.IntN(2) == 0
		}
	}
	cells := make([]civicgrid.IndexedShape, 0, nx*ny)
	for i := range nx {
		for j := range ny {
			r := civicgrid.Ring{corner[i][j], south[i][j], corner[i+1][j]}
			if hasWest[i+1][j] {
				r = append(r, west[i+1][j])
			}
			r = append(r, corner[i+1][j+1], south[i][j+1], corner[i][j+1])
			if hasWest[i][j] {
				r = append(r, west[i][j])
			}
			r = append(r, corner[i][j])
			cells = append(cells, civicgrid.IndexedShape{
				Code:  fmt.Sprintf("330106%03d%03d", i, j),
				Shape: civicgrid.MultiPolygon{{r}},
			})
		}
	}
	return cells
}

// geoBlob returns a star-shaped ring of n positions around c with radii
// between r/2 and r degrees.
func geoBlob(rnd *rand.Rand, c civicgrid.Point, r float64, n int) civicgrid.Ring {
	ring := make(civicgrid.Ring, 0, n+1)
	for k := range n {
		a := 2 * math.Pi * float64(k) / float64(n)
		d := r * (0.5 + 0.5*rnd.Float64())
		ring = append(ring, civicgrid.Point{Lat: c.Lat + d*math.Sin(a), Lon: c.Lon + d*math.Cos(a)})
	}
	return append(ring, ring[0])
}

// geoBruteLookup is the specification of SpatialIndex.Lookup.
func geoBruteLookup(shapes []civicgrid.IndexedShape, areas []float64, p civicgrid.Point) (string, bool) {
	best := -1
	for i, s := range shapes {
		if !s.Shape.Contains(p) {
			continue
		}
		if best < 0 || cmp.Or(cmp.Compare(areas[i], areas[best]), cmp.Compare(s.Code, shapes[best].Code)) < 0 {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return shapes[best].Code, true
}

// checkLookupAgainstBrute compares Lookup with geoBruteLookup at every point.
func checkLookupAgainstBrute(t *testing.T, shapes []civicgrid.IndexedShape, points []civicgrid.Point) {
	t.Helper()
	ix := civicgrid.NewSpatialIndex(shapes)
	areas := make([]float64, len(shapes))
	for i, s := range shapes {
		areas[i] = s.Shape.AreaM2()
	}
	bad := 0
	for _, p := range points {
		got, gotOK := ix.Lookup(p)
		want, wantOK := geoBruteLookup(shapes, areas, p)
		if got != want || gotOK != wantOK {
			if bad++; bad <= 10 {
				t.Errorf("Lookup(%v) = %q, %v; want %q, %v", p, got, gotOK, want, wantOK)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d lookups disagree with a brute-force search", bad, len(points))
	}
}

func TestSpatialIndexLookup(t *testing.T) {
	sq := func(code string, minLon, minLat, maxLon, maxLat float64, holes ...civicgrid.Ring) civicgrid.IndexedShape {
		return civicgrid.IndexedShape{Code: code, Shape: civicgrid.MultiPolygon{append(civicgrid.Polygon{geoBox(minLon, minLat, maxLon, maxLat)}, holes...)}}
	}
	nested := []civicgrid.IndexedShape{sq("A-big", 0, 0, 0.1, 0.1), sq("Z-small", 0.02, 0.02, 0.04, 0.04)}
	neighbours := []civicgrid.IndexedShape{sq("west", 0, 0, 0.01, 0.01), sq("east", 0.01, 0, 0.02, 0.01)}
	holed := []civicgrid.IndexedShape{sq("ring", 0, 0, 0.1, 0.1, geoBox(0.04, 0.04, 0.06, 0.06)), sq("island", 0.045, 0.045, 0.055, 0.055)}
	unclosed := []civicgrid.IndexedShape{{Code: "open", Shape: civicgrid.MultiPolygon{{geoBox(0, 0, 1, 1)[:4]}}}}
	pt := func(lat, lon float64) civicgrid.Point { return civicgrid.Point{Lat: lat, Lon: lon} }
	tests := []struct {
		name   string
		shapes []civicgrid.IndexedShape
		p      civicgrid.Point
		want   string
		wantOK bool
	}{
		{"smaller area wins over lower code", nested, pt(0.03, 0.03), "Z-small", true},
		{"outside the smaller one", nested, pt(0.06, 0.06), "A-big", true},
		{"on the smaller one's edge", nested, pt(0.03, 0.02), "Z-small", true},
		{"shared edge goes to the lower code", neighbours, pt(0.005, 0.01), "east", true},
		{"shared corner goes to the lower code", neighbours, pt(0.01, 0.01), "east", true},
		{"west interior", neighbours, pt(0.005, 0.002), "west", true},
		{"outer corner", neighbours, pt(0, 0), "west", true},
		{"outside all", neighbours, pt(0.02, 0.021), "", false},
		{"in the hole", holed, pt(0.042, 0.042), "", false},
		{"on the island", holed, pt(0.05, 0.05), "island", true},
		{"on the hole's edge", holed, pt(0.04, 0.05), "ring", true},
		{"unclosed ring", unclosed, pt(0.5, 0.5), "open", true},
		{"empty index", nil, pt(0, 0), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := civicgrid.NewSpatialIndex(tt.shapes).Lookup(tt.p)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Lookup(%v) = %q, %v; want %q, %v", tt.p, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSpatialIndexTiling(t *testing.T) {
	origin := civicgrid.Point{Lat: 30.25, Lon: 120.15}
	cells := geoTiling(40, 30, origin, 1)
	for _, c := range cells {
		if err := c.Shape.Validate(); err != nil {
			t.Fatalf("cell %s: %v", c.Code, err)
		}
		if n := len(c.Shape[0][0]) - 1; n < 6 || n > 8 {
			t.Fatalf("cell %s has %d positions, want 6 to 8", c.Code, n)
		}
	}
	ix := civicgrid.NewSpatialIndex(cells)
	b := ix.Bounds()
	rnd := rand.New(rand.NewPCG(2, 2))
	var points []civicgrid.Point
	for range 20000 {
		p := civicgrid.Point{
			Lat: b.MinLat + rnd.Float64()*(b.MaxLat-b.MinLat),
			Lon: b.MinLon + rnd.Float64()*(b.MaxLon-b.MinLon),
		}
		if _, ok := ix.Lookup(p); !ok {
			t.Fatalf("Lookup(%v) found no cell inside a gapless tiling", p)
		}
		points = append(points, p)
	}
	// Every vertex lies on two to four cells' edges: the tie-break decides.
	for _, c := range cells[:200] {
		points = append(points, c.Shape[0][0]...)
	}
	checkLookupAgainstBrute(t, cells, points)
}

func TestSpatialIndexLargePolygons(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 3))
	var shapes []civicgrid.IndexedShape
	for k := range 12 {
		c := civicgrid.Point{Lat: 34 + rnd.Float64()*0.3, Lon: -118.5 + rnd.Float64()*0.3}
		poly := civicgrid.Polygon{geoBlob(rnd, c, 0.1, 200+rnd.IntN(3000))}
		if k%3 == 0 { // a hole, as a reversed smaller star
			poly = append(poly, geoReversed(geoBlob(rnd, c, 0.03, 500)))
		}
		shape := civicgrid.MultiPolygon{poly}
		if k%4 == 1 { // a second, far part
			shape = append(shape, civicgrid.Polygon{geoBlob(rnd, civicgrid.Point{Lat: c.Lat + 0.5, Lon: c.Lon}, 0.05, 400)})
		}
		shapes = append(shapes, civicgrid.IndexedShape{Code: fmt.Sprintf("nc%02d", k), Shape: shape})
	}
	ix := civicgrid.NewSpatialIndex(shapes)
	b := ix.Bounds()
	var points []civicgrid.Point
	for range 20000 {
		points = append(points, civicgrid.Point{
			Lat: b.MinLat + rnd.Float64()*(b.MaxLat-b.MinLat),
			Lon: b.MinLon + rnd.Float64()*(b.MaxLon-b.MinLon),
		})
	}
	for _, s := range shapes {
		points = append(points, s.Shape[0][0][:50]...)
	}
	checkLookupAgainstBrute(t, shapes, points)
}

func TestSpatialIndexMixedSizes(t *testing.T) {
	// Cells, a district around them, and a long thin sliver across them
	// (smaller than a cell, so it wins where it lies): the district and
	// the sliver are far bigger than the buckets and take the index's
	// other path.
	origin := civicgrid.Point{Lat: 30.25, Lon: 120.15}
	shapes := geoTiling(60, 60, origin, 6)
	shapes = append(shapes,
		civicgrid.IndexedShape{Code: "district", Shape: civicgrid.MultiPolygon{{geoBox(120.14, 30.24, 120.23, 30.31)}}},
		civicgrid.IndexedShape{Code: "sliver", Shape: civicgrid.MultiPolygon{{{
			{Lat: 30.251, Lon: 120.151}, {Lat: 30.301, Lon: 120.201}, {Lat: 30.30101, Lon: 120.201}, {Lat: 30.251, Lon: 120.151},
		}}}},
	)
	rnd := rand.New(rand.NewPCG(7, 7))
	var points []civicgrid.Point
	for range 20000 {
		points = append(points, civicgrid.Point{Lat: 30.235 + rnd.Float64()*0.08, Lon: 120.135 + rnd.Float64()*0.1})
	}
	for range 2000 {
		f := rnd.Float64()
		points = append(points, civicgrid.Point{Lat: 30.251 + f*0.05 + 0.000005, Lon: 120.151 + f*0.05})
	}
	checkLookupAgainstBrute(t, shapes, points)
	ix := civicgrid.NewSpatialIndex(shapes)
	found := map[string]int{}
	for _, p := range points {
		code, _ := ix.Lookup(p)
		found[code]++
	}
	if found["sliver"] < 500 || found["district"] < 500 {
		t.Errorf("the sliver was found %d times and the district %d times; want both often", found["sliver"], found["district"])
	}
	if got := ix.Within(civicgrid.Bounds{MinLon: 120.2295, MinLat: 30.3, MaxLon: 120.3, MaxLat: 30.4}, 0); !slices.Equal(got, []string{"district"}) {
		t.Errorf("Within beyond the cells = %v, want [district]", got)
	}
}

func TestSpatialIndexWithin(t *testing.T) {
	cells := geoTiling(20, 20, civicgrid.Point{Lat: 30.25, Lon: 120.15}, 4)
	cells = append(cells, civicgrid.IndexedShape{Code: "330106999999", Shape: civicgrid.MultiPolygon{
		{geoBox(120.15, 30.25, 120.151, 30.251)}, {geoBox(120.17, 30.26, 120.171, 30.261)},
	}})
	ix := civicgrid.NewSpatialIndex(cells)
	brute := func(q civicgrid.Bounds) []string {
		var out []string
		for _, c := range cells {
			for _, poly := range c.Shape {
				if (civicgrid.MultiPolygon{poly}).Bounds().Intersects(q) {
					out = append(out, c.Code)
					break
				}
			}
		}
		slices.Sort(out)
		return out
	}
	all := ix.Bounds()
	tests := []struct {
		name  string
		q     civicgrid.Bounds
		limit int
	}{
		{"everything", all, 0},
		{"everything, limited", all, 7},
		{"a block", civicgrid.Bounds{MinLon: 120.152, MinLat: 30.252, MaxLon: 120.156, MaxLat: 30.255}, 0},
		{"a point", civicgrid.Bounds{MinLon: 120.1531, MinLat: 30.2533, MaxLon: 120.1531, MaxLat: 30.2533}, 0},
		{"the second part only", civicgrid.Bounds{MinLon: 120.1705, MinLat: 30.2605, MaxLon: 120.1706, MaxLat: 30.2606}, 0},
		{"overlapping the edge", civicgrid.Bounds{MinLon: 120.0, MinLat: 30.0, MaxLon: 120.1505, MaxLat: 30.2505}, 0},
		{"outside", civicgrid.Bounds{MinLon: 0, MinLat: 0, MaxLon: 1, MaxLat: 1}, 0},
		{"empty", civicgrid.EmptyBounds(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := brute(tt.q)
			if tt.limit > 0 && len(want) > tt.limit {
				want = want[:tt.limit]
			}
			if diff := gocmp.Diff(want, ix.Within(tt.q, tt.limit), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Within mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := ix.Len(); got != len(cells) {
		t.Errorf("Len() = %d, want %d", got, len(cells))
	}
}

func TestSpatialIndexEmpty(t *testing.T) {
	ix := civicgrid.NewSpatialIndex([]civicgrid.IndexedShape{{Code: "nothing"}})
	if ix.Len() != 1 || !ix.Bounds().IsEmpty() {
		t.Errorf("Len() = %d, Bounds() = %v; want 1 and empty", ix.Len(), ix.Bounds())
	}
	if code, ok := ix.Lookup(civicgrid.Point{}); ok {
		t.Errorf("Lookup found %q in an index of empty shapes", code)
	}
	if got := ix.Within(civicgrid.Bounds{MinLon: -1, MinLat: -1, MaxLon: 1, MaxLat: 1}, 0); len(got) != 0 {
		t.Errorf("Within = %v, want none", got)
	}
}

// la311Dir holds the Los Angeles 311 fixtures; see its README.md.
var la311Dir = filepath.Join("..", "shared", "data", "la-311")

// loadLACouncils returns the certified neighbourhood councils keyed by
// nc_id, or skips the test when the fixtures are missing.
func loadLACouncils(tb testing.TB) []civicgrid.IndexedShape {
	tb.Helper()
	f, err := os.Open(filepath.Join(la311Dir, "neighborhood_councils_certified.geojson"))
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("LA fixtures not found in %s: %v", la311Dir, err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	features, err := civicgrid.ParseFeatureCollection(f)
	if err != nil {
		tb.Fatal(err)
	}
	shapes := make([]civicgrid.IndexedShape, 0, len(features))
	for _, ft := range features {
		id, ok := ft.StringProperty("nc_id")
		if !ok {
			tb.Fatalf("feature %d has no nc_id", ft.Index)
		}
		shapes = append(shapes, civicgrid.IndexedShape{Code: id, Shape: ft.Geometry})
	}
	return shapes
}

// la311Row is one MyLA311 request with coordinates.
type la311Row struct {
	p  civicgrid.Point
	nc int // 0 when the row names no council
}

// loadLA311 reads the requests with coordinates from one sample file.
func loadLA311(tb testing.TB, name string) []la311Row {
	tb.Helper()
	f, err := os.Open(filepath.Join(la311Dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("LA fixture %s not found: %v", name, err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var rows []la311Row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		lat, err1 := strconv.ParseFloat(rec[col["Latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["Longitude"]], 64)
		if err1 != nil || err2 != nil || lat == 0 || lon == 0 {
			continue
		}
		nc, _ := strconv.Atoi(rec[col["NC"]])
		rows = append(rows, la311Row{p: civicgrid.Point{Lat: lat, Lon: lon}, nc: nc})
	}
	return rows
}

// TestSpatialIndexLA checks lookups against the NC column of real 311
// requests. The certified council polygons overlap a little, and about 30
// requests per 10,000 fall in two of them; there the index picks the
// smaller council, which is the NC column's council only about a third of
// the time. So two figures are checked: "exact", Lookup equals the NC
// column, and "contained", the NC column's council contains the point,
// which is how the fixture's README measures its ~98.1%.
func TestSpatialIndexLA(t *testing.T) {
	shapes := loadLACouncils(t)
	byCode := map[string]civicgrid.MultiPolygon{}
	for _, s := range shapes {
		if err := s.Shape.Validate(); err != nil {
			t.Errorf("nc_id %s: %v", s.Code, err)
		}
		byCode[s.Code] = s.Shape
	}
	ix := civicgrid.NewSpatialIndex(shapes)
	for _, name := range []string{"myla311_2018_sample10k.csv", "myla311_2017_sample10k.csv"} {
		t.Run(name, func(t *testing.T) {
			var total, exact, contained, miss int
			for _, row := range loadLA311(t, name) {
				if row.nc == 0 {
					continue
				}
				total++
				code, ok := ix.Lookup(row.p)
				if !ok {
					miss++
					continue
				}
				if id, err := strconv.Atoi(code); err == nil && id == row.nc {
					exact++
					contained++
				} else if byCode[strconv.Itoa(row.nc)].Contains(row.p) {
					contained++
				}
			}
			pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
			t.Logf("%d requests with an NC: exact %d (%.2f%%), contained %d (%.2f%%), in no council %d",
				total, exact, pct(exact), contained, pct(contained), miss)
			if total < 8000 || pct(contained) < 98 || pct(exact) < 97.5 {
				t.Errorf("over %d rows: exact %.2f%%, contained %.2f%%; want at least 8,000 rows, 97.5%% and 98%%",
					total, pct(exact), pct(contained))
			}
		})
	}
}

// benchmarkIndexLookup runs Lookup over points, one per iteration.
func benchmarkIndexLookup(b *testing.B, ix *civicgrid.SpatialIndex, points []civicgrid.Point) {
	b.ReportAllocs()
	found := 0
	for i := 0; b.Loop(); i++ {
		if _, ok := ix.Lookup(points[i%len(points)]); ok {
			found++
		}
	}
	b.ReportMetric(float64(found)/float64(b.N), "hit/op")
}

func BenchmarkSpatialIndexLookup150k(b *testing.B) {
	cells := geoTiling(387, 388, civicgrid.Point{Lat: 30.25, Lon: 120.15}, 1)
	ix := civicgrid.NewSpatialIndex(cells)
	bd := ix.Bounds()
	rnd := rand.New(rand.NewPCG(5, 5))
	points := make([]civicgrid.Point, 1<<16)
	for i := range points {
		points[i] = civicgrid.Point{
			Lat: bd.MinLat + rnd.Float64()*(bd.MaxLat-bd.MinLat),
			Lon: bd.MinLon + rnd.Float64()*(bd.MaxLon-bd.MinLon),
		}
	}
	benchmarkIndexLookup(b, ix, points)
}

func BenchmarkSpatialIndexLookupLA(b *testing.B) {
	ix := civicgrid.NewSpatialIndex(loadLACouncils(b))
	var points []civicgrid.Point
	for _, row := range loadLA311(b, "myla311_2018_sample10k.csv") {
		points = append(points, row.p)
	}
	benchmarkIndexLookup(b, ix, points)
}

func BenchmarkSpatialIndexBuild150k(b *testing.B) {
	cells := geoTiling(387, 388, civicgrid.Point{Lat: 30.25, Lon: 120.15}, 1)
	b.ReportAllocs()
	for b.Loop() {
		civicgrid.NewSpatialIndex(cells)
	}
}
