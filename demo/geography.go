package demo

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"civicgrid"
)

// The lattice: a grid of about 100 m × 100 m cells centred near West Lake.
// Its vertices are jittered by up to maxJitterM, each vertex shared by the
// four cells around it, so the cells tile the city without gaps or overlaps
// while no edge is a straight meridian or parallel.
const (
	latticeCols = 90
	latticeRows = 82
	cellM       = 100.0
	maxJitterM  = 20.0
	centreLat   = 30.25
	centreLon   = 120.16

	streetsPerDistrict   = 10
	communitiesPerStreet = 5
)

// lattice places the cells: cell (c, r) is column c from the west and row r
// from the north; vertex (i, j) is its north-west corner.
type lattice struct {
	cols, rows int
	pts        []civicgrid.Point // (cols+1)*(rows+1) jittered vertices
}

func (l *lattice) vertex(i, j int) int { return j*(l.cols+1) + i }

// newLattice jitters every vertex by a random offset in a disc of radius
// maxJitterM.
func newLattice(r *rand.Rand) *lattice {
	l := &lattice{cols: latticeCols, rows: latticeRows}
	degPerM := 180 / (math.Pi * civicgrid.EarthRadiusM)
	dLat := cellM * degPerM
	dLon := dLat / math.Cos(centreLat*math.Pi/180)
	lat0 := centreLat + float64(l.rows)/2*dLat
	lon0 := centreLon - float64(l.cols)/2*dLon
	l.pts = make([]civicgrid.Point, (l.cols+1)*(l.rows+1))
	for j := 0; j <= l.rows; j++ {
		for i := 0; i <= l.cols; i++ {
			rad := maxJitterM * math.Sqrt(r.Float64())
			th := 2 * math.Pi * r.Float64()
			l.pts[l.vertex(i, j)] = civicgrid.Point{
				Lat: lat0 - float64(j)*dLat + rad*math.Sin(th)*degPerM,
				Lon: lon0 + float64(i)*dLon + rad*math.Cos(th)*degPerM/math.Cos(centreLat*math.Pi/180),
			}
		}
	}
	return l
}

// corners returns the corners of cell (c, r): north-west, north-east,
// south-east, south-west.
func (l *lattice) corners(c, r int) (nw, ne, se, sw civicgrid.Point) {
	return l.pts[l.vertex(c, r)], l.pts[l.vertex(c+1, r)], l.pts[l.vertex(c+1, r+1)], l.pts[l.vertex(c, r+1)]
}

// cellShape returns the cell's outline, counter-clockwise as RFC 7946 wants.
func (l *lattice) cellShape(c, r int) civicgrid.MultiPolygon {
	nw, ne, se, sw := l.corners(c, r)
	return civicgrid.MultiPolygon{{{sw, se, ne, nw, sw}}}
}

// pointIn returns the point at (u, v) in [0, 1]² of cell (c, r) by bilinear
// interpolation of its corners; the cells are convex, so it lies inside.
func (l *lattice) pointIn(c, r int, u, v float64) civicgrid.Point {
	nw, ne, se, sw := l.corners(c, r)
	lat := (1-u)*(1-v)*nw.Lat + u*(1-v)*ne.Lat + u*v*se.Lat + (1-u)*v*sw.Lat
	lon := (1-u)*(1-v)*nw.Lon + u*(1-v)*ne.Lon + u*v*se.Lon + (1-u)*v*sw.Lon
	return civicgrid.Point{Lat: lat, Lon: lon}
}

// geoDistrict, geoStreet, geoCommunity and geoCell are the city's tree as
// built, in code order.
type geoDistrict struct {
	spec    *districtSpec
	area    *civicgrid.Area
	streets []*geoStreet
}

type geoStreet struct {
	district    *geoDistrict
	spec        streetSpec
	area        *civicgrid.Area
	roads       []string
	communities []*geoCommunity
	cells       int
}

type geoCommunity struct {
	street *geoStreet
	area   *civicgrid.Area
	cells  []*geoCell
}

type geoCell struct {
	community *geoCommunity
	c, r      int
	cell      *civicgrid.GridCell
	road      string
	number    int
}

