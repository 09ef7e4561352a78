package sqlite

import (
	"encoding/binary"
	"math"

	"civicgrid"
)

// Shapes are stored as compact blobs, since a city has ~150,000 cells to
// load at startup: the polygon count, then per polygon its ring count, then
// per ring its point count and the points as little-endian float64 lon,
// lat pairs. Counts are uvarints. An empty shape is NULL.

// encodeShape returns m as a blob, or nil for an empty shape.
func encodeShape(m civicgrid.MultiPolygon) []byte {
	if len(m) == 0 {
		return nil
	}
	n := 0
	for _, p := range m {
		for _, r := range p {
			n += len(r)
		}
	}
	b := make([]byte, 0, 16*n+4*len(m)+8)
	b = binary.AppendUvarint(b, uint64(len(m)))
	for _, p := range m {
		b = binary.AppendUvarint(b, uint64(len(p)))
		for _, r := range p {
			b = binary.AppendUvarint(b, uint64(len(r)))
			for _, pt := range r {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(pt.Lon))
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(pt.Lat))
			}
		}
	}
	return b
}

// errCorruptShape reports a blob that decodeShape cannot read.
var errCorruptShape = civicgrid.Errorf(civicgrid.Internal, "sqlite: stored shape is corrupt")

// decodeShape is the inverse of encodeShape; a nil blob is a nil shape.
func decodeShape(b []byte) (civicgrid.MultiPolygon, error) {
	if b == nil {
		return nil, nil
	}
	d := shapeDecoder{b: b}
	m := make(civicgrid.MultiPolygon, d.count(1))
	for i := range m {
		m[i] = make(civicgrid.Polygon, d.count(1))
		for j := range m[i] {
			r := make(civicgrid.Ring, d.count(16))
			for k := range r {
				r[k].Lon, r[k].Lat = d.float(), d.float()
			}
			m[i][j] = r
		}
	}
	if d.bad || len(d.b) != 0 {
		return nil, errCorruptShape
	}
	return m, nil
}

// shapeDecoder reads a shape blob; bad records the first failure, after
// which every read returns zero.
type shapeDecoder struct {
	b   []byte
	bad bool
}

// count reads a count of items of at least minSize bytes each, refusing
// counts the rest of the blob cannot hold.
func (d *shapeDecoder) count(minSize int) int {
	v, n := binary.Uvarint(d.b)
	if d.bad || n <= 0 || v > uint64(len(d.b)-n)/uint64(minSize) {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *shapeDecoder) float() float64 {
	if d.bad || len(d.b) < 8 {
		d.bad = true
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return v
}
