package civicgrid_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"

	"civicgrid"
)

// thumbPNG encodes img as a PNG.
func thumbPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// thumbOriented encodes img as a JPEG whose EXIF holds only orientation o.
func thumbOriented(t testing.TB, img image.Image, o uint16) []byte {
	le := binary.LittleEndian
	return exifJPEG(t, img, exifTIFF(le, []exifEntry{exifShort(le, 0x0112, o)}))
}

// thumbUniform returns a w×h image of colour c.
func thumbUniform(w, h int, c color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

// thumbDecode decodes a thumbnail, which must be a JPEG.
func thumbDecode(t testing.TB, data []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("thumbnail is not a JPEG: %v", err)
	}
	return img
}

// thumbRGB returns the 8-bit colour of img at (x, y).
func thumbRGB(img image.Image, x, y int) [3]int {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
}

// thumbNear reports whether a and b differ by at most tol in every channel.
func thumbNear(a, b [3]int, tol int) bool {
	for i := range a {
		if d := a[i] - b[i]; d > tol || d < -tol {
			return false
		}
	}
	return true
}

func TestThumbnailSize(t *testing.T) {
	tests := []struct {
		name         string
		big          bool // skipped with -short
		photo        func(t *testing.T) []byte
		maxSide      int
		wantW, wantH int
	}{
		{"JPEG 4000×3000", true, func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(4000, 3000), nil) }, 0, 320, 240},
		{"PNG 3000×4000", true, func(t *testing.T) []byte { return thumbPNG(t, thumbUniform(3000, 4000, color.NRGBA{90, 120, 60, 255})) }, 0, 240, 320},
		{"JPEG 1000×333", false, func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(1000, 333), nil) }, 320, 320, 107},
		{"PNG smaller than the box keeps its size", false, func(t *testing.T) []byte { return thumbPNG(t, exifTestImage(100, 50)) }, 320, 100, 50},
		{"exact fit", false, func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(320, 320), nil) }, 0, 320, 320},
		{"orientation 6 swaps the sides", false, func(t *testing.T) []byte { return thumbOriented(t, exifTestImage(400, 200), 6) }, 0, 160, 320},
		{"orientation 8 swaps the sides", false, func(t *testing.T) []byte { return thumbOriented(t, exifTestImage(400, 200), 8) }, 100, 50, 100},
		{"orientation 3 keeps them", false, func(t *testing.T) []byte { return thumbOriented(t, exifTestImage(400, 200), 3) }, 100, 100, 50},
		{"a row", false, func(t *testing.T) []byte { return thumbPNG(t, exifTestImage(1000, 1)) }, 0, 320, 1},
		{"a column", false, func(t *testing.T) []byte { return exifJPEG(t, exifTestImage(1, 1000), nil) }, 0, 1, 320},
		{"one pixel", false, func(t *testing.T) []byte { return thumbPNG(t, exifTestImage(50, 30)) }, 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.big && testing.Short() {
				t.Skip("12-megapixel input")
			}
			thumb, err := civicgrid.Thumbnail(tt.photo(t), tt.maxSide)
			if err != nil {
				t.Fatalf("Thumbnail: %v", err)
			}
			b := thumbDecode(t, thumb).Bounds()
			if b.Dx() != tt.wantW || b.Dy() != tt.wantH {
				t.Errorf("thumbnail is %d×%d, want %d×%d", b.Dx(), b.Dy(), tt.wantW, tt.wantH)
			}
		})
	}
}

