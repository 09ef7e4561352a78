package civicgrid

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"time"
)

// Thumbnail settings.
const (
	defaultThumbnailSide = 320
	thumbnailQuality     = 80
)

// Thumbnail returns a JPEG of the JPEG or PNG photo in data whose longer
// side is at most maxSide pixels (320 when maxSide is 0), turned upright by
// the photo's EXIF orientation (a photo whose EXIF cannot be read counts as
// upright). Photos already small enough keep their size; the aspect ratio
// is kept to the nearest pixel. The thumbnail
// carries no metadata, so it never leaks the photo's position.
//
// Downscaling averages each output pixel's area of the photo (a box
// filter), so fine detail turns into its mean colour rather than noise.
// Transparent PNG pixels are drawn on white.
//
// A WebP photo is an Unprocessable error, as the standard library cannot
// decode WebP; callers serve no thumbnail for it. Anything that is not an
// image is Invalid, and a photo over MaxPhotoPixels is TooLarge, checked
// before decoding.
func Thumbnail(data []byte, maxSide int) ([]byte, error) {
	if maxSide < 0 {
		return nil, Errorf(Invalid, "thumbnail size %d is negative", maxSide)
	}
	if maxSide == 0 {
		maxSide = defaultThumbnailSide
	}
	img, err := decodePhoto(data)
	if err != nil {
		return nil, err
	}
	orientation := 1
	if x, err := ReadEXIF(data, time.UTC); err == nil && x != nil && x.Orientation != 0 {
		orientation = x.Orientation
	}
	b := img.Bounds()
	w, h := fitWithin(b.Dx(), b.Dy(), maxSide)
	small := boxDownscale(img, w, h)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, small.oriented(orientation), &jpeg.Options{Quality: thumbnailQuality}); err != nil {
		return nil, fmt.Errorf("thumbnail: encode JPEG: %w", err)
	}
	return buf.Bytes(), nil
}

// decodePhoto decodes a JPEG or PNG after checking its pixel count.
func decodePhoto(data []byte) (image.Image, error) {
	var format string
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch {
	case isWebP(data):
		return nil, Errorf(Unprocessable, "WebP photos have no thumbnail: the standard library cannot decode WebP")
	case isJPEG(data):
		format, decodeConfig, decode = "JPEG", jpeg.DecodeConfig, jpeg.Decode
	case isPNG(data):
		format, decodeConfig, decode = "PNG", png.DecodeConfig, png.Decode
	default:
		return nil, Errorf(Invalid, "not a JPEG, PNG or WebP image")
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Code: Invalid, Message: "photo is not a readable " + format, Err: err}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, Errorf(Invalid, "photo has no size")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPhotoPixels {
		return nil, Errorf(TooLarge, "photo is %d×%d pixels; the limit is %d pixels", cfg.Width, cfg.Height, MaxPhotoPixels)
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{Code: Invalid, Message: "photo is not a readable " + format, Err: err}
	}
	return img, nil
}

// fitWithin returns the size of a w×h image scaled down so that its longer
// side is at most maxSide, rounding the shorter side and keeping it at least
// one pixel. Images that fit already keep their size.
func fitWithin(w, h, maxSide int) (int, int) {
	switch {
	case w <= maxSide && h <= maxSide:
		return w, h
	case w >= h:
		return maxSide, max(1, int((int64(h)*int64(maxSide)+int64(w)/2)/int64(w)))
	default:
		return max(1, int((int64(w)*int64(maxSide)+int64(h)/2)/int64(h))), maxSide
	}
}

// smallImage is a downscaled image in stored (not yet upright)
// orientation: three interleaved 8-bit channels per pixel, either Y, Cb, Cr
// or R, G, B.
type smallImage struct {
	w, h int
	ycc  bool
	pix  []uint8
}

// boxWeights describes a one-dimensional box filter from src samples to n
// (n ≤ src): destination sample d averages source samples first[d],
// first[d]+1, … with weights w[off[d]:off[d+1]], which sum to one. A source
// sample cut by a box edge counts with the fraction inside the box.
type boxWeights struct {
	first []int
	off   []int
	w     []float32
}

