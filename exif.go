package civicgrid

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// EXIF is what civicgrid reads from a photo's EXIF metadata: when and where
// it was taken, which way up it is, and the camera. A field is nil, 0 or ""
// when the photo does not record it or records a value that means
// "unknown" (a zero date, a 0/0 rational, no GPS fix).
type EXIF struct {
	// Taken is DateTimeOriginal, in the offset of OffsetTimeOriginal when
	// the photo records one and otherwise in the location given to
	// ReadEXIF.
	Taken *time.Time
	// Point is the GPS position.
	Point *Point
	// Orientation is the TIFF orientation, 1 (upright) to 8, or 0 when
	// absent. Values 5 to 8 swap width and height for display.
	Orientation int
	// Make and Model name the camera or phone.
	Make, Model string
}

// Limits that keep ReadEXIF cheap on hostile input.
const (
	maxIFDEntries = 512 // real IFDs hold well under a hundred
	maxEXIFText   = 128 // Make and Model are cut to this many bytes
)

// EXIF and TIFF tags that ReadEXIF reads.
const (
	tagMake               = 0x010f
	tagModel              = 0x0110
	tagOrientation        = 0x0112
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	tagGPSLatitudeRef     = 0x0001
	tagGPSLatitude        = 0x0002
	tagGPSLongitudeRef    = 0x0003
	tagGPSLongitude       = 0x0004
)

// TIFF field types used by ReadEXIF.
const (
	tiffASCII    = 2
	tiffShort    = 3
	tiffLong     = 4
	tiffRational = 5
	tiffIFD      = 13
)

// tiffTypeSize is the size in bytes of one value of each TIFF field type
// (TIFF 6.0 §2, with the IFD type of TIFF Technical Note 1); 0 for unknown
// types.
var tiffTypeSize = [...]uint64{1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}

// ReadEXIF reads the EXIF metadata of a JPEG photo. It returns nil and no
// error for a JPEG without EXIF and for PNG and WebP photos, whose metadata
// it does not read. A capture time without a recorded offset is read in
// loc (UTC when loc is nil), normally the city's time zone.
//
// ReadEXIF follows IFD0 to the EXIF and GPS IFDs and nothing further, so
// malformed input cannot make it loop. Structural damage (a truncated
// segment, an IFD or value outside the EXIF block, too many entries) is an
// Invalid error; callers that only want evidence may treat that as "no
// EXIF". Values that parse but mean nothing are left out without an error.
func ReadEXIF(data []byte, loc *time.Location) (*EXIF, error) {
	if loc == nil {
		loc = time.UTC
	}
	switch {
	case isJPEG(data):
		tiff, err := jpegEXIF(data)
		if err != nil || tiff == nil {
			return nil, err
		}
		return readTIFF(tiff, loc)
	case isPNG(data), isWebP(data):
		return nil, nil
	}
	return nil, Errorf(Invalid, "not a JPEG, PNG or WebP image")
}

func isJPEG(b []byte) bool { return len(b) >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff }

func isPNG(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }

// exifErrorf returns an Invalid error about malformed EXIF data.
func exifErrorf(format string, args ...any) error {
	return Errorf(Invalid, "malformed EXIF: "+format, args...)
}

// jpegEXIF walks the JPEG's marker segments up to the image data and
// returns the TIFF block of its first EXIF APP1 segment, or nil when there
// is none.
func jpegEXIF(data []byte) ([]byte, error) {
	pos := 2 // after SOI
	for {
		if pos >= len(data) {
			return nil, Errorf(Invalid, "JPEG ends before its image data")
		}
		if data[pos] != 0xff {
			return nil, Errorf(Invalid, "JPEG has no marker at byte %d", pos)
		}
		for pos < len(data) && data[pos] == 0xff { // fill bytes
			pos++
		}
		if pos >= len(data) {
			return nil, Errorf(Invalid, "JPEG ends before its image data")
		}
		marker := data[pos]
		pos++
		switch {
		case marker == 0xda || marker == 0xd9: // start of scan, end of image
			return nil, nil
		case marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7): // no length
			continue
		}
		if pos+2 > len(data) {
			return nil, Errorf(Invalid, "JPEG segment at byte %d is truncated", pos-2)
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 || pos+n > len(data) {
			return nil, Errorf(Invalid, "JPEG segment at byte %d has length %d, beyond the file", pos-2, n)
		}
		seg := data[pos+2 : pos+n]
		pos += n
		// "Exif\0\0" by the standard; a few writers pad with another byte.
		if marker == 0xe1 && len(seg) >= 6 && string(seg[:5]) == "Exif\x00" {
			return seg[6:], nil
		}
	}
}