// geography is the built city.
type geography struct {
	lat       *lattice
	districts []*geoDistrict
	streets   []*geoStreet
	comms     []*geoCommunity
	cells     []*geoCell
}

// areas returns every area, districts first.
func (g *geography) areas() []*civicgrid.Area {
	out := make([]*civicgrid.Area, 0, len(g.districts)+len(g.streets)+len(g.comms))
	for _, d := range g.districts {
		out = append(out, d.area)
	}
	for _, s := range g.streets {
		out = append(out, s.area)
	}
	for _, c := range g.comms {
		out = append(out, c.area)
	}
	return out
}

// buildGeography lays out the city: an irregular outline, the river
// (钱塘江) across the south and the lake (西湖) in the west are left out of
// the grid; the rest is split into the four districts, each district into
// streets and each street into communities by seeded region growing, so
// every area is one contiguous block with a ragged edge.
func buildGeography(r *rand.Rand) (*geography, error) {
	l := newLattice(r)
	n := l.cols * l.rows
	owner := make([]int, n) // district index, or -1 outside the city
	ph := [6]float64{}
	for i := range ph {
		ph[i] = 2 * math.Pi * r.Float64()
	}
	for k := range owner {
		c, row := k%l.cols, k/l.cols
		x, y := float64(c)+0.5, float64(row)+0.5
		owner[k] = -1
		// The outline: a rounded rectangle with a wobbling edge.
		nx, ny := (x-float64(l.cols)/2)/(float64(l.cols)/2), (y-float64(l.rows)/2)/(float64(l.rows)/2)
		th := math.Atan2(ny, nx)
		if math.Pow(math.Pow(math.Abs(nx), 4)+math.Pow(math.Abs(ny), 4), 0.25) > 1-0.05*(1+math.Sin(3*th+ph[0])) {
			continue
		}
		// The river, about 450 m wide, running a little north of east.
		riverY := 0.72*float64(l.rows) + 3*math.Sin(2*math.Pi*x/float64(l.cols)*0.8+ph[1]) - 0.08*(x-float64(l.cols)/2)
		if math.Abs(y-riverY) < 2.3 {
			continue
		}
		// The lake.
		dx, dy := (x-0.24*float64(l.cols))/(0.09*float64(l.cols)), (y-0.42*float64(l.rows))/(0.12*float64(l.rows))
		if dx*dx+dy*dy <= 1+0.15*math.Sin(4*math.Atan2(dy, dx)+ph[2]) {
			continue
		}
		switch {
		case y > riverY:
			owner[k] = 3 // 滨江区
		case x < 0.45*float64(l.cols)+2.5*math.Sin(y*0.25+ph[3]):
			owner[k] = 0 // 西湖区
		case y < 0.36*float64(l.rows)+2*math.Sin(x*0.3+ph[4]):
			owner[k] = 1 // 拱墅区
		default:
			owner[k] = 2 // 上城区
		}
	}
	g := &geography{lat: l}
	for di := range districts {
		spec := &districts[di]
		members := largestComponent(l, owner, di)
		if len(members) < streetsPerDistrict*communitiesPerStreet {
			return nil, fmt.Errorf("demo: district %s has only %d cells", spec.zh, len(members))
		}
		d := &geoDistrict{spec: spec}
		d.area = &civicgrid.Area{Code: spec.code, Level: civicgrid.LevelDistrict, Name: spec.zh,
			Shape: traceOutline(l, members)}
		for si, streetCells := range partition(l, members, streetsPerDistrict, r) {
			s := &geoStreet{district: d, spec: spec.streets[si], cells: len(streetCells)}
			code := fmt.Sprintf("%s%03d", spec.code, si+1)
			s.area = &civicgrid.Area{Code: code, Level: civicgrid.LevelStreet, Name: s.spec.zh, ParentCode: spec.code,
				Shape: traceOutline(l, streetCells)}
			for range 6 {
				s.roads = append(s.roads, roads[r.IntN(len(roads))])
			}
			for ci, commCells := range partition(l, streetCells, communitiesPerStreet, r) {
				cm := &geoCommunity{street: s}
				cm.area = &civicgrid.Area{Code: fmt.Sprintf("%s%03d", code, ci+1), Level: civicgrid.LevelCommunity,
					ParentCode: code, Shape: traceOutline(l, commCells)}
				// Cells are numbered west to east, north to south.
				slices.Sort(commCells) // row-major order is exactly that
				for seq, k := range commCells {
					c, row := k%l.cols, k/l.cols
					shape := l.cellShape(c, row)
					gc := &geoCell{community: cm, c: c, r: row,
						road: s.roads[((c/6)*7+(row/5)*3)%len(s.roads)], number: 1 + 2*((c*7+row*3)%160)}
					gc.cell = &civicgrid.GridCell{Code: fmt.Sprintf("%s%03d", cm.area.Code, seq+1),
						Shape: shape, AreaM2: shape.AreaM2(), Centroid: shape.Centroid()}
					cm.cells = append(cm.cells, gc)
				}
				s.communities = append(s.communities, cm)
			}
			d.streets = append(d.streets, s)
		}
		g.districts = append(g.districts, d)
	}
	names := communityNames(r, len(districts)*streetsPerDistrict*communitiesPerStreet)
	for _, d := range g.districts {
		for _, s := range d.streets {
			g.streets = append(g.streets, s)
			for _, cm := range s.communities {
				cm.area.Name = names[len(g.comms)]
				for _, gc := range cm.cells {
					gc.cell.Name = fmt.Sprintf("%s%s网格", cm.area.Name, gc.cell.Code[12:])
				}
				g.comms = append(g.comms, cm)
				g.cells = append(g.cells, cm.cells...)
			}
		}
	}
	return g, nil
}

