package civicgrid_test

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"civicgrid"
)

var updatePhotoFixtures = flag.Bool("update-photos", false, "rewrite testdata/photos from the generators in exif_test.go")

// exifOrder is a TIFF byte order: binary.LittleEndian ("II") or
// binary.BigEndian ("MM").
type exifOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifEntry is one IFD entry for exifTIFF. Its value bytes are already in
// the block's byte order.
type exifEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
	sub      int    // when > 0, the value is the offset of IFD number sub
	rawOff   uint32 // when > 0, the offset field holds this instead of the value's offset
}

func exifASCII(tag uint16, s string) exifEntry {
	return exifEntry{tag: tag, typ: 2, count: uint32(len(s) + 1), value: append([]byte(s), 0)}
}

func exifShort(o exifOrder, tag, v uint16) exifEntry {
	return exifEntry{tag: tag, typ: 3, count: 1, value: o.AppendUint16(nil, v)}
}

func exifLong(o exifOrder, tag uint16, v uint32) exifEntry {
	return exifEntry{tag: tag, typ: 4, count: 1, value: o.AppendUint32(nil, v)}
}

// exifRational returns RATIONAL values given as numerator, denominator
// pairs.
func exifRational(o exifOrder, tag uint16, numDen ...uint32) exifEntry {
	e := exifEntry{tag: tag, typ: 5, count: uint32(len(numDen) / 2)}
	for _, v := range numDen {
		e.value = o.AppendUint32(e.value, v)
	}
	return e
}

// exifPointer returns an entry that points to IFD number sub.
func exifPointer(tag uint16, sub int) exifEntry {
	return exifEntry{tag: tag, typ: 4, count: 1, sub: sub}
}

// exifTIFF lays out a TIFF block in byte order o as a camera would: the
// header, the IFDs one after another (ifds[0] is IFD0), then the values
// that do not fit in their entries, each at an even offset.
func exifTIFF(o exifOrder, ifds ...[]exifEntry) []byte {
	offsets := make([]uint32, len(ifds))
	end := uint32(8)
	for i, ifd := range ifds {
		offsets[i] = end
		end += 2 + 12*uint32(len(ifd)) + 4
	}
	b := make([]byte, end)
	if o == binary.LittleEndian {
		copy(b, "II")
	} else {
		copy(b, "MM")
	}
	o.PutUint16(b[2:], 42)
	o.PutUint32(b[4:], 8)
	for i, ifd := range ifds {
		p := offsets[i]
		o.PutUint16(b[p:], uint16(len(ifd)))
		for k, e := range ifd {
			q := b[p+2+12*uint32(k):]
			o.PutUint16(q, e.tag)
			o.PutUint16(q[2:], e.typ)
			o.PutUint32(q[4:], e.count)
			switch {
			case e.sub > 0:
				o.PutUint32(q[8:], offsets[e.sub])
			case e.rawOff > 0:
				o.PutUint32(q[8:], e.rawOff)
			case len(e.value) <= 4:
				copy(q[8:12], e.value)
			default:
				if len(b)%2 == 1 {
					b = append(b, 0)
				}
				o.PutUint32(q[8:], uint32(len(b)))
				b = append(b, e.value...)
			}
		}
	}
	return b
}

// exifPhoneTIFF is what a phone writes: make, model, orientation 6, a
// capture time with its offset, and a position at Tiananmen.
func exifPhoneTIFF(o exifOrder) []byte {
	return exifTIFF(o,
		[]exifEntry{
			exifASCII(0x010f, "HUAWEI"),
			exifASCII(0x0110, "ELS-AN00"),
			exifShort(o, 0x0112, 6),
			exifPointer(0x8769, 1),
			exifPointer(0x8825, 2),
		},
		[]exifEntry{
			exifASCII(0x9003, "2026:03:14 09:26:53"),
			exifASCII(0x9011, "+08:00"),
		},
		[]exifEntry{
			exifASCII(0x0001, "N"),
			exifRational(o, 0x0002, 39, 1, 54, 1, 2736, 100),
			exifASCII(0x0003, "E"),
			exifRational(o, 0x0004, 116, 1, 23, 1, 5028, 100),
		},
	)
}

