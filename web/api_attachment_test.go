package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"civicgrid"
)

// pngBytes encodes a w×h PNG.
func pngBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func jpegBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNGHeader is the start of a PNG that claims w×h pixels: enough for
// the size check, which reads only the header.
func hugePNGHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	_ = binary.Write(&buf, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	buf.Write(chunk)
	_ = binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return buf.Bytes()
}

// multipartBody puts data in a form field and returns the body and its
// content type.
func multipartBody(tb testing.TB, field string, data []byte) ([]byte, string) {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("note", "from the phone")
	fw, err := mw.CreateFormFile(field, "photo.jpg")
	if err != nil {
		tb.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestPhotos(t *testing.T) {
	e := newEnv(t)
	pngData := pngBytes(t, 40, 30)
	jpegData := jpegBytes(t, 64, 48)
	form, formType := multipartBody(t, "photo", jpegData)
	noPhoto, noPhotoType := multipartBody(t, "picture", jpegData)
	bigForm, bigFormType := multipartBody(t, "photo", bytes.Repeat([]byte{0xff}, civicgrid.MaxPhotoBytes+1))
	pngID := hashOf(pngData)
	e.run(t, []scenario{
		{name: "raw png", method: "POST", path: "/api/v1/photos", actor: "inspector", body: pngData, header: []string{"Content-Type", "image/png"},
			wantStatus: http.StatusCreated,
			wantBody:   `{"id":"` + pngID + `","mime":"image/png","size":` + itoa(int64(len(pngData))) + `,"width":40,"height":30,"thumbnail":"/api/v1/photos/` + pngID + `/thumbnail"}`,
			wantHeader: map[string]string{"Location": "/api/v1/photos/" + pngID}},
		{name: "the same again", method: "POST", path: "/api/v1/photos", actor: "citizen", body: pngData, header: []string{"Content-Type", "image/png"},
			wantStatus: http.StatusCreated, wantContains: []string{pngID}},
		{name: "type sniffed from the content", method: "POST", path: "/api/v1/photos", actor: "inspector", body: jpegData,
			header: []string{"Content-Type", "image/png"}, wantStatus: http.StatusCreated, wantContains: []string{`"mime":"image/jpeg"`}},
		{name: "multipart", method: "POST", path: "/api/v1/photos", actor: "inspector", body: form, header: []string{"Content-Type", formType},
			wantStatus: http.StatusCreated, wantContains: []string{`"id":"` + hashOf(jpegData) + `"`, `"width":64,"height":48`}},
		{name: "multipart without a photo field", method: "POST", path: "/api/v1/photos", actor: "inspector", body: noPhoto,
			header: []string{"Content-Type", noPhotoType}, wantStatus: http.StatusBadRequest, wantContains: []string{`"fields":{"photo":`}},
		{name: "not an image", method: "POST", path: "/api/v1/photos", actor: "inspector", body: "GIF89a, or so it says",
			header: []string{"Content-Type", "image/gif"}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`"fields":{"photo":"not a JPEG, PNG or WebP image"}`}},
		{name: "empty", method: "POST", path: "/api/v1/photos", actor: "inspector", body: "",
			header: []string{"Content-Type", "image/png"}, wantStatus: http.StatusBadRequest},
		{name: "wrong content type", method: "POST", path: "/api/v1/photos", actor: "inspector", body: pngData,
			header: []string{"Content-Type", "application/octet-stream"}, wantStatus: http.StatusBadRequest,
			wantContains: []string{`Content-Type must be an image type`}},
		{name: "too many bytes", method: "POST", path: "/api/v1/photos", actor: "inspector",
			body: bytes.Repeat([]byte{0x89}, civicgrid.MaxPhotoBytes+1), header: []string{"Content-Type", "image/png"},
			wantStatus: http.StatusRequestEntityTooLarge, wantContains: []string{`"code":"too_large"`}},
		{name: "too many bytes in a form", method: "POST", path: "/api/v1/photos", actor: "inspector", body: bigForm,
			header: []string{"Content-Type", bigFormType}, wantStatus: http.StatusRequestEntityTooLarge},
		{name: "too many pixels", method: "POST", path: "/api/v1/photos", actor: "inspector", body: hugePNGHeader(10000, 6000),
			header: []string{"Content-Type", "image/png"}, wantStatus: http.StatusRequestEntityTooLarge,
			wantContains: []string{`pixels`}},
		{name: "upload needs a token", method: "POST", path: "/api/v1/photos", body: pngData, header: []string{"Content-Type", "image/png"},
			wantStatus: http.StatusUnauthorized},
		{name: "unknown photo", method: "GET", path: "/api/v1/photos/" + strings.Repeat("0", 64), actor: "inspector", wantStatus: http.StatusNotFound},
		{name: "not a photo id", method: "GET", path: "/api/v1/photos/..%2fsecret", actor: "inspector", wantStatus: http.StatusNotFound},
		{name: "download needs a token", method: "GET", path: "/api/v1/photos/" + pngID, wantStatus: http.StatusUnauthorized},
		{name: "not modified", method: "GET", path: "/api/v1/photos/" + pngID, actor: "operator", header: []string{"If-None-Match", `"` + pngID + `"`},
			wantStatus: http.StatusNotModified},
	})

	r := e.do("GET", "/api/v1/photos/"+pngID, "operator", nil)
	if r.status != http.StatusOK || !bytes.Equal(r.body, pngData) {
		t.Fatalf("download: %d, %d bytes", r.status, len(r.body))
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "Cache-Control": "private, max-age=31536000, immutable",
		"ETag": `"` + pngID + `"`, "X-Content-Type-Options": "nosniff"} {
		if got := r.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	// An uploaded photo can be attached to a report.
	lat, lon := cellCenter(0)
	r = e.do("POST", "/api/v1/cases", "inspector", map[string]any{"category_code": catGarbage, "lat": lat, "lon": lon,
		"description": "见照片", "source": "inspector", "photos": []string{pngID}})
	if r.status != http.StatusCreated || !strings.Contains(string(r.body), `"photos":["`+pngID+`"]`) {
		t.Errorf("report with photo: %d %s", r.status, r.body)
	}
}

func TestPhotoThumbnail(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/photos", "inspector", pngBytes(t, 800, 600), "Content-Type", "image/png")
	if r.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	p := decodeBody[struct {
		ID        string `json:"id"`
		Thumbnail string `json:"thumbnail"`
	}](t, r)
	if p.Thumbnail != "/api/v1/photos/"+p.ID+"/thumbnail" {
		t.Fatalf("thumbnail link %q", p.Thumbnail)
	}
	r = e.do("GET", p.Thumbnail, "operator", nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("thumbnail: %d %s", r.status, r.header.Get("Content-Type"))
	}
	img, err := jpeg.DecodeConfig(bytes.NewReader(r.body))
	if err != nil || img.Width != 320 || img.Height != 240 {
		t.Errorf("thumbnail is %dx%d (%v), want 320x240", img.Width, img.Height, err)
	}
	e.run(t, []scenario{
		{name: "unknown photo", method: "GET", path: "/api/v1/photos/" + strings.Repeat("0", 64) + "/thumbnail", actor: "operator", wantStatus: http.StatusNotFound},
		{name: "needs a token", method: "GET", path: p.Thumbnail, wantStatus: http.StatusUnauthorized},
	})
}