// communityNames draws n distinct names such as 清波社区.
func communityNames(r *rand.Rand, n int) []string {
	all := make([]string, 0, len(communityHeads)*len(communityTails))
	for _, h := range communityHeads {
		for _, t := range communityTails {
			if h != t {
				all = append(all, string([]rune{h, t})+"社区")
			}
		}
	}
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:n]
}

// neighbours returns the 4-neighbours of lattice cell k.
func (l *lattice) neighbours(k int, out []int) []int {
	out = out[:0]
	c, r := k%l.cols, k/l.cols
	if c > 0 {
		out = append(out, k-1)
	}
	if c < l.cols-1 {
		out = append(out, k+1)
	}
	if r > 0 {
		out = append(out, k-l.cols)
	}
	if r < l.rows-1 {
		out = append(out, k+l.cols)
	}
	return out
}

// largestComponent returns the cells with owner d that are 4-connected to
// the largest group of them, in index order; the others (slivers the
// outline or the river cut off) are dropped from the city.
func largestComponent(l *lattice, owner []int, d int) []int {
	comp := make([]int, len(owner))
	var best []int
	bestID := 0
	var nb []int
	id := 0
	for k := range owner {
		if owner[k] != d || comp[k] != 0 {
			continue
		}
		id++
		group := []int{k}
		comp[k] = id
		for i := 0; i < len(group); i++ {
			for _, m := range l.neighbours(group[i], nb) {
				if owner[m] == d && comp[m] == 0 {
					comp[m] = id
					group = append(group, m)
				}
			}
		}
		if len(group) > len(best) {
			best, bestID = group, id
		}
	}
	for k := range owner {
		if owner[k] == d && comp[k] != bestID {
			owner[k] = -1
		}
	}
	slices.Sort(best)
	return best
}