// exifTestImage is a small picture with some detail, so that its JPEG is
// like a photo's.
func exifTestImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := range w {
			p := row[4*x : 4*x+4]
			p[0], p[1], p[2], p[3] = uint8(x*255/w), uint8(y*255/h), uint8(x*y), 255
		}
	}
	return m
}

// exifJPEG encodes img as a JPEG and, when tiff is not nil, puts an EXIF
// APP1 segment holding it right after the start-of-image marker.
func exifJPEG(t testing.TB, img image.Image, tiff []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 75}); err != nil {
		t.Fatal(err)
	}
	if tiff == nil {
		return buf.Bytes()
	}
	return exifInsertAPP1(buf.Bytes(), append([]byte("Exif\x00\x00"), tiff...))
}

// exifInsertAPP1 returns the JPEG j with an APP1 segment holding body
// inserted after its start-of-image marker.
func exifInsertAPP1(j, body []byte) []byte {
	out := append([]byte{}, j[:2]...)
	out = append(out, 0xff, 0xe1)
	out = binary.BigEndian.AppendUint16(out, uint16(2+len(body)))
	out = append(out, body...)
	return append(out, j[2:]...)
}

// exifGot is an EXIF in a form that compares with cmp: the time as RFC
// 3339 text, offset included.
type exifGot struct {
	Taken       string
	Point       *civicgrid.Point
	Orientation int
	Make, Model string
}

func exifSummary(x *civicgrid.EXIF) *exifGot {
	if x == nil {
		return nil
	}
	g := &exifGot{Point: x.Point, Orientation: x.Orientation, Make: x.Make, Model: x.Model}
	if x.Taken != nil {
		g.Taken = x.Taken.Format(time.RFC3339)
	}
	return g
}

// exifCheckSane fails t when x holds values ReadEXIF promises never to
// return.
func exifCheckSane(t testing.TB, x *civicgrid.EXIF) {
	t.Helper()
	if x == nil {
		return
	}
	if x.Orientation < 0 || x.Orientation > 8 {
		t.Errorf("Orientation = %d", x.Orientation)
	}
	if p := x.Point; p != nil && (!(p.Lat >= -90 && p.Lat <= 90) || !(p.Lon >= -180 && p.Lon <= 180)) {
		t.Errorf("Point = %+v", *p)
	}
	if len(x.Make) > 3*128 || len(x.Model) > 3*128 {
		t.Errorf("Make or Model too long: %d, %d bytes", len(x.Make), len(x.Model))
	}
}

var exifOrders = []struct {
	name  string
	order exifOrder
}{{"II", binary.LittleEndian}, {"MM", binary.BigEndian}}