// tiffBlock is a TIFF structure (the body of an EXIF segment) with its byte
// order; every offset in it counts from its first byte.
type tiffBlock struct {
	b     []byte
	order binary.ByteOrder
}

// ifdEntry is one 12-byte IFD entry. Its value is read only when wanted, so
// a broken entry that civicgrid ignores (a maker note, say) does no harm.
type ifdEntry struct {
	typ   uint16
	count uint32
	raw   []byte // the 4-byte value-or-offset field
}

// readTIFF reads the header and the IFDs that EXIF needs.
func readTIFF(b []byte, loc *time.Location) (*EXIF, error) {
	if len(b) < 8 {
		return nil, exifErrorf("TIFF header is %d bytes long", len(b))
	}
	t := tiffBlock{b: b}
	switch string(b[:2]) {
	case "II":
		t.order = binary.LittleEndian
	case "MM":
		t.order = binary.BigEndian
	default:
		return nil, exifErrorf("unknown byte order %q", b[:2])
	}
	if t.order.Uint16(b[2:]) != 42 {
		return nil, exifErrorf("TIFF header lacks the number 42")
	}
	ifd0, err := t.ifd(t.order.Uint32(b[4:]))
	if err != nil {
		return nil, err
	}
	x := &EXIF{}
	if x.Make, err = t.text(ifd0[tagMake]); err != nil {
		return nil, err
	}
	if x.Model, err = t.text(ifd0[tagModel]); err != nil {
		return nil, err
	}
	if v, ok := t.uint(ifd0[tagOrientation]); ok && v >= 1 && v <= 8 {
		x.Orientation = int(v)
	}
	if e, ok := ifd0[tagExifIFD]; ok {
		if err := t.readExifIFD(e, loc, x); err != nil {
			return nil, err
		}
	}
	if e, ok := ifd0[tagGPSIFD]; ok {
		if err := t.readGPSIFD(e, x); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// readExifIFD reads the capture time from the EXIF IFD that e points to.
func (t tiffBlock) readExifIFD(e ifdEntry, loc *time.Location, x *EXIF) error {
	off, ok := t.uint(e)
	if !ok {
		return nil
	}
	ifd, err := t.ifd(off)
	if err != nil {
		return err
	}
	when, err := t.text(ifd[tagDateTimeOriginal])
	if err != nil {
		return err
	}
	offset, err := t.text(ifd[tagOffsetTimeOriginal])
	if err != nil {
		return err
	}
	x.Taken = parseEXIFTime(when, offset, loc)
	return nil
}

// readGPSIFD reads the position from the GPS IFD that e points to.
func (t tiffBlock) readGPSIFD(e ifdEntry, x *EXIF) error {
	off, ok := t.uint(e)
	if !ok {
		return nil
	}
	ifd, err := t.ifd(off)
	if err != nil {
		return err
	}
	latRef, err := t.text(ifd[tagGPSLatitudeRef])
	if err != nil {
		return err
	}
	lonRef, err := t.text(ifd[tagGPSLongitudeRef])
	if err != nil {
		return err
	}
	lat, okLat, err := t.degrees(ifd[tagGPSLatitude])
	if err != nil {
		return err
	}
	lon, okLon, err := t.degrees(ifd[tagGPSLongitude])
	if err != nil {
		return err
	}
	switch {
	case !okLat || !okLon || lat > 90 || lon > 180:
		return nil
	case lat == 0 && lon == 0: // what phones write without a fix
		return nil
	}
	switch latRef {
	case "N":
	case "S":
		lat = -lat
	default:
		return nil // a position of unknown hemisphere is no position
	}
	switch lonRef {
	case "E":
	case "W":
		lon = -lon
	default:
		return nil
	}
	x.Point = &Point{Lat: lat, Lon: lon}
	return nil
}

// ifd reads the IFD at off into a map from tag to entry; the first entry
// for a tag wins. It does not follow the link to the next IFD.
func (t tiffBlock) ifd(off uint32) (map[uint16]ifdEntry, error) {
	if uint64(off)+2 > uint64(len(t.b)) {
		return nil, exifErrorf("IFD at byte %d is outside the %d-byte EXIF block", off, len(t.b))
	}
	n := int(t.order.Uint16(t.b[off:]))
	if n > maxIFDEntries {
		return nil, exifErrorf("IFD at byte %d claims %d entries; the limit is %d", off, n, maxIFDEntries)
	}
	start := int(off) + 2
	if start+12*n > len(t.b) {
		return nil, exifErrorf("IFD at byte %d with %d entries runs past the %d-byte EXIF block", off, n, len(t.b))
	}
	m := make(map[uint16]ifdEntry, n)
	for i := range n {
		p := t.b[start+12*i : start+12*i+12]
		tag := t.order.Uint16(p)
		if _, dup := m[tag]; dup {
			continue
		}
		m[tag] = ifdEntry{typ: t.order.Uint16(p[2:]), count: t.order.Uint32(p[4:]), raw: p[8:12]}
	}
	return m, nil
}

// value returns the bytes of e's value, which sit in the entry itself when
// they fit in four bytes and at an offset otherwise. It returns nil for an
// absent entry or an unknown type, and an error for a value outside the
// block.
func (t tiffBlock) value(e ifdEntry) ([]byte, error) {
	if e.raw == nil || int(e.typ) >= len(tiffTypeSize) || tiffTypeSize[e.typ] == 0 {
		return nil, nil
	}
	size := uint64(e.count) * tiffTypeSize[e.typ] // at most 2^32·8: no overflow
	if size <= 4 {
		return e.raw[:size], nil
	}
	off := uint64(t.order.Uint32(e.raw))
	if off+size > uint64(len(t.b)) {
		return nil, exifErrorf("a value of %d bytes at byte %d is outside the %d-byte EXIF block", size, off, len(t.b))
	}
	return t.b[off : off+size], nil
}

// text returns e's ASCII value up to its first NUL, trimmed of spaces, cut
// to maxEXIFText bytes and made valid UTF-8; "" for an absent entry or
// another type.
func (t tiffBlock) text(e ifdEntry) (string, error) {
	if e.typ != tiffASCII {
		return "", nil
	}
	v, err := t.value(e)
	if err != nil {
		return "", err
	}
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	if len(v) > maxEXIFText {
		v = v[:maxEXIFText]
	}
	s := strings.ToValidUTF8(string(v), string(utf8.RuneError))
	return strings.TrimSpace(s), nil
}

// uint returns e's single SHORT, LONG or IFD value. Such a value always
// sits in the entry itself, so this cannot fail on bounds.
func (t tiffBlock) uint(e ifdEntry) (uint32, bool) {
	if e.count != 1 {
		return 0, false
	}
	switch e.typ {
	case tiffShort:
		return uint32(t.order.Uint16(e.raw)), true
	case tiffLong, tiffIFD:
		return t.order.Uint32(e.raw), true
	}
	return 0, false
}

// degrees returns the angle in e, up to three RATIONALs meaning degrees,
// minutes and seconds. ok is false for an absent entry, another type, a
// zero denominator or a minute or second of 60 or more.
func (t tiffBlock) degrees(e ifdEntry) (deg float64, ok bool, err error) {
	if e.typ != tiffRational || e.count < 1 || e.count > 3 {
		return 0, false, nil
	}
	v, err := t.value(e)
	if err != nil {
		return 0, false, err
	}
	for i, unit := range []float64{1, 60, 3600}[:e.count] {
		num, den := t.order.Uint32(v[8*i:]), t.order.Uint32(v[8*i+4:])
		if den == 0 {
			return 0, false, nil
		}
		part := float64(num) / float64(den)
		if i > 0 && part >= 60 {
			return 0, false, nil
		}
		deg += part / unit
	}
	return deg, !math.IsNaN(deg), nil
}

// parseEXIFTime reads an EXIF date and time, "2006:01:02 15:04:05", in the
// fixed offset of an OffsetTime value such as "+08:00" when that parses, and
// in loc otherwise. It returns nil for blank or impossible values.
func parseEXIFTime(s, offset string, loc *time.Location) *time.Time {
	if len(s) < 19 {
		return nil
	}
	b := []byte(s[:19])
	for _, i := range []int{4, 7} { // some writers use 2006-01-02
		if b[i] == '-' || b[i] == '/' {
			b[i] = ':'
		}
	}
	const layout = "2006:01:02 15:04:05"
	if len(offset) == 6 && (offset[0] == '+' || offset[0] == '-') {
		if t, err := time.Parse(layout+"-07:00", string(b)+offset); err == nil {
			return &t
		}
	}
	t, err := time.ParseInLocation(layout, string(b), loc)
	if err != nil {
		return nil
	}
	return &t
}