// partition splits the connected cells into k connected regions of similar
// size by seeded region growing with a few Lloyd iterations, and returns
// them ordered north-west first.
func partition(l *lattice, cells []int, k int, r *rand.Rand) [][]int {
	pos := func(c int) (float64, float64) { return float64(c % l.cols), float64(c / l.cols) }
	dist2 := func(a, b int) float64 {
		ax, ay := pos(a)
		bx, by := pos(b)
		return (ax-bx)*(ax-bx) + (ay-by)*(ay-by)
	}
	// Farthest-point seeds.
	seeds := []int{cells[r.IntN(len(cells))]}
	minD := make([]float64, len(cells))
	for i, c := range cells {
		minD[i] = dist2(c, seeds[0])
	}
	for len(seeds) < k {
		best := 0
		for i := range cells {
			if minD[i] > minD[best] {
				best = i
			}
		}
		seeds = append(seeds, cells[best])
		for i, c := range cells {
			minD[i] = min(minD[i], dist2(c, cells[best]))
		}
	}
	limit := int(math.Ceil(float64(len(cells)) / float64(k) * 1.15))
	var regions [][]int
	for iter := 0; iter < 6; iter++ {
		regions = grow(l, cells, seeds, limit)
		for i, reg := range regions {
			var sx, sy float64
			for _, c := range reg {
				x, y := pos(c)
				sx, sy = sx+x, sy+y
			}
			cx, cy := sx/float64(len(reg)), sy/float64(len(reg))
			best, bd := reg[0], math.Inf(1)
			for _, c := range reg {
				x, y := pos(c)
				if d := (x-cx)*(x-cx) + (y-cy)*(y-cy); d < bd {
					best, bd = c, d
				}
			}
			seeds[i] = best
		}
	}
	order := make([]int, k)
	key := make([]float64, k)
	for i, s := range seeds {
		x, y := pos(s)
		order[i] = i
		key[i] = math.Floor(y/12)*1000 + x
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(key[a], key[b]) })
	out := make([][]int, k)
	for i, o := range order {
		out[i] = regions[o]
	}
	return out
}

// grow assigns every cell to one of the seeds by growing the regions from
// them through 4-neighbours, nearest cell first: first up to limit cells a
// region, then without limit for the cells the capped regions left. Every
// region is connected.
func grow(l *lattice, cells []int, seeds []int, limit int) [][]int {
	owner := make(map[int]int, len(cells))
	for _, c := range cells {
		owner[c] = -1
	}
	size := make([]int, len(seeds))
	pos := func(c int) (float64, float64) { return float64(c % l.cols), float64(c / l.cols) }
	d2 := func(c, reg int) float64 {
		x, y := pos(c)
		sx, sy := pos(seeds[reg])
		return (x-sx)*(x-sx) + (y-sy)*(y-sy)
	}
	var h growHeap
	for i, s := range seeds {
		heap.Push(&h, growItem{d: 0, cell: s, reg: i})
	}
	var nb []int
	run := func(capped bool) {
		for h.Len() > 0 {
			it := heap.Pop(&h).(growItem)
			if owner[it.cell] != -1 || (capped && size[it.reg] >= limit) {
				continue
			}
			owner[it.cell] = it.reg
			size[it.reg]++
			for _, m := range l.neighbours(it.cell, nb) {
				if o, ok := owner[m]; ok && o == -1 {
					heap.Push(&h, growItem{d: d2(m, it.reg), cell: m, reg: it.reg})
				}
			}
		}
	}
	run(true)
	for _, c := range cells {
		if owner[c] < 0 {
			continue
		}
		for _, m := range l.neighbours(c, nb) {
			if o, ok := owner[m]; ok && o == -1 {
				heap.Push(&h, growItem{d: d2(m, owner[c]), cell: m, reg: owner[c]})
			}
		}
	}
	run(false)
	regions := make([][]int, len(seeds))
	for _, c := range cells {
		regions[owner[c]] = append(regions[owner[c]], c)
	}
	return regions
}

type growItem struct {
	d         float64
	cell, reg int
}

type growHeap []growItem