func TestReadEXIF(t *testing.T) {
	beijing := time.FixedZone("CST", 8*3600)
	tiananmen := &civicgrid.Point{Lat: 39.9076, Lon: 116.3973}
	phone := func(o exifOrder) []byte { return exifPhoneTIFF(o) }
	// gps returns a TIFF with only a GPS IFD.
	gps := func(entries func(o exifOrder) []exifEntry) func(o exifOrder) []byte {
		return func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifPointer(0x8825, 1)}, entries(o))
		}
	}
	// taken returns a TIFF with only a capture time.
	taken := func(entries ...exifEntry) func(o exifOrder) []byte {
		return func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifPointer(0x8769, 1)}, entries)
		}
	}
	tests := []struct {
		name string
		tiff func(o exifOrder) []byte
		want *exifGot
	}{
		{"phone", phone, &exifGot{Taken: "2026-03-14T09:26:53+08:00", Point: tiananmen, Orientation: 6, Make: "HUAWEI", Model: "ELS-AN00"}},
		{"time without offset is in the caller's zone", taken(exifASCII(0x9003, "2026:03:14 09:26:53")),
			&exifGot{Taken: "2026-03-14T09:26:53+08:00"}},
		{"offset wins over the caller's zone", taken(exifASCII(0x9003, "2026:03:14 09:26:53"), exifASCII(0x9011, "-05:00")),
			&exifGot{Taken: "2026-03-14T09:26:53-05:00"}},
		{"blank offset", taken(exifASCII(0x9003, "2026:03:14 09:26:53"), exifASCII(0x9011, "   :  ")),
			&exifGot{Taken: "2026-03-14T09:26:53+08:00"}},
		{"dashed date", taken(exifASCII(0x9003, "2026-03-14 09:26:53")), &exifGot{Taken: "2026-03-14T09:26:53+08:00"}},
		{"zero date", taken(exifASCII(0x9003, "0000:00:00 00:00:00")), &exifGot{}},
		{"blank date", taken(exifASCII(0x9003, "    :  :     :  :  ")), &exifGot{}},
		{"date of the wrong type", func(o exifOrder) []byte {
			return taken(exifEntry{tag: 0x9003, typ: 7, count: 20, value: []byte("2026:03:14 09:26:53\x00")})(o)
		}, &exifGot{}},
		{"south and west", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "S"), exifRational(o, 2, 33, 1, 52, 1, 0, 1), exifASCII(3, "W"), exifRational(o, 4, 70, 1, 30, 1, 36, 1)}
		}), &exifGot{Point: &civicgrid.Point{Lat: -(33 + 52.0/60), Lon: -(70 + 30.0/60 + 36.0/3600)}}},
		{"decimal degrees in one rational", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "N"), exifRational(o, 2, 399076, 10000), exifASCII(3, "E"), exifRational(o, 4, 1163973, 10000)}
		}), &exifGot{Point: tiananmen}},
		{"zero denominator", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "N"), exifRational(o, 2, 39, 1, 54, 0, 0, 1), exifASCII(3, "E"), exifRational(o, 4, 116, 1, 23, 1, 0, 1)}
		}), &exifGot{}},
		{"no fix", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "N"), exifRational(o, 2, 0, 1, 0, 1, 0, 1), exifASCII(3, "E"), exifRational(o, 4, 0, 1, 0, 1, 0, 1)}
		}), &exifGot{}},
		{"no hemisphere", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifRational(o, 2, 39, 1, 54, 1, 0, 1), exifASCII(3, "E"), exifRational(o, 4, 116, 1, 23, 1, 0, 1)}
		}), &exifGot{}},
		{"latitude over 90", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "N"), exifRational(o, 2, 91, 1), exifASCII(3, "E"), exifRational(o, 4, 116, 1)}
		}), &exifGot{}},
		{"minutes of 60", gps(func(o exifOrder) []exifEntry {
			return []exifEntry{exifASCII(1, "N"), exifRational(o, 2, 39, 1, 60, 1, 0, 1), exifASCII(3, "E"), exifRational(o, 4, 116, 1)}
		}), &exifGot{}},
		{"orientation as LONG", func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifLong(o, 0x0112, 8)})
		}, &exifGot{Orientation: 8}},
		{"orientation out of range", func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifShort(o, 0x0112, 9)})
		}, &exifGot{}},
		{"short make in the entry", func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifASCII(0x010f, "LG"), exifASCII(0x0110, " Pixel 9  ")})
		}, &exifGot{Make: "LG", Model: "Pixel 9"}},
		{"first of a repeated tag", func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifShort(o, 0x0112, 3), exifShort(o, 0x0112, 6)})
		}, &exifGot{Orientation: 3}},
		{"EXIF IFD pointing back at IFD0", func(o exifOrder) []byte {
			return exifTIFF(o, []exifEntry{exifASCII(0x010f, "Canon"), exifLong(o, 0x8769, 8), exifLong(o, 0x8825, 8)})
		}, &exifGot{Make: "Canon"}},
		{"empty IFD0", func(o exifOrder) []byte { return exifTIFF(o, nil) }, &exifGot{}},
	}
	for _, bo := range exifOrders {
		for _, tt := range tests {
			t.Run(bo.name+"/"+tt.name, func(t *testing.T) {
				data := exifJPEG(t, exifTestImage(16, 16), tt.tiff(bo.order))
				x, err := civicgrid.ReadEXIF(data, beijing)
				if err != nil {
					t.Fatalf("ReadEXIF: %v", err)
				}
				if diff := cmp.Diff(tt.want, exifSummary(x), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
					t.Errorf("ReadEXIF (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestReadEXIFWithoutEXIF(t *testing.T) {
	plain := exifJPEG(t, exifTestImage(16, 16), nil)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, exifTestImage(16, 16)); err != nil {
		t.Fatal(err)
	}
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 24)...)
	xmp := exifInsertAPP1(plain, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	jfifThenEXIF := exifInsertAPP1(
		append([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10}, append([]byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), plain[2:]...)...),
		append([]byte("Exif\x00\x00"), exifTIFF(binary.BigEndian, []exifEntry{exifShort(binary.BigEndian, 0x0112, 3)})...))
	tests := []struct {
		name    string
		data    []byte
		want    *exifGot
		wantErr bool
	}{
		{"JPEG without EXIF", plain, nil, false},
		{"PNG", pngBuf.Bytes(), nil, false},
		{"WebP", webp, nil, false},
		{"JPEG with XMP only", xmp, nil, false},
		{"EXIF after another segment", jfifThenEXIF, &exifGot{Orientation: 3}, false},
		{"text", []byte("this is not a photo, honest"), nil, true},
		{"empty", nil, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := civicgrid.ReadEXIF(tt.data, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ReadEXIF error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Errorf("error code = %q, want invalid", civicgrid.ErrorCodeOf(err))
			}
			if diff := cmp.Diff(tt.want, exifSummary(x)); diff != "" {
				t.Errorf("ReadEXIF (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadEXIFMalformed(t *testing.T) {
	le := binary.LittleEndian
	img := exifTestImage(8, 8)
	// withTIFF wraps a TIFF block in a JPEG.
	withTIFF := func(tiff []byte) []byte { return exifJPEG(t, img, tiff) }
	// patched returns the phone's TIFF with v written at off.
	patched := func(off int, v ...byte) []byte {
		b := exifPhoneTIFF(le)
		copy(b[off:], v)
		return withTIFF(b)
	}
	plain := exifJPEG(t, img, nil)
	tests := []struct {
		name    string
		data    []byte
		wantErr bool // otherwise, no error and no EXIF fields beyond what survives
	}{
		{"TIFF header cut short", withTIFF([]byte("II*\x00")), true},
		{"empty EXIF segment", withTIFF([]byte{}), true},
		{"unknown byte order", patched(0, 'X', 'X'), true},
		{"no 42", patched(2, 43, 0), true},
		{"IFD0 beyond the block", patched(4, 0xff, 0xff, 0, 0), true},
		{"IFD0 at the very end", patched(4, 0xff, 0xff, 0xff, 0xff), true},
		{"too many entries", patched(8, 0xff, 0xff), true},
		{"entries beyond the block", patched(8, 200, 0), true},
		{"value beyond the block", withTIFF(exifTIFF(le, []exifEntry{{tag: 0x010f, typ: 2, count: 20, rawOff: 5000}})), true},
		{"value count overflowing", withTIFF(exifTIFF(le, []exifEntry{{tag: 0x010f, typ: 2, count: 0xffffffff, rawOff: 8}})), true},
		{"rationals beyond the block", withTIFF(exifTIFF(le, []exifEntry{exifPointer(0x8825, 1)},
			[]exifEntry{exifASCII(1, "N"), {tag: 2, typ: 5, count: 3, rawOff: 0xfffffff0}})), true},
		{"EXIF IFD beyond the block", withTIFF(exifTIFF(le, []exifEntry{exifLong(le, 0x8769, 1<<20)})), true},
		{"GPS IFD beyond the block", withTIFF(exifTIFF(le, []exifEntry{exifLong(le, 0x8825, 0xffffffff)})), true},
		{"EXIF IFD inside the header", withTIFF(exifTIFF(le, []exifEntry{exifLong(le, 0x8769, 0)})), true},
		{"EXIF pointer of the wrong type", withTIFF(exifTIFF(le, []exifEntry{{tag: 0x8769, typ: 2, count: 4, value: []byte("abc\x00")}})), false},
		{"unknown type", withTIFF(exifTIFF(le, []exifEntry{{tag: 0x010f, typ: 99, count: 0xffffffff, rawOff: 0xffffffff}})), false},
		{"next IFD linking to itself", withTIFF(func() []byte {
			b := exifTIFF(le, []exifEntry{exifShort(le, 0x0112, 1)})
			le.PutUint32(b[8+2+12:], 8)
			return b
		}()), false},
		{"segment length beyond the file", []byte{0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 'E', 'x', 'i', 'f', 0, 0}, true},
		{"segment length below two", []byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01, 0xff, 0xd9}, true},
		{"no marker", append([]byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02, 0x12}, plain[2:]...), true},
		{"start of image only", []byte{0xff, 0xd8, 0xff}, true},
		{"ends after a segment", []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x02}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := civicgrid.ReadEXIF(tt.data, time.UTC)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ReadEXIF = %+v, %v; want error %v", x, err, tt.wantErr)
			}
			if err != nil && x != nil {
				t.Errorf("ReadEXIF returned %+v with error %v", x, err)
			}
			if err != nil && civicgrid.ErrorCodeOf(err) != civicgrid.Invalid {
				t.Errorf("error code = %q, want invalid", civicgrid.ErrorCodeOf(err))
			}
			exifCheckSane(t, x)
		})
	}
}

// TestReadEXIFDamage cuts the phone's JPEG at every length within its
// EXIF segment and overwrites each byte of that segment with a few values:
// ReadEXIF must never panic or return impossible values, and a cut inside
// the segment is always an error.
func TestReadEXIFDamage(t *testing.T) {
	for _, bo := range exifOrders {
		t.Run(bo.name, func(t *testing.T) {
			tiff := exifPhoneTIFF(bo.order)
			data := exifJPEG(t, exifTestImage(8, 8), tiff)
			segEnd := 2 + 4 + 6 + len(tiff)
			for n := range segEnd {
				if x, err := civicgrid.ReadEXIF(data[:n], time.UTC); err == nil {
					t.Errorf("cut at %d: ReadEXIF = %+v, want an error", n, x)
				}
			}
			for i := 2; i < segEnd; i++ {
				for _, v := range []byte{0x00, 0x01, 0x7f, 0xff} {
					b := bytes.Clone(data)
					b[i] = v
					x, _ := civicgrid.ReadEXIF(b, time.UTC)
					exifCheckSane(t, x)
				}
			}
		})
	}
}

func FuzzReadEXIF(f *testing.F) {
	img := exifTestImage(8, 8)
	for _, bo := range exifOrders {
		f.Add(exifJPEG(f, img, exifPhoneTIFF(bo.order)))
	}
	f.Add(exifJPEG(f, img, nil))
	f.Add([]byte{0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8})
	if files, err := filepath.Glob(filepath.Join("testdata", "photos", "*")); err == nil {
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := civicgrid.ReadEXIF(data, time.UTC)
		if err != nil && x != nil {
			t.Errorf("ReadEXIF returned %+v with error %v", x, err)
		}
		exifCheckSane(t, x)
	})
}