// TestThumbnailOrientation stores a picture with four coloured quadrants
// under each EXIF orientation and checks where each colour appears in the
// upright thumbnail.
func TestThumbnailOrientation(t *testing.T) {
	red, green, blue, white := [3]int{255, 0, 0}, [3]int{0, 255, 0}, [3]int{0, 0, 255}, [3]int{255, 255, 255}
	// As stored: red, green over blue, white; 400×200.
	stored := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for y := range 200 {
		for x := range 400 {
			c := [2][2][3]int{{red, green}, {blue, white}}[y/100][x/200]
			stored.SetRGBA(x, y, color.RGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), 255})
		}
	}
	tests := []struct {
		orientation uint16
		// Quadrants of the upright thumbnail: top left, top right, bottom
		// left, bottom right.
		want [4][3]int
	}{
		{0, [4][3]int{red, green, blue, white}},
		{1, [4][3]int{red, green, blue, white}},
		{2, [4][3]int{green, red, white, blue}},
		{3, [4][3]int{white, blue, green, red}},
		{4, [4][3]int{blue, white, red, green}},
		{5, [4][3]int{red, blue, green, white}},
		{6, [4][3]int{blue, red, white, green}},
		{7, [4][3]int{white, green, blue, red}},
		{8, [4][3]int{green, white, red, blue}},
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.orientation)), func(t *testing.T) {
			data := exifJPEG(t, stored, nil)
			if tt.orientation != 0 {
				data = thumbOriented(t, stored, tt.orientation)
			}
			thumb, err := civicgrid.Thumbnail(data, 100)
			if err != nil {
				t.Fatalf("Thumbnail: %v", err)
			}
			img := thumbDecode(t, thumb)
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			if tt.orientation >= 5 {
				w, h = h, w
			}
			if w != 100 || h != 50 {
				t.Fatalf("thumbnail is %d×%d", img.Bounds().Dx(), img.Bounds().Dy())
			}
			w, h = img.Bounds().Dx(), img.Bounds().Dy()
			centres := [4][2]int{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}}
			for i, c := range centres {
				if got := thumbRGB(img, c[0], c[1]); !thumbNear(got, tt.want[i], 40) {
					t.Errorf("quadrant %d at %v is %v, want %v", i, c, got, tt.want[i])
				}
			}
		})
	}
}

// TestThumbnailColours checks every pixel of thumbnails of flat and finely
// patterned pictures in each kind of decoded image: box filtering turns a
// one-pixel checkerboard into its mean, and transparency lands on white.
func TestThumbnailColours(t *testing.T) {
	const n = 64
	checker := func(a, b color.Color) func(x, y int) color.Color {
		return func(x, y int) color.Color {
			if (x+y)%2 == 0 {
				return a
			}
			return b
		}
	}
	draw := func(m interface {
		image.Image
		Set(x, y int, c color.Color)
	}, f func(x, y int) color.Color) image.Image {
		for y := range n {
			for x := range n {
				m.Set(x, y, f(x, y))
			}
		}
		return m
	}
	rect := image.Rect(0, 0, n, n)
	palette := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	tests := []struct {
		name  string
		photo func(t *testing.T) []byte
		want  [3]int
	}{
		{"JPEG in colour", func(t *testing.T) []byte {
			return exifJPEG(t, thumbUniform(n, n, color.NRGBA{200, 100, 50, 255}), nil)
		}, [3]int{200, 100, 50}},
		{"JPEG in grey", func(t *testing.T) []byte {
			return exifJPEG(t, draw(image.NewGray(rect), func(x, y int) color.Color { return color.Gray{77} }), nil)
		}, [3]int{77, 77, 77}},
		{"opaque PNG checkerboard", func(t *testing.T) []byte {
			return thumbPNG(t, draw(image.NewNRGBA(rect), checker(color.White, color.Black)))
		}, [3]int{128, 128, 128}},
		{"grey PNG checkerboard", func(t *testing.T) []byte {
			return thumbPNG(t, draw(image.NewGray(rect), checker(color.Gray{200}, color.Gray{100})))
		}, [3]int{150, 150, 150}},
		{"paletted PNG checkerboard", func(t *testing.T) []byte {
			return thumbPNG(t, draw(image.NewPaletted(rect, palette), checker(palette[0], palette[1])))
		}, [3]int{128, 0, 128}},
		{"half-transparent black PNG", func(t *testing.T) []byte {
			return thumbPNG(t, thumbUniform(n, n, color.NRGBA{0, 0, 0, 128}))
		}, [3]int{127, 127, 127}},
		{"transparent PNG", func(t *testing.T) []byte {
			return thumbPNG(t, thumbUniform(n, n, color.NRGBA{10, 20, 30, 0}))
		}, [3]int{255, 255, 255}},
		{"16-bit PNG", func(t *testing.T) []byte {
			return thumbPNG(t, draw(image.NewRGBA64(rect), func(x, y int) color.Color { return color.RGBA64{0x4000, 0x8000, 0xc000, 0xffff} }))
		}, [3]int{64, 128, 192}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			thumb, err := civicgrid.Thumbnail(tt.photo(t), n/2)
			if err != nil {
				t.Fatalf("Thumbnail: %v", err)
			}
			img := thumbDecode(t, thumb)
			if b := img.Bounds(); b.Dx() != n/2 || b.Dy() != n/2 {
				t.Fatalf("thumbnail is %d×%d", b.Dx(), b.Dy())
			}
			for y := range n / 2 {
				for x := range n / 2 {
					if got := thumbRGB(img, x, y); !thumbNear(got, tt.want, 6) {
						t.Fatalf("pixel (%d, %d) is %v, want %v", x, y, got, tt.want)
					}
				}
			}
		})
	}
}