func newBoxWeights(src, n int) boxWeights {
	bw := boxWeights{first: make([]int, n), off: make([]int, n+1)}
	scale := float64(src) / float64(n)
	for d := range n {
		lo, hi := float64(d)*scale, float64(d+1)*scale
		i0, i1 := int(lo), min(src, int(math.Ceil(hi)))
		start, sum := len(bw.w), 0.0
		for i := i0; i < i1; i++ {
			in := math.Min(float64(i+1), hi) - math.Max(float64(i), lo)
			bw.w = append(bw.w, float32(in))
			sum += in
		}
		for k := start; k < len(bw.w); k++ {
			bw.w[k] = float32(float64(bw.w[k]) / sum)
		}
		bw.first[d], bw.off[d+1] = i0, len(bw.w)
	}
	return bw
}

// reduce box-filters one row of interleaved three-channel samples.
func (bw *boxWeights) reduce(dst, src []float32) {
	for d := range len(bw.first) {
		ws := bw.w[bw.off[d]:bw.off[d+1]]
		s := src[3*bw.first[d] : 3*(bw.first[d]+len(ws))]
		var a0, a1, a2 float32
		for k, w := range ws {
			a0 += w * s[3*k]
			a1 += w * s[3*k+1]
			a2 += w * s[3*k+2]
		}
		dst[3*d], dst[3*d+1], dst[3*d+2] = a0, a1, a2
	}
}

// boxDownscale scales img to w×h, which must be no larger, by averaging
// areas: each source row is first reduced horizontally, then the reduced
// rows are averaged vertically. Rows cut by a box edge are reduced once.
func boxDownscale(img image.Image, w, h int) *smallImage {
	b := img.Bounds()
	fill, ycc := rowReader(img)
	xs, ys := newBoxWeights(b.Dx(), w), newBoxWeights(b.Dy(), h)
	srcRow := make([]float32, 3*b.Dx())
	rowBuf := make([]float32, 3*w)
	acc := make([]float32, 3*w)
	out := &smallImage{w: w, h: h, ycc: ycc, pix: make([]uint8, 3*w*h)}
	reduced := -1 // the source row now in rowBuf
	for d := range h {
		clear(acc)
		for k, wy := range ys.w[ys.off[d]:ys.off[d+1]] {
			y := ys.first[d] + k
			if y != reduced {
				fill(y, srcRow)
				xs.reduce(rowBuf, srcRow)
				reduced = y
			}
			for i, v := range rowBuf {
				acc[i] += wy * v
			}
		}
		row := out.pix[3*w*d : 3*w*(d+1)]
		for i, v := range acc {
			row[i] = uint8(min(255, max(0, v+0.5)))
		}
	}
	return out
}