// photoFixtures are the files in testdata/photos, built by the functions
// here; go test -run TestPhotoFixtures -update-photos rewrites them.
var photoFixtures = []struct {
	name string
	make func(t *testing.T) []byte
	// What ReadEXIF, Thumbnail(…, 0) and InspectPhoto make of the file.
	exif      *exifGot
	exifErr   bool
	thumbW    int
	thumbH    int
	thumbCode civicgrid.ErrorCode
	mime      string
}{
	{
		name: "exif_ii.jpg",
		make: func(t *testing.T) []byte {
			return exifJPEG(t, exifTestImage(64, 48), exifPhoneTIFF(binary.LittleEndian))
		},
		exif:   &exifGot{Taken: "2026-03-14T09:26:53+08:00", Point: &civicgrid.Point{Lat: 39.9076, Lon: 116.3973}, Orientation: 6, Make: "HUAWEI", Model: "ELS-AN00"},
		thumbW: 48, thumbH: 64, mime: "image/jpeg",
	},
	{
		name:   "exif_mm.jpg",
		make:   func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(64, 48), exifPhoneTIFF(binary.BigEndian)) },
		exif:   &exifGot{Taken: "2026-03-14T09:26:53+08:00", Point: &civicgrid.Point{Lat: 39.9076, Lon: 116.3973}, Orientation: 6, Make: "HUAWEI", Model: "ELS-AN00"},
		thumbW: 48, thumbH: 64, mime: "image/jpeg",
	},
	{
		name:   "no_exif.jpg",
		make:   func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(64, 48), nil) },
		thumbW: 64, thumbH: 48, mime: "image/jpeg",
	},
	{
		name: "photo.png",
		make: func(t *testing.T) []byte {
			var buf bytes.Buffer
			if err := png.Encode(&buf, exifTestImage(40, 30)); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		},
		thumbW: 40, thumbH: 30, mime: "image/png",
	},
	{
		name:      "not_a_photo.jpg",
		make:      func(*testing.T) []byte { return []byte("This is a text file named like a JPEG.\n") },
		exifErr:   true,
		thumbCode: civicgrid.Invalid,
	},
}