func TestThumbnailErrors(t *testing.T) {
	photo := exifJPEG(t, exifTestImage(64, 48), nil)
	// huge is a PNG whose header claims 8000×8000 pixels.
	huge := thumbPNG(t, exifTestImage(4, 4))
	binary.BigEndian.PutUint32(huge[16:], 8000)
	binary.BigEndian.PutUint32(huge[20:], 8000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	brokenPNG := thumbPNG(t, exifTestImage(64, 48))
	brokenPNG = append(brokenPNG[:60:60], make([]byte, 40)...)
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 24)...)
	tests := []struct {
		name    string
		data    []byte
		maxSide int
		want    civicgrid.ErrorCode
	}{
		{"WebP", webp, 0, civicgrid.Unprocessable},
		{"text", []byte("not a photo at all"), 0, civicgrid.Invalid},
		{"empty", nil, 0, civicgrid.Invalid},
		{"truncated JPEG", photo[:len(photo)/2], 0, civicgrid.Invalid},
		{"JPEG header only", photo[:3], 0, civicgrid.Invalid},
		{"damaged PNG", brokenPNG, 0, civicgrid.Invalid},
		{"too many pixels", huge, 0, civicgrid.TooLarge},
		{"negative size", photo, -1, civicgrid.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			thumb, err := civicgrid.Thumbnail(tt.data, tt.maxSide)
			if got := civicgrid.ErrorCodeOf(err); got != tt.want {
				t.Errorf("Thumbnail = %d bytes, %v; want code %q", len(thumb), err, tt.want)
			}
			if thumb != nil {
				t.Errorf("Thumbnail returned %d bytes with an error", len(thumb))
			}
		})
	}
}

// thumbPhotoLike returns a w×h picture with smooth gradients and some
// noise, so that it compresses about as well as a photo.
func thumbPhotoLike(w, h int) *image.RGBA {
	rnd := rand.New(rand.NewPCG(1, 2))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := m.Pix[y*m.Stride:]
		for x := range w {
			noise := rnd.IntN(17) - 8
			p := row[4*x : 4*x+4]
			p[0] = uint8(min(255, max(0, x*200/w+noise+20)))
			p[1] = uint8(min(255, max(0, y*200/h+noise+20)))
			p[2] = uint8(min(255, max(0, (x+y)*100/(w+h)+noise+60)))
			p[3] = 255
		}
	}
	return m
}

func BenchmarkThumbnail12MP(b *testing.B) {
	img := thumbPhotoLike(4000, 3000)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, &jpeg.Options{Quality: 90}); err != nil {
		b.Fatal(err)
	}
	le := binary.LittleEndian
	inputs := []struct {
		name string
		data []byte
	}{
		{"JPEG", jpg.Bytes()},
		{"JPEG-rotated", exifInsertAPP1(jpg.Bytes(), append([]byte("Exif\x00\x00"), exifTIFF(le, []exifEntry{exifShort(le, 0x0112, 6)})...))},
		{"PNG", thumbPNG(b, img)},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				if _, err := civicgrid.Thumbnail(in.data, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