// rowReader returns a function that writes row y (counted from the top of
// img's bounds) into row as three floats per pixel, and whether those are
// Y, Cb, Cr (for YCbCr images, averaged in their own space) rather than
// R, G, B composited on white.
func rowReader(img image.Image) (fill func(y int, row []float32), ycc bool) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.YCbCr:
		var shift uint
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			shift = 1
		case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
			shift = 2
		}
		if b.Min.X < 0 || b.Min.Y < 0 { // shifts below assume x ≥ 0
			break
		}
		return func(y int, row []float32) {
			y += b.Min.Y
			yi := m.YOffset(b.Min.X, y)
			ci := m.COffset(b.Min.X, y) - b.Min.X>>shift
			for x := b.Min.X; x < b.Max.X; x++ {
				c := ci + x>>shift
				p := row[3*(x-b.Min.X) : 3*(x-b.Min.X)+3]
				p[0], p[1], p[2] = float32(m.Y[yi+x-b.Min.X]), float32(m.Cb[c]), float32(m.Cr[c])
			}
		}, true
	case *image.Gray:
		return func(y int, row []float32) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x, v := range m.Pix[i : i+b.Dx()] {
				g := float32(v)
				row[3*x], row[3*x+1], row[3*x+2] = g, g, g
			}
		}, false
	case *image.RGBA: // premultiplied: on white, c + (255 − a)
		return func(y int, row []float32) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			pix := m.Pix[i : i+4*b.Dx()]
			for x := range b.Dx() {
				p := pix[4*x : 4*x+4]
				bg := float32(255 - p[3])
				row[3*x], row[3*x+1], row[3*x+2] = float32(p[0])+bg, float32(p[1])+bg, float32(p[2])+bg
			}
		}, false
	case *image.NRGBA: // on white, c·α + 255·(1 − α)
		return func(y int, row []float32) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			pix := m.Pix[i : i+4*b.Dx()]
			for x := range b.Dx() {
				p := pix[4*x : 4*x+4]
				a := float32(p[3]) / 255
				bg := 255 * (1 - a)
				row[3*x], row[3*x+1], row[3*x+2] = float32(p[0])*a+bg, float32(p[1])*a+bg, float32(p[2])*a+bg
			}
		}, false
	case *image.Paletted:
		var lut [256][3]float32 // indices beyond the palette are black
		for i, c := range m.Palette[:min(len(m.Palette), 256)] {
			lut[i] = onWhite(c.RGBA())
		}
		return func(y int, row []float32) {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			for x, v := range m.Pix[i : i+b.Dx()] {
				c := lut[v]
				row[3*x], row[3*x+1], row[3*x+2] = c[0], c[1], c[2]
			}
		}, false
	}
	// Anything else (16-bit PNGs, CMYK JPEGs, unusual bounds) goes through
	// the slow generic interface.
	return func(y int, row []float32) {
		for x := range b.Dx() {
			c := onWhite(img.At(b.Min.X+x, b.Min.Y+y).RGBA())
			row[3*x], row[3*x+1], row[3*x+2] = c[0], c[1], c[2]
		}
	}, false
}

// onWhite composites a premultiplied 16-bit colour on white, in 8-bit
// units.
func onWhite(r, g, b, a uint32) [3]float32 {
	bg := float32(0xffff-a) / 257
	return [3]float32{float32(r)/257 + bg, float32(g)/257 + bg, float32(b)/257 + bg}
}

// oriented returns s turned upright for the EXIF orientation o, as an
// image the JPEG encoder takes without conversion. For orientations 5 to 8
// width and height swap.
func (s *smallImage) oriented(o int) image.Image {
	w, h := s.w, s.h
	if o >= 5 && o <= 8 {
		w, h = h, w
	}
	// src maps a pixel (x, y) of the upright w×h image to the stored one.
	var src func(x, y int) (int, int)
	switch o {
	case 2: // mirrored
		src = func(x, y int) (int, int) { return s.w - 1 - x, y }
	case 3: // upside down
		src = func(x, y int) (int, int) { return s.w - 1 - x, s.h - 1 - y }
	case 4: // mirrored upside down
		src = func(x, y int) (int, int) { return x, s.h - 1 - y }
	case 5: // transposed
		src = func(x, y int) (int, int) { return y, x }
	case 6: // needs a quarter turn clockwise
		src = func(x, y int) (int, int) { return y, s.h - 1 - x }
	case 7: // transversed
		src = func(x, y int) (int, int) { return s.w - 1 - y, s.h - 1 - x }
	case 8: // needs a quarter turn anticlockwise
		src = func(x, y int) (int, int) { return s.w - 1 - y, x }
	default:
		src = func(x, y int) (int, int) { return x, y }
	}
	r := image.Rect(0, 0, w, h)
	if s.ycc {
		m := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
		for y := range h {
			for x := range w {
				sx, sy := src(x, y)
				p := s.pix[3*(sy*s.w+sx):]
				i := y*m.YStride + x // 4:4:4 shares one stride
				m.Y[i], m.Cb[i], m.Cr[i] = p[0], p[1], p[2]
			}
		}
		return m
	}
	m := image.NewRGBA(r)
	for y := range h {
		for x := range w {
			sx, sy := src(x, y)
			p := s.pix[3*(sy*s.w+sx):]
			q := m.Pix[y*m.Stride+4*x : y*m.Stride+4*x+4]
			q[0], q[1], q[2], q[3] = p[0], p[1], p[2], 0xff
		}
	}
	return m
}