func TestPhotoFixtures(t *testing.T) {
	dir := filepath.Join("testdata", "photos")
	if *updatePhotoFixtures {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, fx := range photoFixtures {
			if err := os.WriteFile(filepath.Join(dir, fx.name), fx.make(t), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, fx := range photoFixtures {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, fx.name))
			if err != nil {
				t.Fatalf("%v (go test -run TestPhotoFixtures -update-photos writes it)", err)
			}
			x, err := civicgrid.ReadEXIF(data, time.UTC)
			if (err != nil) != fx.exifErr {
				t.Errorf("ReadEXIF error = %v, want error %v", err, fx.exifErr)
			}
			if diff := cmp.Diff(fx.exif, exifSummary(x), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("ReadEXIF (-want +got):\n%s", diff)
			}
			thumb, err := civicgrid.Thumbnail(data, 0)
			if code := civicgrid.ErrorCodeOf(err); code != fx.thumbCode {
				t.Fatalf("Thumbnail error = %v, want code %q", err, fx.thumbCode)
			}
			if err == nil {
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb))
				if err != nil {
					t.Fatalf("thumbnail is not a JPEG: %v", err)
				}
				if cfg.Width != fx.thumbW || cfg.Height != fx.thumbH {
					t.Errorf("thumbnail is %d×%d, want %d×%d", cfg.Width, cfg.Height, fx.thumbW, fx.thumbH)
				}
			}
			a, err := civicgrid.InspectPhoto(data)
			if fx.mime == "" {
				if err == nil {
					t.Errorf("InspectPhoto accepted it as %s", a.MIME)
				}
			} else if err != nil || a.MIME != fx.mime {
				t.Errorf("InspectPhoto = %+v, %v; want %s", a, err, fx.mime)
			}
		})
	}
}