func (h growHeap) Len() int { return len(h) }
func (h growHeap) Less(i, j int) bool {
	if h[i].d != h[j].d {
		return h[i].d < h[j].d
	}
	if h[i].cell != h[j].cell {
		return h[i].cell < h[j].cell
	}
	return h[i].reg < h[j].reg
}
func (h growHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *growHeap) Push(x any)   { *h = append(*h, x.(growItem)) }
func (h *growHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// edge is a directed boundary edge of a set of cells, with the set on its
// left: from vertex a to vertex b heading dir (0 east, 1 north, 2 west, 3
// south), along cell.
type edge struct {
	a, b, dir, cell int
}

// traceOutline returns the outline of a set of lattice cells through the
// jittered vertices: one polygon per connected piece, counter-clockwise,
// with clockwise holes. Where two cells of the set touch only at a corner
// the outline turns to stay with the cell it came along, so no ring passes
// a vertex twice.
func traceOutline(l *lattice, cells []int) civicgrid.MultiPolygon {
	in := make(map[int]bool, len(cells))
	for _, k := range cells {
		in[k] = true
	}
	member := func(c, r int) bool {
		return c >= 0 && r >= 0 && c < l.cols && r < l.rows && in[r*l.cols+c]
	}
	var edges []edge
	out := map[int][]int{} // vertex → edges leaving it
	add := func(a, b, dir, cell int) {
		out[a] = append(out[a], len(edges))
		edges = append(edges, edge{a, b, dir, cell})
	}
	for _, k := range cells {
		c, r := k%l.cols, k/l.cols
		nw, ne, se, sw := l.vertex(c, r), l.vertex(c+1, r), l.vertex(c+1, r+1), l.vertex(c, r+1)
		if !member(c, r+1) {
			add(sw, se, 0, k)
		}
		if !member(c+1, r) {
			add(se, ne, 1, k)
		}
		if !member(c, r-1) {
			add(ne, nw, 2, k)
		}
		if !member(c-1, r) {
			add(nw, sw, 3, k)
		}
	}
	next := func(e int) int {
		cands := out[edges[e].b]
		if len(cands) == 1 {
			return cands[0]
		}
		d := edges[e].dir
		for _, turn := range []int{1, 0, 3} { // left, straight, right
			for _, x := range cands {
				if edges[x].dir == (d+turn)%4 {
					return x
				}
			}
		}
		return cands[0]
	}
	// Rings in lattice coordinates (x = column, y = -row) to classify them.
	type ring struct {
		verts []int
		area  float64
		cell  int
	}
	var rings []ring
	seen := make([]bool, len(edges))
	for e0 := range edges {
		if seen[e0] {
			continue
		}
		rg := ring{cell: edges[e0].cell}
		for e := e0; !seen[e]; e = next(e) {
			seen[e] = true
			rg.verts = append(rg.verts, edges[e].a)
		}
		rg.verts = append(rg.verts, rg.verts[0])
		for i := 0; i+1 < len(rg.verts); i++ {
			x1, y1 := l.latticeXY(rg.verts[i])
			x2, y2 := l.latticeXY(rg.verts[i+1])
			rg.area += x1*y2 - x2*y1
		}
		rings = append(rings, rg)
	}
	toRing := func(verts []int) civicgrid.Ring {
		out := make(civicgrid.Ring, len(verts))
		for i, v := range verts {
			out[i] = l.pts[v]
		}
		return out
	}
	toLattice := func(verts []int) civicgrid.MultiPolygon {
		out := make(civicgrid.Ring, len(verts))
		for i, v := range verts {
			x, y := l.latticeXY(v)
			out[i] = civicgrid.Point{Lon: x, Lat: y}
		}
		return civicgrid.MultiPolygon{{out}}
	}
	var mp civicgrid.MultiPolygon
	var outers []civicgrid.MultiPolygon
	for _, rg := range rings {
		if rg.area > 0 {
			mp = append(mp, civicgrid.Polygon{toRing(rg.verts)})
			outers = append(outers, toLattice(rg.verts))
		}
	}
	for _, rg := range rings {
		if rg.area > 0 {
			continue
		}
		// The cell along the hole belongs to the piece that holds it.
		c, r := rg.cell%l.cols, rg.cell/l.cols
		p := civicgrid.Point{Lon: float64(c) + 0.5, Lat: -float64(r) - 0.5}
		for i, o := range outers {
			if o.Contains(p) {
				mp[i] = append(mp[i], toRing(rg.verts))
				break
			}
		}
	}
	return mp
}

// latticeXY returns vertex v's unjittered position with y pointing north.
func (l *lattice) latticeXY(v int) (float64, float64) {
	return float64(v % (l.cols + 1)), -float64(v / (l.cols + 1))
}
